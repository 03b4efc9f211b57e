import { Worker } from "node:worker_threads";
import type { CommitUnit, SystemWrite, Work, Writer, WriterStats } from "./commit-writer.ts";
import { WriteFailure, type WriteFailureReason } from "./write-errors.ts";

export type ToWriter = { type: "batch"; items: { id: number; work: Work }[] } | { type: "close" };
export type FromWriter =
  | { type: "ready" }
  /** `failure`: the worker's CommitWriter already classified it; the reason is plain data. */
  | { type: "done"; id: number; failure?: { reason: WriteFailureReason; message: string } }
  | { type: "committed"; stats: WriterStats }
  | { type: "closed" };

/**
 * The Writer interface backed by a worker thread (storage/writer-thread.ts) with its own SQLite
 * connection. Submissions of one event-loop turn travel as one message; each promise resolves
 * when the worker's COMMIT returned. Reads stay on the caller's connection (WAL).
 */
export class ThreadedWriter implements Writer {
  stats: WriterStats = { commits: 0, units: 0, unitsPerCommitMax: 0, systemOnlyCommits: 0 };
  readonly #worker: Worker;
  readonly #waiting = new Map<number, { resolve: () => void; reject: (failure: WriteFailure) => void }>();
  readonly #listeners: (() => void)[] = [];
  #outgoing: { id: number; work: Work }[] = [];
  #nextId = 1;
  #closed: Promise<void> | undefined;
  /** Set when the thread died: later submissions fail at once (`closed`) instead of waiting forever. */
  #dead: WriteFailure | undefined;

  private constructor(worker: Worker) {
    this.#worker = worker;
    worker.on("message", (message: FromWriter) => this.#receive(message));
    // Nothing can be stored without the thread: every waiting and later command fails with INTERNAL.
    worker.on("error", (error) => {
      console.error("storage writer thread failed", error);
      this.#failAll(error);
    });
    worker.on("exit", (code) => this.#failAll(new Error(`storage writer thread exited (${code})`)));
  }

  /** `busyTimeoutMs` overrides the connection's busy_timeout (storage/database.ts: 5,000 ms). */
  static async start(file: string, options: { busyTimeoutMs?: number } = {}): Promise<ThreadedWriter> {
    const { busyTimeoutMs } = options;
    if (busyTimeoutMs !== undefined && !(Number.isSafeInteger(busyTimeoutMs) && busyTimeoutMs >= 0)) throw new RangeError(`busyTimeoutMs must be a whole number of ms, got ${busyTimeoutMs}`);
    const worker = new Worker(new URL("./writer-thread-entry.mjs", import.meta.url), { workerData: { file, busyTimeoutMs } });
    const writer = new ThreadedWriter(worker);
    await new Promise<void>((resolve, reject) => {
      const onMessage = (m: FromWriter) => {
        if (m.type !== "ready") return;
        worker.off("message", onMessage);
        resolve();
      };
      worker.on("message", onMessage);
      worker.once("error", reject);
    });
    return writer;
  }

  submit(unit: CommitUnit): Promise<void> {
    return this.#send({ unit });
  }

  submitSystem(writes: readonly SystemWrite[]): Promise<void> {
    return this.#send({ system: writes });
  }

  onCommitted(listener: () => void): void {
    this.#listeners.push(listener);
  }

  close(): Promise<void> {
    this.#closed ??= new Promise<void>((resolve) => {
      const finish = () => void this.#worker.terminate().then(() => resolve());
      this.#worker.once("exit", () => resolve());
      this.#worker.on("message", (m: FromWriter) => { if (m.type === "closed") finish(); });
      this.#flushOutgoing();
      this.#worker.postMessage({ type: "close" } satisfies ToWriter);
    });
    return this.#closed;
  }

  #send(work: Work): Promise<void> {
    if (this.#closed) return Promise.reject(new WriteFailure({ kind: "closed" }, "storage writer is closed"));
    if (this.#dead) return Promise.reject(this.#dead);
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#waiting.set(id, { resolve, reject });
      if (this.#outgoing.length === 0) queueMicrotask(() => this.#flushOutgoing());
      this.#outgoing.push({ id, work });
    });
  }

  #flushOutgoing(): void {
    if (this.#outgoing.length === 0) return;
    const items = this.#outgoing;
    this.#outgoing = [];
    try {
      this.#worker.postMessage({ type: "batch", items } satisfies ToWriter);
    } catch {
      // Some work cannot be cloned to the thread (e.g. a reply holding a function): it fails alone,
      // as a unit that throws in a savepoint would, and the rest of this turn is sent one by one.
      for (const item of items) {
        try {
          this.#worker.postMessage({ type: "batch", items: [item] } satisfies ToWriter);
        } catch (error) {
          const waiter = this.#waiting.get(item.id);
          this.#waiting.delete(item.id);
          waiter?.reject(new WriteFailure({ kind: "failed", detail: `not sent to the writer thread: ${error instanceof Error ? error.message : String(error)}` }, undefined, { cause: error }));
        }
      }
    }
  }

  #receive(message: FromWriter): void {
    if (message.type === "done") {
      const waiter = this.#waiting.get(message.id);
      this.#waiting.delete(message.id);
      if (!waiter) return;
      if (!message.failure) waiter.resolve();
      else waiter.reject(new WriteFailure(message.failure.reason, message.failure.message));
    } else if (message.type === "committed") {
      this.stats = message.stats;
      for (const listener of this.#listeners) listener();
    }
  }

  /** The thread is gone: what was in flight may or may not have committed (a retry with its cmdId tells). */
  #failAll(error: unknown): void {
    this.#dead ??= new WriteFailure({ kind: "closed" }, `storage writer thread is gone: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    for (const waiter of this.#waiting.values()) waiter.reject(this.#dead);
    this.#waiting.clear();
  }
}
