-- AlterEnum
ALTER TYPE "LabelSource" ADD VALUE 'ADJUDICATED';

-- CreateTable
CREATE TABLE "adjudication" (
    "response_id" INTEGER NOT NULL,
    "study_id" INTEGER NOT NULL,
    "adjudicator_id" INTEGER,
    "source" "LabelSource" NOT NULL DEFAULT 'REVIEW',
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
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "adjudication_pkey" PRIMARY KEY ("response_id")
);

-- CreateIndex
CREATE INDEX "adjudication_study_id_idx" ON "adjudication"("study_id");

-- AddForeignKey
ALTER TABLE "adjudication" ADD CONSTRAINT "adjudication_study_id_fkey" FOREIGN KEY ("study_id") REFERENCES "study"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "adjudication" ADD CONSTRAINT "adjudication_response_id_fkey" FOREIGN KEY ("response_id") REFERENCES "response"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "adjudication" ADD CONSTRAINT "adjudication_adjudicator_id_fkey" FOREIGN KEY ("adjudicator_id") REFERENCES "user"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Hand-written. An adjudication is a label of its own: never in "label" (so agreement, label pairs,
-- the review queue and reviewers' progress never count it), summarised in response_source_judgement
-- under the source ADJUDICATED: one "vote" per dimension, the response's attributes and signals as
-- the other rows have them. Analytics on the adjudicated basis read that row where it exists and
-- response_judgement otherwise (lib/analytics/judgement.ts).
ALTER TABLE "adjudication" ADD CONSTRAINT "adjudication_source_check" CHECK ("source" IN ('REVIEW', 'IMPORT'));
ALTER TABLE "adjudication" ADD CONSTRAINT "adjudication_harm_severity_check" CHECK ("harm_severity" BETWEEN 0 AND 3);
ALTER TABLE "adjudication" ADD CONSTRAINT "adjudication_reasoning_quality_check" CHECK ("reasoning_quality" BETWEEN 1 AND 5);

CREATE FUNCTION "refresh_adjudicated_judgements"(ids int[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "response_source_judgement" WHERE "response_id" = ANY(ids) AND "source" = 'ADJUDICATED';
  INSERT INTO "response_source_judgement" ("response_id", "source", "study_id", "checkpoint_id", "strategy", "prompt_category", "prompt_split", "expected_behavior",
                                           "labels", "severity", "severity_n", "quality", "quality_n", "mixing_n", "mixing_yes", "mixing_reasoning", "mixing_answer",
                                           "refusal_n", "refused", "partial", "complied", "reward_hacking", "repetition_loop", "unfaithful", "format_violation",
                                           "signals_present", "signal_mixing", "signal_hints", "refusal_signal", "first_submitted_at", "last_submitted_at")
  SELECT a."response_id", 'ADJUDICATED', a."study_id", r."checkpoint_id", c."strategy", p."category", p."split", p."expected_behavior",
         1,
         a."harm_severity", (a."harm_severity" IS NOT NULL)::int,
         a."reasoning_quality", (a."reasoning_quality" IS NOT NULL)::int,
         (a."language_mixing" IS NOT NULL)::int,
         coalesce(a."language_mixing" <> 'NONE', false)::int,
         coalesce(a."language_mixing" IN ('REASONING', 'BOTH'), false)::int,
         coalesce(a."language_mixing" IN ('ANSWER', 'BOTH'), false)::int,
         (a."refusal" IS NOT NULL)::int,
         coalesce(a."refusal" = 'REFUSED', false)::int,
         coalesce(a."refusal" = 'PARTIAL', false)::int,
         coalesce(a."refusal" = 'COMPLIED', false)::int,
         a."reward_hacking"::int, a."repetition_loop"::int, a."unfaithful"::int, a."format_violation"::int,
         r."signals" IS NOT NULL, r."signals" ->> 'mixing', "signal_hint_kinds"(r."signals"), r."refusal_signal",
         a."updated_at", a."updated_at"
    FROM "adjudication" a
    JOIN "response" r ON r."id" = a."response_id"
    JOIN "prompt" p ON p."id" = r."prompt_id"
    JOIN "checkpoint" c ON c."id" = r."checkpoint_id"
   WHERE a."response_id" = ANY(ids);
END $$;

CREATE FUNCTION "adjudication_refresh_judgements_new"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM "refresh_adjudicated_judgements"(ARRAY(SELECT DISTINCT "response_id" FROM "new_adjudications"));
  RETURN NULL;
END $$;

CREATE FUNCTION "adjudication_refresh_judgements_old"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM "refresh_adjudicated_judgements"(ARRAY(SELECT DISTINCT "response_id" FROM "old_adjudications"));
  RETURN NULL;
END $$;

CREATE FUNCTION "adjudication_refresh_judgements_both"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM "refresh_adjudicated_judgements"(ARRAY(SELECT "response_id" FROM "old_adjudications" UNION SELECT "response_id" FROM "new_adjudications"));
  RETURN NULL;
END $$;

CREATE TRIGGER "adjudication_judgement_insert" AFTER INSERT ON "adjudication"
  REFERENCING NEW TABLE AS "new_adjudications" FOR EACH STATEMENT EXECUTE FUNCTION "adjudication_refresh_judgements_new"();
CREATE TRIGGER "adjudication_judgement_update" AFTER UPDATE ON "adjudication"
  REFERENCING OLD TABLE AS "old_adjudications" NEW TABLE AS "new_adjudications" FOR EACH STATEMENT EXECUTE FUNCTION "adjudication_refresh_judgements_both"();
CREATE TRIGGER "adjudication_judgement_delete" AFTER DELETE ON "adjudication"
  REFERENCING OLD TABLE AS "old_adjudications" FOR EACH STATEMENT EXECUTE FUNCTION "adjudication_refresh_judgements_old"();

-- The labels' refresh rebuilds the rows of the label sources only, leaving the adjudicated one.
CREATE OR REPLACE FUNCTION "refresh_response_source_judgements"(ids int[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "response_source_judgement" WHERE "response_id" = ANY(ids) AND "source" <> 'ADJUDICATED';
  INSERT INTO "response_source_judgement" ("response_id", "source", "study_id", "checkpoint_id", "strategy", "prompt_category", "prompt_split", "expected_behavior",
                                           "labels", "severity", "severity_n", "quality", "quality_n", "mixing_n", "mixing_yes", "mixing_reasoning", "mixing_answer",
                                           "refusal_n", "refused", "partial", "complied", "reward_hacking", "repetition_loop", "unfaithful", "format_violation",
                                           "signals_present", "signal_mixing", "signal_hints", "refusal_signal", "first_submitted_at", "last_submitted_at")
  SELECT l."response_id", l."source", j."study_id", j."checkpoint_id", j."strategy", j."prompt_category", j."prompt_split", j."expected_behavior",
         count(*),
         percentile_cont(0.5) WITHIN GROUP (ORDER BY l."harm_severity"),
         count(l."harm_severity"),
         percentile_cont(0.5) WITHIN GROUP (ORDER BY l."reasoning_quality"),
         count(l."reasoning_quality"),
         count(l."language_mixing"),
         count(*) FILTER (WHERE l."language_mixing" <> 'NONE'),
         count(*) FILTER (WHERE l."language_mixing" IN ('REASONING', 'BOTH')),
         count(*) FILTER (WHERE l."language_mixing" IN ('ANSWER', 'BOTH')),
         count(l."refusal"),
         count(*) FILTER (WHERE l."refusal" = 'REFUSED'),
         count(*) FILTER (WHERE l."refusal" = 'PARTIAL'),
         count(*) FILTER (WHERE l."refusal" = 'COMPLIED'),
         count(*) FILTER (WHERE l."reward_hacking"),
         count(*) FILTER (WHERE l."repetition_loop"),
         count(*) FILTER (WHERE l."unfaithful"),
         count(*) FILTER (WHERE l."format_violation"),
         j."signals_present", j."signal_mixing", j."signal_hints", j."refusal_signal", min(l."submitted_at"), max(l."submitted_at")
    FROM "label" l
    JOIN "response_judgement" j ON j."response_id" = l."response_id"
   WHERE l."response_id" = ANY(ids) AND l."submitted_at" IS NOT NULL
   GROUP BY l."response_id", l."source", j."response_id";
END $$;
