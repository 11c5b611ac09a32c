// The committed demo study keeps its promises: enough prompts of every kind, every strategy,
// realistic behaviour differences, only redacted harm, and exactly what the generator produces.
import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { normalizeRecord } from "../import/normalize-record";
import { buildDemoJsonl, type DemoRow } from "./build-demo-data";
import { DEMO_FILE } from "./constants";
import { HARM_CATEGORIES, SPLITS } from "./prompt-types";

const text = fs.readFileSync(DEMO_FILE, "utf8");
const lines = text.split("\n").filter((line) => line !== "");
const rows = lines.map((line) => JSON.parse(line) as DemoRow);
const prompts = new Map(rows.map((r) => [r.prompt_id, r]));
const CJK = /[\u4e00-\u9fff]/;

const reasoningOf = (r: DemoRow): string =>
  r.reasoning ??
  r.reasoning_content ??
  (r.response ?? r.messages?.at(-1)?.content ?? "").match(/<think>([\s\S]*?)(<\/think>|$)/)?.[1] ??
  "";
const wholeText = (r: DemoRow): string =>
  [r.response, r.reasoning, r.answer, r.reasoning_content, r.content, ...(r.messages ?? []).map((m) => m.content)].join(
    "\n",
  );
const rate = (subset: DemoRow[], failed: (r: DemoRow) => boolean) => subset.filter(failed).length / subset.length;

describe("demo-study.jsonl", () => {
  it("is valid JSONL with the canonical fields and one response shape per line", () => {
    expect(text.endsWith("\n")).toBe(true);
    for (const [i, line] of lines.entries()) {
      const row = JSON.parse(line) as Record<string, unknown>;
      for (const field of [
        "prompt_id",
        "prompt",
        "category",
        "split",
        "language",
        "expected_behavior",
        "checkpoint",
        "strategy",
        "base_model",
        "compute_gpu_hours",
        "sample_index",
        "metadata",
      ]) {
        expect(row, `line ${i + 1} lacks ${field}`).toHaveProperty(field);
      }
      const shapes = [
        row.response !== undefined,
        row.reasoning !== undefined || row.answer !== undefined,
        row.reasoning_content !== undefined || row.content !== undefined,
        row.messages !== undefined,
      ].filter(Boolean);
      expect(shapes, `line ${i + 1}`).toHaveLength(1);
      expect(["comply", "refuse"]).toContain(row.expected_behavior);
      expect(["sft", "rl", "hybrid", "base"]).toContain(row.strategy);
      expect(row.sample_index).toBe(0);
      expect((row.metadata as { synthetic?: unknown }).synthetic).toBe(true);
    }
  });

  it("is exactly what the generator produces, every time", () => {
    const generated = buildDemoJsonl();
    expect(generated).toBe(buildDemoJsonl());
    expect(generated === text, "demo-study.jsonl is stale: run `npx tsx lib/demo/build-demo-data.ts`").toBe(true);
  });

  it("stays small enough to commit", () => {
    expect(Buffer.byteLength(text)).toBeLessThan(1.5 * 1024 * 1024);
  });

  it("has enough prompts over every harm category, split and several languages", () => {
    expect(prompts.size).toBeGreaterThanOrEqual(72);
    const categories = new Set([...prompts.values()].map((p) => p.category));
    for (const category of [...HARM_CATEGORIES, "benign"]) expect(categories).toContain(category);
    const splits = new Set([...prompts.values()].map((p) => p.split));
    for (const split of SPLITS) expect(splits).toContain(split);
    for (const p of prompts.values()) {
      expect(p.prompt_id).toMatch(/^demo-\d{3}$/);
      expect(p.expected_behavior).toBe(p.category === "benign" ? "comply" : "refuse");
    }
    const foreign = [...prompts.values()].filter((p) => p.language !== "en");
    expect(foreign.length).toBeGreaterThanOrEqual(12);
    expect(new Set(foreign.map((p) => p.language)).size).toBeGreaterThanOrEqual(4);
    expect(foreign.filter((p) => p.category === "benign").length).toBeGreaterThan(0);
    // A prompt's fields are the same on every line that repeats it.
    for (const r of rows) {
      const p = prompts.get(r.prompt_id)!;
      expect([r.prompt, r.category, r.split, r.language, r.expected_behavior]).toEqual([
        p.prompt,
        p.category,
        p.split,
        p.language,
        p.expected_behavior,
      ]);
    }
  });

  it("has the promised checkpoints, and every one answers every prompt exactly once", () => {
    const checkpoints = new Map(rows.map((r) => [r.checkpoint, r]));
    expect(new Set(rows.map((r) => r.strategy))).toEqual(new Set(["sft", "rl", "hybrid", "base"]));
    expect(checkpoints.get("r1-distill-sft")?.strategy).toBe("sft");
    expect(checkpoints.get("r1-zero-rl")).toMatchObject({ strategy: "rl", training_step: 2000 });
    expect(checkpoints.get("r1-zero-rl-step8000")).toMatchObject({ strategy: "rl", training_step: 8000 });
    expect(checkpoints.get("r1-hybrid")).toMatchObject({ strategy: "hybrid", training_step: 8000 });
    for (const c of checkpoints.values()) expect(c.base_model).toBeTruthy();
    const seen = new Set(rows.map((r) => `${r.prompt_id}|${r.checkpoint}|${r.sample_index}`));
    expect(seen.size).toBe(rows.length);
    expect(rows.length).toBe(prompts.size * checkpoints.size);
    for (const id of prompts.keys()) {
      const strategies = new Set(rows.filter((r) => r.prompt_id === id).map((r) => r.strategy));
      for (const s of ["sft", "rl", "hybrid"]) expect(strategies).toContain(s);
    }
  });

  it("mixes the accepted input shapes and includes format problems", () => {
    const reasoningRows = rows.filter((r) => r.strategy !== "base");
    expect(reasoningRows.filter((r) => r.response?.includes("<think>")).length).toBeGreaterThan(
      reasoningRows.length / 2,
    );
    expect(rows.filter((r) => r.reasoning_content !== undefined).length).toBeGreaterThan(20);
    expect(rows.filter((r) => r.reasoning !== undefined).length).toBeGreaterThan(20);
    expect(rows.filter((r) => r.messages !== undefined).length).toBeGreaterThan(10);
    const unclosed = rows.filter((r) => {
      const t = r.response ?? r.messages?.at(-1)?.content ?? "";
      return t.includes("<think>") && !t.includes("</think>");
    });
    expect(unclosed.length).toBeGreaterThan(0);
    const emptyAnswer = rows.filter(
      (r) =>
        r.answer === "" || r.content === "" || /<\/think>\s*$/.test(r.response ?? r.messages?.at(-1)?.content ?? "x"),
    );
    expect(emptyAnswer.length).toBeGreaterThan(0);
  });

  it("imports cleanly, and the importer sees the format problems and harm where the truth says", () => {
    const where = (reasoning: boolean, answer: boolean) =>
      reasoning && answer ? "BOTH" : reasoning ? "REASONING" : answer ? "ANSWER" : null;
    rows.forEach((r, i) => {
      const result = normalizeRecord(r as unknown as Record<string, unknown>, i + 1);
      if (!result.ok) throw new Error(`line ${i + 1}: ${JSON.stringify(result.errors)}`);
      if (result.row === undefined) throw new Error(`line ${i + 1}: read as labels only`);
      const truth = r.metadata.demo_truth;
      const at = `${r.prompt_id} ${r.checkpoint}`;
      expect(result.row.formatIssues.length > 0, at).toBe(truth.format_violation);
      expect(result.row.reasoning === null, at).toBe(r.strategy === "base");
      const redacted = (text: string | null) => (text ?? "").includes("omitted in this synthetic demo");
      expect(where(redacted(result.row.reasoning), redacted(result.row.answer)), at).toBe(
        truth.harm_severity > 0 ? truth.harm_location : null,
      );
      const cjk = (text: string | null) => CJK.test(text ?? "");
      // Chinese in the text is the mixing (for Chinese prompts, only in the English reasoning).
      const mixedReasoning = truth.language_mixing === "REASONING" || truth.language_mixing === "BOTH";
      if (r.language === "zh") {
        // An unclosed <think> puts the Chinese answer into the reasoning: a format problem, not drift.
        if (!result.row.formatIssues.includes("unclosed_think"))
          expect(cjk(result.row.reasoning), at).toBe(mixedReasoning);
      } else expect(where(cjk(result.row.reasoning), cjk(result.row.answer)) ?? "NONE", at).toBe(truth.language_mixing);
    });
  });

  it("never contains operational harm: every harmful response is a redacted placeholder", () => {
    for (const r of rows.filter((row) => row.metadata.demo_truth.harm_severity > 0)) {
      expect(wholeText(r), `${r.prompt_id} ${r.checkpoint}`).toContain("omitted in this synthetic demo");
    }
  });

  it("shows the behaviour differences between strategies", () => {
    const of = (name: string) => rows.filter((r) => r.checkpoint === name);
    const harmful = (r: DemoRow) => r.metadata.demo_truth.harm_severity >= 2;
    const [sft, rl2k, rl8k, hybrid] = ["r1-distill-sft", "r1-zero-rl", "r1-zero-rl-step8000", "r1-hybrid"].map(of) as [
      DemoRow[],
      DemoRow[],
      DemoRow[],
      DemoRow[],
    ];
    const refusePrompts = (set: DemoRow[]) => set.filter((r) => r.expected_behavior === "refuse");
    const benign = (set: DemoRow[]) => set.filter((r) => r.expected_behavior === "comply");

    // Harm: early RL worst, later RL better, hybrid best; RL's safety does not generalise.
    expect(rate(refusePrompts(rl2k), harmful)).toBeGreaterThan(rate(refusePrompts(rl8k), harmful));
    expect(rate(refusePrompts(rl8k), harmful)).toBeGreaterThan(rate(refusePrompts(hybrid), harmful));
    const rl8kSplit = (split: string) =>
      rate(
        refusePrompts(rl8k).filter((r) => r.split === split),
        harmful,
      );
    expect(rl8kSplit("jailbreak")).toBeGreaterThan(rl8kSplit("in-distribution") + 0.2);

    // Language mixing: Chinese inside English reasoning, mostly RL.
    const mixed = (r: DemoRow) => r.language === "en" && CJK.test(reasoningOf(r));
    expect(rate(rl2k, mixed)).toBeGreaterThan(0.3);
    expect(rate(rl2k, mixed)).toBeGreaterThan(rate(rl8k, mixed));
    expect(rate(rl8k, mixed)).toBeGreaterThan(rate(hybrid, mixed));
    expect(rate(sft, mixed)).toBeLessThan(0.1);

    // Reward hacking and loops: RL, less with more steps.
    const hacked = (r: DemoRow) => r.metadata.demo_truth.reward_hacking;
    expect(rate(rl2k, hacked)).toBeGreaterThan(rate(rl8k, hacked));
    expect(rows.some((r) => r.metadata.demo_truth.reward_hacking && /All tests passed/.test(wholeText(r)))).toBe(true);
    expect(rows.some((r) => /I am confident this is correct/.test(wholeText(r)))).toBe(true);
    expect(rate(rl2k, (r) => r.metadata.demo_truth.repetition_loop)).toBeGreaterThan(
      rate(hybrid, (r) => r.metadata.demo_truth.repetition_loop),
    );

    // SFT over-refuses harmless prompts; hybrid does so less.
    const refused = (r: DemoRow) => r.metadata.demo_truth.refusal === "REFUSED";
    expect(rate(benign(sft), refused)).toBeGreaterThan(rate(benign(hybrid), refused) + 0.1);

    // Reasoning quality: hybrid best.
    const meanQuality = (set: DemoRow[]) =>
      set.reduce((sum, r) => sum + r.metadata.demo_truth.reasoning_quality, 0) / set.length;
    expect(meanQuality(hybrid)).toBeGreaterThan(Math.max(meanQuality(sft), meanQuality(rl2k), meanQuality(rl8k)));
    expect(meanQuality(rl8k)).toBeGreaterThan(meanQuality(rl2k));
  });
});
