// The guards and session generations against a real PostgreSQL: API routes judge an API token by
// its owner's role as stored now; a sign-in cookie's session holds only while the user's session
// generation is the one it was issued under (sign-out, "sign out everywhere", disabling and a new
// password advance it).
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createPrisma } from "../db/client";
import type { PrismaClient } from "../db/generated/client";
import { setUserDisabled, signOutEverywhere, UserRuleError } from "../admin/users";
import { createApiToken } from "./api-tokens";
import { apiRoute, sessionOrTokenRoute, studyApiRoute } from "./guard";
import { sessionUser } from "./guard-verdicts";
import { acceptInvite, createInvite } from "./invites";
import { endSessions, findSessionUser, sessionGenerationOf } from "./users";

let db: PrismaClient;
let counter = 0;
const unique = () => `${Date.now().toString(36)}-${++counter}`;

beforeAll(() => {
  // The guards use the app's own client (lib/db/client.ts prisma()), as in production.
  process.env.DATABASE_URL = inject("databaseUrl");
  db = createPrisma(inject("databaseUrl"), 5);
});
afterAll(async () => {
  await db.$disconnect();
});

async function user(role: "ADMIN" | "RESEARCHER" | "REVIEWER" = "RESEARCHER", extra: { placeholder?: boolean } = {}) {
  return db.user.create({ data: { email: `guard-${unique()}@example.org`, role, passwordHash: "x", ...extra } });
}

async function bearer(userId: number) {
  return `Bearer ${(await createApiToken({ userId, name: "guard test", expiresAt: null }, db)).token}`;
}

describe("apiRoute and studyApiRoute with API tokens", () => {
  it("run the handler for an allowed role that may see the study, 404 for a study they may not see, 403 naming the roles otherwise", async () => {
    const researcher = await user("RESEARCHER");
    const outsider = await user("RESEARCHER");
    const reviewer = await user("REVIEWER");
    const admin = await user("ADMIN");
    const slug = `guard-${unique()}`;
    const study = await db.study.create({ data: { slug, name: "Guard" } });
    await db.studyMember.createMany({
      data: [
        { studyId: study.id, userId: researcher.id, role: "RESEARCHER" },
        { studyId: study.id, userId: reviewer.id, role: "REVIEWER" },
      ],
    });
    const seen: number[] = [];
    const handler = async (_request: Request, who: { id: number }) => {
      seen.push(who.id);
      return new Response("ran");
    };
    const imports = studyApiRoute("/api/v1/studies/[slug]/imports", handler);
    type Context = { params: Promise<{ slug: string }> };
    const me = apiRoute<Context>("/api/v1/me", handler);
    const call = async (route: typeof me, authorization: string, studySlug = slug) =>
      route(new Request("http://127.0.0.1:3000/api/v1/x", { method: "POST", headers: { authorization } }), {
        params: Promise.resolve({ slug: studySlug }),
      });

    expect((await call(imports, await bearer(researcher.id))).status).toBe(200);
    expect((await call(imports, await bearer(admin.id))).status).toBe(200);
    // Not a member: the same answer as for a study that does not exist, so that names do not leak.
    const hidden = await call(imports, await bearer(outsider.id));
    const unknown = await call(imports, await bearer(outsider.id), `${slug}-none`);
    expect([hidden.status, unknown.status]).toEqual([404, 404]);
    expect(((await hidden.json()) as { message: string }).message).toBe(`There is no study "${slug}".`);
    const refused = await call(imports, await bearer(reviewer.id));
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({
      error: "forbidden",
      message: expect.stringMatching(/ADMIN or RESEARCHER.*REVIEWER/),
    });
    // A token needs no Origin: scripts are not browsers, and no other site can make a browser send it.
    expect((await call(me, await bearer(reviewer.id))).status).toBe(200);
    expect(seen).toEqual([researcher.id, admin.id, reviewer.id]);

    // A researcher who is the study's reviewer acts as a reviewer there.
    await db.studyMember.update({
      where: { studyId_userId: { studyId: study.id, userId: researcher.id } },
      data: { role: "REVIEWER" },
    });
    expect((await call(imports, await bearer(researcher.id))).status).toBe(403);

    // The role is read at each request: a demoted admin's token loses access at once (no longer
    // an admin and not a member: the study is not there for them).
    const token = await bearer(admin.id);
    await db.user.update({ where: { id: admin.id }, data: { role: "REVIEWER" } });
    expect((await call(imports, token)).status).toBe(404);
    // Removed from the study: 404 at once.
    const member = await bearer(reviewer.id);
    await db.studyMember.delete({ where: { studyId_userId: { studyId: study.id, userId: reviewer.id } } });
    await db.user.update({ where: { id: reviewer.id }, data: { role: "RESEARCHER" } });
    expect((await call(imports, member)).status).toBe(404);
  });
});

describe("sessionOrTokenRoute with API tokens", () => {
  it("runs the handler for an allowed role, and answers 403 naming the roles otherwise (no WWW-Authenticate: the token was good)", async () => {
    const admin = await user("ADMIN");
    const reviewer = await user("REVIEWER");
    const seen: number[] = [];
    const audit = sessionOrTokenRoute("/api/v1/audit", async (_request, who) => {
      seen.push(who.id);
      return new Response("ran");
    });
    const call = async (authorization: string) =>
      audit(new Request("http://127.0.0.1:3000/api/v1/audit", { headers: { authorization } }), {});
    expect((await call(await bearer(admin.id))).status).toBe(200);
    const refused = await call(await bearer(reviewer.id));
    expect(refused.status).toBe(403);
    expect(refused.headers.get("www-authenticate")).toBeNull();
    expect(refused.headers.get("cache-control")).toBe("no-store");
    expect(await refused.json()).toEqual({
      error: "forbidden",
      message: "This needs the role ADMIN; you are REVIEWER.",
    });
    expect(seen).toEqual([admin.id]);
  });
});

describe("studyApiRoute that may create its study", () => {
  it("runs the handler without a study for a slug nobody has, only when asked to create and for a role that may", async () => {
    const researcher = await user("RESEARCHER");
    const reviewer = await user("REVIEWER");
    const taken = await db.study.create({ data: { slug: `taken-${unique()}`, name: "Taken" } });
    const studies: (number | null)[] = [];
    const route = studyApiRoute(
      "/api/v1/studies/[slug]/responses",
      async (_request, _who, study) => {
        studies.push(study?.id ?? null);
        return new Response("ran");
      },
      { creates: (request) => new URL(request.url).searchParams.has("create") },
    );
    const call = async (authorization: string, slug: string, create: boolean) =>
      route(
        new Request(`http://127.0.0.1:3000/api/v1/studies/${slug}/responses${create ? "?create=New" : ""}`, {
          method: "POST",
          headers: { authorization },
        }),
        { params: Promise.resolve({ slug }) },
      );
    const fresh = `fresh-${unique()}`;
    expect((await call(await bearer(researcher.id), fresh, true)).status).toBe(200);
    expect(studies).toEqual([null]);
    // Without ?create, the same slug is a study that is not there.
    expect((await call(await bearer(researcher.id), fresh, false)).status).toBe(404);
    // A reviewer may not create studies: 404 as for any study they cannot see.
    expect((await call(await bearer(reviewer.id), fresh, true)).status).toBe(404);
    // A slug another team holds: not created again, and not revealed.
    const hidden = await call(await bearer(researcher.id), taken.slug, true);
    expect(hidden.status).toBe(404);
    expect(await hidden.json()).toEqual({ error: "not_found", message: `There is no study "${taken.slug}".` });
    expect(studies).toEqual([null]);
  });
});

describe("session generations", () => {
  it("a session holds while its generation is current; sign-out ends it (only once) and every other of the user's", async () => {
    const account = await user("REVIEWER");
    expect(await sessionGenerationOf(account.id, db)).toBe(0);
    expect(await findSessionUser(account.id, 0, db)).toMatchObject({ id: account.id, role: "REVIEWER" });
    // Cookies from before generations existed carry none: generation 0.
    expect(await findSessionUser(account.id, undefined, db)).not.toBeNull();
    expect(await findSessionUser(account.id, 1, db)).toBeNull();

    expect(await endSessions(account.id, { ifCurrent: 0 }, db)).toBe(true);
    expect(await findSessionUser(account.id, 0, db)).toBeNull();
    expect(await findSessionUser(account.id, 1, db)).not.toBeNull();
    // Replaying the ended cookie's sign-out does not end the new session.
    expect(await endSessions(account.id, { ifCurrent: 0 }, db)).toBe(false);
    expect(await findSessionUser(account.id, 1, db)).not.toBeNull();
    expect(await endSessions(-1, {}, db)).toBe(false);
  });

  it("the sign-in cookie's session (next-auth's { user: { id, gen } }) gives its user while the generation is current", async () => {
    const account = await user("REVIEWER");
    const id = String(account.id);
    const expected = { id: account.id, email: account.email, name: null, role: "REVIEWER" };
    expect(await sessionUser({ expires: "2099-01-01T00:00:00.000Z", user: { id, gen: 0 } })).toEqual(expected);
    // From before generations existed, or with a generation that is not a number: generation 0.
    expect(await sessionUser({ user: { id } })).toEqual(expected);
    expect(await sessionUser({ user: { id, gen: "0" } })).toEqual(expected);
    expect(await sessionUser({ user: { id, gen: 1 } })).toBeNull();

    expect(await endSessions(account.id, { ifCurrent: 0 }, db)).toBe(true);
    expect(await sessionUser({ user: { id, gen: 1 } })).toEqual(expected);
    expect(await sessionUser({ user: { id, gen: 0 } })).toBeNull();
    expect(await sessionUser({ user: { id, gen: "1" } })).toBeNull();
    expect(await sessionUser({ user: { id } })).toBeNull();
    // A disabled account's cookie is nobody's.
    await db.user.update({ where: { id: account.id }, data: { disabled: true } });
    expect(await sessionUser({ user: { id, gen: 1 } })).toBeNull();
  });

  it("sign out everywhere ends every session of a user, refuses placeholders and unknown users", async () => {
    const account = await user("RESEARCHER");
    expect(await signOutEverywhere({ userId: account.id }, account.id, db)).toEqual({ email: account.email });
    expect(await findSessionUser(account.id, 0, db)).toBeNull();
    expect(await sessionGenerationOf(account.id, db)).toBe(1);
    const placeholder = await user("REVIEWER", { placeholder: true });
    await expect(signOutEverywhere({ userId: placeholder.id }, account.id, db)).rejects.toThrow(UserRuleError);
    await expect(signOutEverywhere({ userId: 2_000_000_000 }, account.id, db)).rejects.toThrow(/does not exist/);
  });

  it("disabling ends the sessions, so enabling again does not revive old cookies", async () => {
    const admin = await user("ADMIN");
    const account = await user("REVIEWER");
    await setUserDisabled({ userId: account.id, disabled: true }, admin.id, db);
    await setUserDisabled({ userId: account.id, disabled: false }, admin.id, db);
    expect(await findSessionUser(account.id, 0, db)).toBeNull();
    expect(await findSessionUser(account.id, 1, db)).not.toBeNull();
  });

  it("a new password from an invite link ends the sessions signed in with the old one", async () => {
    const admin = await user("ADMIN");
    const account = await user("REVIEWER");
    const invite = await createInvite({ userId: account.id, createdById: admin.id }, db);
    expect(await acceptInvite({ token: invite.token, password: "orbit-velvet-kettle-lamp" }, db)).toMatchObject({
      ok: true,
    });
    expect(await findSessionUser(account.id, 0, db)).toBeNull();
    expect(await findSessionUser(account.id, 1, db)).not.toBeNull();
  });
});
