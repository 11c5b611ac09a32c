// A researcher adjudicates a disagreement of the demo study: the list, the two reviewers' labels
// side by side, the final label set from the keyboard and saved, and the analytics page's basis
// sentence counting it. A reviewer is kept out (docs/access.md: blind review).
import { expect, test } from "@playwright/test";
import { storageStatePath } from "./support/accounts";

const LIST = "/studies/r1-safety-demo/adjudicate";

test.use({ storageState: storageStatePath("RESEARCHER") });

test("a researcher sets a final label and the analytics read it", async ({ page }) => {
  await page.goto("/studies/r1-safety-demo");
  await page.getByRole("link", { name: "Adjudicate disagreements" }).click();
  await expect(page).toHaveURL(new RegExp(`${LIST}$`));
  await expect(page.getByRole("heading", { level: 1, name: /^Adjudicate: / })).toBeVisible();
  await expect(page.getByText("reasoning quality differs by 2 points or more")).toBeVisible();
  await expect(page.getByTestId("adjudication-counts")).toContainText(/[1-9][\d,]* to adjudicate/);

  // Only harm disagreements, then the first of them.
  await page.getByLabel("Dimension").selectOption("harm_severity");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/dimension=harm_severity/);
  const table = page.getByRole("table", { name: "Responses whose reviewers disagree" });
  await expect(table.getByRole("row").nth(1)).toContainText("harm severity");
  await table.getByRole("row").nth(1).getByRole("link").click();
  await expect(page.getByRole("heading", { level: 1, name: /^Adjudicate response #\d+$/ })).toBeVisible();
  const responsePath = new URL(page.url()).pathname;

  const labels = page.getByRole("table", { name: "Each reviewer's label and the final label, by dimension" });
  await expect(labels.getByRole("columnheader", { name: "reviewer-1" })).toBeVisible();
  await expect(labels.getByRole("columnheader", { name: "reviewer-2" })).toBeVisible();
  await expect(labels.getByRole("rowheader", { name: /^harm severity/ })).toContainText("(disagree)");
  await expect(page.getByRole("heading", { name: "Answer" })).toBeVisible();

  const form = page.getByRole("group", { name: "Label of response final" });
  try {
    await page.locator("body").click();
    await page.keyboard.press("3");
    await expect(form.getByRole("radio", { name: /severe$/ })).toBeChecked();
    await form.getByRole("textbox").fill("Settled: step-by-step instructions.");
    await page.getByRole("button", { name: "Save final label" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Final label saved." })).toBeVisible();
    await expect(
      labels
        .getByRole("row", { name: /^harm severity/ })
        .getByRole("cell")
        .last(),
    ).toHaveText("3 severe");

    await page.goto("/studies/r1-safety-demo/analytics");
    const basis = page.getByTestId("analytics-basis");
    await expect(basis).toContainText("Adjudicated labels where set (1 response), the reviewers' aggregate otherwise.");
    await expect(basis.getByRole("link", { name: /disagreements? to adjudicate/ })).toBeVisible();
    await page.getByLabel("Basis").selectOption("reviewers");
    await page.getByRole("button", { name: "Apply" }).click();
    await expect(page).toHaveURL(/basis=reviewers/);
    await expect(page.getByTestId("analytics-basis")).toContainText("Reviewers' labels only");
  } finally {
    await page.goto(responsePath);
    const clear = page.getByRole("button", { name: "Clear adjudication" });
    if (await clear.isVisible()) {
      await clear.click();
      await expect(page.getByRole("status").filter({ hasText: "Final label cleared" })).toBeVisible();
    }
  }
  await page.goto("/studies/r1-safety-demo/analytics");
  await expect(page.getByTestId("analytics-basis")).toContainText("no response has an adjudicated label yet");
});

test("the API sets a final label, refuses a stale version by name, and clears it", async ({ page, baseURL }) => {
  const headers = { Origin: baseURL! };
  await page.goto(LIST);
  const first = page.getByRole("table", { name: "Responses whose reviewers disagree" }).getByRole("row").nth(1);
  const id = (await first.getByRole("link").textContent())!.replace("#", "");
  const url = `/api/v1/studies/r1-safety-demo/responses/${id}/adjudication`;
  const body = { harm_severity: 2, refusal: "partial", note: "from a script", version: null };
  try {
    const created = await page.request.put(url, { headers, data: body });
    expect(created.status()).toBe(201);
    expect(await created.json()).toEqual({ response_id: Number(id), version: 1 });
    const stale = await page.request.put(url, { headers, data: body });
    expect(stale.status()).toBe(409);
    expect(await stale.json()).toMatchObject({ error: "stale_version", current_version: 1 });
    const bad = await page.request.put(url, { headers, data: { ...body, refusal: "maybe", version: 1 } });
    expect(bad.status()).toBe(400);
    expect((await bad.json()).errors[0]).toMatch(/^refusal: /);

    await page.goto(`${LIST}/${id}`);
    await expect(page.getByText("Adjudicated (version 1).")).toBeVisible();
  } finally {
    expect((await page.request.delete(`${url}?version=1`, { headers })).status()).toBe(200);
  }
});

test.describe("as a reviewer", () => {
  test.use({ storageState: storageStatePath("REVIEWER") });

  test("the adjudication screens are forbidden", async ({ page }) => {
    expect((await page.goto(LIST))?.status()).toBe(403);
    expect((await page.goto(`${LIST}/1`))?.status()).toBe(403);
  });
});
