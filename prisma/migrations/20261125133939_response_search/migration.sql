-- AlterTable
ALTER TABLE "study" ADD COLUMN     "search_indexed_through" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "response_search" (
    "response_id" INTEGER NOT NULL,
    "study_id" INTEGER NOT NULL,
    "document" tsvector NOT NULL,

    CONSTRAINT "response_search_pkey" PRIMARY KEY ("response_id")
);

-- CreateIndex
CREATE INDEX "response_search_study_id_idx" ON "response_search"("study_id");

-- AddForeignKey
ALTER TABLE "response_search" ADD CONSTRAINT "response_search_response_id_fkey" FOREIGN KEY ("response_id") REFERENCES "response"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Full-text search of the browse table (lib/browse/search-index.ts writes the documents).
CREATE INDEX "response_search_document_idx" ON "response_search" USING gin ("document");

-- Sorting by the automatic mixing score with keyset pagination. Partial: an import writes no
-- scores (the analysis does, later), so it never touches this index.
CREATE INDEX "response_study_mix_score_idx" ON "response" ("study_id", "mix_score", "id") WHERE "mix_score" IS NOT NULL;
