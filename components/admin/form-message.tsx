// A server action's answer under a form: the refusal, or what was done.
import type { ActionState } from "@/lib/admin/action-state";

export function FormMessage({ state }: { state: ActionState }) {
  if (state.status === "idle") return null;
  if (state.status === "error") {
    return (
      <p role="alert" className="text-sm text-red-700">
        {state.message}
      </p>
    );
  }
  return (
    <p role="status" className="text-sm text-accent-strong">
      {state.message}
    </p>
  );
}

export function FieldError({ state, field }: { state: ActionState; field: string }) {
  const message = state.status === "error" ? state.fieldErrors?.[field] : undefined;
  return message ? (
    <p id={`${field}-error`} className="mt-1 text-xs text-red-700">
      {message}
    </p>
  ) : null;
}
