// Ending a session ends it on the server: a copy of the sign-in cookie taken before stops working
// after the user signs out (next-auth's sign-out, as the Sign out button posts it) and after an
// admin's "Sign out everywhere", on pages and on the API alike. Signing in again works. Against
// the real app and its database.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_STUDY_SLUG } from "../demo/constants";
import { startAppServer, type AppServer } from "../testing/app-server";
import { actionStateBody, serverActionId } from "../testing/server-actions";

const RESEARCHER = "researcher@demo.parallax.local";

describe("ending a session", () => {
  let app: AppServer;

  beforeAll(async () => {
    app = await startAppServer({ name: "session-end" });
  });
  afterAll(async () => {
    await app?.stop();
  });

  /** What a cookie gets: the studies page (200, or a redirect to sign-in) and a cookie-authenticated API read. */
  async function access(cookie: string) {
    const page = await fetch(`${app.url}/`, { headers: { cookie }, redirect: "manual" });
    const api = await fetch(`${app.url}/api/v1/studies/${DEMO_STUDY_SLUG}/imports`, { headers: { cookie } });
    return { page: page.status, location: page.headers.get("location"), api: api.status };
  }

  const works = { page: 200, location: null, api: 200 };
  const refused = { page: 307, location: expect.stringMatching(/\/signin$/), api: 401 };

  /** next-auth's sign-out as the Sign out button sends it: a POST with the CSRF token. */
  async function signOut(cookie: string) {
    const { csrfToken } = (await (await fetch(`${app.url}/api/auth/csrf`, { headers: { cookie } })).json()) as {
      csrfToken: string;
    };
    const response = await fetch(`${app.url}/api/auth/signout`, {
      method: "POST",
      redirect: "manual",
      headers: { cookie, origin: app.url, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ csrfToken, json: "true" }),
    });
    expect(response.status).toBeLessThan(400);
    // The browser's cookie is deleted…
    expect(response.headers.getSetCookie().some((c) => /next-auth\.session-token=;/.test(c))).toBe(true);
  }

  it("a cookie copied before sign-out is refused afterwards; signing in again works", async () => {
    const cookie = await app.signIn(RESEARCHER);
    const copy = cookie;
    expect(await access(copy)).toEqual(works);
    await signOut(cookie);
    // …and a copy of it no longer opens anything.
    expect(await access(copy)).toEqual(refused);
    const again = await app.signIn(RESEARCHER);
    expect(await access(again)).toEqual(works);
    // The ended copy's own sign-out cannot end the new session.
    await signOut(copy);
    expect(await access(again)).toEqual(works);
  });

  it("an admin's Sign out everywhere ends every session of the user, not the admin's; signing in again works", async () => {
    const first = await app.signIn(RESEARCHER);
    const second = await app.signIn(RESEARCHER);
    const admin = await app.signIn("admin@demo.parallax.local");
    const page = await fetch(`${app.url}/admin/users`, { headers: { cookie: admin } });
    const html = await page.text();
    expect(await access(first)).toEqual(works);
    expect(await access(second)).toEqual(works);

    const researcherId = Number(/researcher@demo\.parallax\.local[\s\S]*?name="userId" value="(\d+)"/.exec(html)?.[1]);
    expect(researcherId).toBeGreaterThan(0);
    const response = await fetch(`${app.url}/admin/users`, {
      method: "POST",
      headers: {
        cookie: admin,
        origin: app.url,
        "next-action": serverActionId("app/admin/users/actions.ts", "signOutEverywhere"),
        accept: "text/x-component",
      },
      body: actionStateBody({ status: "idle" }, { userId: String(researcherId) }),
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain(`Signed ${RESEARCHER} out everywhere`);

    expect(await access(first)).toEqual(refused);
    expect(await access(second)).toEqual(refused);
    expect((await fetch(`${app.url}/admin/users`, { headers: { cookie: admin } })).status).toBe(200);
    expect(await access(await app.signIn(RESEARCHER))).toEqual(works);
  });
});
