// The automatic signals of a batch of responses in the form the database stores them (the signals
// JSON, the mixing score and the refusal column), computed in order. Used by the importer (in a
// worker thread or inline) and by `analyze`, so both store exactly the same values.
import type { RefusalKind } from "../db/generated/enums";
import { computeSignals, type SignalsInput } from "./signals";

export interface StoredSignals {
  /** Per input, in order: the signals as JSON text, for the jsonb column. */
  json: string[];
  mixScores: number[];
  refusals: (RefusalKind | null)[];
}

export function computeStoredSignals(inputs: readonly SignalsInput[]): StoredSignals {
  const json: string[] = new Array<string>(inputs.length);
  const mixScores: number[] = new Array<number>(inputs.length);
  const refusals: (RefusalKind | null)[] = new Array<RefusalKind | null>(inputs.length);
  for (let i = 0; i < inputs.length; i++) {
    const signals = computeSignals(inputs[i]!);
    json[i] = JSON.stringify(signals);
    mixScores[i] = signals.mixScore;
    refusals[i] = signals.refusal;
  }
  return { json, mixScores, refusals };
}
