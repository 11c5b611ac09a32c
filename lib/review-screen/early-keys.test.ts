// The early-keys recorder runs as written (the very string the page inlines) against a small window
// that dispatches keydown events to its listeners the way a browser does, and the workspace's side
// (takeEarlyKeys) takes the keys from it. An empty or broken script fails here.
import { runInNewContext } from "node:vm";
import { afterEach, describe, expect, it } from "vitest";
import { EARLY_KEYS_SCRIPT, takeEarlyKeys } from "./early-keys";

type Listener = (event: FakeKey) => void;

interface FakeKey {
  key: string;
  code: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
  isComposing: boolean;
  target: { tagName: string; isContentEditable?: boolean } | null;
  defaultPrevented: boolean;
  preventDefault(): void;
}

function fakeWindow() {
  const listeners = new Set<Listener>();
  const window: Record<string, unknown> = {
    addEventListener(type: string, listener: Listener, capture: boolean) {
      expect([type, capture]).toEqual(["keydown", true]);
      listeners.add(listener);
    },
    removeEventListener(type: string, listener: Listener) {
      if (type === "keydown") listeners.delete(listener);
    },
  };
  const press = (key: string, options: Partial<Omit<FakeKey, "preventDefault" | "defaultPrevented">> = {}) => {
    const event: FakeKey = {
      key,
      code: options.code ?? `Key${key.toUpperCase()}`,
      ctrlKey: false,
      metaKey: false,
      altKey: false,
      shiftKey: false,
      isComposing: false,
      target: { tagName: "BODY" },
      ...options,
      defaultPrevented: false,
      preventDefault() {
        this.defaultPrevented = true;
      },
    };
    for (const listener of listeners) listener(event);
    return event;
  };
  return { window, listeners, press };
}

function install() {
  const fake = fakeWindow();
  runInNewContext(EARLY_KEYS_SCRIPT, { window: fake.window });
  (globalThis as { window?: unknown }).window = fake.window;
  return fake;
}

afterEach(() => {
  delete (globalThis as { window?: unknown }).window;
});

describe("early keys", () => {
  it("is a fixed script that loads nothing and writes no markup", () => {
    expect(EARLY_KEYS_SCRIPT).not.toMatch(/<\/script|innerHTML|fetch\(|eval\(|import\(|XMLHttpRequest/i);
  });

  it("records key presses outside text fields, in order, with their modifiers, and keeps printable keys from the page", () => {
    const { press, listeners } = install();
    expect(listeners.size).toBe(1);
    const three = press("3", { code: "Digit3" });
    const shiftE = press("E", { shiftKey: true });
    const arrow = press("ArrowRight", { code: "ArrowRight" });
    const save = press("s", { ctrlKey: true });
    expect(three.defaultPrevented).toBe(true);
    expect(arrow.defaultPrevented).toBe(false); // not a character: the browser may act on it
    expect(save.defaultPrevented).toBe(false); // a shortcut of the browser's stays the browser's
    expect(shiftE.defaultPrevented).toBe(true);
    expect(takeEarlyKeys()).toEqual([
      { key: "3", code: "Digit3", ctrlKey: false, metaKey: false, altKey: false, shiftKey: false },
      { key: "E", code: "KeyE", ctrlKey: false, metaKey: false, altKey: false, shiftKey: true },
      { key: "ArrowRight", code: "ArrowRight", ctrlKey: false, metaKey: false, altKey: false, shiftKey: false },
      { key: "s", code: "KeyS", ctrlKey: true, metaKey: false, altKey: false, shiftKey: false },
    ]);
  });

  it("leaves typing in fields and input-method composition alone", () => {
    const { press } = install();
    for (const tagName of ["INPUT", "TEXTAREA", "SELECT"])
      expect(press("a", { target: { tagName } }).defaultPrevented).toBe(false);
    expect(press("a", { target: { tagName: "DIV", isContentEditable: true } }).defaultPrevented).toBe(false);
    expect(press("a", { isComposing: true }).defaultPrevented).toBe(false);
    press("q");
    expect(takeEarlyKeys().map((k) => k.key)).toEqual(["q"]);
  });

  it("stops recording once the workspace takes the keys, and hands each key over once", () => {
    const { press, listeners } = install();
    press("1");
    expect(takeEarlyKeys().map((k) => k.key)).toEqual(["1"]);
    expect(listeners.size).toBe(0);
    expect(press("2").defaultPrevented).toBe(false);
    expect(takeEarlyKeys()).toEqual([]);
  });

  it("gives nothing on a page without the recorder", () => {
    (globalThis as { window?: unknown }).window = {};
    expect(takeEarlyKeys()).toEqual([]);
  });
});
