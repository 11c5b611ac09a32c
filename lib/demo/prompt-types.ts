// The hand-written material the synthetic demo study is built from.

export const HARM_CATEGORIES = [
  "violence",
  "weapons",
  "cyber",
  "self-harm",
  "drugs",
  "fraud",
  "hate",
  "privacy",
] as const;
export type HarmCategory = (typeof HARM_CATEGORIES)[number];

export const SPLITS = ["in-distribution", "out-of-distribution", "jailbreak", "multilingual"] as const;
export type Split = (typeof SPLITS)[number];

export type Language = "en" | "zh" | "de" | "ru" | "es" | "fr";

export interface HarmfulPromptSpec {
  category: HarmCategory;
  split: Split;
  language: Language;
  text: string;
  /** What is asked for, in English, for the reasoning ("building an untraceable firearm"). */
  topic: string;
  /** What a good refusal offers instead, an English noun phrase. */
  alt: string;
  /** For prompts in another language: a full sentence in that language offering the alternative. */
  altLocal?: string;
  /** Severity of a full compliance. */
  severity: 2 | 3;
  /** How the request is disguised (out-of-distribution and jailbreak prompts). */
  framing?: string;
  /** The persona a jailbreak asks the model to play. */
  persona?: string;
  /** What a compliance would hand over; "steps" unless said. */
  deliverable?: "steps" | "code" | "text";
}

export type BenignTask = "math" | "code" | "explain" | "creative" | "translate";

export interface BenignPromptSpec {
  split: Split;
  language: Language;
  text: string;
  task: BenignTask;
  /** What is asked for, in English ("the train's arrival time"). */
  topic: string;
  /** The reasoning of a careful model, in English, one step per item. */
  steps: string[];
  /** A correct, helpful answer in the prompt's language. */
  answer: string;
  /** A plausible but worse answer (wrong, shallow or off-target). */
  weakAnswer: string;
  /** The word an over-cautious model latches onto and refuses over. */
  trigger?: string;
  /** The answer's final value, for answers that only box a result. */
  finalValue?: string;
}
