"use client";
// Which responses show their reasoning unfolded: one at a time, or all at once — the latter
// remembered in this browser for the next prompts.
import { useCallback, useEffect, useState } from "react";

const REASONING_OPEN_KEY = "parallax:review:reasoning-open";

export function useReasoningOpen(responseIds: number[]) {
  const [reasoningOpen, setReasoningOpen] = useState<Record<number, boolean>>({});

  // biome-ignore lint/correctness/useExhaustiveDependencies: runs once, on mount (the workspace is keyed by prompt id)
  useEffect(() => {
    try {
      if (window.localStorage.getItem(REASONING_OPEN_KEY) === "1")
        setReasoningOpen(Object.fromEntries(responseIds.map((id) => [id, true])));
    } catch {
      // no storage: reasoning starts folded
    }
  }, []);

  const toggleReasoning = useCallback((id: number) => setReasoningOpen((open) => ({ ...open, [id]: !open[id] })), []);
  const allReasoningOpen = responseIds.every((id) => reasoningOpen[id]);
  const toggleAllReasoning = useCallback(() => {
    const open = !responseIds.every((id) => reasoningOpen[id]);
    setReasoningOpen(Object.fromEntries(responseIds.map((id) => [id, open])));
    try {
      window.localStorage.setItem(REASONING_OPEN_KEY, open ? "1" : "0");
    } catch {
      // remembered for this page only
    }
  }, [reasoningOpen, responseIds]);

  return { reasoningOpen, allReasoningOpen, toggleReasoning, toggleAllReasoning };
}
