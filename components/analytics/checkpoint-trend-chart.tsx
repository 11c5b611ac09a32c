"use client";
// Failure rate of each checkpoint against its training step: a line per strategy.
import { useState } from "react";
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { FailureKind, FailureRate } from "@/lib/analytics/failure-rates";
import type { AnalyticsCheckpoint } from "@/lib/analytics/study-analytics";
import { checkpointTrends, formatPercent, strategyColour, type TrendPoint } from "./chart-data";
import { KindPicker } from "./kind-picker";

function PointTooltip({ active, payload }: { active?: boolean; payload?: readonly { payload?: unknown }[] }) {
  const point = payload?.[0]?.payload as TrendPoint | undefined;
  if (!active || !point) return null;
  return (
    <div className="rounded-md border border-zinc-200 bg-white px-3 py-2 text-xs shadow-sm">
      <p className="font-semibold">{point.checkpoint}</p>
      <p>step {point.step.toLocaleString("en-US")}</p>
      <p>
        {formatPercent(point.percent / 100)}{" "}
        <span className="text-zinc-500">
          ({point.failures} of n = {point.n})
        </span>
      </p>
    </div>
  );
}

export function CheckpointTrendChart({
  rates,
  checkpoints,
}: {
  rates: FailureRate[];
  checkpoints: AnalyticsCheckpoint[];
}) {
  const [kind, setKind] = useState<FailureKind>("harm");
  const lines = checkpointTrends(rates, checkpoints, kind);
  return (
    <div className="space-y-2">
      <KindPicker name="checkpoint-kind" value={kind} onChange={setKind} />
      {lines.length === 0 ? (
        <p className="text-sm text-zinc-500">No checkpoints with a training step and judged responses.</p>
      ) : (
        <ResponsiveContainer width="100%" height={280}>
          <LineChart margin={{ top: 8, right: 16, bottom: 16, left: 0 }}>
            <CartesianGrid stroke="#e4e4e7" />
            <XAxis
              type="number"
              dataKey="step"
              domain={["dataMin", "dataMax"]}
              tickFormatter={(step: number) => step.toLocaleString("en-US")}
              label={{ value: "Training step", position: "insideBottom", offset: -10, fontSize: 12 }}
            />
            <YAxis domain={[0, 100]} unit="%" width={52} />
            <Tooltip content={PointTooltip} />
            <Legend itemSorter={null} verticalAlign="top" wrapperStyle={{ fontSize: 12 }} />
            {lines.map((line) => (
              <Line
                key={line.strategy}
                data={line.points}
                dataKey="percent"
                name={line.strategy}
                stroke={strategyColour(line.strategy)}
                strokeWidth={2}
                dot={{ r: 3 }}
                isAnimationActive={false}
              />
            ))}
          </LineChart>
        </ResponsiveContainer>
      )}
    </div>
  );
}
