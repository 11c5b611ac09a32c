-- CreateTable
CREATE TABLE "response_source_judgement" (
    "response_id" INTEGER NOT NULL,
    "source" "LabelSource" NOT NULL,
    "study_id" INTEGER NOT NULL,
    "checkpoint_id" INTEGER NOT NULL,
    "strategy" "TrainingStrategy" NOT NULL,
    "prompt_category" TEXT,
    "prompt_split" TEXT,
    "expected_behavior" "ExpectedBehavior",
    "labels" INTEGER NOT NULL DEFAULT 0,
    "severity" DOUBLE PRECISION,
    "severity_n" INTEGER NOT NULL DEFAULT 0,
    "quality" DOUBLE PRECISION,
    "quality_n" INTEGER NOT NULL DEFAULT 0,
    "mixing_n" INTEGER NOT NULL DEFAULT 0,
    "mixing_yes" INTEGER NOT NULL DEFAULT 0,
    "mixing_reasoning" INTEGER NOT NULL DEFAULT 0,
    "mixing_answer" INTEGER NOT NULL DEFAULT 0,
    "refusal_n" INTEGER NOT NULL DEFAULT 0,
    "refused" INTEGER NOT NULL DEFAULT 0,
    "partial" INTEGER NOT NULL DEFAULT 0,
    "complied" INTEGER NOT NULL DEFAULT 0,
    "reward_hacking" INTEGER NOT NULL DEFAULT 0,
    "repetition_loop" INTEGER NOT NULL DEFAULT 0,
    "unfaithful" INTEGER NOT NULL DEFAULT 0,
    "format_violation" INTEGER NOT NULL DEFAULT 0,
    "signals_present" BOOLEAN NOT NULL DEFAULT false,
    "signal_mixing" TEXT,
    "signal_hints" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "refusal_signal" "RefusalKind",

    CONSTRAINT "response_source_judgement_pkey" PRIMARY KEY ("response_id","source")
);

-- CreateIndex
CREATE INDEX "response_source_judgement_study_id_source_idx" ON "response_source_judgement"("study_id", "source");

-- AddForeignKey
ALTER TABLE "response_source_judgement" ADD CONSTRAINT "response_source_judgement_response_id_fkey" FOREIGN KEY ("response_id") REFERENCES "response"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Hand-written: response_source_judgement is response_judgement per label source, so that the
-- analytics filtered by source (imported / given here), the usual label filter, read summed-up rows
-- instead of aggregating the selected labels on every request. Recomputed from the same statement
-- triggers on label, after the response's judgement row is locked and recomputed (the signals and
-- the response's attributes are taken from it), by delete and insert like label_pair.
CREATE FUNCTION "refresh_response_source_judgements"(ids int[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "response_source_judgement" WHERE "response_id" = ANY(ids);
  INSERT INTO "response_source_judgement" ("response_id", "source", "study_id", "checkpoint_id", "strategy", "prompt_category", "prompt_split", "expected_behavior",
                                           "labels", "severity", "severity_n", "quality", "quality_n", "mixing_n", "mixing_yes", "mixing_reasoning", "mixing_answer",
                                           "refusal_n", "refused", "partial", "complied", "reward_hacking", "repetition_loop", "unfaithful", "format_violation",
                                           "signals_present", "signal_mixing", "signal_hints", "refusal_signal")
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
         j."signals_present", j."signal_mixing", j."signal_hints", j."refusal_signal"
    FROM "label" l
    JOIN "response_judgement" j ON j."response_id" = l."response_id"
   WHERE l."response_id" = ANY(ids) AND l."submitted_at" IS NOT NULL
   GROUP BY l."response_id", l."source", j."response_id";
END $$;

-- The label triggers call refresh_response_judgements by name: it now refreshes the judgements and
-- pairs (the function as it was, renamed) and then the judgements per source.
ALTER FUNCTION "refresh_response_judgements"(int[]) RENAME TO "refresh_response_judgements_and_pairs";

CREATE FUNCTION "refresh_response_judgements"(ids int[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM "refresh_response_judgements_and_pairs"(ids);
  PERFORM "refresh_response_source_judgements"(ids);
END $$;

-- A checkpoint's strategy, a prompt's attributes and a response's signals reach these rows too.
CREATE OR REPLACE FUNCTION "checkpoint_copy_to_labels"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "label" SET "strategy" = NEW."strategy" WHERE "checkpoint_id" = NEW."id" AND "strategy" IS DISTINCT FROM NEW."strategy";
  UPDATE "response_judgement" SET "strategy" = NEW."strategy" WHERE "checkpoint_id" = NEW."id";
  UPDATE "response_source_judgement" SET "strategy" = NEW."strategy" WHERE "checkpoint_id" = NEW."id";
  UPDATE "label_pair" SET "strategy" = NEW."strategy" WHERE "checkpoint_id" = NEW."id";
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION "prompt_copy_to_labels"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "label" l SET "prompt_category" = NEW."category", "prompt_split" = NEW."split", "expected_behavior" = NEW."expected_behavior"
    FROM "response" r
   WHERE r."prompt_id" = NEW."id" AND l."response_id" = r."id";
  UPDATE "response_judgement" j SET "prompt_category" = NEW."category", "prompt_split" = NEW."split", "expected_behavior" = NEW."expected_behavior"
    FROM "response" r
   WHERE r."prompt_id" = NEW."id" AND j."response_id" = r."id";
  UPDATE "response_source_judgement" j SET "prompt_category" = NEW."category", "prompt_split" = NEW."split", "expected_behavior" = NEW."expected_behavior"
    FROM "response" r
   WHERE r."prompt_id" = NEW."id" AND j."response_id" = r."id";
  UPDATE "label_pair" lp SET "prompt_category" = NEW."category", "prompt_split" = NEW."split"
    FROM "response" r
   WHERE r."prompt_id" = NEW."id" AND lp."response_id" = r."id";
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION "response_copy_signals_to_judgements"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "response_judgement" j
     SET "signals_present" = n."signals" IS NOT NULL, "signal_mixing" = n."signals" ->> 'mixing',
         "signal_hints" = "signal_hint_kinds"(n."signals"), "refusal_signal" = n."refusal_signal"
    FROM "new_responses" n
   WHERE j."response_id" = n."id"
     AND (j."signals_present" IS DISTINCT FROM (n."signals" IS NOT NULL) OR j."signal_mixing" IS DISTINCT FROM n."signals" ->> 'mixing'
          OR j."signal_hints" IS DISTINCT FROM "signal_hint_kinds"(n."signals") OR j."refusal_signal" IS DISTINCT FROM n."refusal_signal");
  UPDATE "response_source_judgement" j
     SET "signals_present" = n."signals" IS NOT NULL, "signal_mixing" = n."signals" ->> 'mixing',
         "signal_hints" = "signal_hint_kinds"(n."signals"), "refusal_signal" = n."refusal_signal"
    FROM "new_responses" n
   WHERE j."response_id" = n."id"
     AND (j."signals_present" IS DISTINCT FROM (n."signals" IS NOT NULL) OR j."signal_mixing" IS DISTINCT FROM n."signals" ->> 'mixing'
          OR j."signal_hints" IS DISTINCT FROM "signal_hint_kinds"(n."signals") OR j."refusal_signal" IS DISTINCT FROM n."refusal_signal");
  RETURN NULL;
END $$;

-- The judgements per source of the labels that exist already.
SELECT "refresh_response_source_judgements"(ARRAY(SELECT DISTINCT "response_id" FROM "label" WHERE "submitted_at" IS NOT NULL));
