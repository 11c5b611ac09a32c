// The signals pool gives exactly what computing in the caller's thread gives, in order, whether a
// batch goes to one thread or is cut into pieces for several.
import { afterAll, describe, expect, it } from "vitest";
import { SignalsPool } from "./signals-pool";
import { computeStoredSignals } from "./stored-signals";
import { benchResponse } from "./testset/bench-corpus";

const inputs = Array.from({ length: 300 }, (_, i) => benchResponse(i));
const pools: SignalsPool[] = [];
afterAll(async () => {
  await Promise.all(pools.map((p) => p.close()));
});

describe("SignalsPool", () => {
  it("computes in worker threads the same signals, in the same order, as inline", async () => {
    const expected = computeStoredSignals(inputs);
    expect(new Set(expected.refusals)).toEqual(new Set(["COMPLIED", "PARTIAL", "REFUSED", null]));
    for (const threads of [1, 2]) {
      const pool = new SignalsPool(threads);
      pools.push(pool);
      const [first, second] = await Promise.all([pool.compute(inputs), pool.compute(inputs.slice(100))]);
      expect(first).toEqual(expected);
      expect(second.json).toEqual(expected.json.slice(100));
      expect(pool.batches).toEqual({ threads: 2, inline: 0 });
    }
  }, 60_000); // starting a thread loads tsx and the language identifier: seconds on a busy machine

  it("finishes a batch inline, and the later ones too, when its thread stops", async () => {
    const pool = new SignalsPool(1);
    pools.push(pool);
    await pool.compute(inputs.slice(0, 5)); // started
    const computing = pool.compute(inputs);
    await (
      pool as unknown as { threads: { worker: { terminate(): Promise<number> } }[] }
    ).threads[0]!.worker.terminate();
    expect(await computing).toEqual(computeStoredSignals(inputs));
    expect(await pool.compute(inputs.slice(0, 5))).toEqual(computeStoredSignals(inputs.slice(0, 5)));
    expect(pool.batches).toEqual({ threads: 1, inline: 2 });
  }, 60_000);

  it("computes inline with no threads", async () => {
    const pool = new SignalsPool(0);
    expect(await pool.compute(inputs.slice(0, 10))).toEqual(computeStoredSignals(inputs.slice(0, 10)));
    expect(pool.batches).toEqual({ threads: 0, inline: 1 });
  });
});
