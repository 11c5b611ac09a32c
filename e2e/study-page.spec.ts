// A user opens Parallax, finds the demo study, and reads its checkpoints by training strategy.
import { expect, test, type Locator } from "@playwright/test";

const DEMO_NAME = "R1 safety study (synthetic demo)";

test("the study list leads to a study page with checkpoints of every strategy", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("link", { name: "Parallax" })).toBeVisible();
  await expect(page.getByRole("heading", { level: 1, name: "Studies" })).toBeVisible();

  const card = page.getByRole("article", { name: DEMO_NAME });
  await expect(card).toBeVisible();
  await expect(card.getByText("r1-safety-demo", { exact: true })).toBeVisible();
  const counts = card.getByRole("table");
  for (const strategy of ["SFT", "RL", "HYBRID"]) {
    await expect(counts.getByRole("columnheader", { name: strategy, exact: true })).toBeVisible();
  }
  const responsesRow = counts.getByRole("row", { name: /^Responses/ });
  await expect(responsesRow).toBeVisible();
  expect(await numberIn(responsesRow.getByRole("cell").last())).toBeGreaterThan(0);

  await card.getByRole("link", { name: DEMO_NAME }).click();

  await expect(page).toHaveURL(/\/studies\/r1-safety-demo$/);
  await expect(page.getByRole("heading", { level: 1, name: DEMO_NAME })).toBeVisible();
  await expect(page).toHaveTitle(new RegExp(escapeRegExp(DEMO_NAME)));

  const checkpoints = page.getByRole("region", { name: "Checkpoints" }).getByRole("table");
  await expect(checkpoints).toBeVisible();
  const header = await checkpoints.getByRole("columnheader").allInnerTexts();
  const responsesColumn = header.findIndex((text) => /^responses$/i.test(text.trim()));
  expect(responsesColumn).toBeGreaterThan(0);

  for (const strategy of ["SFT", "RL", "HYBRID"]) {
    const rows = checkpoints.getByRole("row").filter({ has: page.getByText(strategy, { exact: true }) });
    await expect(rows.first()).toBeVisible();
    const count = await rows.count();
    for (let i = 0; i < count; i++) {
      // The first column is the row header (checkpoint name), so cells start at column 1.
      const responses = rows.nth(i).getByRole("cell").nth(responsesColumn - 1);
      expect(await numberIn(responses), `${strategy} checkpoint ${i + 1} has responses`).toBeGreaterThan(0);
    }
  }

  await expect(page.getByRole("heading", { name: "By category" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "By split" })).toBeVisible();
});

test("an unknown study shows a not-found page", async ({ page }) => {
  const response = await page.goto("/studies/no-such-study");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "This page does not exist" })).toBeVisible();
  await page.getByRole("link", { name: "Back to all studies" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Studies" })).toBeVisible();
});

async function numberIn(cell: Locator): Promise<number> {
  const text = (await cell.innerText()).trim();
  const match = /^[\d,]+/.exec(text);
  if (!match) throw new Error(`expected a number, got "${text}"`);
  return Number(match[0].replaceAll(",", ""));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
