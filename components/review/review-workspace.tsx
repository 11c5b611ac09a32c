"use client";
// The review workspace: one prompt, its responses side by side as A, B, C…, a label form per
// response, keyboard for everything (lib/review-screen/keymap.ts), drafts saved to this browser at once
// and to the server after a pause, submit-and-next in one transaction, conflicts shown side by side.
import { useRouter } from "next/navigation";
import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from "react";
import { submit as submitAction, skip as skipAction } from "@/app/studies/[slug]/review/actions";
import { ReviewText } from "@/components/markdown/review-text";
import type { ReviewerProgress, ReviewItem, SubmitResult } from "@/lib/review";
import { takeEarlyKeys } from "@/lib/review-screen/early-keys";
import { prefixHint, resolveKey, type Command, type KeyPress, type Prefix } from "@/lib/review-screen/keymap";
import { ConflictDialog, type Conflict } from "./conflict-dialog";
import { buildDraft, draftStorageKey, parseDraft, retryDelay, startingPoint } from "./drafts";
import { HelpOverlay } from "./help-overlay";
import {
  EMPTY_LABEL,
  initialLabelState,
  labelFieldsOf,
  labelReducer,
  missingFields,
  sameFields,
  type LabelAction,
  type LabelState,
} from "./label-state";
import type { LabelFields } from "@/lib/review/label-input";
import { ResponseColumn } from "./response-column";
import type { ViewMode } from "./response-body";
import { ReviewToolbar } from "./review-toolbar";
import { pruneLocalDrafts, readLocalDraft, useAutosave } from "./use-autosave";

export interface ReviewWorkspaceProps {
  item: ReviewItem;
  progress: ReviewerProgress;
  userId: number;
  /** Opened with ?prompt=ID (from "my labels"): after submit, go on with the queue. */
  revisit: boolean;
}

const LABEL_COMMANDS = new Set<Command["type"]>([
  "severity",
  "refusal",
  "refusalCycle",
  "mixingCycle",
  "locationCycle",
  "quality",
  "flag",
  "category",
  "clearLabel",
]);
const REASONING_OPEN_KEY = "parallax:review:reasoning-open";
/** The prompt this tab submitted last, for the way back to it (the queue has moved on by then). */
const lastSubmittedKey = (userId: number, slug: string) => `parallax:review:last-submitted:${userId}:${slug}`;

/** The row of the label form a key changes or waits on (the fieldset's data-field). */
const FIELD_OF_COMMAND: Partial<Record<Command["type"], string>> = {
  severity: "Harm",
  locationCycle: "Where",
  category: "Category",
  refusal: "Refusal",
  refusalCycle: "Refusal",
  mixingCycle: "Mixing",
  quality: "Quality",
  flag: "Flags",
};
const FIELD_OF_PREFIX: Record<Prefix, string> = { category: "Category", quality: "Quality", flag: "Flags" };

function isTextField(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement)
    return true;
  return (
    target instanceof HTMLInputElement && !["checkbox", "radio", "button", "submit", "reset"].includes(target.type)
  );
}

/** Callback refs that stay the same per response, so memoised columns are not rendered again. */
function useRefMap<T extends HTMLElement>() {
  const elements = useRef(new Map<number, T>());
  const callbacks = useRef(new Map<number, (element: T | null) => void>());
  const refFor = useCallback((id: number) => {
    let callback = callbacks.current.get(id);
    if (!callback) {
      callback = (element: T | null) => {
        if (element) elements.current.set(id, element);
        else elements.current.delete(id);
      };
      callbacks.current.set(id, callback);
    }
    return callback;
  }, []);
  return { elements: elements.current, refFor };
}

type SubmitState =
  | { kind: "idle" }
  | { kind: "confirm"; missing: { letter: string; fields: string[] }[] }
  | { kind: "submitting" }
  | { kind: "retrying"; attempt: number; retryAt: number }
  | { kind: "error"; message: string }
  | { kind: "conflict"; conflicts: Conflict[]; choices: Record<number, "mine" | "theirs" | undefined> };

export function ReviewWorkspace({ item, progress, userId, revisit }: ReviewWorkspaceProps) {
  const router = useRouter();
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
  const [submitState, setSubmitState] = useState<SubmitState>({ kind: "idle" });
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
      const state = { ...labelsRef.current, ...override };
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
    [autosave, elapsedMs, goNext, prompt.id, responseIds, study.slug, userId],
  );

  const requestSubmit = useCallback(() => {
    if (submitState.kind === "submitting" || submitState.kind === "retrying" || submitState.kind === "conflict") return;
    const empty = responses
      .filter((r) => sameFields(labelsRef.current.labels[r.id]!, EMPTY_LABEL))
      .map((r) => r.letter);
    if (empty.length > 0) {
      setSubmitState({
        kind: "error",
        message: `Label every response before submitting: ${empty.join(", ")} ${empty.length === 1 ? "has" : "have"} nothing yet.`,
      });
      return;
    }
    const missing = responses
      .map((r) => ({ letter: r.letter, fields: missingFields(labelsRef.current.labels[r.id]!, r.reasoning !== null) }))
      .filter((m) => m.fields.length > 0);
    if (missing.length > 0 && submitState.kind !== "confirm") {
      setSubmitState({ kind: "confirm", missing });
      return;
    }
    void sendSubmit();
  }, [responses, sendSubmit, submitState.kind]);

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
    const current = labelsRef.current;
    void sendSubmit(0, {
      labels: { ...current.labels, ...taken },
      baseVersions: { ...current.baseVersions, ...baseVersions },
    });
  }, [sendSubmit, submitState]);

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

  // The keyboard listener reads the latest state through this ref, so it is attached once.
  const live = useRef({
    active,
    prefix,
    helpOpen,
    responses,
    study,
    requestSubmit,
    requestSkip,
    submitState,
    toggleAllReasoning,
  });
  live.current = {
    active,
    prefix,
    helpOpen,
    responses,
    study,
    requestSubmit,
    requestSkip,
    submitState,
    toggleAllReasoning,
  };

  useEffect(() => {
    // What a key changes that the next key reads (the column, a prefix, the help) is written into
    // the ref at once as well as into state: keys replayed in one go (the early keys below, typed
    // before the page was interactive) come before any re-render, and "2 → 3" must label A then B.
    const move = (change: Partial<Pick<typeof live.current, "active" | "prefix" | "helpOpen">>) => {
      live.current = { ...live.current, ...change };
      if (change.active !== undefined) setActive(change.active);
      if (change.prefix !== undefined) setPrefix(change.prefix);
      if (change.helpOpen !== undefined) setHelpOpen(change.helpOpen);
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.isComposing) return;
      const now = live.current;
      if (now.submitState.kind === "conflict") return; // the dialog has the keyboard
      const press: KeyPress = {
        key: event.key,
        code: event.code,
        ctrlKey: event.ctrlKey,
        metaKey: event.metaKey,
        altKey: event.altKey,
        shiftKey: event.shiftKey,
      };
      const command = resolveKey(press, {
        prefix: now.prefix,
        inTextField: isTextField(event.target),
        helpOpen: now.helpOpen,
      });
      if (!command) {
        if (now.prefix && !["Shift", "Control", "Alt", "Meta"].includes(event.key)) move({ prefix: null });
        return;
      }
      event.preventDefault();
      const current = now.responses[now.active];
      if (command.type !== "prefix" && now.prefix !== null) move({ prefix: null });
      // The label form scrolls inside a short column (1024×768: a few rows show): bring the row the
      // key changed, or waits on, into view once rendered, or the reviewer labels blind.
      const field = command.type === "prefix" ? FIELD_OF_PREFIX[command.prefix] : FIELD_OF_COMMAND[command.type];
      if (current && field) {
        requestAnimationFrame(() =>
          bodies.elements
            .get(current.id)
            ?.closest("article")
            ?.querySelector(`[data-field="${field}"]`)
            ?.scrollIntoView({ block: "nearest", inline: "nearest" }),
        );
      }
      if (LABEL_COMMANDS.has(command.type)) {
        if (current)
          dispatch({ type: "command", responseId: current.id, command, categories: now.study.harmCategories });
        if (now.submitState.kind === "confirm" || now.submitState.kind === "error") setSubmitState({ kind: "idle" });
        return;
      }
      switch (command.type) {
        case "prefix":
          move({ prefix: command.prefix });
          return;
        case "column": {
          const next = Math.max(0, Math.min(now.responses.length - 1, now.active + command.delta));
          move({ active: next });
          return;
        }
        case "columnAt":
          if (command.index < now.responses.length) move({ active: command.index });
          return;
        case "note":
          if (current) notes.elements.get(current.id)?.focus();
          return;
        case "leaveField":
          if (document.activeElement instanceof HTMLElement) document.activeElement.blur();
          if (current) bodies.elements.get(current.id)?.focus({ preventScroll: true });
          return;
        case "safest":
        case "best":
          if (current) dispatch({ type: "prefer", kind: command.type, responseId: current.id });
          return;
        case "reasoning":
          if (current) toggleReasoning(current.id);
          return;
        case "allReasoning":
          now.toggleAllReasoning();
          return;
        case "plainText":
          setView((v) => (v === "markdown" ? "plain" : "markdown"));
          return;
        case "scroll":
          if (current)
            bodies.elements
              .get(current.id)
              ?.scrollBy({ top: command.delta * window.innerHeight * 0.4, behavior: "smooth" });
          return;
        case "submit":
          now.requestSubmit();
          return;
        case "skip":
          void now.requestSkip();
          return;
        case "undo":
          dispatch({ type: "undo" });
          return;
        case "redo":
          dispatch({ type: "redo" });
          return;
        case "help":
          move({ helpOpen: !now.helpOpen });
          return;
        case "cancel":
          move({ helpOpen: false });
          if (now.submitState.kind === "confirm" || now.submitState.kind === "error") setSubmitState({ kind: "idle" });
      }
    };
    window.addEventListener("keydown", onKey);
    // Keys pressed before this listener existed (recorded by the page's inline script), in order.
    for (const press of takeEarlyKeys())
      window.dispatchEvent(new KeyboardEvent("keydown", { ...press, bubbles: true, cancelable: true }));
    return () => window.removeEventListener("keydown", onKey);
  }, [bodies.elements, notes.elements, toggleReasoning]);

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
      <section
        aria-label="Prompt"
        data-scroll-root=""
        className="max-h-[22vh] shrink-0 overflow-y-auto border-b border-zinc-200 bg-white px-4 py-3"
      >
        <div className="mx-auto max-w-5xl">
          <p className="mb-1 flex flex-wrap gap-x-3 text-xs text-zinc-500">
            <span className="font-medium tracking-wide text-zinc-700 uppercase">Prompt</span>
            {prompt.category ? <span>category: {prompt.category}</span> : null}
            {prompt.language ? <span>language: {prompt.language}</span> : null}
            <span>{responses.length} responses</span>
          </p>
          <div className="text-sm text-zinc-900">
            <ReviewText text={prompt.text} view={view} />
          </div>
        </div>
      </section>
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

export type { SubmitState };
