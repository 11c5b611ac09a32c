// The fault suite's own harness: the app it starts serves the demo study to a signed-in account
// and stops with its database.
import { existsSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, type AppServer } from "./app-server";

describe("fault-suite app server", () => {
  let app: AppServer;
  beforeAll(async () => {
    app = await startAppServer({ name: "harness", embedded: true });
  });
  afterAll(async () => {
    await app?.stop();
  });

  it("serves the demo study to the demo researcher and stops its embedded PostgreSQL", async () => {
    const cookie = await app.signIn("researcher@demo.parallax.local");
    const page = await fetch(`${app.url}/`, { headers: { cookie } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("R1 safety study (synthetic demo)");
    const pid = app.embeddedPostgresPid();
    expect(pid).toBeGreaterThan(0);
    await app.stop();
    expect(app.child.exitCode).toBe(0);
    expect(existsSync(`/proc/${pid}`)).toBe(false);
  });
});
