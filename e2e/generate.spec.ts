// A researcher collects a checkpoint's responses from the study page: fills in "Collect responses"
// against the local OpenAI-compatible server (which answers 429 with Retry-After first and is
// restarted mid-run), watches the progress bar reach 100 %, and finds the new checkpoint's responses
// in the study, reasoning kept apart from the answer. The API key never comes back to the page.
import { expect, test } from "@playwright/test";
import { type FakeModelServer, fakeAnswer, fakeReasoning, startFakeModelServer } from "../lib/testing/openai-server";
import { apiTokens, storageStatePath } from "./support/accounts";

test.use({ storageState: storageStatePath("RESEARCHER") });

const PROMPTS = 40;
const slug = `gen-e2e-${Date.now().toString(36)}`;
let model: FakeModelServer;

test.beforeAll(async ({ request }) => {
  // A study of its own, so the demo study's figures stay as other tests expect them.
  const rows = Array.from({ length: PROMPTS }, (_, i) =>
    JSON.stringify({
      prompt_id: `g${i}`,
      prompt: `Browser generation prompt ${i}`,
      checkpoint: "sft-seed",
      strategy: "sft",
      response: "seed",
    }),
  ).join("\n");
  const created = await request.post(
    `/api/v1/studies/${slug}/responses?create=${encodeURIComponent("Generation e2e")}`,
    {
      headers: { authorization: `Bearer ${apiTokens().RESEARCHER}`, "content-type": "application/x-ndjson" },
      data: `${rows}\n`,
    },
  );
  expect(created.status()).toBe(201);
  model = await startFakeModelServer({ latencyMs: 400, reasoning: "field", apiKey: "sk-browser-secret" });
});

test.afterAll(async () => {
  await model?.close();
});

test("collects responses with 429s and an endpoint restart, then shows them in the study", async ({ page }) => {
  await page.goto(`/studies/${slug}`);
  const form = page.getByRole("form", { name: "Collect responses" });
  await form.getByLabel("Checkpoint", { exact: true }).fill("rl-browser");
  await form.getByLabel("Strategy (for a new checkpoint)").selectOption("rl");
  await form.getByLabel("Model name at the endpoint").fill("fake-model");
  await form.getByLabel("Base URL (OpenAI-compatible)").fill(model.url);
  await form.getByLabel(/API key/).fill("sk-browser-secret");
  await form.getByLabel("Requests at once").fill("2");
  model.inject({ kind: "429", retryAfterSeconds: 1 }, { kind: "429", retryAfterSeconds: 1 });
  const started = page.waitForResponse((r) => r.url().endsWith("/generation-runs") && r.request().method() === "POST");
  await form.getByRole("button", { name: "Collect responses" }).click();
  const answer = await started;
  expect(answer.status()).toBe(202);
  expect(await answer.text()).not.toContain("sk-browser-secret");

  const run = page.getByRole("list", { name: "Generation runs" }).getByRole("listitem").first();
  await expect(run.getByTestId("run-status")).toHaveText(/running|queued/);
  // Mid-run the endpoint goes away and comes back on the same port.
  await expect(run.getByTestId("run-progress")).toHaveText(/^([4-9]|[1-3]\d) of 40/, { timeout: 60_000 });
  const port = model.port;
  await model.close();
  await page.waitForTimeout(1500);
  model = await startFakeModelServer({ port, latencyMs: 50, reasoning: "field", apiKey: "sk-browser-secret" });

  await expect(run.getByTestId("run-status")).toHaveText("succeeded", { timeout: 90_000 });
  await expect(run.getByTestId("run-progress")).toHaveText("40 of 40 (100 %)");
  await expect(form.getByLabel(/API key/)).toHaveValue("");
  await expect(page.locator("body")).not.toContainText("sk-browser-secret");

  // The new checkpoint is in the study with its responses.
  await page.reload();
  const checkpoints = page.getByRole("region", { name: "Checkpoints" }).getByRole("table");
  await expect(checkpoints.getByRole("row", { name: /rl-browser/ })).toBeVisible();

  // A generated response as a researcher reads it: reasoning apart from the answer.
  await page.goto(`/studies/${slug}/responses?strategy=RL`);
  await page.getByRole("rowheader").getByRole("link").first().click();
  const prompt = (
    await page
      .getByText(/^Browser generation prompt \d+$/)
      .first()
      .innerText()
  ).trim();
  await expect(page.getByText(fakeReasoning(prompt), { exact: true })).toBeVisible();
  await expect(page.getByText(fakeAnswer(prompt), { exact: true })).toBeVisible();
});
