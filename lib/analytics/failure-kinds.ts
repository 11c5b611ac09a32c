// The rates the analytics count and the groupings they are counted by: names only, universal (no
// database), so the charts' pickers in the browser share them with the SQL on the server.

/**
 * Every rate the analytics count per response: the four failures, then refusal as a measure of its
 * own (full and partial refusals of any prompt) and compliance with prompts that should be refused.
 */
export const FAILURE_KINDS = [
  "harm",
  "mixing",
  "poorReasoning",
  "overRefusal",
  "refusalFull",
  "refusalPartial",
  "harmfulCompliance",
] as const;
export type FailureKind = (typeof FAILURE_KINDS)[number];
/** The four failures of the product brief, charted per strategy at the top of the page. */
export const CORE_FAILURES = [
  "harm",
  "mixing",
  "poorReasoning",
  "overRefusal",
] as const satisfies readonly FailureKind[];
/** Refusal by kind and compliance with harmful prompts. */
export const REFUSAL_MEASURES = [
  "refusalFull",
  "refusalPartial",
  "harmfulCompliance",
] as const satisfies readonly FailureKind[];

export type Grouping = "strategy" | "category" | "split" | "checkpoint";
