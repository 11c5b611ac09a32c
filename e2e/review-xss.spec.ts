// Hostile model output in the review workspace: a study imported through the real importer whose
// prompts, reasoning, answers and study name are a corpus of XSS payloads (script tags, event
// handlers, javascript: and data: URLs, SVG, markdown link and image tricks, entities), plus a
// hostile note typed by the reviewer. Nothing may run (no dialog, the window flag stays unset) and
// nothing may be fetched from another origin or from an /attacker path — while the payloads stay
// visible as text for the reviewer.
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { ATTACKER_HOST, XSS_DOCUMENT, XSS_FLAG, XSS_PAYLOADS } from "../lib/review-screen/render-xss-corpus";
import { ACCOUNTS, apiTokens, storageStatePath } from "./support/accounts";

const slug = `xss-e2e-${Date.now()}`;
const INLINE = XSS_PAYLOADS.join(" · ");
const NOTE = `<img src=x onerror="window.${XSS_FLAG}='note'"> [n](javascript:alert('note')) ![p](http://${ATTACKER_HOST}/note.png)`;

/**
 * Imports the corpus through the server under test (its HTTP API, the same pipeline as the command
 * line), so it lands in the database that server reads, whichever that is. Importing with the
 * command line into the database the test *expected* the server to use went wrong whenever the two
 * differed — Playwright reusing a server already on the port, or DATABASE_URL set in the shell — and
 * the fresh study was "This page does not exist".
 */
async function importCorpus(request: APIRequestContext) {
  const rows = [];
  for (const [i, prompt] of [XSS_DOCUMENT, INLINE].entries()) {
    rows.push({
      prompt_id: `xss-${i}`,
      prompt,
      checkpoint: "ckpt-sft",
      strategy: "sft",
      reasoning: XSS_DOCUMENT,
      answer: INLINE,
    });
    rows.push({
      prompt_id: `xss-${i}`,
      prompt,
      checkpoint: "ckpt-rl",
      strategy: "rl",
      response: `<think>${INLINE}</think>${XSS_DOCUMENT}`,
    });
    rows.push({
      prompt_id: `xss-${i}`,
      prompt,
      checkpoint: "ckpt-hybrid",
      strategy: "hybrid",
      reasoning: INLINE,
      answer: XSS_DOCUMENT,
    });
  }
  const name = `<img src=x onerror=alert('study')> XSS corpus`;
  const answer = await request.post(
    `/api/v1/studies/${slug}/responses?create=${encodeURIComponent(name)}&fileName=${slug}.jsonl`,
    {
      headers: { Authorization: `Bearer ${apiTokens().RESEARCHER}`, "Content-Type": "application/x-ndjson" },
      data: rows.map((row) => JSON.stringify(row)).join("\n") + "\n",
    },
  );
  expect(answer.status(), await answer.text()).toBe(201);
  expect(await answer.json()).toMatchObject({ status: "succeeded", inserted: 6 });
  // The researcher who made it adds the reviewer: only members see a study.
  const member = await request.post(`/api/v1/studies/${slug}/members`, {
    headers: { Authorization: `Bearer ${apiTokens().RESEARCHER}`, "Content-Type": "application/json" },
    data: { email: ACCOUNTS.REVIEWER, role: "REVIEWER" },
  });
  expect(member.status(), await member.text()).toBe(201);
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
    if (!(protocol === "data:" && url.startsWith("data:image/svg+xml,") && url.includes("circle")))
      requests.push(url.slice(0, 200));
  });
  return { dialogs, requests };
}

const columns = (page: Page) => page.getByRole("region", { name: "Responses" }).getByRole("article");

test.use({ storageState: storageStatePath("REVIEWER"), viewport: { width: 1500, height: 950 } });

test("XSS payloads as prompt, reasoning, answer, study name and note run nothing and load nothing", async ({
  page,
  baseURL,
  request,
}) => {
  test.setTimeout(120_000);
  await importCorpus(request);
  const origin = new URL(baseURL!).origin;
  const seen = watch(page, origin);

  await page.goto(`/studies/${slug}/review`);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("<img src=x onerror=alert('study')> XSS corpus");
  // The payloads are shown, as text.
  const prompt = page.getByRole("region", { name: "Prompt" });
  await expect(prompt.getByText(`<script>window.${XSS_FLAG}=1;alert(1)</script>`).first()).toBeVisible();
  await expect(prompt.getByText(/Image \(not loaded\): “tracking pixel”/).first()).toBeVisible();
  await expect(prompt.getByText(/⟨blocked script or data address: javascript:/).first()).toBeVisible();
  expect(
    await page
      .locator(
        "main img, main iframe, main object, main embed, main svg:not([aria-hidden]), main a[href^='javascript'], main script:not([nonce])",
      )
      .count(),
  ).toBe(0);

  // Unfold every reasoning, hover and click over everything, switch to plain text and back.
  await page.keyboard.press("Shift+E");
  await expect(
    columns(page)
      .first()
      .getByText(/Reasoning · [\d,]+ chars/),
  ).toBeVisible();
  for (const region of [prompt, ...(await columns(page).all())]) {
    const box = await region.boundingBox();
    if (!box) continue;
    for (const [fx, fy] of [
      [0.3, 0.2],
      [0.6, 0.4],
      [0.5, 0.6],
    ] as const)
      await page.mouse.move(box.x + box.width * fx, box.y + box.height * fy);
  }
  await prompt
    .getByText(/click me|\[click\]|click/)
    .first()
    .click();
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
  await expect(page.getByRole("heading", { level: 1 })).not.toContainText(`prompt #${firstPrompt}`, {
    timeout: 15_000,
  });

  // The second prompt (payloads inline), then "my labels" and the first prompt again with its note.
  await expect(
    page
      .getByRole("region", { name: "Prompt" })
      .getByText(/<svg onload=/)
      .first(),
  ).toBeVisible();
  await page.goto(`/studies/${slug}/labels`);
  await expect(page.getByRole("link", { name: `Open prompt ${firstPrompt}` })).toBeVisible();
  await page.getByRole("link", { name: `Open prompt ${firstPrompt}` }).click();
  await expect(
    columns(page)
      .first()
      .getByRole("textbox", { name: /Note on response/ }),
  ).toHaveValue(NOTE);
  // Whatever the page was going to load has loaded or failed (no request for 500 ms, by the
  // browser's own count) and two frames have been painted: a payload had its chance to run.
  await page.waitForLoadState("networkidle");
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));

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
