"use client";
// "Judges": runs a judge model (an OpenAI-compatible endpoint + a built-in rubric, its instructions
// editable for this study) over the study's responses through POST /api/v1/studies/{slug}/judges,
// then lists the judges and every judge run's progress, ETA, first failures and pause / resume /
// cancel, polling while one is active (components/jobs). The API key field is write-only. Judges'
// labels stay apart from the reviewers' (the analytics read them under the basis "Judge: NAME").
import { useCallback, useState } from "react";
import { EndpointFields } from "@/components/jobs/endpoint-fields";
import { Problem, RunCard, RunForm, type RunView, useLeasedRuns } from "@/components/jobs/leased-runs";
import { inputClass, labelClass } from "@/components/ui/controls";
import { formatCount } from "@/components/ui/format";

interface Run extends RunView {
  judge: string;
  rubric: string;
  settings: { base_url: string; model: string };
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

const NUMBERS = [
  ["concurrency", "Requests at once", "8"],
  ["temperature", "Temperature", "0"],
  ["maxTokens", "max_tokens", ""],
] as const;

export function JudgesPanel({ slug, rubrics }: { slug: string; rubrics: RubricChoice[] }) {
  const [judges, setJudges] = useState<Judge[]>([]);
  const [rubricId, setRubricId] = useState(rubrics[0]?.id ?? "");
  const [instructions, setInstructions] = useState(rubrics[0]?.system ?? "");
  const readRuns = useCallback((answer: unknown) => {
    const { runs, judges } = answer as { runs: Run[]; judges: Judge[] };
    setJudges(judges);
    return runs;
  }, []);
  const { runs, problem, sending, start, control } = useLeasedRuns<Run>(
    `/api/v1/studies/${slug}/judges`,
    (id) => `/api/v1/studies/${slug}/judges/runs/${id}`,
    readRuns,
  );

  function chooseRubric(id: string) {
    setRubricId(id);
    setInstructions(rubrics.find((r) => r.id === id)?.system ?? "");
  }

  return (
    <div className="space-y-6">
      <RunForm label={{ form: "Run a judge", button: "Run judge" }} onSubmit={start} sending={sending}>
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
        <EndpointFields idPrefix="judge" modelPlaceholder="gpt-4o-mini" numbers={NUMBERS} streamByDefault={false}>
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
        </EndpointFields>
      </RunForm>
      <Problem text={problem} />

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
          {runs.map((run) => (
            <RunCard
              key={run.id}
              run={run}
              name="Judge run"
              testIdPrefix="judge-run"
              data={{ "data-judge-run": run.id }}
              title={
                <>
                  <span className="font-medium">Judge run {run.id}</span> ·{" "}
                  <span className="font-mono">{run.judge}</span> · <span className="font-mono">{run.rubric}</span>
                </>
              }
              failures={run.failures}
              failureKey={(failure) => failure.responseId}
              failureText={(failure) => `response ${failure.responseId}: ${failure.error}`}
              onAction={(r, action) => void control(r, action)}
            />
          ))}
        </ul>
      ) : null}
    </div>
  );
}
