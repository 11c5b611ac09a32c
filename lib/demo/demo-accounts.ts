// `npm run demo` only: gives every demo account the published demo password, so that each role can
// be tried at once. Outside the demo these accounts cannot sign in (lib/auth/users.ts), and nothing
// else creates accounts with a known password.
import type pg from "pg";
import { hashPassword } from "../auth/passwords";
import { DEMO_USERS } from "./constants";
import { DEMO_PASSWORD } from "./demo-credentials";

export { DEMO_PASSWORD };

export interface DemoAccount {
  email: string;
  role: (typeof DEMO_USERS)[number]["role"];
}

/** Creates the demo accounts when missing and (re)sets their password; returns them, admins first. */
export async function ensureDemoAccounts(pool: pg.Pool): Promise<DemoAccount[]> {
  // One hash for all four: they share the password, and each hash costs about 0.35 s.
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const values = DEMO_USERS.map(
    (_, i) =>
      `($${i * 3 + 1}, $${i * 3 + 2}, $${i * 3 + 3}::"Role", $${DEMO_USERS.length * 3 + 1}, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC')`,
  );
  await pool.query(
    `INSERT INTO "user" (email, name, role, password_hash, created_at, updated_at) VALUES ${values.join(", ")}
     ON CONFLICT (email) DO UPDATE SET password_hash = EXCLUDED.password_hash, role = EXCLUDED.role, disabled = false,
       placeholder = false, updated_at = now() AT TIME ZONE 'UTC'`,
    [...DEMO_USERS.flatMap((u) => [u.email, u.name, u.role]), passwordHash],
  );
  const order = { ADMIN: 0, RESEARCHER: 1, REVIEWER: 2 } as const;
  return DEMO_USERS.map(({ email, role }) => ({ email, role })).sort(
    (a, b) => order[a.role] - order[b.role] || a.email.localeCompare(b.email),
  );
}
