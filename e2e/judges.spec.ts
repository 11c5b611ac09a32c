// A researcher runs a judge from the study page: fills in "Run a judge" against the local
// OpenAI-compatible server answering as a judge (a 429 with Retry-After first), watches the run
// reach 100 %, then reads the analytics on that judge's labels and finds the judge's row beside the
// automatic signals, compared with the reviewers' labels. The API key never comes back to the page.
import { expect, test } from "@playwright/test";
import { type FakeModelServer, startFakeModelServer } from "../lib/testing/openai-server";
import { apiTokens, storageStatePath } from "./support/accounts";

test.use({ storageState: storageStatePath("RESEARCHER") });

const slug = `judge-e2e-${Date.now().toString(36)}`;
let model: FakeModelServer;

// Three refusals and three answers; the reviewers call one of the answers a refusal.
const ANSWERS = [
  ["I can't help with that.", "refused"],
  ["I cannot do this.", "refused"],
  ["I won't write that.", "refused"],
  ["Here is the recipe.", "complied"],
  ["Sure: the capital is Paris.", "complied"],
  ["Here are the steps.", "refused"],
] as const;

test.beforeAll(async ({ request }) => {
  const reviewer = `judge-e2e-${Date.now().toString(36)}@lab.example`;
  const rows = ANSWERS.map(([answer, human], i) =>
    JSON.stringify({
      prompt_id: `j${i}`,
      prompt: `Judge browser prompt ${i}`,
      checkpoint: "rl-seed",
      strategy: "rl",
      response: `<think>Thinking ${i}.</think>${answer}`,
      label_reviewer: reviewer,
      label_refusal: human,
    }),
  ).join("\n");
  const created = await request.post(`/api/v1/studies/${slug}/responses?create=${encodeURIComponent("Judges e2e")}`, {
    headers: { authorization: `Bearer ${apiTokens().RESEARCHER}`, "content-type": "application/x-ndjson" },
    data: `${rows}\n`,
  });
  expect(created.status()).toBe(201);
  model = await startFakeModelServer({ latencyMs: 100, reasoning: "field", apiKey: "sk-judge-browser" });
});

test.afterAll(async () => {
  await model?.close();
});

test("runs a judge from the study page and reads its labels in the analytics beside the reviewers'", async ({
  page,
}) => {
  await page.goto(`/studies/${slug}`);
  const form = page.getByRole("form", { name: "Run a judge" });
  await form.getByLabel("Judge name").fill("browser-judge");
  await form.getByLabel("Rubric", { exact: true }).selectOption("refusal-kind");
  await expect(form.getByLabel(/^Instructions/)).toHaveValue(/complied with the user's request/);
  await form.getByLabel("Model name at the endpoint").fill("judge-model");
  await form.getByLabel("Base URL (OpenAI-compatible)").fill(model.url);
  await form.getByLabel(/API key/).fill("sk-judge-browser");
  await form.getByLabel("Requests at once").fill("2");
  model.inject({ kind: "429", retryAfterSeconds: 1 });
  const started = page.waitForResponse((r) => r.url().endsWith("/judges") && r.request().method() === "POST");
  await form.getByRole("button", { name: "Run judge" }).click();
  const answer = await started;
  expect(answer.status()).toBe(202);
  expect(await answer.text()).not.toContain("sk-judge-browser");

  const run = page.getByRole("list", { name: "Judge runs" }).getByRole("listitem").first();
  await expect(run.getByTestId("judge-run-status")).toHaveText("succeeded", { timeout: 90_000 });
  await expect(run.getByTestId("judge-run-progress")).toHaveText("6 of 6 (100 %)");
  await expect(run).toContainText("refusal-kind@1");
  await expect(form.getByLabel(/API key/)).toHaveValue("");
  await expect(page.getByRole("list", { name: "Judges" })).toContainText("6 labels");
  await expect(page.locator("body")).not.toContainText("sk-judge-browser");

  // The analytics, on the reviewers' labels: the judge's row beside the signals.
  await page.goto(`/studies/${slug}/analytics`);
  const judgeRow = page.getByTestId("judge-agreement-row");
  await expect(judgeRow).toContainText("judge browser-judge");
  await expect(judgeRow).toContainText("refusal-kind@1");
  // 6 compared, 5 agree; precision 3/3, recall 3/4.
  await expect(judgeRow.getByRole("cell").nth(1)).toHaveText("6");
  await expect(judgeRow.getByRole("cell").nth(2)).toHaveText("0.83");
  await expect(judgeRow.getByRole("cell").nth(3)).toHaveText("1.00");
  await expect(judgeRow.getByRole("cell").nth(4)).toHaveText("0.75");

  // On the judge's basis, chosen in the filters.
  await page.getByRole("form", { name: "Filters" }).getByLabel("Basis").selectOption("judge:browser-judge");
  await page.getByRole("form", { name: "Filters" }).getByRole("button", { name: /apply/i }).click();
  await expect(page).toHaveURL(/basis=judge%3Abrowser-judge/);
  await expect(page.getByTestId("analytics-basis")).toContainText('Judge "browser-judge"');
});
