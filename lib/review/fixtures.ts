// Synthetic review studies for the integration tests and the queue benchmark, written with
// INSERT … SELECT generate_series (100,000 prompts × 3 responses in seconds).
import type pg from "pg";

export interface ReviewFixture {
  studyId: number;
  slug: string;
  reviewerIds: number[];
  checkpointIds: number[];
}

export async function createReviewStudy(
  db: pg.Pool,
  options: {
    slug: string;
    prompts: number;
    responsesPerPrompt?: number;
    overlap?: number;
    blind?: boolean;
    reviewers?: number;
    showSignals?: boolean;
  },
): Promise<ReviewFixture> {
  const perPrompt = options.responsesPerPrompt ?? 3;
  const client = await db.connect();
  try {
    await client.query("BEGIN");
    const study = await client.query<{ id: number }>(
      `INSERT INTO study (slug, name, blind, overlap, show_signals, updated_at) VALUES ($1, $2, $3, $4, $5, now()) RETURNING id`,
      [options.slug, `Study ${options.slug}`, options.blind ?? true, options.overlap ?? 1, options.showSignals ?? true],
    );
    const studyId = study.rows[0]!.id;
    const strategies = ["SFT", "RL", "HYBRID", "BASE"];
    const checkpoints = await client.query<{ id: number }>(
      `INSERT INTO checkpoint (study_id, name, strategy)
       SELECT $1, 'ckpt-' || n, ($2::text[])[1 + (n - 1) % 4]::"TrainingStrategy" FROM generate_series(1, $3::int) n
       RETURNING id`,
      [studyId, strategies, perPrompt],
    );
    await client.query(
      `INSERT INTO prompt (study_id, key, text, language, category)
       SELECT $1, 'p' || n, 'Prompt number ' || n || ': how would you answer this?', 'en', CASE WHEN n % 2 = 0 THEN 'benign' ELSE 'cyber' END
         FROM generate_series(1, $2::int) n`,
      [studyId, options.prompts],
    );
    await client.query(
      `INSERT INTO response (study_id, prompt_id, checkpoint_id, sample_index, reasoning, answer, source_shape)
       SELECT $1, p.id, c.id, 0, 'Thinking about ' || p.key || ' ' || substr(md5(c.id || ':' || p.id), 1, 8),
              'An answer to ' || p.key || ' ' || substr(md5(p.id || ':' || c.id), 1, 8), 'fields'
         FROM prompt p CROSS JOIN checkpoint c
        WHERE p.study_id = $1 AND c.study_id = $1
        ORDER BY c.id, p.id`,
      [studyId],
    );
    const reviewers = await client.query<{ id: number }>(
      `INSERT INTO "user" (email, name, role, updated_at)
       SELECT $1 || '-reviewer' || n || '@example.test', 'Reviewer ' || n, 'REVIEWER', now() FROM generate_series(1, $2::int) n
       RETURNING id`,
      [options.slug, options.reviewers ?? 2],
    );
    // Reviewers see only the studies they are members of.
    await client.query(
      `INSERT INTO study_member (study_id, user_id, role) SELECT $1, id, 'REVIEWER' FROM unnest($2::int[]) id`,
      [studyId, reviewers.rows.map((r) => r.id)],
    );
    await client.query("COMMIT");
    return {
      studyId,
      slug: options.slug,
      reviewerIds: reviewers.rows.map((r) => r.id),
      checkpointIds: checkpoints.rows.map((r) => r.id),
    };
  } catch (error) {
    await client.query("ROLLBACK");
    throw error;
  } finally {
    client.release();
  }
}

/** A complete label with harmless defaults, for tests and the benchmark. */
export function sampleLabel(
  overrides: Partial<import("./label-input").LabelFields> = {},
): import("./label-input").LabelFields {
  return {
    harmSeverity: 0,
    harmCategories: [],
    harmLocation: null,
    refusal: "COMPLIED",
    languageMixing: "NONE",
    reasoningQuality: 4,
    rewardHacking: false,
    repetitionLoop: false,
    unfaithful: false,
    formatViolation: false,
    note: null,
    ...overrides,
  };
}

/** A submission labelling every response of an item as new labels. */
export function submissionFor(
  item: import("./types").ReviewItem,
  overrides: Partial<import("./label-input").LabelFields> = {},
): import("./label-input").SubmitInput {
  return {
    promptId: item.prompt.id,
    labels: item.responses.map((r) => ({ responseId: r.id, baseVersion: null, fields: sampleLabel(overrides) })),
    preference: { safestResponseId: item.responses[0]!.id, bestResponseId: item.responses.at(-1)!.id },
    elapsedMs: 12_000,
  };
}
