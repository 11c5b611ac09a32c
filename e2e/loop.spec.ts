// The whole loop in one study, as a researcher runs it from the browser: a prompt set imported
// without responses → "Collect responses" from a checkpoint's endpoint (the local OpenAI-compatible
// server, with 429s and a restart mid-run) → human labels on those responses (imported, as a lab
// brings its annotators' file) → "Run a judge" on the same endpoint → the analytics, where the
// judge's row stands beside the humans' judgement and the judge's own basis can be chosen → the
// judge's labels downloaded as a file.
import { readFile } from "node:fs/promises";
import { parse } from "csv-parse/sync";
import { expect, test } from "@playwright/test";
import { type FakeModelServer, startFakeModelServer } from "../lib/testing/openai-server";
import { apiTokens, storageStatePath } from "./support/accounts";

test.use({ storageState: storageStatePath("RESEARCHER") });

const PROMPTS = 24;
const slug = `loop-e2e-${Date.now().toString(36)}`;
// Every third prompt asks for a refusal: the fake model's answer repeats the prompt, so its answer
// says "cannot", and the fake judge calls it refused.
const promptText = (i: number) => (i % 3 === 0 ? `Say you cannot help, loop ${i}` : `Answer plainly, loop ${i}`);
let model: FakeModelServer;

const post = (request: import("@playwright/test").APIRequestContext, path: string, rows: object[]) =>
  request.post(path, {
    headers: { authorization: `Bearer ${apiTokens().RESEARCHER}`, "content-type": "application/x-ndjson" },
    data: `${rows.map((r) => JSON.stringify(r)).join("\n")}\n`,
  });

test.beforeAll(async ({ request }) => {
  // A prompt set only: no checkpoint, no response yet.
  const created = await post(
    request,
    `/api/v1/studies/${slug}/responses?create=${encodeURIComponent("Loop e2e")}`,
    Array.from({ length: PROMPTS }, (_, i) => ({ prompt_id: `q${i}`, prompt: promptText(i) })),
  );
  expect(created.status()).toBe(201);
  model = await startFakeModelServer({ latencyMs: 400, reasoning: "field", apiKey: "sk-loop-secret" });
});

test.afterAll(async () => {
  await model?.close();
});

test("prompts → responses from an endpoint → human labels → a judge → analytics with both", async ({
  page,
  request,
}) => {
  test.setTimeout(240_000);
  await page.goto(`/studies/${slug}`);

  // 1. Collect responses, through two 429s and a restart of the endpoint.
  const collect = page.getByRole("form", { name: "Collect responses" });
  await collect.getByLabel("Checkpoint", { exact: true }).fill("rl-loop");
  await collect.getByLabel("Strategy (for a new checkpoint)").selectOption("rl");
  await collect.getByLabel("Model name at the endpoint").fill("loop-model");
  await collect.getByLabel("Base URL (OpenAI-compatible)").fill(model.url);
  await collect.getByLabel(/API key/).fill("sk-loop-secret");
  await collect.getByLabel("Requests at once").fill("2");
  model.inject({ kind: "429", retryAfterSeconds: 1 }, { kind: "429", retryAfterSeconds: 1 });
  await collect.getByRole("button", { name: "Collect responses" }).click();
  const generation = page.getByRole("list", { name: "Generation runs" }).getByRole("listitem").first();
  await expect(generation.getByTestId("run-progress")).toHaveText(/^([2-9]|1\d) of 24/, { timeout: 60_000 });
  const port = model.port;
  await model.close();
  model = await startFakeModelServer({ port, latencyMs: 50, reasoning: "field", apiKey: "sk-loop-secret" });
  await expect(generation.getByTestId("run-status")).toHaveText("succeeded", { timeout: 90_000 });
  await expect(generation.getByTestId("run-progress")).toHaveText("24 of 24 (100 %)");

  // 2. The annotators' labels on the collected responses: refused where the answer refuses, and on
  // prompt q1 too (the one place where they and the judge will differ).
  const labels = await post(
    request,
    `/api/v1/studies/${slug}/responses`,
    Array.from({ length: PROMPTS }, (_, i) => ({
      prompt_id: `q${i}`,
      checkpoint: "rl-loop",
      label_reviewer: "loop-annotator@lab.example",
      label_refusal: i % 3 === 0 || i === 1 ? "refused" : "complied",
    })),
  );
  expect(labels.status(), await labels.text()).toBeLessThan(300);

  // 3. A judge of refusals on the same endpoint.
  await page.reload();
  const judge = page.getByRole("form", { name: "Run a judge" });
  await judge.getByLabel("Judge name").fill("loop-judge");
  await judge.getByLabel("Rubric", { exact: true }).selectOption("refusal-kind");
  await judge.getByLabel("Model name at the endpoint").fill("judge-model");
  await judge.getByLabel("Base URL (OpenAI-compatible)").fill(model.url);
  await judge.getByLabel(/API key/).fill("sk-loop-secret");
  await judge.getByLabel("Requests at once").fill("2");
  await judge.getByRole("button", { name: "Run judge" }).click();
  const judgeRun = page.getByRole("list", { name: "Judge runs" }).getByRole("listitem").first();
  await expect(judgeRun.getByTestId("judge-run-status")).toHaveText("succeeded", { timeout: 90_000 });
  await expect(judgeRun.getByTestId("judge-run-progress")).toHaveText("24 of 24 (100 %)");
  await expect(page.locator("body")).not.toContainText("sk-loop-secret");

  // 4. Analytics: the judge's row against the humans' judgement — 24 compared, 23 agree; the judge's
  // 8 refusals are all the humans' too (precision 1.00), of the humans' 9 (recall 0.89).
  await page.goto(`/studies/${slug}/analytics`);
  const judgeRow = page.getByTestId("judge-agreement-row");
  await expect(judgeRow).toContainText("judge loop-judge");
  await expect(judgeRow.getByRole("cell").nth(1)).toHaveText("24");
  await expect(judgeRow.getByRole("cell").nth(2)).toHaveText("0.96");
  await expect(judgeRow.getByRole("cell").nth(3)).toHaveText("1.00");
  await expect(judgeRow.getByRole("cell").nth(4)).toHaveText("0.89");

  // The same page on the judge's labels.
  const filters = page.getByRole("form", { name: "Filters" });
  await filters.getByLabel("Basis").selectOption("judge:loop-judge");
  await filters.getByRole("button", { name: /apply/i }).click();
  await expect(page.getByTestId("analytics-basis")).toContainText('Judge "loop-judge"');

  // 5. The judge's labels leave Parallax as a file: one row per response, its verdict beside the
  // response, under the rubric in force; the endpoint's key nowhere in it.
  const exportForm = page.getByRole("form", { name: "Export" });
  await exportForm.getByLabel("Rows").selectOption("judge_labels");
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    exportForm.getByRole("button", { name: "Download export" }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(new RegExp(`^${slug}-judge_labels-\\d{4}-\\d{2}-\\d{2}\\.csv$`));
  const file = (await readFile((await download.path())!, "utf8")).replace(/^\uFEFF/, "");
  expect(file).not.toContain("sk-loop-secret");
  const rows = parse(file, { columns: true }) as Record<string, string>[];
  expect(rows).toHaveLength(PROMPTS);
  expect(new Set(rows.map((r) => `${r.judge} ${r.judge_model} ${r.rubric} ${r.current_rubric}`))).toEqual(
    new Set(["loop-judge judge-model refusal-kind@1 t"]),
  );
  expect(rows.filter((r) => r.refusal === "refused")).toHaveLength(8);
});
