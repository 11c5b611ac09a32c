// Who an API token belongs to: a first call for an eval pipeline to check its token.
import { apiRoute } from "@/lib/auth/guard";

export const GET = apiRoute("/api/v1/me", async (_request, user) =>
  Response.json({ email: user.email, name: user.name, role: user.role }, { headers: { "Cache-Control": "no-store" } }),
);
