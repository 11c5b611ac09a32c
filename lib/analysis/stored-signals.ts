// The automatic signals of a batch of responses in the form the database stores them (the signals
// JSON with its spans encoded, the mixing score and the refusal column), computed in order. Used by the importer (in a
// worker thread or inline) and by `analyze`, so both store exactly the same values.
import type { RefusalKind } from "../db/generated/enums";
import { computeSignals, type ResponseSignals, type SignalsInput } from "./signals";
import { encodeSpans } from "./span-codec";

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
    json[i] = storedJson(signals);
    mixScores[i] = signals.mixScore;
    refusals[i] = signals.refusal;
  }
  return { json, mixScores, refusals };
}

/** The signals as stored: each part's spans as one string (span-codec.ts), the rest as computed. */
export function storedJson(signals: ResponseSignals): string {
  const { reasoning, answer } = signals;
  return JSON.stringify({
    ...signals,
    reasoning: reasoning === null ? null : { ...reasoning, spans: encodeSpans(reasoning.spans) },
    answer: { ...answer, spans: encodeSpans(answer.spans) },
  });
}
