import { Worker } from "node:worker_threads";
import type { CommitUnit, SystemWrite, Work, Writer, WriterStats } from "./commit-writer.ts";
import { StockExhaustedError } from "./stock.ts";

export type ToWriter = { type: "batch"; items: { id: number; work: Work }[] } | { type: "close" };
export type FromWriter =
  | { type: "ready" }
  | { type: "done"; id: number; error?: { name: string; message: string; menuId?: string | undefined } }
  | { type: "committed"; stats: WriterStats }
  | { type: "closed" };

/**
 * The Writer interface backed by a worker thread (storage/writer-thread.ts) with its own SQLite
 * connection. Submissions of one event-loop turn travel as one message; each promise resolves
 * when the worker's COMMIT returned. Reads stay on the caller's connection (WAL).
 */
export class ThreadedWriter implements Writer {
  stats: WriterStats = { commits: 0, units: 0, unitsPerCommitMax: 0 };
  readonly #worker: Worker;
  readonly #waiting = new Map<number, { resolve: () => void; reject: (error: unknown) => void }>();
  readonly #listeners: (() => void)[] = [];
  #outgoing: { id: number; work: Work }[] = [];
  #nextId = 1;
  #routeSlip: ((storeId: string, stationId: string) => string | undefined) | undefined;
  #closed: Promise<void> | undefined;
  /** Set when the thread died: later submissions fail at once instead of waiting forever. */
  #dead: Error | undefined;

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

  static async start(file: string): Promise<ThreadedWriter> {
    const worker = new Worker(new URL("./writer-thread-entry.mjs", import.meta.url), { workerData: { file } });
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
    // The slip router reads live printer health, which only this thread has: resolve it here.
    const stations = unit.events.flatMap((e) => (e.type === "TicketPrintRequested" ? [e.stationId] : []));
    const slipPrinters: Record<string, string> = {};
    for (const stationId of stations) {
      const printerId = this.#routeSlip?.(unit.context.storeId, stationId);
      if (printerId) slipPrinters[stationId] = printerId;
    }
    return this.#send({ unit: stations.length > 0 ? { ...unit, slipPrinters } : unit });
  }

  submitSystem(writes: readonly SystemWrite[]): Promise<void> {
    return this.#send({ system: writes });
  }

  onCommitted(listener: () => void): void {
    this.#listeners.push(listener);
  }

  setSlipRouter(route: (storeId: string, stationId: string) => string | undefined): void {
    this.#routeSlip = route;
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
    if (this.#closed) return Promise.reject(new Error("storage writer is closed"));
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
    this.#worker.postMessage({ type: "batch", items } satisfies ToWriter);
  }

  #receive(message: FromWriter): void {
    if (message.type === "done") {
      const waiter = this.#waiting.get(message.id);
      this.#waiting.delete(message.id);
      if (!waiter) return;
      if (!message.error) waiter.resolve();
      else waiter.reject(message.error.name === "StockExhaustedError" && message.error.menuId ? new StockExhaustedError(message.error.menuId) : Object.assign(new Error(message.error.message), { name: message.error.name }));
    } else if (message.type === "committed") {
      this.stats = message.stats;
      for (const listener of this.#listeners) listener();
    }
  }

  #failAll(error: unknown): void {
    this.#dead ??= error instanceof Error ? error : new Error(String(error));
    for (const waiter of this.#waiting.values()) waiter.reject(error);
    this.#waiting.clear();
  }
}
