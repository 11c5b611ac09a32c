// Nothing lost: a draft save that fails (server unreachable) is announced and retried until it
// goes through; two tabs editing the same labels end in a conflict view where the reviewer keeps
// their version.
import { expect, test, type Page } from "@playwright/test";
import { storageStatePath } from "./support/accounts";

test.use({ storageState: storageStatePath("REVIEWER"), viewport: { width: 1500, height: 950 } });

const STUDY = "/studies/r1-safety-demo";
const columns = (page: Page) => page.getByRole("region", { name: "Responses" }).getByRole("article");
const harm = (page: Page, index: number, name: RegExp) =>
  columns(page)
    .nth(index)
    .getByRole("group", { name: /^Label of response/ })
    .getByRole("group", { name: "Harm", exact: true })
    .getByRole("radio", { name });

async function submitAll(page: Page) {
  await page.keyboard.press("Control+Enter");
  // Gaps in older labels ask for a second Ctrl+Enter.
  const anyway = page.getByRole("button", { name: "Submit anyway" });
  if (await anyway.isVisible().catch(() => false)) await page.keyboard.press("Control+Enter");
}

test("a draft that cannot be saved says so and is retried until it is saved", async ({ page }) => {
  await page.goto(`${STUDY}/review`);
  await expect(columns(page).first()).toHaveAttribute("aria-current", "true");
  // The server is unreachable for the page's server actions.
  await page.route("**/studies/**", (route) =>
    route.request().method() === "POST" ? route.abort("connectionrefused") : route.continue(),
  );
  await page.keyboard.press("1");
  const banner = page.getByRole("alert").filter({ hasText: "Not saved yet — retrying" });
  await expect(banner).toBeVisible({ timeout: 10_000 });
  await expect(banner).toContainText("your labels are kept in this browser");
  // Back online: the next retry goes through and the banner goes.
  await page.unroute("**/studies/**");
  await banner.getByRole("button", { name: "Retry now" }).click();
  await expect(page.getByRole("status").filter({ hasText: /draft saved/i })).toBeVisible({ timeout: 10_000 });
  await expect(banner).toBeHidden();
  await expect(harm(page, 0, /minor/)).toBeChecked();
});

test("two tabs change the same label: the second submit shows both versions and keeps the reviewer's choice", async ({
  context,
}) => {
  const first = await context.newPage();
  await first.goto(`${STUDY}/labels`);
  const open = first.getByRole("link", { name: /^Open prompt \d+$/ }).first();
  const href = await open.getAttribute("href");
  expect(href).toMatch(/review\?prompt=\d+$/);
  await first.goto(href!);
  const second = await context.newPage();
  await second.goto(href!);

  // Tab 1: severe; submitted.
  await first.keyboard.press("3");
  await first.keyboard.press("w");
  await submitAll(first);
  await expect(first).toHaveURL(new RegExp(`${STUDY}/review$`), { timeout: 15_000 });

  // Tab 2, still on the old version: minor; submit → conflict.
  await second.keyboard.press("1");
  await second.keyboard.press("w");
  await submitAll(second);
  const dialog = second.getByRole("dialog", { name: /changed since you opened this prompt/ });
  await expect(dialog).toBeVisible({ timeout: 15_000 });
  const conflict = dialog.getByRole("region", { name: /^Conflict on response/ }).first();
  await expect(conflict.getByRole("row", { name: /Harm/ })).toContainText("1 minor");
  await expect(conflict.getByRole("row", { name: /Harm/ })).toContainText("3 severe");
  await dialog.getByRole("button", { name: "Keep mine for all" }).click();
  await dialog.getByRole("button", { name: "Submit with these choices" }).click();
  await expect(second).toHaveURL(new RegExp(`${STUDY}/review$`), { timeout: 15_000 });

  // The stored label is tab 2's.
  await second.goto(href!);
  await expect(harm(second, 0, /minor/)).toBeChecked();
});

test("Shift+S skips the prompt and serves another", async ({ page }) => {
  await page.goto(`${STUDY}/review`);
  const heading = page.getByRole("heading", { level: 1 });
  await expect(heading).toContainText(/prompt #\d+/);
  const before = /prompt #(\d+)/.exec(await heading.innerText())![1];
  await page.keyboard.press("Shift+S");
  await expect(heading).not.toContainText(`prompt #${before}`, { timeout: 15_000 });
  await expect(heading).toContainText(/prompt #\d+/);
});

test.describe("before the page is interactive", () => {
  // Another account's queue, so that the draft this leaves behind meets no other test.
  test.use({ storageState: storageStatePath("ADMIN") });

  test("keys pressed while the page's JavaScript is still loading are kept", async ({ page }) => {
    test.setTimeout(90_000);
    // The JavaScript is held back until the keys are pressed, as on a slow connection; the HTML is
    // there at once. No delay to guess: the chunks come when the test says so.
    // A prompt this account has no draft on: skip the one it holds (an earlier run's draft stays
    // there), so the checks below start from empty labels on every run.
    await page.goto(`${STUDY}/review`);
    const heading = page.getByRole("heading", { level: 1 });
    const before = /prompt #(\d+)/.exec(await heading.innerText())![1];
    await page.keyboard.press("Shift+S");
    await expect(heading).not.toContainText(`prompt #${before}`, { timeout: 15_000 });
    await expect(harm(page, 0, /moderate/)).not.toBeChecked();

    let release!: () => void;
    const keysPressed = new Promise<void>((resolve) => (release = resolve));
    // Scripts only: the stylesheets sit beside them, and React shows no streamed content before its stylesheets.
    await page.route(
      (url) => url.pathname.startsWith("/_next/static/chunks/") && url.pathname.endsWith(".js"),
      async (route) => {
        await keysPressed;
        await route.continue();
      },
    );
    try {
      await page.goto(`${STUDY}/review`, { waitUntil: "commit" });
      await expect(columns(page).first()).toBeVisible();
      await page.keyboard.press("2");
      await page.keyboard.press("ArrowRight");
      await page.keyboard.press("3");
      // Proof that they were pressed before the workspace ran: the page's early recorder holds
      // them, and no label is set yet.
      expect(
        await page.evaluate(() =>
          (window as unknown as { __parallaxEarlyKeys?: { keys: { key: string }[] } }).__parallaxEarlyKeys?.keys.map(
            (k) => k.key,
          ),
        ),
      ).toEqual(["2", "ArrowRight", "3"]);
      await expect(harm(page, 0, /moderate/)).not.toBeChecked();
    } finally {
      release();
    }
    // Once the workspace runs: moderate on response A, then severe on response B (→ moved on).
    await expect
      .poll(
        () =>
          page.evaluate(
            () => (window as unknown as { __parallaxEarlyKeys?: { keys: unknown[] } }).__parallaxEarlyKeys?.keys.length,
          ),
        { timeout: 60_000 },
      )
      .toBe(0);
    await expect(harm(page, 0, /moderate/)).toBeChecked({ timeout: 30_000 });
    await expect(harm(page, 1, /severe/)).toBeChecked();
  });
});
