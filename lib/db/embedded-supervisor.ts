// Keeps the launcher's embedded PostgreSQL running: when the server process ends without having
// been asked to (killed, crashed, out of memory), it is started again on the same data folder and
// port, so the web app (which keeps running) reconnects by itself. Restarts are limited
// (restart-policy.ts); past the limit the launcher is told to give up.
import type { Database } from "./connect";
import { restartEmbedded } from "./connect";
import type { EmbeddedPostgres } from "./embedded";
import { decideRestart, DEFAULT_RESTART_POLICY, describeLimit, type RestartPolicy } from "./restart-policy";

export interface SupervisorOptions {
  log: (line: string) => void;
  /** Called once when the server cannot be kept running; the launcher then stops with an error. */
  onGiveUp: (message: string) => void;
  policy?: RestartPolicy;
  /** How long one restart keeps trying to start the server (orphaned backends may still hold its shared memory). */
  startTimeoutMs?: number;
  /** Tests: how to start the server again (default: restartEmbedded). */
  restart?: (db: Database) => Promise<EmbeddedPostgres>;
}

export interface Supervisor {
  /** Stops watching; waits for a restart under way (whose server db.close() then stops). */
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function describeExit(exit: { code: number | null; signal: NodeJS.Signals | null }): string {
  return exit.signal ? `killed by ${exit.signal}` : `exit code ${exit.code}`;
}

export function superviseEmbedded(db: Database, options: SupervisorOptions): Supervisor {
  const policy = options.policy ?? DEFAULT_RESTART_POLICY;
  const restart = options.restart ?? restartEmbedded;
  const startTimeoutMs = options.startTimeoutMs ?? 60_000;
  let stopped = false;
  let history: number[] = [];
  /** Set while a restart is under way: stop() waits for it, so db.close() then stops the new server. */
  let restarting: Promise<unknown> | undefined;

  /** Starts the server again, retrying while the dead one's processes still hold its shared memory. */
  async function startAgain(): Promise<EmbeddedPostgres> {
    const deadline = Date.now() + startTimeoutMs;
    for (let attempt = 1; ; attempt++) {
      try {
        return await restart(db);
      } catch (error) {
        if (stopped || Date.now() > deadline) throw error;
        // After a kill -9 of the postmaster its backends exit on their own within moments; until
        // then PostgreSQL refuses to start ("pre-existing shared memory block is still in use").
        await sleep(Math.min(250 * attempt, 2_000));
      }
    }
  }

  void (async () => {
    for (;;) {
      const server = db.embedded;
      if (!server) return;
      const exit = await server.exited;
      if (stopped || server.stopRequested) return;
      const decision = decideRestart(history, Date.now(), policy);
      history = decision.history;
      if (!decision.restart) {
        const message = `The embedded PostgreSQL stopped again (${describeExit(exit)}) after ${describeLimit(policy)}: giving up and stopping Parallax. Check the disk space and memory of this machine and the data folder ${server.dataDir}, then start Parallax again.`;
        options.log(message);
        options.onGiveUp(message);
        return;
      }
      options.log(
        `The embedded PostgreSQL stopped unexpectedly (pid ${server.pid}, ${describeExit(exit)}); restarting it on 127.0.0.1:${server.port} ` +
          `(restart ${decision.ordinal} of at most ${describeLimit(policy)}). Pages say "database unavailable" until it is back.`,
      );
      await sleep(decision.delayMs);
      if (stopped) return;
      const started = Date.now();
      try {
        const attempt = startAgain();
        restarting = attempt.catch(() => {});
        const again = await attempt;
        restarting = undefined;
        if (stopped) return; // db.close() stops the new one
        options.log(
          `The embedded PostgreSQL is running again (pid ${again.pid}, recovered in ${Date.now() - started} ms).`,
        );
      } catch (error) {
        if (stopped) return;
        const message = `The embedded PostgreSQL could not be started again: ${(error as Error | undefined)?.message ?? String(error)}`;
        options.log(message);
        options.onGiveUp(message);
        return;
      }
    }
  })();

  return {
    async stop() {
      stopped = true;
      await restarting;
    },
  };
}
