// What the signals derive from a prompt (its language, its normalised text …), kept per prompt text:
// a study has far fewer prompts than responses, and a file's rows repeat each prompt once per
// checkpoint and sample, often a whole pass of the prompt list apart. Bounded by the characters
// of the prompts it holds, so memory stays flat on any file.
export class PromptCache<V> {
  private readonly entries = new Map<string, V>();
  private chars = 0;

  constructor(
    private readonly make: (prompt: string) => V,
    /**
     * Characters of prompt text kept before the cache starts over, each entry counted 200 more for
     * what it holds besides (default 12 M: some 40,000 short prompts, about 10 MB).
     */
    private readonly maxChars = 12_000_000,
  ) {}

  get(prompt: string): V {
    let value = this.entries.get(prompt);
    if (value === undefined) {
      if (this.chars + prompt.length > this.maxChars) {
        this.entries.clear();
        this.chars = 0;
      }
      value = this.make(prompt);
      this.entries.set(prompt, value);
      this.chars += prompt.length + 200;
    }
    return value;
  }
}
