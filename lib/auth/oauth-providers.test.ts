import { describe, expect, it } from "vitest";
import { oauthProviderInfo, oauthProviders } from "./oauth-providers";

describe("oauthProviders", () => {
  it("is empty unless configured", () => {
    expect(oauthProviders({})).toEqual([]);
    expect(oauthProviders({ GITHUB_ID: "x" })).toEqual([]);
  });

  it("switches on GitHub and OpenID Connect from the environment", () => {
    const env = {
      GITHUB_ID: "gh-id",
      GITHUB_SECRET: "gh-secret",
      OIDC_ISSUER: "https://login.example.org/realms/lab/",
      OIDC_CLIENT_ID: "parallax",
      OIDC_CLIENT_SECRET: "s3cret",
      OIDC_NAME: "Lab SSO",
    };
    expect(oauthProviderInfo(env)).toEqual([
      { id: "github", name: "GitHub" },
      { id: "oidc", name: "Lab SSO" },
    ]);
    const oidc = oauthProviders(env)[1] as unknown as {
      wellKnown: string;
      profile: (p: object) => { email: string | null };
    };
    // GitHub gets the app's credentials (next-auth merges these options into the provider).
    const github = oauthProviders(env)[0] as unknown as { options: { clientId: string; clientSecret: string } };
    expect(github.options).toMatchObject({ clientId: "gh-id", clientSecret: "gh-secret" });
    expect(oidc.wellKnown).toBe("https://login.example.org/realms/lab/.well-known/openid-configuration");
    expect(oidc.profile({ sub: "1", email: "a@b.org", email_verified: true }).email).toBe("a@b.org");
    // An unverified email matches no account.
    expect(oidc.profile({ sub: "1", email: "a@b.org", email_verified: false }).email).toBeNull();
  });
});

describe("the OpenID Connect provider handed to next-auth", () => {
  const base = { OIDC_ISSUER: "https://idp.example.org//", OIDC_CLIENT_ID: "parallax", OIDC_CLIENT_SECRET: "s3cret" };

  it("asks for the email scope with PKCE and state, on the issuer without trailing slashes", () => {
    expect(oauthProviders(base)).toEqual([
      expect.objectContaining({
        id: "oidc",
        name: "single sign-on",
        type: "oauth",
        issuer: "https://idp.example.org",
        wellKnown: "https://idp.example.org/.well-known/openid-configuration",
        clientId: "parallax",
        clientSecret: "s3cret",
        authorization: { params: { scope: "openid email profile" } },
        idToken: true,
        checks: ["pkce", "state"],
      }),
    ]);
  });

  it("is off while any of issuer, client id and secret is missing", () => {
    for (const missing of ["OIDC_ISSUER", "OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET"]) {
      expect(oauthProviders({ ...base, [missing]: "" }), missing).toEqual([]);
    }
    expect(oauthProviders({ GITHUB_SECRET: "x" })).toEqual([]);
  });

  it("maps the profile: subject as id, name or else user name, email only when not marked unverified", () => {
    const oidc = oauthProviders(base)[0] as unknown as {
      profile: (p: object) => { id: string; name: string | null; email: string | null };
    };
    expect(oidc.profile({ sub: "42", preferred_username: "ada", email: "ada@example.org" })).toEqual({
      id: "42",
      name: "ada",
      email: "ada@example.org",
    });
    expect(oidc.profile({ sub: "43", name: "Ada L.", preferred_username: "ada" })).toEqual({
      id: "43",
      name: "Ada L.",
      email: null,
    });
    expect(oidc.profile({ sub: "44" })).toEqual({ id: "44", name: null, email: null });
  });
});
