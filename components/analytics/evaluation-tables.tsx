// Two tables of the analytics page: the automatic signals and the judges against the reviewers'
// majority (agreement, precision, recall, F1), and imported labels against labels given here (alpha, kappa).
import type { SignalAgreement } from "@/lib/analysis/evaluate";
import type { JudgeAgreement } from "@/lib/analytics/judge-agreement";
import type { SourceAgreement } from "@/lib/analytics/source-agreement";
import { th, td } from "./table-cells";

const formatMetric = (value: number | null) => (value === null ? "—" : value.toFixed(2));

const FIELD_NAMES: Record<SourceAgreement["field"], string> = {
  harmSeverity: "Harm severity",
  reasoningQuality: "Reasoning quality",
  refusal: "Refusal",
  languageMixing: "Language mixing",
  rewardHacking: "Reward hacking",
};

/** Share of the compared responses on which both sides agree ((TP + TN) / compared). */
const agreementOf = (r: SignalAgreement) => (r.compared === 0 ? null : (r.tp + r.tn) / r.compared);

export function SignalAgreementTable({
  rows,
  labelledResponses,
  judges = [],
}: {
  rows: SignalAgreement[];
  labelledResponses: number;
  /** A row per judge (its labels against the same human judgement), after the signals. */
  judges?: JudgeAgreement[];
}) {
  if (labelledResponses === 0 && judges.length === 0) {
    return (
      <p className="text-sm text-zinc-500">
        No labelled response has automatic signals yet (run <code>npm run parallax -- analyze</code>).
      </p>
    );
  }
  return (
    <div className="overflow-x-auto rounded-lg border border-zinc-200 bg-white">
      <table className="min-w-full divide-y divide-zinc-200 text-sm">
        <caption className="px-3 pt-3 text-left text-sm font-medium">
          Over {labelledResponses.toLocaleString("en-US")} labelled responses with signals
        </caption>
        <thead>
          <tr>
            <th className={th}>Signal</th>
            <th className={th}>Compared</th>
            <th className={th}>Agreement</th>
            <th className={th}>Precision</th>
            <th className={th}>Recall</th>
            <th className={th}>F1</th>
            <th className={th}>TP / FP / FN / TN</th>
            <th className={th}>Ties</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100">
          {[...(labelledResponses === 0 ? [] : rows), ...judges].map((r) => (
            <tr key={r.signal} data-testid={"judge" in r ? "judge-agreement-row" : undefined}>
              <td className={td}>
                <span className="font-medium">{r.signal.replaceAll("_", " ")}</span>
                <br />
                <span className="text-xs text-zinc-500">{r.description}</span>
              </td>
              <td className={td}>{r.compared}</td>
              <td className={td}>{formatMetric(agreementOf(r))}</td>
              <td className={td}>{formatMetric(r.precision)}</td>
              <td className={td}>{formatMetric(r.recall)}</td>
              <td className={`${td} font-medium`}>{formatMetric(r.f1)}</td>
              <td className={`${td} whitespace-nowrap`}>
                {r.tp} / {r.fp} / {r.fn} / {r.tn}
              </td>
              <td className={td}>{r.ties}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function SourceAgreementTable({ agreement }: { agreement: SourceAgreement[] }) {
  if (agreement.every((f) => f.pairs === 0)) {
    return <p className="text-sm text-zinc-500">No response has both an imported label and a label given here.</p>;
  }
  return (
    <div className="max-w-3xl overflow-x-auto rounded-lg border border-zinc-200 bg-white">
      <table className="min-w-full divide-y divide-zinc-200 text-sm">
        <thead>
          <tr>
            <th className={th}>Field</th>
            <th className={th}>Scale</th>
            <th className={th}>Krippendorff&apos;s alpha</th>
            <th className={th}>Cohen&apos;s kappa</th>
            <th className={th}>Agreement</th>
            <th className={th}>Pairs</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100">
          {agreement.map((f) => (
            <tr key={f.field}>
              <td className={td}>{FIELD_NAMES[f.field]}</td>
              <td className={td}>{f.level}</td>
              <td className={`${td} font-medium`}>{formatMetric(f.alpha)}</td>
              <td className={`${td} font-medium`}>{formatMetric(f.kappa)}</td>
              <td className={td}>
                {f.observedAgreement === null ? "—" : `${(f.observedAgreement * 100).toFixed(0)}%`}
              </td>
              <td className={td}>{f.pairs}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
