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
    expect(oidc.wellKnown).toBe("https://login.example.org/realms/lab/.well-known/openid-configuration");
    expect(oidc.profile({ sub: "1", email: "a@b.org", email_verified: true }).email).toBe("a@b.org");
    // An unverified email matches no account.
    expect(oidc.profile({ sub: "1", email: "a@b.org", email_verified: false }).email).toBeNull();
  });
});
