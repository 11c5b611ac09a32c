// The two tables of the analytics page: which strategy differences are significant (Holm), and how
// well reviewers agree (alpha per field, kappa per pair).
import type { FieldAgreement } from "@/lib/analytics/reviewer-agreement";
import type { StrategyComparison } from "@/lib/analytics/paired-comparisons";
import { StrategyBadge } from "@/components/ui/strategy-badge";
import { FAILURE_KIND_INFO, formatPercent } from "./chart-data";
import { th, td, formatP } from "./table-cells";

const formatCoefficient = (value: number | null) => (value === null ? "—" : value.toFixed(3));
/** "0.712 [0.650, 0.768]": a coefficient with its 95% bootstrap interval, three decimals. */
const withInterval = (value: number | null, lower: number | null, upper: number | null) =>
  value === null
    ? "—"
    : lower === null || upper === null
      ? formatCoefficient(value)
      : `${formatCoefficient(value)} [${formatCoefficient(lower)}, ${formatCoefficient(upper)}]`;

export function SignificanceTable({ differences }: { differences: StrategyComparison[] }) {
  if (differences.length === 0)
    return (
      <p className="text-sm text-zinc-500">Fewer than two strategies with judged responses: nothing to compare.</p>
    );
  return (
    <div className="overflow-x-auto rounded-lg border border-zinc-200 bg-white">
      <table className="min-w-full divide-y divide-zinc-200 text-sm">
        <thead>
          <tr>
            <th className={th}>Failure</th>
            <th className={th}>Comparison</th>
            <th className={th}>Rates</th>
            <th className={th}>Difference</th>
            <th className={th}>Test</th>
            <th className={th}>p</th>
            <th className={th}>p (Holm)</th>
            <th className={th}>Significant</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100">
          {differences.map((d) => (
            <tr key={`${d.kind}-${d.a}-${d.b}`} className={d.significant ? "bg-amber-50/60" : undefined}>
              <td className={td}>{FAILURE_KIND_INFO[d.kind].short}</td>
              <td className={`${td} whitespace-nowrap`}>
                <StrategyBadge strategy={d.a} /> vs <StrategyBadge strategy={d.b} />
              </td>
              <td className={`${td} whitespace-nowrap`}>
                {formatPercent(d.rateA)} (n = {d.nA}) vs {formatPercent(d.rateB)} (n = {d.nB})
              </td>
              <td className={`${td} whitespace-nowrap`}>
                {d.difference > 0 ? "+" : ""}
                {(d.difference * 100).toFixed(1)} pts
              </td>
              <td className={td}>{d.test}</td>
              <td className={`${td} whitespace-nowrap`}>{formatP(d.pValue)}</td>
              <td className={`${td} whitespace-nowrap`}>{formatP(d.adjustedP)}</td>
              <td className={`${td} font-medium`}>{d.significant ? "yes" : "no"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const FIELD_LABELS: Record<FieldAgreement["field"], string> = {
  harmSeverity: "Harm severity",
  reasoningQuality: "Reasoning quality",
  refusal: "Refusal",
  languageMixing: "Language mixing",
  rewardHacking: "Reward hacking",
};

export function AgreementTables({
  agreement,
  reviewers,
  checkpoints,
}: {
  agreement: FieldAgreement[];
  reviewers: { id: number; email: string }[];
  checkpoints: { id: number; name: string }[];
}) {
  const email = new Map(reviewers.map((r) => [r.id, r.email]));
  const checkpointName = new Map(checkpoints.map((c) => [c.id, c.name]));
  const checkpointIds = [...new Set(agreement.flatMap((f) => f.byCheckpoint.map((c) => c.checkpointId)))].sort(
    (a, b) => a - b,
  );
  const name = (id: number) => email.get(id) ?? `reviewer ${id}`;
  const pairs = [
    ...new Map(agreement.flatMap((f) => f.pairs).map((p) => [`${p.reviewerA}:${p.reviewerB}`, p])).values(),
  ];
  return (
    <div className="space-y-6">
      <div className="max-w-2xl overflow-x-auto rounded-lg border border-zinc-200 bg-white">
        <table className="min-w-full divide-y divide-zinc-200 text-sm">
          <caption className="px-3 pt-3 text-left text-sm font-medium">Krippendorff&apos;s alpha per field</caption>
          <thead>
            <tr>
              <th className={th}>Field</th>
              <th className={th}>Scale</th>
              <th className={th}>Alpha [95% CI]</th>
              <th className={th}>Values</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100">
            {agreement.map((f) => (
              <tr key={f.field}>
                <td className={td}>{FIELD_LABELS[f.field]}</td>
                <td className={td}>{f.level}</td>
                <td className={`${td} font-medium whitespace-nowrap`}>
                  {withInterval(f.alpha, f.alphaLower, f.alphaUpper)}
                </td>
                <td className={td}>{f.values}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="overflow-x-auto rounded-lg border border-zinc-200 bg-white">
        <table className="min-w-full divide-y divide-zinc-200 text-sm">
          <caption className="px-3 pt-3 text-left text-sm font-medium">Cohen&apos;s kappa per reviewer pair</caption>
          <thead>
            <tr>
              <th className={th}>Reviewers</th>
              {agreement.map((f) => (
                <th key={f.field} className={th}>
                  {FIELD_LABELS[f.field]}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100">
            {pairs.length === 0 ? (
              <tr>
                <td className={`${td} text-zinc-500`} colSpan={agreement.length + 1}>
                  No response was labelled by two reviewers.
                </td>
              </tr>
            ) : (
              pairs.map((p) => (
                <tr key={`${p.reviewerA}:${p.reviewerB}`}>
                  <td className={`${td} text-xs`}>
                    {name(p.reviewerA)}
                    <br />
                    {name(p.reviewerB)}
                  </td>
                  {agreement.map((f) => {
                    const pair = f.pairs.find((q) => q.reviewerA === p.reviewerA && q.reviewerB === p.reviewerB);
                    return (
                      <td key={f.field} className={td} title={pair ? `n = ${pair.n}` : undefined}>
                        {pair ? withInterval(pair.kappa, pair.kappaLower, pair.kappaUpper) : "—"}
                        {pair ? <span className="block text-xs text-zinc-500">n = {pair.n}</span> : null}
                      </td>
                    );
                  })}
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
      {checkpointIds.length > 0 ? (
        <div className="overflow-x-auto rounded-lg border border-zinc-200 bg-white">
          <table className="min-w-full divide-y divide-zinc-200 text-sm">
            <caption className="px-3 pt-3 text-left text-sm font-medium">
              Krippendorff&apos;s alpha per checkpoint
            </caption>
            <thead>
              <tr>
                <th className={th}>Checkpoint</th>
                {agreement.map((f) => (
                  <th key={f.field} className={th}>
                    {FIELD_LABELS[f.field]}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100">
              {checkpointIds.map((id) => (
                <tr key={id}>
                  <th scope="row" className={`${td} text-left font-normal`}>
                    {checkpointName.get(id) ?? `checkpoint ${id}`}
                  </th>
                  {agreement.map((f) => {
                    const scope = f.byCheckpoint.find((c) => c.checkpointId === id);
                    return (
                      <td key={f.field} className={`${td} whitespace-nowrap`}>
                        {scope ? withInterval(scope.alpha, scope.alphaLower, scope.alphaUpper) : "—"}
                        {scope ? <span className="block text-xs text-zinc-500">values = {scope.values}</span> : null}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </div>
  );
}
