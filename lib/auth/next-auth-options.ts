// next-auth's configuration: email + password (bcrypt, rate-limited in PostgreSQL), optional
// GitHub / OpenID Connect, and JWT sessions so any number of instances serve the same users without
// sticky sessions. The cookie carries only the user's id and session generation; role, status and
// the current generation are read from the database on every request (lib/auth/guard.ts), so
// changing them, signing out or "sign out everywhere" takes effect at once.
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { clientAddress } from "./client-address";
import { oauthProviders } from "./oauth-providers";
import { credentialsInput } from "./schemas";
import { authSecret } from "./secret";
import { rateLimitedError, signInWithPassword } from "./sign-in";
import { endSessions, findActiveUserByEmail, sessionGenerationOf } from "./users";

/** A working day: sessions end after 12 hours, signed in again from the sign-in page. */
export const SESSION_MAX_AGE_SECONDS = 12 * 60 * 60;

export const SIGN_IN_PAGE = "/signin";

/** Cookies get the Secure flag (and __Secure-/__Host- names) when the site is served over https. */
export function usesSecureCookies(env: Record<string, string | undefined> = process.env): boolean {
  return env.NEXTAUTH_URL?.startsWith("https://") ?? false;
}

function buildAuthOptions(): NextAuthOptions {
  return {
    secret: authSecret(),
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
    jwt: { maxAge: SESSION_MAX_AGE_SECONDS },
    // next-auth's cookies are HttpOnly and SameSite=Lax; this adds Secure on https.
    useSecureCookies: usesSecureCookies(),
    pages: { signIn: SIGN_IN_PAGE, signOut: "/signout", error: SIGN_IN_PAGE },
    providers: [
      CredentialsProvider({
        id: "credentials",
        name: "Email and password",
        credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
        async authorize(credentials, request) {
          const parsed = credentialsInput.safeParse(credentials);
          if (!parsed.success) return null;
          const result = await signInWithPassword({ ...parsed.data, address: clientAddress(request?.headers ?? {}) });
          if (result.ok) return { id: String(result.user.id), email: result.user.email, name: result.user.name };
          // next-auth passes a thrown message to the sign-in page as ?error=…
          if (result.reason === "rate_limited") throw new Error(rateLimitedError(result.retryAfterSeconds));
          return null;
        },
      }),
      ...oauthProviders(),
    ],
    callbacks: {
      async signIn({ user, account }) {
        if (account?.type === "credentials") return true;
        // Single sign-on opens only accounts an admin created, matched by verified email.
        return Boolean(user.email && (await findActiveUserByEmail(user.email)));
      },
      async jwt({ token, user, account }) {
        if (!user || !account) return token;
        // At sign-in: keep only our user id (the token's subject) and the user's session generation.
        const id =
          account.type === "credentials"
            ? Number(user.id)
            : user.email
              ? (await findActiveUserByEmail(user.email))?.id
              : undefined;
        const gen = id === undefined ? null : await sessionGenerationOf(id);
        return id !== undefined && gen !== null ? { sub: String(id), gen } : {};
      },
      async session({ session, token }) {
        return { expires: session.expires, user: { id: token.sub, gen: token.gen } } as typeof session;
      },
    },
    events: {
      // Sign-out (POST /api/auth/signout) ends this session on the server too, not only by deleting
      // the cookie in this browser: a copy of the cookie stops working. The generation is per user,
      // so this also ends the user's sessions in other browsers.
      async signOut({ token }) {
        const id = Number(token?.sub);
        if (Number.isSafeInteger(id))
          await endSessions(id, { ifCurrent: typeof token.gen === "number" ? token.gen : 0 });
      },
    },
  };
}

let options: NextAuthOptions | undefined;

/** Built on first use, so that importing this module (e.g. while building) needs no secret. */
export function authOptions(): NextAuthOptions {
  options ??= buildAuthOptions();
  return options;
}
