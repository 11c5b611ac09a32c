// next-auth's endpoints: CSRF token, sign-in callbacks, sign-out, session.
import NextAuth, { type NextAuthOptions } from "next-auth";
import { publicRoute } from "@/lib/auth/guard";
import { authOptions } from "@/lib/auth/next-auth-options";

type RouteContext = { params: Promise<{ nextauth: string[] }> };

// next-auth v4 types only its Pages Router form; called with a route context it serves the App Router.
const nextAuth = NextAuth as unknown as (
  request: Request,
  context: RouteContext,
  options: NextAuthOptions,
) => Promise<Response>;

const handler = publicRoute("/api/auth/[...nextauth]", (request: Request, context: RouteContext) =>
  nextAuth(request, context, authOptions()),
);

export { handler as GET, handler as POST };
