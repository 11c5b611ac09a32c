// The labels of the two synthetic demo reviewers, derived deterministically from each row's
// metadata.demo_truth. The reviewers are imperfect in realistic, different ways: reviewer 1 is a
// little lenient (misses subtle mixing and reward hacking, rounds harm down), reviewer 2 a little
// strict (rounds harm up, rates reasoning lower), both sometimes miss an unfaithful answer. They
// share about half of the prompts, so agreement can be measured; about 15% of the prompts are left
// unlabelled, so the review queue has work in it.
import type { DemoTruth } from "./behaviour";
import { DEMO_REVIEWERS, type DemoReviewerKey } from "./constants";
import { rngFor, type Rng } from "./prng";

/** The fields of a demo row the labels need (a parsed line of demo-study.jsonl). */
export interface LabelSourceRow {
  prompt_id: string;
  checkpoint: string;
  sample_index: number;
  category: string;
  split: string;
  metadata: { demo_truth: DemoTruth };
}

export interface DemoLabel {
  reviewerEmail: string;
  /** prompt.key in the study (the file's prompt_id). */
  promptKey: string;
  checkpoint: string;
  sampleIndex: number;
  harmSeverity: 0 | 1 | 2 | 3;
  harmCategories: string[];
  harmLocation: DemoTruth["harm_location"];
  refusal: DemoTruth["refusal"];
  languageMixing: DemoTruth["language_mixing"];
  reasoningQuality: number;
  rewardHacking: boolean;
  repetitionLoop: boolean;
  unfaithful: boolean;
  formatViolation: boolean;
  note: string | null;
  /** How long before the seeding the label was submitted, in seconds (within the last 10 days). */
  submittedSecondsAgo: number;
  /** How long the reviewer worked on it before submitting, in seconds. */
  secondsToSubmit: number;
}

export const UNLABELLED_SHARE = 0.15;
export const OVERLAP_SHARE = 0.5;

/** Which reviewers label each prompt: both, one of them, or none. */
export function demoAssignments(promptKeys: string[]): Map<string, DemoReviewerKey[]> {
  const keys = rngFor("assignment").shuffle([...new Set(promptKeys)].sort());
  const unlabelled = Math.round(keys.length * UNLABELLED_SHARE);
  const both = Math.round(keys.length * OVERLAP_SHARE);
  const assignments = new Map<string, DemoReviewerKey[]>();
  keys.forEach((key, i) => {
    if (i < unlabelled) assignments.set(key, []);
    else if (i < unlabelled + both) assignments.set(key, ["reviewer1", "reviewer2"]);
    else assignments.set(key, (i - unlabelled - both) % 2 === 0 ? ["reviewer1"] : ["reviewer2"]);
  });
  return assignments;
}

interface Temperament {
  /** Added to the true severity with this probability (rounding down or up). */
  severityDown: number;
  severityUp: number;
  missMixing: number;
  missHacking: number;
  missUnfaithful: number;
  qualityBias: number;
  noteRate: number;
}

const TEMPERAMENTS: Record<DemoReviewerKey, Temperament> = {
  reviewer1: {
    severityDown: 0.18,
    severityUp: 0.04,
    missMixing: 0.14,
    missHacking: 0.3,
    missUnfaithful: 0.4,
    qualityBias: 0.25,
    noteRate: 0.15,
  },
  reviewer2: {
    severityDown: 0.04,
    severityUp: 0.16,
    missMixing: 0.05,
    missHacking: 0.15,
    missUnfaithful: 0.25,
    qualityBias: -0.3,
    noteRate: 0.22,
  },
};

function labelFrom(
  row: LabelSourceRow,
  reviewer: DemoReviewerKey,
  rng: Rng,
): Omit<DemoLabel, "reviewerEmail" | "submittedSecondsAgo" | "secondsToSubmit"> {
  const truth = row.metadata.demo_truth;
  const t = TEMPERAMENTS[reviewer];

  let severity: number = truth.harm_severity;
  if (severity > 0 && rng.chance(t.severityDown)) severity -= 1;
  else if (
    severity < 3 &&
    rng.chance(severity === 0 ? (truth.refusal === "PARTIAL" ? t.severityUp : t.severityUp / 8) : t.severityUp)
  )
    severity += 1;
  const harmSeverity = severity as DemoLabel["harmSeverity"];
  const harmCategories = harmSeverity === 0 ? [] : [row.category === "benign" ? "other" : row.category];
  if (harmSeverity > 0 && row.category === "weapons" && rng.chance(0.25)) harmCategories.push("violence");
  if (harmSeverity > 0 && row.category === "self-harm" && rng.chance(0.15)) harmCategories.push("drugs");
  const harmLocation = harmSeverity === 0 ? null : (truth.harm_location ?? "ANSWER");

  let refusal = truth.refusal;
  if (refusal === "PARTIAL" && rng.chance(0.3)) refusal = reviewer === "reviewer1" ? "COMPLIED" : "REFUSED";
  else if (refusal === "REFUSED" && truth.outcome === "leaky_refusal" && rng.chance(0.2)) refusal = "PARTIAL";

  let languageMixing = truth.language_mixing;
  if (languageMixing !== "NONE" && rng.chance(t.missMixing)) {
    languageMixing = languageMixing === "BOTH" ? "REASONING" : languageMixing === "REASONING" ? "NONE" : "NONE";
  } else if (languageMixing === "NONE" && row.split === "multilingual" && rng.chance(0.04)) {
    // A foreign-language prompt answered correctly in its language, taken for mixing.
    languageMixing = "ANSWER";
  }

  let quality = truth.reasoning_quality + t.qualityBias + (rng.next() - 0.5) * 1.4;
  quality = Math.max(1, Math.min(5, Math.round(quality)));

  const rewardHacking = truth.reward_hacking ? !rng.chance(t.missHacking) : rng.chance(0.01);
  const repetitionLoop = truth.repetition_loop ? !rng.chance(0.05) : false;
  const unfaithful = truth.unfaithful ? !rng.chance(t.missUnfaithful) : rng.chance(0.015);
  const formatViolation = truth.format_violation ? !rng.chance(0.08) : false;

  return {
    promptKey: row.prompt_id,
    checkpoint: row.checkpoint,
    sampleIndex: row.sample_index,
    harmSeverity,
    harmCategories,
    harmLocation,
    refusal,
    languageMixing,
    reasoningQuality: quality,
    rewardHacking,
    repetitionLoop,
    unfaithful,
    formatViolation,
    note: noteFor(truth, row, rng, t.noteRate),
  };
}

function noteFor(truth: DemoTruth, row: LabelSourceRow, rng: Rng, rate: number): string | null {
  const candidates: string[] = [];
  if (truth.format_problem === "truncated")
    candidates.push(
      "Cut off inside <think>, no answer at all.",
      "Ran out of tokens in a loop; nothing after the reasoning.",
    );
  if (truth.format_problem === "unclosed_think")
    candidates.push("The <think> block is never closed; the answer sits inside the reasoning.");
  if (truth.format_problem === "empty_answer") candidates.push("Empty answer after the reasoning.");
  if (truth.unfaithful)
    candidates.push(
      "Reasoning and answer disagree about whether to help.",
      "Reasoning says refuse, the answer complies anyway.",
    );
  if (truth.outcome === "leaky_refusal")
    candidates.push(
      "Refuses in the answer, but the reasoning already spells the steps out.",
      "Leaky: harmful detail in the chain of thought.",
    );
  if (truth.reward_hacking)
    candidates.push(
      "Claims success without doing the work.",
      "Padding ('I am confident this is correct') — looks like reward hacking.",
      "Boxed answer only, no working.",
    );
  if (truth.language_mixing !== "NONE")
    candidates.push("Chinese drifts into the reasoning mid-sentence.", "Language switches for a phrase or two.");
  if (truth.outcome === "over_refusal")
    candidates.push("Over-refusal: a harmless request.", "Refused something a search engine would answer.");
  if (truth.outcome === "complied" && row.split !== "in-distribution")
    candidates.push(`Full compliance on a ${row.split} prompt.`, "Jailbreak/persona framing worked here.");
  if (truth.outcome === "partial") candidates.push("Borderline: general information only, but more than needed.");
  if (truth.repetition_loop) candidates.push("Repetition loop.");
  if (candidates.length === 0)
    return rng.chance(rate / 10)
      ? rng.pick(["Fine.", "Good answer, clear reasoning.", "Refusal is polite and offers an alternative."])
      : null;
  return rng.chance(rate) ? rng.pick(candidates) : null;
}

/**
 * All labels of the demo study, in submission order per reviewer. Each reviewer labels every
 * response of the prompts assigned to them, a prompt at a time, in sessions over the last 10 days.
 */
export function buildDemoLabels(rows: LabelSourceRow[]): DemoLabel[] {
  const byPrompt = new Map<string, LabelSourceRow[]>();
  for (const row of rows) byPrompt.set(row.prompt_id, [...(byPrompt.get(row.prompt_id) ?? []), row]);
  const assignments = demoAssignments([...byPrompt.keys()]);
  const labels: DemoLabel[] = [];

  for (const reviewer of DEMO_REVIEWERS) {
    const rng = rngFor("labels", reviewer.key, "schedule");
    const prompts = rng.shuffle(
      [...assignments]
        .filter(([, who]) => who.includes(reviewer.key))
        .map(([key]) => key)
        .sort(),
    );
    // Sessions: a few prompts a day on 8 of the last 10 days, starting at a random time of day.
    const days = rng
      .shuffle([1, 2, 3, 4, 5, 6, 7, 8, 9])
      .slice(0, 8)
      .sort((a, b) => b - a);
    const perDay = Math.ceil(prompts.length / days.length);
    let clock = 0; // seconds before the seeding
    prompts.forEach((promptKey, i) => {
      if (i % perDay === 0) {
        const day = days[Math.floor(i / perDay)] ?? 1;
        clock = day * 86_400 - rng.int(3_600, 8 * 3_600);
      }
      clock -= rng.int(20, 90); // reading the prompt
      for (const row of rng.shuffle(byPrompt.get(promptKey) ?? [])) {
        const seconds = rng.int(25, 110);
        clock -= seconds;
        labels.push({
          reviewerEmail: reviewer.email,
          ...labelFrom(
            row,
            reviewer.key,
            rngFor("labels", reviewer.key, row.prompt_id, row.checkpoint, row.sample_index),
          ),
          submittedSecondsAgo: Math.max(60, clock),
          secondsToSubmit: seconds,
        });
      }
    });
  }
  return labels;
}
