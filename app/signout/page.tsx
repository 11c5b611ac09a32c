import type { Metadata } from "next";
import Link from "next/link";
import { AuthPanel } from "@/components/auth/auth-panel";
import { SignOutButton } from "@/components/auth/sign-out-button";
import { primaryButton } from "@/components/ui/controls";
import { publicAccess } from "@/lib/auth/guard";

export const metadata: Metadata = { title: "Sign out" };

export default async function SignOutPage() {
  const user = await publicAccess("/signout");
  if (!user) {
    return (
      <AuthPanel title="You are signed out">
        <Link href="/signin" className={primaryButton}>
          Sign in
        </Link>
      </AuthPanel>
    );
  }
  return (
    <AuthPanel title="Sign out of Parallax?" subtitle={`You are signed in as ${user.email}.`}>
      <SignOutButton className={`${primaryButton} w-full`} />
    </AuthPanel>
  );
}
