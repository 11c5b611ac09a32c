-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "Role" AS ENUM ('ADMIN', 'RESEARCHER', 'REVIEWER');

-- CreateEnum
CREATE TYPE "TrainingStrategy" AS ENUM ('SFT', 'RL', 'HYBRID', 'BASE');

-- CreateEnum
CREATE TYPE "ExpectedBehavior" AS ENUM ('COMPLY', 'REFUSE');

-- CreateEnum
CREATE TYPE "HarmLocation" AS ENUM ('REASONING', 'ANSWER', 'BOTH');

-- CreateEnum
CREATE TYPE "RefusalKind" AS ENUM ('COMPLIED', 'PARTIAL', 'REFUSED');

-- CreateEnum
CREATE TYPE "LanguageMixing" AS ENUM ('NONE', 'REASONING', 'ANSWER', 'BOTH');

-- CreateEnum
CREATE TYPE "LabelSource" AS ENUM ('REVIEW', 'IMPORT');

-- CreateEnum
CREATE TYPE "ImportStatus" AS ENUM ('RUNNING', 'SUCCEEDED', 'REJECTED', 'FAILED');

-- CreateTable
CREATE TABLE "user" (
    "id" SERIAL NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT,
    "role" "Role" NOT NULL DEFAULT 'REVIEWER',
    "password_hash" TEXT,
    "disabled" BOOLEAN NOT NULL DEFAULT false,
    "placeholder" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "user_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_token" (
    "id" SERIAL NOT NULL,
    "user_id" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "token_hash" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_used_at" TIMESTAMP(3),
    "expires_at" TIMESTAMP(3),
    "revoked_at" TIMESTAMP(3),

    CONSTRAINT "api_token_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "study" (
    "id" SERIAL NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "blind" BOOLEAN NOT NULL DEFAULT true,
    "overlap" INTEGER NOT NULL DEFAULT 1,
    "harm_categories" TEXT[] DEFAULT ARRAY['violence', 'weapons', 'cyber', 'self-harm', 'hate', 'sexual', 'drugs', 'fraud', 'privacy', 'other']::TEXT[],
    "failure_rules" JSONB NOT NULL DEFAULT '{}',
    "show_signals" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "study_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "checkpoint" (
    "id" SERIAL NOT NULL,
    "study_id" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "strategy" "TrainingStrategy" NOT NULL,
    "base_model" TEXT,
    "training_step" INTEGER,
    "compute_gpu_hours" DOUBLE PRECISION,
    "metadata" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "checkpoint_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "prompt" (
    "id" SERIAL NOT NULL,
    "study_id" INTEGER NOT NULL,
    "key" TEXT NOT NULL,
    "external_id" TEXT,
    "text" TEXT NOT NULL,
    "category" TEXT,
    "split" TEXT,
    "language" TEXT,
    "expected_behavior" "ExpectedBehavior",
    "metadata" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "prompt_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "response" (
    "id" SERIAL NOT NULL,
    "study_id" INTEGER NOT NULL,
    "prompt_id" INTEGER NOT NULL,
    "checkpoint_id" INTEGER NOT NULL,
    "sample_index" INTEGER NOT NULL DEFAULT 0,
    "reasoning" TEXT,
    "answer" TEXT NOT NULL,
    "source_shape" TEXT NOT NULL,
    "format_issues" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "metadata" JSONB NOT NULL DEFAULT '{}',
    "signals" JSONB,
    "mix_score" DOUBLE PRECISION,
    "refusal_signal" "RefusalKind",
    "import_job_id" INTEGER,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "response_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "label" (
    "id" SERIAL NOT NULL,
    "study_id" INTEGER NOT NULL,
    "response_id" INTEGER NOT NULL,
    "reviewer_id" INTEGER NOT NULL,
    "harm_severity" SMALLINT,
    "harm_categories" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "harm_location" "HarmLocation",
    "refusal" "RefusalKind",
    "language_mixing" "LanguageMixing",
    "reasoning_quality" SMALLINT,
    "reward_hacking" BOOLEAN NOT NULL DEFAULT false,
    "repetition_loop" BOOLEAN NOT NULL DEFAULT false,
    "unfaithful" BOOLEAN NOT NULL DEFAULT false,
    "format_violation" BOOLEAN NOT NULL DEFAULT false,
    "note" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,
    "source" "LabelSource" NOT NULL DEFAULT 'REVIEW',
    "submitted_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "label_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "label_revision" (
    "id" SERIAL NOT NULL,
    "label_id" INTEGER NOT NULL,
    "version" INTEGER NOT NULL,
    "snapshot" JSONB NOT NULL,
    "edited_by_id" INTEGER NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "label_revision_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "preference" (
    "id" SERIAL NOT NULL,
    "study_id" INTEGER NOT NULL,
    "prompt_id" INTEGER NOT NULL,
    "reviewer_id" INTEGER NOT NULL,
    "safest_response_id" INTEGER,
    "best_response_id" INTEGER,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "preference_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "import_job" (
    "id" SERIAL NOT NULL,
    "study_id" INTEGER,
    "study_slug" TEXT NOT NULL,
    "created_by_id" INTEGER,
    "file_name" TEXT NOT NULL,
    "format" TEXT NOT NULL,
    "status" "ImportStatus" NOT NULL DEFAULT 'RUNNING',
    "rows_read" INTEGER NOT NULL DEFAULT 0,
    "inserted" INTEGER NOT NULL DEFAULT 0,
    "already_present" INTEGER NOT NULL DEFAULT 0,
    "rejected" INTEGER NOT NULL DEFAULT 0,
    "bytes_read" BIGINT NOT NULL DEFAULT 0,
    "errors" JSONB NOT NULL DEFAULT '[]',
    "message" TEXT,
    "started_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMP(3),

    CONSTRAINT "import_job_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "user_email_key" ON "user"("email");

-- CreateIndex
CREATE UNIQUE INDEX "api_token_token_hash_key" ON "api_token"("token_hash");

-- CreateIndex
CREATE INDEX "api_token_user_id_idx" ON "api_token"("user_id");

-- CreateIndex
CREATE UNIQUE INDEX "study_slug_key" ON "study"("slug");

-- CreateIndex
CREATE INDEX "checkpoint_study_id_strategy_idx" ON "checkpoint"("study_id", "strategy");

-- CreateIndex
CREATE UNIQUE INDEX "checkpoint_study_id_name_key" ON "checkpoint"("study_id", "name");

-- CreateIndex
CREATE INDEX "prompt_study_id_category_idx" ON "prompt"("study_id", "category");

-- CreateIndex
CREATE INDEX "prompt_study_id_split_idx" ON "prompt"("study_id", "split");

-- CreateIndex
CREATE UNIQUE INDEX "prompt_study_id_key_key" ON "prompt"("study_id", "key");

-- CreateIndex
CREATE INDEX "response_study_id_checkpoint_id_idx" ON "response"("study_id", "checkpoint_id");

-- CreateIndex
CREATE INDEX "response_checkpoint_id_idx" ON "response"("checkpoint_id");

-- CreateIndex
CREATE UNIQUE INDEX "response_prompt_id_checkpoint_id_sample_index_key" ON "response"("prompt_id", "checkpoint_id", "sample_index");

-- CreateIndex
CREATE INDEX "label_study_id_reviewer_id_idx" ON "label"("study_id", "reviewer_id");

-- CreateIndex
CREATE UNIQUE INDEX "label_response_id_reviewer_id_key" ON "label"("response_id", "reviewer_id");

-- CreateIndex
CREATE UNIQUE INDEX "label_revision_label_id_version_key" ON "label_revision"("label_id", "version");

-- CreateIndex
CREATE INDEX "preference_study_id_idx" ON "preference"("study_id");

-- CreateIndex
CREATE UNIQUE INDEX "preference_prompt_id_reviewer_id_key" ON "preference"("prompt_id", "reviewer_id");

-- CreateIndex
CREATE INDEX "import_job_study_id_started_at_idx" ON "import_job"("study_id", "started_at");

-- CreateIndex
CREATE INDEX "import_job_study_slug_started_at_idx" ON "import_job"("study_slug", "started_at");

-- AddForeignKey
ALTER TABLE "api_token" ADD CONSTRAINT "api_token_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "user"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "checkpoint" ADD CONSTRAINT "checkpoint_study_id_fkey" FOREIGN KEY ("study_id") REFERENCES "study"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "prompt" ADD CONSTRAINT "prompt_study_id_fkey" FOREIGN KEY ("study_id") REFERENCES "study"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "label" ADD CONSTRAINT "label_study_id_fkey" FOREIGN KEY ("study_id") REFERENCES "study"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "label" ADD CONSTRAINT "label_response_id_fkey" FOREIGN KEY ("response_id") REFERENCES "response"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "label" ADD CONSTRAINT "label_reviewer_id_fkey" FOREIGN KEY ("reviewer_id") REFERENCES "user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "label_revision" ADD CONSTRAINT "label_revision_label_id_fkey" FOREIGN KEY ("label_id") REFERENCES "label"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "label_revision" ADD CONSTRAINT "label_revision_edited_by_id_fkey" FOREIGN KEY ("edited_by_id") REFERENCES "user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "preference" ADD CONSTRAINT "preference_study_id_fkey" FOREIGN KEY ("study_id") REFERENCES "study"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "preference" ADD CONSTRAINT "preference_prompt_id_fkey" FOREIGN KEY ("prompt_id") REFERENCES "prompt"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "preference" ADD CONSTRAINT "preference_reviewer_id_fkey" FOREIGN KEY ("reviewer_id") REFERENCES "user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "import_job" ADD CONSTRAINT "import_job_study_id_fkey" FOREIGN KEY ("study_id") REFERENCES "study"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "import_job" ADD CONSTRAINT "import_job_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "user"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Responses have no foreign keys to prompt and checkpoint (see schema.prisma); these triggers keep
-- the cascade: deleting a prompt or a checkpoint (or their study) deletes its responses.
CREATE FUNCTION "delete_responses_of_prompt"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "response" WHERE "prompt_id" = OLD."id";
  RETURN OLD;
END $$;

CREATE FUNCTION "delete_responses_of_checkpoint"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "response" WHERE "checkpoint_id" = OLD."id";
  RETURN OLD;
END $$;

CREATE TRIGGER "prompt_delete_responses" AFTER DELETE ON "prompt"
  FOR EACH ROW EXECUTE FUNCTION "delete_responses_of_prompt"();

CREATE TRIGGER "checkpoint_delete_responses" AFTER DELETE ON "checkpoint"
  FOR EACH ROW EXECUTE FUNCTION "delete_responses_of_checkpoint"();
