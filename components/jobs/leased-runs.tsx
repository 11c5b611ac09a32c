"use client";
// What "Collect responses" and "Judges" share about their runs: the list polled while a run is
// active (and the page refreshed when none is any more), the form's POST (the key field emptied
// after), pause / resume / cancel, and one run's card with its status, progress bar, ETA, message and
// first failures. Each panel keeps its own words and fields.
import { useRouter } from "next/navigation";
import { useCallback, useEffect, useState } from "react";
import { primaryButton, secondaryButton, smallButton } from "@/components/ui/controls";
import { formatCount } from "@/components/ui/format";

export type RunStatus = "QUEUED" | "RUNNING" | "PAUSED" | "CANCELLED" | "SUCCEEDED" | "FAILED";
export type RunAction = "pause" | "resume" | "cancel";

export interface RunView {
  id: number;
  status: RunStatus;
  total: number;
  done: number;
  failed: number;
  message: string | null;
  held: boolean;
  etaSeconds: number | null;
}

const ACTIVE = new Set<RunStatus>(["QUEUED", "RUNNING"]);

export function eta(seconds: number): string {
  if (seconds < 60) return `about ${Math.max(1, Math.round(seconds))} s left`;
  if (seconds < 3600) return `about ${Math.round(seconds / 60)} min left`;
  return `about ${(seconds / 3600).toFixed(1)} h left`;
}

export function statusText(run: RunView): string {
  if (run.status === "PAUSED" && run.held) return "pausing (finishing requests in flight)";
  return run.status.toLowerCase();
}

/**
 * The runs at `url` (GET lists them, POST starts one), read from its answer by `read` (which may
 * keep more of the answer; keep it stable, as with useCallback); `controlUrl(id)` takes { action }.
 */
export function useLeasedRuns<R extends RunView>(
  url: string,
  controlUrl: (id: number) => string,
  read: (answer: unknown) => R[],
) {
  const router = useRouter();
  const [runs, setRuns] = useState<R[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const refresh = useCallback(async () => {
    const response = await fetch(url, { cache: "no-store" });
    if (response.ok) setRuns(read(await response.json()));
  }, [url, read]);

  const polling = runs.some((run) => ACTIVE.has(run.status) || (run.status === "PAUSED" && run.held));
  useEffect(() => {
    void refresh();
  }, [refresh]);
  useEffect(() => {
    if (!polling) return;
    const timer = setInterval(() => void refresh().catch(() => {}), 1000);
    return () => {
      clearInterval(timer);
      // What the run wrote changes the study's counts (and checkpoints, labels).
      router.refresh();
    };
  }, [polling, refresh, router]);

  async function start(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setProblem(null);
    const form = event.currentTarget;
    const data = Object.fromEntries(new FormData(form).entries()) as Record<string, string>;
    const body: Record<string, unknown> = { ...data, stream: data.stream === "on" };
    if (!data.apiKey) delete body.apiKey;
    setSending(true);
    try {
      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      const answer = (await response.json()) as { message?: string };
      if (!response.ok) return setProblem(answer.message ?? `The server answered ${response.status}.`);
      (form.elements.namedItem("apiKey") as HTMLInputElement).value = "";
      await refresh();
    } catch {
      setProblem("The server could not be reached; nothing was started.");
    } finally {
      setSending(false);
    }
  }

  async function control(run: R, action: RunAction) {
    setProblem(null);
    const response = await fetch(controlUrl(run.id), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ action }),
    });
    if (!response.ok) setProblem(((await response.json()) as { message?: string }).message ?? "Refused.");
    await refresh();
  }

  return { runs, problem, sending, start, control };
}

export function Problem({ text }: { text: string | null }) {
  return text ? (
    <p role="alert" className="text-sm text-red-700">
      {text}
    </p>
  ) : null;
}

/** One run: its title and status, the actions its status allows, progress, ETA, message, first failures. */
export function RunCard<R extends RunView, F>({
  run,
  title,
  name,
  testIdPrefix,
  data,
  failures,
  failureKey,
  failureText,
  onAction,
}: {
  run: R;
  /** Before the status: "Run 3 · checkpoint …". */
  title: React.ReactNode;
  /** "Run", "Judge run": names the progress bar. */
  name: string;
  /** "run" or "judge-run": the status and progress test ids. */
  testIdPrefix: string;
  /** The card's data attribute, e.g. { "data-run": 3 }. */
  data: Record<`data-${string}`, number>;
  failures: F[];
  failureKey: (failure: F) => string | number;
  failureText: (failure: F) => React.ReactNode;
  onAction: (run: R, action: RunAction) => void;
}) {
  const finished = run.done + run.failed;
  const percent = run.total === 0 ? 100 : Math.floor((100 * finished) / run.total);
  const button = (action: RunAction, label: string) => (
    <button type="button" className={`${secondaryButton} ${smallButton}`} onClick={() => onAction(run, action)}>
      {label}
    </button>
  );
  return (
    <li className="space-y-2 rounded-lg border border-zinc-200 bg-white p-4" {...data}>
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <p className="text-sm">
          {title} · <span data-testid={`${testIdPrefix}-status`}>{statusText(run)}</span>
        </p>
        <p className="flex gap-2">
          {ACTIVE.has(run.status) ? button("pause", "Pause") : null}
          {run.status === "PAUSED" ? button("resume", "Resume") : null}
          {ACTIVE.has(run.status) || run.status === "PAUSED" ? button("cancel", "Cancel") : null}
        </p>
      </div>
      <progress
        className="h-2 w-full"
        max={Math.max(run.total, 1)}
        value={finished}
        aria-label={`${name} ${run.id} progress`}
      />
      <p className="text-sm text-zinc-700" data-testid={`${testIdPrefix}-progress`}>
        {formatCount(finished)} of {formatCount(run.total)} ({percent} %)
        {run.failed > 0 ? `, ${formatCount(run.failed)} failed` : ""}
        {run.status === "RUNNING" && run.etaSeconds !== null ? `, ${eta(run.etaSeconds)}` : ""}
      </p>
      {run.message ? <p className="text-sm text-zinc-700">{run.message}</p> : null}
      {failures.length > 0 ? (
        <details open className="text-sm">
          <summary>First failures</summary>
          <ul className="mt-1 list-disc pl-5">
            {failures.map((failure) => (
              <li key={failureKey(failure)} className="wrap-anywhere">
                {failureText(failure)}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </li>
  );
}

/** A run's form in the 3-column grid: the kind's fields (children), then its submit button. */
export function RunForm({
  label,
  onSubmit,
  sending,
  children,
}: {
  /** The form's accessible name and its button's words ("Collect responses", "Run judge"). */
  label: { form: string; button: string };
  onSubmit: (event: React.FormEvent<HTMLFormElement>) => void;
  sending: boolean;
  children: React.ReactNode;
}) {
  return (
    <form
      onSubmit={onSubmit}
      className="grid gap-4 rounded-lg border border-zinc-200 bg-white p-4 md:grid-cols-3"
      aria-label={label.form}
    >
      {children}
      <div className="flex items-end md:col-span-2">
        <button type="submit" className={primaryButton} disabled={sending}>
          {sending ? "Starting…" : label.button}
        </button>
      </div>
    </form>
  );
}
