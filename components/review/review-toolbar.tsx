"use client";
// The bar above the workspace: where you are, your and the study's progress, whether your work is
// saved, and the prompt's actions. Banners below it say what needs attention (a save that failed,
// gaps before submit, an error).
import Link from "next/link";
import { useEffect, useState } from "react";
import { primaryButton, secondaryButton, smallButton } from "@/components/ui/controls";
import { formatCount } from "@/components/ui/format";
import type { ReviewerProgress, ReviewItem } from "@/lib/review";
import type { ViewMode } from "./response-body";
import type { SubmitState } from "./review-workspace";
import type { SaveStatus } from "./use-autosave";

function MiniBar({ label, part, whole, explain }: { label: string; part: number; whole: number; explain: string }) {
  const share = whole === 0 ? 0 : Math.min(1, part / whole);
  return (
    <div className="w-24" title={`${label}: ${formatCount(part)} of ${formatCount(whole)}. ${explain}`}>
      <div className="flex justify-between text-[11px] text-zinc-600">
        <span>{label}</span>
        <span className="tabular-nums">
          {formatCount(part)}/{formatCount(whole)}
        </span>
      </div>
      <div
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={whole}
        aria-valuenow={part}
        className="mt-0.5 h-1.5 overflow-hidden rounded-full bg-zinc-200"
      >
        <div className="h-full rounded-full bg-accent" style={{ width: `${Math.round(share * 100)}%` }} />
      </div>
    </div>
  );
}

/** 42 s, 5 min 51 s, —. */
export function formatDuration(seconds: number | null): string {
  if (seconds === null) return "—";
  const whole = Math.round(seconds);
  return whole < 90 ? `${whole} s` : `${Math.floor(whole / 60)} min ${whole % 60} s`;
}

function useSecondsUntil(at: number | null): number | null {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (at === null) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [at]);
  return at === null ? null : Math.max(0, Math.ceil((at - now) / 1000));
}

function SaveIndicator({ status, restored }: { status: SaveStatus; restored: string | null }) {
  const text =
    status.kind === "idle"
      ? restored
        ? `Draft restored from ${restored}`
        : "No changes yet"
      : status.kind === "pending"
        ? "Saved in this browser…"
        : status.kind === "saving"
          ? "Saving…"
          : status.kind === "saved"
            ? `Draft saved ${new Date(status.at).toISOString().slice(11, 19)} UTC`
            : status.kind === "retrying"
              ? "Not saved yet"
              : "Draft kept in this browser only";
  const shown =
    restored && status.kind !== "idle"
      ? `Restored from ${restored} · ${text.charAt(0).toLowerCase()}${text.slice(1)}`
      : text;
  const tone =
    status.kind === "retrying" || status.kind === "refused"
      ? "text-red-700"
      : status.kind === "saved"
        ? "text-emerald-700"
        : "text-zinc-500";
  return (
    <p role="status" className={`max-w-40 text-xs leading-tight ${tone}`}>
      {shown}
    </p>
  );
}

export interface ReviewToolbarProps {
  study: ReviewItem["study"];
  promptId: number;
  /** The prompt submitted just before in this tab, to go back and change it. */
  lastSubmitted: number | null;
  progress: ReviewerProgress;
  saveStatus: SaveStatus;
  restored: string | null;
  submitState: SubmitState;
  prefix: string | null;
  view: ViewMode;
  allReasoningOpen: boolean;
  onSubmit: () => void;
  onSkip: () => void;
  onHelp: () => void;
  onRetrySave: () => void;
  onToggleView: () => void;
  onToggleAllReasoning: () => void;
  onDismiss: () => void;
}

export function ReviewToolbar(props: ReviewToolbarProps) {
  const {
    study,
    promptId,
    lastSubmitted,
    progress,
    saveStatus,
    restored,
    submitState,
    prefix,
    view,
    allReasoningOpen,
  } = props;
  const saveRetryIn = useSecondsUntil(saveStatus.kind === "retrying" ? saveStatus.retryAt : null);
  const submitRetryIn = useSecondsUntil(submitState.kind === "retrying" ? submitState.retryAt : null);
  const median = progress.medianSecondsPerItem;
  return (
    <div className="relative shrink-0 border-b border-zinc-200 bg-white">
      <div className="flex flex-wrap items-center gap-x-4 gap-y-2 px-4 py-1.5">
        <div className="min-w-0">
          <nav aria-label="Breadcrumb" className="text-xs text-zinc-500">
            <Link href="/" className="text-zinc-500 hover:text-zinc-900">
              Studies
            </Link>{" "}
            /{" "}
            <Link href={`/studies/${study.slug}`} className="font-mono text-zinc-500 hover:text-zinc-900">
              {study.slug}
            </Link>{" "}
            / <span aria-current="page">Review</span> ·{" "}
            <Link href={`/studies/${study.slug}/labels`} className="text-zinc-500 hover:text-zinc-900">
              My labels
            </Link>
            {lastSubmitted !== null ? (
              <>
                {" "}
                ·{" "}
                <Link
                  href={`/studies/${study.slug}/review?prompt=${lastSubmitted}`}
                  className="text-zinc-500 hover:text-zinc-900"
                >
                  ↶ Last submitted: #{lastSubmitted}
                </Link>
              </>
            ) : null}
          </nav>
          <h1 className="flex max-w-[24rem] gap-1 text-base whitespace-nowrap" title={study.name}>
            <span className="truncate">{study.name}</span>{" "}
            <span className="font-normal text-zinc-500">· prompt #{promptId}</span>
          </h1>
        </div>
        <div className="flex items-center gap-3">
          {/* "Yours" counts down as well as up: a prompt that gets all its reviewers from others leaves your total. */}
          <MiniBar
            label="Yours"
            part={progress.promptsDone}
            whole={progress.promptsTotalForYou}
            explain="Prompts you labelled, of those you label or can still take; a prompt that gets all its reviewers from others leaves the total."
          />
          <MiniBar
            label="Study"
            part={progress.studyPromptsComplete}
            whole={progress.studyPrompts}
            explain="Prompts with all the reviewers they need."
          />
          <p className="text-[11px] leading-tight text-zinc-600">
            Median
            <br />
            <span className="tabular-nums">{formatDuration(median)}</span> per prompt
          </p>
        </div>
        <SaveIndicator status={saveStatus} restored={restored} />
        <div className="ml-auto flex flex-wrap items-center gap-1.5">
          <button
            type="button"
            className={`${secondaryButton} ${smallButton}`}
            onClick={props.onToggleAllReasoning}
            aria-pressed={allReasoningOpen}
            title="Show or hide every reasoning (Shift+E)"
          >
            Reasoning {allReasoningOpen ? "▾" : "▸"} <kbd className="font-mono text-zinc-400">⇧E</kbd>
          </button>
          <button
            type="button"
            className={`${secondaryButton} ${smallButton}`}
            onClick={props.onToggleView}
            aria-pressed={view === "plain"}
            title="t"
          >
            {view === "plain" ? "Plain text" : "Markdown"} <kbd className="font-mono text-zinc-400">t</kbd>
          </button>
          <button type="button" className={`${secondaryButton} ${smallButton}`} onClick={props.onHelp}>
            Keys <kbd className="font-mono text-zinc-400">?</kbd>
          </button>
          <button type="button" className={`${secondaryButton} ${smallButton}`} onClick={props.onSkip}>
            Skip <kbd className="font-mono text-zinc-400">⇧S</kbd>
          </button>
          <button
            type="button"
            className={`${primaryButton} ${smallButton}`}
            onClick={props.onSubmit}
            disabled={submitState.kind === "submitting"}
          >
            {submitState.kind === "submitting" ? "Submitting…" : "Submit & next"}{" "}
            <kbd className="font-mono text-white/70">Ctrl+↵</kbd>
          </button>
        </div>
      </div>
      {prefix ? (
        // Over the prompt, not above it: q, f and g come several times a minute, and a line pushed
        // in and out each time made the whole workspace jump.
        <p
          role="status"
          className="absolute inset-x-0 top-full z-20 border-y border-amber-200 bg-amber-50 px-4 py-1 text-xs text-amber-900 shadow-xs"
        >
          {prefix} · Esc to cancel
        </p>
      ) : null}
      {saveStatus.kind === "retrying" ? (
        <div
          role="alert"
          className="flex items-center gap-3 border-t border-red-200 bg-red-50 px-4 py-1.5 text-sm text-red-900"
        >
          <strong>Not saved yet — retrying</strong>
          <span>
            {saveRetryIn ? `in ${saveRetryIn} s` : "now"} (attempt {saveStatus.attempt}). The server did not answer;
            your labels are kept in this browser and nothing is lost.
          </span>
          <button type="button" className={`${secondaryButton} ${smallButton} ml-auto`} onClick={props.onRetrySave}>
            Retry now
          </button>
        </div>
      ) : null}
      {saveStatus.kind === "refused" ? (
        <div role="alert" className="border-t border-red-200 bg-red-50 px-4 py-1.5 text-sm text-red-900">
          The server refused the draft ({saveStatus.message}). It is kept in this browser.
        </div>
      ) : null}
      {submitState.kind === "confirm" ? (
        <div
          role="alert"
          className="flex flex-wrap items-center gap-3 border-t border-amber-200 bg-amber-50 px-4 py-1.5 text-sm text-amber-950"
        >
          <span>
            Not complete: {submitState.missing.map((m) => `${m.letter} (${m.fields.join(", ")})`).join("; ")}. Press{" "}
            <kbd>Ctrl+Enter</kbd> again to submit anyway, or Esc.
          </span>
          <button type="button" className={`${primaryButton} ${smallButton}`} onClick={props.onSubmit}>
            Submit anyway
          </button>
        </div>
      ) : null}
      {submitState.kind === "retrying" ? (
        <div role="alert" className="border-t border-red-200 bg-red-50 px-4 py-1.5 text-sm text-red-900">
          <strong>Not submitted yet — retrying</strong> {submitRetryIn ? `in ${submitRetryIn} s` : "now"} (attempt{" "}
          {submitState.attempt}). The server did not answer; your labels are kept in this browser.
        </div>
      ) : null}
      {submitState.kind === "error" ? (
        <div
          role="alert"
          className="flex items-center gap-3 border-t border-red-200 bg-red-50 px-4 py-1.5 text-sm text-red-900"
        >
          <span>{submitState.message}</span>
          <button type="button" className={`${secondaryButton} ${smallButton} ml-auto`} onClick={props.onDismiss}>
            Dismiss
          </button>
        </div>
      ) : null}
    </div>
  );
}
