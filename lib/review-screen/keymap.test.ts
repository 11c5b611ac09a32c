import { describe, expect, it } from "vitest";
import { BINDINGS, resolveKey, type KeyContext, type KeyPress } from "./keymap";

const idle: KeyContext = { prefix: null, inTextField: false, helpOpen: false };

function press(key: string, mods: Partial<KeyPress> = {}): KeyPress {
  const code = /^[0-9]$/.test(key) ? `Digit${key}` : /^[a-z]$/i.test(key) ? `Key${key.toUpperCase()}` : key;
  return { key, code, ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, ...mods };
}

describe("resolveKey", () => {
  it("labels a whole response in a handful of keys", () => {
    expect(resolveKey(press("2"), idle)).toEqual({ type: "severity", value: 2 });
    expect(resolveKey(press("x"), idle)).toEqual({ type: "refusal", value: "REFUSED" });
    expect(resolveKey(press("c"), idle)).toEqual({ type: "refusal", value: "COMPLIED" });
    expect(resolveKey(press("p"), idle)).toEqual({ type: "refusal", value: "PARTIAL" });
    expect(resolveKey(press("m"), idle)).toEqual({ type: "mixingCycle" });
    expect(resolveKey(press("q"), idle)).toEqual({ type: "prefix", prefix: "quality" });
    expect(resolveKey(press("4"), { ...idle, prefix: "quality" })).toEqual({ type: "quality", value: 4 });
    expect(resolveKey(press("l"), idle)).toEqual({ type: "column", delta: 1 });
  });

  it("reads digits after a prefix as that prefix's values, not as severity", () => {
    expect(resolveKey(press("1"), { ...idle, prefix: "flag" })).toEqual({ type: "flag", flag: "rewardHacking" });
    expect(resolveKey(press("4"), { ...idle, prefix: "flag" })).toEqual({ type: "flag", flag: "formatViolation" });
    expect(resolveKey(press("0"), { ...idle, prefix: "category" })).toEqual({ type: "category", index: 9 });
    expect(resolveKey(press("3"), { ...idle, prefix: "category" })).toEqual({ type: "category", index: 2 });
    // Out of range for the prefix: the key does its own thing (severity 0 after q).
    expect(resolveKey(press("0"), { ...idle, prefix: "quality" })).toEqual({ type: "severity", value: 0 });
    expect(resolveKey(press("Escape"), { ...idle, prefix: "quality" })).toEqual({ type: "cancel" });
  });

  it("moves between responses with arrows, h/l and Alt+digit (by key code, whatever the layout types)", () => {
    expect(resolveKey(press("ArrowLeft"), idle)).toEqual({ type: "column", delta: -1 });
    expect(resolveKey(press("h"), idle)).toEqual({ type: "column", delta: -1 });
    expect(resolveKey({ ...press("¡"), code: "Digit1", altKey: true }, idle)).toEqual({ type: "columnAt", index: 0 });
    expect(resolveKey({ ...press("3"), altKey: true }, idle)).toEqual({ type: "columnAt", index: 2 });
  });

  it("reads letters by the key's place on layouts that do not type Latin letters (Russian, Greek)", () => {
    const ru = (key: string, code: string, mods: Partial<KeyPress> = {}): KeyPress => ({ ...press(key, mods), code });
    expect(resolveKey(ru("с", "KeyC"), idle)).toEqual({ type: "refusal", value: "COMPLIED" });
    expect(resolveKey(ru("ч", "KeyX"), idle)).toEqual({ type: "refusal", value: "REFUSED" });
    expect(resolveKey(ru("й", "KeyQ"), idle)).toEqual({ type: "prefix", prefix: "quality" });
    expect(resolveKey(ru("д", "KeyL"), idle)).toEqual({ type: "column", delta: 1 });
    expect(resolveKey(ru("о", "KeyJ"), idle)).toEqual({ type: "scroll", delta: 1 });
    expect(resolveKey(ru("Ы", "KeyS", { shiftKey: true }), idle)).toEqual({ type: "skip" });
    expect(resolveKey(ru("я", "KeyZ", { ctrlKey: true }), idle)).toEqual({ type: "undo" });
    expect(resolveKey(ru("ψ", "KeyC"), idle)).toEqual({ type: "refusal", value: "COMPLIED" });
    // A Latin layout is read by the letter it types, not the place: AZERTY's "a" sits on KeyQ.
    expect(resolveKey(ru("a", "KeyQ"), idle)).toBeNull();
    expect(resolveKey(ru("q", "KeyA"), idle)).toEqual({ type: "prefix", prefix: "quality" });
    // Still nothing while typing a note.
    expect(resolveKey(ru("с", "KeyC"), { ...idle, inTextField: true })).toBeNull();
  });

  it("gives quality in one chord with Shift+digit", () => {
    expect(resolveKey({ ...press("#"), code: "Digit3", shiftKey: true }, idle)).toEqual({ type: "quality", value: 3 });
    expect(resolveKey({ ...press("^"), code: "Digit6", shiftKey: true }, idle)).toBeNull();
  });

  it("submits with Ctrl or Cmd+Enter, skips with Shift+S, undoes with Ctrl+Z", () => {
    expect(resolveKey(press("Enter", { ctrlKey: true }), idle)).toEqual({ type: "submit" });
    expect(resolveKey(press("Enter", { metaKey: true }), idle)).toEqual({ type: "submit" });
    expect(resolveKey(press("Enter"), idle)).toBeNull();
    expect(resolveKey(press("S", { shiftKey: true }), idle)).toEqual({ type: "skip" });
    expect(resolveKey(press("s"), idle)).toEqual({ type: "safest" });
    expect(resolveKey(press("b"), idle)).toEqual({ type: "best" });
    expect(resolveKey(press("e"), idle)).toEqual({ type: "reasoning" });
    expect(resolveKey(press("E", { shiftKey: true }), idle)).toEqual({ type: "allReasoning" });
    expect(resolveKey(press("z", { ctrlKey: true }), idle)).toEqual({ type: "undo" });
    expect(resolveKey(press("Z", { ctrlKey: true, shiftKey: true }), idle)).toEqual({ type: "redo" });
    expect(resolveKey(press("y", { metaKey: true }), idle)).toEqual({ type: "redo" });
  });

  it("leaves the note's keys to the text field, except Esc and Ctrl+Enter", () => {
    const typing = { ...idle, inTextField: true };
    for (const key of ["a", "2", "s", "ArrowLeft", "?", "Backspace"]) expect(resolveKey(press(key), typing)).toBeNull();
    expect(resolveKey(press("z", { ctrlKey: true }), typing)).toBeNull(); // the text field's own undo
    expect(resolveKey(press("Escape"), typing)).toEqual({ type: "leaveField" });
    expect(resolveKey(press("Enter", { ctrlKey: true }), typing)).toEqual({ type: "submit" });
  });

  it("leaves browser shortcuts and unknown keys alone", () => {
    expect(resolveKey(press("c", { ctrlKey: true }), idle)).toBeNull(); // copy
    expect(resolveKey(press("r", { ctrlKey: true }), idle)).toBeNull(); // reload
    expect(resolveKey(press("Shift", { shiftKey: true }), idle)).toBeNull();
    expect(resolveKey(press("Tab"), idle)).toBeNull();
    expect(resolveKey(press("9"), idle)).toBeNull();
  });

  it("with the overlay open, only ? and Esc do anything (they close it)", () => {
    const help = { ...idle, helpOpen: true };
    expect(resolveKey(press("?", { shiftKey: true }), idle)).toEqual({ type: "help" });
    expect(resolveKey(press("?", { shiftKey: true }), help)).toEqual({ type: "help" });
    expect(resolveKey(press("Escape"), help)).toEqual({ type: "help" });
    expect(resolveKey(press("2"), help)).toBeNull();
  });

  it("has no two bindings that answer the same key in the same mode", () => {
    const keys = [
      "0",
      "1",
      "2",
      "3",
      "4",
      "5",
      "9",
      ..."abcdefghijklmnopqrstuvwxyz".split(""),
      "ArrowLeft",
      "ArrowRight",
      "Enter",
      "Escape",
      "Backspace",
      "?",
    ];
    const chords: Partial<KeyPress>[] = [
      {},
      { shiftKey: true },
      { ctrlKey: true },
      { altKey: true },
      { ctrlKey: true, shiftKey: true },
    ];
    for (const after of [undefined, "quality", "flag", "category"] as const) {
      for (const key of keys) {
        for (const mods of chords) {
          const p = press(mods.shiftKey && key.length === 1 ? key.toUpperCase() : key, mods);
          const chord = p.ctrlKey
            ? p.shiftKey
              ? "ctrlShift"
              : "ctrl"
            : p.altKey
              ? "alt"
              : p.shiftKey
                ? "shift"
                : "plain";
          const hits = BINDINGS.filter((b) => b.after === after && b.match(p, chord) !== null);
          expect(hits.length, `${JSON.stringify(mods)} ${key} after ${after}`).toBeLessThanOrEqual(1);
        }
      }
    }
  });
});
