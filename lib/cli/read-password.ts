// Reads a password for `user:create --password-stdin`: asked for twice without echo on a terminal,
// else the first line of standard input (for scripts: `echo "$PW" | npm run parallax -- user:create …`).
import { text } from "node:stream/consumers";

export class PasswordEntryError extends Error {}

function askHidden(prompt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin;
    let value = "";
    const finish = () => {
      stdin.off("data", onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write("\n");
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === "\r" || char === "\n") {
          finish();
          resolve(value);
          return;
        }
        if (char === "\u0003" || char === "\u0004") {
          finish();
          reject(new PasswordEntryError("Cancelled; nothing was changed."));
          return;
        }
        if (char === "\u007f" || char === "\b") value = [...value].slice(0, -1).join("");
        else if (char >= " ") value += char;
      }
    };
    process.stderr.write(prompt);
    stdin.setEncoding("utf8");
    stdin.setRawMode(true);
    stdin.resume();
    stdin.on("data", onData);
  });
}

export async function readPassword(): Promise<string> {
  if (process.stdin.isTTY) {
    const first = await askHidden("Password: ");
    const second = await askHidden("The same again: ");
    if (first !== second) throw new PasswordEntryError("The two passwords differ; nothing was changed.");
    return first;
  }
  const input = await text(process.stdin);
  return input.split(/\r?\n/)[0] ?? "";
}
