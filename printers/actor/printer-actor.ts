import { decideCopy, type PrintWrite, type SlipRow } from "../../domain/index.ts";
import { lineLimits } from "../limits.ts";
import { PrintLine, type LineResult } from "../transport/print-line.ts";
import { notReady } from "../transport/line-reader.ts";
import { queryStatus } from "../transport/send.ts";
import { sendPartThenCrash } from "./crash-send.ts";
import { renderCopy } from "./render-copy.ts";
import { SettleQueue, type Settled } from "./settle-queue.ts";
import type { ActorDeps, PrinterHealth, ResolvedPrinter } from "./types.ts";

/** A slip whose job row is committed and whose bytes are on (or about to go on) the line. */
interface Job {
  readonly slip: SlipRow;
  readonly jobId: string;
  readonly attempt: number;
  readonly bytes: Buffer;
}

const familyOf = (slip: SlipRow) => slip.reprintOf ?? slip.slipKey;

/**
 * One actor per printer, one persistent connection (PrintLine) per actor. It takes up to a window
 * of pending slips, commits all their job rows in one submit (durable before the first byte of any
 * of them), then pipelines them; echoed jobs settle together, riding on the next start batch or
 * one submit per event-loop turn. One slip of a family is in hand at a time, so each copy is
 * decided (`decideCopy`) on a settled family. A printer that is down only delays its own queue.
 */
export class PrinterActor {
  readonly health: PrinterHealth;
  readonly #line: PrintLine;
  readonly #window: number;
  readonly #settles: SettleQueue;
  #running = false;
  #again = false;
  #stopped = false;
  #retryTimer: NodeJS.Timeout | undefined;
  readonly #notBefore = new Map<string, number>();
  /** Slips in hand: on the line, or echoed and waiting for their settle commit; by slip key → family root. */
  readonly #onLine = new Map<string, string>();
  readonly #settling = new Map<string, string>();
  /** Failed attempts not yet settled: nothing new starts until they are (their settle may fail the printer over). */
  readonly #failed = new Set<string>();
  #progress: (() => void) | undefined;
  #jobSeq = 0;
  /** Held by a health check while it queries the printer on its own connection (one connection at a time, PRINTERS.md §9.7). */
  #lock: Promise<void> | undefined;
  /** Why the printer last said it cannot print (paper out…): its slips wait, its status is polled. */
  #notReady: string | undefined;
  #nextProbeAtMs = 0;

  constructor(readonly printer: ResolvedPrinter, private readonly deps: ActorDeps) {
    this.health = {
      printerId: printer.id, storeId: printer.storeId, name: printer.name, address: `${printer.host}:${printer.port}`,
      reachable: true, status: null, checkedAt: null, lastError: null, consecutiveFailures: 0, failedOverTo: null, pending: 0,
    };
    this.#window = deps.windowJobs ?? lineLimits.windowJobs;
    this.#line = new PrintLine({ host: printer.host, port: printer.port }, {
      connectTimeoutMs: deps.settings.connectTimeoutMs, completionTimeoutMs: deps.settings.completionTimeoutMs,
      windowJobs: this.#window, idleCloseMs: deps.idleCloseMs ?? lineLimits.idleCloseMs,
    });
    this.#settles = new SettleQueue(printer, this.health, deps, {
      scheduleRetry: (slipKey, atMs) => this.#notBefore.set(slipKey, atMs),
      printed: (slipKey) => this.#notBefore.delete(slipKey),
      done: (slipKey) => {
        this.#settling.delete(slipKey);
        this.#failed.delete(slipKey);
        this.#signal();
      },
    });
  }

  wake(): void {
    if (this.#stopped) return;
    if (this.#running) {
      this.#again = true;
      this.#signal();
      return;
    }
    void this.#drain();
  }

  /** Starts nothing more, waits for the jobs in hand to settle, closes the line. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#retryTimer) clearTimeout(this.#retryTimer);
    this.#signal();
    while (this.#running) await new Promise((r) => setTimeout(r, 5));
    await this.#line.close();
  }

  get busy(): boolean {
    return this.#running;
  }

  /**
   * The health check's way to the printer: skipped (undefined) while a job is on the line; otherwise the
   * idle line is closed and `query` runs holding the lock, so a job that starts meanwhile waits for it.
   */
  async whenIdle<T>(query: () => Promise<T>): Promise<T | undefined> {
    // A window being committed is not on the line yet: its #send waits for the lock.
    if (this.#lock || this.#line.pending > 0 || this.#onLine.size > 0) return undefined;
    let release!: () => void;
    this.#lock = new Promise((r) => (release = r));
    try {
      await this.#line.close();
      return await query();
    } finally {
      this.#lock = undefined;
      release();
    }
  }

  async #drain(): Promise<void> {
    this.#running = true;
    try {
      do {
        this.#again = false;
        await this.#pump();
      } while (this.#again && !this.#stopped);
    } catch (error) {
      // A bug or a storage failure: log it and try again later rather than losing the queue.
      this.deps.log.error(`printer ${this.printer.id}: drain failed`, error);
      await this.#whileInHand();
      // After the wait: a wake that came during it found the drain running and is gone.
      this.#scheduleWake(this.deps.settings.backoffBaseMs);
    } finally {
      this.#running = false;
    }
  }

  /** Starts windows while there is room and work; returns when nothing is in hand and nothing can start now. */
  async #pump(): Promise<void> {
    for (;;) {
      // Up to two windows in hand: one on the line, the next committed and queued behind it, so the
      // line never idles while a start batch commits.
      const room = 2 * this.#window - this.#onLine.size;
      if (!this.#stopped && room > 0 && (await this.#startBatch(room)) > 0) continue;
      if (this.#onLine.size + this.#settling.size === 0) return;
      await new Promise<void>((resolve) => (this.#progress = resolve));
    }
  }

  async #whileInHand(): Promise<void> {
    while (this.#onLine.size + this.#settling.size > 0) await new Promise<void>((resolve) => (this.#progress = resolve));
  }

  #signal(): void {
    const progress = this.#progress;
    this.#progress = undefined;
    progress?.();
  }

  /** Up to `room` slips, oldest first, stopping at one that must wait (backoff, or its family in hand). */
  #candidates(room: number): SlipRow[] {
    if (this.#failed.size > 0) return [];
    const inHand = new Set([...this.#onLine.values(), ...this.#settling.values()]);
    const taken: SlipRow[] = [];
    for (const slip of this.deps.ledger.pendingBatch(this.printer.id, room + this.#onLine.size + this.#settling.size)) {
      if (this.#onLine.has(slip.slipKey) || this.#settling.has(slip.slipKey)) continue;
      if (taken.length >= room || inHand.has(familyOf(slip))) break;
      const waitMs = (this.#notBefore.get(slip.slipKey) ?? 0) - this.deps.nowMs();
      if (waitMs > 0) {
        this.#scheduleWake(waitMs);
        break;
      }
      inHand.add(familyOf(slip));
      taken.push(slip);
    }
    return taken;
  }

  /** Decides, renders and commits a window of slips in one submit, then puts their jobs on the line. Returns slips taken. */
  async #startBatch(room: number): Promise<number> {
    if (this.#notReady !== undefined && !(await this.#readyAgain())) return 0;
    const slips = this.#candidates(room);
    if (slips.length === 0) return 0;
    const at = new Date(this.deps.nowMs()).toISOString();
    const writes: PrintWrite[] = [];
    const jobs: Job[] = [];
    const unprintable: { slip: SlipRow; error: string }[] = [];
    for (const slip of slips) {
      this.deps.crashHooks?.hit("after-outbox-before-print"); // test-only (CRASH_AT, DESIGN.md §7)
      // Dedupe by content (PRINTING.md §5): the whole slip family (original + reprints) decides the mark.
      const family = this.deps.ledger.familyOf(slip.slipKey, slip);
      if (!family) continue; // gone between the queue read and now: nothing to print
      const copy = decideCopy(family.family, slip.slipKey);
      if (copy.action === "supersede") {
        writes.push({ kind: "supersede", slipKey: slip.slipKey, by: copy.by, at });
        this.#notBefore.delete(slip.slipKey);
        this.deps.log.info(`printer ${this.printer.id}: slip ${slip.slipKey} not printed: its content already printed as ${copy.by}`);
        continue;
      }
      // R-KRP-3: an admin reprint says REPRINT n; a copy after an attempt that may have printed says MAY BE DUPLICATE.
      const content = renderCopy(this.deps.source, this.printer, slip, copy.mark);
      if (!content.ok) {
        // A slip that cannot be rendered would block the queue forever: fail it (admins are told) and go on.
        writes.push({ kind: "finishJob", jobId: "", slipKey: slip.slipKey, outcome: "not_sent", error: content.error, slipState: "failed", needsMark: false, at });
        unprintable.push({ slip, error: content.error });
        continue;
      }
      const jobId = this.deps.newId();
      const attempt = slip.attempts + 1;
      writes.push({ kind: "startJob", job: { jobId, slipKey: slip.slipKey, storeId: slip.storeId, printerId: this.printer.id, attempt, marked: copy.mark.kind !== "none", payloadHash: content.payloadHash, requestedBy: "printer-actor", at } });
      jobs.push({ slip, jobId, attempt, bytes: content.bytes });
    }
    // Durable before the first byte of any of them: a crash from here on leaves "sending" rows, settled as unknown at start-up.
    const failedOver = this.health.failedOverTo;
    await this.#settles.commitWith(writes);
    for (const { slip, error } of unprintable) this.deps.onOutcome(this.printer, slip, "failed", error);
    // The line failed, the printer failed over (its pending slips, these too, moved to the backup) or
    // the actor stopped while these rows committed: sending now would print them ahead of older slips
    // or beside the backup. Not one byte went out, so they are simply next in line again.
    if (this.#failed.size > 0 || this.#stopped || this.health.failedOverTo !== failedOver) this.#holdBack(jobs);
    else if (jobs.length > 0) await this.#send(jobs);
    return slips.length;
  }

  /**
   * While the printer says it cannot print, no attempt is started (none is used up, no job row is
   * written): its status is polled, each "still not ready" counts toward failover, and the moment
   * it is ready its slips go, back-off forgotten.
   */
  async #readyAgain(): Promise<boolean> {
    const pollMs = this.deps.notReadyPollMs ?? lineLimits.notReadyPollMs;
    const waitMs = this.#nextProbeAtMs - this.deps.nowMs();
    if (waitMs > 0) {
      this.#scheduleWake(waitMs);
      return false;
    }
    const status = await this.whenIdle(() => queryStatus({ host: this.printer.host, port: this.printer.port }, this.deps.settings.connectTimeoutMs));
    if (status === undefined) {
      this.#scheduleWake(pollMs); // the line or a health check is busy: ask again shortly
      return false;
    }
    this.#nextProbeAtMs = this.deps.nowMs() + pollMs;
    const reason = "online" in status ? notReady(status) : status.error;
    this.health.checkedAt = new Date(this.deps.nowMs()).toISOString();
    if (reason === undefined) {
      this.#notReady = undefined;
      this.#notBefore.clear();
      Object.assign(this.health, { reachable: true, status, lastError: null, consecutiveFailures: 0 });
      this.deps.log.info(`printer ${this.printer.id}: ready again; its waiting slips print now`);
      this.deps.onNotReady?.(this.printer, null);
      return true;
    }
    Object.assign(this.health, { reachable: "online" in status, lastError: reason, ...("online" in status ? { status } : {}) });
    if (this.#settles.countFailure()) await this.#settles.failOver();
    this.#scheduleWake(pollMs);
    return false;
  }

  #holdBack(jobs: readonly Job[]): void {
    const at = new Date(this.deps.nowMs()).toISOString();
    for (const job of jobs) {
      this.#settling.set(job.slip.slipKey, familyOf(job.slip));
      this.#settles.add({ slip: job.slip, jobId: job.jobId, attempt: job.attempt, result: { outcome: "not-sent", error: "held_back" }, at, heldBack: true });
    }
  }

  async #send(jobs: readonly Job[]): Promise<void> {
    const target = { host: this.printer.host, port: this.printer.port };
    const hooks = this.deps.crashHooks;
    // Test-only (CRASH_AT=mid-print): part of a slip reaches the printer, then the process dies.
    for (const job of jobs) if (hooks?.reached("mid-print")) await sendPartThenCrash(target, job.bytes, () => hooks.crash("mid-print"));
    while (this.#lock) await this.#lock; // a health check is on the printer: wait for it
    for (const job of jobs) {
      this.#onLine.set(job.slip.slipKey, familyOf(job.slip));
      void this.#line.send({ bytes: job.bytes, jobTag: this.#jobTag() }).then((result) => this.#echoed(job, result));
    }
  }

  #echoed(job: Job, result: LineResult): void {
    if (result.outcome === "confirmed") this.deps.crashHooks?.hit("after-print-before-ledger"); // test-only (CRASH_AT)
    this.#onLine.delete(job.slip.slipKey);
    this.#settling.set(job.slip.slipKey, familyOf(job.slip));
    if (result.outcome !== "confirmed") this.#failed.add(job.slip.slipKey);
    // Nothing was written because the printer said it cannot print: hold its queue until it can.
    const reason = result.outcome === "not-sent" && result.status !== undefined ? notReady(result.status) : undefined;
    if (reason !== undefined && this.#notReady === undefined) {
      this.#notReady = reason;
      this.#nextProbeAtMs = this.deps.nowMs() + (this.deps.notReadyPollMs ?? lineLimits.notReadyPollMs);
      this.deps.log.warn(`printer ${this.printer.id}: ${reason}; its slips wait and print when it is ready`);
      this.deps.onNotReady?.(this.printer, reason);
    }
    const settled: Settled = { slip: job.slip, jobId: job.jobId, attempt: job.attempt, result, at: new Date(this.deps.nowMs()).toISOString() };
    this.#settles.add(settled);
    this.#signal();
  }

  #scheduleWake(delayMs: number): void {
    if (this.#retryTimer) clearTimeout(this.#retryTimer);
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = undefined;
      this.wake();
    }, delayMs);
    this.#retryTimer.unref();
  }

  /** 4 printable chars for GS ( H, unique among this printer's recent jobs. */
  #jobTag(): string {
    this.#jobSeq = (this.#jobSeq + 1) % 36 ** 4;
    return this.#jobSeq.toString(36).padStart(4, "0");
  }
}
