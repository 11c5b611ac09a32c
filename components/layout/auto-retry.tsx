"use client";
// Retries the page by itself while the database is away: every few seconds it asks the server for
// the page again (router.refresh, or the error boundary's retry), without a full reload, so the
// visitor's place is kept and the page comes back on its own once the database answers. A bundled
// client component, not an inline script: the Content-Security-Policy allows scripts by nonce only.
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";

export function AutoRetry({ everySeconds = 3, retry }: { everySeconds?: number; retry?: () => void }) {
  const router = useRouter();
  const [attempts, setAttempts] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => {
      setAttempts((n) => n + 1);
      if (retry) retry();
      else router.refresh();
    }, everySeconds * 1000);
    return () => clearInterval(timer);
  }, [everySeconds, retry, router]);
  return (
    <p className="mt-3 text-sm text-zinc-500" aria-live="polite">
      {attempts === 0
        ? `Trying again every ${everySeconds} seconds.`
        : `Tried again ${attempts} time${attempts === 1 ? "" : "s"}; still trying every ${everySeconds} seconds.`}
    </p>
  );
}
