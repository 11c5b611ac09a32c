"use client";
// The review workspace's keyboard: one listener, attached once, that turns key presses into
// commands (lib/review-screen/keymap.ts) and applies them to the workspace — labels, columns,
// prefixes, the help, submit and skip — and replays the keys typed before the page was interactive.
import { type Dispatch, type SetStateAction, useCallback, useEffect, useRef } from "react";
import type { ReviewItem } from "@/lib/review";
import { takeEarlyKeys } from "@/lib/review-screen/early-keys";
import { resolveKey, type Command, type KeyPress, type Prefix } from "@/lib/review-screen/keymap";
import type { LabelAction } from "./label-state";
import type { ViewMode } from "./response-body";
import type { SubmitState } from "./use-review-submit";

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
export function useRefMap<T extends HTMLElement>() {
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

interface KeyboardOptions {
  active: number;
  prefix: Prefix | null;
  helpOpen: boolean;
  responses: ReviewItem["responses"];
  study: ReviewItem["study"];
  requestSubmit: () => void;
  requestSkip: () => Promise<void>;
  submitState: SubmitState;
  toggleAllReasoning: () => void;
  toggleReasoning: (id: number) => void;
  setActive: Dispatch<SetStateAction<number>>;
  setPrefix: Dispatch<SetStateAction<Prefix | null>>;
  setHelpOpen: Dispatch<SetStateAction<boolean>>;
  setView: Dispatch<SetStateAction<ViewMode>>;
  setSubmitState: Dispatch<SetStateAction<SubmitState>>;
  dispatch: Dispatch<LabelAction>;
  bodies: ReturnType<typeof useRefMap<HTMLDivElement>>;
  notes: ReturnType<typeof useRefMap<HTMLTextAreaElement>>;
}

export function useReviewKeyboard(options: KeyboardOptions) {
  // The keyboard listener reads the latest state through this ref, so it is attached once.
  const live = useRef(options);
  live.current = options;
  const { toggleReasoning, setActive, setPrefix, setHelpOpen, setView, setSubmitState, dispatch, bodies, notes } =
    options;

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
  }, [
    bodies.elements,
    notes.elements,
    toggleReasoning,
    setActive,
    setPrefix,
    setHelpOpen,
    setView,
    setSubmitState,
    dispatch,
  ]);
}
