"use client";
// Which failure kind a chart shows: a small set of radio buttons (local state, not part of the URL).
import type { FailureKind } from "@/lib/analytics/failure-rates";
import { FAILURE_KINDS } from "@/lib/analytics/failure-kinds";
import { FAILURE_KIND_INFO } from "./chart-data";

export function KindPicker({
  name,
  value,
  onChange,
}: {
  name: string;
  value: FailureKind;
  onChange: (kind: FailureKind) => void;
}) {
  return (
    <fieldset className="flex flex-wrap gap-1 text-xs">
      <legend className="sr-only">Failure</legend>
      {FAILURE_KINDS.map((kind) => (
        <label
          key={kind}
          className={`cursor-pointer rounded-md px-2 py-1 ring-1 ring-inset ${kind === value ? "bg-zinc-900 text-white ring-zinc-900" : "bg-white text-zinc-700 ring-zinc-300 hover:bg-zinc-50"}`}
        >
          <input
            type="radio"
            name={name}
            value={kind}
            checked={kind === value}
            onChange={() => onChange(kind)}
            className="sr-only"
          />
          {FAILURE_KIND_INFO[kind].short}
        </label>
      ))}
    </fieldset>
  );
}
