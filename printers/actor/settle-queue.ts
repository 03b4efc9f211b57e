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

  /** One submit: every queued settle row, then `writes`. Rejects when the commit fails. */
  async commitWith(writes: readonly PrintWrite[]): Promise<void> {
    const settled = this.#queue.splice(0);
    if (settled.length === 0 && writes.length === 0) return;
    const attemptsMax = this.deps.settings.attemptsMax;
    const settleWrites: PrintWrite[] = settled.map(({ slip, jobId, attempt, result, at }) => ({
      kind: "settleJob", jobId, slipKey: slip.slipKey, outcome: result.outcome === "not-sent" ? "not_sent" : result.outcome,
      error: result.outcome === "confirmed" ? null : result.error ?? result.outcome,
      // Settled by the content rules in the same transaction: failed copies of this content are resolved.
      lastAttempt: result.outcome !== "confirmed" && attempt >= attemptsMax, at,
    }));
    try {
      await this.deps.ledger.submit([...settleWrites, ...writes]);
    } catch (error) {
      // The job rows stay "sending": the next copy is marked (mayHavePrinted), and start-up recovery settles them.
      for (const { slip } of settled) {
        this.on.scheduleRetry(slip.slipKey, this.deps.nowMs() + this.deps.settings.backoffMaxMs);
        this.on.done(slip.slipKey);
      }
      throw error;
    }
    await this.#apply(settled);
  }

  async #apply(settled: readonly Settled[]): Promise<void> {
    const { settings, log } = this.deps;
    let failedHere = false;
    for (const { slip, attempt, result, at } of settled) {
      try {
        this.health.checkedAt = at;
        this.health.status = result.status ?? this.health.status;
        if (result.outcome === "confirmed") {
          this.on.printed(slip.slipKey);
          Object.assign(this.health, { reachable: true, lastError: null, consecutiveFailures: 0 });
          failedHere = false;
          this.deps.onOutcome(this.printer, slip, "printed", null);
          continue;
        }
        const error = result.error ?? result.outcome;
        const gaveUp = attempt >= settings.attemptsMax;
        // At the last attempt an original whose content another copy printed is superseded, not failed.
        const state = gaveUp ? this.deps.ledger.slip(slip.slipKey)?.state : "pending";
        // One broken line fails every job on it at once: that counts as one failure of the printer.
        const failures = this.health.consecutiveFailures + (failedHere ? 0 : 1);
        failedHere = true;
        Object.assign(this.health, { reachable: result.outcome === "unknown", lastError: error, consecutiveFailures: failures });
        const delayMs = Math.min(settings.backoffMaxMs, settings.backoffBaseMs * 2 ** Math.min(attempt - 1, 16));
        this.on.scheduleRetry(slip.slipKey, this.deps.nowMs() + delayMs);
        log.warn(`printer ${this.printer.id}: slip ${slip.slipKey} attempt ${attempt} ${result.outcome} (${error})${gaveUp ? `; gave up (${state})` : ""}`);
        if (gaveUp && state === "failed") this.deps.onOutcome(this.printer, slip, "failed", error);
        if (this.printer.backupPrinterId && this.health.failedOverTo === null && this.health.consecutiveFailures >= this.printer.failoverAfterFailures) {
          this.health.failedOverTo = this.printer.backupPrinterId;
          await this.deps.onFailover(this.printer);
        }
      } finally {
        this.on.done(slip.slipKey);
      }
    }
  }
}
