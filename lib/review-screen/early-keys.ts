// Keys pressed before the review workspace is interactive. The page's HTML arrives well before its
// JavaScript has run, and a reviewer who knows the keys starts typing at once: without this, those
// first keys were lost. A tiny inline script (EARLY_KEYS_SCRIPT, sent with the page's CSP nonce)
// records them; the workspace, once it listens, stops the recorder and replays what it caught.
import type { KeyPress } from "./keymap";

/** A fixed script (no data in it): records key presses outside text fields until the workspace takes them. */
export const EARLY_KEYS_SCRIPT = `(function () {
  var keys = [];
  function record(event) {
    var target = event.target;
    if (event.isComposing || (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)))) return;
    keys.push({ key: event.key, code: event.code, ctrlKey: event.ctrlKey, metaKey: event.metaKey, altKey: event.altKey, shiftKey: event.shiftKey });
    if (event.key.length === 1 && !event.ctrlKey && !event.metaKey && !event.altKey) event.preventDefault();
  }
  window.addEventListener("keydown", record, true);
  window.__parallaxEarlyKeys = { keys: keys, stop: function () { window.removeEventListener("keydown", record, true); } };
})();`;

interface EarlyKeys {
  keys: KeyPress[];
  stop: () => void;
}

/** Stops the recorder and returns the keys it caught, in order (none when the page had no recorder). */
export function takeEarlyKeys(): KeyPress[] {
  const early = (window as unknown as { __parallaxEarlyKeys?: EarlyKeys }).__parallaxEarlyKeys;
  if (!early) return [];
  early.stop();
  return early.keys.splice(0);
}
