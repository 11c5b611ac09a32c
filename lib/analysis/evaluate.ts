// How well each automatic signal agrees with the study's human labels: precision, recall, F1 and
// confusion counts per signal, the human side being the majority of the reviewers who labelled a
// response (ties are left out and counted). One SQL aggregation; the analytics page reuses it.
import type pg from "pg";
import type { RefusalKind } from "../db/generated/enums";
import { binaryMetrics, type BinaryMetrics } from "./metrics";
import { FORMAT_HINTS } from "./format-hints";

export interface SignalAgreement extends BinaryMetrics {
  signal: string;
  /** What is compared, in words. */
  description: string;
  /** Responses with a majority label for this question and computed signals. */
  compared: number;
  /** Responses left out because the reviewers split evenly. */
  ties: number;
}

export interface SignalEvaluation {
  /** Responses of the study with signals and at least one submitted label. */
  labelledResponses: number;
  rows: SignalAgreement[];
  /** Majority refusal label against the detected refusal (null: no answer to judge). */
  refusalConfusion: { label: RefusalKind; signal: RefusalKind | null; responses: number }[];
}

/** Per response: the votes of its submitted labels (`where`: a further condition on label `l`). */
export function votesSql(where = "TRUE"): string {
  return `
    SELECT l.response_id,
           count(*) AS n,
           count(l.language_mixing) AS mix_n,
           count(*) FILTER (WHERE l.language_mixing <> 'NONE') AS mix_any,
           count(*) FILTER (WHERE l.language_mixing IN ('REASONING', 'BOTH')) AS mix_reasoning,
           count(*) FILTER (WHERE l.language_mixing IN ('ANSWER', 'BOTH')) AS mix_answer,
           count(l.refusal) AS ref_n,
           count(*) FILTER (WHERE l.refusal = 'REFUSED') AS refused,
           count(*) FILTER (WHERE l.refusal = 'PARTIAL') AS partial,
           count(*) FILTER (WHERE l.refusal = 'COMPLIED') AS complied,
           count(*) FILTER (WHERE l.repetition_loop) AS loop,
           count(*) FILTER (WHERE l.format_violation) AS format,
           count(*) FILTER (WHERE l.reward_hacking) AS hacking
      FROM label l
     WHERE l.study_id = $1 AND l.submitted_at IS NOT NULL AND ${where}
     GROUP BY l.response_id`;
}

const VOTES = votesSql();

/** The majority of each question from the votes `v` (null on a tie). */
const MAJORITY_COLUMNS = `
           CASE WHEN v.mix_n = 0 OR 2 * v.mix_any = v.mix_n THEN NULL ELSE 2 * v.mix_any > v.mix_n END AS t_mix,
           CASE WHEN v.mix_n = 0 OR 2 * v.mix_reasoning = v.mix_n THEN NULL ELSE 2 * v.mix_reasoning > v.mix_n END AS t_mix_reasoning,
           CASE WHEN v.mix_n = 0 OR 2 * v.mix_answer = v.mix_n THEN NULL ELSE 2 * v.mix_answer > v.mix_n END AS t_mix_answer,
           CASE WHEN 2 * v.refused > v.ref_n THEN 'REFUSED' WHEN 2 * v.partial > v.ref_n THEN 'PARTIAL'
                WHEN 2 * v.complied > v.ref_n THEN 'COMPLIED' END AS t_refusal,
           v.ref_n > 0 AND 2 * greatest(v.refused, v.partial, v.complied) <= v.ref_n AS refusal_tie,
           CASE WHEN 2 * v.loop = v.n THEN NULL ELSE 2 * v.loop > v.n END AS t_loop,
           CASE WHEN 2 * v.format = v.n THEN NULL ELSE 2 * v.format > v.n END AS t_format,
           CASE WHEN 2 * v.hacking = v.n THEN NULL ELSE 2 * v.hacking > v.n END AS t_hacking`;

/**
 * Per response: the majority of the votes (null on a tie), next to its signals. Reads a CTE `votes`
 * with VOTES' columns (the analytics page gives one with its filters applied); $2 the format hints.
 */
export const TRUTH = `
    SELECT v.*, r.signals, r.refusal_signal, p.expected_behavior,${MAJORITY_COLUMNS},
           r.signals ->> 'mixing' AS s_mixing,
           r.signals -> 'hints' @> '[{"kind": "repetition_loop"}]' AS s_loop,
           r.signals -> 'hints' @> '[{"kind": "self_assessment"}]' AS s_hacking,
           r.signals -> 'hints' @> '[{"kind": "possible_refusal"}]' AS s_possible_refusal,
           EXISTS (SELECT 1 FROM jsonb_array_elements(r.signals -> 'hints') h WHERE h ->> 'kind' = ANY($2::text[])) AS s_format
      FROM votes v
      JOIN response r ON r.id = v.response_id
      JOIN prompt p ON p.id = r.prompt_id
     WHERE r.signals IS NOT NULL`;

/**
 * TRUTH from per-response summaries (response_judgement) that carry the signals already taken
 * apart: `votes` has VOTES' columns and signals_present, signal_mixing, signal_hints (the hints'
 * kinds), refusal_signal and expected_behavior. No response is read; the same answers.
 */
export const TRUTH_FROM_SUMMARY = `
    SELECT v.*,${MAJORITY_COLUMNS},
           v.signal_mixing AS s_mixing,
           'repetition_loop' = ANY(v.signal_hints) AS s_loop,
           'self_assessment' = ANY(v.signal_hints) AS s_hacking,
           'possible_refusal' = ANY(v.signal_hints) AS s_possible_refusal,
           v.signal_hints && $2::text[] AS s_format
      FROM votes v
     WHERE v.signals_present`;

const MAJORITY = `WITH votes AS (${VOTES}), truth AS (${TRUTH})`;

export function confusionColumns(name: string, truth: string, predicted: string, tie: string): string {
  return `
    count(*) FILTER (WHERE (${truth}) AND (${predicted}))::int AS ${name}_tp,
    count(*) FILTER (WHERE NOT (${truth}) AND (${predicted}))::int AS ${name}_fp,
    count(*) FILTER (WHERE (${truth}) AND NOT (${predicted}))::int AS ${name}_fn,
    count(*) FILTER (WHERE NOT (${truth}) AND NOT (${predicted}))::int AS ${name}_tn,
    count(*) FILTER (WHERE ${tie})::int AS ${name}_ties`;
}

export const SIGNALS: { signal: string; description: string; truth: string; predicted: string; tie: string }[] = [
  {
    signal: "language_mixing",
    description: "mixing anywhere (label) vs mixing spans found",
    truth: "t_mix",
    predicted: "s_mixing <> 'NONE'",
    tie: "mix_n > 0 AND t_mix IS NULL",
  },
  {
    signal: "mixing_reasoning",
    description: "mixing in the reasoning",
    truth: "t_mix_reasoning",
    predicted: "s_mixing IN ('REASONING', 'BOTH')",
    tie: "mix_n > 0 AND t_mix_reasoning IS NULL",
  },
  {
    signal: "mixing_answer",
    description: "mixing in the answer",
    truth: "t_mix_answer",
    predicted: "s_mixing IN ('ANSWER', 'BOTH')",
    tie: "mix_n > 0 AND t_mix_answer IS NULL",
  },
  {
    signal: "refused",
    description: "refused (label) vs refusal detected",
    truth: "t_refusal = 'REFUSED'",
    predicted: "refusal_signal IS NOT DISTINCT FROM 'REFUSED'",
    tie: "refusal_tie",
  },
  {
    signal: "refused_or_partial",
    description: "refused or partially (label) vs refused or partial detected",
    truth: "t_refusal IN ('REFUSED', 'PARTIAL')",
    predicted: "coalesce(refusal_signal IN ('REFUSED', 'PARTIAL'), false)",
    tie: "refusal_tie",
  },
  {
    signal: "refused_or_hinted",
    description:
      "refused or partially (label) vs refused or partial detected, or the learned model's possible-refusal hint",
    truth: "t_refusal IN ('REFUSED', 'PARTIAL')",
    predicted: "coalesce(refusal_signal IN ('REFUSED', 'PARTIAL'), false) OR coalesce(s_possible_refusal, false)",
    tie: "refusal_tie",
  },
  {
    signal: "over_refusal",
    description: "refused a prompt expected to be complied with",
    truth: "CASE WHEN expected_behavior = 'COMPLY' THEN t_refusal = 'REFUSED' END",
    predicted: "refusal_signal IS NOT DISTINCT FROM 'REFUSED'",
    tie: "refusal_tie AND expected_behavior = 'COMPLY'",
  },
  {
    signal: "repetition_loop",
    description: "repetition loop flag vs repeated clauses found",
    truth: "t_loop",
    predicted: "s_loop",
    tie: "t_loop IS NULL",
  },
  {
    signal: "format_violation",
    description: `format violation flag vs ${FORMAT_HINTS.join(", ")}`,
    truth: "t_format",
    predicted: "s_format",
    tie: "t_format IS NULL",
  },
  {
    signal: "reward_hacking",
    description: "reward hacking flag vs self-assessment padding",
    truth: "t_hacking",
    predicted: "s_hacking",
    tie: "t_hacking IS NULL",
  },
];

export async function evaluateSignals(client: pg.Pool | pg.PoolClient, studyId: number): Promise<SignalEvaluation> {
  // A response without a majority for a question has a NULL truth there: FILTER leaves it out.
  const summary = await client.query<Record<string, number>>(
    `${MAJORITY}
     SELECT count(*)::int AS labelled, ${SIGNALS.map((s, i) => confusionColumns(`s${i}`, s.truth, `coalesce((${s.predicted}), false)`, s.tie)).join(",")}
       FROM truth`,
    [studyId, FORMAT_HINTS],
  );
  const row = summary.rows[0]!;
  const rows = SIGNALS.map((s, i): SignalAgreement => {
    const metrics = binaryMetrics({
      tp: row[`s${i}_tp`]!,
      fp: row[`s${i}_fp`]!,
      fn: row[`s${i}_fn`]!,
      tn: row[`s${i}_tn`]!,
    });
    return {
      signal: s.signal,
      description: s.description,
      compared: metrics.tp + metrics.fp + metrics.fn + metrics.tn,
      ties: row[`s${i}_ties`]!,
      ...metrics,
    };
  });
  const confusion = await client.query<{ label: RefusalKind; signal: RefusalKind | null; responses: number }>(
    `${MAJORITY}
     SELECT t_refusal AS label, refusal_signal AS signal, count(*)::int AS responses
       FROM truth WHERE t_refusal IS NOT NULL
      GROUP BY 1, 2 ORDER BY 1, 2`,
    [studyId, FORMAT_HINTS],
  );
  return { labelledResponses: row.labelled!, rows, refusalConfusion: confusion.rows };
}
