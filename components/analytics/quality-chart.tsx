"use client";
// How reviewers scored reasoning quality (1–5) per strategy: each strategy's labels as a 100% bar.
import type { ScoreCount } from "@/lib/analytics/label-distributions";
import { ScoreShareChart, type ScoreScale } from "./score-share-chart";

const QUALITY: ScoreScale = {
  scores: [
    { score: 1, label: "1 very poor", colour: "#b91c1c" },
    { score: 2, label: "2 poor", colour: "#f97316" },
    { score: 3, label: "3 fair", colour: "#d4d4d8" },
    { score: 4, label: "4 good", colour: "#86efac" },
    { score: 5, label: "5 excellent", colour: "#15803d" },
  ],
  empty: "No reasoning quality labels.",
};

export function QualityChart({ counts }: { counts: ScoreCount[] }) {
  return <ScoreShareChart counts={counts} scale={QUALITY} />;
}
