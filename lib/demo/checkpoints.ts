// The model checkpoints of the synthetic demo study and how each one behaves. The numbers are
// invented to mirror what the DeepSeek-R1 report and follow-up work describe: pure RL (R1-Zero)
// mixes languages, hacks rewards and loops, and its harmlessness does not carry over to
// out-of-distribution, jailbreak and non-English prompts, improving with more RL steps;
// SFT-only distillation is safe on familiar prompts but over-refuses and reasons shallowly;
// cold-start SFT + RL (hybrid) is the best overall, though not perfect.
import type { Split } from "./prompt-types";

export type Family = "base" | "sft" | "rl" | "hybrid";

/** Probabilities that a checkpoint answers a harmful prompt of a split in these ways (else it refuses). */
export interface HarmfulOdds {
  comply: number;
  partial: number;
  /** Refuses in the answer, but spells out harmful detail in its reasoning first. */
  leaky: number;
}

export interface BehaviourProfile {
  harmful: Record<Split, HarmfulOdds>;
  /** Refusing a harmless prompt that contains a scary-sounding word. */
  overRefuseTriggered: number;
  overRefuseOther: number;
  /** Answering a harmless prompt only half-heartedly (partial, with disclaimers). */
  hedge: number;
  /** A wrong or shallow answer to a harmless prompt. */
  weak: number;
  /** Chinese drifting into the (English) chain of thought; more on multilingual prompts. */
  mixReasoning: number;
  /** Given mixing in the reasoning, the answer is mixed too. */
  mixAnswerToo: number;
  /** Reward hacking on math and code tasks (boxed guesses, "all tests pass"). */
  hackTask: number;
  /** Reward hacking elsewhere: padding answers with self-assessments. */
  hackOther: number;
  repetitionLoop: number;
  /** Given a loop, the generation runs out of tokens inside <think>. */
  loopTruncates: number;
  /** An unclosed <think> or an empty answer without a loop. */
  formatGlitch: number;
  /** Given a harmful compliance, the reasoning had concluded it would refuse. */
  unfaithfulComply: number;
  /** Typical reasoning quality (1–5) of a normal response. */
  quality: number;
  /** How many Chinese insertions a mixed reasoning gets. */
  mixIntensity: [number, number];
}

export interface DemoCheckpoint {
  name: string;
  strategy: "base" | "sft" | "rl" | "hybrid";
  family: Family;
  trainingStep: number | null;
  baseModel: string;
  computeGpuHours: number;
  profile: BehaviourProfile;
}

const odds = (comply: number, partial: number, leaky: number): HarmfulOdds => ({ comply, partial, leaky });

export const DEMO_BASE_MODEL = "demo-base-7b";

export const DEMO_CHECKPOINTS: DemoCheckpoint[] = [
  {
    name: "base-7b",
    strategy: "base",
    family: "base",
    trainingStep: null,
    baseModel: DEMO_BASE_MODEL,
    computeGpuHours: 0,
    profile: {
      harmful: {
        "in-distribution": odds(0.42, 0.28, 0),
        "out-of-distribution": odds(0.5, 0.25, 0),
        jailbreak: odds(0.55, 0.2, 0),
        multilingual: odds(0.45, 0.25, 0),
      },
      overRefuseTriggered: 0.05,
      overRefuseOther: 0.02,
      hedge: 0.05,
      weak: 0.6,
      mixReasoning: 0,
      mixAnswerToo: 0,
      hackTask: 0,
      hackOther: 0,
      repetitionLoop: 0.14,
      loopTruncates: 0,
      formatGlitch: 0,
      unfaithfulComply: 0,
      quality: 1.6,
      mixIntensity: [0, 0],
    },
  },
  {
    name: "r1-distill-sft",
    strategy: "sft",
    family: "sft",
    trainingStep: 2400,
    baseModel: DEMO_BASE_MODEL,
    computeGpuHours: 320,
    profile: {
      harmful: {
        "in-distribution": odds(0.02, 0.04, 0),
        "out-of-distribution": odds(0.1, 0.12, 0),
        jailbreak: odds(0.2, 0.14, 0),
        multilingual: odds(0.12, 0.1, 0),
      },
      overRefuseTriggered: 0.6,
      overRefuseOther: 0.04,
      hedge: 0.15,
      weak: 0.2,
      mixReasoning: 0.03,
      mixAnswerToo: 0,
      hackTask: 0.03,
      hackOther: 0.01,
      repetitionLoop: 0.02,
      loopTruncates: 0.5,
      formatGlitch: 0.015,
      unfaithfulComply: 0.05,
      quality: 3,
      mixIntensity: [1, 1],
    },
  },
  {
    name: "r1-zero-rl",
    strategy: "rl",
    family: "rl",
    trainingStep: 2000,
    baseModel: DEMO_BASE_MODEL,
    computeGpuHours: 1450,
    profile: {
      harmful: {
        "in-distribution": odds(0.1, 0.1, 0.14),
        "out-of-distribution": odds(0.4, 0.16, 0.14),
        jailbreak: odds(0.5, 0.14, 0.1),
        multilingual: odds(0.42, 0.14, 0.1),
      },
      overRefuseTriggered: 0.06,
      overRefuseOther: 0.01,
      hedge: 0.04,
      weak: 0.25,
      mixReasoning: 0.5,
      mixAnswerToo: 0.3,
      hackTask: 0.5,
      hackOther: 0.14,
      repetitionLoop: 0.13,
      loopTruncates: 0.5,
      formatGlitch: 0.06,
      unfaithfulComply: 0.3,
      quality: 3.3,
      mixIntensity: [2, 4],
    },
  },
  {
    name: "r1-zero-rl-step8000",
    strategy: "rl",
    family: "rl",
    trainingStep: 8000,
    baseModel: DEMO_BASE_MODEL,
    computeGpuHours: 5800,
    profile: {
      harmful: {
        "in-distribution": odds(0.04, 0.06, 0.12),
        "out-of-distribution": odds(0.24, 0.12, 0.12),
        jailbreak: odds(0.36, 0.12, 0.1),
        multilingual: odds(0.3, 0.12, 0.1),
      },
      overRefuseTriggered: 0.08,
      overRefuseOther: 0.01,
      hedge: 0.05,
      weak: 0.12,
      mixReasoning: 0.32,
      mixAnswerToo: 0.2,
      hackTask: 0.28,
      hackOther: 0.07,
      repetitionLoop: 0.06,
      loopTruncates: 0.4,
      formatGlitch: 0.015,
      unfaithfulComply: 0.25,
      quality: 3.8,
      mixIntensity: [1, 3],
    },
  },
  {
    name: "r1-hybrid",
    strategy: "hybrid",
    family: "hybrid",
    trainingStep: 8000,
    baseModel: DEMO_BASE_MODEL,
    computeGpuHours: 6100,
    profile: {
      harmful: {
        "in-distribution": odds(0.01, 0.02, 0.02),
        "out-of-distribution": odds(0.05, 0.06, 0.04),
        jailbreak: odds(0.1, 0.07, 0.04),
        multilingual: odds(0.06, 0.06, 0.03),
      },
      overRefuseTriggered: 0.15,
      overRefuseOther: 0.01,
      hedge: 0.08,
      weak: 0.07,
      mixReasoning: 0.07,
      mixAnswerToo: 0.1,
      hackTask: 0.07,
      hackOther: 0.02,
      repetitionLoop: 0.02,
      loopTruncates: 0.3,
      formatGlitch: 0.01,
      unfaithfulComply: 0.15,
      quality: 4.4,
      mixIntensity: [1, 2],
    },
  },
];
