// The blind order and the per-reviewer response numbers.
import { describe, expect, it } from "vitest";
import { displayOrder, letterFor, responseAlias } from "./blind";

const salt = "7d1c3c3e-6f0a-4a57-9a53-2b1f0e7a9c11";
const responses = [{ id: 101 }, { id: 102 }, { id: 103 }, { id: 104 }];

describe("displayOrder", () => {
  it("is a permutation, stable for one reviewer and prompt", () => {
    const once = displayOrder(responses, { blind: true, salt, reviewerId: 5, promptId: 9 });
    expect([...once].sort((a, b) => a.id - b.id)).toEqual(responses);
    expect(displayOrder([...responses].reverse(), { blind: true, salt, reviewerId: 5, promptId: 9 })).toEqual(once);
  });

  it("differs between reviewers and prompts, and puts every response first about equally often", () => {
    const firsts = new Map<number, number>();
    const orders = new Set<string>();
    for (let reviewerId = 1; reviewerId <= 400; reviewerId++) {
      const order = displayOrder(responses, { blind: true, salt, reviewerId, promptId: 9 });
      firsts.set(order[0]!.id, (firsts.get(order[0]!.id) ?? 0) + 1);
      orders.add(order.map((r) => r.id).join());
    }
    expect(orders.size).toBeGreaterThan(20); // of 24 permutations
    for (const r of responses) expect(firsts.get(r.id)).toBeGreaterThan(60); // ~100 each
  });

  it("keeps the others' order when a response is added", () => {
    const before = displayOrder(responses, { blind: true, salt, reviewerId: 3, promptId: 4 }).map((r) => r.id);
    const after = displayOrder([...responses, { id: 105 }], { blind: true, salt, reviewerId: 3, promptId: 4 })
      .map((r) => r.id)
      .filter((id) => id !== 105);
    expect(after).toEqual(before);
  });

  it("keeps the given order when the study is not blind", () => {
    expect(displayOrder(responses, { blind: false, salt, reviewerId: 3, promptId: 4 })).toEqual(responses);
  });
});

describe("responseAlias", () => {
  it("is stable, differs per reviewer and salt, and does not follow response ids", () => {
    expect(responseAlias(salt, 1, 101)).toBe(responseAlias(salt, 1, 101));
    expect(responseAlias(salt, 1, 101)).not.toBe(responseAlias(salt, 2, 101));
    expect(responseAlias(salt, 1, 101)).not.toBe(responseAlias("another-salt", 1, 101));
    const aliases = responses.map((r) => responseAlias(salt, 1, r.id));
    expect(aliases.every((a) => Number.isSafeInteger(a) && a > 0)).toBe(true);
    expect([...aliases].sort((a, b) => a - b)).not.toEqual(aliases); // ids ascend, numbers do not (for this salt)
  });
});

describe("letterFor", () => {
  it("counts A … Z, AA …", () => {
    expect([0, 1, 25, 26, 27, 51, 52].map(letterFor)).toEqual(["A", "B", "Z", "AA", "AB", "AZ", "BA"]);
  });
});
