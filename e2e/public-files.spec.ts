// The files in public/ reach anyone, signed in or not (the proxy's sign-in redirect leaves them
// alone): robots.txt keeps the app out of search engines, and the favicon and the header's logo load
// under the Content-Security-Policy.
import { expect, request as playwrightRequest, test } from "@playwright/test";

test("an anonymous visitor gets robots.txt, which keeps every crawler out", async ({ baseURL }) => {
  const anonymous = await playwrightRequest.newContext({ baseURL, maxRedirects: 0 });
  const response = await anonymous.get("/robots.txt");
  expect(response.status()).toBe(200);
  expect(response.headers()["content-type"]).toContain("text/plain");
  const lines = (await response.text()).split(/\r?\n/).map((line) => line.trim());
  expect(lines).toContain("User-agent: *");
  expect(lines).toContain("Disallow: /");
  await anonymous.dispose();
});

test("an anonymous visitor gets the favicon and the logo", async ({ baseURL }) => {
  const anonymous = await playwrightRequest.newContext({ baseURL, maxRedirects: 0 });
  for (const [file, type] of [
    ["/favicon.svg", "image/svg+xml"],
    ["/favicon.ico", "image/"],
    ["/logo.svg", "image/svg+xml"],
  ]) {
    const response = await anonymous.get(file!);
    expect(response.status(), file).toBe(200);
    expect(response.headers()["content-type"], file).toContain(type);
  }
  await anonymous.dispose();
});

test("the sign-in page names the favicon and shows the logo, with no CSP violation", async ({ page }) => {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy|Refused to load/i.test(message.text())) violations.push(message.text());
  });
  await page.goto("/signin");
  await expect(page.locator('head link[rel="icon"][href^="/favicon.svg"]')).toHaveCount(1);
  const logo = page.getByRole("banner").locator('img[src="/logo.svg"]');
  await expect(logo).toBeVisible();
  expect(await logo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
  expect(violations).toEqual([]);
});
