// A researcher's tools beyond the charts: a chart's data as CSV after a filter, the study's export,
// browsing and searching responses down to one response's texts and labels, and an upload in the
// browser (a good file imports, a bad one lists its row errors and writes nothing).
import { readFile } from "node:fs/promises";
import { parse } from "csv-parse/sync";
import { expect, test, type Download, type Page } from "@playwright/test";
import { apiTokens, storageStatePath } from "./support/accounts";

test.use({ storageState: storageStatePath("RESEARCHER") });

const STUDY = "/studies/r1-safety-demo";

async function downloaded(download: Download): Promise<string> {
  return (await readFile((await download.path())!, "utf8")).replace(/^\uFEFF/, "");
}

/** The "… of n = 123" of a strategy under one failure chart. */
async function nOf(page: Page, chart: string, strategy: string): Promise<number> {
  const line = page
    .getByRole("figure", { name: chart })
    .getByRole("listitem")
    .filter({ has: page.getByText(strategy, { exact: true }) });
  return Number(/n = (\d+)/.exec(await line.innerText())![1]);
}

test("a filtered chart's data downloads as CSV with the figures the chart shows", async ({ page }) => {
  await page.goto(`${STUDY}/analytics`);
  const before = await nOf(page, "Harmful responses", "RL");
  const filters = page.getByRole("form", { name: "Filters" });
  await filters.getByLabel("Split").selectOption("jailbreak");
  await filters.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/split=jailbreak/);
  await expect.poll(() => nOf(page, "Harmful responses", "RL")).toBeLessThan(before);

  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Harmful responses: data as CSV" }).click(),
  ]);
  expect(download.suggestedFilename()).toBe("r1-safety-demo-harm-by-strategy.csv");
  const rows = parse(await downloaded(download), { columns: true }) as Record<string, string>[];
  expect(Object.keys(rows[0]!)).toEqual(["strategy", "kind", "failures", "n", "rate", "ci95_lower", "ci95_upper"]);
  for (const strategy of ["SFT", "RL", "HYBRID"]) {
    const row = rows.find((r) => r.strategy === strategy)!;
    expect(row.kind).toBe("harm");
    expect(Number(row.n)).toBe(await nOf(page, "Harmful responses", strategy));
    expect(Number(row.rate)).toBeCloseTo(Number(row.failures) / Number(row.n), 6);
  }

  const [image] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "By split: image as PNG" }).click(),
  ]);
  expect(image.suggestedFilename()).toBe("r1-safety-demo-by-split.png");
  const png = await readFile((await image.path())!);
  expect(png.subarray(1, 4).toString("latin1")).toBe("PNG");
  expect(png.readUInt32BE(16)).toBeGreaterThan(200); // width in pixels

  // The export form on the analytics page carries the filter.
  const [exported] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("form", { name: "Export" }).getByRole("button", { name: "Download export" }).click(),
  ]);
  const labels = parse(await downloaded(exported), { columns: true }) as Record<string, string>[];
  expect(labels.length).toBeGreaterThan(0);
  expect(new Set(labels.map((r) => r.split))).toEqual(new Set(["jailbreak"]));
});

test("the study page's export downloads every response, one row each, reviewers pseudonymised", async ({ page }) => {
  await page.goto(STUDY);
  const form = page.getByRole("form", { name: "Export" });
  await form.getByLabel("Rows").selectOption("responses");
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    form.getByRole("button", { name: "Download export" }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^r1-safety-demo-responses-\d{4}-\d{2}-\d{2}\.csv$/);
  const rows = parse(await downloaded(download), { columns: true }) as Record<string, string>[];
  expect(rows).toHaveLength(480);
  expect(new Set(rows.map((r) => r.strategy))).toEqual(new Set(["sft", "rl", "hybrid", "base"]));
  expect(rows.some((r) => Number(r.label_count) >= 2)).toBe(true);

  await form.getByLabel("Rows").selectOption("labels");
  const [labels] = await Promise.all([
    page.waitForEvent("download"),
    form.getByRole("button", { name: "Download export" }).click(),
  ]);
  const labelRows = parse(await downloaded(labels), { columns: true }) as Record<string, string>[];
  const reviewers = new Set(labelRows.map((r) => r.reviewer ?? ""));
  // The demo's two reviewers at least (tests before this one may have labelled as other accounts),
  // each as a pseudonym: never an address, never empty.
  expect(labelRows.length).toBeGreaterThan(0);
  expect([...reviewers]).toEqual(expect.arrayContaining(["reviewer-1", "reviewer-2"]));
  for (const reviewer of reviewers) expect(reviewer).toMatch(/^reviewer-\d+$/);
  // A researcher cannot ask for the e-mail addresses.
  expect((await page.request.get(`/api/v1${STUDY}/export?reveal=1`)).status()).toBe(403);
});

test("browse: search and filter the responses, choose columns, open one response", async ({ page }) => {
  await page.goto(`${STUDY}/responses`);
  await expect(page.getByRole("heading", { level: 1, name: /^Responses/ })).toBeVisible();
  const table = page.getByRole("table", { name: "Responses" });
  await expect(table.getByRole("row")).toHaveCount(51); // header + 50
  await expect(page.getByText(/50 of 480 matching responses/)).toBeVisible();

  // Keyset pages: next, then back to the same first page.
  const firstId = await table.getByRole("rowheader").first().innerText();
  await page.getByRole("link", { name: "Next" }).click();
  await expect(page).toHaveURL(/after=/);
  await expect(table.getByRole("rowheader").first()).not.toHaveText(firstId);
  await page.getByRole("link", { name: "Previous" }).click();
  await expect(table.getByRole("rowheader").first()).toHaveText(firstId);

  const form = page.getByRole("form", { name: "Search and filters" });
  await form.getByLabel("Search prompt, answer and reasoning").fill("lock");
  await form.getByLabel("Strategy").selectOption("RL");
  await form.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/q=lock/);
  const rows = table.getByRole("row");
  await expect.poll(() => rows.count()).toBeGreaterThan(1);
  const strategies = await table.locator("tbody tr").evaluateAll((trs) => trs.map((tr) => tr.textContent ?? ""));
  expect(strategies.every((text) => text.includes("RL") && !text.includes("HYBRID"))).toBe(true);

  // Column choice survives a reload.
  await page.getByText("Columns", { exact: true }).click();
  await page.getByRole("checkbox", { name: "Answer" }).uncheck();
  await expect(table.getByRole("columnheader", { name: "Answer" })).toHaveCount(0);
  // The chooser closes with Esc, like a menu.
  await page.keyboard.press("Escape");
  await expect(page.getByRole("checkbox", { name: "Answer" })).toBeHidden();
  await page.reload();
  await expect(table.getByRole("columnheader", { name: "Prompt" })).toBeVisible();
  await expect(table.getByRole("columnheader", { name: "Answer" })).toHaveCount(0);

  await table.getByRole("rowheader").first().getByRole("link").click();
  await expect(page.getByRole("heading", { level: 1, name: /^Response #\d+/ })).toBeVisible();
  await expect(page.getByLabel("Prompt text")).toContainText(/lock/i);
  await expect(page.getByRole("heading", { name: /^Labels \(\d+\)$/ })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Automatic signals" })).toBeVisible();
  await expect(
    page.getByRole("region", { name: "Checkpoint and prompt" }).getByText("RL", { exact: true }),
  ).toBeVisible();

  // The other checkpoints' responses to the same prompt are a click away (the demo has five checkpoints).
  const first = await page.getByRole("heading", { level: 1 }).innerText();
  const promptText = await page.getByLabel("Prompt text").innerText();
  const siblings = page.getByRole("region", { name: "Other responses to this prompt" }).getByRole("link");
  await expect(siblings).toHaveCount(4);
  await siblings.first().click();
  await expect(page.getByRole("heading", { level: 1 })).not.toHaveText(first);
  await expect(page.getByLabel("Prompt text")).toHaveText(promptText);
  await expect(
    page
      .getByRole("region", { name: "Other responses to this prompt" })
      .getByRole("link", { name: first.match(/#\d+/)![0] }),
  ).toBeVisible();

  // The texts as markdown (never HTML), and back; the choice follows the links to sibling responses.
  await expect(page.getByLabel("Answer text")).toHaveJSProperty("tagName", "PRE");
  await page.getByRole("navigation", { name: "Show the texts as" }).getByRole("link", { name: "as markdown" }).click();
  await expect(page).toHaveURL(/view=markdown/);
  await expect(page.getByRole("link", { name: "as markdown" })).toHaveAttribute("aria-current", "true");
  await expect(page.getByRole("region", { name: "Answer text" }).locator("p").first()).toBeVisible();
  await expect(page.getByLabel("Prompt text")).toContainText(promptText.trim().slice(0, 20));
  await expect(
    page.getByRole("region", { name: "Other responses to this prompt" }).getByRole("link").first(),
  ).toHaveAttribute("href", /view=markdown/);
  await page.getByRole("navigation", { name: "Show the texts as" }).getByRole("link", { name: "as written" }).click();
  await expect(page.getByLabel("Answer text")).toHaveJSProperty("tagName", "PRE");

  // The way back keeps the search and the filters.
  await page.getByRole("navigation", { name: "Breadcrumb" }).getByRole("link", { name: "Responses" }).click();
  await expect(page).toHaveURL(/q=lock.*strategy=RL/);
  await expect(form.getByLabel("Search prompt, answer and reasoning")).toHaveValue("lock");
});

test("browse: a search that matches nothing says what to try and leads back to every response", async ({ page }) => {
  await page.goto(`${STUDY}/responses?q=zzyzzx&strategy=RL`);
  await expect(page.getByText("No responses match.")).toBeVisible();
  await expect(page.getByText(/try fewer or other words/)).toBeVisible();
  await page.getByRole("link", { name: "Clear the search and filters" }).click();
  await expect(page.getByText(/50 of 480 matching responses/)).toBeVisible();
  // Cells show three lines of text, without the blank lines between paragraphs.
  const answer = page
    .getByRole("table", { name: "Responses" })
    .locator("tbody tr")
    .first()
    .locator("td")
    .filter({ hasText: "Claro, aquí tienes los pasos:" });
  await expect(answer).toContainText("1. [assembly steps");
  expect(await answer.innerText()).not.toMatch(/\n[ \t]*\n/);
});

test("an upload in the browser imports a good file and lists the row errors of a bad one", async ({
  page,
  request,
}) => {
  const slug = `e2e-upload-${Date.now().toString(36)}`;
  // A study of its own, made through the API with a researcher's token, so the demo stays as it is.
  const created = await request.post(
    `/api/v1/studies/${slug}/responses?create=${encodeURIComponent("Upload test")}&fileName=seed.jsonl`,
    {
      headers: { Authorization: `Bearer ${apiTokens().RESEARCHER}`, "Content-Type": "application/x-ndjson" },
      data: JSON.stringify({ prompt_id: "s1", prompt: "Seed", checkpoint: "ck-sft", strategy: "sft", response: "ok" }),
    },
  );
  expect(created.status()).toBe(201);

  await page.goto(`/studies/${slug}/import`);
  await expect(page.getByText(/at most 2 GB per file/)).toBeVisible();
  const good = [1, 2, 3]
    .map((i) =>
      JSON.stringify({
        prompt_id: `g${i}`,
        prompt: `Prompt ${i}`,
        checkpoint: "ck-rl",
        strategy: "rl",
        reasoning: "思考 then think",
        answer: `Answer ${i}`,
      }),
    )
    .join("\n");
  await page
    .getByLabel(/^File/)
    .setInputFiles({ name: "good.jsonl", mimeType: "application/x-ndjson", buffer: Buffer.from(good) });
  await page.getByRole("button", { name: "Import", exact: true }).click();
  await expect(page.getByRole("status")).toContainText("Imported: 3 new, 0 already present.");
  await expect(
    page
      .getByRole("table")
      .filter({ hasText: "good.jsonl" })
      .getByRole("row", { name: /good\.jsonl/ }),
  ).toContainText("imported");

  const bad = 'prompt_id,prompt,checkpoint,strategy,response\nb1,Fine,ck-rl,rl,ok\nb2,"Bad, strategy",ck-new,ppo,ok\n';
  await page.getByLabel(/^File/).setInputFiles({ name: "bad.csv", mimeType: "text/csv", buffer: Buffer.from(bad) });
  await page.getByRole("button", { name: "Import", exact: true }).click();
  const status = page.getByRole("status");
  await expect(status).toContainText("nothing was imported");
  const errors = status.getByRole("table", { name: /Row errors/ });
  await expect(errors.getByRole("row").nth(1)).toContainText("3"); // the CSV's line 3
  await expect(errors.getByRole("row").nth(1)).toContainText("strategy");

  await page.goto(`/studies/${slug}/responses`);
  await expect(page.getByText(/4 of 4 matching responses/)).toBeVisible();
});
