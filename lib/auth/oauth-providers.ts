// Optional single sign-on, switched on by environment variables: GitHub (GITHUB_ID, GITHUB_SECRET)
// and any OpenID Connect provider (OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_NAME).
// Either only signs in accounts an admin has created: the provider's verified email must match.
import type { Provider } from "next-auth/providers/index";
import GitHubProvider from "next-auth/providers/github";

export interface OAuthProviderInfo {
  id: string;
  name: string;
}

interface OidcProfile {
  sub: string;
  email?: string;
  email_verified?: boolean;
  name?: string;
  preferred_username?: string;
}

export function oauthProviders(env: Record<string, string | undefined> = process.env): Provider[] {
  const providers: Provider[] = [];
  if (env.GITHUB_ID && env.GITHUB_SECRET) {
    providers.push(GitHubProvider({ clientId: env.GITHUB_ID, clientSecret: env.GITHUB_SECRET }));
  }
  if (env.OIDC_ISSUER && env.OIDC_CLIENT_ID && env.OIDC_CLIENT_SECRET) {
    const issuer = env.OIDC_ISSUER.replace(/\/+$/, "");
    providers.push({
      id: "oidc",
      name: env.OIDC_NAME || "single sign-on",
      type: "oauth",
      wellKnown: `${issuer}/.well-known/openid-configuration`,
      issuer,
      clientId: env.OIDC_CLIENT_ID,
      clientSecret: env.OIDC_CLIENT_SECRET,
      authorization: { params: { scope: "openid email profile" } },
      idToken: true,
      checks: ["pkce", "state"],
      profile(profile: OidcProfile) {
        return {
          id: profile.sub,
          name: profile.name ?? profile.preferred_username ?? null,
          // An unverified address proves nothing: it does not match an account.
          email: profile.email_verified === false ? null : (profile.email ?? null),
        };
      },
    });
  }
  return providers;
}

/** Id and button label of each configured provider, for the sign-in page. */
export function oauthProviderInfo(env: Record<string, string | undefined> = process.env): OAuthProviderInfo[] {
  return oauthProviders(env).map((p) => ({ id: p.id, name: p.name }));
}
