-- AlterTable
ALTER TABLE "study" ADD COLUMN     "review_salt" UUID NOT NULL DEFAULT gen_random_uuid();

-- CreateTable
CREATE TABLE "prompt_review_state" (
    "prompt_id" INTEGER NOT NULL,
    "study_id" INTEGER NOT NULL,
    "completed_reviewers" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "prompt_review_state_pkey" PRIMARY KEY ("prompt_id")
);

-- CreateTable
CREATE TABLE "review_lease" (
    "prompt_id" INTEGER NOT NULL,
    "reviewer_id" INTEGER NOT NULL,
    "study_id" INTEGER NOT NULL,
    "leased_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "review_lease_pkey" PRIMARY KEY ("prompt_id","reviewer_id")
);

-- CreateTable
CREATE TABLE "review_draft" (
    "reviewer_id" INTEGER NOT NULL,
    "prompt_id" INTEGER NOT NULL,
    "study_id" INTEGER NOT NULL,
    "payload" JSONB NOT NULL,
    "saved_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "review_draft_pkey" PRIMARY KEY ("reviewer_id","prompt_id")
);

-- CreateTable
CREATE TABLE "review_item" (
    "prompt_id" INTEGER NOT NULL,
    "reviewer_id" INTEGER NOT NULL,
    "study_id" INTEGER NOT NULL,
    "first_opened_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "skipped_at" TIMESTAMP(3),
    "submitted_at" TIMESTAMP(3),
    "last_submitted_at" TIMESTAMP(3),
    "elapsed_ms" INTEGER,

    CONSTRAINT "review_item_pkey" PRIMARY KEY ("prompt_id","reviewer_id")
);

-- CreateIndex
CREATE INDEX "prompt_review_state_study_id_completed_reviewers_prompt_id_idx" ON "prompt_review_state"("study_id", "completed_reviewers", "prompt_id");

-- CreateIndex
CREATE INDEX "review_lease_study_id_reviewer_id_expires_at_idx" ON "review_lease"("study_id", "reviewer_id", "expires_at");

-- CreateIndex
CREATE INDEX "review_item_study_id_reviewer_id_idx" ON "review_item"("study_id", "reviewer_id");

-- AddForeignKey
ALTER TABLE "prompt_review_state" ADD CONSTRAINT "prompt_review_state_prompt_id_fkey" FOREIGN KEY ("prompt_id") REFERENCES "prompt"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "review_lease" ADD CONSTRAINT "review_lease_prompt_id_fkey" FOREIGN KEY ("prompt_id") REFERENCES "prompt"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "review_lease" ADD CONSTRAINT "review_lease_reviewer_id_fkey" FOREIGN KEY ("reviewer_id") REFERENCES "user"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "review_draft" ADD CONSTRAINT "review_draft_prompt_id_fkey" FOREIGN KEY ("prompt_id") REFERENCES "prompt"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "review_draft" ADD CONSTRAINT "review_draft_reviewer_id_fkey" FOREIGN KEY ("reviewer_id") REFERENCES "user"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "review_item" ADD CONSTRAINT "review_item_prompt_id_fkey" FOREIGN KEY ("prompt_id") REFERENCES "prompt"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "review_item" ADD CONSTRAINT "review_item_reviewer_id_fkey" FOREIGN KEY ("reviewer_id") REFERENCES "user"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Hand-written: prompt_review_state.completed_reviewers — how many reviewers have a submitted label
-- on every response of the prompt (workspace and imported labels alike) — kept by statement-level
-- triggers on prompt, response and label, so that no writer (review, import, admin SQL) has to know.
-- The rows of a prompt are locked first and the count taken by a later statement, which in READ
-- COMMITTED sees every transaction that held the lock before: two reviewers submitting the same
-- prompt at once both count.
CREATE FUNCTION "review_refresh_prompts"(prompt_ids integer[]) RETURNS void LANGUAGE plpgsql SET jit = off AS $$
BEGIN
  IF prompt_ids IS NULL OR cardinality(prompt_ids) = 0 THEN
    RETURN;
  END IF;
  PERFORM 1 FROM "prompt_review_state" WHERE "prompt_id" = ANY (prompt_ids) ORDER BY "prompt_id" FOR UPDATE;
  -- Labels are reached response by response through their (response_id, reviewer_id) key (the
  -- OFFSET 0 keeps that lookup per response): inside a large import the table's statistics are
  -- stale, and a plan that scans all labels once per prompt would be quadratic.
  WITH fresh AS MATERIALIZED (
    SELECT s."prompt_id", s."completed_reviewers" AS old,
           (SELECT count(*)::int FROM (
              SELECT l."reviewer_id"
                FROM "response" r
                CROSS JOIN LATERAL (SELECT l."reviewer_id" FROM "label" l
                                     WHERE l."response_id" = r."id" AND l."submitted_at" IS NOT NULL OFFSET 0) l
               WHERE r."prompt_id" = s."prompt_id"
               GROUP BY l."reviewer_id"
              HAVING count(*) = (SELECT count(*) FROM "response" r2 WHERE r2."prompt_id" = s."prompt_id")) done) AS n
      FROM "prompt_review_state" s
     WHERE s."prompt_id" = ANY (prompt_ids))
  UPDATE "prompt_review_state" s
     SET "completed_reviewers" = fresh.n
    FROM fresh
   WHERE s."prompt_id" = fresh."prompt_id" AND fresh.n <> fresh.old;
END $$;

CREATE FUNCTION "review_state_prompt_insert"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "prompt_review_state" ("prompt_id", "study_id")
  SELECT n."id", n."study_id" FROM new_rows n
  ON CONFLICT ("prompt_id") DO NOTHING;
  RETURN NULL;
END $$;

CREATE TRIGGER "prompt_review_state_insert" AFTER INSERT ON "prompt"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "review_state_prompt_insert"();

-- A new response (a checkpoint added later) makes its prompt incomplete again for every reviewer
-- who had finished it; only prompts with a completion need a recount.
CREATE FUNCTION "review_state_response_insert"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM "review_refresh_prompts"(ARRAY(
    SELECT s."prompt_id" FROM (SELECT DISTINCT n."prompt_id" FROM new_rows n) n
      JOIN "prompt_review_state" s ON s."prompt_id" = n."prompt_id"
     WHERE s."completed_reviewers" > 0));
  RETURN NULL;
END $$;

CREATE TRIGGER "response_review_state_insert" AFTER INSERT ON "response"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "review_state_response_insert"();

CREATE FUNCTION "review_state_response_delete"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM "review_refresh_prompts"(ARRAY(SELECT DISTINCT o."prompt_id" FROM old_rows o));
  RETURN NULL;
END $$;

CREATE TRIGGER "response_review_state_delete" AFTER DELETE ON "response"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "review_state_response_delete"();

CREATE FUNCTION "review_state_label_insert"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM "review_refresh_prompts"(ARRAY(
    SELECT DISTINCT r."prompt_id" FROM "response" r
     WHERE r."id" = ANY (ARRAY(SELECT n."response_id" FROM new_rows n WHERE n."submitted_at" IS NOT NULL))));
  RETURN NULL;
END $$;

CREATE TRIGGER "label_review_state_insert" AFTER INSERT ON "label"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "review_state_label_insert"();

-- Editing a label's fields changes no count: only a label that becomes (or stops being) submitted,
-- or moves to another response, does. (The label triggers reach responses by key through an array,
-- so that no plan can read the whole response table for a submission of three labels.)
CREATE FUNCTION "review_state_label_update"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM "review_refresh_prompts"(ARRAY(
    SELECT DISTINCT r."prompt_id" FROM "response" r
     WHERE r."id" = ANY (ARRAY(
             SELECT unnest(ARRAY[o."response_id", n."response_id"])
               FROM old_rows o JOIN new_rows n ON n."id" = o."id"
              WHERE (o."submitted_at" IS NULL) <> (n."submitted_at" IS NULL) OR o."response_id" <> n."response_id"))));
  RETURN NULL;
END $$;

CREATE TRIGGER "label_review_state_update" AFTER UPDATE ON "label"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "review_state_label_update"();

CREATE FUNCTION "review_state_label_delete"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM "review_refresh_prompts"(ARRAY(
    SELECT DISTINCT r."prompt_id" FROM "response" r
     WHERE r."id" = ANY (ARRAY(SELECT o."response_id" FROM old_rows o WHERE o."submitted_at" IS NOT NULL))));
  RETURN NULL;
END $$;

CREATE TRIGGER "label_review_state_delete" AFTER DELETE ON "label"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "review_state_label_delete"();

-- The state of the prompts already there.
INSERT INTO "prompt_review_state" ("prompt_id", "study_id") SELECT "id", "study_id" FROM "prompt";
SELECT "review_refresh_prompts"(ARRAY(
  SELECT DISTINCT r."prompt_id" FROM "label" l JOIN "response" r ON r."id" = l."response_id" WHERE l."submitted_at" IS NOT NULL));

-- Hand-written: "next" in one round trip (lib/review/queue.ts explains the rules). Leases a prompt
-- of the study to the reviewer and returns its id, or the prompt they already hold, or NULL when
-- nothing is left for them. Each statement below takes a fresh snapshot (READ COMMITTED, volatile
-- function), so the re-check after the row lock sees every lease committed by whoever held the
-- lock before: two reviewers never both take the last free place.
CREATE FUNCTION "review_next"(p_study integer, p_reviewer integer, p_overlap integer, p_lease_seconds integer,
                              p_window integer, p_skip_hours integer) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  v_now timestamp := now() AT TIME ZONE 'UTC';
  v_prompt integer;
  v_candidate integer;
  v_excluded integer[] := '{}';
  v_free boolean;
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
      IF v_candidate IS NULL THEN
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

-- Hand-written: aborts the statement that calls it (SQLSTATE RV409). A submission inserts its
-- labels with ON CONFLICT DO NOTHING and calls this when fewer rows went in than it sent — a label
-- written meanwhile by another tab or an import — so that nothing of the submission stays.
CREATE FUNCTION "review_label_written_meanwhile"() RETURNS integer LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  RAISE EXCEPTION 'A label of this submission was written meanwhile.' USING ERRCODE = 'RV409';
END $$;
