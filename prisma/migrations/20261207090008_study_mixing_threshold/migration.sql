-- AlterTable
ALTER TABLE "study" ADD COLUMN     "mixing_threshold" TEXT NOT NULL DEFAULT 'default';
