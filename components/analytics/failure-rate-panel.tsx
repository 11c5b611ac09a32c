// One failure kind's chart with its numbers written out below (rate, interval, n per strategy),
// so the figures can be read without hovering and by screen readers.
import type { FailureKind, FailureRate } from "@/lib/analytics/failure-rates";
import { StrategyBadge } from "@/components/ui/strategy-badge";
import { FAILURE_KIND_INFO, formatPercent, rateBars } from "./chart-data";
import { FailureRateChart } from "./failure-rate-chart";

export function FailureRatePanel({ kind, rates }: { kind: FailureKind; rates: FailureRate[] }) {
  const bars = rateBars(rates, kind);
  const id = `rate-${kind}`;
  return (
    <figure aria-labelledby={id} className="rounded-lg border border-zinc-200 bg-white p-4">
      <h3 id={id} className="text-base font-semibold">
        {FAILURE_KIND_INFO[kind].title}
      </h3>
      {bars.length === 0 ? (
        <p className="py-8 text-sm text-zinc-500">No judged responses.</p>
      ) : (
        <FailureRateChart bars={bars} />
      )}
      <figcaption>
        <ul className="mt-2 space-y-1 text-sm">
          {bars.map((bar) => (
            <li key={bar.strategy} className="flex flex-wrap items-center gap-x-2 tabular-nums">
              <StrategyBadge strategy={bar.strategy} />
              <span className="font-medium">{formatPercent(bar.rate)}</span>
              <span className="text-zinc-500">
                95% CI {formatPercent(bar.lower)}–{formatPercent(bar.upper)}
              </span>
              <span className="text-zinc-500">
                {bar.failures} of n = {bar.n}
              </span>
            </li>
          ))}
        </ul>
      </figcaption>
    </figure>
  );
}
