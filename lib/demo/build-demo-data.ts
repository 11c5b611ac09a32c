// Generates lib/demo/demo-study.jsonl, the SYNTHETIC demo study that `npm run demo` loads: every
// prompt and response in it was written for this repository (hand-written prompts, templated
// responses), none comes from a real model. Harmful "compliances" contain only redaction
// placeholders such as "[specific synthesis steps omitted in this synthetic demo]". Each row's
// metadata says `"synthetic": true` and carries `demo_truth`, the behaviour the response was
// written to show, from which the demo reviewers' labels are derived (lib/demo/demo-labels.ts).
//
// Deterministic: seeded per (prompt, checkpoint, purpose), no Math.random, no clock. Regenerate with
//   npx tsx lib/demo/build-demo-data.ts
// and commit the JSONL; lib/demo/demo-data.test.ts fails when the file and the generator disagree.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { DEMO_FILE } from "./constants";
import { decideTruth, demoPrompts, type DemoPrompt, type DemoTruth } from "./behaviour";
import { DEMO_CHECKPOINTS, type DemoCheckpoint } from "./checkpoints";
import { rngFor } from "./prng";
import { writeResponse, type WrittenResponse } from "./write-response";

type ChatMessage = { role: "user" | "assistant"; content: string };

/** One line of the demo file, in the importer's canonical field names. */
export interface DemoRow {
  prompt_id: string;
  prompt: string;
  category: string;
  split: string;
  language: string;
  expected_behavior: "comply" | "refuse";
  checkpoint: string;
  strategy: DemoCheckpoint["strategy"];
  training_step?: number;
  base_model: string;
  compute_gpu_hours: number;
  sample_index: number;
  /** Shape "response": the whole generation, reasoning inside <think>…</think>. */
  response?: string;
  /** Shape "fields". */
  reasoning?: string;
  answer?: string;
  /** Shape "deepseek". */
  reasoning_content?: string;
  content?: string;
  /** Shape "messages": the conversation, the assistant turn with <think>. */
  messages?: ChatMessage[];
  metadata: {
    synthetic: true;
    finish_reason: "stop" | "length";
    demo_truth: DemoTruth;
  };
}

export type DemoShape = "response" | "fields" | "deepseek" | "messages";

function thinkText(written: WrittenResponse): string {
  if (written.reasoning === null) return written.answer;
  if (!written.thinkClosed) return `<think>\n${written.reasoning}${written.answer ? `\n\n${written.answer}` : ""}`;
  return `<think>\n${written.reasoning}\n</think>\n\n${written.answer}`;
}

function chooseShape(prompt: DemoPrompt, checkpoint: DemoCheckpoint, written: WrittenResponse): DemoShape {
  if (written.reasoning === null) return "response";
  const roll = rngFor(prompt.id, checkpoint.name, "shape").next();
  const shape: DemoShape = roll < 0.6 ? "response" : roll < 0.76 ? "deepseek" : roll < 0.89 ? "fields" : "messages";
  // Separate fields cannot express an unclosed <think>; such rows keep the tags.
  if (!written.thinkClosed && written.answer !== "" && (shape === "deepseek" || shape === "fields")) return "response";
  return shape;
}

function buildRow(prompt: DemoPrompt, checkpoint: DemoCheckpoint): DemoRow {
  const truth = decideTruth(prompt, checkpoint);
  const written = writeResponse(prompt, checkpoint, truth);
  const row: DemoRow = {
    prompt_id: prompt.id,
    prompt: prompt.text,
    category: prompt.category,
    split: prompt.split,
    language: prompt.language,
    expected_behavior: prompt.kind === "harmful" ? "refuse" : "comply",
    checkpoint: checkpoint.name,
    strategy: checkpoint.strategy,
    ...(checkpoint.trainingStep !== null ? { training_step: checkpoint.trainingStep } : {}),
    base_model: checkpoint.baseModel,
    compute_gpu_hours: checkpoint.computeGpuHours,
    sample_index: 0,
    metadata: {
      synthetic: true,
      finish_reason: truth.format_problem === "truncated" ? "length" : "stop",
      demo_truth: truth,
    },
  };
  switch (chooseShape(prompt, checkpoint, written)) {
    case "response":
      row.response = thinkText(written);
      break;
    case "deepseek":
      row.reasoning_content = written.reasoning ?? "";
      row.content = written.answer;
      break;
    case "fields":
      row.reasoning = written.reasoning ?? "";
      row.answer = written.answer;
      break;
    case "messages":
      row.messages = [
        { role: "user", content: prompt.text },
        { role: "assistant", content: thinkText(written) },
      ];
      break;
  }
  // Key order of the file: identity, response fields, then metadata last.
  const { metadata, ...rest } = row;
  return { ...rest, metadata };
}

/** Every row of the demo study: each checkpoint answers every prompt once (sample_index 0). */
export function buildDemoRows(): DemoRow[] {
  const prompts = demoPrompts().sort((a, b) => a.id.localeCompare(b.id));
  return DEMO_CHECKPOINTS.flatMap((checkpoint) => prompts.map((prompt) => buildRow(prompt, checkpoint)));
}

/** The exact content of demo-study.jsonl. */
export function buildDemoJsonl(): string {
  return `${buildDemoRows()
    .map((row) => JSON.stringify(row))
    .join("\n")}\n`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const text = buildDemoJsonl();
  writeFileSync(DEMO_FILE, text);
  const rows = text.trimEnd().split("\n").length;
  console.log(
    `Wrote ${path.relative(process.cwd(), DEMO_FILE)}: ${rows} rows, ${(Buffer.byteLength(text) / 1024).toFixed(0)} KiB.`,
  );
}
