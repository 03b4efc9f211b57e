import { Worker } from "node:worker_threads";
import { verifyAuditChain, type AuditVerdict } from "./audit.ts";
import type { Storage } from "./database.ts";

export interface AuditVerifier {
  /** The chain's verdict; a call while a walk runs gets that walk's verdict instead of starting another. */
  verify(): Promise<AuditVerdict>;
}

/**
 * Walks the audit chain on a worker thread with its own read-only connection: the walk hashes
 * every row ever written (seconds on a year of a busy store), and on the main thread it would stall
 * every room of the process. One walk at a time, so repeated clicks cannot pile up walks either.
 */
export function createAuditVerifier(storage: Pick<Storage, "file" | "sqlite">): AuditVerifier {
  let running: Promise<AuditVerdict> | undefined;
  // An in-memory database exists only on its own connection.
  const walk = storage.file === ":memory:" ? async () => verifyAuditChain(storage.sqlite) : () => walkInWorker(storage.file);
  return {
    verify() {
      running ??= walk().finally(() => (running = undefined));
      return running;
    },
  };
}

function walkInWorker(file: string): Promise<AuditVerdict> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL("./audit-verify-entry.mjs", import.meta.url), { workerData: { file } });
    // A shutdown does not wait for a walk nobody will read.
    worker.unref();
    worker.once("message", (verdict: AuditVerdict) => resolve(verdict));
    worker.once("error", reject);
    worker.once("exit", (code) => reject(new Error(`the audit walk ended with exit code ${code} before its verdict`)));
  });
}
