"use client";
// "Collect responses": sends the study's prompts to a checkpoint's OpenAI-compatible endpoint through
// POST /api/v1/studies/{slug}/generation-runs (with the sign-in cookie), then shows every run's
// progress bar, ETA, first failures and pause / resume / cancel, polling the runs list while one is
// active (components/jobs). The API key field is write-only: the server stores it encrypted and
// never sends it back.
import { EndpointFields } from "@/components/jobs/endpoint-fields";
import { Problem, RunCard, RunForm, type RunView, useLeasedRuns } from "@/components/jobs/leased-runs";
import { inputClass, labelClass } from "@/components/ui/controls";

interface Run extends RunView {
  checkpoint: string;
  settings: { base_url: string; model: string; samples: number };
  failures: { promptKey: string; sampleIndex: number; error: string }[];
}

const NUMBERS = [
  ["samples", "Samples per prompt", "1"],
  ["concurrency", "Requests at once", "8"],
  ["temperature", "Temperature", ""],
  ["topP", "top_p", ""],
  ["maxTokens", "max_tokens", ""],
  ["seed", "Seed", ""],
] as const;

const readRuns = (answer: unknown) => (answer as { runs: Run[] }).runs;

export function CollectResponses({ slug, checkpoints }: { slug: string; checkpoints: string[] }) {
  const { runs, problem, sending, start, control } = useLeasedRuns<Run>(
    `/api/v1/studies/${slug}/generation-runs`,
    (id) => `/api/v1/studies/${slug}/generation-runs/${id}`,
    readRuns,
  );

  return (
    <div className="space-y-6">
      <RunForm label={{ form: "Collect responses", button: "Collect responses" }} onSubmit={start} sending={sending}>
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
        <EndpointFields idPrefix="gen" modelPlaceholder="deepseek-r1" numbers={NUMBERS} streamByDefault>
          <div className="md:col-span-3">
            <label htmlFor="gen-system" className={labelClass}>
              System prompt (optional)
            </label>
            <textarea id="gen-system" name="systemPrompt" rows={2} className={inputClass} />
          </div>
        </EndpointFields>
      </RunForm>
      <Problem text={problem} />

      {runs.length > 0 ? (
        <ul className="space-y-4" aria-label="Generation runs">
          {runs.map((run) => (
            <RunCard
              key={run.id}
              run={run}
              name="Run"
              testIdPrefix="run"
              data={{ "data-run": run.id }}
              title={
                <>
                  <span className="font-medium">Run {run.id}</span> · checkpoint{" "}
                  <span className="font-mono">{run.checkpoint}</span> ·{" "}
                  <span className="font-mono">{run.settings.model}</span>
                </>
              }
              failures={run.failures}
              failureKey={(failure) => `${failure.promptKey}:${failure.sampleIndex}`}
              failureText={(failure) => (
                <>
                  prompt <span className="font-mono">{failure.promptKey}</span> sample {failure.sampleIndex}:{" "}
                  {failure.error}
                </>
              )}
              onAction={(r, action) => void control(r, action)}
            />
          ))}
        </ul>
      ) : null}
    </div>
  );
}
