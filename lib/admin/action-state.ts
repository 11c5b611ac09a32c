// What a form's server action answers: nothing yet, a refusal (with messages per field), or done
// (with a secret to show once, such as an invite link or an API token). Plain data: forms render it.

export interface OneTimeSecret {
  label: string;
  value: string;
  note: string;
}

export type ActionState =
  | { status: "idle" }
  | { status: "error"; message: string; fieldErrors?: Record<string, string>; values?: Record<string, string> }
  | { status: "done"; message: string; secret?: OneTimeSecret };

export const IDLE: ActionState = { status: "idle" };

/** A refusal; `values` gives the form back what was typed (React empties a form after its action). */
export function refused(
  message: string,
  fieldErrors?: Record<string, string>,
  values?: Record<string, string>,
): ActionState {
  return { status: "error", message, fieldErrors, values };
}

export function typedValue(state: ActionState, field: string): string | undefined {
  return state.status === "error" ? state.values?.[field] : undefined;
}
