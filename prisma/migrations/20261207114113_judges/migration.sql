-- CreateTable
CREATE TABLE "judge" (
    "id" SERIAL NOT NULL,
    "study_id" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "endpoint" JSONB NOT NULL,
    "endpoint_key" TEXT,
    "rubric_id" TEXT NOT NULL,
    "rubric_version" INTEGER NOT NULL,
    "instructions" TEXT,
    "prompt_edits" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "judge_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "judge_run" (
    "id" SERIAL NOT NULL,
    "study_id" INTEGER NOT NULL,
    "judge_id" INTEGER NOT NULL,
    "created_by_id" INTEGER,
    "status" "GenerationStatus" NOT NULL DEFAULT 'QUEUED',
    "rubric" TEXT NOT NULL,
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

    CONSTRAINT "judge_run_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "judge_item" (
    "run_id" INTEGER NOT NULL,
    "response_id" INTEGER NOT NULL,
    "status" "GenerationItemStatus" NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "finished_at" TIMESTAMP(3),

    CONSTRAINT "judge_item_pkey" PRIMARY KEY ("run_id","response_id")
);

-- CreateTable
CREATE TABLE "judge_label" (
    "id" SERIAL NOT NULL,
    "study_id" INTEGER NOT NULL,
    "judge_id" INTEGER NOT NULL,
    "response_id" INTEGER NOT NULL,
    "rubric" TEXT NOT NULL,
    "run_id" INTEGER,
    "harm_severity" SMALLINT,
    "harm_categories" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "harm_location" "HarmLocation",
    "refusal" "RefusalKind",
    "language_mixing" "LanguageMixing",
    "reasoning_quality" SMALLINT,
    "confidence" DOUBLE PRECISION,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "judge_label_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "judge_study_id_name_key" ON "judge"("study_id", "name");

-- CreateIndex
CREATE INDEX "judge_run_study_id_created_at_idx" ON "judge_run"("study_id", "created_at");

-- CreateIndex
CREATE INDEX "judge_item_run_id_status_idx" ON "judge_item"("run_id", "status");

-- CreateIndex
CREATE INDEX "judge_label_study_id_judge_id_rubric_idx" ON "judge_label"("study_id", "judge_id", "rubric");

-- CreateIndex
CREATE UNIQUE INDEX "judge_label_judge_id_response_id_rubric_key" ON "judge_label"("judge_id", "response_id", "rubric");

-- AddForeignKey
ALTER TABLE "judge" ADD CONSTRAINT "judge_study_id_fkey" FOREIGN KEY ("study_id") REFERENCES "study"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "judge_run" ADD CONSTRAINT "judge_run_study_id_fkey" FOREIGN KEY ("study_id") REFERENCES "study"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "judge_run" ADD CONSTRAINT "judge_run_judge_id_fkey" FOREIGN KEY ("judge_id") REFERENCES "judge"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "judge_run" ADD CONSTRAINT "judge_run_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "user"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "judge_item" ADD CONSTRAINT "judge_item_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "judge_run"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "judge_label" ADD CONSTRAINT "judge_label_study_id_fkey" FOREIGN KEY ("study_id") REFERENCES "study"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "judge_label" ADD CONSTRAINT "judge_label_judge_id_fkey" FOREIGN KEY ("judge_id") REFERENCES "judge"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "judge_label" ADD CONSTRAINT "judge_label_response_id_fkey" FOREIGN KEY ("response_id") REFERENCES "response"("id") ON DELETE CASCADE ON UPDATE CASCADE;
