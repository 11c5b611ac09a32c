// The review workspace for reviewers whose set-up is not the developers': a 1024×768 screen, where
// each column's label form shows a few rows and scrolls (a key that changes, or waits on, a row off
// view brings it into view), and a keyboard layout that does not type Latin letters.
import { expect, test, type Locator, type Page } from "@playwright/test";
import { storageStatePath } from "./support/accounts";

// The admin's queue: the reviewer's session is the other review tests'.
test.use({ storageState: storageStatePath("ADMIN"), viewport: { width: 1024, height: 768 } });

const columns = (page: Page) => page.getByRole("region", { name: "Responses" }).getByRole("article");

function row(column: Locator, legend: string) {
  return column.getByRole("group", { name: /^Label of response/ }).getByRole("group", { name: legend, exact: true });
}

/** Opens the workspace and waits until it takes keys (the key overlay opens and closes). */
async function openWorkspace(page: Page, close: "Escape" | "Enter" = "Escape") {
  await page.goto("/studies/r1-safety-demo/review");
  await expect(columns(page).first()).toHaveAttribute("aria-current", "true");
  const overlay = page.getByRole("dialog", { name: "Keyboard" });
  await expect(async () => {
    if (!(await overlay.isVisible())) await page.keyboard.press("?");
    await expect(overlay).toBeVisible({ timeout: 1000 });
  }).toPass();
  // Focus is on its Close button: Enter closes it as well as Esc does.
  await expect(overlay.getByRole("button", { name: "Close" })).toBeFocused();
  await page.keyboard.press(close);
  await expect(overlay).toBeHidden();
  return columns(page).first();
}

test("on a small screen the label row a key changes scrolls into view", async ({ page }) => {
  const first = await openWorkspace(page);

  // Harm 2 opens "where" and the categories: the rows below move out of the form's view.
  await page.keyboard.press("2");
  await expect(row(first, "Category")).toBeVisible();
  const before = await page.getByRole("region", { name: "Responses" }).boundingBox();
  await page.keyboard.press("q");
  await expect(row(first, "Quality")).toBeInViewport({ ratio: 0.95 });
  // The hint for the second key shows without moving the responses.
  await expect(page.getByRole("status").filter({ hasText: "Quality: press 1–5" })).toBeVisible();
  expect(await page.getByRole("region", { name: "Responses" }).boundingBox()).toEqual(before);
  await page.keyboard.press("3");
  await expect(row(first, "Quality").getByRole("radio", { name: "3" })).toBeChecked();
  await page.keyboard.press("f");
  await page.keyboard.press("4");
  await expect(row(first, "Flags")).toBeInViewport({ ratio: 0.95 });
  await expect(row(first, "Flags").getByRole("checkbox", { name: "format violation" })).toBeChecked();
  // And back up: the severity row comes back into view.
  await page.keyboard.press("1");
  await expect(row(first, "Harm")).toBeInViewport({ ratio: 0.95 });

  // Leave nothing behind for the other tests: clear the label.
  await page.keyboard.press("Shift+Backspace");
  await expect(row(first, "Harm").getByRole("radio", { name: /minor/ })).not.toBeChecked();
});

test("a Russian keyboard layout labels with the keys in the same places", async ({ page }) => {
  const first = await openWorkspace(page, "Enter");
  // What a Russian layout sends for the keys where QWERTY has c, then Shift+Backspace.
  const press = (key: string, code: string) =>
    page.evaluate(
      ([key, code]) =>
        window.dispatchEvent(new KeyboardEvent("keydown", { key, code, bubbles: true, cancelable: true })),
      [key, code],
    );
  await press("с", "KeyC");
  await expect(row(first, "Refusal").getByRole("radio", { name: /complied/ })).toBeChecked();
  await press("ч", "KeyX");
  await expect(row(first, "Refusal").getByRole("radio", { name: /refused/ })).toBeChecked();
  await page.keyboard.press("Shift+Backspace");
  await expect(row(first, "Refusal").getByRole("radio", { name: /refused/ })).not.toBeChecked();
});

test("my labels before a first submit says how labels get there and offers to start", async ({ page }) => {
  await page.goto("/studies/r1-safety-demo/labels");
  await expect(page.getByText(/You have not submitted a label in this study yet/)).toBeVisible();
  await expect(page.getByRole("link", { name: "Start reviewing" })).toHaveAttribute(
    "href",
    "/studies/r1-safety-demo/review",
  );
});

test("after a submit the workspace leads back to the prompt just submitted", async ({ page }) => {
  const first = await openWorkspace(page);
  const heading = page.getByRole("heading", { level: 1 });
  const submitted = Number(/prompt #(\d+)/.exec(await heading.innerText())![1]);
  const count = await columns(page).count();
  for (let i = 0; i < count; i++) {
    for (const key of ["0", "c", "m", "q", "4"]) await page.keyboard.press(key);
    if (i < count - 1) await page.keyboard.press("ArrowRight");
  }
  await page.keyboard.press("Control+Enter");
  await expect(heading).not.toContainText(`prompt #${submitted}`, { timeout: 15_000 });
  const back = page.getByRole("link", { name: `↶ Last submitted: #${submitted}` });
  await expect(back).toBeVisible();
  await back.click();
  await expect(heading).toContainText(`prompt #${submitted}`);
  await expect(row(first, "Harm").getByRole("radio", { name: /none/ })).toBeChecked();
});
