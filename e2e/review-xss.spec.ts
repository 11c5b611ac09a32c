// Hostile model output in the review workspace: a study imported through the real importer whose
// prompts, reasoning, answers and study name are a corpus of XSS payloads (script tags, event
// handlers, javascript: and data: URLs, SVG, markdown link and image tricks, entities), plus a
// hostile note typed by the reviewer. Nothing may run (no dialog, the window flag stays unset) and
// nothing may be fetched from another origin or from an /attacker path — while the payloads stay
// visible as text for the reviewer.
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { ATTACKER_HOST, XSS_DOCUMENT, XSS_FLAG, XSS_PAYLOADS } from "../lib/review/render-xss-corpus";
import { storageStatePath } from "./support/accounts";

const root = path.resolve(import.meta.dirname, "..");
const slug = `xss-e2e-${Date.now()}`;
const INLINE = XSS_PAYLOADS.join(" · ");
const NOTE = `<img src=x onerror="window.${XSS_FLAG}='note'"> [n](javascript:alert('note')) ![p](http://${ATTACKER_HOST}/note.png)`;

/** Imports the corpus with the command line, into the database the test server uses. */
function importCorpus() {
  const dir = path.join(root, "test-results", "xss-corpus");
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${slug}.jsonl`);
  const rows = [];
  for (const [i, prompt] of [XSS_DOCUMENT, INLINE].entries()) {
    rows.push({ prompt_id: `xss-${i}`, prompt, checkpoint: "ckpt-sft", strategy: "sft", reasoning: XSS_DOCUMENT, answer: INLINE });
    rows.push({ prompt_id: `xss-${i}`, prompt, checkpoint: "ckpt-rl", strategy: "rl", response: `<think>${INLINE}</think>${XSS_DOCUMENT}` });
    rows.push({ prompt_id: `xss-${i}`, prompt, checkpoint: "ckpt-hybrid", strategy: "hybrid", reasoning: INLINE, answer: XSS_DOCUMENT });
  }
  writeFileSync(file, rows.map((row) => JSON.stringify(row)).join("\n") + "\n");
  const env = { ...process.env };
  // The same database as the server under test: E2E_DATABASE_URL, or the embedded one it runs.
  if (process.env.E2E_DATABASE_URL) env.DATABASE_URL = process.env.E2E_DATABASE_URL;
  else {
    delete env.DATABASE_URL;
    env.PARALLAX_DATA_DIR = ".parallax/e2e-db";
  }
  const run = spawnSync(path.join(root, "node_modules", ".bin", "tsx"), ["lib/cli/parallax.ts", "import", file, "--study", slug, "--create", `<img src=x onerror=alert('study')> XSS corpus`], {
    cwd: root,
    env,
    encoding: "utf8",
    timeout: 120_000,
  });
  expect(run.status, `import failed:\n${run.stdout}\n${run.stderr}`).toBe(0);
  expect(run.stdout).toContain("inserted         6");
}

function watch(page: Page, origin: string) {
  const dialogs: string[] = [];
  const requests: string[] = [];
  page.on("dialog", (dialog) => {
    dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
  page.on("request", (request) => {
    const url = request.url();
    if (url.includes(ATTACKER_HOST) || url.includes("/attacker")) return void requests.push(url);
    const { protocol } = new URL(url);
    if (protocol === "http:" || protocol === "https:") {
      if (new URL(url).origin !== origin) requests.push(url);
      return;
    }
    // The layout's inline SVG favicon is the only other request a page may make.
    if (!(protocol === "data:" && url.startsWith("data:image/svg+xml,") && url.includes("circle"))) requests.push(url.slice(0, 200));
  });
  return { dialogs, requests };
}

const columns = (page: Page) => page.getByRole("region", { name: "Responses" }).getByRole("article");

test.use({ storageState: storageStatePath("REVIEWER"), viewport: { width: 1500, height: 950 } });

test.beforeAll(() => importCorpus());

test("XSS payloads as prompt, reasoning, answer, study name and note run nothing and load nothing", async ({ page, baseURL }) => {
  test.setTimeout(120_000);
  const origin = new URL(baseURL!).origin;
  const seen = watch(page, origin);

  await page.goto(`/studies/${slug}/review`);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("<img src=x onerror=alert('study')> XSS corpus");
  // The payloads are shown, as text.
  const prompt = page.getByRole("region", { name: "Prompt" });
  await expect(prompt.getByText(`<script>window.${XSS_FLAG}=1;alert(1)</script>`).first()).toBeVisible();
  await expect(prompt.getByText(/Image \(not loaded\): “tracking pixel”/).first()).toBeVisible();
  await expect(prompt.getByText(/⟨blocked script or data address: javascript:/).first()).toBeVisible();
  expect(await page.locator("main img, main iframe, main object, main embed, main svg:not([aria-hidden]), main a[href^='javascript'], main script:not([nonce])").count()).toBe(0);

  // Unfold every reasoning, hover and click over everything, switch to plain text and back.
  await page.keyboard.press("Shift+E");
  await expect(columns(page).first().getByText(/Reasoning · [\d,]+ chars/)).toBeVisible();
  for (const region of [prompt, ...(await columns(page).all())]) {
    const box = await region.boundingBox();
    if (!box) continue;
    for (const [fx, fy] of [[0.3, 0.2], [0.6, 0.4], [0.5, 0.6]] as const) await page.mouse.move(box.x + box.width * fx, box.y + box.height * fy);
  }
  await prompt.getByText(/click me|\[click\]|click/).first().click();
  await page.keyboard.press("t");
  await expect(page.getByRole("button", { name: /Plain text/ })).toBeVisible();
  await page.keyboard.press("t");

  // A hostile note, and a full label of every response; submit.
  const count = await columns(page).count();
  for (let i = 0; i < count; i++) {
    for (const key of ["3", "w", "c", "m", "q", "1"]) await page.keyboard.press(key);
    if (i === 0) {
      await page.keyboard.press("n");
      await page.keyboard.insertText(NOTE);
      await page.keyboard.press("Escape");
    }
    if (i < count - 1) await page.keyboard.press("ArrowRight");
  }
  await expect(page.getByRole("status").filter({ hasText: /draft saved/i })).toBeVisible({ timeout: 10_000 });
  const firstPrompt = /prompt #(\d+)/.exec(await page.getByRole("heading", { level: 1 }).innerText())![1];
  await page.keyboard.press("Control+Enter");
  await expect(page.getByRole("heading", { level: 1 })).not.toContainText(`prompt #${firstPrompt}`, { timeout: 15_000 });

  // The second prompt (payloads inline), then "my labels" and the first prompt again with its note.
  await expect(page.getByRole("region", { name: "Prompt" }).getByText(/<svg onload=/).first()).toBeVisible();
  await page.goto(`/studies/${slug}/labels`);
  await expect(page.getByRole("link", { name: `Open prompt ${firstPrompt}` })).toBeVisible();
  await page.getByRole("link", { name: `Open prompt ${firstPrompt}` }).click();
  await expect(columns(page).first().getByRole("textbox", { name: /Note on response/ })).toHaveValue(NOTE);
  await page.waitForTimeout(500);

  expect(await page.evaluate((flag) => (window as unknown as Record<string, unknown>)[flag], XSS_FLAG)).toBeUndefined();
  expect(seen.dialogs).toEqual([]);
  expect(seen.requests).toEqual([]);

  // The watchers themselves work: a real image load and a real alert are caught.
  await page.evaluate((host) => {
    const img = document.createElement("img");
    img.src = `http://${host}/control.png`;
    document.body.append(img);
    setTimeout(() => alert("control"), 0);
  }, ATTACKER_HOST);
  await expect.poll(() => seen.dialogs).toEqual(["alert: control"]);
  await expect.poll(() => seen.requests).toEqual([`http://${ATTACKER_HOST}/control.png`]);
});
