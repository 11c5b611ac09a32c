// The review workspace's keyboard: one table of bindings that both decides what a key press does
// and feeds the "?" overlay, so the two never disagree. Framework-free: it takes the fields of a
// KeyboardEvent and the workspace's mode, and answers with a command (or null: not ours, let the
// browser have it).

import {
  LABEL_FLAGS,
  SCALES,
  type HarmSeverity,
  type LabelFlag,
  type ReasoningQuality,
  type RefusalValue,
} from "../labels";

export type FlagName = LabelFlag;
export type { RefusalValue };

/** Keys that wait for a second key: q then 1–5, f then 1–4, g then a category number. */
export type Prefix = "quality" | "flag" | "category";

/** The flags in the order of their keys (f 1–4). */
export const FLAG_ORDER: readonly FlagName[] = LABEL_FLAGS;

const { min: QUALITY_MIN, max: QUALITY_MAX } = SCALES.reasoningQuality;
/** A digit as a reasoning-quality command, or null outside the scale. */
const quality = (d: number | null): Command | null =>
  d !== null && d >= QUALITY_MIN && d <= QUALITY_MAX ? { type: "quality", value: d as ReasoningQuality } : null;

export type Command =
  | { type: "column"; delta: -1 | 1 }
  | { type: "columnAt"; index: number }
  | { type: "severity"; value: HarmSeverity }
  | { type: "refusal"; value: RefusalValue }
  | { type: "refusalCycle" }
  | { type: "mixingCycle" }
  | { type: "locationCycle" }
  | { type: "quality"; value: ReasoningQuality }
  | { type: "flag"; flag: FlagName }
  | { type: "category"; index: number }
  | { type: "prefix"; prefix: Prefix }
  | { type: "note" }
  | { type: "leaveField" }
  | { type: "safest" }
  | { type: "best" }
  | { type: "reasoning" }
  | { type: "allReasoning" }
  | { type: "plainText" }
  | { type: "scroll"; delta: -1 | 1 }
  | { type: "clearLabel" }
  | { type: "submit" }
  | { type: "skip" }
  | { type: "undo" }
  | { type: "redo" }
  | { type: "help" }
  | { type: "cancel" };

/** The fields of a KeyboardEvent the keymap reads. */
export interface KeyPress {
  key: string;
  code: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
}

export interface KeyContext {
  /** A prefix key was pressed and waits for its second key. */
  prefix: Prefix | null;
  /** Focus is in a text field (the note): only Esc and Ctrl+Enter are the workspace's. */
  inTextField: boolean;
  /** The help overlay is open: Esc or ? closes it, other keys are ignored. */
  helpOpen: boolean;
}

type Chord = "plain" | "shift" | "ctrl" | "ctrlShift" | "alt";

interface Binding {
  /** Shown in the overlay, e.g. ["←", "h"]. */
  keys: string[];
  does: string;
  group: "Move and view" | "Label the response" | "The prompt";
  /** Only after this prefix key. */
  after?: Prefix;
  match: (press: KeyPress, chord: Chord) => Command | null;
}

const digit = (press: KeyPress): number | null => {
  // `code` so that Shift and Alt (which change `key` on many layouts) still give the digit.
  const fromCode = /^(?:Digit|Numpad)([0-9])$/.exec(press.code);
  if (fromCode) return Number(fromCode[1]);
  return /^[0-9]$/.test(press.key) ? Number(press.key) : null;
};

/**
 * The letter a key press means, lower case. A layout that types Latin letters is read by `key`
 * (AZERTY's "a" is "a"); one that does not (Russian, Greek, Hebrew, Arabic…) by the key's place
 * (`code`), so that "с" on the key where QWERTY has "c" still marks "complied".
 */
export function latinKey(press: Pick<KeyPress, "key" | "code">): string {
  if (press.key.length === 1 && /^[a-z]$/i.test(press.key)) return press.key.toLowerCase();
  const place = press.key.length === 1 ? /^Key([A-Z])$/.exec(press.code) : null;
  return place ? place[1]!.toLowerCase() : press.key;
}

const letter =
  (value: string, wanted: Chord = "plain") =>
  (press: KeyPress, chord: Chord) =>
    chord === wanted && latinKey(press) === value;

export const BINDINGS: readonly Binding[] = [
  {
    keys: ["←", "h"],
    does: "Previous response",
    group: "Move and view",
    match: (p, c) =>
      c === "plain" && (p.key === "ArrowLeft" || latinKey(p) === "h") ? { type: "column", delta: -1 } : null,
  },
  {
    keys: ["→", "l"],
    does: "Next response",
    group: "Move and view",
    match: (p, c) =>
      c === "plain" && (p.key === "ArrowRight" || latinKey(p) === "l") ? { type: "column", delta: 1 } : null,
  },
  {
    keys: ["Alt+1…9"],
    does: "Go to response A…I",
    group: "Move and view",
    match: (p, c) => {
      const d = c === "alt" ? digit(p) : null;
      return d !== null && d >= 1 ? { type: "columnAt", index: d - 1 } : null;
    },
  },
  {
    keys: ["j", "k"],
    does: "Scroll the response down / up",
    group: "Move and view",
    match: (p, c) =>
      c === "plain" && (latinKey(p) === "j" || latinKey(p) === "k")
        ? { type: "scroll", delta: latinKey(p) === "j" ? 1 : -1 }
        : null,
  },
  {
    keys: ["e"],
    does: "Show / hide the reasoning",
    group: "Move and view",
    match: (p, c) => (letter("e")(p, c) ? { type: "reasoning" } : null),
  },
  {
    keys: ["Shift+E"],
    does: "Show / hide the reasoning of every response (remembered)",
    group: "Move and view",
    match: (p, c) => (letter("e", "shift")(p, c) ? { type: "allReasoning" } : null),
  },
  {
    keys: ["t"],
    does: "Markdown / plain text",
    group: "Move and view",
    match: (p, c) => (letter("t")(p, c) ? { type: "plainText" } : null),
  },
  {
    keys: ["0", "1", "2", "3"],
    does: "Harm severity: none, minor, moderate, severe",
    group: "Label the response",
    match: (p, c) => {
      const d = c === "plain" ? digit(p) : null;
      return d !== null && d <= SCALES.harmSeverity.max ? { type: "severity", value: d as HarmSeverity } : null;
    },
  },
  {
    keys: ["w"],
    does: "Where the harm is: reasoning → answer → both → unset",
    group: "Label the response",
    match: (p, c) => (letter("w")(p, c) ? { type: "locationCycle" } : null),
  },
  {
    keys: ["g", "then 1…9, 0"],
    does: "Toggle a harm category (numbered in the form)",
    group: "Label the response",
    match: (p, c) => (letter("g")(p, c) ? { type: "prefix", prefix: "category" } : null),
  },
  {
    keys: ["1…9, 0"],
    after: "category",
    does: "The category with that number (0 is the tenth)",
    group: "Label the response",
    match: (p, c) => {
      const d = c === "plain" ? digit(p) : null;
      return d === null ? null : { type: "category", index: d === 0 ? 9 : d - 1 };
    },
  },
  {
    keys: ["c"],
    does: "Refusal: complied",
    group: "Label the response",
    match: (p, c) => (letter("c")(p, c) ? { type: "refusal", value: "COMPLIED" } : null),
  },
  {
    keys: ["p"],
    does: "Refusal: partial",
    group: "Label the response",
    match: (p, c) => (letter("p")(p, c) ? { type: "refusal", value: "PARTIAL" } : null),
  },
  {
    keys: ["x"],
    does: "Refusal: refused",
    group: "Label the response",
    match: (p, c) => (letter("x")(p, c) ? { type: "refusal", value: "REFUSED" } : null),
  },
  {
    keys: ["r"],
    does: "Refusal: cycle complied → partial → refused",
    group: "Label the response",
    match: (p, c) => (letter("r")(p, c) ? { type: "refusalCycle" } : null),
  },
  {
    keys: ["m"],
    does: "Language mixing: none → reasoning → answer → both",
    group: "Label the response",
    match: (p, c) => (letter("m")(p, c) ? { type: "mixingCycle" } : null),
  },
  {
    keys: ["q", "then 1…5"],
    does: "Reasoning quality 1–5",
    group: "Label the response",
    match: (p, c) => (letter("q")(p, c) ? { type: "prefix", prefix: "quality" } : null),
  },
  {
    keys: ["Shift+1…5"],
    does: "Reasoning quality 1–5 in one chord",
    group: "Label the response",
    match: (p, c) => {
      const d = c === "shift" ? digit(p) : null;
      return quality(d);
    },
  },
  {
    keys: ["1…5"],
    after: "quality",
    does: "Quality: 1 incoherent … 5 excellent",
    group: "Label the response",
    match: (p, c) => {
      const d = c === "plain" ? digit(p) : null;
      return quality(d);
    },
  },
  {
    keys: ["f", "then 1…4"],
    does: "Flags: 1 reward hacking, 2 repetition loop, 3 unfaithful answer, 4 format violation",
    group: "Label the response",
    match: (p, c) => (letter("f")(p, c) ? { type: "prefix", prefix: "flag" } : null),
  },
  {
    keys: ["1…4"],
    after: "flag",
    does: "Toggle that flag",
    group: "Label the response",
    match: (p, c) => {
      const d = c === "plain" ? digit(p) : null;
      return d !== null && d >= 1 && d <= 4 ? { type: "flag", flag: FLAG_ORDER[d - 1]! } : null;
    },
  },
  {
    keys: ["n"],
    does: "Write a note (Esc leaves the note)",
    group: "Label the response",
    match: (p, c) => (letter("n")(p, c) ? { type: "note" } : null),
  },
  {
    keys: ["Shift+Backspace"],
    does: "Clear this response's label",
    group: "Label the response",
    match: (p, c) => (c === "shift" && p.key === "Backspace" ? { type: "clearLabel" } : null),
  },
  {
    keys: ["s"],
    does: "Mark this response the safest",
    group: "The prompt",
    match: (p, c) => (letter("s")(p, c) ? { type: "safest" } : null),
  },
  {
    keys: ["b"],
    does: "Mark this response the best overall",
    group: "The prompt",
    match: (p, c) => (letter("b")(p, c) ? { type: "best" } : null),
  },
  {
    keys: ["Ctrl+Enter"],
    does: "Submit all labels and go to the next prompt",
    group: "The prompt",
    match: (p, c) => (c === "ctrl" && p.key === "Enter" ? { type: "submit" } : null),
  },
  {
    keys: ["Shift+S"],
    does: "Skip this prompt",
    group: "The prompt",
    match: (p, c) => (c === "shift" && latinKey(p) === "s" ? { type: "skip" } : null),
  },
  {
    keys: ["Ctrl+Z"],
    does: "Undo",
    group: "The prompt",
    match: (p, c) => (c === "ctrl" && latinKey(p) === "z" ? { type: "undo" } : null),
  },
  {
    keys: ["Ctrl+Shift+Z", "Ctrl+Y"],
    does: "Redo",
    group: "The prompt",
    match: (p, c) =>
      (c === "ctrlShift" && latinKey(p) === "z") || (c === "ctrl" && latinKey(p) === "y") ? { type: "redo" } : null,
  },
  {
    keys: ["?"],
    does: "Show / hide these keys",
    group: "Move and view",
    match: (p) => (p.key === "?" && !p.ctrlKey && !p.metaKey && !p.altKey ? { type: "help" } : null),
  },
  {
    keys: ["Esc"],
    does: "Cancel a pending key, close this overlay, leave the note",
    group: "Move and view",
    match: (p) => (p.key === "Escape" ? { type: "cancel" } : null),
  },
];

function chordOf(press: KeyPress): Chord | null {
  const ctrl = press.ctrlKey || press.metaKey; // Cmd on a Mac
  if (ctrl && press.altKey) return null;
  if (ctrl) return press.shiftKey ? "ctrlShift" : "ctrl";
  if (press.altKey) return press.shiftKey ? null : "alt";
  return press.shiftKey ? "shift" : "plain";
}

const MODIFIER_KEYS = new Set(["Shift", "Control", "Alt", "Meta", "CapsLock", "AltGraph"]);

/** What a key press does in the workspace, or null when the workspace leaves it to the browser. */
export function resolveKey(press: KeyPress, context: KeyContext): Command | null {
  if (MODIFIER_KEYS.has(press.key)) return null;
  const chord = chordOf(press);
  if (chord === null) return null;
  if (context.inTextField) {
    if (press.key === "Escape") return { type: "leaveField" };
    if (chord === "ctrl" && press.key === "Enter") return { type: "submit" };
    return null;
  }
  if (context.helpOpen) {
    if (press.key === "Escape" || press.key === "?") return { type: "help" };
    return null;
  }
  if (context.prefix) {
    for (const binding of BINDINGS) {
      if (binding.after !== context.prefix) continue;
      const command = binding.match(press, chord);
      if (command) return command;
    }
    // Any other key ends the wait; Esc just cancels, the others also do their own thing.
    if (press.key === "Escape") return { type: "cancel" };
  }
  for (const binding of BINDINGS) {
    if (binding.after) continue;
    const command = binding.match(press, chord);
    if (command) return command;
  }
  return null;
}

/** What the pending prefix waits for, for the status line. */
export function prefixHint(prefix: Prefix): string {
  switch (prefix) {
    case "quality":
      return "Quality: press 1–5";
    case "flag":
      return "Flag: 1 reward hacking · 2 repetition loop · 3 unfaithful · 4 format violation";
    case "category":
      return "Harm category: press its number (0 = 10th)";
  }
}

export const BINDING_GROUPS = ["Label the response", "The prompt", "Move and view"] as const;
