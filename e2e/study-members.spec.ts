// Studies as the unit of access, as the user tried it: the demo researcher creates a study
// in the browser, imports a small file into it and adds reviewer2 as its reviewer; reviewer2 then
// sees and labels it, while reviewer1 (a member of the demo study only) does not see it listed and
// gets 404 for its pages and its API routes.
import { expect, test } from "@playwright/test";
import { ACCOUNTS, apiTokens, SPARE_REVIEWER, signInWithForm, storageStatePath } from "./support/accounts";

test("a researcher's new study is seen by the reviewer they add, and by no other reviewer", async ({ browser }) => {
  test.setTimeout(120_000);
  const slug = `e2e-team-${Date.now().toString(36)}`;
  const name = `Red team ${slug.slice(-6)}`;

  // The researcher: New study → its import page → a small file → Members: reviewer2.
  const researcher = await browser.newContext({ storageState: storageStatePath("RESEARCHER") });
  const page = await researcher.newPage();
  await page.goto("/");
  await page.getByRole("link", { name: "New study" }).click();
  const form = page.getByRole("form", { name: "New study" });
  await form.getByLabel("Name").fill(name);
  await form.getByLabel(/^Slug/).fill(slug);
  await form.getByLabel("Description").fill("Prompts of one red-team contract.");
  await form.getByRole("button", { name: "Create study" }).click();
  await expect(page).toHaveURL(new RegExp(`/studies/${slug}/import$`));

  const rows = ["sft", "rl"].flatMap((strategy) =>
    [1, 2].map((i) =>
      JSON.stringify({
        prompt_id: `t${i}`,
        prompt: `Team prompt ${i}`,
        checkpoint: `ck-${strategy}`,
        strategy,
        response: `Answer ${i} (${strategy})`,
      }),
    ),
  );
  await page
    .getByLabel(/^File/)
    .setInputFiles({ name: "team.jsonl", mimeType: "application/x-ndjson", buffer: Buffer.from(rows.join("\n")) });
  await page.getByRole("button", { name: "Import", exact: true }).click();
  await expect(page.getByRole("status")).toContainText("Imported: 4 new, 0 already present.");

  await page.goto(`/studies/${slug}/members`);
  const members = page.getByRole("table", { name: "Members" });
  await expect(members).toContainText(ACCOUNTS.RESEARCHER);
  const add = page.getByRole("form", { name: "Add a member" });
  await add.getByLabel("Email").fill(SPARE_REVIEWER);
  await add.getByLabel("Role in this study").selectOption("REVIEWER");
  await add.getByRole("button", { name: "Add member" }).click();
  await expect(page.getByRole("status")).toHaveText(`Added ${SPARE_REVIEWER} as a reviewer.`);
  await expect(members.getByRole("row", { name: new RegExp(SPARE_REVIEWER) })).toContainText("reviewer");
  await researcher.close();

  // reviewer2: the new study is listed, and its review workspace serves one of its prompts.
  const second = await browser.newContext();
  const reviewer2 = await second.newPage();
  await reviewer2.goto("/signin");
  await signInWithForm(reviewer2, SPARE_REVIEWER);
  await reviewer2.goto("/");
  await expect(reviewer2.getByRole("list", { name: "Studies" })).toContainText(name);
  await reviewer2.goto(`/studies/${slug}/review`);
  await expect(reviewer2.getByText(/Team prompt [12]/).first()).toBeVisible();
  await expect(reviewer2.getByRole("heading", { name: "Response B" })).toBeVisible();
  await second.close();

  // reviewer1: not listed; every page of it and its API routes answer 404, as for no study at all.
  const first = await browser.newContext({ storageState: storageStatePath("REVIEWER") });
  const reviewer1 = await first.newPage();
  await reviewer1.goto("/");
  const list = reviewer1.getByRole("list", { name: "Studies" });
  await expect(list).toContainText("r1-safety-demo");
  await expect(list).not.toContainText(name);
  for (const path of ["", "/review", "/labels", "/analytics", "/responses", "/import", "/settings", "/members"]) {
    const response = await reviewer1.goto(`/studies/${slug}${path}`);
    expect(response?.status(), `/studies/${slug}${path}`).toBe(404);
  }
  const unknown = await reviewer1.goto(`/studies/${slug}-nowhere`);
  expect(unknown?.status()).toBe(404);
  await first.close();

  const token = apiTokens().REVIEWER;
  for (const path of ["imports", "members", "analytics", "export"]) {
    const response = await (await browser.newContext()).request.get(`/api/v1/studies/${slug}/${path}`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(response.status(), path).toBe(404);
    expect(await response.json()).toEqual({ error: "not_found", message: `There is no study "${slug}".` });
  }
});
