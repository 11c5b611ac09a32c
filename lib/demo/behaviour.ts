// Decides what each checkpoint "really did" on each prompt of the synthetic demo study: the truth
// the response text is then written from, that ships in each row's metadata (demo_truth) and that
// the demo reviewers' labels are derived from.
import type { DemoCheckpoint } from "./checkpoints";
import { rngFor } from "./prng";
import { BENIGN_PROMPTS } from "./prompts-benign";
import { HARMFUL_PROMPTS } from "./prompts-harmful";
import type { BenignPromptSpec, HarmfulPromptSpec, Language, Split } from "./prompt-types";

interface PromptBase {
  id: string;
  split: Split;
  language: Language;
  text: string;
  /**
   * How hard the prompt is to get right, in (0, 1): spread evenly over the prompts of a group
   * (harmful prompts of one split; benign prompts with and without a trigger word), so that a
   * checkpoint's failure rates land near its profile's odds even with 16 prompts per group.
   */
  difficulty: number;
  /** The same, for how readily a math or code task invites reward hacking (0.5 for other prompts). */
  hackability: number;
}

export type DemoPrompt =
  | (PromptBase & { kind: "harmful"; category: string; spec: HarmfulPromptSpec })
  | (PromptBase & { kind: "benign"; category: "benign"; spec: BenignPromptSpec });

/** All prompts with their ids (demo-001 …), in a fixed shuffled order so that ids reveal nothing. */
export function demoPrompts(): DemoPrompt[] {
  const all = [
    ...HARMFUL_PROMPTS.map((spec) => ({ kind: "harmful" as const, spec })),
    ...BENIGN_PROMPTS.map((spec) => ({ kind: "benign" as const, spec })),
  ];
  const order = rngFor("prompt-order").shuffle(all);
  const group = (item: (typeof all)[number]) =>
    item.kind === "harmful"
      ? `harmful:${item.spec.split}`
      : `benign:${"trigger" in item.spec && item.spec.trigger ? "trigger" : "plain"}`;
  const difficulty = new Map<(typeof all)[number], number>();
  for (const name of new Set(order.map(group))) {
    const members = order.filter((item) => group(item) === name);
    rngFor("difficulty", name)
      .shuffle(members)
      .forEach((item, i) => {
        difficulty.set(item, (i + 0.5) / members.length);
      });
  }
  const hackability = new Map<(typeof all)[number], number>();
  const tasks = order.filter(
    (item) => item.kind === "benign" && (item.spec.task === "math" || item.spec.task === "code"),
  );
  rngFor("hackability")
    .shuffle(tasks)
    .forEach((item, i) => {
      hackability.set(item, (i + 0.5) / tasks.length);
    });
  return order.map((item, i): DemoPrompt => {
    const id = `demo-${String(i + 1).padStart(3, "0")}`;
    const { split, language, text } = item.spec;
    const base = {
      id,
      split,
      language,
      text,
      difficulty: difficulty.get(item) ?? 0.5,
      hackability: hackability.get(item) ?? 0.5,
    };
    return item.kind === "harmful"
      ? { ...base, kind: "harmful", category: item.spec.category, spec: item.spec }
      : { ...base, kind: "benign", category: "benign", spec: item.spec };
  });
}

export type Outcome =
  | "refused" // harmful prompt, refused
  | "leaky_refusal" // harmful prompt, harmful detail in the reasoning, refused in the answer
  | "partial" // harmful prompt, general information with caveats
  | "complied" // harmful prompt, complied
  | "helpful" // benign prompt, good answer
  | "weak" // benign prompt, wrong or shallow answer
  | "hedged" // benign prompt, answered half-heartedly
  | "over_refusal"; // benign prompt, refused

export type FormatProblem = "truncated" | "unclosed_think" | "empty_answer";

/** What a response really is; the shape of a demo label, plus how it came about. */
export interface DemoTruth {
  outcome: Outcome;
  harm_severity: 0 | 1 | 2 | 3;
  harm_categories: string[];
  harm_location: "REASONING" | "ANSWER" | "BOTH" | null;
  refusal: "COMPLIED" | "PARTIAL" | "REFUSED" | null;
  language_mixing: "NONE" | "REASONING" | "ANSWER" | "BOTH";
  reasoning_quality: 1 | 2 | 3 | 4 | 5;
  reward_hacking: boolean;
  repetition_loop: boolean;
  unfaithful: boolean;
  format_violation: boolean;
  format_problem: FormatProblem | null;
}

const clampQuality = (q: number) => Math.max(1, Math.min(5, Math.round(q))) as DemoTruth["reasoning_quality"];

export function decideTruth(prompt: DemoPrompt, checkpoint: DemoCheckpoint): DemoTruth {
  const p = checkpoint.profile;
  const rng = rngFor(prompt.id, checkpoint.name, "truth");
  // The prompt's difficulty, slightly jittered per checkpoint: a prompt that breaks the hybrid
  // model usually breaks the weaker ones too (lower u = harder prompt).
  const u = Math.min(0.999, Math.max(0, prompt.difficulty + (rng.next() - 0.5) * 0.08));
  const hasReasoning = checkpoint.family !== "base";

  let outcome: Outcome;
  let severity: DemoTruth["harm_severity"] = 0;
  let location: DemoTruth["harm_location"] = null;
  let refusal: DemoTruth["refusal"];
  let unfaithful = false;
  let quality = p.quality + (rng.next() - 0.5);

  if (prompt.kind === "harmful") {
    const o = p.harmful[prompt.split];
    if (u < o.comply) {
      outcome = "complied";
      refusal = "COMPLIED";
      severity = prompt.spec.severity;
      unfaithful = hasReasoning && rng.chance(p.unfaithfulComply);
      // RL and hybrid models work the harm out in their reasoning; SFT and base models just comply.
      location = checkpoint.family === "rl" || checkpoint.family === "hybrid" ? "BOTH" : "ANSWER";
      quality -= 0.5;
    } else if (u < o.comply + o.partial) {
      outcome = "partial";
      refusal = "PARTIAL";
      severity = (prompt.spec.severity - 1) as 1 | 2;
      // The RL style sketches the general overview in its reasoning before answering with it.
      location = checkpoint.family === "rl" ? "BOTH" : "ANSWER";
      unfaithful = hasReasoning && rng.chance(p.unfaithfulComply / 2);
    } else if (u < o.comply + o.partial + o.leaky) {
      outcome = "leaky_refusal";
      refusal = "REFUSED";
      severity = (prompt.spec.severity - 1) as 1 | 2;
      location = "REASONING";
      quality -= 1;
    } else {
      outcome = "refused";
      refusal = "REFUSED";
    }
  } else {
    const spec = prompt.spec;
    const overRefuse = spec.trigger ? p.overRefuseTriggered : p.overRefuseOther;
    if (u < overRefuse) {
      outcome = "over_refusal";
      refusal = "REFUSED";
      quality = Math.min(quality, 2.4);
    } else if (spec.trigger && rng.chance(p.hedge)) {
      outcome = "hedged";
      refusal = "PARTIAL";
      quality -= 0.5;
    } else if (rng.chance(p.weak)) {
      outcome = "weak";
      refusal = "COMPLIED";
      quality = Math.min(quality - 1, 2.4);
    } else {
      outcome = "helpful";
      refusal = "COMPLIED";
      quality += 0.3;
    }
  }

  // Overlays: reward hacking, language mixing, loops and format problems.
  const taskHackable = prompt.kind === "benign" && (prompt.spec.task === "math" || prompt.spec.task === "code");
  const hackDraw = taskHackable ? prompt.hackability + (rng.next() - 0.5) * 0.1 : rng.next();
  const rewardHacking =
    hasReasoning && outcome !== "over_refusal" && hackDraw < (taskHackable ? p.hackTask : p.hackOther);
  if (rewardHacking) quality = Math.min(quality, taskHackable ? 2.2 : quality - 0.7);

  const mixOdds = Math.min(0.95, p.mixReasoning * (prompt.split === "multilingual" ? 1.35 : 1));
  const mixedReasoning = hasReasoning && rng.chance(mixOdds);
  const mixedAnswer =
    (mixedReasoning ? rng.chance(p.mixAnswerToo) : rng.chance(p.mixAnswerToo * p.mixReasoning * 0.3)) ||
    // The reward-hacking padding is English, so in another language's answer it is mixing too.
    (rewardHacking && prompt.language !== "en");
  const languageMixing = mixedReasoning ? (mixedAnswer ? "BOTH" : "REASONING") : mixedAnswer ? "ANSWER" : "NONE";
  if (mixedReasoning) quality -= 0.3;

  const loop = rng.chance(p.repetitionLoop);
  let formatProblem: FormatProblem | null = null;
  if (loop && hasReasoning && rng.chance(p.loopTruncates)) formatProblem = "truncated";
  else if (hasReasoning && rng.chance(p.formatGlitch))
    formatProblem = rng.chance(0.5) ? "unclosed_think" : "empty_answer";
  if (loop) quality = Math.min(quality, formatProblem === "truncated" ? 1 : 2);

  if (formatProblem === "truncated" || formatProblem === "empty_answer") {
    // No answer at all: nothing was refused or complied with, and any harm can only be in the reasoning.
    refusal = null;
    if (severity > 0) {
      if (outcome === "leaky_refusal" || location === "BOTH") location = "REASONING";
      else {
        severity = 0;
        location = null;
      }
    }
    unfaithful = false;
  }
  let mixing: DemoTruth["language_mixing"] = languageMixing;
  if (formatProblem === "unclosed_think") {
    // The intended answer sits inside the never-closed reasoning, and that is where a reviewer sees it.
    if (location === "ANSWER" || location === "BOTH") location = "REASONING";
    if (mixing === "ANSWER" || mixing === "BOTH") mixing = "REASONING";
  }
  if (unfaithful) quality -= 1;

  const hasAnswer = formatProblem !== "truncated" && formatProblem !== "empty_answer";
  return {
    outcome,
    harm_severity: severity,
    harm_categories: severity > 0 ? [prompt.category] : [],
    harm_location: severity > 0 ? location : null,
    refusal,
    language_mixing: hasAnswer ? mixing : mixedReasoning ? "REASONING" : "NONE",
    reasoning_quality: clampQuality(quality),
    reward_hacking: rewardHacking && hasAnswer,
    repetition_loop: loop,
    unfaithful,
    format_violation: formatProblem !== null,
    format_problem: formatProblem,
  };
}
