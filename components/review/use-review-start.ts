"use client";
// Where the review workspace starts: the server's draft (or the submitted labels) for the server
// render and the first client render, then — once mounted — the browser's copy when it is newer;
// the time already spent on the prompt, and the prompt submitted last (for "back").
import { useCallback, useEffect, useReducer, useRef, useState } from "react";
import type { ReviewItem } from "@/lib/review";
import { parseDraft, startingPoint } from "./drafts";
import { initialLabelState, labelReducer } from "./label-state";
import { pruneLocalDrafts, readLocalDraft } from "./use-autosave";
import { lastSubmittedKey } from "./use-review-submit";

export function useReviewStart(item: ReviewItem, userId: number, responseIds: number[], storageKey: string) {
  const { study, prompt } = item;
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
  const [lastSubmitted, setLastSubmitted] = useState<number | null>(null);
  const elapsedBefore = useRef(start.elapsedMs);
  const openedAt = useRef(0);

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
  }, []);

  const elapsedMs = useCallback(
    () => elapsedBefore.current + (openedAt.current ? performance.now() - openedAt.current : 0),
    [],
  );
  return { labels, dispatch, restored, lastSubmitted, elapsedMs };
}
