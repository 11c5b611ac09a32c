// Prisma CLI configuration. DATABASE_URL is read directly (not with env(), which throws when it
// is unset, even for `prisma generate`); migrations normally run through `npm run db:migrate`.
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "" },
});
