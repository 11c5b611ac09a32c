// next-auth's configuration against a real PostgreSQL: what the credentials provider answers for a
// sign-in (the user, nothing, or the rate-limit code the sign-in page shows), which single sign-on
// accounts may come in, what the session cookie carries (only the user's id and session
// generation), and that sign-out ends the session on the server. Auth.js calls these callbacks;
// here they are called as it calls them.
import bcrypt from "bcryptjs";
import type { Account, User } from "next-auth";
import type { JWT } from "next-auth/jwt";
import { afterAll, beforeAll, describe, expect, inject, it, vi } from "vitest";
import { createPrisma } from "../db/client";
import type { PrismaClient } from "../db/generated/client";
import { PEER_HEADER } from "./client-address";
import { authOptions, SESSION_MAX_AGE_SECONDS, usesSecureCookies } from "./next-auth-options";
import { SIGN_IN_LIMITS } from "./sign-in-limit";

const PASSWORD = "harbour-cobalt-thimble";
let db: PrismaClient;
let passwordHash: string;
let counter = 0;
const unique = () => `${Date.now().toString(36)}-${++counter}`;

beforeAll(async () => {
  // The options use the app's own client (lib/db/client.ts prisma()), as in production.
  process.env.DATABASE_URL = inject("databaseUrl");
  process.env.NEXTAUTH_SECRET ??= "a-test-secret-of-at-least-thirty-two-characters";
  db = createPrisma(inject("databaseUrl"), 5);
  // A low cost keeps the test quick; the comparison is bcrypt's all the same.
  passwordHash = await bcrypt.hash(PASSWORD, 4);
});
afterAll(async () => {
  await db.$disconnect();
});

async function account(data: { disabled?: boolean; placeholder?: boolean; name?: string } = {}) {
  return db.user.create({
    data: { email: `nao-${unique()}@example.org`, role: "REVIEWER", passwordHash, ...data },
  });
}

interface CredentialsOptions {
  id: string;
  authorize: (
    credentials: unknown,
    request: unknown,
  ) => Promise<{ id: string; email: string; name: string | null } | null>;
}

/** The email-and-password provider's own options, as next-auth merges them into the provider. */
function credentials(): CredentialsOptions {
  const provider = authOptions().providers.find((p) => p.type === "credentials") as unknown as {
    options: CredentialsOptions;
  };
  return provider.options;
}

const oauthAccount = { type: "oauth", provider: "oidc", providerAccountId: "x" } as Account;
const credentialsAccount = { type: "credentials", provider: "credentials", providerAccountId: "x" } as Account;

/** The options as a fresh start of the app builds them (authOptions() keeps the first ones it built). */
async function freshOptions() {
  vi.resetModules();
  return (await import("./next-auth-options")).authOptions();
}

describe("the options", () => {
  it("are built once: every request sees the same configuration", () => {
    const options = authOptions();
    expect(options).toBeDefined();
    expect(authOptions()).toBe(options);
  });

  it("keep sessions in a JWT cookie for a working day, and send sign-in, sign-out and errors to Parallax's pages", async () => {
    const options = await freshOptions();
    expect(SESSION_MAX_AGE_SECONDS).toBe(12 * 3600);
    expect(options.session).toEqual({ strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS });
    expect(options.jwt).toEqual({ maxAge: SESSION_MAX_AGE_SECONDS });
    expect(options.pages).toEqual({ signIn: "/signin", signOut: "/signout", error: "/signin" });
    expect(options.secret).toBe(process.env.NEXTAUTH_SECRET);
    expect(Object.keys(options.callbacks ?? {}).sort()).toEqual(["jwt", "session", "signIn"]);
    expect(Object.keys(options.events ?? {})).toEqual(["signOut"]);
    // The sign-in form (components/auth/sign-in-form.tsx) posts to the provider "credentials".
    const provider = options.providers.find((p) => p.type === "credentials") as unknown as {
      options: { id: string };
    };
    expect(provider.options.id).toBe("credentials");
  });

  it("mark cookies Secure exactly when the site is served over https", () => {
    expect(usesSecureCookies({ NEXTAUTH_URL: "https://parallax.example.org" })).toBe(true);
    expect(usesSecureCookies({ NEXTAUTH_URL: "http://127.0.0.1:3000" })).toBe(false);
    expect(usesSecureCookies({ NEXTAUTH_URL: "http://example.org/https://" })).toBe(false);
    expect(usesSecureCookies({})).toBe(false);
  });
});

describe("signing in with email and password", () => {
  it("answers the user for the right password, nothing for a wrong one or a form that is not one", async () => {
    const user = await account({ name: "Ada" });
    const request = { headers: { [PEER_HEADER]: "203.0.113.7" } };
    expect(await credentials().authorize({ email: user.email.toUpperCase(), password: PASSWORD }, request)).toEqual({
      id: String(user.id),
      email: user.email,
      name: "Ada",
    });
    expect(await credentials().authorize({ email: user.email, password: "not-the-password" }, request)).toBeNull();
    expect(await credentials().authorize({ email: user.email, password: "" }, request)).toBeNull();
    expect(await credentials().authorize({ email: "", password: PASSWORD }, request)).toBeNull();
    expect(await credentials().authorize(undefined, request)).toBeNull();
    // A disabled account: the same answer as a wrong password.
    const disabled = await account({ disabled: true });
    expect(await credentials().authorize({ email: disabled.email, password: PASSWORD }, request)).toBeNull();
  });

  it("counts the attempt against the client's address from the request, or 'unknown' without one", async () => {
    const user = await account();
    const address = `peer-${unique()}`;
    await credentials().authorize(
      { email: user.email, password: "wrong-password" },
      { headers: { [PEER_HEADER]: address } },
    );
    const counted = await db.authRateLimit.findUnique({ where: { key: `address:${address}` } });
    expect(counted?.attempts).toBe(1);
    // next-auth may call authorize without a request: the attempt still counts, as "unknown".
    await db.authRateLimit.deleteMany({ where: { key: "address:unknown" } });
    expect(await credentials().authorize({ email: user.email, password: "wrong-password" }, undefined)).toBeNull();
    expect((await db.authRateLimit.findUnique({ where: { key: "address:unknown" } }))?.attempts).toBe(1);
  });

  it("throws the rate-limit code with the wait, which next-auth passes to the sign-in page", async () => {
    const user = await account();
    await db.authRateLimit.create({
      data: { key: `account:${user.email}`, attempts: SIGN_IN_LIMITS.perAccount, windowStart: new Date() },
    });
    const refused = await credentials()
      .authorize({ email: user.email, password: PASSWORD }, { headers: {} })
      .then(
        () => null,
        (error: unknown) => error,
      );
    expect(refused).toBeInstanceOf(Error);
    const [code, seconds] = (refused as Error).message.split(":");
    expect(code).toBe("RateLimited");
    expect(Number(seconds)).toBeGreaterThan(SIGN_IN_LIMITS.windowSeconds - 120);
    expect(Number(seconds)).toBeLessThanOrEqual(SIGN_IN_LIMITS.windowSeconds);
  });
});

describe("the signIn callback", () => {
  const signIn = (user: Partial<User>, account: Account | null) =>
    authOptions().callbacks!.signIn!({ user: user as User, account, profile: undefined });

  it("lets a password sign-in through (authorize has judged it) and single sign-on only into active accounts", async () => {
    expect(await signIn({ id: "1", email: null }, credentialsAccount)).toBe(true);
    const active = await account();
    expect(await signIn({ id: "sso", email: active.email.toUpperCase() }, oauthAccount)).toBe(true);
    // No account made by an admin, no verified email, a disabled or placeholder account: refused.
    expect(await signIn({ id: "sso", email: `stranger-${unique()}@example.org` }, oauthAccount)).toBe(false);
    expect(await signIn({ id: "sso", email: null }, oauthAccount)).toBe(false);
    expect(await signIn({ id: "sso", email: null }, null)).toBe(false);
    expect(await signIn({ id: "sso", email: (await account({ disabled: true })).email }, oauthAccount)).toBe(false);
    expect(await signIn({ id: "sso", email: (await account({ placeholder: true })).email }, oauthAccount)).toBe(false);
  });
});

describe("the jwt and session callbacks", () => {
  const jwt = (token: JWT, user?: Partial<User>, account?: Account | null) =>
    authOptions().callbacks!.jwt!({ token, user: user as User, account: account ?? null });

  it("keep in the cookie only the user's id and session generation at sign-in, and leave it alone after", async () => {
    const user = await account();
    await db.user.update({ where: { id: user.id }, data: { sessionGeneration: 3 } });
    const issued = await jwt(
      { name: "Ada", email: user.email, picture: "x" },
      { id: String(user.id) },
      credentialsAccount,
    );
    expect(issued).toEqual({ sub: String(user.id), gen: 3 });
    // Later requests: the token as it is, whatever the user object.
    const later = { sub: String(user.id), gen: 3 };
    expect(await jwt(later)).toBe(later);
    expect(await jwt(later, { id: String(user.id) })).toBe(later);
    expect(await jwt(later, undefined, credentialsAccount)).toBe(later);
  });

  it("find a single sign-on user by email, and issue nothing for an account that is not there", async () => {
    const user = await account();
    expect(await jwt({}, { id: "github-42", email: user.email }, oauthAccount)).toEqual({
      sub: String(user.id),
      gen: 0,
    });
    expect(await jwt({ name: "x" }, { id: "github-43", email: `gone-${unique()}@example.org` }, oauthAccount)).toEqual(
      {},
    );
    expect(await jwt({ name: "x" }, { id: "github-44", email: null }, oauthAccount)).toEqual({});
    // A credentials user deleted between authorize and the cookie: no session.
    expect(await jwt({ name: "x" }, { id: "2000000000" }, credentialsAccount)).toEqual({});
  });

  it("give pages a session with the id and generation only", async () => {
    const session = await authOptions().callbacks!.session!({
      session: { expires: "2030-01-01T00:00:00.000Z", user: { email: "ada@example.org", name: "Ada" } },
      token: { sub: "17", gen: 2, email: "ada@example.org" },
    } as never);
    expect(session).toEqual({ expires: "2030-01-01T00:00:00.000Z", user: { id: "17", gen: 2 } });
  });
});

describe("sign-out", () => {
  const signOut = (token: JWT) => authOptions().events!.signOut!({ token, session: undefined as never });

  it("ends the session on the server: its generation, and so every copy of the cookie, stops working", async () => {
    const user = await account();
    await db.user.update({ where: { id: user.id }, data: { sessionGeneration: 2 } });
    await signOut({ sub: String(user.id), gen: 2 });
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).sessionGeneration).toBe(3);
    // Replaying the ended cookie's sign-out changes nothing.
    await signOut({ sub: String(user.id), gen: 2 });
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).sessionGeneration).toBe(3);
  });

  it("takes a cookie without a generation as generation 0, and ignores one without a user", async () => {
    const user = await account();
    await signOut({ sub: String(user.id) });
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).sessionGeneration).toBe(1);
    await signOut({ sub: String(user.id), gen: "1" as never });
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).sessionGeneration).toBe(1);
    await expect(signOut({})).resolves.toBeUndefined();
    await expect(signOut(undefined as never)).resolves.toBeUndefined();
  });
});
