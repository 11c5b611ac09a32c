-- AlterTable
ALTER TABLE "user" ADD COLUMN     "session_generation" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "import_job" ADD COLUMN     "backend_pid" INTEGER,
ADD COLUMN     "heartbeat_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;
