// A researcher changes a study's failure rule on its settings page: the answer says what changed,
// the change log says who, and the analytics page uses the new rule. A reviewer is kept out.
import { expect, test } from "@playwright/test";
import { ACCOUNTS, apiTokens, storageStatePath } from "./support/accounts";

const SETTINGS = "/studies/r1-safety-demo/settings";

test.use({ storageState: storageStatePath("RESEARCHER") });

async function setHarmThreshold(page: import("@playwright/test").Page, level: "2" | "3") {
  const form = page.getByRole("form", { name: "Study settings" });
  await form.getByLabel("Harmful when the median harm severity is at least").selectOption(level);
  await form.getByRole("button", { name: "Save settings" }).click();
}

test("the failure rules are set in the app, logged with who and when, and used by the analytics", async ({ page }) => {
  await page.goto("/studies/r1-safety-demo");
  await page.getByRole("link", { name: "Settings" }).click();
  await expect(page).toHaveURL(new RegExp(`${SETTINGS}$`));
  await expect(page.getByRole("heading", { level: 1, name: /^Settings: / })).toBeVisible();
  try {
    await setHarmThreshold(page, "3");
    await expect(page.getByRole("status")).toHaveText("Saved: harmful from severity: 2 → 3.");
    await page.reload();
    const log = page.getByRole("list", { name: "Changes to the settings" });
    await expect(log.getByRole("listitem").first()).toContainText(ACCOUNTS.RESEARCHER);
    await expect(log.getByRole("listitem").first()).toContainText("harmful from severity: 2 → 3");

    await page.goto("/studies/r1-safety-demo/analytics");
    await expect(page.getByText("harmful: median harm severity ≥ 3")).toBeVisible();
  } finally {
    await page.goto(SETTINGS);
    await setHarmThreshold(page, "2");
    await expect(page.getByRole("status")).toHaveText("Saved: harmful from severity: 3 → 2.");
  }
});

test("the mixing threshold is chosen on the settings page, strict or default", async ({ page }) => {
  await page.goto(SETTINGS);
  const threshold = () =>
    page.getByRole("form", { name: "Study settings" }).getByLabel("A response mixes languages when");
  await expect(threshold()).toHaveValue("default");
  try {
    await threshold().selectOption("strict");
    await page.getByRole("button", { name: "Save settings" }).click();
    await expect(page.getByRole("status")).toHaveText("Saved: mixing threshold: default → strict.");
    await page.reload();
    await expect(threshold()).toHaveValue("strict");
  } finally {
    await page.goto(SETTINGS);
    await threshold().selectOption("default");
    await page.getByRole("button", { name: "Save settings" }).click();
    await expect(page.getByRole("status")).toHaveText("Saved: mixing threshold: strict → default.");
  }
});

test("the review order is chosen on the settings page, and through the API", async ({ page }) => {
  await page.goto(SETTINGS);
  const order = () =>
    page.getByRole("form", { name: "Study settings" }).getByLabel("The review queue serves untouched prompts");
  await expect(order()).toHaveValue("import");
  const patch = (data: unknown) =>
    page.request.patch("/api/v1/studies/r1-safety-demo", {
      headers: { Authorization: `Bearer ${apiTokens().RESEARCHER}` },
      data,
    });
  try {
    await order().selectOption("disagreement-first");
    await page.getByRole("button", { name: "Save settings" }).click();
    await expect(page.getByRole("status")).toHaveText("Saved: review order: import → disagreement-first.");
    await page.reload();
    await expect(order()).toHaveValue("disagreement-first");

    const refused = await patch({ reviewOrder: "random" });
    expect(refused.status()).toBe(422);
    expect((await refused.json()).message).toBe("reviewOrder: The review order is import or disagreement-first.");
    const unknown = await patch({ reviewOrdr: "import" });
    expect(unknown.status()).toBe(400);
    expect((await unknown.json()).message).toMatch(/^Unknown field reviewOrdr\./);
    const back = await patch({ reviewOrder: "import" });
    expect(back.status()).toBe(200);
    expect(await back.json()).toEqual({
      slug: "r1-safety-demo",
      settingsChanged: { reviewOrder: { from: "disagreement-first", to: "import" } },
    });
    await page.reload();
    await expect(order()).toHaveValue("import");
    const log = page.getByRole("list", { name: "Changes to the settings" });
    await expect(log.getByRole("listitem").first()).toContainText("review order: disagreement-first → import");
  } finally {
    await patch({ reviewOrder: "import" });
  }
});

test("a bad value is named beside its field and nothing is saved", async ({ page }) => {
  await page.goto(SETTINGS);
  const form = page.getByRole("form", { name: "Study settings" });
  await form.getByLabel("Harm categories (one per line)").fill("violence\nNot A Slug!");
  await form.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Check the highlighted fields." })).toBeVisible();
  await expect(page.getByText("Harm categories are lower-case words joined by hyphens, e.g. self-harm.")).toBeVisible();
  await page.reload();
  await expect(
    page.getByRole("form", { name: "Study settings" }).getByLabel("Harm categories (one per line)"),
  ).not.toHaveValue(/Not A Slug/);
});

test.describe("as a reviewer", () => {
  test.use({ storageState: storageStatePath("REVIEWER") });

  test("the settings page is forbidden", async ({ page }) => {
    const response = await page.goto(SETTINGS);
    expect(response?.status()).toBe(403);
    await expect(page.getByRole("form", { name: "Study settings" })).toHaveCount(0);
  });
});
