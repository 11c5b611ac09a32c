"use client";
// Email + password through next-auth's credentials provider (it adds its CSRF token), and a button
// per configured single sign-on provider.
import { signIn } from "next-auth/react";
import { useState, type FormEvent } from "react";
import { inputClass, labelClass, primaryButton, secondaryButton } from "@/components/ui/controls";
import { describeSignInError } from "@/lib/auth/sign-in-errors";

interface Props {
  callbackPath: string;
  initialError: string | null;
  providers: { id: string; name: string }[];
  email?: string;
}

export function SignInForm({ callbackPath, initialError, providers, email = "" }: Props) {
  const [error, setError] = useState<string | null>(initialError);
  const [pending, setPending] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    try {
      const result = await signIn("credentials", {
        email: String(form.get("email") ?? ""),
        password: String(form.get("password") ?? ""),
        redirect: false,
        callbackUrl: callbackPath,
      });
      if (result?.ok && !result.error) {
        // A full load: the header and every server component render for the signed-in user.
        window.location.assign(callbackPath);
        return;
      }
      setError(describeSignInError(result?.error ?? "Unknown"));
    } catch {
      setError("Parallax did not answer. Check the connection and try again.");
    }
    setPending(false);
  }

  return (
    <div className="space-y-6">
      {error ? (
        <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
          {error}
        </p>
      ) : null}
      <form onSubmit={submit} className="space-y-4" aria-label="Sign in with email and password">
        <div>
          <label htmlFor="email" className={labelClass}>
            Email
          </label>
          <input
            id="email"
            name="email"
            type="email"
            autoComplete="username"
            required
            defaultValue={email}
            className={inputClass}
            autoFocus={!email}
          />
        </div>
        <div>
          <label htmlFor="password" className={labelClass}>
            Password
          </label>
          <input
            id="password"
            name="password"
            type="password"
            autoComplete="current-password"
            required
            maxLength={1024}
            className={inputClass}
            autoFocus={Boolean(email)}
          />
        </div>
        <button type="submit" className={`${primaryButton} w-full`} disabled={pending}>
          {pending ? "Signing in…" : "Sign in"}
        </button>
      </form>
      {providers.length > 0 ? (
        <div className="space-y-2 border-t border-zinc-200 pt-5">
          {providers.map((provider) => (
            <button
              key={provider.id}
              type="button"
              className={`${secondaryButton} w-full`}
              onClick={() => void signIn(provider.id, { callbackUrl: callbackPath })}
            >
              Sign in with {provider.name}
            </button>
          ))}
        </div>
      ) : null}
    </div>
  );
}
