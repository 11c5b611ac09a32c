"use client";
// The final label of one response: the review screen's label form (components/review) with its
// keys (lib/review-screen/keymap.ts: 0–3 harm, c/p/x refusal, m mixing, q then 1–5 quality, f then
// 1–4 flags, n the note), Save (Ctrl+Enter) and Clear, and j / k to the next / previous
// disagreement of the list. A save from an outdated view is refused by the server and said so.
import { useRouter } from "next/navigation";
import { useCallback, useEffect, useReducer, useRef, useState, useTransition } from "react";
import { clearFinalLabel, saveFinalLabel, type FinalLabelResult } from "@/app/studies/[slug]/adjudicate/[id]/actions";
import { LabelForm } from "@/components/review/label-form";
import { applyLabelCommand, initialLabelState, labelReducer } from "@/components/review/label-state";
import { dangerButton, primaryButton, secondaryButton } from "@/components/ui/controls";
import type { LabelValues } from "@/lib/labels";
import { resolveKey, type Prefix } from "@/lib/review-screen/keymap";

export interface FinalLabelFormProps {
  slug: string;
  responseId: number;
  hasReasoning: boolean;
  categories: string[];
  /** The saved final label, or (none yet) a starting point for the form. */
  initial: LabelValues;
  /** The version of the saved final label; null when there is none. */
  version: number | null;
  nextHref: string | null;
  previousHref: string | null;
}

export function FinalLabelForm(props: FinalLabelFormProps) {
  const { slug, responseId, categories, nextHref, previousHref } = props;
  const router = useRouter();
  const [state, dispatch] = useReducer(labelReducer, undefined, () =>
    initialLabelState({ [responseId]: props.initial }, { safestResponseId: null, bestResponseId: null }, {}),
  );
  const fields = state.labels[responseId]!;
  const [version, setVersion] = useState(props.version);
  const [prefix, setPrefix] = useState<Prefix | null>(null);
  const [message, setMessage] = useState<{ tone: "ok" | "error"; text: string } | null>(null);
  const [pending, startTransition] = useTransition();
  const noteRef = useRef<HTMLTextAreaElement>(null);

  const answer = useCallback(
    (result: FinalLabelResult, done: string, nextVersion: number | null) => {
      if (result.ok) {
        setVersion(nextVersion ?? null);
        setMessage({ tone: "ok", text: done });
        router.refresh();
      } else setMessage({ tone: "error", text: result.message });
    },
    [router],
  );

  const save = useCallback(() => {
    startTransition(async () => {
      const result = await saveFinalLabel({ slug, responseId, label: { ...fields, version } });
      answer(result, "Final label saved.", result.ok ? result.version : null);
    });
  }, [slug, responseId, fields, version, answer]);

  const clear = useCallback(() => {
    if (version === null) return;
    startTransition(async () => {
      const result = await clearFinalLabel({ slug, responseId, version });
      answer(result, "Final label cleared: the reviewers' aggregate counts again.", null);
    });
  }, [slug, responseId, version, answer]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement | null;
      const inTextField =
        !!target &&
        (target.tagName === "TEXTAREA" || (target.tagName === "INPUT" && (target as HTMLInputElement).type === "text"));
      const command = resolveKey(event, { prefix, inTextField, helpOpen: false });
      if (!command) return;
      let handled = true;
      switch (command.type) {
        case "prefix":
          setPrefix(command.prefix);
          break;
        case "scroll": {
          const href = command.delta === 1 ? nextHref : previousHref;
          if (href) router.push(href);
          break;
        }
        case "submit":
          save();
          break;
        case "note":
          noteRef.current?.focus();
          break;
        case "leaveField":
          (target as HTMLElement | null)?.blur();
          break;
        case "undo":
        case "redo":
          dispatch({ type: command.type });
          break;
        case "cancel":
          break;
        default:
          if (applyLabelCommand(fields, command, categories) !== null)
            dispatch({ type: "command", responseId, command, categories });
          else handled = false;
      }
      if (command.type !== "prefix") setPrefix(null);
      if (handled) event.preventDefault();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [prefix, fields, categories, responseId, nextHref, previousHref, router, save]);

  return (
    <section aria-labelledby="final-heading" className="space-y-3 rounded-lg border border-zinc-200 bg-white p-4">
      <h2 id="final-heading" className="text-xl">
        Final label
      </h2>
      <p className="text-sm text-zinc-600">
        {version === null
          ? "Not adjudicated yet: the form starts from the labels the reviewers agree on."
          : `Adjudicated (version ${version}).`}
      </p>
      <LabelForm
        responseId={responseId}
        letter="final"
        hasReasoning={props.hasReasoning}
        fields={fields}
        categories={categories}
        prefix={prefix}
        dispatch={dispatch}
        noteRef={noteRef}
      />
      <div className="flex flex-wrap items-center gap-2">
        <button type="button" className={primaryButton} disabled={pending} onClick={save}>
          Save final label
        </button>
        {version !== null ? (
          <button type="button" className={dangerButton} disabled={pending} onClick={clear}>
            Clear adjudication
          </button>
        ) : null}
        {previousHref ? (
          <a href={previousHref} className={secondaryButton}>
            ← Previous (k)
          </a>
        ) : null}
        {nextHref ? (
          <a href={nextHref} className={secondaryButton}>
            Next (j) →
          </a>
        ) : null}
      </div>
      <p
        role="status"
        aria-live="polite"
        className={message?.tone === "error" ? "text-sm text-red-700" : "text-sm text-emerald-700"}
      >
        {message?.text}
      </p>
    </section>
  );
}
