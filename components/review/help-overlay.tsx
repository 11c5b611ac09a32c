// The "?" overlay: every key of the workspace, read from the keymap's own table.
import { useRef } from "react";
import { secondaryButton, smallButton } from "@/components/ui/controls";
import { BINDINGS, BINDING_GROUPS } from "@/lib/review-screen/keymap";

export function HelpOverlay({ onClose }: { onClose: () => void }) {
  const close = useRef<HTMLButtonElement>(null);
  return (
    <div className="fixed inset-0 z-30 flex items-center justify-center bg-zinc-950/40 p-4" onMouseDown={onClose}>
      <div
        role="dialog"
        aria-modal="true"
        aria-labelledby="keys-heading"
        className="max-h-full w-full max-w-4xl overflow-y-auto rounded-xl bg-white p-6 shadow-xl"
        onMouseDown={(event) => event.stopPropagation()}
        onKeyDown={(event) => {
          // A modal keeps the keyboard: Close is its one control, so Tab stays on it.
          if (event.key === "Tab") {
            event.preventDefault();
            close.current?.focus();
          }
        }}
      >
        <div className="flex items-baseline justify-between gap-4">
          <h2 id="keys-heading" className="text-lg">
            Keyboard
          </h2>
          <p className="ml-auto text-xs text-zinc-500">
            A full label: e.g. <kbd>0</kbd> <kbd>c</kbd> <kbd>m</kbd> <kbd>q</kbd>
            <kbd>4</kbd> <kbd>→</kbd> · close with <kbd>Esc</kbd> or <kbd>?</kbd>
          </p>
          {/* Focus goes here when the overlay opens and stays (Tab included): Enter closes it too. */}
          <button ref={close} type="button" autoFocus onClick={onClose} className={`${secondaryButton} ${smallButton}`}>
            Close
          </button>
        </div>
        <div className="mt-4 grid gap-6 md:grid-cols-3">
          {BINDING_GROUPS.map((group) => (
            <section key={group} aria-label={group}>
              <h3 className="mb-2 text-sm text-zinc-700">{group}</h3>
              <table className="w-full text-xs">
                <tbody>
                  {BINDINGS.filter((b) => b.group === group).map((binding) => (
                    <tr
                      key={`${binding.after ?? ""}${binding.keys.join()}`}
                      className="border-t border-zinc-100 align-top"
                    >
                      <th scope="row" className="py-1 pr-2 text-left font-normal whitespace-nowrap">
                        {binding.after ? <span className="text-zinc-400">… </span> : null}
                        {binding.keys.map((key, i) =>
                          key.startsWith("then ") ? (
                            <span key={key} className="text-zinc-500">
                              {" "}
                              {key}{" "}
                            </span>
                          ) : (
                            <span key={key}>
                              {i > 0 && !binding.keys[i - 1]!.startsWith("then ") ? (
                                <span className="text-zinc-400"> / </span>
                              ) : null}
                              <kbd className="rounded border border-zinc-300 bg-zinc-50 px-1 font-mono">{key}</kbd>
                            </span>
                          ),
                        )}
                      </th>
                      <td className="py-1 text-zinc-700">{binding.does}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          ))}
        </div>
      </div>
    </div>
  );
}
