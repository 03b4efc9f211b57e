import type { CommandMeta } from "../rooms/command-pipeline.ts";
import type { RoomContext } from "../rooms/context.ts";
import type { SessionReader } from "../storage/index.ts";
import type { AppConfig } from "./config/index.ts";
import { configLimits } from "./config/schema.ts";
import type { Clock } from "./clock.ts";
import type { Logger } from "./logger.ts";

export const idleSweepDefaults = {
  /** IDLE_SWEEP_INTERVAL_MS: how often the database is looked at. */
  intervalMs: 60_000,
  /** One live session per table: one page of this size holds every candidate of a store. */
  pageSize: configLimits.tablesPerStoreMax,
} as const;

export interface IdleSweepReport {
  readonly timedOut: number;
  /** Candidates left alone: activity since the query, another process's session, a refusal. */
  readonly skipped: number;
}

/**
 * R-OFF-1 as a durable timer: the database, not a setTimeout, says when a session was last active
 * (the time of its last event), so the timeout also happens with no terminal connected and after a
 * restart (the first pass runs at start). Each candidate gets a `TimeOutSession` through its
 * table's session actor, which decides again on the state it holds (the session may have moved
 * since the query) and notifies any open room from the committed result. Every process sweeps, like
 * the payment reconciler: a second writer's attempt fails on the session version and changes nothing.
 */
export class IdleSweeper {
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<IdleSweepReport> | undefined;
  #stopped = false;

  constructor(
    private readonly ctx: RoomContext,
    private readonly reader: SessionReader,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly options: { intervalMs?: number | undefined } = {},
  ) {}

  start(): void {
    void this.runOnce();
    this.#timer = setInterval(() => void this.runOnce(), this.options.intervalMs ?? idleSweepDefaults.intervalMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearInterval(this.#timer);
    await this.#running?.catch(() => undefined);
  }

  /** One pass over every store (one pass at a time; a second call gets the running one). */
  runOnce(): Promise<IdleSweepReport> {
    this.#running ??= this.#pass()
      .catch((error: unknown) => {
        this.log.error("idle sweep failed", error);
        return { timedOut: 0, skipped: 0 };
      })
      .finally(() => (this.#running = undefined));
    return this.#running;
  }

  async #pass(): Promise<IdleSweepReport> {
    let timedOut = 0;
    let skipped = 0;
    for (const store of this.config.stores) {
      const idleTimeoutSeconds = store.sessions.idleTimeoutSeconds;
      if (idleTimeoutSeconds === 0 || this.#stopped) continue;
      const before = new Date(this.clock.nowMs() - idleTimeoutSeconds * 1000).toISOString();
      for (const row of this.reader.idleSessions(store.id, before, idleSweepDefaults.pageSize)) {
        if (this.#stopped) break;
        if (await this.#timeOut(store.id, row.table_id, row.session_id, row.version, row.last_activity_at, idleTimeoutSeconds)) timedOut += 1;
        else skipped += 1;
      }
    }
    return { timedOut, skipped };
  }

  async #timeOut(storeId: string, tableId: string, sessionId: string, version: number, lastActivityAt: string, idleTimeoutSeconds: number): Promise<boolean> {
    const session = this.ctx.sessions.get(storeId, tableId);
    // This process's actor holds another session: it is behind a write of another process, which sweeps it.
    if (!session || session.state.sessionId !== sessionId) return false;
    const outcome = await session.submit(systemMeta(storeId, `idle-timeout#${sessionId}#${version}`), () => ({
      command: { type: "TimeOutSession", lastActivityAt, idleTimeoutSeconds },
      reply: (s) => ({ sessionId: s.sessionId, status: s.status, version: s.version }),
    }));
    if (!outcome.ok) {
      // Activity since the query (INVALID_TRANSITION, rule session_not_idle) is the normal race; anything else is worth a look.
      if (outcome.error.code === "INVALID_TRANSITION") this.log.debug(`idle timeout: ${storeId}/${tableId} was active meanwhile`);
      else this.log.warn(`idle timeout: ${storeId}/${tableId} session ${sessionId}: ${outcome.error.code} ${outcome.error.message}`);
      return false;
    }
    const state = session.state;
    if (state.status !== "timed_out") return false;
    this.log.info("session timed out", { store: storeId, table: tableId, session: sessionId, lastActivityAt });
    return true;
  }
}

function systemMeta(storeId: string, cmdId: string): CommandMeta {
  return { cmdId, bodyHash: "", principal: { staffId: "system", storeId, role: "system", name: "유휴 시간초과 (idle timeout)" } };
}
