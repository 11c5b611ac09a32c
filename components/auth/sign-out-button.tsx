"use client";
// Signs out through next-auth (POST with its CSRF token), then opens the sign-in page.
import { signOut } from "next-auth/react";
import { useState } from "react";

export function SignOutButton({
  className,
  children = "Sign out",
}: {
  className?: string;
  children?: React.ReactNode;
}) {
  const [pending, setPending] = useState(false);
  return (
    <button
      type="button"
      className={className}
      disabled={pending}
      onClick={async () => {
        setPending(true);
        try {
          await signOut({ redirect: false });
        } finally {
          // A full load, so that nothing rendered for the signed-in user stays on screen.
          window.location.assign("/signin?signedOut=1");
        }
      }}
    >
      {pending ? "Signing out…" : children}
    </button>
  );
}
