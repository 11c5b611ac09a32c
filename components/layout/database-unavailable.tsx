// What a page shows while its database cannot be reached (the embedded PostgreSQL restarting, the
// server down or out of connections): a plain statement and an automatic retry, never the error's
// own text (which may name hosts, users or queries).
import { AutoRetry } from "./auto-retry";

export const DATABASE_UNAVAILABLE_TITLE = "Database unavailable — retrying…";

export function DatabaseUnavailable({ retry }: { retry?: () => void }) {
  return (
    <div role="alert" className="mx-auto max-w-xl py-16 text-center">
      <p className="text-sm font-semibold uppercase tracking-wide text-accent">Temporarily unavailable</p>
      <h1 className="mt-2 text-2xl">{DATABASE_UNAVAILABLE_TITLE}</h1>
      <p className="mt-3 text-zinc-600">
        Parallax cannot reach its database right now. Nothing you saved is lost: this page comes back by itself as soon
        as the database answers again.
      </p>
      <AutoRetry retry={retry} />
    </div>
  );
}
