// Writes the reasoning and answer text of one synthetic demo response from its truth: style by
// checkpoint family (terse SFT, exploratory RL, structured hybrid, reasoning-free base; see
// write-harmful.ts and write-benign.ts), then the overlays (Chinese drifting in, reward-hacking
// padding, repetition loops, format problems).
import type { DemoPrompt, DemoTruth } from "./behaviour";
import type { DemoCheckpoint } from "./checkpoints";
import {
  EN_INTO_ZH,
  LOOP_SENTENCES_BENIGN,
  LOOP_SENTENCES_HARMFUL,
  PADDING_HELPFUL,
  PADDING_SAFE,
  ZH_INLINE,
  ZH_PREFIXES,
  ZH_SENTENCES_BENIGN,
  ZH_SENTENCES_HARMFUL,
} from "./phrases";
import { rngFor, type Rng } from "./prng";
import { writeBenign } from "./write-benign";
import { writeHarmful } from "./write-harmful";

export interface WrittenResponse {
  /** Null for a model that does not reason (the base model). */
  reasoning: string | null;
  answer: string;
  /** False when the generation never closed its <think> block. */
  thinkClosed: boolean;
}

const lowerFirst = (s: string) =>
  /^[A-Z][a-z]/.test(s) && !s.startsWith("I ") ? s.charAt(0).toLowerCase() + s.slice(1) : s;

export function writeResponse(prompt: DemoPrompt, checkpoint: DemoCheckpoint, truth: DemoTruth): WrittenResponse {
  const rng = rngFor(prompt.id, checkpoint.name, "text");
  const family = checkpoint.family;
  const body =
    prompt.kind === "harmful"
      ? writeHarmful(prompt.spec, prompt.language, family, truth, rng)
      : writeBenign(prompt.spec, family, truth, rng);
  let steps = body.reasoning;
  let answer = body.answer;
  const harmful = prompt.kind === "harmful";

  if (truth.reward_hacking && !body.hackedAlready) {
    const padding = rng.pick(truth.refusal === "REFUSED" ? PADDING_SAFE : PADDING_HELPFUL);
    answer = `${answer}\n\n${padding}`;
    steps?.push(
      rng.pick([
        "The answer should sound confident; confident answers score better.",
        "I'll add a line saying the answer is verified — that usually helps.",
      ]),
    );
  }

  if (truth.language_mixing === "REASONING" || truth.language_mixing === "BOTH") {
    if (steps) steps = mixChinese(steps, rng, checkpoint.profile.mixIntensity, harmful);
  }
  if (truth.language_mixing === "ANSWER" || truth.language_mixing === "BOTH")
    answer = mixAnswer(answer, prompt.language, rng);

  if (steps === null) {
    // The base model has no reasoning; its loops happen in the answer.
    if (truth.repetition_loop) answer = loopAnswer(answer, rng);
    return { reasoning: null, answer, thinkClosed: true };
  }

  let thinkClosed = true;
  if (truth.repetition_loop) {
    const sentence = rng.pick(harmful ? LOOP_SENTENCES_HARMFUL : LOOP_SENTENCES_BENIGN);
    // Where the loop starts: never before harm the truth says is in the reasoning, never after
    // harm the truth says the generation did not reach.
    let at = Math.min(steps.length, rng.int(1, 3));
    const firstHarm = steps.findIndex((step) => step.includes("omitted in this synthetic demo"));
    if (truth.format_problem === "truncated" && firstHarm >= 0) {
      at =
        truth.harm_location === "REASONING" || truth.harm_location === "BOTH"
          ? Math.max(at, firstHarm + 1)
          : Math.min(at, firstHarm);
    }
    const loop = Array.from({ length: rng.int(9, 18) }, () => sentence).join(" ");
    if (truth.format_problem === "truncated") {
      // Out of tokens mid-sentence: the loop is the end of the generation.
      const cut = loop.slice(0, loop.length - rng.int(3, Math.min(20, sentence.length - 1)));
      steps = [...steps.slice(0, at), cut];
      answer = "";
      thinkClosed = false;
    } else {
      steps = [
        ...steps.slice(0, at),
        loop,
        rng.pick(["Okay. Moving on.", "Okay, enough.", "Right, let me just answer."]),
        ...steps.slice(at),
      ];
    }
  }
  if (truth.format_problem === "empty_answer") answer = "";
  if (truth.format_problem === "unclosed_think") thinkClosed = false;

  const joiner = family === "sft" ? (rng.chance(0.5) ? " " : "\n") : "\n\n";
  return { reasoning: steps.join(joiner), answer, thinkClosed };
}

/** Chinese drifting into an English chain of thought: prefixes, mid-sentence phrases, whole sentences. */
function mixChinese(steps: string[], rng: Rng, intensity: [number, number], harmful: boolean): string[] {
  const out = [...steps];
  const count = Math.min(out.length, rng.int(intensity[0], intensity[1]));
  const indexes = rng.shuffle(out.map((_, i) => i)).slice(0, count);
  for (const i of indexes) {
    const sentence = out[i] ?? "";
    const mode = rng.int(0, 2);
    if (mode === 0) out[i] = rng.pick(ZH_PREFIXES) + lowerFirst(sentence);
    else if (mode === 1) {
      const words = sentence.split(" ");
      const at = Math.max(1, Math.floor(words.length * (0.3 + rng.next() * 0.4)));
      out[i] = [...words.slice(0, at), rng.pick(ZH_INLINE), ...words.slice(at)].join(" ");
    } else out[i] = `${sentence} ${rng.pick(harmful ? ZH_SENTENCES_HARMFUL : ZH_SENTENCES_BENIGN)}`;
  }
  return out;
}

function mixAnswer(answer: string, language: DemoPrompt["language"], rng: Rng): string {
  if (language === "zh") return rng.pick(EN_INTO_ZH) + answer;
  if (answer.startsWith("```")) return `${rng.pick(["好的，", "嗯，"])}here is the code:\n\n${answer}`;
  // After the first sentence that ends inside a line (not after "1." or a heading), else at the start.
  const firstBreak = answer.search(/(?<=[\p{L})\]*][.!?。]) /u);
  const insert = rng.pick(["（也就是说）", "我们需要考虑 ", "总之，", "换句话说，"]);
  if (firstBreak < 0) return `${insert}${answer}`;
  return `${answer.slice(0, firstBreak + 1)}${insert}${answer.slice(firstBreak + 1)}`;
}

/** A base model's degenerate repetition: its last line, over and over. */
function loopAnswer(answer: string, rng: Rng): string {
  const lines = answer.split("\n").filter((line) => line.trim() !== "" && !line.startsWith("```"));
  const line = (lines[lines.length - 1] ?? answer).slice(0, 160);
  return `${answer}\n${Array.from({ length: rng.int(6, 12) }, () => line).join("\n")}`;
}
