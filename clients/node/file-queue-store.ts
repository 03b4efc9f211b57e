import { mkdir, open, readFile, rename } from "node:fs/promises";
import { dirname } from "node:path";
import { parseStoredEntries, type QueuedEntry, type QueueStore } from "../offline-queue-store.ts";

/**
 * The offline queue in one JSON file (Node only). Every change rewrites the whole file atomically:
 * write a temp file, fsync it, rename it over the old one, fsync the directory. A crash at any
 * point leaves either the old file or the new one, never half an entry. One process per file
 * (the temp file's name is fixed); a leftover temp file from a crash is ignored and overwritten.
 */
export class FileQueueStore implements QueueStore {
  #entries: QueuedEntry[] | undefined;
  /** Writes one at a time, in call order. */
  #serial: Promise<unknown> = Promise.resolve();

  constructor(readonly file: string) {}

  async load(): Promise<QueuedEntry[]> {
    let text: string;
    try {
      text = await readFile(this.file, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      this.#entries = [];
      return [];
    }
    // Never skip a bad file silently: a lost queued order is a lost order.
    let stored: unknown;
    try {
      stored = JSON.parse(text);
    } catch (error) {
      throw new Error(`${this.file}: offline queue file is not JSON (${(error as Error).message})`);
    }
    this.#entries = parseStoredEntries((stored as { entries?: unknown } | null)?.entries, this.file);
    return structuredClone(this.#entries);
  }

  append(entry: QueuedEntry): Promise<void> {
    return this.#change((entries) => [...entries, entry]);
  }

  replace(entry: QueuedEntry): Promise<void> {
    return this.#change((entries) => {
      if (!entries.some((e) => e.seq === entry.seq)) throw new Error(`no queued entry ${entry.seq}`);
      return entries.map((e) => (e.seq === entry.seq ? entry : e));
    });
  }

  remove(seq: number): Promise<void> {
    return this.#change((entries) => entries.filter((e) => e.seq !== seq));
  }

  #change(next: (entries: QueuedEntry[]) => QueuedEntry[]): Promise<void> {
    const run = this.#serial.then(async () => {
      const entries = next(this.#entries ?? (await this.load()));
      await writeAtomically(this.file, `${JSON.stringify({ version: 1, entries })}\n`);
      this.#entries = entries;
    });
    this.#serial = run.catch(() => undefined);
    return run;
  }
}

async function writeAtomically(file: string, text: string): Promise<void> {
  const dir = dirname(file);
  await mkdir(dir, { recursive: true });
  const temp = `${file}.tmp`;
  const handle = await open(temp, "w");
  try {
    await handle.writeFile(text, "utf8");
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, file);
  // The rename itself is durable only once the directory is.
  const directory = await open(dir, "r");
  try {
    await directory.sync();
  } finally {
    await directory.close();
  }
}
