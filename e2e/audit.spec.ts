// The audit log as an admin uses it: they rename a study, find the change on the audit log, narrow
// the log to it with the filters, and download it as CSV; a researcher is not let in.
import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import { parse } from "csv-parse/sync";
import { ACCOUNTS, storageStatePath } from "./support/accounts";

test("an admin's rename shows on the audit log, survives its filters and is in the CSV", async ({ browser }) => {
  test.setTimeout(120_000);
  const slug = `e2e-audit-${Date.now().toString(36)}`;
  const admin = await browser.newContext({ storageState: storageStatePath("ADMIN") });
  const page = await admin.newPage();

  await page.goto("/studies/new");
  const create = page.getByRole("form", { name: "New study" });
  await create.getByLabel("Name").fill("Audit trail study");
  await create.getByLabel(/^Slug/).fill(slug);
  await create.getByRole("button", { name: "Create study" }).click();
  await expect(page).toHaveURL(new RegExp(`/studies/${slug}/import$`));

  await page.goto(`/studies/${slug}/settings`);
  const settings = page.getByRole("form", { name: "Study settings" });
  await settings.getByLabel("Name").fill("Audit trail study, renamed");
  await settings.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByRole("status")).toContainText("Saved");

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Audit log" }).click();
  await expect(page).toHaveURL(/\/admin\/audit$/);
  const table = page.getByRole("table", { name: "Audit events, newest first" });
  const renamed = table.getByRole("row").filter({ hasText: "Study settings changed" }).filter({ hasText: slug });
  await expect(renamed).toHaveCount(1);
  await expect(renamed).toContainText(ACCOUNTS.ADMIN);
  await expect(renamed).toContainText("name: Audit trail study → Audit trail study, renamed");

  const filters = page.getByRole("form", { name: "Filter the audit log" });
  await filters.getByLabel("Study (slug)").fill(slug);
  await filters.getByLabel("What").selectOption("study.settings");
  await filters.getByLabel("Who").fill(ACCOUNTS.ADMIN);
  await filters.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(new RegExp(`study=${slug}`));
  // The header row and the rename, nothing else (the creation is another action).
  await expect(table.getByRole("row")).toHaveCount(2);
  await expect(table.getByRole("row").nth(1)).toContainText("Audit trail study, renamed");

  const downloading = page.waitForEvent("download");
  await page.getByRole("link", { name: "Download CSV" }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^parallax-audit-\d{4}-\d{2}-\d{2}\.csv$/);
  const rows = parse(await readFile((await download.path())!), { columns: true }) as Record<string, string>[];
  expect(rows).toHaveLength(1);
  expect(rows[0]).toMatchObject({
    actor: ACCOUNTS.ADMIN,
    action: "study.settings",
    study: slug,
    summary: "name: Audit trail study → Audit trail study, renamed",
  });
  await admin.close();

  const researcher = await browser.newContext({ storageState: storageStatePath("RESEARCHER") });
  const other = await researcher.newPage();
  await other.goto("/");
  await expect(other.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Audit log" })).toHaveCount(0);
  const refused = await other.goto("/admin/audit");
  expect(refused?.status()).toBe(403);
  const api = await other.request.get(`/api/v1/audit?format=csv&study=${slug}`);
  expect(api.status()).toBe(403);
  await researcher.close();
});
