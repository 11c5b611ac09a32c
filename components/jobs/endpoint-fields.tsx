// The fields of an OpenAI-compatible endpoint in a run's form, shared by "Collect responses" and
// "Run a judge": model, base URL, the write-only API key, the form's own prompt field (children),
// the numeric sampling fields each form asks for, and streaming. Laid out in the form's 3-column grid.
import { inputClass, labelClass } from "@/components/ui/controls";

/** A numeric field: its request name, its label, its initial value. */
export type NumberField = readonly [name: string, label: string, value: string];

export function EndpointFields({
  idPrefix,
  modelPlaceholder,
  numbers,
  streamByDefault,
  children,
}: {
  /** Prefix of the fields' ids ("gen", "judge"): unique on the page. */
  idPrefix: string;
  modelPlaceholder: string;
  numbers: readonly NumberField[];
  streamByDefault: boolean;
  /** The form's prompt field (system prompt, judge instructions), after the key. */
  children?: React.ReactNode;
}) {
  return (
    <>
      <div>
        <label htmlFor={`${idPrefix}-model`} className={labelClass}>
          Model name at the endpoint
        </label>
        <input id={`${idPrefix}-model`} name="model" required className={inputClass} placeholder={modelPlaceholder} />
      </div>
      <div className="md:col-span-2">
        <label htmlFor={`${idPrefix}-base-url`} className={labelClass}>
          Base URL (OpenAI-compatible)
        </label>
        <input
          id={`${idPrefix}-base-url`}
          name="baseUrl"
          type="url"
          required
          className={inputClass}
          placeholder="http://localhost:8000/v1"
        />
      </div>
      <div>
        <label htmlFor={`${idPrefix}-api-key`} className={labelClass}>
          API key (stored encrypted, never shown again)
        </label>
        <input
          id={`${idPrefix}-api-key`}
          name="apiKey"
          type="password"
          autoComplete="off"
          className={inputClass}
          placeholder="leave empty to keep the stored one"
        />
      </div>
      {children}
      {numbers.map(([name, label, value]) => (
        <div key={name}>
          <label htmlFor={`${idPrefix}-${name}`} className={labelClass}>
            {label}
          </label>
          <input
            id={`${idPrefix}-${name}`}
            name={name}
            inputMode="decimal"
            defaultValue={value}
            className={inputClass}
          />
        </div>
      ))}
      <label className="flex items-center gap-2 text-sm text-zinc-800">
        <input type="checkbox" name="stream" defaultChecked={streamByDefault} /> Stream the answers
      </label>
    </>
  );
}
