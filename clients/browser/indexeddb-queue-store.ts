import { parseStoredEntries, type QueuedEntry, type QueueStore } from "../offline-queue-store.ts";

/**
 * The offline queue in IndexedDB (browser only; not run in Node: the front-end issue's browser
 * tests exercise it). One database per queue, one object store keyed by `seq`, so reading it back
 * gives queue order. Every change is one transaction with `durability: "strict"` and resolves on
 * its `complete`: an entry the queue reports as stored is on disk.
 *
 * The IndexedDB types are declared here, structurally, because this project compiles without the
 * DOM library (Node); they are the subset of the standard API this file uses.
 */
interface IdbRequest<T> {
  readonly result: T;
  readonly error: unknown;
  onsuccess: (() => void) | null;
  onerror: (() => void) | null;
}
interface IdbOpenRequest extends IdbRequest<IdbDatabase> {
  onupgradeneeded: (() => void) | null;
  onblocked: (() => void) | null;
}
interface IdbObjectStore {
  getAll(): IdbRequest<unknown[]>;
  get(key: number): IdbRequest<unknown>;
  add(value: unknown): IdbRequest<unknown>;
  put(value: unknown): IdbRequest<unknown>;
  delete(key: number): IdbRequest<undefined>;
}
interface IdbTransaction {
  objectStore(name: string): IdbObjectStore;
  abort(): void;
  readonly error: unknown;
  oncomplete: (() => void) | null;
  onerror: (() => void) | null;
  onabort: (() => void) | null;
}
interface IdbDatabase {
  readonly objectStoreNames: { contains(name: string): boolean };
  createObjectStore(name: string, options: { keyPath: string }): unknown;
  transaction(names: string, mode: "readonly" | "readwrite", options?: { durability: "strict" | "relaxed" | "default" }): IdbTransaction;
  close(): void;
}
export interface IdbFactory {
  open(name: string, version?: number): IdbOpenRequest;
}

const entriesStore = "entries";
const schemaVersion = 1;

export class IndexedDbQueueStore implements QueueStore {
  private constructor(private readonly db: IdbDatabase, readonly name: string) {}

  /** `name`: one per queue, e.g. `offline-queue:<storeId>:<tableId>:<staffId>`. */
  static open(name: string, factory: IdbFactory = (globalThis as unknown as { indexedDB: IdbFactory }).indexedDB): Promise<IndexedDbQueueStore> {
    return new Promise((resolve, reject) => {
      const request = factory.open(name, schemaVersion);
      request.onupgradeneeded = () => {
        if (!request.result.objectStoreNames.contains(entriesStore)) request.result.createObjectStore(entriesStore, { keyPath: "seq" });
      };
      request.onsuccess = () => resolve(new IndexedDbQueueStore(request.result, name));
      request.onerror = () => reject(request.error);
      request.onblocked = () => reject(new Error(`${name}: another tab holds an older version of the offline queue open`));
    });
  }

  async load(): Promise<QueuedEntry[]> {
    let rows: unknown[] = [];
    await this.#transaction("readonly", (store) => {
      const request = store.getAll();
      request.onsuccess = () => (rows = request.result);
    });
    return parseStoredEntries(rows, this.name);
  }

  append(entry: QueuedEntry): Promise<void> {
    return this.#transaction("readwrite", (store) => void store.add(entry));
  }

  replace(entry: QueuedEntry): Promise<void> {
    return this.#transaction("readwrite", (store, abort) => {
      const existing = store.get(entry.seq);
      existing.onsuccess = () => (existing.result === undefined ? abort(new Error(`no queued entry ${entry.seq}`)) : void store.put(entry));
    });
  }

  remove(seq: number): Promise<void> {
    return this.#transaction("readwrite", (store) => void store.delete(seq));
  }

  close(): void {
    this.db.close();
  }

  #transaction(mode: "readonly" | "readwrite", work: (store: IdbObjectStore, abort: (reason: Error) => void) => void): Promise<void> {
    return new Promise((resolve, reject) => {
      const tx = this.db.transaction(entriesStore, mode, { durability: "strict" });
      let reason: unknown;
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(reason ?? tx.error);
      work(tx.objectStore(entriesStore), (error) => {
        reason = error;
        tx.abort();
      });
    });
  }
}
