import { describe, expect, it } from "vitest";
import { browseHref, listHrefFrom } from "./browse-params";

const base = "/studies/s/responses";

describe("listHrefFrom", () => {
  it("leads back to the list with its search, filters and page", () => {
    const list = browseHref("", { q: "lock pick", strategy: "RL", size: "100", after: "WzAsNTBd" }).slice(1);
    expect(listHrefFrom(base, list)).toBe(`${base}?q=lock+pick&strategy=RL&size=100&after=WzAsNTBd`);
  });

  it("keeps only the browse parameters", () => {
    expect(listHrefFrom(base, "q=x&next=https%3A%2F%2Fevil.example&strategy=SFT")).toBe(`${base}?q=x&strategy=SFT`);
  });

  it("falls back to the plain list for nothing, junk or an invalid view", () => {
    expect(listHrefFrom(base, undefined)).toBe(base);
    expect(listHrefFrom(base, "")).toBe(base);
    expect(listHrefFrom(base, "strategy=NOPE")).toBe(base);
    expect(listHrefFrom(base, "x".repeat(3000))).toBe(base);
  });
});
