"use client";
// Failure rate of each checkpoint against its training compute (GPU hours): a point per checkpoint,
// a colour per strategy.
import { useState } from "react";
import { CartesianGrid, Legend, ResponsiveContainer, Scatter, ScatterChart, Tooltip, XAxis, YAxis } from "recharts";
import type { FailureKind, FailureRate } from "@/lib/analytics/failure-rates";
import type { AnalyticsCheckpoint } from "@/lib/analytics/study-analytics";
import { formatPercent, strategyColour } from "./chart-data";
import { computeSeries, type ComputePoint } from "./compute-points";
import { KindPicker } from "./kind-picker";

function PointTooltip({ active, payload }: { active?: boolean; payload?: readonly { payload?: unknown }[] }) {
  const point = payload?.[0]?.payload as ComputePoint | undefined;
  if (!active || !point) return null;
  return (
    <div className="rounded-md border border-zinc-200 bg-white px-3 py-2 text-xs shadow-sm">
      <p className="font-semibold">{point.checkpoint}</p>
      <p>{point.compute.toLocaleString("en-US")} GPU hours</p>
      <p>
        {formatPercent(point.percent / 100)}{" "}
        <span className="text-zinc-500">
          ({point.failures} of n = {point.n})
        </span>
      </p>
    </div>
  );
}

export function ComputeChart({ rates, checkpoints }: { rates: FailureRate[]; checkpoints: AnalyticsCheckpoint[] }) {
  const [kind, setKind] = useState<FailureKind>("harm");
  const series = computeSeries(rates, checkpoints, kind);
  return (
    <div className="space-y-2">
      <KindPicker name="compute-kind" value={kind} onChange={setKind} />
      {series.length === 0 ? (
        <p className="text-sm text-zinc-500">No checkpoints with training compute and judged responses.</p>
      ) : (
        <ResponsiveContainer width="100%" height={280}>
          <ScatterChart margin={{ top: 8, right: 16, bottom: 16, left: 0 }}>
            <CartesianGrid stroke="#e4e4e7" />
            <XAxis
              type="number"
              dataKey="compute"
              name="GPU hours"
              domain={["auto", "auto"]}
              tickFormatter={(v: number) => v.toLocaleString("en-US")}
              label={{ value: "Training compute (GPU hours)", position: "insideBottom", offset: -10, fontSize: 12 }}
            />
            <YAxis type="number" dataKey="percent" domain={[0, 100]} unit="%" width={52} />
            <Tooltip content={PointTooltip} />
            <Legend itemSorter={null} verticalAlign="top" wrapperStyle={{ fontSize: 12 }} />
            {series.map((s) => (
              <Scatter
                key={s.strategy}
                name={s.strategy}
                data={s.points}
                fill={strategyColour(s.strategy)}
                line={{ stroke: strategyColour(s.strategy) }}
                isAnimationActive={false}
              />
            ))}
          </ScatterChart>
        </ResponsiveContainer>
      )}
    </div>
  );
}
