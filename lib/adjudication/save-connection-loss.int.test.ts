// A save whose database connection is cut inside its transaction (a restart, a failover): the
// caller gets the error, nothing of the save is written (no final label, no audit event), and the
// pool's only connection is given back, so the next save works.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { openDemoStudy } from "../analytics/demo-study.fixture";
import { createPool } from "../db/client";
import { emptyLabelValues } from "../labels";
import { disagreementPage } from "./list";
import { saveAdjudication } from "./save";

let setup: pg.Pool;
let studyId: number;

beforeAll(async () => {
  ({ pool: setup, studyId } = await openDemoStudy(inject("databaseUrl")));
});
afterAll(async () => {
  await setup.end();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("a save whose connection is cut mid-transaction", () => {
  it("fails, writes nothing, and returns the connection to the pool", async () => {
    const [row] = await disagreementPage(setup, studyId, { status: "open" }, {}, 1);
    const responseId = row!.responseId;
    const audits = async () =>
      (await setup.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_event WHERE study_id = $1", [studyId]))
        .rows[0]!.n;
    const auditsBefore = await audits();

    // Another session holds the response row, so the save waits inside its transaction.
    const holder = new pg.Client({ connectionString: inject("databaseUrl") });
    await holder.connect();
    await holder.query("BEGIN");
    await holder.query("SELECT id FROM response WHERE id = $1 FOR UPDATE", [responseId]);

    const pool = createPool(inject("databaseUrl"), 1);
    const actor = { userId: null, label: "test" };
    const label = { ...emptyLabelValues(), harmSeverity: 3, version: null };
    try {
      const saving = saveAdjudication(pool, studyId, responseId, actor, label);
      saving.catch(() => {});
      let pid: number | null = null;
      for (let i = 0; i < 100 && pid === null; i++) {
        const waiting = await setup.query<{ pid: number }>(
          `SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%FOR UPDATE OF r%'`,
        );
        pid = waiting.rows[0]?.pid ?? null;
        if (pid === null) await sleep(50);
      }
      expect(pid).not.toBeNull();
      await setup.query("SELECT pg_terminate_backend($1)", [pid]);
      await expect(saving).rejects.toThrow();
      await holder.query("ROLLBACK");

      expect((await setup.query("SELECT 1 FROM adjudication WHERE response_id = $1", [responseId])).rowCount).toBe(0);
      expect(await audits()).toBe(auditsBefore);
      // The one connection came back (a broken one is discarded and replaced): the next save runs.
      expect(await saveAdjudication(pool, studyId, responseId, actor, label)).toEqual({ ok: true, version: 1 });
    } finally {
      await holder.end();
      await setup.query("DELETE FROM adjudication WHERE response_id = $1", [responseId]);
      await pool.end();
    }
  });
});
