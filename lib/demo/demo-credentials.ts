// The demo accounts' published password and addresses (plain constants, safe for any bundle). They
// work only on a server started by `npm run demo`; see lib/auth/users.ts.
export const DEMO_PASSWORD = "parallax-demo";

/** One account per role, as the sign-in page lists them in the demo. */
export const DEMO_SIGN_IN_ACCOUNTS = [
  { email: "admin@demo.parallax.local", role: "ADMIN" },
  { email: "researcher@demo.parallax.local", role: "RESEARCHER" },
  { email: "reviewer1@demo.parallax.local", role: "REVIEWER" },
] as const;
