"use client";
// "Collect responses": sends the study's prompts to a checkpoint's OpenAI-compatible endpoint through
// POST /api/v1/studies/{slug}/generation-runs (with the sign-in cookie), then shows every run's
// progress bar, ETA, first failures and pause / resume / cancel, polling the runs list while one is
// active. The API key field is write-only: the server stores it encrypted and never sends it back.
import { useRouter } from "next/navigation";
import { useCallback, useEffect, useState } from "react";
import { inputClass, labelClass, primaryButton, secondaryButton, smallButton } from "@/components/ui/controls";
import { formatCount } from "@/components/ui/format";

interface Run {
  id: number;
  checkpoint: string;
  status: "QUEUED" | "RUNNING" | "PAUSED" | "CANCELLED" | "SUCCEEDED" | "FAILED";
  settings: { base_url: string; model: string; samples: number };
  total: number;
  done: number;
  failed: number;
  message: string | null;
  held: boolean;
  etaSeconds: number | null;
  failures: { promptKey: string; sampleIndex: number; error: string }[];
}

const ACTIVE = new Set(["QUEUED", "RUNNING"]);

function eta(seconds: number): string {
  if (seconds < 60) return `about ${Math.max(1, Math.round(seconds))} s left`;
  if (seconds < 3600) return `about ${Math.round(seconds / 60)} min left`;
  return `about ${(seconds / 3600).toFixed(1)} h left`;
}

function statusText(run: Run): string {
  if (run.status === "PAUSED" && run.held) return "pausing (finishing requests in flight)";
  return run.status.toLowerCase();
}

export function CollectResponses({ slug, checkpoints }: { slug: string; checkpoints: string[] }) {
  const router = useRouter();
  const [runs, setRuns] = useState<Run[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const [sending, setSending] = useState(false);

  const refresh = useCallback(async () => {
    const response = await fetch(`/api/v1/studies/${slug}/generation-runs`, { cache: "no-store" });
    if (response.ok) setRuns(((await response.json()) as { runs: Run[] }).runs);
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
      // The new responses change the study's counts and checkpoints.
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
      const response = await fetch(`/api/v1/studies/${slug}/generation-runs`, {
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
    const response = await fetch(`/api/v1/studies/${slug}/generation-runs/${run.id}`, {
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
        aria-label="Collect responses"
      >
        <div>
          <label htmlFor="gen-checkpoint" className={labelClass}>
            Checkpoint
          </label>
          <input
            id="gen-checkpoint"
            name="checkpoint"
            required
            list="gen-checkpoints"
            className={inputClass}
            placeholder="rl-step-2000"
          />
          <datalist id="gen-checkpoints">
            {checkpoints.map((name) => (
              <option key={name} value={name} />
            ))}
          </datalist>
        </div>
        <div>
          <label htmlFor="gen-strategy" className={labelClass}>
            Strategy (for a new checkpoint)
          </label>
          <select id="gen-strategy" name="strategy" className={inputClass} defaultValue="">
            <option value="">(as recorded)</option>
            <option value="sft">SFT</option>
            <option value="rl">RL</option>
            <option value="hybrid">Hybrid SFT+RL</option>
            <option value="base">Base</option>
          </select>
        </div>
        <div>
          <label htmlFor="gen-model" className={labelClass}>
            Model name at the endpoint
          </label>
          <input id="gen-model" name="model" required className={inputClass} placeholder="deepseek-r1" />
        </div>
        <div className="md:col-span-2">
          <label htmlFor="gen-base-url" className={labelClass}>
            Base URL (OpenAI-compatible)
          </label>
          <input
            id="gen-base-url"
            name="baseUrl"
            type="url"
            required
            className={inputClass}
            placeholder="http://localhost:8000/v1"
          />
        </div>
        <div>
          <label htmlFor="gen-api-key" className={labelClass}>
            API key (stored encrypted, never shown again)
          </label>
          <input
            id="gen-api-key"
            name="apiKey"
            type="password"
            autoComplete="off"
            className={inputClass}
            placeholder="leave empty to keep the stored one"
          />
        </div>
        <div className="md:col-span-3">
          <label htmlFor="gen-system" className={labelClass}>
            System prompt (optional)
          </label>
          <textarea id="gen-system" name="systemPrompt" rows={2} className={inputClass} />
        </div>
        {(
          [
            ["samples", "Samples per prompt", "1"],
            ["concurrency", "Requests at once", "8"],
            ["temperature", "Temperature", ""],
            ["topP", "top_p", ""],
            ["maxTokens", "max_tokens", ""],
            ["seed", "Seed", ""],
          ] as const
        ).map(([name, label, value]) => (
          <div key={name}>
            <label htmlFor={`gen-${name}`} className={labelClass}>
              {label}
            </label>
            <input id={`gen-${name}`} name={name} inputMode="decimal" defaultValue={value} className={inputClass} />
          </div>
        ))}
        <label className="flex items-center gap-2 text-sm text-zinc-800">
          <input type="checkbox" name="stream" defaultChecked /> Stream the answers
        </label>
        <div className="flex items-end md:col-span-2">
          <button type="submit" className={primaryButton} disabled={sending}>
            {sending ? "Starting…" : "Collect responses"}
          </button>
        </div>
      </form>
      {problem ? (
        <p role="alert" className="text-sm text-red-700">
          {problem}
        </p>
      ) : null}

      {runs.length > 0 ? (
        <ul className="space-y-4" aria-label="Generation runs">
          {runs.map((run) => {
            const finished = run.done + run.failed;
            const percent = run.total === 0 ? 100 : Math.floor((100 * finished) / run.total);
            return (
              <li key={run.id} className="space-y-2 rounded-lg border border-zinc-200 bg-white p-4" data-run={run.id}>
                <div className="flex flex-wrap items-baseline justify-between gap-2">
                  <p className="text-sm">
                    <span className="font-medium">Run {run.id}</span> · checkpoint{" "}
                    <span className="font-mono">{run.checkpoint}</span> ·{" "}
                    <span className="font-mono">{run.settings.model}</span> ·{" "}
                    <span data-testid="run-status">{statusText(run)}</span>
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
                  aria-label={`Run ${run.id} progress`}
                />
                <p className="text-sm text-zinc-700" data-testid="run-progress">
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
                        <li key={`${failure.promptKey}:${failure.sampleIndex}`} className="wrap-anywhere">
                          prompt <span className="font-mono">{failure.promptKey}</span> sample {failure.sampleIndex}:{" "}
                          {failure.error}
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
