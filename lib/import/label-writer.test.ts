import { describe, expect, it } from "vitest";
import { placeholderSlug, reviewerKey } from "./label-writer";

describe("placeholder reviewers", () => {
  it("match e-mail addresses and names case-insensitively, never a name to an address", () => {
    expect(reviewerKey("Ann@Lab.example")).toBe(reviewerKey("ann@lab.example"));
    expect(reviewerKey("Ann Lee")).toBe(reviewerKey("ANN LEE"));
    expect(reviewerKey("ann")).not.toBe(reviewerKey("ann@lab.example"));
  });

  it("get an address made from the name, or from a hash of it when nothing of the name is left", () => {
    expect(placeholderSlug("Ann Lee")).toBe("ann-lee");
    expect(placeholderSlug("  José  Núñez! ")).toBe("jose-nunez");
    expect(placeholderSlug("reviewer-1")).toBe("reviewer-1");
    expect(placeholderSlug("x".repeat(80))).toHaveLength(40);
    expect(placeholderSlug("张伟")).toMatch(/^reviewer-[0-9a-f]{8}$/);
    expect(placeholderSlug("张伟")).not.toBe(placeholderSlug("李娜"));
  });
});
