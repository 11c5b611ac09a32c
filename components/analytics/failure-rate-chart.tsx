"use client";
// One failure kind's rate per training strategy: a bar per strategy with its 95% Wilson interval
// as an error bar, and n under the strategy on the axis (above the bar it would collide with the whisker).
import { Bar, BarChart, CartesianGrid, Cell, ErrorBar, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatPercent, strategyColour, type RateBar } from "./chart-data";

export function RateTooltip({ active, payload }: { active?: boolean; payload?: readonly { payload?: unknown }[] }) {
  const bar = payload?.[0]?.payload as RateBar | undefined;
  if (!active || !bar) return null;
  return (
    <div className="rounded-md border border-zinc-200 bg-white px-3 py-2 text-xs shadow-sm">
      <p className="font-semibold">{bar.strategy}</p>
      <p>
        {formatPercent(bar.rate)}{" "}
        <span className="text-zinc-500">
          (95% CI {formatPercent(bar.lower)}–{formatPercent(bar.upper)})
        </span>
      </p>
      <p className="text-zinc-500">
        {bar.failures} of n = {bar.n}
      </p>
    </div>
  );
}

/** The strategy with its n on a second line. */
function StrategyTick({
  x,
  y,
  payload,
  nOf,
}: {
  x?: number | string;
  y?: number | string;
  payload?: { value?: unknown };
  nOf: Map<string, number>;
}) {
  const strategy = String(payload?.value ?? "");
  return (
    <g transform={`translate(${Number(x ?? 0)},${Number(y ?? 0)})`} className="strategy-tick">
      <text textAnchor="middle" dy={12} fontSize={12} fill="#3f3f46">
        {strategy}
      </text>
      <text textAnchor="middle" dy={27} fontSize={11} fill="#71717a">
        n={nOf.get(strategy) ?? 0}
      </text>
    </g>
  );
}

export function FailureRateChart({ bars }: { bars: RateBar[] }) {
  const nOf = new Map(bars.map((bar) => [bar.strategy as string, bar.n]));
  return (
    <ResponsiveContainer width="100%" height={240}>
      <BarChart data={bars} margin={{ top: 12, right: 8, bottom: 4, left: 0 }}>
        <CartesianGrid vertical={false} stroke="#e4e4e7" />
        <XAxis dataKey="strategy" tickLine={false} height={40} tick={<StrategyTick nOf={nOf} />} />
        <YAxis domain={[0, 100]} unit="%" width={52} tickLine={false} />
        <Tooltip content={RateTooltip} cursor={{ fill: "#f4f4f5" }} />
        <Bar dataKey="percent" isAnimationActive={false} maxBarSize={56}>
          {bars.map((bar) => (
            <Cell key={bar.strategy} fill={strategyColour(bar.strategy)} />
          ))}
          <ErrorBar dataKey="interval" isAnimationActive={false} width={8} stroke="#18181b" strokeWidth={1.5} />
        </Bar>
      </BarChart>
    </ResponsiveContainer>
  );
}
