// The review workspace on a 1024×768 screen, where each column's label form shows a few rows and
// scrolls: a key that changes (or waits on) a row off view brings it into view, so a reviewer
// labelling with the keyboard sees what each key did.
import { expect, test, type Locator, type Page } from "@playwright/test";
import { storageStatePath } from "./support/accounts";

// The admin's queue: the reviewer's session is the other review tests'.
test.use({ storageState: storageStatePath("ADMIN"), viewport: { width: 1024, height: 768 } });

const columns = (page: Page) => page.getByRole("region", { name: "Responses" }).getByRole("article");

function row(column: Locator, legend: string) {
  return column.getByRole("group", { name: /^Label of response/ }).getByRole("group", { name: legend, exact: true });
}

test("on a small screen the label row a key changes scrolls into view", async ({ page }) => {
  await page.goto("/studies/r1-safety-demo/review");
  const first = columns(page).first();
  await expect(first).toHaveAttribute("aria-current", "true");
  // The keys work once the page is interactive: open and close the key overlay to know it is.
  const overlay = page.getByRole("dialog", { name: "Keyboard" });
  await expect(async () => {
    if (!(await overlay.isVisible())) await page.keyboard.press("?");
    await expect(overlay).toBeVisible({ timeout: 1000 });
  }).toPass();
  await page.keyboard.press("Escape");
  await expect(overlay).toBeHidden();

  // Harm 2 opens "where" and the categories: the rows below move out of the form's view.
  await page.keyboard.press("2");
  await expect(row(first, "Category")).toBeVisible();
  await page.keyboard.press("q");
  await expect(row(first, "Quality")).toBeInViewport({ ratio: 0.95 });
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
