// Signs in once per role through the sign-in form and keeps the cookies for the other tests; then,
// as the admin, makes an API token for each role on the tokens page (shown once: kept here).
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { expect, test as setup } from "@playwright/test";
import { ROLES } from "../lib/auth/access-rules";
import { OTHER_STUDY } from "./access-spec";
import { ACCOUNTS, signInWithForm, storageStatePath, TOKENS_FILE } from "./support/accounts";

for (const role of ROLES) {
  setup(`sign in as ${role.toLowerCase()}`, async ({ page }) => {
    await page.goto("/");
    await expect(page).toHaveURL(/\/signin$/);
    await signInWithForm(page, ACCOUNTS[role]);
    await expect(page.getByRole("heading", { level: 1, name: "Studies" })).toBeVisible();
    mkdirSync(path.dirname(storageStatePath(role)), { recursive: true });
    await page.context().storageState({ path: storageStatePath(role) });
  });
}

setup("make an API token for each role", async ({ browser }) => {
  const context = await browser.newContext({ storageState: storageStatePath("ADMIN") });
  const page = await context.newPage();
  await page.goto("/admin/tokens");
  const tokens: Partial<Record<(typeof ROLES)[number], string>> = {};
  for (const role of ROLES) {
    const form = page.getByRole("form", { name: "Create an API token" });
    await form.getByLabel("Name").fill(`e2e ${role.toLowerCase()} ${Date.now()}`);
    await form.getByLabel("Acts as").selectOption({ label: `${ACCOUNTS[role]} (${role.toLowerCase()})` });
    await form.getByRole("button", { name: "Create token" }).click();
    const shown = page.getByRole("textbox", { name: "API token" });
    await expect(shown).toHaveValue(/^plx_/);
    tokens[role] = await shown.inputValue();
    await page.reload(); // the token is shown once: it is gone after a reload
    await expect(page.getByRole("textbox", { name: "API token" })).toHaveCount(0);
  }
  writeFileSync(TOKENS_FILE, JSON.stringify(tokens, null, 2), { mode: 0o600 });
  await context.close();
});

// A second study that none of the demo accounts is a member of (only admins see it), for the access
// specification's "another study" column. Made once by the admin through the import API; a later
// run finds it there (404 to create again: the slug is taken).
setup("make a second study that only admins see", async ({ request }) => {
  const tokens = JSON.parse(readFileSync(TOKENS_FILE, "utf8")) as Record<string, string>;
  const rows = ["sft", "rl"].map((strategy) =>
    JSON.stringify({
      prompt_id: "other-1",
      prompt: "Another team's prompt",
      checkpoint: `other-${strategy}`,
      strategy,
      response: `An answer from the ${strategy} checkpoint.`,
    }),
  );
  const answer = await request.post(
    `/api/v1/studies/${OTHER_STUDY}/responses?fileName=other.jsonl&create=${encodeURIComponent("Another team")}`,
    {
      headers: { Authorization: `Bearer ${tokens.ADMIN}`, "Content-Type": "application/x-ndjson" },
      data: rows.join("\n"),
    },
  );
  expect([200, 201], await answer.text()).toContain(answer.status());
  const members = await request.get(`/api/v1/studies/${OTHER_STUDY}/members`, {
    headers: { Authorization: `Bearer ${tokens.ADMIN}` },
  });
  expect(((await members.json()) as { members: unknown[] }).members).toEqual([]);
});
