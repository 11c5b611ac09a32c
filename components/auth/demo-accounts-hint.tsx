// On `npm run demo` only: the demo accounts, one per role, so that each view can be tried at once.
import { ROLE_INFO } from "@/components/ui/role-badge";
import { DEMO_PASSWORD, DEMO_SIGN_IN_ACCOUNTS } from "@/lib/demo/demo-credentials";

export function DemoAccountsHint() {
  return (
    <aside
      aria-label="Demo accounts"
      className="mt-6 rounded-lg border border-dashed border-zinc-300 bg-zinc-50 px-4 py-3 text-xs text-zinc-600"
    >
      <p className="font-medium text-zinc-800">
        Demo: password <code className="rounded bg-white px-1 py-0.5">{DEMO_PASSWORD}</code>
      </p>
      <ul className="mt-1 space-y-0.5">
        {DEMO_SIGN_IN_ACCOUNTS.map((account) => (
          <li key={account.email}>
            <code>{account.email}</code> — {ROLE_INFO[account.role].label.toLowerCase()}
          </li>
        ))}
      </ul>
    </aside>
  );
}
