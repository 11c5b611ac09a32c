// A researcher reads the demo study's failure rates per training strategy, narrows them to the
// jailbreak split with the filter form (the view lives in the URL), and a reviewer is kept out.
import { expect, test, type Page } from "@playwright/test";
import { storageStatePath } from "./support/accounts";

const ANALYTICS = "/studies/r1-safety-demo/analytics";
const CHARTS = ["Harmful responses", "Language mixing", "Poor reasoning", "Over-refusal"];

test.use({ storageState: storageStatePath("RESEARCHER") });

/** The "… of n = 123" of a strategy under one failure chart. */
async function nOf(page: Page, chart: string, strategy: string): Promise<number> {
  const figure = page.getByRole("figure", { name: chart });
  const line = figure.getByRole("listitem").filter({ has: page.getByText(strategy, { exact: true }) });
  const text = await line.innerText();
  const match = /n = (\d+)/.exec(text);
  if (!match) throw new Error(`no n in "${text}"`);
  return Number(match[1]);
}

test("the study page leads to failure rates per strategy, and a filter narrows them by URL", async ({ page }) => {
  await page.goto("/studies/r1-safety-demo");
  await page.getByRole("link", { name: /Analytics/ }).click();
  await expect(page).toHaveURL(new RegExp(`${ANALYTICS}$`));
  await expect(page.getByRole("heading", { level: 1, name: /^Analytics/ })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Failure definitions in use" })).toBeVisible();
  await expect(page.getByText(/harmful: median harm severity ≥ 2/)).toBeVisible();

  for (const chart of CHARTS) {
    const figure = page.getByRole("figure", { name: chart });
    await expect(figure.getByRole("heading", { name: chart })).toBeVisible();
    for (const strategy of ["SFT", "RL", "HYBRID"])
      await expect(figure.getByText(strategy, { exact: true }).first()).toBeVisible();
    // The chart itself (recharts draws SVG once on the client), with n under each strategy.
    await expect(figure.locator("svg.recharts-surface")).toBeVisible();
    await expect(
      figure
        .locator(".strategy-tick")
        .getByText(/^n=\d+$/)
        .first(),
    ).toBeVisible();
  }
  await expect(page.getByRole("heading", { name: "Differences between strategies" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Reviewer agreement" })).toBeVisible();
  const allHarm = await nOf(page, "Harmful responses", "RL");
  expect(allHarm).toBeGreaterThan(0);

  const filters = page.getByRole("form", { name: "Filters" });
  await filters.getByLabel("Split").selectOption("jailbreak");
  await filters.getByRole("button", { name: "Apply" }).click();

  await expect(page).toHaveURL(/[?&]split=jailbreak(&|$)/);
  await expect(page.getByRole("form", { name: "Filters" }).getByLabel("Split")).toHaveValue("jailbreak");
  await expect.poll(() => nOf(page, "Harmful responses", "RL")).toBeLessThan(allHarm);
  expect(await nOf(page, "Harmful responses", "RL")).toBeGreaterThan(0);
});

test("every checkpoint has its own row of failure rates, paired comparisons, and is a filter", async ({ page }) => {
  await page.goto(ANALYTICS);
  const table = page.getByRole("table", { name: "Failure rates per checkpoint" });
  for (const name of ["base-7b", "r1-distill-sft", "r1-zero-rl", "r1-zero-rl-step8000", "r1-hybrid"]) {
    // base-7b has no training step: the chart over training leaves it out, this table does not.
    await expect(
      table.getByRole("row").filter({ has: page.getByRole("rowheader", { name, exact: true }) }),
    ).toContainText(/\d+(\.\d)?% \[.+–.+\] \d+\/\d+/);
  }
  await expect(page.getByText(/Cluster-robust z-test/)).toBeVisible();
  // Refusal as a measure of its own: full and partial refusals beside compliance with harmful prompts.
  for (const chart of ["Full refusals", "Partial refusals", "Compliance with harmful prompts"]) {
    await expect(
      page
        .getByRole("figure", { name: chart })
        .getByText(/\d+ of n = \d+/)
        .first(),
    ).toBeVisible();
  }
  const comparisons = page.getByRole("table", { name: "Differences between checkpoints" });
  await expect(comparisons.getByRole("row").filter({ hasText: "r1-zero-rl-step8000" }).first()).toBeVisible();
  await expect(page.getByText(/Exact McNemar test on the prompts both checkpoints answered/)).toBeVisible();

  // Agreement to three decimals with a bootstrap interval, for the study and per checkpoint.
  await expect(page.getByRole("table", { name: "Krippendorff's alpha per field" })).toContainText(
    /\d\.\d{3} \[-?\d\.\d{3}, -?\d\.\d{3}\]/,
  );
  const alphaPerCheckpoint = page.getByRole("table", { name: "Krippendorff's alpha per checkpoint" });
  await expect(alphaPerCheckpoint.getByRole("row").filter({ hasText: "r1-hybrid" })).toContainText(/\d\.\d{3}/);

  const filters = page.getByRole("form", { name: "Filters" });
  await filters.getByLabel("Checkpoint").selectOption({ label: "r1-hybrid" });
  await filters.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/[?&]checkpoint=\d+(&|$)/);
  // The strategy heads its group of checkpoints; only the chosen checkpoint is left.
  await expect(table.getByRole("rowheader")).toHaveText(["HYBRID", "r1-hybrid"]);
  await expect(comparisons).toHaveCount(0);
});

test("bad filters in the URL are explained, not a crash", async ({ page }) => {
  const response = await page.goto(`${ANALYTICS}?strategy=PPO&from=yesterday`);
  expect(response?.status()).toBe(200);
  const alert = page.getByRole("alert").filter({ hasText: "These filters cannot be applied" });
  await expect(alert).toContainText("strategy must be one of SFT, RL, HYBRID, BASE");
  await expect(alert).toContainText('from must be a date as YYYY-MM-DD (got "yesterday")');
  await alert.getByRole("link", { name: "Show the study without filters" }).click();
  await expect(page.getByRole("figure", { name: "Harmful responses" })).toBeVisible();
});

test.describe("as a reviewer", () => {
  test.use({ storageState: storageStatePath("REVIEWER") });

  test("analytics are forbidden, and the study page does not link to them", async ({ page }) => {
    const response = await page.goto(ANALYTICS);
    expect(response?.status()).toBe(403);
    await expect(page.getByRole("figure", { name: "Harmful responses" })).toHaveCount(0);
    await page.goto("/studies/r1-safety-demo");
    await expect(page.getByRole("link", { name: /Analytics/ })).toHaveCount(0);
  });
});
