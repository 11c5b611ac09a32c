// A server action changes data only when the browser says the request comes from Parallax's own
// pages. Against the real app: the admin's cookie, the real "change role" action, posted without
// Origin (Next checks Origin only when present), from another site, and from another site that
// claims to be it through X-Forwarded-Host (Next believes that header; Parallax does only behind
// trusted proxies). Each must answer 403 and leave the role as it was; the same post from the site
// itself must change it (which shows the posts are well-formed, so the refusals mean something).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createPrisma } from "../db/client";
import type { PrismaClient } from "../db/generated/client";
import { startAppServer, type AppServer } from "../testing/app-server";
import { actionStateBody, formFieldsOf, serverActionId } from "../testing/server-actions";

const TARGET = "reviewer2@demo.parallax.local";

describe("server actions and the Origin of the request", () => {
  let app: AppServer;
  let db: PrismaClient;
  let cookie: string;
  let targetId: number;
  let actionId: string;

  beforeAll(async () => {
    app = await startAppServer({ name: "server-action-origin", env: { PARALLAX_TRUSTED_PROXIES: "0" } });
    db = createPrisma(app.databaseUrl, 2);
    cookie = await app.signIn("admin@demo.parallax.local");
    targetId = (await db.user.findUniqueOrThrow({ where: { email: TARGET } })).id;
    actionId = serverActionId("app/admin/users/actions.ts", "changeUserRole");
  });
  afterAll(async () => {
    await db?.$disconnect();
    await app?.stop();
  });

  // Each case starts from the same role, so that one that gets through shows on its own.
  beforeEach(async () => {
    await db.user.update({ where: { id: targetId }, data: { role: "REVIEWER" } });
  });

  const role = async () => (await db.user.findUniqueOrThrow({ where: { id: targetId }, select: { role: true } })).role;

  /** changeUserRole as the page's JavaScript calls it, with the headers given. */
  const callAction = (to: string, headers: Record<string, string>) =>
    fetch(`${app.url}/admin/users`, {
      method: "POST",
      redirect: "manual",
      headers: { cookie, "next-action": actionId, accept: "text/x-component", ...headers },
      body: actionStateBody({ status: "idle" }, { userId: String(targetId), role: to }),
    });

  /** The role form of the page as served to the admin, posted as a browser without JavaScript does. */
  const postForm = async (to: string, headers: Record<string, string>) => {
    const page = await fetch(`${app.url}/admin/users`, { headers: { cookie } });
    expect(page.status).toBe(200);
    const fields = formFieldsOf(await page.text(), { userId: String(targetId), role: await role() });
    const body = new FormData();
    for (const [key, value] of Object.entries({ ...fields, role: to })) body.append(key, value);
    return fetch(`${app.url}/admin/users`, {
      method: "POST",
      redirect: "manual",
      headers: { cookie, ...headers },
      body,
    });
  };

  const refusals: [string, Record<string, string>][] = [
    ["no Origin and no Sec-Fetch-Site", {}],
    ["another site's Origin", { origin: "https://evil.example" }],
    [
      "another site's Origin with a matching X-Forwarded-Host (no trusted proxies)",
      { origin: "https://evil.example", "x-forwarded-host": "evil.example" },
    ],
    [
      "Sec-Fetch-Site: cross-site",
      { "sec-fetch-site": "cross-site", origin: "https://evil.example", "x-forwarded-host": "evil.example" },
    ],
    ["Sec-Fetch-Site: same-site (a sibling site)", { "sec-fetch-site": "same-site" }],
    ['Origin "null" (a sandboxed frame)', { origin: "null" }],
  ];

  for (const [name, headers] of refusals) {
    it(`refuses the action called with ${name}: 403 and the role unchanged`, async () => {
      const response = await callAction("ADMIN", headers);
      expect.soft(await role(), "the role after the post").toBe("REVIEWER");
      expect(response.status).toBe(403);
    });

    it(`refuses the page's form posted with ${name}: 403 and the role unchanged`, async () => {
      const response = await postForm("ADMIN", headers);
      expect.soft(await role(), "the role after the post").toBe("REVIEWER");
      expect(response.status).toBe(403);
    });
  }

  it("runs the same action posted from the site itself (Origin, or Sec-Fetch-Site: same-origin)", async () => {
    const byOrigin = await callAction("RESEARCHER", { origin: app.url });
    expect(byOrigin.status).toBe(200);
    expect(await byOrigin.text()).toContain("Role changed to researcher.");
    expect(await role()).toBe("RESEARCHER");

    const bySite = await callAction("REVIEWER", { "sec-fetch-site": "same-origin" });
    expect(bySite.status).toBe(200);
    expect(await role()).toBe("REVIEWER");

    const form = await postForm("RESEARCHER", { origin: app.url });
    expect(form.status).toBe(200);
    expect(await role()).toBe("RESEARCHER");
  });
});
