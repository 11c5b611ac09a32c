// What the signals derive from a prompt (its language, its normalised text …), kept per prompt text:
// a study has far fewer prompts than responses, and a file's rows repeat each prompt once per
// checkpoint and sample, often a whole pass of the prompt list apart. Bounded by the characters
// of the prompts it holds, so memory stays flat on any file.
//
// Two parts: a settled part that keeps the first prompts seen until it is full and is then never
// cleared, and a small recent part that starts over whenever it fills. A file sorted by prompt hits
// the recent part; a file that cycles through more prompts than the cache holds (every prompt once
// per checkpoint) still hits the settled part for the prompts it holds. A cache that started over
// when full would miss every time on such a file: each prompt would be gone before it came back.
export class PromptCache<V> {
  private readonly settled = new Map<string, V>();
  private settledChars = 0;
  private recent = new Map<string, V>();
  private recentChars = 0;

  constructor(
    private readonly make: (prompt: string) => V,
    /**
     * Characters of prompt text kept, each entry counted 200 more for what it holds besides
     * (default 32 M: some 120,000 short prompts, about 30 MB); a tenth of it for the recent part.
     */
    private readonly maxChars = 32_000_000,
  ) {}

  get(prompt: string): V {
    let value = this.settled.get(prompt) ?? this.recent.get(prompt);
    if (value !== undefined) return value;
    value = this.make(prompt);
    const cost = prompt.length + 200;
    const recentLimit = Math.floor(this.maxChars / 10);
    if (this.settledChars + cost <= this.maxChars - recentLimit) {
      this.settled.set(prompt, value);
      this.settledChars += cost;
    } else {
      if (this.recentChars + cost > recentLimit) {
        this.recent = new Map();
        this.recentChars = 0;
      }
      this.recent.set(prompt, value);
      this.recentChars += cost;
    }
    return value;
  }
}
