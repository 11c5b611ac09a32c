"use client";
// The review workspace: one prompt, its responses side by side as A, B, C…, a label form per
// response, keyboard for everything (lib/review-screen/keymap.ts), drafts saved to this browser at once
// and to the server after a pause, submit-and-next in one transaction, conflicts shown side by side.
import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from "react";
import type { ReviewerProgress, ReviewItem } from "@/lib/review";
import { prefixHint, type Prefix } from "@/lib/review-screen/keymap";
import { ConflictDialog } from "./conflict-dialog";
import { buildDraft, draftStorageKey, parseDraft, startingPoint } from "./drafts";
import { HelpOverlay } from "./help-overlay";
import { initialLabelState, labelReducer, type LabelAction } from "./label-state";
import { PromptPanel } from "./prompt-panel";
import { ResponseColumn } from "./response-column";
import type { ViewMode } from "./response-body";
import { ReviewToolbar } from "./review-toolbar";
import { pruneLocalDrafts, readLocalDraft, useAutosave } from "./use-autosave";
import { useRefMap, useReviewKeyboard } from "./use-review-keyboard";
import { lastSubmittedKey, useReviewSubmit } from "./use-review-submit";

export interface ReviewWorkspaceProps {
  item: ReviewItem;
  progress: ReviewerProgress;
  userId: number;
  /** Opened with ?prompt=ID (from "my labels"): after submit, go on with the queue. */
  revisit: boolean;
}

const REASONING_OPEN_KEY = "parallax:review:reasoning-open";

export function ReviewWorkspace({ item, progress, userId, revisit }: ReviewWorkspaceProps) {
  const { study, prompt, responses } = item;
  const responseIds = useMemo(() => responses.map((r) => r.id), [responses]);
  const storageKey = draftStorageKey(userId, study.slug, prompt.id);

  // Server render and first client render start from the server's draft (or the submitted labels);
  // the browser's copy is looked at once mounted (it may be newer).
  const [start] = useState(() =>
    startingPoint({
      responseIds,
      saved: item.labels,
      preference: item.preference,
      serverDraft: parseDraft(item.draft?.payload, prompt.id),
      localDraft: null,
    }),
  );
  const [labels, dispatch] = useReducer(labelReducer, start, (s) =>
    initialLabelState(s.labels, s.preference, s.baseVersions),
  );
  const [restored, setRestored] = useState(start.restored);
  const elapsedBefore = useRef(start.elapsedMs);
  const openedAt = useRef(0);

  const [active, setActive] = useState(0);
  const [prefix, setPrefix] = useState<Prefix | null>(null);
  const [helpOpen, setHelpOpen] = useState(false);
  const [view, setView] = useState<ViewMode>("markdown");
  const [reasoningOpen, setReasoningOpen] = useState<Record<number, boolean>>({});
  const [lastSubmitted, setLastSubmitted] = useState<number | null>(null);
  const bodies = useRefMap<HTMLDivElement>();
  const notes = useRefMap<HTMLTextAreaElement>();

  // biome-ignore lint/correctness/useExhaustiveDependencies: runs once, on mount (the workspace is keyed by prompt id); re-running it on new props would restart the timer and restore the browser's draft again
  useEffect(() => {
    openedAt.current = performance.now();
    pruneLocalDrafts(`parallax:draft:${userId}:`, Date.now());
    const local = parseDraft(readLocalDraft(storageKey), prompt.id);
    if (local && (start.draftUpdatedAt === null || local.updatedAt > start.draftUpdatedAt)) {
      const chosen = startingPoint({
        responseIds,
        saved: item.labels,
        preference: item.preference,
        serverDraft: null,
        localDraft: local,
      });
      if (chosen.restored) {
        dispatch({
          type: "restore",
          labels: chosen.labels,
          baseVersions: chosen.baseVersions,
          preference: chosen.preference,
        });
        elapsedBefore.current = chosen.elapsedMs;
        setRestored("this browser");
      }
    }
    try {
      const last = Number(window.sessionStorage.getItem(lastSubmittedKey(userId, study.slug)));
      if (Number.isInteger(last) && last > 0 && last !== prompt.id) setLastSubmitted(last);
    } catch {
      // no storage: no way back but "my labels"
    }
    try {
      if (window.localStorage.getItem(REASONING_OPEN_KEY) === "1")
        setReasoningOpen(Object.fromEntries(responseIds.map((id) => [id, true])));
    } catch {
      // no storage: reasoning starts folded
    }
    // Once per prompt (the workspace is keyed by prompt id).
  }, []);

  const elapsedMs = useCallback(
    () => elapsedBefore.current + (openedAt.current ? performance.now() - openedAt.current : 0),
    [],
  );
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

  const toggleReasoning = useCallback((id: number) => setReasoningOpen((open) => ({ ...open, [id]: !open[id] })), []);
  const activate = useCallback((index: number) => setActive(index), []);
  const stableDispatch = useCallback((action: LabelAction) => dispatch(action), []);

  const toggleAllReasoning = useCallback(() => {
    const open = !responseIds.every((id) => reasoningOpen[id]);
    setReasoningOpen(Object.fromEntries(responseIds.map((id) => [id, open])));
    try {
      window.localStorage.setItem(REASONING_OPEN_KEY, open ? "1" : "0");
    } catch {
      // remembered for this page only
    }
  }, [reasoningOpen, responseIds]);

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

  // Keep the active column in view when moving with the keyboard.
  useEffect(() => {
    const id = responses[active]?.id;
    if (id !== undefined)
      bodies.elements
        .get(id)
        ?.closest("article")
        ?.scrollIntoView({ block: "nearest", inline: "nearest", behavior: "smooth" });
  }, [active, responses, bodies.elements]);

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
        allReasoningOpen={responseIds.every((id) => reasoningOpen[id])}
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
            dispatch={stableDispatch}
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
          onChoose={(id, choice) =>
            setSubmitState((s) =>
              s.kind !== "conflict"
                ? s
                : {
                    ...s,
                    choices:
                      id === "all"
                        ? Object.fromEntries(s.conflicts.map((c) => [c.responseId, choice]))
                        : { ...s.choices, [id]: choice },
                  },
            )
          }
          onSubmit={resolveConflict}
          onCancel={() => setSubmitState({ kind: "idle" })}
        />
      ) : null}
    </div>
  );
}

export type { SubmitState } from "./use-review-submit";
