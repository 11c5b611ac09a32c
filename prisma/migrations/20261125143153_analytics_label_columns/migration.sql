-- AlterTable
ALTER TABLE "label" ADD COLUMN     "checkpoint_id" INTEGER,
ADD COLUMN     "expected_behavior" "ExpectedBehavior",
ADD COLUMN     "prompt_category" TEXT,
ADD COLUMN     "prompt_split" TEXT,
ADD COLUMN     "strategy" "TrainingStrategy";

-- CreateTable
CREATE TABLE "response_judgement" (
    "response_id" INTEGER NOT NULL,
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

    CONSTRAINT "response_judgement_pkey" PRIMARY KEY ("response_id")
);

-- CreateTable
CREATE TABLE "label_pair" (
    "response_id" INTEGER NOT NULL,
    "reviewer_a" INTEGER NOT NULL,
    "reviewer_b" INTEGER NOT NULL,
    "a_source" "LabelSource" NOT NULL,
    "b_source" "LabelSource" NOT NULL,
    "study_id" INTEGER NOT NULL,
    "checkpoint_id" INTEGER NOT NULL,
    "strategy" "TrainingStrategy" NOT NULL,
    "prompt_category" TEXT,
    "prompt_split" TEXT,
    "a_harm_severity" SMALLINT,
    "b_harm_severity" SMALLINT,
    "m_harm_severity" SMALLINT NOT NULL,
    "a_reasoning_quality" SMALLINT,
    "b_reasoning_quality" SMALLINT,
    "m_reasoning_quality" SMALLINT NOT NULL,
    "a_refusal" "RefusalKind",
    "b_refusal" "RefusalKind",
    "m_refusal" SMALLINT NOT NULL,
    "a_language_mixing" "LanguageMixing",
    "b_language_mixing" "LanguageMixing",
    "m_language_mixing" SMALLINT NOT NULL,
    "a_reward_hacking" BOOLEAN NOT NULL,
    "b_reward_hacking" BOOLEAN NOT NULL,
    "m_reward_hacking" SMALLINT NOT NULL,

    CONSTRAINT "label_pair_pkey" PRIMARY KEY ("response_id","reviewer_a","reviewer_b")
);

-- CreateIndex
CREATE INDEX "response_judgement_study_id_idx" ON "response_judgement"("study_id");

-- CreateIndex
CREATE INDEX "label_pair_study_id_idx" ON "label_pair"("study_id");

-- CreateIndex
CREATE INDEX "label_study_id_response_id_idx" ON "label"("study_id", "response_id");

-- AddForeignKey
ALTER TABLE "response_judgement" ADD CONSTRAINT "response_judgement_response_id_fkey" FOREIGN KEY ("response_id") REFERENCES "response"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "label_pair" ADD CONSTRAINT "label_pair_response_id_fkey" FOREIGN KEY ("response_id") REFERENCES "response"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Hand-written: the analytics read labels without joining response (a million rows), so each label
-- carries its response's checkpoint, strategy, prompt category, split and expected behaviour.
-- Writers leave these columns out; this trigger fills them on insert and when a label is moved.
CREATE FUNCTION "label_fill_analytics_columns"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  SELECT r."checkpoint_id", c."strategy", p."category", p."split", p."expected_behavior"
    INTO NEW."checkpoint_id", NEW."strategy", NEW."prompt_category", NEW."prompt_split", NEW."expected_behavior"
    FROM "response" r
    JOIN "checkpoint" c ON c."id" = r."checkpoint_id"
    JOIN "prompt" p ON p."id" = r."prompt_id"
   WHERE r."id" = NEW."response_id";
  RETURN NEW;
END $$;

CREATE TRIGGER "label_fill_analytics_columns" BEFORE INSERT OR UPDATE OF "response_id" ON "label"
  FOR EACH ROW EXECUTE FUNCTION "label_fill_analytics_columns"();

-- A checkpoint's strategy or a prompt's category, split or expected behaviour that changes is
-- copied to the labels of its responses.
CREATE FUNCTION "checkpoint_copy_to_labels"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "label" SET "strategy" = NEW."strategy" WHERE "checkpoint_id" = NEW."id" AND "strategy" IS DISTINCT FROM NEW."strategy";
  UPDATE "response_judgement" SET "strategy" = NEW."strategy" WHERE "checkpoint_id" = NEW."id";
  UPDATE "label_pair" SET "strategy" = NEW."strategy" WHERE "checkpoint_id" = NEW."id";
  RETURN NULL;
END $$;

CREATE TRIGGER "checkpoint_copy_to_labels" AFTER UPDATE OF "strategy" ON "checkpoint"
  FOR EACH ROW WHEN (OLD."strategy" IS DISTINCT FROM NEW."strategy") EXECUTE FUNCTION "checkpoint_copy_to_labels"();

CREATE FUNCTION "prompt_copy_to_labels"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "label" l SET "prompt_category" = NEW."category", "prompt_split" = NEW."split", "expected_behavior" = NEW."expected_behavior"
    FROM "response" r
   WHERE r."prompt_id" = NEW."id" AND l."response_id" = r."id";
  UPDATE "response_judgement" j SET "prompt_category" = NEW."category", "prompt_split" = NEW."split", "expected_behavior" = NEW."expected_behavior"
    FROM "response" r
   WHERE r."prompt_id" = NEW."id" AND j."response_id" = r."id";
  UPDATE "label_pair" lp SET "prompt_category" = NEW."category", "prompt_split" = NEW."split"
    FROM "response" r
   WHERE r."prompt_id" = NEW."id" AND lp."response_id" = r."id";
  RETURN NULL;
END $$;

CREATE TRIGGER "prompt_copy_to_labels" AFTER UPDATE OF "category", "split", "expected_behavior" ON "prompt"
  FOR EACH ROW WHEN (OLD."category" IS DISTINCT FROM NEW."category" OR OLD."split" IS DISTINCT FROM NEW."split"
                     OR OLD."expected_behavior" IS DISTINCT FROM NEW."expected_behavior")
  EXECUTE FUNCTION "prompt_copy_to_labels"();

-- Labels that exist already.
UPDATE "label" l
   SET "checkpoint_id" = r."checkpoint_id", "strategy" = c."strategy", "prompt_category" = p."category",
       "prompt_split" = p."split", "expected_behavior" = p."expected_behavior"
  FROM "response" r
  JOIN "checkpoint" c ON c."id" = r."checkpoint_id"
  JOIN "prompt" p ON p."id" = r."prompt_id"
 WHERE r."id" = l."response_id";

-- Analytics take the median of severities and qualities from counts per value, which needs the
-- values in their documented ranges (every writer validates them already).
ALTER TABLE "label" ADD CONSTRAINT "label_harm_severity_range" CHECK ("harm_severity" BETWEEN 0 AND 3),
                    ADD CONSTRAINT "label_reasoning_quality_range" CHECK ("reasoning_quality" BETWEEN 1 AND 5);

-- response_judgement: the submitted labels of each response summed up, and label_pair: each pair of
-- them with both reviewers' values (for agreement), recomputed for the
-- responses a statement on label touched (statement triggers with transition tables, so an import
-- of many labels recomputes once). Medians are percentile_cont(0.5), as the analytics used to
-- compute on every request. Concurrent writers on one response are serialised on its judgement row:
-- the row is created (or waited for), locked, and only then recomputed, from a fresh snapshot.
-- The kinds of a response's signals.hints ([] when it has none).
CREATE FUNCTION "signal_hint_kinds"(signals jsonb) RETURNS text[] LANGUAGE sql IMMUTABLE AS $$
  SELECT coalesce(array_agg(h ->> 'kind'), '{}')
    FROM jsonb_array_elements(CASE WHEN jsonb_typeof(signals -> 'hints') = 'array' THEN signals -> 'hints' ELSE '[]'::jsonb END) h
$$;

CREATE FUNCTION "refresh_response_judgements"(ids int[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "response_judgement" ("response_id", "study_id", "checkpoint_id", "strategy", "prompt_category", "prompt_split", "expected_behavior")
  SELECT DISTINCT ON (l."response_id") l."response_id", l."study_id", l."checkpoint_id", l."strategy", l."prompt_category", l."prompt_split", l."expected_behavior"
    FROM "label" l
   WHERE l."response_id" = ANY(ids) AND l."submitted_at" IS NOT NULL AND l."strategy" IS NOT NULL
   ORDER BY l."response_id"
  ON CONFLICT ("response_id") DO NOTHING;
  PERFORM 1 FROM "response_judgement" WHERE "response_id" = ANY(ids) ORDER BY "response_id" FOR UPDATE;
  UPDATE "response_judgement" j
     SET "labels" = a."labels", "severity" = a."severity", "severity_n" = a."severity_n", "quality" = a."quality",
         "quality_n" = a."quality_n", "mixing_n" = a."mixing_n", "mixing_yes" = a."mixing_yes",
         "mixing_reasoning" = a."mixing_reasoning", "mixing_answer" = a."mixing_answer", "refusal_n" = a."refusal_n",
         "refused" = a."refused", "partial" = a."partial", "complied" = a."complied", "reward_hacking" = a."reward_hacking",
         "repetition_loop" = a."repetition_loop", "unfaithful" = a."unfaithful", "format_violation" = a."format_violation",
         "signals_present" = r."signals" IS NOT NULL, "signal_mixing" = r."signals" ->> 'mixing',
         "signal_hints" = "signal_hint_kinds"(r."signals"), "refusal_signal" = r."refusal_signal"
    FROM "response" r, (
      SELECT l."response_id",
             count(*) AS "labels",
             percentile_cont(0.5) WITHIN GROUP (ORDER BY l."harm_severity") AS "severity",
             count(l."harm_severity") AS "severity_n",
             percentile_cont(0.5) WITHIN GROUP (ORDER BY l."reasoning_quality") AS "quality",
             count(l."reasoning_quality") AS "quality_n",
             count(l."language_mixing") AS "mixing_n",
             count(*) FILTER (WHERE l."language_mixing" <> 'NONE') AS "mixing_yes",
             count(*) FILTER (WHERE l."language_mixing" IN ('REASONING', 'BOTH')) AS "mixing_reasoning",
             count(*) FILTER (WHERE l."language_mixing" IN ('ANSWER', 'BOTH')) AS "mixing_answer",
             count(l."refusal") AS "refusal_n",
             count(*) FILTER (WHERE l."refusal" = 'REFUSED') AS "refused",
             count(*) FILTER (WHERE l."refusal" = 'PARTIAL') AS "partial",
             count(*) FILTER (WHERE l."refusal" = 'COMPLIED') AS "complied",
             count(*) FILTER (WHERE l."reward_hacking") AS "reward_hacking",
             count(*) FILTER (WHERE l."repetition_loop") AS "repetition_loop",
             count(*) FILTER (WHERE l."unfaithful") AS "unfaithful",
             count(*) FILTER (WHERE l."format_violation") AS "format_violation"
        FROM "label" l
       WHERE l."response_id" = ANY(ids) AND l."submitted_at" IS NOT NULL
       GROUP BY l."response_id") a
   WHERE j."response_id" = a."response_id" AND r."id" = a."response_id";
  DELETE FROM "response_judgement" j
   WHERE j."response_id" = ANY(ids)
     AND NOT EXISTS (SELECT 1 FROM "label" l WHERE l."response_id" = j."response_id" AND l."submitted_at" IS NOT NULL);
  -- The pairs of submitted labels of these responses, after the judgement rows are locked.
  DELETE FROM "label_pair" WHERE "response_id" = ANY(ids);
  INSERT INTO "label_pair" ("response_id", "reviewer_a", "reviewer_b", "a_source", "b_source", "study_id", "checkpoint_id", "strategy", "prompt_category", "prompt_split",
                            "a_harm_severity", "b_harm_severity", "m_harm_severity", "a_reasoning_quality", "b_reasoning_quality", "m_reasoning_quality",
                            "a_refusal", "b_refusal", "m_refusal", "a_language_mixing", "b_language_mixing", "m_language_mixing",
                            "a_reward_hacking", "b_reward_hacking", "m_reward_hacking")
  SELECT a."response_id", a."reviewer_id", b."reviewer_id", a."source", b."source", j."study_id", j."checkpoint_id", j."strategy", j."prompt_category", j."prompt_split",
         a."harm_severity", b."harm_severity", j."severity_n", a."reasoning_quality", b."reasoning_quality", j."quality_n",
         a."refusal", b."refusal", j."refusal_n", a."language_mixing", b."language_mixing", j."mixing_n",
         a."reward_hacking", b."reward_hacking", j."labels"
    FROM "response_judgement" j
    JOIN "label" a ON a."response_id" = j."response_id" AND a."submitted_at" IS NOT NULL
    JOIN "label" b ON b."response_id" = j."response_id" AND b."submitted_at" IS NOT NULL AND b."reviewer_id" > a."reviewer_id"
   WHERE j."response_id" = ANY(ids) AND j."labels" > 1;
END $$;

CREATE FUNCTION "label_refresh_judgements_new"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM "refresh_response_judgements"(ARRAY(SELECT DISTINCT "response_id" FROM "new_labels"));
  RETURN NULL;
END $$;

CREATE FUNCTION "label_refresh_judgements_old"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM "refresh_response_judgements"(ARRAY(SELECT DISTINCT "response_id" FROM "old_labels"));
  RETURN NULL;
END $$;

CREATE FUNCTION "label_refresh_judgements_both"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM "refresh_response_judgements"(ARRAY(SELECT "response_id" FROM "old_labels" UNION SELECT "response_id" FROM "new_labels"));
  RETURN NULL;
END $$;

CREATE TRIGGER "label_judgement_insert" AFTER INSERT ON "label"
  REFERENCING NEW TABLE AS "new_labels" FOR EACH STATEMENT EXECUTE FUNCTION "label_refresh_judgements_new"();
CREATE TRIGGER "label_judgement_update" AFTER UPDATE ON "label"
  REFERENCING OLD TABLE AS "old_labels" NEW TABLE AS "new_labels" FOR EACH STATEMENT EXECUTE FUNCTION "label_refresh_judgements_both"();
CREATE TRIGGER "label_judgement_delete" AFTER DELETE ON "label"
  REFERENCING OLD TABLE AS "old_labels" FOR EACH STATEMENT EXECUTE FUNCTION "label_refresh_judgements_old"();

-- Signals written later (`analyze`, the length outliers) reach the judgements of their responses.
CREATE FUNCTION "response_copy_signals_to_judgements"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "response_judgement" j
     SET "signals_present" = n."signals" IS NOT NULL, "signal_mixing" = n."signals" ->> 'mixing',
         "signal_hints" = "signal_hint_kinds"(n."signals"), "refusal_signal" = n."refusal_signal"
    FROM "new_responses" n
   WHERE j."response_id" = n."id"
     AND (j."signals_present" IS DISTINCT FROM (n."signals" IS NOT NULL) OR j."signal_mixing" IS DISTINCT FROM n."signals" ->> 'mixing'
          OR j."signal_hints" IS DISTINCT FROM "signal_hint_kinds"(n."signals") OR j."refusal_signal" IS DISTINCT FROM n."refusal_signal");
  RETURN NULL;
END $$;

CREATE TRIGGER "response_copy_signals_to_judgements" AFTER UPDATE ON "response"
  REFERENCING NEW TABLE AS "new_responses" FOR EACH STATEMENT EXECUTE FUNCTION "response_copy_signals_to_judgements"();

-- Judgements of the labels that exist already.
SELECT "refresh_response_judgements"(ARRAY(SELECT DISTINCT "response_id" FROM "label" WHERE "submitted_at" IS NOT NULL));
