-- CreateTable
CREATE TABLE "import_mapping" (
    "id" SERIAL NOT NULL,
    "study_id" INTEGER NOT NULL,
    "column_key" TEXT NOT NULL,
    "format" TEXT NOT NULL,
    "set" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "rename" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "derive" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "saved_by_id" INTEGER,
    "saved_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "import_mapping_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "import_mapping_study_id_format_column_key_key" ON "import_mapping"("study_id", "format", "column_key");

-- AddForeignKey
ALTER TABLE "import_mapping" ADD CONSTRAINT "import_mapping_study_id_fkey" FOREIGN KEY ("study_id") REFERENCES "study"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "import_mapping" ADD CONSTRAINT "import_mapping_saved_by_id_fkey" FOREIGN KEY ("saved_by_id") REFERENCES "user"("id") ON DELETE SET NULL ON UPDATE CASCADE;
