import { mkdtempSync, readFileSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { LaunchConfigError, prepareAuthEnv } from "./auth-env";

const root = () => mkdtempSync(path.join(os.tmpdir(), "parallax-auth-env-"));
const good = "x".repeat(40);

describe("prepareAuthEnv", () => {
  it("refuses `npm start` without NEXTAUTH_SECRET, or with a short one", () => {
    expect(() => prepareAuthEnv({ mode: "start", port: 3000, env: {}, projectRoot: root() })).toThrow(
      LaunchConfigError,
    );
    expect(() => prepareAuthEnv({ mode: "start", port: 3000, env: {}, projectRoot: root() })).toThrow(
      /NEXTAUTH_SECRET is not set/,
    );
    expect(() =>
      prepareAuthEnv({ mode: "start", port: 3000, env: { NEXTAUTH_SECRET: "short" }, projectRoot: root() }),
    ).toThrow(/at least 32/);
  });

  it("makes the demo's secret once and keeps it, readable only by its owner", () => {
    const dir = root();
    const first = prepareAuthEnv({ mode: "demo", port: 3000, env: {}, projectRoot: dir });
    const second = prepareAuthEnv({ mode: "demo", port: 3000, env: {}, projectRoot: dir });
    const file = path.join(dir, ".parallax", "demo-secret");
    expect(first.env.NEXTAUTH_SECRET).toHaveLength(43);
    expect(second.env.NEXTAUTH_SECRET).toBe(first.env.NEXTAUTH_SECRET);
    expect(readFileSync(file, "utf8").trim()).toBe(first.env.NEXTAUTH_SECRET);
    expect(statSync(file).mode & 0o077).toBe(0);
  });

  it("keeps a given secret and URL, and fills in NEXTAUTH_URL otherwise", () => {
    const given = prepareAuthEnv({
      mode: "start",
      port: 3000,
      env: { NEXTAUTH_SECRET: good, NEXTAUTH_URL: "https://p.example.org" },
      projectRoot: root(),
    });
    expect(given.env.NEXTAUTH_SECRET).toBeUndefined();
    expect(given.env.NEXTAUTH_URL).toBeUndefined();
    expect(
      prepareAuthEnv({ mode: "start", port: 3123, env: { NEXTAUTH_SECRET: good }, projectRoot: root() }).env
        .NEXTAUTH_URL,
    ).toBe("http://localhost:3123");
  });

  it("warns when a public site runs without https", () => {
    const { notes } = prepareAuthEnv({
      mode: "start",
      port: 3000,
      env: { NEXTAUTH_SECRET: good, NEXTAUTH_URL: "http://parallax.example.org" },
      projectRoot: root(),
    });
    expect(notes.join("\n")).toMatch(/Secure/);
  });

  it("opens demo accounts only in the demo, whatever the environment says", () => {
    expect(prepareAuthEnv({ mode: "demo", port: 3000, env: {}, projectRoot: root() }).env.PARALLAX_DEMO).toBe("1");
    expect(
      prepareAuthEnv({
        mode: "start",
        port: 3000,
        env: { NEXTAUTH_SECRET: good, PARALLAX_DEMO: "1" },
        projectRoot: root(),
      }).env.PARALLAX_DEMO,
    ).toBe("0");
    expect(prepareAuthEnv({ mode: "dev", port: 3000, env: {}, projectRoot: root() }).env.PARALLAX_DEMO).toBe("0");
  });

  it("preloads the peer-address recorder, keeping other Node options", () => {
    const { env } = prepareAuthEnv({
      mode: "demo",
      port: 3000,
      env: { NODE_OPTIONS: "--max-old-space-size=2048" },
      projectRoot: root(),
    });
    expect(env.NODE_OPTIONS).toMatch(/^--max-old-space-size=2048 --import=file:\/\/.*\/lib\/cli\/peer-address\.mjs$/);
  });
});
