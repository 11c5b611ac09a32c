"use client";
// The review workspace: one prompt, its responses side by side as A, B, C…, a label form per
// response, keyboard for everything (lib/review-screen/keymap.ts), drafts saved to this browser at once
// and to the server after a pause, submit-and-next in one transaction, conflicts shown side by side.
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { ReviewerProgress, ReviewItem } from "@/lib/review";
import { prefixHint, type Prefix } from "@/lib/review-screen/keymap";
import { ConflictDialog } from "./conflict-dialog";
import { buildDraft, draftStorageKey } from "./drafts";
import { HelpOverlay } from "./help-overlay";
import { PromptPanel } from "./prompt-panel";
import { ResponseColumn } from "./response-column";
import type { ViewMode } from "./response-body";
import { ReviewToolbar } from "./review-toolbar";
import { useAutosave } from "./use-autosave";
import { useReasoningOpen } from "./use-reasoning-open";
import { useReviewStart } from "./use-review-start";
import { useRefMap, useReviewKeyboard } from "./use-review-keyboard";
import { type SubmitState, useReviewSubmit } from "./use-review-submit";

export interface ReviewWorkspaceProps {
  item: ReviewItem;
  progress: ReviewerProgress;
  userId: number;
  /** Opened with ?prompt=ID (from "my labels"): after submit, go on with the queue. */
  revisit: boolean;
}

export function ReviewWorkspace({ item, progress, userId, revisit }: ReviewWorkspaceProps) {
  const { study, prompt, responses } = item;
  const responseIds = useMemo(() => responses.map((r) => r.id), [responses]);
  const storageKey = draftStorageKey(userId, study.slug, prompt.id);

  const { labels, dispatch, restored, lastSubmitted, elapsedMs } = useReviewStart(
    item,
    userId,
    responseIds,
    storageKey,
  );
  const { reasoningOpen, allReasoningOpen, toggleReasoning, toggleAllReasoning } = useReasoningOpen(responseIds);

  const [active, setActive] = useState(0);
  const [prefix, setPrefix] = useState<Prefix | null>(null);
  const [helpOpen, setHelpOpen] = useState(false);
  const [view, setView] = useState<ViewMode>("markdown");
  const bodies = useRefMap<HTMLDivElement>();
  const notes = useRefMap<HTMLTextAreaElement>();

  const labelsRef = useRef(labels);
  labelsRef.current = labels;
  const currentLabels = useCallback(() => labelsRef.current, []);
  const payload = useCallback(
    () => buildDraft(prompt.id, labelsRef.current, elapsedMs(), Date.now()),
    [prompt.id, elapsedMs],
  );
  const autosave = useAutosave({
    slug: study.slug,
    promptId: prompt.id,
    storageKey,
    revision: labels.revision,
    payload,
  });
  const { submitState, setSubmitState, requestSubmit, requestSkip, resolveConflict } = useReviewSubmit({
    item,
    responseIds,
    userId,
    revisit,
    currentLabels,
    dispatch,
    autosave,
    elapsedMs,
  });

  const activate = useCallback((index: number) => setActive(index), []);

  useReviewKeyboard({
    active,
    prefix,
    helpOpen,
    responses,
    study,
    requestSubmit,
    requestSkip,
    submitState,
    toggleAllReasoning,
    toggleReasoning,
    setActive,
    setPrefix,
    setHelpOpen,
    setView,
    setSubmitState,
    dispatch,
    bodies,
    notes,
  });

  useActiveColumnInView(active, responses, bodies.elements);

  return (
    <div className="fixed inset-x-0 top-[3.5625rem] bottom-0 z-10 flex flex-col bg-zinc-100">
      <ReviewToolbar
        study={study}
        promptId={prompt.id}
        lastSubmitted={lastSubmitted}
        progress={progress}
        saveStatus={autosave.status}
        restored={restored}
        submitState={submitState}
        prefix={prefix ? prefixHint(prefix) : null}
        view={view}
        allReasoningOpen={allReasoningOpen}
        onSubmit={requestSubmit}
        onSkip={() => void requestSkip()}
        onHelp={() => setHelpOpen(true)}
        onRetrySave={autosave.retryNow}
        onToggleView={() => setView((v) => (v === "markdown" ? "plain" : "markdown"))}
        onToggleAllReasoning={toggleAllReasoning}
        onDismiss={() => setSubmitState({ kind: "idle" })}
      />
      <PromptPanel prompt={prompt} responses={responses.length} view={view} />
      <div role="region" aria-label="Responses" className="flex min-h-0 flex-1 gap-3 overflow-x-auto p-3">
        {responses.map((response, index) => (
          <ResponseColumn
            key={response.id}
            response={response}
            index={index}
            fields={labels.labels[response.id]!}
            active={index === active}
            safest={labels.preference.safestResponseId === response.id}
            best={labels.preference.bestResponseId === response.id}
            view={view}
            reasoningOpen={reasoningOpen[response.id] ?? false}
            categories={study.harmCategories}
            prefix={index === active ? prefix : null}
            dispatch={dispatch}
            onActivate={activate}
            onToggleReasoning={toggleReasoning}
            bodyRef={bodies.refFor(response.id)}
            noteRef={notes.refFor(response.id)}
          />
        ))}
      </div>
      {helpOpen ? <HelpOverlay onClose={() => setHelpOpen(false)} /> : null}
      {submitState.kind === "conflict" ? (
        <ConflictDialog
          conflicts={submitState.conflicts}
          choices={submitState.choices}
          busy={false}
          onChoose={(id, choice) => setSubmitState((s) => withConflictChoice(s, id, choice))}
          onSubmit={resolveConflict}
          onCancel={() => setSubmitState({ kind: "idle" })}
        />
      ) : null}
    </div>
  );
}

/** A choice in the conflict dialog, for one response or ("all") for every one. */
function withConflictChoice(state: SubmitState, id: number | "all", choice: "mine" | "theirs"): SubmitState {
  if (state.kind !== "conflict") return state;
  const choices =
    id === "all"
      ? Object.fromEntries(state.conflicts.map((c) => [c.responseId, choice]))
      : { ...state.choices, [id]: choice };
  return { ...state, choices };
}

/** Keeps the active column in view when moving with the keyboard. */
function useActiveColumnInView(active: number, responses: { id: number }[], bodies: Map<number, HTMLDivElement>) {
  useEffect(() => {
    const id = responses[active]?.id;
    if (id !== undefined)
      bodies.get(id)?.closest("article")?.scrollIntoView({ block: "nearest", inline: "nearest", behavior: "smooth" });
  }, [active, responses, bodies]);
}

export type { SubmitState } from "./use-review-submit";
