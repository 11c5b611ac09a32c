"use client";
// "Judges": runs a judge model (an OpenAI-compatible endpoint + a built-in rubric, its instructions
// editable for this study) over the study's responses through POST /api/v1/studies/{slug}/judges,
// then lists the judges and every judge run's progress, ETA, first failures and pause / resume /
// cancel, polling while one is active. The API key field is write-only. Judges' labels stay apart
// from the reviewers' (the analytics read them under the basis "Judge: NAME").
import { useRouter } from "next/navigation";
import { useCallback, useEffect, useState } from "react";
import { inputClass, labelClass, primaryButton, secondaryButton, smallButton } from "@/components/ui/controls";
import { formatCount } from "@/components/ui/format";

interface Run {
  id: number;
  judge: string;
  rubric: string;
  status: "QUEUED" | "RUNNING" | "PAUSED" | "CANCELLED" | "SUCCEEDED" | "FAILED";
  settings: { base_url: string; model: string };
  total: number;
  done: number;
  failed: number;
  message: string | null;
  held: boolean;
  etaSeconds: number | null;
  failures: { responseId: number; error: string }[];
}

interface Judge {
  name: string;
  rubric: string;
  rubricId: string;
  instructions: string | null;
  endpoint: { base_url: string; model: string };
  hasKey: boolean;
  labels: number;
}

export interface RubricChoice {
  id: string;
  title: string;
  /** The built-in instructions, shown (and editable) in the form. */
  system: string;
}

const ACTIVE = new Set(["QUEUED", "RUNNING"]);

function eta(seconds: number): string {
  if (seconds < 60) return `about ${Math.max(1, Math.round(seconds))} s left`;
  if (seconds < 3600) return `about ${Math.round(seconds / 60)} min left`;
  return `about ${(seconds / 3600).toFixed(1)} h left`;
}

export function JudgesPanel({ slug, rubrics }: { slug: string; rubrics: RubricChoice[] }) {
  const router = useRouter();
  const [runs, setRuns] = useState<Run[]>([]);
  const [judges, setJudges] = useState<Judge[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const [rubricId, setRubricId] = useState(rubrics[0]?.id ?? "");
  const [instructions, setInstructions] = useState(rubrics[0]?.system ?? "");

  const refresh = useCallback(async () => {
    const response = await fetch(`/api/v1/studies/${slug}/judges`, { cache: "no-store" });
    if (!response.ok) return;
    const answer = (await response.json()) as { runs: Run[]; judges: Judge[] };
    setRuns(answer.runs);
    setJudges(answer.judges);
  }, [slug]);

  const polling = runs.some((run) => ACTIVE.has(run.status) || (run.status === "PAUSED" && run.held));
  useEffect(() => {
    void refresh();
  }, [refresh]);
  useEffect(() => {
    if (!polling) return;
    const timer = setInterval(() => void refresh().catch(() => {}), 1000);
    return () => {
      clearInterval(timer);
      router.refresh();
    };
  }, [polling, refresh, router]);

  function chooseRubric(id: string) {
    setRubricId(id);
    setInstructions(rubrics.find((r) => r.id === id)?.system ?? "");
  }

  async function start(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setProblem(null);
    const form = event.currentTarget;
    const data = Object.fromEntries(new FormData(form).entries()) as Record<string, string>;
    const body: Record<string, unknown> = { ...data, stream: data.stream === "on" };
    if (!data.apiKey) delete body.apiKey;
    setSending(true);
    try {
      const response = await fetch(`/api/v1/studies/${slug}/judges`, {
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

  async function control(run: Run, action: "pause" | "resume" | "cancel") {
    setProblem(null);
    const response = await fetch(`/api/v1/studies/${slug}/judges/runs/${run.id}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ action }),
    });
    if (!response.ok) setProblem(((await response.json()) as { message?: string }).message ?? "Refused.");
    await refresh();
  }

  return (
    <div className="space-y-6">
      <form
        onSubmit={start}
        className="grid gap-4 rounded-lg border border-zinc-200 bg-white p-4 md:grid-cols-3"
        aria-label="Run a judge"
      >
        <div>
          <label htmlFor="judge-name" className={labelClass}>
            Judge name
          </label>
          <input
            id="judge-name"
            name="name"
            required
            list="judge-names"
            className={inputClass}
            placeholder="gpt-refusals"
          />
          <datalist id="judge-names">
            {judges.map((judge) => (
              <option key={judge.name} value={judge.name} />
            ))}
          </datalist>
        </div>
        <div>
          <label htmlFor="judge-rubric" className={labelClass}>
            Rubric
          </label>
          <select
            id="judge-rubric"
            name="rubric"
            className={inputClass}
            value={rubricId}
            onChange={(event) => chooseRubric(event.target.value)}
          >
            {rubrics.map((rubric) => (
              <option key={rubric.id} value={rubric.id}>
                {rubric.title}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="judge-model" className={labelClass}>
            Model name at the endpoint
          </label>
          <input id="judge-model" name="model" required className={inputClass} placeholder="gpt-4o-mini" />
        </div>
        <div className="md:col-span-2">
          <label htmlFor="judge-base-url" className={labelClass}>
            Base URL (OpenAI-compatible)
          </label>
          <input
            id="judge-base-url"
            name="baseUrl"
            type="url"
            required
            className={inputClass}
            placeholder="http://localhost:8000/v1"
          />
        </div>
        <div>
          <label htmlFor="judge-api-key" className={labelClass}>
            API key (stored encrypted, never shown again)
          </label>
          <input
            id="judge-api-key"
            name="apiKey"
            type="password"
            autoComplete="off"
            className={inputClass}
            placeholder="leave empty to keep the stored one"
          />
        </div>
        <div className="md:col-span-3">
          <label htmlFor="judge-instructions" className={labelClass}>
            Instructions (the rubric&apos;s own; an edit labels under a new rubric version, the answer format stays)
          </label>
          <textarea
            id="judge-instructions"
            name="instructions"
            rows={3}
            className={inputClass}
            value={instructions}
            onChange={(event) => setInstructions(event.target.value)}
          />
        </div>
        {(
          [
            ["concurrency", "Requests at once", "8"],
            ["temperature", "Temperature", "0"],
            ["maxTokens", "max_tokens", ""],
          ] as const
        ).map(([name, label, value]) => (
          <div key={name}>
            <label htmlFor={`judge-${name}`} className={labelClass}>
              {label}
            </label>
            <input id={`judge-${name}`} name={name} inputMode="decimal" defaultValue={value} className={inputClass} />
          </div>
        ))}
        <label className="flex items-center gap-2 text-sm text-zinc-800">
          <input type="checkbox" name="stream" /> Stream the answers
        </label>
        <div className="flex items-end md:col-span-2">
          <button type="submit" className={primaryButton} disabled={sending}>
            {sending ? "Starting…" : "Run judge"}
          </button>
        </div>
      </form>
      {problem ? (
        <p role="alert" className="text-sm text-red-700">
          {problem}
        </p>
      ) : null}

      {judges.length > 0 ? (
        <ul className="space-y-1 text-sm" aria-label="Judges">
          {judges.map((judge) => (
            <li key={judge.name}>
              <span className="font-medium">{judge.name}</span> · <span className="font-mono">{judge.rubric}</span> ·{" "}
              <span className="font-mono">{judge.endpoint.model}</span> · {formatCount(judge.labels)} labels ·{" "}
              <a
                className="underline"
                href={`/studies/${slug}/analytics?basis=judge:${encodeURIComponent(judge.name)}`}
              >
                analytics on this judge
              </a>
            </li>
          ))}
        </ul>
      ) : null}

      {runs.length > 0 ? (
        <ul className="space-y-4" aria-label="Judge runs">
          {runs.map((run) => {
            const finished = run.done + run.failed;
            const percent = run.total === 0 ? 100 : Math.floor((100 * finished) / run.total);
            return (
              <li
                key={run.id}
                className="space-y-2 rounded-lg border border-zinc-200 bg-white p-4"
                data-judge-run={run.id}
              >
                <div className="flex flex-wrap items-baseline justify-between gap-2">
                  <p className="text-sm">
                    <span className="font-medium">Judge run {run.id}</span> ·{" "}
                    <span className="font-mono">{run.judge}</span> · <span className="font-mono">{run.rubric}</span> ·{" "}
                    <span data-testid="judge-run-status">
                      {run.status === "PAUSED" && run.held
                        ? "pausing (finishing requests in flight)"
                        : run.status.toLowerCase()}
                    </span>
                  </p>
                  <p className="flex gap-2">
                    {ACTIVE.has(run.status) ? (
                      <button
                        type="button"
                        className={`${secondaryButton} ${smallButton}`}
                        onClick={() => void control(run, "pause")}
                      >
                        Pause
                      </button>
                    ) : null}
                    {run.status === "PAUSED" ? (
                      <button
                        type="button"
                        className={`${secondaryButton} ${smallButton}`}
                        onClick={() => void control(run, "resume")}
                      >
                        Resume
                      </button>
                    ) : null}
                    {ACTIVE.has(run.status) || run.status === "PAUSED" ? (
                      <button
                        type="button"
                        className={`${secondaryButton} ${smallButton}`}
                        onClick={() => void control(run, "cancel")}
                      >
                        Cancel
                      </button>
                    ) : null}
                  </p>
                </div>
                <progress
                  className="h-2 w-full"
                  max={Math.max(run.total, 1)}
                  value={finished}
                  aria-label={`Judge run ${run.id} progress`}
                />
                <p className="text-sm text-zinc-700" data-testid="judge-run-progress">
                  {formatCount(finished)} of {formatCount(run.total)} ({percent} %)
                  {run.failed > 0 ? `, ${formatCount(run.failed)} failed` : ""}
                  {run.status === "RUNNING" && run.etaSeconds !== null ? `, ${eta(run.etaSeconds)}` : ""}
                </p>
                {run.message ? <p className="text-sm text-zinc-700">{run.message}</p> : null}
                {run.failures.length > 0 ? (
                  <details open className="text-sm">
                    <summary>First failures</summary>
                    <ul className="mt-1 list-disc pl-5">
                      {run.failures.map((failure) => (
                        <li key={failure.responseId} className="wrap-anywhere">
                          response {failure.responseId}: {failure.error}
                        </li>
                      ))}
                    </ul>
                  </details>
                ) : null}
              </li>
            );
          })}
        </ul>
      ) : null}
    </div>
  );
}
