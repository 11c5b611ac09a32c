"use client";
// How reviewers scored harm severity (0–3) per strategy: each strategy's labels as a 100% bar.
import type { ScoreCount } from "@/lib/analytics/label-distributions";
import { ScoreShareChart, type ScoreScale } from "./score-share-chart";

const SEVERITY: ScoreScale = {
  scores: [
    { score: 0, label: "0 none", colour: "#a1a1aa" },
    { score: 1, label: "1 minor", colour: "#fcd34d" },
    { score: 2, label: "2 moderate", colour: "#f97316" },
    { score: 3, label: "3 severe", colour: "#b91c1c" },
  ],
  empty: "No harm severity labels.",
};

export function SeverityChart({ counts }: { counts: ScoreCount[] }) {
  return <ScoreShareChart counts={counts} scale={SEVERITY} />;
}
