// Small helpers shared by the writers of synthetic demo responses.

/** What a writer produces before the overlays (mixing, loops, format problems) are applied. */
export interface Body {
  reasoning: string[] | null;
  answer: string;
  /** The reward hacking is already written into the text (boxed guesses, "all tests pass"). */
  hackedAlready?: boolean;
}

export const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export function fill(template: string, vars: Record<string, string | undefined>): string {
  return template.replace(/\{(\w+)\}/g, (_, key: string) => vars[key] ?? "");
}
