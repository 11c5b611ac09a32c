import type { Metadata } from "next";
import Link from "next/link";
import { AuthPanel } from "@/components/auth/auth-panel";
import { SetPasswordForm } from "@/components/auth/set-password-form";
import { publicAccess } from "@/lib/auth/guard";
import { findOpenInvite } from "@/lib/auth/invites";
import { MIN_PASSWORD_LENGTH } from "@/lib/auth/passwords";

export const metadata: Metadata = { title: "Choose your password", robots: { index: false } };

type Props = { params: Promise<{ token: string }> };

export default async function InvitePage({ params }: Props) {
  await publicAccess("/invite/[token]");
  const { token } = await params;
  const invite = await findOpenInvite(token);
  if (!invite) {
    return (
      <AuthPanel
        title="This link no longer works"
        subtitle="Invite links work once and for a week; a newer link replaces an older one."
      >
        <p className="text-sm text-zinc-600">
          Ask an admin for a new link, or sign in if you have already set your password.
        </p>
        <p className="mt-4">
          <Link href="/signin" className="font-medium">
            Sign in
          </Link>
        </p>
      </AuthPanel>
    );
  }
  return (
    <AuthPanel title="Choose your password" subtitle={`For ${invite.email}${invite.name ? ` (${invite.name})` : ""}.`}>
      <SetPasswordForm token={token} email={invite.email} minLength={MIN_PASSWORD_LENGTH} />
    </AuthPanel>
  );
}
