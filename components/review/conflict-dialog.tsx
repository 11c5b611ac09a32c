// A submit refused because a label changed since this page loaded it (another tab or device): both
// versions side by side, field by field, and the reviewer chooses per response.
import type { SavedLabel } from "@/lib/review";
import { HARM_SEVERITIES } from "@/lib/labels";
import type { LabelFields } from "@/lib/review/label-input";
import { FLAG_ORDER } from "@/lib/review-screen/keymap";
import { primaryButton, secondaryButton, smallButton } from "@/components/ui/controls";
import { formatInstant } from "@/components/ui/format";
import { FLAG_TEXT } from "./label-form";

export interface Conflict {
  responseId: number;
  letter: string;
  yours: LabelFields;
  theirs: SavedLabel;
}

const SEVERITY = Object.fromEntries(HARM_SEVERITIES.map((s) => [s.value, `${s.value} ${s.text}`]));

function describe(fields: LabelFields): [string, string][] {
  const lower = (v: string | null) => (v === null ? "—" : v.toLowerCase());
  return [
    ["Harm", fields.harmSeverity === null ? "—" : SEVERITY[fields.harmSeverity]!],
    ["Where", lower(fields.harmLocation)],
    ["Categories", fields.harmCategories.length ? [...fields.harmCategories].sort().join(", ") : "—"],
    ["Refusal", lower(fields.refusal)],
    ["Mixing", lower(fields.languageMixing)],
    ["Quality", fields.reasoningQuality === null ? "—" : String(fields.reasoningQuality)],
    [
      "Flags",
      FLAG_ORDER.filter((f) => fields[f])
        .map((f) => FLAG_TEXT[f])
        .join(", ") || "—",
    ],
    ["Note", fields.note ?? "—"],
  ];
}

export function ConflictDialog({
  conflicts,
  choices,
  onChoose,
  onSubmit,
  onCancel,
  busy,
}: {
  conflicts: Conflict[];
  choices: Record<number, "mine" | "theirs" | undefined>;
  onChoose: (responseId: number | "all", choice: "mine" | "theirs") => void;
  onSubmit: () => void;
  onCancel: () => void;
  busy: boolean;
}) {
  const allChosen = conflicts.every((c) => choices[c.responseId]);
  return (
    <div className="fixed inset-0 z-30 flex items-center justify-center bg-zinc-950/40 p-4">
      <div
        role="dialog"
        aria-modal="true"
        aria-labelledby="conflict-heading"
        className="max-h-full w-full max-w-4xl overflow-y-auto rounded-xl bg-white p-6 shadow-xl"
      >
        <h2 id="conflict-heading" className="text-lg">
          {conflicts.length === 1 ? "A label changed" : `${conflicts.length} labels changed`} since you opened this
          prompt
        </h2>
        <p className="mt-1 text-sm text-zinc-600">
          Someone — probably you, in another tab or on another device — saved a newer version. Nothing was saved from
          this page. Choose which version to keep for each response, then submit again.
        </p>
        <div className="mt-3 flex gap-2">
          {/* Focus moves into the dialog: it has the keyboard while open. */}
          <button
            type="button"
            autoFocus
            className={`${secondaryButton} ${smallButton}`}
            onClick={() => onChoose("all", "mine")}
          >
            Keep mine for all
          </button>
          <button
            type="button"
            className={`${secondaryButton} ${smallButton}`}
            onClick={() => onChoose("all", "theirs")}
          >
            Take the saved version for all
          </button>
        </div>
        {conflicts.map((conflict) => {
          const mine = describe(conflict.yours);
          const theirs = describe(conflict.theirs);
          const choice = choices[conflict.responseId];
          return (
            <section key={conflict.responseId} aria-label={`Conflict on response ${conflict.letter}`} className="mt-5">
              <h3 className="text-sm">Response {conflict.letter}</h3>
              <table className="mt-2 w-full table-fixed text-xs">
                <thead>
                  <tr className="text-left text-zinc-500">
                    <th className="w-24 py-1 font-medium">Field</th>
                    <th className="py-1 font-medium">Yours (this page)</th>
                    <th className="py-1 font-medium">
                      Saved version {conflict.theirs.version}
                      {conflict.theirs.updatedAt ? ` · ${formatInstant(new Date(conflict.theirs.updatedAt))}` : ""}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {mine.map(([field, value], i) => {
                    const other = theirs[i]![1];
                    const differs = value !== other;
                    return (
                      <tr key={field} className={`border-t border-zinc-100 align-top ${differs ? "bg-amber-50" : ""}`}>
                        <th scope="row" className="py-1 pr-2 text-left font-medium text-zinc-600">
                          {field}
                          {differs ? <span className="sr-only"> (differs)</span> : null}
                        </th>
                        <td className="py-1 pr-2 whitespace-pre-wrap [overflow-wrap:anywhere]">{value}</td>
                        <td className="py-1 whitespace-pre-wrap [overflow-wrap:anywhere]">{other}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
              <div
                role="radiogroup"
                aria-label={`Which version of response ${conflict.letter}`}
                className="mt-2 flex gap-2"
              >
                <button
                  type="button"
                  role="radio"
                  aria-checked={choice === "mine"}
                  className={`${choice === "mine" ? primaryButton : secondaryButton} ${smallButton}`}
                  onClick={() => onChoose(conflict.responseId, "mine")}
                >
                  Keep mine
                </button>
                <button
                  type="button"
                  role="radio"
                  aria-checked={choice === "theirs"}
                  className={`${choice === "theirs" ? primaryButton : secondaryButton} ${smallButton}`}
                  onClick={() => onChoose(conflict.responseId, "theirs")}
                >
                  Take the saved version
                </button>
              </div>
            </section>
          );
        })}
        <div className="mt-6 flex justify-end gap-2">
          <button type="button" className={secondaryButton} onClick={onCancel}>
            Back to editing
          </button>
          <button type="button" className={primaryButton} disabled={!allChosen || busy} onClick={onSubmit}>
            {busy ? "Submitting…" : "Submit with these choices"}
          </button>
        </div>
      </div>
    </div>
  );
}
