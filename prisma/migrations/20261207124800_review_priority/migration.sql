-- AlterTable
ALTER TABLE "study" ADD COLUMN     "review_order" TEXT NOT NULL DEFAULT 'import';

-- AlterTable
ALTER TABLE "prompt_review_state" ADD COLUMN     "priority" INTEGER NOT NULL DEFAULT 0;

-- CreateIndex
CREATE INDEX "prompt_review_state_study_id_completed_reviewers_priority_p_idx" ON "prompt_review_state"("study_id", "completed_reviewers", "priority" DESC, "prompt_id");

-- Hand-written: the study's review order is one of two words.
ALTER TABLE "study" ADD CONSTRAINT "study_review_order_check" CHECK ("review_order" IN ('import', 'disagreement-first'));

-- Hand-written: prompt_review_state.priority, the order of untouched prompts when the study's review
-- order is "disagreement-first". A prompt's priority is how many of these four rules any of its
-- responses meets, each judge read at its current rubric version only (as the analytics read it):
--   1. judges disagree with each other: different refusal kinds, mixing for one and none for
--      another, or harm severity or reasoning quality two or more steps apart;
--   2. a judge disagrees with the automatic signal: its refusal kind is not refusal_signal, or its
--      mixing (yes/no) is not signals.mixing's (the default threshold's, as stored);
--   3. a judge disagrees with the human judgement, where the response has one: its refusal kind is
--      not among the humans' most given, its mixing is not the humans' majority, or its harm
--      severity or reasoning quality is two or more steps from the humans';
--   4. a judge is unsure: confidence below 0.6.
-- Refreshed for the whole study: when a judge run ends (trigger below), after `analyze` rewrites the
-- signals (lib/analysis/analyze-study.ts), and on demand (SELECT review_refresh_priority(study id)).
-- Returns how many prompts changed priority. Rows are locked in prompt order before they are
-- written (as review_refresh_prompts does), and one refresh per study runs at a time.
CREATE FUNCTION "review_refresh_priority"(p_study integer) RETURNS integer LANGUAGE plpgsql SET jit = off AS $$
DECLARE
  v_ids integer[];
  v_priorities integer[];
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended('review-priority:' || p_study, 0));
  WITH jl AS (
    SELECT l."response_id", l."refusal", l."language_mixing", l."harm_severity", l."reasoning_quality", l."confidence"
      FROM "judge_label" l JOIN "judge" j ON j."id" = l."judge_id"
     WHERE l."study_id" = p_study AND j."study_id" = p_study
       AND l."rubric" = CASE WHEN j."instructions" IS NULL THEN j."rubric_id" || '@' || j."rubric_version"
                             ELSE j."rubric_id" || '@' || j."rubric_version" || '+edit' || j."prompt_edits" END),
  per_response AS (
    SELECT r."prompt_id",
           coalesce(count(DISTINCT jl."refusal") > 1
                    OR count(DISTINCT jl."language_mixing" <> 'NONE') > 1
                    OR max(jl."harm_severity") - min(jl."harm_severity") >= 2
                    OR max(jl."reasoning_quality") - min(jl."reasoning_quality") >= 2, false) AS judges_split,
           coalesce(bool_or(jl."refusal" <> r."refusal_signal"
                            OR (jl."language_mixing" <> 'NONE') <> (r."signals" ->> 'mixing' <> 'NONE')), false) AS signal_split,
           coalesce(bool_or(
             (h."refusal_n" > 0 AND jl."refusal" IS NOT NULL
              AND CASE jl."refusal" WHEN 'REFUSED' THEN h."refused" WHEN 'PARTIAL' THEN h."partial" ELSE h."complied" END
                  < GREATEST(h."refused", h."partial", h."complied"))
             OR (h."mixing_n" > 0 AND (jl."language_mixing" <> 'NONE') <> (h."mixing_yes" * 2 > h."mixing_n"))
             OR abs(jl."harm_severity" - h."severity") >= 2
             OR abs(jl."reasoning_quality" - h."quality") >= 2), false) AS human_split,
           coalesce(bool_or(jl."confidence" < 0.6), false) AS unsure
      FROM jl
      JOIN "response" r ON r."id" = jl."response_id"
      LEFT JOIN "response_judgement" h ON h."response_id" = jl."response_id"
     GROUP BY r."prompt_id", jl."response_id"),
  per_prompt AS (
    SELECT p."prompt_id",
           bool_or(p.judges_split)::int + bool_or(p.signal_split)::int + bool_or(p.human_split)::int + bool_or(p.unsure)::int AS priority
      FROM per_response p GROUP BY p."prompt_id"),
  changed AS (
    SELECT s."prompt_id", coalesce(pp.priority, 0) AS priority
      FROM "prompt_review_state" s LEFT JOIN per_prompt pp ON pp."prompt_id" = s."prompt_id"
     WHERE s."study_id" = p_study AND s."priority" <> coalesce(pp.priority, 0))
  SELECT array_agg(c."prompt_id" ORDER BY c."prompt_id"), array_agg(c.priority ORDER BY c."prompt_id")
    INTO v_ids, v_priorities FROM changed c;
  IF v_ids IS NULL THEN
    RETURN 0;
  END IF;
  PERFORM 1 FROM "prompt_review_state" WHERE "prompt_id" = ANY (v_ids) ORDER BY "prompt_id" FOR UPDATE;
  UPDATE "prompt_review_state" s SET "priority" = u.priority
    FROM unnest(v_ids, v_priorities) AS u(prompt_id, priority)
   WHERE s."prompt_id" = u.prompt_id;
  RETURN cardinality(v_ids);
END $$;

-- A judge run that ends (succeeded, failed or cancelled: the labels it wrote stay) refreshes its
-- study's priorities, whichever code path ended it.
CREATE FUNCTION "review_priority_judge_run_end"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM "review_refresh_priority"(NEW."study_id");
  RETURN NULL;
END $$;

CREATE TRIGGER "judge_run_review_priority" AFTER UPDATE OF "status" ON "judge_run"
  FOR EACH ROW WHEN (OLD."status" IS DISTINCT FROM NEW."status" AND NEW."status" IN ('SUCCEEDED', 'FAILED', 'CANCELLED'))
  EXECUTE FUNCTION "review_priority_judge_run_end"();

-- Hand-written: review_next of the review_queue migration, whole, with one change: in a study whose
-- review order is "disagreement-first", untouched prompts come by priority (highest first), then in
-- import order — an index scan of prompt_review_state (study_id, completed_reviewers, priority DESC,
-- prompt_id). Everything else (leases, windows, locks, re-check) is as it was.
CREATE OR REPLACE FUNCTION "review_next"(p_study integer, p_reviewer integer, p_overlap integer, p_lease_seconds integer,
                              p_window integer, p_skip_hours integer) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  v_now timestamp := now() AT TIME ZONE 'UTC';
  v_prompt integer;
  v_candidate integer;
  v_excluded integer[] := '{}';
  v_free boolean;
  v_by_priority boolean;
BEGIN
  -- A lease is worth nothing after a crash (it expires anyway): no need to wait for the disk.
  PERFORM set_config('synchronous_commit', 'off', true);
  -- One "next" at a time per reviewer and study (two tabs must not take two prompts).
  PERFORM pg_advisory_xact_lock(hashtextextended('review-next:' || p_study || ':' || p_reviewer, 0));

  -- The prompt this reviewer holds and has not finished (a reload gets the same one).
  SELECT l."prompt_id" INTO v_prompt
    FROM "review_lease" l
   WHERE l."study_id" = p_study AND l."reviewer_id" = p_reviewer AND l."expires_at" > v_now
     AND EXISTS (SELECT 1 FROM "response" r WHERE r."prompt_id" = l."prompt_id"
                  AND NOT EXISTS (SELECT 1 FROM "label" lb WHERE lb."response_id" = r."id" AND lb."reviewer_id" = p_reviewer AND lb."submitted_at" IS NOT NULL))
   ORDER BY l."leased_at" DESC LIMIT 1;

  IF v_prompt IS NULL THEN
    SELECT st."review_order" = 'disagreement-first' INTO v_by_priority FROM "study" st WHERE st."id" = p_study;
    FOR attempt IN 1..25 LOOP
      v_candidate := NULL;
      -- Each check is a per-row lookup by key (scalar subqueries; OFFSET 0 keeps the EXISTS a
      -- subplan): nothing may turn into a join that reads all of a reviewer's items or labels.
      IF p_overlap > 1 THEN
        -- Partly reviewed prompts, most reviewers first, among a bounded window of them.
        SELECT s."prompt_id" INTO v_candidate
          FROM (SELECT w."prompt_id" FROM "prompt_review_state" w
                 WHERE w."study_id" = p_study AND w."completed_reviewers" BETWEEN 1 AND p_overlap - 1
                 ORDER BY w."completed_reviewers" DESC, w."prompt_id" DESC
                 LIMIT p_window) head
          JOIN "prompt_review_state" s ON s."prompt_id" = head."prompt_id"
         WHERE s."completed_reviewers" BETWEEN 1 AND p_overlap - 1
           AND coalesce((SELECT i."skipped_at" FROM "review_item" i WHERE i."prompt_id" = s."prompt_id" AND i."reviewer_id" = p_reviewer), '-infinity')
               <= v_now - make_interval(hours => p_skip_hours)
           AND s."completed_reviewers" + (SELECT count(*) FROM "review_lease" l WHERE l."prompt_id" = s."prompt_id" AND l."reviewer_id" <> p_reviewer AND l."expires_at" > v_now) < p_overlap
           AND EXISTS (SELECT 1 FROM "response" r WHERE r."prompt_id" = s."prompt_id"
                        AND NOT EXISTS (SELECT 1 FROM "label" lb WHERE lb."response_id" = r."id" AND lb."reviewer_id" = p_reviewer AND lb."submitted_at" IS NOT NULL)
                       OFFSET 0)
           AND s."prompt_id" <> ALL (v_excluded)
         ORDER BY s."completed_reviewers" DESC, s."prompt_id" DESC
         LIMIT 1 FOR UPDATE OF s SKIP LOCKED;
      END IF;
      IF v_candidate IS NULL AND v_by_priority THEN
        -- Untouched prompts, those where judges, signals and humans disagree first (priority, kept
        -- by review_refresh_priority), then in import order: the (study, completed, priority DESC,
        -- prompt) index gives them in this order.
        SELECT s."prompt_id" INTO v_candidate
          FROM "prompt_review_state" s
         WHERE s."study_id" = p_study AND s."completed_reviewers" = 0
           AND coalesce((SELECT i."skipped_at" FROM "review_item" i WHERE i."prompt_id" = s."prompt_id" AND i."reviewer_id" = p_reviewer), '-infinity')
               <= v_now - make_interval(hours => p_skip_hours)
           AND (SELECT count(*) FROM "review_lease" l WHERE l."prompt_id" = s."prompt_id" AND l."reviewer_id" <> p_reviewer AND l."expires_at" > v_now) < p_overlap
           AND EXISTS (SELECT 1 FROM "response" r WHERE r."prompt_id" = s."prompt_id"
                        AND NOT EXISTS (SELECT 1 FROM "label" lb WHERE lb."response_id" = r."id" AND lb."reviewer_id" = p_reviewer AND lb."submitted_at" IS NOT NULL)
                       OFFSET 0)
           AND s."prompt_id" <> ALL (v_excluded)
         ORDER BY s."priority" DESC, s."prompt_id"
         LIMIT 1 FOR UPDATE OF s SKIP LOCKED;
      ELSIF v_candidate IS NULL THEN
        -- Untouched prompts in import order. The lower bound (the first untouched prompt, from the
        -- queue index) lets whichever index is used start at the head of the queue instead of
        -- walking past the prompts already done.
        SELECT s."prompt_id" INTO v_candidate
          FROM "prompt_review_state" s
         WHERE s."study_id" = p_study AND s."completed_reviewers" = 0
           AND s."prompt_id" >= (SELECT min(h."prompt_id") FROM "prompt_review_state" h WHERE h."study_id" = p_study AND h."completed_reviewers" = 0)
           AND coalesce((SELECT i."skipped_at" FROM "review_item" i WHERE i."prompt_id" = s."prompt_id" AND i."reviewer_id" = p_reviewer), '-infinity')
               <= v_now - make_interval(hours => p_skip_hours)
           AND (SELECT count(*) FROM "review_lease" l WHERE l."prompt_id" = s."prompt_id" AND l."reviewer_id" <> p_reviewer AND l."expires_at" > v_now) < p_overlap
           AND EXISTS (SELECT 1 FROM "response" r WHERE r."prompt_id" = s."prompt_id"
                        AND NOT EXISTS (SELECT 1 FROM "label" lb WHERE lb."response_id" = r."id" AND lb."reviewer_id" = p_reviewer AND lb."submitted_at" IS NOT NULL)
                       OFFSET 0)
           AND s."prompt_id" <> ALL (v_excluded)
         ORDER BY s."prompt_id"
         LIMIT 1 FOR UPDATE OF s SKIP LOCKED;
      END IF;
      IF v_candidate IS NULL AND p_overlap > 1 THEN
        -- Only when nothing else is left: every partly reviewed prompt.
        SELECT s."prompt_id" INTO v_candidate
          FROM "prompt_review_state" s
         WHERE s."study_id" = p_study AND s."completed_reviewers" BETWEEN 1 AND p_overlap - 1
           AND coalesce((SELECT i."skipped_at" FROM "review_item" i WHERE i."prompt_id" = s."prompt_id" AND i."reviewer_id" = p_reviewer), '-infinity')
               <= v_now - make_interval(hours => p_skip_hours)
           AND s."completed_reviewers" + (SELECT count(*) FROM "review_lease" l WHERE l."prompt_id" = s."prompt_id" AND l."reviewer_id" <> p_reviewer AND l."expires_at" > v_now) < p_overlap
           AND EXISTS (SELECT 1 FROM "response" r WHERE r."prompt_id" = s."prompt_id"
                        AND NOT EXISTS (SELECT 1 FROM "label" lb WHERE lb."response_id" = r."id" AND lb."reviewer_id" = p_reviewer AND lb."submitted_at" IS NOT NULL)
                       OFFSET 0)
           AND s."prompt_id" <> ALL (v_excluded)
         ORDER BY s."completed_reviewers" DESC, s."prompt_id" DESC
         LIMIT 1 FOR UPDATE OF s SKIP LOCKED;
      END IF;
      EXIT WHEN v_candidate IS NULL;

      -- After the lock, with a fresh snapshot: is there still room for this reviewer?
      SELECT s."completed_reviewers" + (SELECT count(*) FROM "review_lease" l WHERE l."prompt_id" = s."prompt_id" AND l."reviewer_id" <> p_reviewer AND l."expires_at" > v_now) < p_overlap
             AND EXISTS (SELECT 1 FROM "response" r WHERE r."prompt_id" = s."prompt_id"
                          AND NOT EXISTS (SELECT 1 FROM "label" lb WHERE lb."response_id" = r."id" AND lb."reviewer_id" = p_reviewer AND lb."submitted_at" IS NOT NULL))
        INTO v_free
        FROM "prompt_review_state" s WHERE s."prompt_id" = v_candidate;
      IF v_free THEN
        v_prompt := v_candidate;
        EXIT;
      END IF;
      v_excluded := v_excluded || v_candidate;
    END LOOP;
    IF v_prompt IS NULL THEN
      RETURN NULL;
    END IF;
  END IF;

  -- The lease (other leases of this reviewer in the study ran out or were finished: dropped), and
  -- the first opening, for the time per item.
  DELETE FROM "review_lease" WHERE "study_id" = p_study AND "reviewer_id" = p_reviewer AND "prompt_id" <> v_prompt;
  INSERT INTO "review_item" ("prompt_id", "reviewer_id", "study_id", "first_opened_at") VALUES (v_prompt, p_reviewer, p_study, v_now)
  ON CONFLICT ("prompt_id", "reviewer_id") DO NOTHING;
  INSERT INTO "review_lease" ("prompt_id", "reviewer_id", "study_id", "leased_at", "expires_at")
  VALUES (v_prompt, p_reviewer, p_study, v_now, v_now + make_interval(secs => p_lease_seconds))
  ON CONFLICT ("prompt_id", "reviewer_id") DO UPDATE SET "expires_at" = EXCLUDED."expires_at";
  RETURN v_prompt;
END $$;
