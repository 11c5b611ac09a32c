"use client";
// Sending a prompt's labels from the review workspace: the checks before a submit (every response
// labelled, gaps confirmed), the server action with retries while the server is unreachable,
// conflicts with labels saved meanwhile, and skipping.
import { useRouter } from "next/navigation";
import { type Dispatch, useCallback, useEffect, useRef, useState } from "react";
import { skip as skipAction, submit as submitAction } from "@/app/studies/[slug]/review/actions";
import type { ReviewItem, SubmitResult } from "@/lib/review";
import type { LabelFields } from "@/lib/review/label-input";
import type { Conflict } from "./conflict-dialog";
import { retryDelay } from "./drafts";
import {
  EMPTY_LABEL,
  labelFieldsOf,
  missingFields,
  sameFields,
  type LabelAction,
  type LabelState,
} from "./label-state";
import type { useAutosave } from "./use-autosave";

/** The prompt this tab submitted last, for the way back to it (the queue has moved on by then). */
export const lastSubmittedKey = (userId: number, slug: string) => `parallax:review:last-submitted:${userId}:${slug}`;

export type SubmitState =
  | { kind: "idle" }
  | { kind: "confirm"; missing: { letter: string; fields: string[] }[] }
  | { kind: "submitting" }
  | { kind: "retrying"; attempt: number; retryAt: number }
  | { kind: "error"; message: string }
  | { kind: "conflict"; conflicts: Conflict[]; choices: Record<number, "mine" | "theirs" | undefined> };

interface SubmitOptions {
  item: ReviewItem;
  responseIds: number[];
  userId: number;
  /** Opened from "my labels": after submit, go on with the queue. */
  revisit: boolean;
  /** The labels as they are now (read when sending, not when rendering). */
  currentLabels: () => LabelState;
  dispatch: Dispatch<LabelAction>;
  autosave: ReturnType<typeof useAutosave>;
  elapsedMs: () => number;
}

export function useReviewSubmit({
  item,
  responseIds,
  userId,
  revisit,
  currentLabels,
  dispatch,
  autosave,
  elapsedMs,
}: SubmitOptions) {
  const { study, prompt, responses } = item;
  const router = useRouter();
  const [submitState, setSubmitState] = useState<SubmitState>({ kind: "idle" });

  const goNext = useCallback(() => {
    if (revisit) router.push(`/studies/${study.slug}/review`);
    else router.refresh();
  }, [revisit, router, study.slug]);

  const retryTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => () => void (retryTimer.current && clearTimeout(retryTimer.current)), []);

  const sendSubmit = useCallback(
    async (attempt = 0, override?: Pick<LabelState, "labels" | "baseVersions">) => {
      setSubmitState({ kind: "submitting" });
      await autosave.settle();
      const state = { ...currentLabels(), ...override };
      let result: SubmitResult;
      try {
        result = await submitAction({
          slug: study.slug,
          submission: {
            promptId: prompt.id,
            labels: responseIds.map((id) => ({
              responseId: id,
              baseVersion: state.baseVersions[id] ?? null,
              fields: state.labels[id]!,
            })),
            preference: state.preference,
            elapsedMs: Math.round(elapsedMs()),
          },
        });
      } catch {
        // Server or database unreachable: the draft stays here; try again by itself.
        const delay = retryDelay(attempt);
        autosave.saveSoon();
        setSubmitState({ kind: "retrying", attempt: attempt + 1, retryAt: Date.now() + delay });
        retryTimer.current = setTimeout(() => void sendSubmit(attempt + 1, override), delay);
        return;
      }
      if (result.ok) {
        autosave.stop();
        try {
          window.sessionStorage.setItem(lastSubmittedKey(userId, study.slug), String(prompt.id));
        } catch {
          // no storage: the link back is not shown
        }
        setSubmitState({ kind: "idle" });
        goNext();
        return;
      }
      autosave.saveSoon();
      if (result.reason === "conflict") {
        setSubmitState({ kind: "conflict", conflicts: result.conflicts, choices: {} });
        return;
      }
      setSubmitState({ kind: "error", message: result.message });
    },
    [autosave, currentLabels, elapsedMs, goNext, prompt.id, responseIds, study.slug, userId],
  );

  const requestSubmit = useCallback(() => {
    if (submitState.kind === "submitting" || submitState.kind === "retrying" || submitState.kind === "conflict") return;
    const empty = responses.filter((r) => sameFields(currentLabels().labels[r.id]!, EMPTY_LABEL)).map((r) => r.letter);
    if (empty.length > 0) {
      setSubmitState({
        kind: "error",
        message: `Label every response before submitting: ${empty.join(", ")} ${empty.length === 1 ? "has" : "have"} nothing yet.`,
      });
      return;
    }
    const missing = responses
      .map((r) => ({ letter: r.letter, fields: missingFields(currentLabels().labels[r.id]!, r.reasoning !== null) }))
      .filter((m) => m.fields.length > 0);
    if (missing.length > 0 && submitState.kind !== "confirm") {
      setSubmitState({ kind: "confirm", missing });
      return;
    }
    void sendSubmit();
  }, [currentLabels, responses, sendSubmit, submitState.kind]);

  const requestSkip = useCallback(async () => {
    if (submitState.kind === "submitting") return;
    try {
      const result = await skipAction({ slug: study.slug, promptId: prompt.id });
      if (!result.ok) {
        setSubmitState({ kind: "error", message: result.message });
        return;
      }
    } catch {
      setSubmitState({
        kind: "error",
        message: "Could not skip: the server did not answer. Your draft is kept; try again in a moment.",
      });
      return;
    }
    // A skipped prompt's draft stays (server and browser) in case it comes back.
    goNext();
  }, [goNext, prompt.id, study.slug, submitState.kind]);

  const resolveConflict = useCallback(() => {
    if (submitState.kind !== "conflict") return;
    const baseVersions: Record<number, number> = {};
    const taken: Record<number, LabelFields> = {};
    for (const conflict of submitState.conflicts) {
      baseVersions[conflict.responseId] = conflict.theirs.version;
      if (submitState.choices[conflict.responseId] === "theirs")
        taken[conflict.responseId] = labelFieldsOf(conflict.theirs);
    }
    dispatch({ type: "replace", labels: taken, baseVersions });
    const current = currentLabels();
    void sendSubmit(0, {
      labels: { ...current.labels, ...taken },
      baseVersions: { ...current.baseVersions, ...baseVersions },
    });
  }, [currentLabels, dispatch, sendSubmit, submitState]);

  return { submitState, setSubmitState, requestSubmit, requestSkip, resolveConflict };
}
