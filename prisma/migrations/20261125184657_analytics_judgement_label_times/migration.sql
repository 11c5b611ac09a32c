-- AlterTable
ALTER TABLE "response_judgement" ADD COLUMN     "first_submitted_at" TIMESTAMP(3),
ADD COLUMN     "last_submitted_at" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "response_source_judgement" ADD COLUMN     "first_submitted_at" TIMESTAMP(3),
ADD COLUMN     "last_submitted_at" TIMESTAMP(3);

-- Hand-written: the judgement rows keep when their first and last submitted labels were submitted
-- (per response, and per response and source), so that a date filter reads the stored judgement of
-- every response whose labels all fall inside its range and aggregates only the labels of the
-- others. The two refresh functions as before (analytics_pair_filters, analytics_source_judgement),
-- with the two times.
CREATE OR REPLACE FUNCTION "refresh_response_judgements_and_pairs"(ids int[]) RETURNS void LANGUAGE plpgsql AS $$
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
         "signal_hints" = "signal_hint_kinds"(r."signals"), "refusal_signal" = r."refusal_signal",
         "first_submitted_at" = a."first_submitted_at", "last_submitted_at" = a."last_submitted_at"
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
             count(*) FILTER (WHERE l."format_violation") AS "format_violation",
             min(l."submitted_at") AS "first_submitted_at", max(l."submitted_at") AS "last_submitted_at"
        FROM "label" l
       WHERE l."response_id" = ANY(ids) AND l."submitted_at" IS NOT NULL
       GROUP BY l."response_id") a
   WHERE j."response_id" = a."response_id" AND r."id" = a."response_id";
  DELETE FROM "response_judgement" j
   WHERE j."response_id" = ANY(ids)
     AND NOT EXISTS (SELECT 1 FROM "label" l WHERE l."response_id" = j."response_id" AND l."submitted_at" IS NOT NULL);
  -- The pairs of submitted labels of these responses, after the judgement rows are locked.
  DELETE FROM "label_pair" WHERE "response_id" = ANY(ids);
  INSERT INTO "label_pair" ("response_id", "reviewer_a", "reviewer_b", "a_source", "b_source", "a_submitted_at", "b_submitted_at",
                            "study_id", "checkpoint_id", "strategy", "prompt_category", "prompt_split",
                            "a_harm_severity", "b_harm_severity", "m_harm_severity", "a_reasoning_quality", "b_reasoning_quality", "m_reasoning_quality",
                            "a_refusal", "b_refusal", "m_refusal", "a_language_mixing", "b_language_mixing", "m_language_mixing",
                            "a_reward_hacking", "b_reward_hacking", "m_reward_hacking",
                            "ms_harm_severity", "ms_reasoning_quality", "ms_refusal", "ms_language_mixing", "ms_reward_hacking")
  SELECT a."response_id", a."reviewer_id", b."reviewer_id", a."source", b."source", a."submitted_at", b."submitted_at",
         j."study_id", j."checkpoint_id", j."strategy", j."prompt_category", j."prompt_split",
         a."harm_severity", b."harm_severity", j."severity_n", a."reasoning_quality", b."reasoning_quality", j."quality_n",
         a."refusal", b."refusal", j."refusal_n", a."language_mixing", b."language_mixing", j."mixing_n",
         a."reward_hacking", b."reward_hacking", j."labels",
         s."harm_severity", s."reasoning_quality", s."refusal", s."language_mixing", s."labels"
    FROM "response_judgement" j
    JOIN "label" a ON a."response_id" = j."response_id" AND a."submitted_at" IS NOT NULL
    JOIN "label" b ON b."response_id" = j."response_id" AND b."submitted_at" IS NOT NULL AND b."reviewer_id" > a."reviewer_id"
    LEFT JOIN LATERAL (
      SELECT count(x."harm_severity") AS "harm_severity", count(x."reasoning_quality") AS "reasoning_quality", count(x."refusal") AS "refusal",
             count(x."language_mixing") AS "language_mixing", count(*) AS "labels"
        FROM "label" x
       WHERE x."response_id" = a."response_id" AND x."submitted_at" IS NOT NULL AND x."source" = a."source"
      HAVING a."source" = b."source") s ON true
   WHERE j."response_id" = ANY(ids) AND j."labels" > 1;
END $$;

CREATE OR REPLACE FUNCTION "refresh_response_source_judgements"(ids int[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "response_source_judgement" WHERE "response_id" = ANY(ids);
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

-- The times of the judgements that exist already.
UPDATE "response_judgement" j SET "first_submitted_at" = a."first", "last_submitted_at" = a."last"
  FROM (SELECT "response_id", min("submitted_at") AS "first", max("submitted_at") AS "last"
          FROM "label" WHERE "submitted_at" IS NOT NULL GROUP BY "response_id") a
 WHERE j."response_id" = a."response_id";
UPDATE "response_source_judgement" j SET "first_submitted_at" = a."first", "last_submitted_at" = a."last"
  FROM (SELECT "response_id", "source", min("submitted_at") AS "first", max("submitted_at") AS "last"
          FROM "label" WHERE "submitted_at" IS NOT NULL GROUP BY "response_id", "source") a
 WHERE j."response_id" = a."response_id" AND j."source" = a."source";
