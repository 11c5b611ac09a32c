// The empty state of the study list: how to get a first study in.
export function ImportHint() {
  return (
    <section
      aria-labelledby="empty-heading"
      className="rounded-xl border border-dashed border-zinc-300 bg-white px-8 py-12"
    >
      <h2 id="empty-heading" className="text-lg">
        No studies yet
      </h2>
      <p className="mt-2 max-w-prose text-zinc-600">
        A study holds the prompts, the checkpoints (SFT, RL, hybrid or base) and their responses that you want to
        compare. Import a JSONL or CSV file of responses from the command line to create one:
      </p>
      <pre className="mt-4 overflow-x-auto rounded-lg bg-zinc-900 px-4 py-3 text-sm text-zinc-100">
        <code>npm run parallax -- import FILE --study SLUG --create &quot;Name&quot;</code>
      </pre>
      <p className="mt-4 text-sm text-zinc-600">
        To look around first, start the app with <code className="rounded bg-zinc-100 px-1 py-0.5">npm run demo</code>:
        it loads a synthetic demo study.
      </p>
    </section>
  );
}
