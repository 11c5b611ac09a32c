"use client";
// Failure rate per prompt category (or split), one bar per strategy in each group, with intervals.
import { useState } from "react";
import { Bar, BarChart, CartesianGrid, ErrorBar, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { FailureKind, FailureRate } from "@/lib/analytics/failure-rates";
import { formatPercent, groupedRows, strategyColour, type GroupRow } from "./chart-data";
import { KindPicker } from "./kind-picker";

function GroupTooltip({
  active,
  payload,
  label,
}: {
  active?: boolean;
  payload?: readonly { dataKey?: unknown; payload?: unknown }[];
  label?: unknown;
}) {
  const row = payload?.[0]?.payload as GroupRow | undefined;
  if (!active || !row || !payload) return null;
  return (
    <div className="rounded-md border border-zinc-200 bg-white px-3 py-2 text-xs shadow-sm">
      <p className="font-semibold">{String(label)}</p>
      {payload.map((item) => {
        const strategy = String(item.dataKey).replace(/_percent$/, "");
        const n = Number(row[`${strategy}_n`] ?? 0);
        return (
          <p key={strategy}>
            {strategy}: {formatPercent(Number(row[`${strategy}_percent`] ?? 0) / 100)}{" "}
            <span className="text-zinc-500">
              ({String(row[`${strategy}_failures`] ?? 0)} of n = {n})
            </span>
          </p>
        );
      })}
    </div>
  );
}

export function GroupedRateChart({ rates, name }: { rates: FailureRate[]; name: string }) {
  const [kind, setKind] = useState<FailureKind>("harm");
  const { rows, strategies } = groupedRows(rates, kind);
  return (
    <div className="space-y-2">
      <KindPicker name={name} value={kind} onChange={setKind} />
      {rows.length === 0 ? (
        <p className="text-sm text-zinc-500">No judged responses for this failure.</p>
      ) : (
        <ResponsiveContainer width="100%" height={280}>
          <BarChart data={rows} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
            <CartesianGrid vertical={false} stroke="#e4e4e7" />
            <XAxis dataKey="group" tickLine={false} interval={0} tick={{ fontSize: 11 }} />
            <YAxis domain={[0, 100]} unit="%" width={52} tickLine={false} />
            <Tooltip content={GroupTooltip} cursor={{ fill: "#f4f4f5" }} />
            <Legend itemSorter={null} wrapperStyle={{ fontSize: 12 }} />
            {strategies.map((strategy) => (
              <Bar
                key={strategy}
                dataKey={`${strategy}_percent`}
                name={strategy}
                fill={strategyColour(strategy)}
                isAnimationActive={false}
                maxBarSize={28}
              >
                <ErrorBar
                  dataKey={`${strategy}_interval`}
                  isAnimationActive={false}
                  width={4}
                  stroke="#18181b"
                  strokeWidth={1}
                />
              </Bar>
            ))}
          </BarChart>
        </ResponsiveContainer>
      )}
    </div>
  );
}
