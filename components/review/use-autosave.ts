"use client";
// Autosave of a prompt's draft: every change goes to localStorage at once, and to the server
// (saveDraft) 800 ms after the last change. A failed server save is retried with a growing delay
// (1 s, 2 s, 4 s … 30 s) and at once when the browser comes back online; the status says so.
import { useCallback, useEffect, useRef, useState } from "react";
import { saveDraft } from "@/app/studies/[slug]/review/actions";
import { retryDelay, type DraftPayload } from "./drafts";

export const AUTOSAVE_DELAY_MS = 800;

export type SaveStatus =
  | { kind: "idle" }
  | { kind: "pending" }
  | { kind: "saving" }
  | { kind: "saved"; at: string }
  | { kind: "retrying"; attempt: number; retryAt: number }
  | { kind: "refused"; message: string };

export function writeLocalDraft(storageKey: string, payload: DraftPayload): boolean {
  try {
    window.localStorage.setItem(storageKey, JSON.stringify(payload));
    return true;
  } catch {
    return false; // private mode or a full quota: the server copy still follows
  }
}

export function readLocalDraft(storageKey: string): unknown {
  try {
    const raw = window.localStorage.getItem(storageKey);
    return raw === null ? null : JSON.parse(raw);
  } catch {
    return null;
  }
}

export function removeLocalDraft(storageKey: string) {
  try {
    window.localStorage.removeItem(storageKey);
  } catch {
    // nothing to do
  }
}

/** Drafts this browser kept for prompts never submitted (skipped, abandoned) go after 30 days. */
export function pruneLocalDrafts(prefix: string, now: number, maxAgeMs = 30 * 24 * 3600 * 1000) {
  try {
    const stale: string[] = [];
    for (let i = 0; i < window.localStorage.length; i++) {
      const key = window.localStorage.key(i);
      if (!key?.startsWith(prefix)) continue;
      const updatedAt = (JSON.parse(window.localStorage.getItem(key) ?? "null") as { updatedAt?: unknown } | null)
        ?.updatedAt;
      if (typeof updatedAt !== "number" || now - updatedAt > maxAgeMs) stale.push(key);
    }
    for (const key of stale) window.localStorage.removeItem(key);
  } catch {
    // unreadable storage: nothing to prune
  }
}

export function useAutosave(options: {
  slug: string;
  promptId: number;
  storageKey: string;
  revision: number;
  payload: () => DraftPayload;
}) {
  const { slug, promptId, storageKey, revision } = options;
  const [status, setStatus] = useState<SaveStatus>({ kind: "idle" });
  const payloadRef = useRef(options.payload);
  payloadRef.current = options.payload;
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const inFlight = useRef(false);
  const inFlightDone = useRef<Promise<void> | null>(null);
  const attempt = useRef(0);
  const sentRevision = useRef(0);
  const revisionRef = useRef(revision);
  revisionRef.current = revision;
  const stopped = useRef(false);

  const clearTimer = useCallback(() => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
  }, []);

  const send = useCallback(async () => {
    clearTimer();
    if (stopped.current) return;
    if (inFlight.current) return; // the running save schedules the next one when it ends
    inFlight.current = true;
    let done = () => {};
    inFlightDone.current = new Promise<void>((resolve) => (done = resolve));
    const sending = revisionRef.current;
    setStatus({ kind: "saving" });
    try {
      const result = await saveDraft({ slug, promptId, payload: payloadRef.current() });
      if (stopped.current) return;
      attempt.current = 0;
      if (result.ok) {
        sentRevision.current = sending;
        setStatus({ kind: "saved", at: result.savedAt });
      } else {
        setStatus({ kind: "refused", message: result.message });
      }
    } catch {
      if (stopped.current) return;
      const delay = retryDelay(attempt.current);
      attempt.current += 1;
      setStatus({ kind: "retrying", attempt: attempt.current, retryAt: Date.now() + delay });
      timer.current = setTimeout(() => void send(), delay);
      return;
    } finally {
      inFlight.current = false;
      inFlightDone.current = null;
      done();
    }
    if (revisionRef.current > sentRevision.current && !stopped.current) {
      setStatus({ kind: "pending" });
      timer.current = setTimeout(() => void send(), AUTOSAVE_DELAY_MS);
    }
  }, [slug, promptId, clearTimer]);

  useEffect(() => {
    if (revision === 0 || stopped.current) return;
    writeLocalDraft(storageKey, payloadRef.current());
    if (inFlight.current) return;
    setStatus((previous) => (previous.kind === "retrying" ? previous : { kind: "pending" }));
    // While retrying, the retry timer stays: a new change does not reset the backoff.
    if (attempt.current > 0 && timer.current) return;
    clearTimer();
    timer.current = setTimeout(() => void send(), AUTOSAVE_DELAY_MS);
  }, [revision, storageKey, send, clearTimer]);

  useEffect(() => {
    const online = () => {
      if (attempt.current > 0) void send();
    };
    window.addEventListener("online", online);
    return () => {
      window.removeEventListener("online", online);
      clearTimer();
    };
  }, [send, clearTimer]);

  /** After a submit: no more saves for this prompt, and the browser's copy goes. */
  const stop = useCallback(() => {
    stopped.current = true;
    clearTimer();
    removeLocalDraft(storageKey);
  }, [storageKey, clearTimer]);

  /**
   * Before a submit: no save waiting, and the one under way (if any) finished — so no draft save
   * lands after the submit and holds the prompt again.
   */
  const settle = useCallback(async () => {
    clearTimer();
    await inFlightDone.current;
  }, [clearTimer]);

  /** After a refused submit: save what the last changes left unsaved. */
  const saveSoon = useCallback(() => {
    if (stopped.current || revisionRef.current <= sentRevision.current || inFlight.current) return;
    clearTimer();
    timer.current = setTimeout(() => void send(), AUTOSAVE_DELAY_MS);
  }, [send, clearTimer]);

  /** Save now (the retry button). */
  const retryNow = useCallback(() => {
    attempt.current = 0;
    void send();
  }, [send]);

  return { status, stop, retryNow, settle, saveSoon };
}
