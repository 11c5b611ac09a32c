// The training strategy of a checkpoint as a coloured badge; also the one place that fixes the
// display order and colours of strategies, so tables and charts agree.
import type { TrainingStrategy } from "@/lib/db/generated/enums";

export const STRATEGY_ORDER: readonly TrainingStrategy[] = ["SFT", "RL", "HYBRID", "BASE"];

export const STRATEGY_INFO: Record<
  TrainingStrategy,
  { label: string; description: string; badgeClass: string; dotClass: string }
> = {
  SFT: {
    label: "SFT",
    description: "Supervised fine-tuning only",
    badgeClass: "bg-strategy-sft-soft text-strategy-sft ring-strategy-sft/25",
    dotClass: "bg-strategy-sft",
  },
  RL: {
    label: "RL",
    description: "Reinforcement learning only",
    badgeClass: "bg-strategy-rl-soft text-strategy-rl ring-strategy-rl/25",
    dotClass: "bg-strategy-rl",
  },
  HYBRID: {
    label: "HYBRID",
    description: "Hybrid: SFT followed by RL",
    badgeClass: "bg-strategy-hybrid-soft text-strategy-hybrid ring-strategy-hybrid/25",
    dotClass: "bg-strategy-hybrid",
  },
  BASE: {
    label: "BASE",
    description: "Untuned base model (reference)",
    badgeClass: "bg-strategy-base-soft text-strategy-base ring-strategy-base/25",
    dotClass: "bg-strategy-base",
  },
};

export function StrategyBadge({ strategy }: { strategy: TrainingStrategy }) {
  const info = STRATEGY_INFO[strategy];
  return (
    <span
      title={info.description}
      className={`inline-flex items-center gap-1.5 rounded-md px-2 py-0.5 text-xs font-semibold tracking-wide ring-1 ring-inset ${info.badgeClass}`}
    >
      <span aria-hidden="true" className={`size-1.5 rounded-full ${info.dotClass}`} />
      {info.label}
    </span>
  );
}
