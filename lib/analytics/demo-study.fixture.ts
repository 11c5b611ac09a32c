// The demo study, seeded into the test database, for the analytics' integration tests.
import type pg from "pg";
import { createPool } from "../db/client";
import { seedDemo } from "../demo/seed";

export async function openDemoStudy(databaseUrl: string): Promise<{ pool: pg.Pool; studyId: number }> {
  const pool = createPool(databaseUrl, 4);
  await seedDemo(pool);
  const studyId = (await pool.query<{ id: number }>("SELECT id FROM study WHERE slug = 'r1-safety-demo'")).rows[0]!.id;
  return { pool, studyId };
}
