import type { Metadata } from "next";
import { CreateTokenForm } from "@/components/admin/create-token-form";
import { TokenTable } from "@/components/admin/token-table";
import { listTokenOwners } from "@/lib/admin/users";
import { listApiTokens } from "@/lib/auth/api-tokens";
import { requireAccess } from "@/lib/auth/guard";

export const metadata: Metadata = { title: "API tokens" };

export default async function TokensPage() {
  const admin = await requireAccess("/admin/tokens");
  const [tokens, owners] = await Promise.all([listApiTokens(), listTokenOwners()]);
  return (
    <div className="space-y-10">
      <header>
        <h1 className="text-2xl">API tokens</h1>
        <p className="mt-1 max-w-prose text-zinc-600">
          For eval pipelines and scripts: send a token as{" "}
          <code className="rounded bg-zinc-100 px-1 py-0.5">Authorization: Bearer plx_…</code>. A token acts as its
          owner, with the owner&apos;s role, and stops working when revoked, expired, or when its owner is disabled.
          Check one with <code className="rounded bg-zinc-100 px-1 py-0.5">GET /api/v1/me</code>.
        </p>
      </header>
      <section aria-labelledby="new-token-heading" className="space-y-3">
        <h2 id="new-token-heading" className="text-lg">
          New token
        </h2>
        <CreateTokenForm owners={owners} defaultOwnerId={admin.id} />
      </section>
      <section aria-labelledby="tokens-heading" className="space-y-3">
        <h2 id="tokens-heading" className="text-lg">
          Tokens
        </h2>
        <TokenTable tokens={tokens} />
      </section>
    </div>
  );
}
