// The mapping step's constant fields (every row gets FIELD = VALUE: `set`) and value rules (`derive`,
// one form row per rule, shown in the command line's syntax).
import { secondaryButton, smallButton } from "@/components/ui/controls";
import { MAPPABLE_FIELDS, type MappingForm, RULE_OPERATORS, type RuleRow, ruleText } from "@/lib/import/mapping-form";

const cell = "rounded border border-zinc-300 bg-white px-2 py-1 text-sm";

export function MappingFields({
  form,
  columns,
  onChange,
}: {
  form: MappingForm;
  columns: readonly string[];
  onChange: (form: MappingForm) => void;
}) {
  const setConstant = (i: number, patch: Partial<MappingForm["constants"][number]>) =>
    onChange({ ...form, constants: form.constants.map((c, j) => (j === i ? { ...c, ...patch } : c)) });
  const setRule = (i: number, patch: Partial<RuleRow>) =>
    onChange({ ...form, rules: form.rules.map((r, j) => (j === i ? { ...r, ...patch } : r)) });

  return (
    <div className="grid gap-6 md:grid-cols-2">
      <fieldset className="space-y-2">
        <legend className="text-sm font-medium text-zinc-800">Constant fields (every row)</legend>
        {form.constants.map((constant, i) => (
          <div key={i} className="flex flex-wrap items-center gap-2">
            <select
              aria-label={`Constant ${i + 1} field`}
              value={constant.field}
              onChange={(e) => setConstant(i, { field: e.target.value })}
              className={cell}
            >
              <option value="">field…</option>
              {MAPPABLE_FIELDS.map((field) => (
                <option key={field} value={field}>
                  {field}
                </option>
              ))}
            </select>
            <span aria-hidden>=</span>
            <input
              aria-label={constant.field ? `Constant ${constant.field}` : `Constant ${i + 1} value`}
              value={constant.value}
              onChange={(e) => setConstant(i, { value: e.target.value })}
              placeholder={constant.field === "strategy" ? "sft, rl, hybrid or base" : "value"}
              spellCheck={false}
              className={`${cell} font-mono`}
            />
            <button
              type="button"
              className={`${secondaryButton} ${smallButton}`}
              onClick={() => onChange({ ...form, constants: form.constants.filter((_, j) => j !== i) })}
            >
              Remove
            </button>
          </div>
        ))}
        <button
          type="button"
          className={`${secondaryButton} ${smallButton}`}
          onClick={() => onChange({ ...form, constants: [...form.constants, { field: "", value: "" }] })}
        >
          Add a constant
        </button>
      </fieldset>

      <fieldset className="space-y-2">
        <legend className="text-sm font-medium text-zinc-800">
          Value rules (FIELD = VALUE if COLUMN OP TEXT [else VALUE])
        </legend>
        {form.rules.map((rule, i) => (
          <div key={i} className="space-y-1 rounded border border-zinc-200 p-2">
            <div className="flex flex-wrap items-center gap-1.5">
              <select
                aria-label={`Rule ${i + 1} field`}
                value={rule.field}
                onChange={(e) => setRule(i, { field: e.target.value })}
                className={cell}
              >
                <option value="">field…</option>
                {MAPPABLE_FIELDS.map((field) => (
                  <option key={field} value={field}>
                    {field}
                  </option>
                ))}
              </select>
              =
              <input
                aria-label={`Rule ${i + 1} value`}
                value={rule.value}
                onChange={(e) => setRule(i, { value: e.target.value })}
                className={`${cell} w-28 font-mono`}
              />
              if
              <select
                aria-label={`Rule ${i + 1} column`}
                value={rule.column}
                onChange={(e) => setRule(i, { column: e.target.value })}
                className={cell}
              >
                <option value="">column…</option>
                {columns.map((column) => (
                  <option key={column} value={column}>
                    {column}
                  </option>
                ))}
              </select>
              <select
                aria-label={`Rule ${i + 1} comparison`}
                value={rule.operator}
                onChange={(e) => setRule(i, { operator: e.target.value as RuleRow["operator"] })}
                className={cell}
              >
                {RULE_OPERATORS.map((operator) => (
                  <option key={operator} value={operator}>
                    {operator}
                  </option>
                ))}
              </select>
              <input
                aria-label={`Rule ${i + 1} text`}
                value={rule.argument}
                onChange={(e) => setRule(i, { argument: e.target.value })}
                placeholder={rule.operator === "in" ? "a,b,c" : "text"}
                className={`${cell} w-28 font-mono`}
              />
              else
              <input
                aria-label={`Rule ${i + 1} otherwise`}
                value={rule.otherwise}
                onChange={(e) => setRule(i, { otherwise: e.target.value })}
                placeholder="(none)"
                className={`${cell} w-24 font-mono`}
              />
              <button
                type="button"
                className={`${secondaryButton} ${smallButton}`}
                onClick={() => onChange({ ...form, rules: form.rules.filter((_, j) => j !== i) })}
              >
                Remove
              </button>
            </div>
            {rule.field && rule.column ? (
              <code className="block text-xs text-zinc-600 wrap-anywhere">--derive &apos;{ruleText(rule)}&apos;</code>
            ) : null}
          </div>
        ))}
        <button
          type="button"
          className={`${secondaryButton} ${smallButton}`}
          onClick={() =>
            onChange({
              ...form,
              rules: [
                ...form.rules,
                { field: "", value: "", column: columns[0] ?? "", operator: "is", argument: "", otherwise: "" },
              ],
            })
          }
        >
          Add a value rule
        </button>
      </fieldset>
    </div>
  );
}
