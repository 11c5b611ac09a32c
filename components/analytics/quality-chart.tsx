"use client";
// How reviewers scored reasoning quality (1–5) per strategy: each strategy's labels as a 100% bar.
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { ScoreCount } from "@/lib/analytics/label-distributions";
import type { TrainingStrategy } from "@/lib/db/generated/enums";
import { STRATEGY_ORDER } from "@/components/ui/strategy-badge";

export const QUALITY_LABELS = ["1 very poor", "2 poor", "3 fair", "4 good", "5 excellent"] as const;
const QUALITY_COLOURS = ["#b91c1c", "#f97316", "#d4d4d8", "#86efac", "#15803d"] as const;

type Row = { strategy: TrainingStrategy; total: number } & Record<string, number | string>;

export function qualityRows(counts: readonly ScoreCount[]): Row[] {
  return STRATEGY_ORDER.filter((s) => counts.some((c) => c.strategy === s)).map((strategy) => {
    const mine = counts.filter((c) => c.strategy === strategy);
    const row: Row = { strategy, total: mine.reduce((sum, c) => sum + c.labels, 0) };
    for (const score of [1, 2, 3, 4, 5]) {
      const count = mine.find((c) => c.score === score);
      row[`q${score}`] = (count?.share ?? 0) * 100;
      row[`q${score}_labels`] = count?.labels ?? 0;
    }
    return row;
  });
}

export function QualityChart({ counts }: { counts: ScoreCount[] }) {
  const rows = qualityRows(counts);
  if (rows.length === 0) return <p className="text-sm text-zinc-500">No reasoning quality labels.</p>;
  return (
    <ResponsiveContainer width="100%" height={60 + rows.length * 44}>
      <BarChart data={rows} layout="vertical" margin={{ top: 0, right: 16, bottom: 0, left: 0 }}>
        <CartesianGrid horizontal={false} stroke="#e4e4e7" />
        <XAxis type="number" domain={[0, 100]} ticks={[0, 25, 50, 75, 100]} allowDataOverflow tickFormatter={(v: number) => `${v}%`} />
        <YAxis type="category" dataKey="strategy" width={64} tickLine={false} />
        <Tooltip
          formatter={(value: unknown, name: unknown, item: { payload?: Row; dataKey?: unknown }) => {
            const labels = item.payload?.[`${String(item.dataKey)}_labels`] ?? 0;
            return [`${Number(value).toFixed(1)}% (${String(labels)} labels)`, String(name)];
          }}
          cursor={{ fill: "#f4f4f5" }}
        />
        <Legend itemSorter={null} wrapperStyle={{ fontSize: 12 }} />
        {QUALITY_LABELS.map((label, i) => (
          <Bar key={label} dataKey={`q${i + 1}`} name={label} stackId="quality" fill={QUALITY_COLOURS[i]} isAnimationActive={false} />
        ))}
      </BarChart>
    </ResponsiveContainer>
  );
}
