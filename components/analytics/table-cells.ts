// The analytics tables' shared cell styles and p-value format, so every table reads alike.
export const th = "px-3 py-2 text-left text-xs font-medium uppercase tracking-wide text-zinc-500";
export const td = "px-3 py-2 tabular-nums";
export const formatP = (p: number) => (p < 0.001 ? "< 0.001" : p.toFixed(3));
