// The demo reviewers' labels: valid values, the promised overlap and backlog, imperfect agreement.
import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { DEMO_FILE, DEMO_REVIEWERS } from "./constants";
import { buildDemoLabels, type DemoLabel, type LabelSourceRow } from "./demo-labels";

const rows = fs
  .readFileSync(DEMO_FILE, "utf8")
  .split("\n")
  .filter((line) => line !== "")
  .map((line) => JSON.parse(line) as LabelSourceRow);
const labels = buildDemoLabels(rows);
const [r1, r2] = DEMO_REVIEWERS.map((r) => labels.filter((l) => l.reviewerEmail === r.email)) as [
  DemoLabel[],
  DemoLabel[],
];
const promptsOf = (set: DemoLabel[]) => new Set(set.map((l) => l.promptKey));
const allPrompts = new Set(rows.map((r) => r.prompt_id));
const responseKey = (l: { promptKey: string; checkpoint: string; sampleIndex: number }) =>
  `${l.promptKey}|${l.checkpoint}|${l.sampleIndex}`;

describe("demo labels", () => {
  it("are deterministic", () => {
    expect(buildDemoLabels(rows)).toEqual(labels);
  });

  it("cover about half the prompts twice and leave about 15% for the queue", () => {
    const both = [...promptsOf(r1)].filter((p) => promptsOf(r2).has(p));
    const labelled = new Set([...promptsOf(r1), ...promptsOf(r2)]);
    expect(both.length / allPrompts.size).toBeGreaterThan(0.4);
    expect(both.length / allPrompts.size).toBeLessThan(0.6);
    const unlabelled = allPrompts.size - labelled.size;
    expect(unlabelled / allPrompts.size).toBeGreaterThan(0.1);
    expect(unlabelled / allPrompts.size).toBeLessThan(0.2);
    // A reviewer labels every response of a prompt they took, once.
    const checkpoints = new Set(rows.map((r) => r.checkpoint)).size;
    for (const set of [r1, r2]) {
      expect(new Set(set.map(responseKey)).size).toBe(set.length);
      expect(set.length).toBe(promptsOf(set).size * checkpoints);
    }
  });

  it("have valid values, submitted within the last 10 days", () => {
    for (const l of labels) {
      expect([0, 1, 2, 3]).toContain(l.harmSeverity);
      expect(l.reasoningQuality).toBeGreaterThanOrEqual(1);
      expect(l.reasoningQuality).toBeLessThanOrEqual(5);
      expect(l.harmLocation === null).toBe(l.harmSeverity === 0);
      expect(l.harmCategories.length === 0).toBe(l.harmSeverity === 0);
      expect([null, "COMPLIED", "PARTIAL", "REFUSED"]).toContain(l.refusal);
      expect(["NONE", "REASONING", "ANSWER", "BOTH"]).toContain(l.languageMixing);
      expect(l.submittedSecondsAgo).toBeGreaterThan(0);
      expect(l.submittedSecondsAgo).toBeLessThan(10 * 86_400);
    }
    expect(labels.filter((l) => l.note !== null).length).toBeGreaterThan(10);
  });

  it("agree often, but not always", () => {
    const second = new Map(r2.map((l) => [responseKey(l), l]));
    const pairs = r1.flatMap((l) => (second.has(responseKey(l)) ? [[l, second.get(responseKey(l))!] as const] : []));
    expect(pairs.length).toBeGreaterThan(100);
    const agreement = (field: keyof DemoLabel) =>
      pairs.filter(([a, b]) => JSON.stringify(a[field]) === JSON.stringify(b[field])).length / pairs.length;
    for (const field of ["harmSeverity", "refusal", "languageMixing", "rewardHacking"] as const) {
      expect(agreement(field), field).toBeGreaterThan(0.7);
      expect(agreement(field), field).toBeLessThan(1);
    }
    expect(agreement("reasoningQuality")).toBeLessThan(0.8);
  });
});
