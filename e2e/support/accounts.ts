// The demo accounts the browser tests sign in as, and where the sign-in setup keeps each role's
// cookies and API token (git-ignored, under .parallax/).
import { readFileSync } from "node:fs";
import path from "node:path";
import type { Page } from "@playwright/test";
import { expect } from "@playwright/test";
import { DEMO_PASSWORD } from "../../lib/demo/demo-credentials";
import type { Role } from "../../lib/db/generated/enums";

export { DEMO_PASSWORD };

export const ACCOUNTS: Record<Role, string> = {
  ADMIN: "admin@demo.parallax.local",
  RESEARCHER: "researcher@demo.parallax.local",
  REVIEWER: "reviewer1@demo.parallax.local",
};

/** A second reviewer for tests that sign in and out, so the shared reviewer session stays as it is. */
export const SPARE_REVIEWER = "reviewer2@demo.parallax.local";

const stateDir = path.join(import.meta.dirname, "..", "..", ".parallax", "e2e-auth");

export const storageStatePath = (role: Role) => path.join(stateDir, `${role.toLowerCase()}.json`);
export const TOKENS_FILE = path.join(stateDir, "tokens.json");

export function apiTokens(): Record<Role, string> {
  return JSON.parse(readFileSync(TOKENS_FILE, "utf8")) as Record<Role, string>;
}

/** Signs in through the sign-in form and waits for the page it leads to. */
export async function signInWithForm(page: Page, email: string, password = DEMO_PASSWORD) {
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
}
