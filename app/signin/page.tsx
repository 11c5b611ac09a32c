import type { Metadata } from "next";
import { AuthPanel } from "@/components/auth/auth-panel";
import { DemoAccountsHint } from "@/components/auth/demo-accounts-hint";
import { SignInForm } from "@/components/auth/sign-in-form";
import { safeCallbackPath } from "@/lib/auth/callback-url";
import { publicAccess } from "@/lib/auth/guard";
import { oauthProviderInfo } from "@/lib/auth/oauth-providers";
import { describeSignInError } from "@/lib/auth/sign-in-errors";
import { isDemoMode } from "@/lib/auth/users";

export const metadata: Metadata = { title: "Sign in" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

export default async function SignInPage({ searchParams }: Props) {
  const user = await publicAccess("/signin");
  const params = await searchParams;
  const notice = params.passwordSet
    ? "Your password is set. Sign in with it."
    : params.signedOut
      ? "You have signed out."
      : null;

  return (
    <AuthPanel title="Sign in to Parallax" subtitle="Compare SFT, RL and hybrid checkpoints with human labels.">
      {notice ? (
        <p
          role="status"
          className="mb-5 rounded-md border border-accent/30 bg-accent-soft px-3 py-2 text-sm text-accent-strong"
        >
          {notice}
        </p>
      ) : null}
      {user ? (
        <p className="mb-5 text-sm text-zinc-600">
          You are signed in as <strong className="font-medium text-zinc-900">{user.email}</strong>. Signing in again
          switches account.
        </p>
      ) : null}
      <SignInForm
        callbackPath={safeCallbackPath(params.callbackUrl, process.env.NEXTAUTH_URL)}
        initialError={describeSignInError(first(params.error))}
        providers={oauthProviderInfo()}
        email={first(params.email)?.slice(0, 254)}
      />
      {isDemoMode() ? (
        <DemoAccountsHint />
      ) : (
        <p className="mt-6 text-xs text-zinc-500">No account? An admin creates accounts and sends an invite link.</p>
      )}
    </AuthPanel>
  );
}
