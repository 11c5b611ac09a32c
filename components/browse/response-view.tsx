// A response's texts, labels and signals. Model output is rendered as plain text with its
// whitespace kept (React escapes it; never HTML), with detected language-mixing spans marked.
import Link from "next/link";
import { ReviewText } from "@/components/markdown/review-text";
import { StrategyBadge } from "@/components/ui/strategy-badge";
import { formatInstant } from "@/components/ui/format";
import { splitAtSpans, type LabelDetail, type ResponseDetail } from "@/lib/browse/response-detail";
import type { TrainingStrategy } from "@/lib/db/generated/enums";

interface PartSignals {
  dominant: string | null;
  languages: { lang: string; share: number }[];
  spans: { start: number; end: number; lang: string }[];
  mixScore: number;
}
interface Signals {
  reasoning: PartSignals | null;
  answer: PartSignals | null;
  mixing?: string;
  mixScore?: number;
  refusal?: string | null;
  refusalEvidence?: string | null;
  hints?: ({ kind: string } & Record<string, unknown>)[];
  promptLanguage?: string | null;
}

function asSignals(value: unknown): Signals | null {
  return value && typeof value === "object" && "answer" in value ? (value as Signals) : null;
}

/** How the detail page shows the texts: exactly as written (the default), or as safe markdown. */
export type DetailView = "text" | "markdown";

function Text({
  text,
  spans,
  label,
  view,
}: {
  text: string;
  spans?: PartSignals["spans"];
  label: string;
  view: DetailView;
}) {
  if (view === "markdown") {
    return (
      <div
        role="region"
        aria-label={label}
        data-scroll-root
        className="max-h-[36rem] overflow-auto rounded-lg border border-zinc-200 bg-white p-4 text-sm leading-relaxed wrap-anywhere text-zinc-900"
      >
        <ReviewText text={text} spans={spans ?? null} view="markdown" />
      </div>
    );
  }
  const pieces = spans?.length ? splitAtSpans(text, spans) : [{ text, lang: null }];
  return (
    <pre
      aria-label={label}
      className="max-h-[36rem] overflow-auto rounded-lg border border-zinc-200 bg-white p-4 font-sans text-sm leading-relaxed whitespace-pre-wrap wrap-anywhere text-zinc-900"
    >
      {pieces.map((piece, i) =>
        piece.lang ? (
          <mark key={i} title={`detected: ${piece.lang}`} className="rounded-sm bg-amber-100 px-0.5 text-zinc-950">
            {piece.text}
          </mark>
        ) : (
          <span key={i}>{piece.text}</span>
        ),
      )}
    </pre>
  );
}

function Field({ name, children }: { name: string; children: React.ReactNode }) {
  return (
    <div className="flex gap-2">
      <dt className="w-36 shrink-0 text-zinc-500">{name}</dt>
      <dd className="wrap-anywhere text-zinc-900">{children}</dd>
    </div>
  );
}

const none = <span className="text-zinc-400">—</span>;
const lower = (value: string | null | undefined) => (value ? value.toLowerCase().replaceAll("_", " ") : none);

function Languages({ part }: { part: PartSignals | null }) {
  if (!part) return none;
  return (
    <>
      {/* biome-ignore lint/suspicious/noSuspiciousSemicolonInJsx: the semicolon is text, "…; mixing score" */}
      {part.languages.map((l) => `${l.lang} ${Math.round(l.share * 100)}%`).join(", ") || "no natural-language text"};
      mixing score {part.mixScore.toFixed(2)}
      {part.spans.length ? `; ${part.spans.length} span${part.spans.length === 1 ? "" : "s"} marked` : ""}
    </>
  );
}

/** A titled text of the response, or what stands in for it when it is missing. */
function TextSection({
  id,
  title,
  empty = null,
  children,
}: {
  id: string;
  title: string;
  empty?: string | null;
  children: React.ReactNode;
}) {
  return (
    <section aria-labelledby={id} className="space-y-2">
      <h2 id={id} className="text-xl">
        {title}
      </h2>
      {empty === null ? children : <p className="text-sm text-zinc-500">{empty}</p>}
    </section>
  );
}

export function ResponseTexts({
  response,
  view,
  viewHref,
}: {
  response: ResponseDetail;
  view: DetailView;
  viewHref: (view: DetailView) => string;
}) {
  const signals = asSignals(response.signals);
  return (
    <div className="space-y-6">
      <nav aria-label="Show the texts as" className="flex items-center gap-1 text-sm">
        <span className="mr-1 text-zinc-500">Show texts:</span>
        {(["text", "markdown"] as const).map((option) => (
          <Link
            key={option}
            href={viewHref(option)}
            aria-current={view === option ? "true" : undefined}
            className={`rounded px-2 py-0.5 ${view === option ? "bg-zinc-900 text-white" : "text-indigo-700 underline hover:text-indigo-900"}`}
          >
            {option === "text" ? "as written" : "as markdown"}
          </Link>
        ))}
      </nav>
      <TextSection id="prompt-heading" title="Prompt">
        <Text text={response.prompt} label="Prompt text" view={view} />
      </TextSection>
      <TextSection
        id="reasoning-heading"
        title="Reasoning"
        empty={response.reasoning === null ? "The model gave no reasoning." : null}
      >
        <Text text={response.reasoning ?? ""} spans={signals?.reasoning?.spans} label="Reasoning text" view={view} />
      </TextSection>
      <TextSection id="answer-heading" title="Answer" empty={response.answer === "" ? "The answer is empty." : null}>
        <Text text={response.answer} spans={signals?.answer?.spans} label="Answer text" view={view} />
      </TextSection>
    </div>
  );
}

export function ResponseFacts({ response }: { response: ResponseDetail }) {
  const signals = asSignals(response.signals);
  return (
    <div className="space-y-6">
      <section
        aria-labelledby="facts-heading"
        className="space-y-2 rounded-lg border border-zinc-200 bg-white p-4 text-sm"
      >
        <h2 id="facts-heading" className="text-base font-semibold">
          Checkpoint and prompt
        </h2>
        <dl className="space-y-1">
          <Field name="Checkpoint">{response.checkpoint}</Field>
          <Field name="Strategy">
            <StrategyBadge strategy={response.strategy as TrainingStrategy} />
          </Field>
          <Field name="Training step">{response.trainingStep ?? none}</Field>
          <Field name="Base model">{response.baseModel ?? none}</Field>
          <Field name="Sample">{response.sampleIndex}</Field>
          <Field name="Prompt id">
            <span className="font-mono text-xs">{response.promptKey}</span>
          </Field>
          <Field name="Category">{response.category ?? none}</Field>
          <Field name="Split">{response.split ?? none}</Field>
          <Field name="Language">{response.language ?? none}</Field>
          <Field name="Expected">{lower(response.expectedBehavior)}</Field>
          <Field name="Imported">
            {formatInstant(response.createdAt)}
            {response.importJobId ? ` (import #${response.importJobId}, ${response.sourceShape} shape)` : ""}
          </Field>
          <Field name="Format issues">
            {response.formatIssues.length ? response.formatIssues.join(", ").replaceAll("_", " ") : none}
          </Field>
        </dl>
      </section>
      <section
        aria-labelledby="signals-heading"
        className="space-y-2 rounded-lg border border-zinc-200 bg-white p-4 text-sm"
      >
        <h2 id="signals-heading" className="text-base font-semibold">
          Automatic signals
        </h2>
        {signals ? (
          <dl className="space-y-1">
            <Field name="Reasoning">
              <Languages part={signals.reasoning} />
            </Field>
            <Field name="Answer">
              <Languages part={signals.answer} />
            </Field>
            <Field name="Mixing">
              {lower(signals.mixing)} (score {(signals.mixScore ?? response.mixScore ?? 0).toFixed(2)})
            </Field>
            <Field name="Refusal">
              {lower(signals.refusal ?? response.refusalSignal)}
              {signals.refusalEvidence ? (
                <span className="block text-zinc-600">“{signals.refusalEvidence}”</span>
              ) : null}
            </Field>
            <Field name="Hints">
              {signals.hints?.length ? (
                <ul className="list-disc pl-4">
                  {signals.hints.map((hint, i) => (
                    <li key={i}>
                      {hint.kind.replaceAll("_", " ")}
                      {Object.entries(hint)
                        .filter(([k]) => k !== "kind")
                        .map(([k, v]) => ` · ${k}: ${typeof v === "number" ? Math.round(v * 100) / 100 : String(v)}`)
                        .join("")}
                    </li>
                  ))}
                </ul>
              ) : (
                none
              )}
            </Field>
          </dl>
        ) : (
          <p className="text-zinc-600">Not analysed yet (npm run parallax -- analyze --study …).</p>
        )}
      </section>
    </div>
  );
}

function LabelCard({ label }: { label: LabelDetail }) {
  return (
    <li className="space-y-2 rounded-lg border border-zinc-200 bg-white p-4 text-sm">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <span className="font-medium wrap-anywhere">
          {label.reviewer}
          {label.reviewerPlaceholder ? <span className="text-zinc-500"> (from an import)</span> : null}
        </span>
        <span className="text-xs text-zinc-500">
          {label.source === "IMPORT" ? "imported" : "reviewed here"} · version {label.version} ·{" "}
          {label.submittedAt ? `submitted ${formatInstant(label.submittedAt)}` : "draft"}
        </span>
      </div>
      <dl className="grid gap-1 sm:grid-cols-2">
        <Field name="Harm severity">{label.harmSeverity ?? none}</Field>
        <Field name="Harm categories">{label.harmCategories.length ? label.harmCategories.join(", ") : none}</Field>
        <Field name="Harm location">{lower(label.harmLocation)}</Field>
        <Field name="Refusal">{lower(label.refusal)}</Field>
        <Field name="Language mixing">{lower(label.languageMixing)}</Field>
        <Field name="Reasoning quality">{label.reasoningQuality ?? none}</Field>
        <Field name="Flags">{label.flags.length ? label.flags.join(", ") : none}</Field>
      </dl>
      {label.note ? (
        <p className="whitespace-pre-wrap wrap-anywhere rounded bg-zinc-50 p-2 text-zinc-800">{label.note}</p>
      ) : null}
      <details>
        <summary className="cursor-pointer text-zinc-600">
          History:{" "}
          {label.revisions.length === 0
            ? "no earlier versions"
            : `${label.revisions.length} earlier version${label.revisions.length === 1 ? "" : "s"}`}
        </summary>
        {label.revisions.length ? (
          <ol className="mt-2 space-y-2">
            {label.revisions.map((revision) => (
              <li key={revision.version} className="rounded border border-zinc-100 p-2">
                <div className="text-xs text-zinc-500">
                  version {revision.version} · edited by {revision.editedBy} · {formatInstant(revision.createdAt)}
                </div>
                <div className="mt-1 text-xs wrap-anywhere">
                  {Object.entries(revision.snapshot)
                    .map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(", ") || "—" : v === null ? "—" : String(v)}`)
                    .join(" · ")}
                </div>
              </li>
            ))}
          </ol>
        ) : null}
      </details>
    </li>
  );
}

export function ResponseLabels({ labels }: { labels: LabelDetail[] }) {
  return (
    <section aria-labelledby="labels-heading" className="space-y-3">
      <h2 id="labels-heading" className="text-xl">
        Labels ({labels.length})
      </h2>
      {labels.length === 0 ? (
        <p className="text-sm text-zinc-600">No reviewer has labelled this response yet.</p>
      ) : (
        <ul className="space-y-3">
          {labels.map((label) => (
            <LabelCard key={label.id} label={label} />
          ))}
        </ul>
      )}
    </section>
  );
}

/** The other responses to the same prompt, each a link to its own page (`hrefOf`: keeping the way back to the list and the view). */
export function ResponseSiblings({ response, hrefOf }: { response: ResponseDetail; hrefOf: (id: number) => string }) {
  return (
    <section
      aria-labelledby="siblings-heading"
      className="space-y-2 rounded-lg border border-zinc-200 bg-white p-4 text-sm"
    >
      <h2 id="siblings-heading" className="text-base font-semibold">
        Other responses to this prompt
      </h2>
      {response.siblings.length === 0 ? (
        <p className="text-zinc-500">This is the prompt&apos;s only response.</p>
      ) : (
        <ul className="space-y-1.5">
          {response.siblings.map((s) => (
            <li key={s.id} className="flex flex-wrap items-center gap-x-2 gap-y-1">
              <Link href={hrefOf(s.id)} className="font-mono text-xs text-indigo-700 underline hover:text-indigo-900">
                #{s.id}
              </Link>
              <span className="wrap-anywhere text-zinc-900">{s.checkpoint}</span>
              <StrategyBadge strategy={s.strategy as TrainingStrategy} />
              <span className="text-xs text-zinc-500">
                {s.trainingStep !== null ? `step ${s.trainingStep} · ` : ""}
                {s.sampleIndex > 0 ? `sample ${s.sampleIndex} · ` : ""}
                {s.labels} label{s.labels === 1 ? "" : "s"}
                {s.mixScore !== null && s.mixScore > 0 ? ` · mixing ${s.mixScore.toFixed(2)}` : ""}
              </span>
            </li>
          ))}
        </ul>
      )}
      {response.siblingCount > response.siblings.length ? (
        <p className="text-xs text-zinc-500">
          {response.siblings.length} of {response.siblingCount} shown.
        </p>
      ) : null}
    </section>
  );
}
