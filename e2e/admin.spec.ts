// An admin's day: invite a user, who sets a password and signs in; change their role; disable
// them; sign them out everywhere (and they sign themselves out): copies of their cookie stop
// working. And an API token: shown once, used (last use shows), revoked.
import { expect, test, type Browser, type Page } from "@playwright/test";
import { signInWithForm, storageStatePath } from "./support/accounts";

test.use({ storageState: storageStatePath("ADMIN") });

test("an invited user sets a password, signs in, changes role, and is disabled", async ({ page, browser }) => {
  const email = `grace-${Date.now()}@example.org`;
  const password = "copper-meadow-lantern-7";
  await page.goto("/admin/users");
  const form = page.getByRole("form", { name: "Create a user" });
  await form.getByLabel("Email", { exact: true }).fill(email);
  await form.getByLabel("Name").fill("Grace Hopper");
  await form.getByLabel("Role").selectOption("RESEARCHER");
  await form.getByRole("button", { name: "Create user" }).click();
  const link = page.getByRole("textbox", { name: `Invite link for ${email}` });
  await expect(link).toHaveValue(/\/invite\/[A-Za-z0-9_-]{43}$/);
  const inviteUrl = new URL(await link.inputValue());
  const row = page.getByRole("row").filter({ has: page.getByText(email, { exact: true }) });
  await expect(row.getByText("Invited")).toBeVisible();

  // The new user, in a browser of their own.
  const theirs = await browser.newContext();
  const user = await theirs.newPage();
  await user.goto(inviteUrl.pathname);
  await expect(user.getByRole("heading", { name: "Choose your password" })).toBeVisible();
  await user.getByLabel("New password").fill(password);
  await user.getByLabel("The same again").fill(password);
  await user.getByRole("button", { name: "Set password" }).click();
  await expect(user).toHaveURL(/\/signin\?passwordSet=1/);
  await expect(user.getByRole("status")).toHaveText("Your password is set. Sign in with it.");
  await expect(user.getByLabel("Email", { exact: true })).toHaveValue(email);
  await signInWithForm(user, email, password);
  await expect(user.getByRole("banner").getByText("Researcher")).toBeVisible();
  // The link worked once.
  await user.goto(inviteUrl.pathname);
  await expect(user.getByRole("heading", { name: "This link no longer works" })).toBeVisible();

  // The admin makes them a reviewer: their next page is a reviewer's.
  await page.reload();
  await row.getByRole("combobox", { name: `Role of ${email}`, exact: true }).selectOption("REVIEWER");
  await row.getByRole("button", { name: "Save role" }).click();
  await expect(row.getByRole("status")).toHaveText("Role changed to reviewer.");
  await user.goto("/");
  await expect(user.getByRole("banner").getByText("Reviewer")).toBeVisible();
  await expect(user.getByText("The studies you label, and how far labelling has come.")).toBeVisible();

  // Disabled: their session stops working at once.
  await row.getByRole("button", { name: "Disable" }).click();
  await expect(row.getByText("Disabled", { exact: true })).toBeVisible();
  await user.goto("/");
  await expect(user).toHaveURL(/\/signin$/);
  await theirs.close();
});

test("an admin cannot disable their own account or demote the last admin", async ({ page }) => {
  await page.goto("/admin/users");
  const own = page.getByRole("row").filter({ has: page.getByText("(you)") });
  await expect(own.getByRole("button", { name: "Disable" })).toHaveCount(0);
  await own.getByRole("combobox", { name: /^Role of / }).selectOption("RESEARCHER");
  await own.getByRole("button", { name: "Save role" }).click();
  await expect(own.getByRole("alert")).toHaveText(/at least one active admin/);
});

test("an API token is shown once, works with its owner's role, shows its last use, and is revoked", async ({
  page,
  request,
}) => {
  const name = `pipeline ${Date.now()}`;
  await page.goto("/admin/tokens");
  const form = page.getByRole("form", { name: "Create an API token" });
  await form.getByLabel("Name").fill(name);
  await form.getByLabel("Acts as").selectOption({ label: "researcher@demo.parallax.local (researcher)" });
  await form.getByLabel("Expires").selectOption("30");
  await form.getByRole("button", { name: "Create token" }).click();
  const token = await page.getByRole("textbox", { name: "API token" }).inputValue();
  expect(token).toMatch(/^plx_[A-Za-z0-9_-]{43}$/);

  const me = await request.get("/api/v1/me", { headers: { Authorization: `Bearer ${token}` } });
  expect(me.status()).toBe(200);
  expect(await me.json()).toEqual({
    email: "researcher@demo.parallax.local",
    name: "Demo Researcher",
    role: "RESEARCHER",
  });

  await page.reload();
  await expect(page.getByRole("textbox", { name: "API token" })).toHaveCount(0);
  const row = page.getByRole("row").filter({ has: page.getByText(name, { exact: true }) });
  await expect(row.getByText(token.slice(0, 12) + "…")).toBeVisible();
  await expect(row.getByRole("cell").nth(2)).toHaveText(/UTC$/); // last used: a time, not "never"
  expect(await page.content()).not.toContain(token);

  await row.getByRole("button", { name: `Revoke ${name}` }).click();
  await expect(row.getByText("Revoked")).toBeVisible();
  expect((await request.get("/api/v1/me", { headers: { Authorization: `Bearer ${token}` } })).status()).toBe(401);
});

/** A new user (invited by the admin on `page`) signed in in a browser of their own. */
async function invitedUserSignedIn(page: Page, browser: Browser, email: string, password: string) {
  await page.goto("/admin/users");
  const form = page.getByRole("form", { name: "Create a user" });
  await form.getByLabel("Email", { exact: true }).fill(email);
  await form.getByLabel("Role").selectOption("REVIEWER");
  await form.getByRole("button", { name: "Create user" }).click();
  const inviteUrl = new URL(await page.getByRole("textbox", { name: `Invite link for ${email}` }).inputValue());
  // Explicitly without cookies: contexts made in a test start from the file's storageState (the admin's).
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const user = await context.newPage();
  await user.goto(inviteUrl.pathname);
  await user.getByLabel("New password").fill(password);
  await user.getByLabel("The same again").fill(password);
  await user.getByRole("button", { name: "Set password" }).click();
  await expect(user).toHaveURL(/\/signin\?passwordSet=1/);
  await signInWithForm(user, email, password);
  return { context, user };
}

test("Sign out everywhere, and signing out, end copies of the sign-in cookie too", async ({ page, browser }) => {
  // A user of its own: ending sessions ends every session of that user, never one the other tests share.
  const email = `katherine-${Date.now()}@example.org`;
  const password = "harbor-quartz-violet-9";
  const { context, user } = await invitedUserSignedIn(page, browser, email, password);
  const copied = await context.storageState();
  const copy = await browser.newContext({ storageState: copied });
  const copyPage = await copy.newPage();
  await copyPage.goto("/");
  await expect(copyPage.getByRole("heading", { level: 1, name: "Studies" })).toBeVisible();

  // The admin ends all their sessions from the Users page (a server action posted by the browser).
  await page.reload();
  const row = page.getByRole("row").filter({ has: page.getByText(email, { exact: true }) });
  await row.getByRole("button", { name: "Sign out everywhere" }).click();
  await expect(row.getByRole("status")).toHaveText(
    `Signed ${email} out everywhere: every browser of theirs needs to sign in again. Their API tokens still work; revoke those on the API tokens page.`,
  );
  await user.goto("/");
  await expect(user).toHaveURL(/\/signin$/);
  await copyPage.goto("/");
  await expect(copyPage).toHaveURL(/\/signin$/);
  // The admin is still signed in.
  await page.reload();
  await expect(row.getByRole("button", { name: "Sign out everywhere" })).toBeVisible();

  // They sign in again; a copy of the new cookie stops working once they click Sign out.
  await signInWithForm(user, email, password);
  const second = await browser.newContext({ storageState: await context.storageState() });
  const secondPage = await second.newPage();
  await secondPage.goto("/");
  await expect(secondPage.getByRole("heading", { level: 1, name: "Studies" })).toBeVisible();
  await user.getByRole("banner").getByRole("button", { name: "Sign out" }).click();
  await expect(user).toHaveURL(/\/signin\?signedOut=1$/);
  await secondPage.goto("/");
  await expect(secondPage).toHaveURL(/\/signin$/);
  for (const c of [context, copy, second]) await c.close();
});
