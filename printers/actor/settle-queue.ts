import type { PrintWrite, SlipRow } from "../../domain/index.ts";
import type { LineResult } from "../transport/print-line.ts";
import type { ActorDeps, PrinterHealth, ResolvedPrinter } from "./types.ts";

/** An attempt the line has finished with: its job row and slip are settled by the next commit. */
export interface Settled {
  readonly slip: SlipRow;
  readonly jobId: string;
  readonly attempt: number;
  readonly result: LineResult;
  readonly at: string;
  /** Committed but never written: the line failed (or the actor stopped) while its start row committed. */
  readonly heldBack?: boolean;
}

export interface SettleCallbacks {
  scheduleRetry(slipKey: string, atMs: number): void;
  printed(slipKey: string): void;
  /** The slip's settle row is committed (or its commit failed): it is no longer in hand. */
  done(slipKey: string): void;
}

/**
 * Collects the outcomes of finished attempts and commits their settle rows together: with the next
 * start batch (`commitWith`), or on their own once per event-loop turn. Never one commit per slip.
 * After the commit it applies what the outcomes mean: health, backoff, notices, failover.
 */
export class SettleQueue {
  #queue: Settled[] = [];
  #scheduled = false;
  #retryTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly printer: ResolvedPrinter,
    private readonly health: PrinterHealth,
    private readonly deps: ActorDeps,
    private readonly on: SettleCallbacks,
  ) {}

  add(settled: Settled): void {
    this.#queue.push(settled);
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      this.commitWith([]).catch((error) => this.deps.log.error(`printer ${this.printer.id}: settle failed`, error));
    });
  }

  /**
   * One submit: every queued settle row, then `writes`. Rejects when the commit fails; the settles
   * then go back in the queue (their slips stay in hand, so none is taken again) and are retried.
   */
  async commitWith(writes: readonly PrintWrite[]): Promise<void> {
    const settled = this.#queue.splice(0);
    if (settled.length === 0 && writes.length === 0) return;
    const attemptsMax = this.deps.settings.attemptsMax;
    const settleWrites: PrintWrite[] = settled.map(({ slip, jobId, attempt, result, at, heldBack }) => ({
      kind: "settleJob", jobId, slipKey: slip.slipKey, outcome: result.outcome === "not-sent" ? "not_sent" : result.outcome,
      error: result.outcome === "confirmed" ? null : result.error ?? result.outcome,
      // Settled by the content rules in the same transaction: failed copies of this content are resolved.
      lastAttempt: result.outcome !== "confirmed" && !heldBack && attempt >= attemptsMax, at,
    }));
    try {
      await this.deps.ledger.submit([...settleWrites, ...writes]);
    } catch (error) {
      // Printed slips must not print again for a storage hiccup: keep them in hand and record them later.
      this.#queue.unshift(...settled);
      if (settled.length > 0) this.#retryLater();
      throw error;
    }
    await this.#apply(settled);
  }

  #retryLater(): void {
    if (this.#retryTimer) return;
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = undefined;
      this.commitWith([]).catch((error) => this.deps.log.error(`printer ${this.printer.id}: settle failed again`, error));
    }, this.deps.settings.backoffBaseMs);
    this.#retryTimer.unref();
  }

  /** Health, back-off, notices, failover. Every slip leaves the actor's hands whatever throws here. */
  async #apply(settled: readonly Settled[]): Promise<void> {
    const notices: (() => void)[] = [];
    let failover = false;
    let failedHere = false;
    for (const entry of settled) {
      try {
        const outcome = this.#record(entry, failedHere);
        if (outcome.failed) failedHere = true;
        if (outcome.notice) notices.push(outcome.notice);
        failover ||= outcome.failover;
      } catch (error) {
        this.deps.log.error(`printer ${this.printer.id}: settling ${entry.slip.slipKey} failed`, error);
      } finally {
        this.on.done(entry.slip.slipKey);
      }
    }
    for (const notice of notices) {
      try {
        notice();
      } catch (error) {
        this.deps.log.error(`printer ${this.printer.id}: a print notice failed`, error);
      }
    }
    if (failover) await this.failOver();
  }

  /** Moves this printer's queue to its backup; on failure the next failure tries again. */
  async failOver(): Promise<void> {
    this.health.failedOverTo = this.printer.backupPrinterId ?? null;
    try {
      await this.deps.onFailover(this.printer);
    } catch (error) {
      this.health.failedOverTo = null;
      this.deps.log.error(`printer ${this.printer.id}: failover failed`, error);
    }
  }

  /** Whether this printer is due to fail over after one more failure counted now. */
  countFailure(): boolean {
    this.health.consecutiveFailures += 1;
    return Boolean(this.printer.backupPrinterId) && this.health.failedOverTo === null && this.health.consecutiveFailures >= this.printer.failoverAfterFailures;
  }

  #record({ slip, attempt, result, at, heldBack }: Settled, failedHere: boolean): { failed: boolean; failover: boolean; notice?: () => void } {
    const { settings, log } = this.deps;
    this.health.checkedAt = at;
    this.health.status = result.status ?? this.health.status;
    if (result.outcome === "confirmed") {
      this.on.printed(slip.slipKey);
      Object.assign(this.health, { reachable: true, lastError: null, consecutiveFailures: 0 });
      return { failed: false, failover: false, notice: () => this.deps.onOutcome(this.printer, slip, "printed", null) };
    }
    // Committed while the line failed: never written, not the printer's fault, next in line again.
    if (heldBack) return { failed: false, failover: false };
    const error = result.error ?? result.outcome;
    const gaveUp = attempt >= settings.attemptsMax;
    // At the last attempt an original whose content another copy printed is superseded, not failed.
    const state = gaveUp ? this.deps.ledger.slip(slip.slipKey)?.state : "pending";
    const delayMs = Math.min(settings.backoffMaxMs, settings.backoffBaseMs * 2 ** Math.min(attempt - 1, 16));
    this.on.scheduleRetry(slip.slipKey, this.deps.nowMs() + delayMs);
    log.warn(`printer ${this.printer.id}: slip ${slip.slipKey} attempt ${attempt} ${result.outcome} (${error})${gaveUp ? `; gave up (${state})` : ""}`);
    Object.assign(this.health, { reachable: result.outcome === "unknown", lastError: error });
    // One broken line fails every job on it at once: that counts as one failure of the printer.
    const failover = failedHere ? false : this.countFailure();
    const notice = gaveUp && state === "failed" ? () => this.deps.onOutcome(this.printer, slip, "failed", error) : undefined;
    return { failed: true, failover, ...(notice ? { notice } : {}) };
  }
}
