import { createHash } from "node:crypto";
import { connect } from "node:net";
import { decideCopy, type CopyMark } from "../../domain/index.ts";
import { renderReceipt, renderSlip, sendJob, slipLimits, type ReceiptData, type SendResult } from "../../printers/index.ts";
import type { KitchenReader, PrintStore, SlipRow, SystemWrite } from "../../storage/index.ts";
import type { PrintingConfig, StoreConfig } from "../config/index.ts";
import { isoAt, type Clock } from "../clock.ts";
import type { Logger } from "../logger.ts";
import { slipFromTicket } from "./slip-data.ts";
import { crashNow, crashPoints } from "../crash-points.ts";
import type { PrinterHealth, ResolvedPrinter } from "./types.ts";

export interface ActorDeps {
  readonly store: StoreConfig;
  readonly prints: PrintStore;
  /** Durable bookkeeping through the group commit (resolves after COMMIT). */
  submit(writes: readonly SystemWrite[]): Promise<void>;
  readonly kitchen: KitchenReader;
  readonly printing: PrintingConfig;
  readonly clock: Clock;
  readonly log: Logger;
  newId(): string;
  /** A slip reached a final state, or a printer failed over. */
  onOutcome(printer: ResolvedPrinter, slip: SlipRow, outcome: "printed" | "failed", error: string | null): void;
  onFailover(printer: ResolvedPrinter): Promise<void>;
  printerName(printerId: string): string;
}

/**
 * One actor per printer: prints its pending slips one at a time, in order (one TCP connection at a
 * time, PRINTERS.md §9.7). Every attempt is a durable job row written before the first byte.
 * A printer that is down only delays its own queue; retries back off up to the configured limit.
 */
export class PrinterActor {
  readonly health: PrinterHealth;
  #running = false;
  #again = false;
  #stopped = false;
  #retryTimer: NodeJS.Timeout | undefined;
  readonly #notBefore = new Map<string, number>();
  #jobSeq = 0;
  /** Held while a connection to this printer is open (a job or a health check): one at a time (PRINTERS.md §9.7). */
  #line: Promise<void> | undefined;

  constructor(readonly printer: ResolvedPrinter, private readonly deps: ActorDeps) {
    this.health = {
      printerId: printer.id, storeId: printer.storeId, name: printer.name, address: `${printer.host}:${printer.port}`,
      reachable: true, status: null, checkedAt: null, lastError: null, consecutiveFailures: 0, failedOverTo: null, pending: 0,
    };
  }

  wake(): void {
    if (this.#stopped) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    void this.#drain();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#retryTimer) clearTimeout(this.#retryTimer);
    while (this.#running) await new Promise((r) => setTimeout(r, 5));
  }

  get busy(): boolean {
    return this.#running;
  }

  /**
   * The health check's way onto the line: skipped (undefined) while a job is in hand or the line is
   * held; otherwise `query` runs holding the line, so a job that starts meanwhile waits for it.
   */
  async whenIdle<T>(query: () => Promise<T>): Promise<T | undefined> {
    if (this.#running || this.#line) return undefined;
    return this.#onLine(query);
  }

  /** Runs `use` alone on this printer's line (waits for a health check or job in progress). */
  async #onLine<T>(use: () => Promise<T>): Promise<T> {
    while (this.#line) await this.#line;
    let release!: () => void;
    this.#line = new Promise((r) => (release = r));
    try {
      return await use();
    } finally {
      this.#line = undefined;
      release();
    }
  }

  async #drain(): Promise<void> {
    this.#running = true;
    try {
      do {
        this.#again = false;
        for (;;) {
          if (this.#stopped) return;
          const slip = this.deps.prints.nextPending(this.printer.id);
          if (!slip) break;
          const waitMs = (this.#notBefore.get(slip.slipKey) ?? 0) - this.deps.clock.nowMs();
          if (waitMs > 0) {
            this.#scheduleWake(waitMs);
            break;
          }
          await this.#attempt(slip);
        }
      } while (this.#again && !this.#stopped);
    } catch (error) {
      // A bug or a storage failure: log it and try again later rather than losing the queue.
      this.deps.log.error(`printer ${this.printer.id}: drain failed`, error);
      this.#scheduleWake(this.deps.printing.backoffMaxMs);
    } finally {
      this.#running = false;
    }
  }

  #scheduleWake(delayMs: number): void {
    if (this.#retryTimer) clearTimeout(this.#retryTimer);
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = undefined;
      this.wake();
    }, delayMs);
    this.#retryTimer.unref();
  }

  /**
   * The bytes of one attempt and the hash of its unmarked content (dedupe, PRINTING.md §5). A receipt
   * (`receipt:<id>`) prints its frozen content; any marked copy of it prints with a COPY mark.
   */
  #render(slip: SlipRow, mark: CopyMark):
    { ok: true; rendered: { bytes: Buffer }; payloadHash: string } | { ok: false; error: string } {
    try {
      if (slip.ticketId.startsWith("receipt:")) {
        const data = this.deps.kitchen.receiptPayload(slip.ticketId.slice("receipt:".length)) as ReceiptData | undefined;
        if (!data) return { ok: false, error: "receipt not found" };
        const copyNo = mark.kind === "none" ? data.copy : Math.max(data.copy, mark.kind === "reprint" ? mark.n : 1);
        const rendered = renderReceipt({ ...data, copy: copyNo, widthChars: this.printer.widthChars });
        return { ok: true, rendered, payloadHash: createHash("sha256").update(renderReceipt({ ...data, widthChars: this.printer.widthChars }).bytes).digest("hex") };
      }
      const data = this.deps.kitchen.ticketWithItems(slip.ticketId);
      if (!data) return { ok: false, error: "ticket not found" };
      const reprintCount = mark.kind === "reprint" ? Math.min(slipLimits.reprintCountMax, mark.n) : 0;
      const backupFrom = slip.backupFrom ? this.deps.printerName(slip.backupFrom) : undefined;
      const content = slipFromTicket(this.deps.store, data.ticket, data.items, this.printer.widthChars);
      const rendered = renderSlip({ ...content, reprintCount, mayBeDuplicate: mark.kind === "duplicate", ...(backupFrom ? { backupFrom } : {}) });
      return { ok: true, rendered, payloadHash: createHash("sha256").update(renderSlip(content).bytes).digest("hex") };
    } catch (error) {
      return { ok: false, error: `cannot render: ${error instanceof Error ? error.message : String(error)}` };
    }
  }

  async #attempt(slip: SlipRow): Promise<void> {
    const now = () => isoAt(this.deps.clock);
    crashPoints.armed?.hit("after-outbox-before-print"); // test-only (CRASH_AT, DESIGN.md §7)
    // Dedupe by content (PRINTING.md §5): the whole slip family (original + reprints) decides the mark.
    const family = this.deps.prints.familyOf(slip.slipKey);
    if (!family) return; // gone between the queue read and now: nothing to print
    const copy = decideCopy(family.family, slip.slipKey);
    if (copy.action === "supersede") {
      await this.deps.submit([{ kind: "supersede", slipKey: slip.slipKey, by: copy.by, at: now() }]);
      this.#notBefore.delete(slip.slipKey);
      this.deps.log.info(`printer ${this.printer.id}: slip ${slip.slipKey} not printed: its content already printed as ${copy.by}`);
      return;
    }
    const attempt = slip.attempts + 1;
    // R-KRP-3: an admin reprint says REPRINT n; a copy after an attempt that may have printed says MAY BE DUPLICATE.
    const { mark } = copy;
    const marked = mark.kind !== "none";
    const content = this.#render(slip, mark);
    if (!content.ok) {
      // A slip that cannot be rendered would block the queue forever: fail it (admins are told) and go on.
      await this.deps.submit([{ kind: "finishJob", jobId: "", slipKey: slip.slipKey, outcome: "not_sent", error: content.error, slipState: "failed", needsMark: false, at: now() }]);
      this.deps.onOutcome(this.printer, slip, "failed", content.error);
      return;
    }
    const { rendered, payloadHash } = content;
    const jobId = this.deps.newId();
    // Durable before the first byte: a crash from here on leaves a "sending" row, settled as unknown at start-up.
    await this.deps.submit([{ kind: "startJob", job: { jobId, slipKey: slip.slipKey, storeId: slip.storeId, printerId: this.printer.id, attempt, marked, payloadHash, requestedBy: "printer-actor", at: now() } }]);
    const target = { host: this.printer.host, port: this.printer.port };
    // Test-only (CRASH_AT=mid-print): part of the slip reaches the printer, then the process dies.
    if (crashPoints.armed?.reached("mid-print")) await this.#onLine(() => sendPartThenCrash(target, rendered.bytes));
    const result = await this.#onLine(() => sendJob(target, rendered.bytes, {
      jobTag: this.#jobTag(),
      connectTimeoutMs: this.deps.printing.connectTimeoutMs,
      completionTimeoutMs: this.deps.printing.completionTimeoutMs,
    }));
    if (result.outcome === "confirmed") crashPoints.armed?.hit("after-print-before-ledger"); // test-only (CRASH_AT)
    await this.#record(slip, jobId, attempt, result, now());
  }

  async #record(slip: SlipRow, jobId: string, attempt: number, result: SendResult, at: string): Promise<void> {
    this.health.checkedAt = at;
    this.health.status = result.status ?? this.health.status;
    if (result.outcome === "confirmed") {
      // Settled by the content rules in the same transaction: failed copies of this content are resolved.
      await this.deps.submit([{ kind: "settleJob", jobId, slipKey: slip.slipKey, outcome: "confirmed", error: null, lastAttempt: false, at }]);
      this.#notBefore.delete(slip.slipKey);
      Object.assign(this.health, { reachable: true, lastError: null, consecutiveFailures: 0 });
      this.deps.onOutcome(this.printer, slip, "printed", null);
      return;
    }
    const error = result.error ?? result.outcome;
    const unknown = result.outcome === "unknown";
    const gaveUp = attempt >= this.deps.printing.attemptsMax;
    await this.deps.submit([{ kind: "settleJob", jobId, slipKey: slip.slipKey, outcome: unknown ? "unknown" : "not_sent", error, lastAttempt: gaveUp, at }]);
    // At the last attempt an original whose content another copy printed is superseded, not failed.
    const settled = gaveUp ? this.deps.prints.slip(slip.slipKey)?.state : "pending";
    Object.assign(this.health, { reachable: result.outcome === "unknown", lastError: error, consecutiveFailures: this.health.consecutiveFailures + 1 });
    const delayMs = Math.min(this.deps.printing.backoffMaxMs, this.deps.printing.backoffBaseMs * 2 ** Math.min(attempt - 1, 16));
    this.#notBefore.set(slip.slipKey, this.deps.clock.nowMs() + delayMs);
    this.deps.log.warn(`printer ${this.printer.id}: slip ${slip.slipKey} attempt ${attempt} ${result.outcome} (${error})${gaveUp ? `; gave up (${settled})` : ""}`);
    if (gaveUp && settled === "failed") this.deps.onOutcome(this.printer, slip, "failed", error);
    if (this.printer.backupPrinterId && this.health.failedOverTo === null && this.health.consecutiveFailures >= this.printer.failoverAfterFailures) {
      this.health.failedOverTo = this.printer.backupPrinterId;
      await this.deps.onFailover(this.printer);
    }
  }

  /** 4 printable chars for GS ( H, unique among this printer's recent jobs. */
  #jobTag(): string {
    this.#jobSeq = (this.#jobSeq + 1) % 36 ** 4;
    return this.#jobSeq.toString(36).padStart(4, "0");
  }
}

/** CRASH_AT=mid-print: the first half of the slip goes to the printer (no cut, no completion request), then SIGKILL. */
function sendPartThenCrash(target: { host: string; port: number }, bytes: Buffer): Promise<never> {
  return new Promise(() => {
    const socket = connect(target.port, target.host, () => {
      socket.write(bytes.subarray(0, Math.max(1, Math.floor(bytes.length / 2))), () => crashNow("mid-print"));
    });
    socket.on("error", () => crashNow("mid-print"));
  });
}
