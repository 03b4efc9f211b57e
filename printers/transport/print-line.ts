import net from "node:net";
import { assert } from "../../domain/assert.ts";
import { lineLimits, transportLimits } from "../limits.ts";
import { isValidJobTag, processIdRequest, statusQueries, type PrinterStatus } from "./inbound.ts";
import { LineReader, notReady } from "./line-reader.ts";
import type { PrinterTarget, SendOutcome } from "./send.ts";

export interface LineJob {
  readonly bytes: Buffer;
  /** 4 chars 0x20–0x7E, unique among the jobs on the line: echoed by GS ( H once the slip printed. */
  readonly jobTag: string;
}

export interface LineResult {
  /** As sendJob's: `unknown` only when bytes of this job were written and its echo never came. */
  readonly outcome: SendOutcome;
  readonly error?: string;
  readonly status?: PrinterStatus;
}

export interface LineOptions {
  /** Connect and the DLE EOT reply, together. */
  readonly connectTimeoutMs: number;
  /** Longest wait for the next echo while jobs are written and unechoed (the printer must make progress). */
  readonly completionTimeoutMs: number;
  readonly windowJobs?: number;
  readonly idleCloseMs?: number;
}

interface Entry {
  readonly job: LineJob;
  readonly resolve: (result: LineResult) => void;
}

const errorCode = (err: Error) => (err as NodeJS.ErrnoException).code ?? err.message;

/**
 * One persistent connection to a printer, jobs pipelined on it. On connect it asks DLE EOT 1/2/4
 * and waits for the answer before any slip byte: a printer out of paper, open or offline fails the
 * waiting jobs as not-sent at once. Then jobs go back to back, each followed by GS ( H with its own
 * tag; an echo confirms its job (an earlier job whose echo was skipped is `unknown`). Any error,
 * close or stall: written jobs without an echo are `unknown`, the rest `not-sent`. Never rejects; every path ends at a timer or an event.
 */
export class PrintLine {
  #socket: net.Socket | undefined;
  #ready = false;
  readonly #queue: Entry[] = [];
  readonly #written: Entry[] = [];
  #status: PrinterStatus | undefined;
  #timer: NodeJS.Timeout | undefined;
  #idleTimer: NodeJS.Timeout | undefined;
  readonly #window: number;
  readonly #idleCloseMs: number;

  constructor(readonly target: PrinterTarget, private readonly options: LineOptions) {
    assert(options.connectTimeoutMs > 0 && options.connectTimeoutMs <= transportLimits.connectTimeoutMsMax, "bad connectTimeoutMs");
    assert(options.completionTimeoutMs > 0 && options.completionTimeoutMs <= transportLimits.completionTimeoutMsMax, "bad completionTimeoutMs");
    this.#window = options.windowJobs ?? lineLimits.windowJobs;
    this.#idleCloseMs = options.idleCloseMs ?? lineLimits.idleCloseMs;
    assert(this.#window >= 1, "bad windowJobs");
  }

  /** A connection exists (connecting, asking status, or ready). */
  get open(): boolean {
    return this.#socket !== undefined;
  }

  /** Jobs handed to the line and not yet resolved. */
  get pending(): number {
    return this.#queue.length + this.#written.length;
  }

  /** The last status the printer reported on this line (DLE EOT or ASB). */
  get status(): PrinterStatus | undefined {
    return this.#status;
  }

  send(job: LineJob): Promise<LineResult> {
    assert(isValidJobTag(job.jobTag), "jobTag must be 4 chars in 0x20–0x7E");
    assert(job.bytes.length > 0 && job.bytes.length <= transportLimits.jobBytesMax, "job size out of range");
    return new Promise((resolve) => {
      this.#queue.push({ job, resolve });
      clearTimeout(this.#idleTimer);
      if (this.#socket === undefined) this.#connect();
      else if (this.#ready) this.#flush();
    });
  }

  /** Closes politely (end, keep reading, destroy after a linger); jobs still on it end as a failure would. */
  async close(): Promise<void> {
    const socket = this.#socket;
    if (socket === undefined) return;
    this.#settleAll("line_closed");
    this.#socket = undefined;
    this.#ready = false;
    const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
    socket.end();
    const linger = setTimeout(() => socket.destroy(), transportLimits.closeLingerMs);
    await closed;
    clearTimeout(linger);
  }

  #connect(): void {
    const socket = net.connect({ host: this.target.host, port: this.target.port });
    this.#socket = socket;
    this.#ready = false;
    const mine = (handler: (...args: any[]) => void) => (...args: any[]) => {
      if (socket === this.#socket) handler(...args);
    };
    const reader = new LineReader({
      status: mine((status: PrinterStatus) => this.#onStatus(status)),
      echo: mine((tag: string) => this.#onEcho(tag)),
      asb: mine((status: PrinterStatus) => (this.#status = status)),
    });
    this.#arm(this.options.connectTimeoutMs, "connect_timeout");
    socket.once("connect", mine(() => {
      this.#arm(this.options.connectTimeoutMs, "no_status_reply"); // connect and status reply, each within the timeout
      socket.setNoDelay(true);
      socket.write(statusQueries);
    }));
    socket.on("data", (chunk: Buffer) => reader.push(chunk));
    socket.on("error", mine((err: Error) => this.#fail(errorCode(err))));
    socket.on("end", mine(() => this.#fail("closed_by_printer")));
    socket.on("close", mine(() => this.#fail("connection_closed")));
  }

  #onStatus(status: PrinterStatus): void {
    this.#status = status;
    if (this.#ready) return;
    const reason = notReady(status);
    if (reason !== undefined) return this.#fail(reason); // nothing written yet: every job is not-sent
    this.#ready = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#flush();
  }

  #flush(): void {
    const socket = this.#socket!;
    while (this.#queue.length > 0 && this.#written.length < this.#window) {
      const entry = this.#queue.shift()!;
      // Counted as written before the call: from here on the bytes may reach paper.
      this.#written.push(entry);
      socket.write(Buffer.concat([entry.job.bytes, processIdRequest(entry.job.jobTag)]));
    }
    if (this.#written.length > 0 && this.#timer === undefined) this.#arm(this.options.completionTimeoutMs, "no_echo_before_deadline");
  }

  /**
   * An echo confirms its own job. Echoes come in order, so an earlier job still without its echo
   * was never processed as sent (data dropped while the paper was out, a printer reset): it may or
   * may not be on paper, so it is `unknown` and its next copy is marked, never assumed printed.
   */
  #onEcho(tag: string): void {
    const at = this.#written.findIndex((e) => e.job.jobTag === tag);
    if (at < 0) return;
    const done = this.#written.splice(0, at + 1);
    clearTimeout(this.#timer);
    this.#timer = undefined;
    done.forEach((entry, i) => entry.resolve(i === at ? this.#result("confirmed") : this.#result("unknown", "echo_skipped")));
    this.#flush();
    if (this.pending === 0) this.#idle();
  }

  #idle(): void {
    clearTimeout(this.#idleTimer);
    this.#idleTimer = setTimeout(() => {
      if (this.pending === 0) void this.close();
    }, this.#idleCloseMs);
    this.#idleTimer.unref();
  }

  #arm(ms: number, error: string): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.#fail(error), ms);
  }

  #fail(error: string): void {
    const socket = this.#socket;
    this.#socket = undefined;
    this.#ready = false;
    this.#settleAll(error);
    socket?.destroy();
  }

  /** Written and unechoed → unknown (may be on paper); never written → not-sent. */
  #settleAll(error: string): void {
    clearTimeout(this.#timer);
    clearTimeout(this.#idleTimer);
    this.#timer = undefined;
    const written = this.#written.splice(0);
    const queued = this.#queue.splice(0);
    for (const entry of written) entry.resolve(this.#result("unknown", error));
    for (const entry of queued) entry.resolve(this.#result("not-sent", error));
  }

  #result(outcome: SendOutcome, error?: string): LineResult {
    return { outcome, ...(error === undefined ? {} : { error }), ...(this.#status === undefined ? {} : { status: this.#status }) };
  }
}
