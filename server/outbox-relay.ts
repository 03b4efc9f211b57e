import type { OutboxRow, OutboxStore } from "../storage/index.ts";
import { storageLimits } from "../storage/index.ts";
import type { Clock } from "./clock.ts";
import { isoAt } from "./clock.ts";
import type { Logger } from "./logger.ts";

/**
 * A consumer of outbox events. Delivery is at least once and in outbox order, so `deliver`
 * must be idempotent by `row.eventId` (R-CON-3). A throw means "not delivered, try again".
 */
export interface OutboxSubscriber {
  /** Durable cursor key: renaming a subscriber replays the whole outbox to it. */
  readonly name: string;
  /** Topics (event types) it wants; rows of other topics are skipped but still pass its cursor. */
  readonly topics?: ReadonlySet<string>;
  deliver(row: OutboxRow): Promise<void> | void;
  /**
   * In-memory projections rebuilt from SQLite at start pass the outbox head they were built at:
   * delivery starts after it and the cursor is never saved.
   */
  readonly startAfterId?: number;
}

export const relayLimits = {
  retryBaseMs: 200,
  retryMaxMs: 30_000,
  /** Saving the cursor costs an fsync; a crash in between only causes redelivery, which is allowed. */
  cursorSaveEveryMs: 250,
  pollEveryMs: 1_000,
  /** Consecutive failures after which a lane is parked (no more retries until unpark or a restart). */
  parkAfterFailures: 20,
} as const;

export interface RelayOptions {
  /** Default relayLimits.parkAfterFailures (OUTBOX_PARK_AFTER_FAILURES). */
  readonly parkAfterFailures?: number;
}

interface Lane {
  readonly subscriber: OutboxSubscriber;
  deliveredId: number;
  savedId: number;
  savedAtMs: number;
  running: boolean;
  again: boolean;
  failures: number;
  retryTimer: NodeJS.Timeout | undefined;
  /** Failed parkAfterFailures times in a row: not retried until unpark() or a restart. */
  parked: boolean;
  lastError: string | undefined;
}

/** Drains the outbox to each subscriber independently: a failing one never holds up the others. */
export class OutboxRelay {
  readonly #lanes: Lane[] = [];
  #poll: NodeJS.Timeout | undefined;
  #stopped = false;
  /**
   * The last page read: lanes drain in step, so the next lane usually asks for the same one and its
   * rows (and their parsed payloads) are shared. Safe to reuse: rows are immutable and become visible
   * in id order (one writer), so a page missing newer rows only means one more read after it. An
   * empty page is never kept: a lane must not take an old empty end for the head.
   */
  #lastPage: { afterId: number; rows: OutboxRow[] } | undefined;

  constructor(
    private readonly store: OutboxStore,
    private readonly clock: Clock,
    private readonly log: Logger,
    /** Persists a cursor; defaults to a direct write (tests). The server routes it through the writer thread. */
    private readonly persistCursor: (subscriber: string, lastId: number, at: string) => Promise<void> | void = (s, id, at) => store.markDelivered(s, id, at),
    private readonly options: RelayOptions = {},
  ) {
    const park = options.parkAfterFailures ?? relayLimits.parkAfterFailures;
    if (!(Number.isInteger(park) && park > 0)) throw new RangeError(`parkAfterFailures must be a positive integer, got ${park}`);
  }

  add(subscriber: OutboxSubscriber): void {
    const deliveredId = subscriber.startAfterId ?? this.store.cursor(subscriber.name);
    this.#lanes.push({ subscriber, deliveredId, savedId: deliveredId, savedAtMs: 0, running: false, again: false, failures: 0, retryTimer: undefined, parked: false, lastError: undefined });
    this.wake();
  }

  start(): void {
    this.#poll = setInterval(() => this.wake(), relayLimits.pollEveryMs);
    this.#poll.unref();
    this.wake();
  }

  /** New rows were committed: every idle lane starts draining. */
  wake(): void {
    if (this.#stopped) return;
    for (const lane of this.#lanes) if (lane.retryTimer === undefined && !lane.parked) void this.#drain(lane);
  }

  /**
   * Resumes a parked subscriber from where it stopped (its saved cursor): the failure count starts
   * again. Returns false when no subscriber of that name is parked.
   */
  unpark(name: string): boolean {
    let resumed = false;
    for (const lane of this.#lanes) {
      if (lane.subscriber.name !== name || !lane.parked) continue;
      lane.parked = false;
      lane.failures = 0;
      resumed = true;
      this.log.info(`outbox: ${name} unparked; delivery resumes after id ${lane.deliveredId}`);
      if (!this.#stopped) void this.#drain(lane);
    }
    return resumed;
  }

  /** Names of the subscribers whose cursor is saved (retention prunes nothing they have not passed). */
  durableSubscribers(): string[] {
    return this.#lanes.filter((l) => l.subscriber.startAfterId === undefined).map((l) => l.subscriber.name);
  }

  /** Stops after in-flight deliveries and saves every cursor. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#poll) clearInterval(this.#poll);
    for (const lane of this.#lanes) if (lane.retryTimer) clearTimeout(lane.retryTimer);
    while (this.#lanes.some((l) => l.running)) await new Promise((r) => setTimeout(r, 5));
    for (const lane of this.#lanes) this.#saveCursor(lane, true);
  }

  async #drain(lane: Lane): Promise<void> {
    if (lane.parked) return;
    if (lane.running) {
      lane.again = true;
      return;
    }
    lane.running = true;
    try {
      do {
        lane.again = false;
        let page = this.#page(lane.deliveredId);
        while (page.length > 0 && !this.#stopped) {
          for (const row of page) {
            if (!lane.subscriber.topics || lane.subscriber.topics.has(row.topic)) await lane.subscriber.deliver(row);
            lane.deliveredId = row.id;
          }
          this.#saveCursor(lane, false);
          // Let the rooms run between pages: a long backlog must not stall every terminal.
          await new Promise((resolve) => setImmediate(resolve));
          page = this.#page(lane.deliveredId);
        }
      } while (lane.again && !this.#stopped);
      lane.failures = 0;
      lane.lastError = undefined;
      this.#saveCursor(lane, true);
    } catch (error) {
      this.#saveCursor(lane, true);
      this.#scheduleRetry(lane, error);
    } finally {
      lane.running = false;
    }
  }

  #page(afterId: number): OutboxRow[] {
    if (this.#lastPage?.afterId === afterId) return this.#lastPage.rows;
    const rows = this.store.page(afterId, storageLimits.outboxPageSize);
    this.#lastPage = rows.length > 0 ? { afterId, rows } : undefined;
    return rows;
  }

  #scheduleRetry(lane: Lane, error: unknown): void {
    lane.failures += 1;
    lane.lastError = String(error);
    const parkAfter = this.options.parkAfterFailures ?? relayLimits.parkAfterFailures;
    if (lane.failures >= parkAfter) {
      lane.parked = true;
      // An alert, not a warning: this subscriber gets nothing until someone looks (unpark or restart).
      this.log.error(`outbox: subscriber ${lane.subscriber.name} PARKED after ${lane.failures} consecutive failures at the row after id ${lane.deliveredId}; no more retries until unpark or a restart. Last error: ${lane.lastError}`);
      return;
    }
    const delayMs = Math.min(relayLimits.retryMaxMs, relayLimits.retryBaseMs * 2 ** Math.min(lane.failures - 1, 16));
    this.log.warn(`outbox: ${lane.subscriber.name} failed after id ${lane.deliveredId} (attempt ${lane.failures}), retry in ${delayMs} ms: ${String(error)}`);
    lane.retryTimer = setTimeout(() => {
      lane.retryTimer = undefined;
      void this.#drain(lane);
    }, delayMs);
    lane.retryTimer.unref();
  }

  #saveCursor(lane: Lane, force: boolean): void {
    if (lane.deliveredId === lane.savedId || lane.subscriber.startAfterId !== undefined) return;
    const nowMs = this.clock.nowMs();
    if (!force && nowMs - lane.savedAtMs < relayLimits.cursorSaveEveryMs) return;
    const result = this.persistCursor(lane.subscriber.name, lane.deliveredId, isoAt(this.clock));
    // A lost cursor save only means redelivery after a restart (at least once), never loss.
    if (result instanceof Promise) result.catch((error: unknown) => this.log.warn(`outbox: cursor of ${lane.subscriber.name} not saved: ${String(error)}`));
    lane.savedId = lane.deliveredId;
    lane.savedAtMs = nowMs;
  }

  /** Where each subscriber stands (for health and tests). */
  status(): { name: string; deliveredId: number; failures: number; parked: boolean }[] {
    // The last error goes to the log only: /api/health is unauthenticated.
    return this.#lanes.map((l) => ({ name: l.subscriber.name, deliveredId: l.deliveredId, failures: l.failures, parked: l.parked }));
  }
}
