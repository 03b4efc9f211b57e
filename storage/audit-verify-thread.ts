import { parentPort, workerData } from "node:worker_threads";
import Database from "better-sqlite3";
import { verifyAuditChain } from "./audit.ts";

// Its own read-only connection: WAL lets it read one snapshot while the writer commits.
const { file } = workerData as { file: string };
const db = new Database(file, { readonly: true, fileMustExist: true });
try {
  parentPort!.postMessage(verifyAuditChain(db));
} finally {
  db.close();
}
