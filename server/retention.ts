import { createOutboxPruner, retentionLimits, type OutboxPruner, type Storage, type Writer } from "../storage/index.ts";
import { systemClock, type Clock } from "./clock.ts";
import type { Logger } from "./logger.ts";

export const retentionDefaults = {
  /** RETENTION_DAYS: how long processed_commands (= the idempotency window) and delivered outbox rows are kept. */
  days: 30,
  /** A run at start, then one every hour. */
  everyMs: 60 * 60 * 1000,
  /** Safety bound of one run (a run that still finds rows continues at the next tick). */
  writesPerRunMax: 10_000,
} as const;

const dayMs = 24 * 60 * 60 * 1000;

/**
 * The idempotency window the command pipeline enforces on `issuedAt` (docs/PROTOCOL.md §6). It is
 * the processed_commands retention, so it is process-wide: startApp sets it from RETENTION_DAYS
 * and its clock (the rooms' pipeline has no other way to reach the configuration).
 */
const windowState: { days: number; clock: Clock } = { days: retentionDefaults.days, clock: systemClock };

export function setIdempotencyWindow(days: number, clock: Clock): void {
  if (!(days > 0)) throw new RangeError(`retention days must be positive, got ${days}`);
  windowState.days = days;
  windowState.clock = clock;
}

export function idempotencyWindow(): { readonly days: number; readonly windowMs: number; nowMs(): number } {
  const { days, clock } = windowState;
  return { days, windowMs: days * dayMs, nowMs: () => clock.nowMs() };
}

export interface RetentionOptions {
  readonly writer: Writer;
  readonly storage: Storage;
  readonly clock: Clock;
  readonly log: Logger;
  /** Registered durable outbox subscribers (the relay's lanes whose cursor is saved). */
  readonly subscribers: () => readonly string[];
  readonly days?: number;
  /** Rows per write; default retentionLimits.pruneRowsPerWrite (5,000). */
  readonly rowsPerWrite?: number;
  readonly everyMs?: number;
}

/**
 * Prunes processed_commands older than the window and outbox rows older than the window that every
 * subscriber's saved cursor has passed. Each chunk is a system write through the writer (it shares
 * group commits and runs on the writer thread) and deletes at most `rowsPerWrite` rows, so a big
 * backlog never holds up other commits for long.
 */
export class Retention {
  readonly #pruner: OutboxPruner;
  readonly #days: number;
  readonly #rowsPerWrite: number;
  readonly #everyMs: number;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<number> | undefined;
  #stopped = false;

  constructor(private readonly options: RetentionOptions) {
    this.#pruner = createOutboxPruner(options.storage);
    this.#days = options.days ?? retentionDefaults.days;
    this.#rowsPerWrite = options.rowsPerWrite ?? retentionLimits.pruneRowsPerWrite;
    this.#everyMs = options.everyMs ?? retentionDefaults.everyMs;
    if (!(this.#days > 0)) throw new RangeError(`retention days must be positive, got ${this.#days}`);
    if (!(Number.isInteger(this.#rowsPerWrite) && this.#rowsPerWrite > 0)) throw new RangeError(`rows per write must be a positive integer, got ${this.#rowsPerWrite}`);
  }

  /** Runs once now, then every `everyMs` (an unref'd timer: it never keeps the process alive). */
  start(): void {
    if (this.#stopped || this.#timer) return;
    this.#timer = setInterval(() => void this.#tick(), this.#everyMs);
    this.#timer.unref();
    void this.#tick();
  }

  /** Clears the timer and waits for a run in progress (it stops after its current write). */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#running?.catch(() => undefined);
  }

  /** One run: chunk after chunk until nothing is left to prune. Resolves with the number of writes. */
  runOnce(): Promise<number> {
    return (this.#running ??= this.#run().finally(() => {
      this.#running = undefined;
    }));
  }

  async #tick(): Promise<void> {
    try {
      await this.runOnce();
    } catch (error) {
      this.options.log.warn(`retention: pruning failed (tried again in ${Math.round(this.#everyMs / 1000)} s): ${String(error)}`);
    }
  }

  async #run(): Promise<number> {
    const cutoff = new Date(this.options.clock.nowMs() - this.#days * dayMs).toISOString();
    const scope = { commandsBefore: cutoff, outboxBefore: cutoff, subscribers: [...this.options.subscribers()] };
    let writes = 0;
    while (!this.#stopped && writes < retentionDefaults.writesPerRunMax && this.#pruner.pending(scope)) {
      await this.options.writer.submitSystem([{ kind: "prune", ...scope, limit: this.#rowsPerWrite }]);
      writes += 1;
    }
    if (writes > 0) this.options.log.info(`retention: pruned rows older than ${cutoff} (${this.#days} days) in ${writes} write(s)`);
    return writes;
  }
}
