"use client";
// A label score's distribution per strategy (harm severity 0–3, reasoning quality 1–5): each
// strategy's labels as one 100% bar, a segment per score with its share and count in the tooltip.
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { ScoreCount } from "@/lib/analytics/label-distributions";
import type { TrainingStrategy } from "@/lib/db/generated/enums";
import { STRATEGY_ORDER } from "@/components/ui/strategy-badge";

type Row = { strategy: TrainingStrategy; total: number } & Record<string, number | string>;

export interface ScoreScale {
  /** Scores in display order, each with its legend label and colour. */
  scores: readonly { score: number; label: string; colour: string }[];
  /** What the chart says when there is nothing to draw. */
  empty: string;
}

export function scoreShareRows(counts: readonly ScoreCount[], scale: ScoreScale): Row[] {
  return STRATEGY_ORDER.filter((s) => counts.some((c) => c.strategy === s)).map((strategy) => {
    const mine = counts.filter((c) => c.strategy === strategy);
    const row: Row = { strategy, total: mine.reduce((sum, c) => sum + c.labels, 0) };
    for (const { score } of scale.scores) {
      const count = mine.find((c) => c.score === score);
      row[`s${score}`] = (count?.share ?? 0) * 100;
      row[`s${score}_labels`] = count?.labels ?? 0;
    }
    return row;
  });
}

export function ScoreShareChart({ counts, scale }: { counts: ScoreCount[]; scale: ScoreScale }) {
  const rows = scoreShareRows(counts, scale);
  if (rows.length === 0) return <p className="text-sm text-zinc-500">{scale.empty}</p>;
  return (
    <ResponsiveContainer width="100%" height={60 + rows.length * 44}>
      <BarChart data={rows} layout="vertical" margin={{ top: 0, right: 16, bottom: 0, left: 0 }}>
        <CartesianGrid horizontal={false} stroke="#e4e4e7" />
        <XAxis
          type="number"
          domain={[0, 100]}
          ticks={[0, 25, 50, 75, 100]}
          allowDataOverflow
          tickFormatter={(v: number) => `${v}%`}
        />
        <YAxis type="category" dataKey="strategy" width={64} tickLine={false} />
        <Tooltip
          formatter={(value: unknown, name: unknown, item: { payload?: Row; dataKey?: unknown }) => {
            const labels = item.payload?.[`${String(item.dataKey)}_labels`] ?? 0;
            return [`${Number(value).toFixed(1)}% (${String(labels)} labels)`, String(name)];
          }}
          cursor={{ fill: "#f4f4f5" }}
        />
        <Legend itemSorter={null} wrapperStyle={{ fontSize: 12 }} />
        {scale.scores.map(({ score, label, colour }) => (
          <Bar
            key={label}
            dataKey={`s${score}`}
            name={label}
            stackId="scores"
            fill={colour}
            isAnimationActive={false}
          />
        ))}
      </BarChart>
    </ResponsiveContainer>
  );
}
