// The review workspace is blind for everyone: no checkpoint name or strategy in what the server
// sends for the workspace and "my labels" — HTML or React's payload — whoever asks.
import { expect, test } from "@playwright/test";
import { DEMO_CHECKPOINTS } from "../lib/demo/checkpoints";
import { storageStatePath } from "./support/accounts";

const secrets = [
  ...DEMO_CHECKPOINTS.map((c) => c.name),
  "HYBRID",
  "trainingStep",
  "strategy",
  "computeGpuHours",
  "checkpointId",
  "checkpoint_id",
];

for (const role of ["REVIEWER", "ADMIN"] as const) {
  test.describe(`as ${role.toLowerCase()}`, () => {
    test.use({ storageState: storageStatePath(role) });

    test("the workspace and my labels never name a checkpoint or strategy", async ({ page, request }) => {
      await page.goto("/studies/r1-safety-demo/review");
      await expect(page.getByRole("heading", { name: "Response A" })).toBeVisible();
      await expect(page.getByText(/Response [A-Z]/).first()).toBeVisible();
      const sources = [
        await (await request.get("/studies/r1-safety-demo/review")).text(),
        await (await request.get("/studies/r1-safety-demo/review", { headers: { RSC: "1" } })).text(),
        await (await request.get("/studies/r1-safety-demo/labels")).text(),
        await (await request.get("/studies/r1-safety-demo/labels", { headers: { RSC: "1" } })).text(),
        await page.content(),
      ];
      for (const [i, source] of sources.entries()) {
        expect(source.length, `source ${i}`).toBeGreaterThan(1000);
        for (const secret of secrets) expect(source.includes(secret), `"${secret}" in source ${i}`).toBe(false);
      }
    });
  });
}
