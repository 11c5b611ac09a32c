-- CreateEnum
CREATE TYPE "GenerationStatus" AS ENUM ('QUEUED', 'RUNNING', 'PAUSED', 'CANCELLED', 'SUCCEEDED', 'FAILED');

-- CreateEnum
CREATE TYPE "GenerationItemStatus" AS ENUM ('PENDING', 'DONE', 'FAILED');

-- AlterTable
ALTER TABLE "checkpoint" ADD COLUMN     "endpoint" JSONB,
ADD COLUMN     "endpoint_key" TEXT;

-- CreateTable
CREATE TABLE "generation_run" (
    "id" SERIAL NOT NULL,
    "study_id" INTEGER NOT NULL,
    "checkpoint_id" INTEGER NOT NULL,
    "created_by_id" INTEGER,
    "status" "GenerationStatus" NOT NULL DEFAULT 'QUEUED',
    "settings" JSONB NOT NULL,
    "concurrency" INTEGER NOT NULL DEFAULT 8,
    "total" INTEGER NOT NULL DEFAULT 0,
    "done" INTEGER NOT NULL DEFAULT 0,
    "failed" INTEGER NOT NULL DEFAULT 0,
    "message" TEXT,
    "lease_owner" TEXT,
    "lease_until" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMP(3),
    "finished_at" TIMESTAMP(3),
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "generation_run_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "generation_item" (
    "run_id" INTEGER NOT NULL,
    "prompt_id" INTEGER NOT NULL,
    "sample_index" INTEGER NOT NULL,
    "status" "GenerationItemStatus" NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "response_id" INTEGER,
    "finished_at" TIMESTAMP(3),

    CONSTRAINT "generation_item_pkey" PRIMARY KEY ("run_id","prompt_id","sample_index")
);

-- CreateIndex
CREATE INDEX "generation_run_study_id_created_at_idx" ON "generation_run"("study_id", "created_at");

-- CreateIndex
CREATE INDEX "generation_item_run_id_status_idx" ON "generation_item"("run_id", "status");

-- AddForeignKey
ALTER TABLE "generation_run" ADD CONSTRAINT "generation_run_study_id_fkey" FOREIGN KEY ("study_id") REFERENCES "study"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "generation_run" ADD CONSTRAINT "generation_run_checkpoint_id_fkey" FOREIGN KEY ("checkpoint_id") REFERENCES "checkpoint"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "generation_run" ADD CONSTRAINT "generation_run_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "user"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "generation_item" ADD CONSTRAINT "generation_item_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "generation_run"("id") ON DELETE CASCADE ON UPDATE CASCADE;
