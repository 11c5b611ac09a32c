// A researcher opens Parallax, finds the demo study, and reads its checkpoints by training strategy;
// a reviewer sees the same (blind) study without any trace of checkpoints or strategies.
import { expect, test, type Locator } from "@playwright/test";
import { DEMO_CHECKPOINTS } from "../lib/demo/checkpoints";
import { storageStatePath } from "./support/accounts";

const DEMO_NAME = "R1 safety study (synthetic demo)";

test.use({ storageState: storageStatePath("RESEARCHER") });

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
      const responses = rows
        .nth(i)
        .getByRole("cell")
        .nth(responsesColumn - 1);
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

test.describe("as a reviewer", () => {
  test.use({ storageState: storageStatePath("REVIEWER") });

  test("a blind study shows progress, never checkpoints or strategies — not in the page, its source or React's payload", async ({
    page,
    request,
  }) => {
    await page.goto("/");
    const card = page.getByRole("article", { name: DEMO_NAME });
    await expect(card.getByRole("progressbar", { name: "Your labels" })).toBeVisible();
    await expect(card.getByRole("table")).toHaveCount(0);
    await card.getByRole("link", { name: DEMO_NAME }).click();

    await expect(page).toHaveURL(/\/studies\/r1-safety-demo$/);
    await expect(page.getByRole("heading", { level: 1, name: DEMO_NAME })).toBeVisible();
    await expect(page.getByText(/Blind review: responses are shown as A, B, C/)).toBeVisible();
    const yourLabels = page
      .getByRole("definition")
      .filter({ has: page.getByText(/%/) })
      .first();
    await expect(yourLabels).toBeVisible();
    await expect(page.getByRole("region", { name: "Checkpoints" })).toHaveCount(0);
    await expect(page.getByRole("heading", { name: "Review queue" })).toBeVisible();

    // What the server sends, as HTML and as the payload a client-side navigation fetches.
    const sources = [
      await (await request.get("/studies/r1-safety-demo")).text(),
      await (await request.get("/studies/r1-safety-demo", { headers: { RSC: "1" } })).text(),
      await (await request.get("/", { headers: { RSC: "1" } })).text(),
      await (await request.get("/")).text(),
    ];
    const secrets = [
      ...DEMO_CHECKPOINTS.map((c) => c.name),
      "HYBRID",
      "trainingStep",
      "strategy",
      "computeGpuHours",
      "Training step",
      "GPU-h",
    ];
    for (const [i, source] of sources.entries()) {
      expect(source.length, `source ${i}`).toBeGreaterThan(1000);
      for (const secret of secrets) expect(source.includes(secret), `"${secret}" in source ${i}`).toBe(false);
    }
  });
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
