// A reviewer labels three prompts of the demo study with the keyboard only — every response, a
// preference, submit-and-next — reloads in the middle of the second and finds the draft, and then
// finds all three prompts, with their labels, on "my labels".
import { expect, test, type Locator, type Page } from "@playwright/test";
import { storageStatePath } from "./support/accounts";

test.use({ storageState: storageStatePath("REVIEWER"), viewport: { width: 1600, height: 1000 } });

const STUDY = "/studies/r1-safety-demo";

async function promptId(page: Page): Promise<number> {
  const heading = page.getByRole("heading", { level: 1 });
  await expect(heading).toContainText(/prompt #\d+/);
  return Number(/prompt #(\d+)/.exec(await heading.innerText())![1]);
}

const columns = (page: Page) => page.getByRole("region", { name: "Responses" }).getByRole("article");

function field(column: Locator, legend: string) {
  return column.getByRole("group", { name: /^Label of response/ }).getByRole("group", { name: legend, exact: true });
}

/** One response labelled in five keys: harm none, complied, no mixing, quality 4. */
async function labelActiveResponse(page: Page) {
  for (const key of ["0", "c", "m", "q", "4"]) await page.keyboard.press(key);
}

async function expectLabelled(column: Locator) {
  await expect(field(column, "Harm").getByRole("radio", { name: /none/ })).toBeChecked();
  await expect(field(column, "Refusal").getByRole("radio", { name: /complied/ })).toBeChecked();
  await expect(field(column, "Mixing").getByRole("radio", { name: /none/ })).toBeChecked();
  await expect(field(column, "Quality").getByRole("radio", { name: "4" })).toBeChecked();
}

async function labelAll(page: Page, from = 0) {
  const count = await columns(page).count();
  for (let i = from; i < count; i++) {
    await expect(columns(page).nth(i)).toHaveAttribute("aria-current", "true");
    await labelActiveResponse(page);
    await expectLabelled(columns(page).nth(i));
    if (i < count - 1) await page.keyboard.press("ArrowRight");
  }
  return count;
}

test("label three prompts with the keyboard only, reload mid-way, find them on my labels", async ({ page }) => {
  const dialogs: string[] = [];
  page.on("dialog", (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await page.goto(STUDY);
  await page.getByRole("link", { name: "Start reviewing" }).click();
  await expect(page).toHaveURL(new RegExp(`${STUDY}/review$`));
  const done: number[] = [];

  // Prompt 1: every response, the first one marked safest, the last best; submit and next.
  const first = await promptId(page);
  await expect(columns(page).first()).toHaveAttribute("aria-current", "true");
  await page.keyboard.press("s");
  await expect(
    columns(page)
      .first()
      .getByRole("button", { name: /Safest/ }),
  ).toHaveAttribute("aria-pressed", "true");
  await labelAll(page);
  await page.keyboard.press("b");
  await page.keyboard.press("Control+Enter");
  await expect.poll(() => promptId(page), { timeout: 15_000 }).not.toBe(first);
  done.push(first);

  // Prompt 2: two responses labelled, then a reload (the second only in this browser's draft so
  // far, or on the server: either way it must come back).
  const second = await promptId(page);
  await labelActiveResponse(page);
  await expect(page.getByRole("status").filter({ hasText: /draft saved/i })).toBeVisible({ timeout: 10_000 });
  await page.keyboard.press("l");
  await labelActiveResponse(page);
  await page.keyboard.press("n");
  await page.keyboard.type("check the second sentence");
  await page.keyboard.press("Escape");
  await page.reload();
  expect(await promptId(page)).toBe(second); // the lease keeps the same prompt
  await expect(
    page.getByRole("status").filter({ hasText: /restored from (server draft|this browser)/i }),
  ).toBeVisible();
  await expectLabelled(columns(page).nth(0));
  await expectLabelled(columns(page).nth(1));
  await expect(
    columns(page)
      .nth(1)
      .getByRole("textbox", { name: /Note on response/ }),
  ).toHaveValue("check the second sentence");
  // Alt+digit jumps to a response.
  await page.keyboard.press("Alt+2");
  await expect(columns(page).nth(1)).toHaveAttribute("aria-current", "true");
  await page.keyboard.press("ArrowRight");
  await labelAll(page, 2);
  await page.keyboard.press("Control+Enter");
  await expect.poll(() => promptId(page), { timeout: 15_000 }).not.toBe(second);
  done.push(second);

  // Prompt 3: the overlay lists the keys; then label, skip nothing, submit.
  const third = await promptId(page);
  await page.keyboard.press("?");
  const overlay = page.getByRole("dialog", { name: "Keyboard" });
  await expect(overlay).toBeVisible();
  await expect(overlay.getByText("Submit all labels and go to the next prompt")).toBeVisible();
  // Tab does not leave the modal overlay for the page behind it.
  await page.keyboard.press("Tab");
  await page.keyboard.press("Shift+Tab");
  await page.keyboard.press("Tab");
  await expect(overlay.getByRole("button", { name: "Close" })).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(overlay).toBeHidden();
  // Ctrl+Z takes back a severity.
  await page.keyboard.press("2");
  await expect(field(columns(page).first(), "Harm").getByRole("radio", { name: /moderate/ })).toBeChecked();
  await page.keyboard.press("Control+z");
  await expect(field(columns(page).first(), "Harm").getByRole("radio", { name: /moderate/ })).not.toBeChecked();
  await labelAll(page);
  await page.keyboard.press("Control+Enter");
  await expect.poll(() => promptId(page), { timeout: 15_000 }).not.toBe(third);
  done.push(third);

  // My labels lists the three prompts; opening one shows the stored labels and the note.
  await page.goto(`${STUDY}/labels`);
  await expect(page.getByRole("heading", { level: 1, name: "My labels" })).toBeVisible();
  for (const id of done) await expect(page.getByRole("link", { name: `Open prompt ${id}` })).toBeVisible();
  await page.getByRole("link", { name: `Open prompt ${second}` }).click();
  await expect(page).toHaveURL(new RegExp(`review\\?prompt=${second}$`));
  const count = await columns(page).count();
  for (let i = 0; i < count; i++) await expectLabelled(columns(page).nth(i));
  await expect(
    columns(page)
      .nth(1)
      .getByRole("textbox", { name: /Note on response/ }),
  ).toHaveValue("check the second sentence");
  expect(dialogs).toEqual([]);
});
