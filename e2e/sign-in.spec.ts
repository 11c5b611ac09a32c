// Signing in and out in a real browser, a page the role may not open, the security headers, and
// brute force against the sign-in endpoint running into the limit.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { expect, test, type ConsoleMessage } from "@playwright/test";
import { DEMO_PASSWORD, SPARE_REVIEWER, signInWithForm } from "./support/accounts";

const screenshots = path.join(import.meta.dirname, "..", "test-results", "screenshots");

test("a reviewer signs in, is refused an admin page, and signs out", async ({ page }) => {
  const problems: string[] = [];
  const note = (message: ConsoleMessage) => {
    if (message.type() === "error" || /Content Security Policy|Refused to/i.test(message.text()))
      problems.push(message.text());
  };
  page.on("console", note);
  page.on("pageerror", (error) => problems.push(error.message));

  // Anonymous: sent to sign-in, which comes back to the page asked for.
  await page.goto("/admin/users");
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Fadmin%2Fusers$/);
  await expect(page.getByRole("heading", { name: "Sign in to Parallax" })).toBeVisible();
  mkdirSync(screenshots, { recursive: true });
  await page.screenshot({ path: path.join(screenshots, "signin.png"), fullPage: true });

  await page.getByLabel("Email", { exact: true }).fill(SPARE_REVIEWER);
  await page.getByLabel("Password", { exact: true }).fill("not-the-password");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByRole("main").getByRole("alert")).toHaveText(/Wrong email or password/);

  await signInWithForm(page, SPARE_REVIEWER);
  await expect(page).toHaveURL(/\/admin\/users$/);
  await expect(page.getByRole("heading", { name: "You do not have access to this page" })).toBeVisible();
  await expect(page.getByText(`You are signed in as ${SPARE_REVIEWER} with the role reviewer`)).toBeVisible();
  await page.screenshot({ path: path.join(screenshots, "forbidden.png"), fullPage: true });
  const response = await page.goto("/admin/users");
  expect(response?.status()).toBe(403);
  // The header offers a reviewer no admin sections.
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link")).toHaveText(["Studies"]);

  await page.getByRole("link", { name: "Back to all studies" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Studies" })).toBeVisible();

  await page.getByRole("banner").getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/signin\?signedOut=1$/);
  await expect(page.getByRole("status")).toHaveText("You have signed out.");
  await page.goto("/");
  await expect(page).toHaveURL(/\/signin$/);

  // The refused sign-in (401) and the forbidden page (403) are logged by the browser as failed
  // requests; anything else, a CSP violation above all, is a problem.
  expect(
    problems.filter((text) => !/status of 40[13]/.test(text)),
    "console errors",
  ).toEqual([]);
});

test("pages carry a nonce-based Content-Security-Policy and the fixed security headers", async ({ page, request }) => {
  const blocked: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) blocked.push(message.text());
  });
  const response = await page.goto("/signin");
  const headers = response!.headers();
  const csp = headers["content-security-policy"]!;
  const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
  expect(nonce).toBeTruthy();
  expect(csp).toContain("'strict-dynamic'");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBe("same-origin");
  expect(headers["x-frame-options"]).toBe("DENY");

  // Every script Next wrote into the page carries this request's nonce, and the page hydrated:
  // the form's own handler runs (a refused sign-in shows its message without a reload).
  const scripts = await page.locator("script").evaluateAll((nodes) => nodes.map((n) => (n as HTMLScriptElement).nonce));
  expect(scripts.length).toBeGreaterThan(0);
  expect(new Set(scripts)).toEqual(new Set([nonce]));
  const again = await request.get("/signin");
  expect(/'nonce-([^']+)'/.exec(again.headers()["content-security-policy"]!)?.[1]).not.toBe(nonce);

  // Markup injected into the page (what a rendering bug with model output would do) runs no script:
  // inline event handlers and javascript: URLs carry no nonce.
  // The browser's own events say when each attempt was refused (no sleep): one violation report for
  // the inline handler, one for the javascript: URL.
  const { ran, violations } = await page.evaluate(async () => {
    const seen: string[] = [];
    const both = new Promise<void>((resolve) => {
      document.addEventListener("securitypolicyviolation", (event) => {
        seen.push(event.effectiveDirective);
        if (seen.length >= 2) resolve();
      });
    });
    const holder = document.createElement("div");
    holder.innerHTML =
      '<img src="data:," onerror="window.__injected = true"><a id="x" href="javascript:window.__injected = true">x</a>';
    document.body.append(holder);
    (document.getElementById("x") as HTMLAnchorElement).click();
    await both;
    return { ran: (window as unknown as { __injected?: boolean }).__injected === true, violations: seen };
  });
  expect(ran).toBe(false);
  expect(violations).toHaveLength(2);
  expect(blocked.length).toBeGreaterThan(0); // …and the browser says why in the console
  blocked.length = 0;

  // The redirect of an anonymous visitor, API answers and static files carry the fixed headers too.
  const redirect = await request.get("/admin/users", { maxRedirects: 0 });
  expect(redirect.status()).toBe(307);
  expect(redirect.headers()["x-frame-options"]).toBe("DENY");
  const api = await request.get("/api/v1/me");
  expect(api.headers()["x-content-type-options"]).toBe("nosniff");
  const asset = await page.locator("script[src]").first().getAttribute("src");
  expect((await request.get(asset!)).headers()["x-content-type-options"]).toBe("nosniff");
});

test("brute force against one account runs into the limit, then even the right password waits", async ({
  page,
  playwright,
  baseURL,
}) => {
  const api = await playwright.request.newContext({ baseURL, maxRedirects: 0 });
  const email = `brute-${Date.now()}@example.org`;
  const attempt = async (password: string) => {
    const { csrfToken } = (await (await api.get("/api/auth/csrf")).json()) as { csrfToken: string };
    const response = await api.post("/api/auth/callback/credentials", {
      form: { csrfToken, email, password, json: "true" },
    });
    const { url } = (await response.json()) as { url: string };
    return { error: new URL(url).searchParams.get("error") };
  };
  const guesses = [];
  for (let i = 0; i < 5; i++) guesses.push(await attempt(`guess-${i}`));
  expect(guesses.map((g) => g.error)).toEqual(Array(5).fill("CredentialsSignin"));
  // That every checked guess costs a bcrypt comparison, unknown account or not, is counted in
  // lib/auth/sign-in.int.test.ts; its speed is not a browser test's business.
  const blocked = await attempt(DEMO_PASSWORD);
  expect(blocked.error).toMatch(/^RateLimited:\d+$/);
  await api.dispose();

  // The sign-in page says so in words.
  await page.goto("/signin");
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByLabel("Password", { exact: true }).fill("one-more-guess");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByRole("main").getByRole("alert")).toHaveText(
    /Too many sign-in attempts\. Try again in 1[0-5] minutes\./,
  );
});
