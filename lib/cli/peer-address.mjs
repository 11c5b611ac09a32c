// Preloaded into the Next.js server by the launcher (NODE_OPTIONS=--import): stamps every incoming
// request with the address of the socket it came over, replacing any value the client sent, so that
// per-address sign-in limits cannot be dodged with a made-up X-Forwarded-For. Plain JavaScript, as
// it loads before anything that could compile TypeScript. See lib/auth/client-address.ts.
import diagnosticsChannel from "node:diagnostics_channel";

const PEER_HEADER = "x-parallax-peer";

diagnosticsChannel.subscribe("http.server.request.start", ({ request, socket }) => {
  request.headers[PEER_HEADER] = socket?.remoteAddress ?? "unknown";
});
