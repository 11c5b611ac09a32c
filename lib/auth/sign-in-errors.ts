// What the sign-in page says for each refusal. No server code here: the sign-in form (a client
// component) uses it too.

/** What the sign-in page says for a refused attempt, by the code next-auth passes back as `error`. */
export const SIGN_IN_ERROR_CODES = {
  invalid: "CredentialsSignin",
  rateLimited: "RateLimited",
} as const;

/** "RateLimited:120" carries the wait in seconds through next-auth's error redirect. */
export function rateLimitedError(retryAfterSeconds: number): string {
  return `${SIGN_IN_ERROR_CODES.rateLimited}:${Math.ceil(retryAfterSeconds)}`;
}

export function describeSignInError(error: string | null | undefined): string | null {
  if (!error) return null;
  if (error.startsWith(SIGN_IN_ERROR_CODES.rateLimited)) {
    const seconds = Number(error.split(":")[1]);
    const minutes = Number.isFinite(seconds) && seconds > 0 ? Math.ceil(seconds / 60) : 15;
    return `Too many sign-in attempts. Try again in ${minutes === 1 ? "a minute" : `${minutes} minutes`}.`;
  }
  switch (error) {
    case SIGN_IN_ERROR_CODES.invalid:
      return "Wrong email or password, or the account cannot sign in.";
    case "AccessDenied":
      return "This account cannot sign in here. Ask an admin to create or enable it.";
    case "SessionRequired":
      return "Sign in to continue.";
    case "OAuthSignin":
    case "OAuthCallback":
    case "OAuthAccountNotLinked":
    case "Callback":
      return "Signing in with that provider did not work. Try again, or use your email and password.";
    default:
      return "Signing in did not work. Try again.";
  }
}
