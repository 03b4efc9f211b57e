import Database from "better-sqlite3";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";

/**
 * `exclusive`: this process must be the only one on the DATA_DIR (no REDIS_URL: nothing would tell
 * it what another process changed). `shared`: every process runs with REDIS_URL (the intended
 * multi-process mode); any number of shared holders, never together with an exclusive one.
 */
export type DataDirMode = "exclusive" | "shared";

export const dataDirLockFiles = {
  /** An empty SQLite database used only for its file lock. */
  lock: "table-session.lock",
  /** Who took the lock last (informational: the refusal message names it). */
  owner: "table-session.lock.json",
} as const;

/** Another process holds the DATA_DIR in a mode this one cannot share. */
export class DataDirInUseError extends Error {
  override readonly name = "DataDirInUseError";
}

export interface DataDirLock {
  readonly mode: DataDirMode;
  readonly file: string;
  /** Gives the lock back (also happens by itself when the process ends, even on kill -9). */
  release(): void;
}

interface Owner {
  readonly pid: number;
  readonly host: string;
  readonly mode: DataDirMode;
  readonly instanceId: string;
  readonly startedAt: string;
}

/**
 * A reader/writer lock on the DATA_DIR made of SQLite's own file locking (POSIX advisory locks,
 * held by the kernel for the process): an exclusive holder keeps an EXCLUSIVE transaction open on
 * `table-session.lock`, a shared holder keeps a read transaction (SHARED lock) open. Taking it is
 * atomic, and the kernel drops it when the process ends however it ends, so there is no stale lock
 * to detect and no pid to trust. Refused → DataDirInUseError naming the holder when it is known.
 *
 * Needs a file system with working POSIX locks (a local disk; not NFS/SMB, which the database
 * itself does not support either). Never open the lock file any other way in this process:
 * closing any descriptor of a file drops the process's POSIX locks on it.
 */
export function lockDataDir(dataDir: string, mode: DataDirMode, instanceId: string): DataDirLock {
  const file = join(dataDir, dataDirLockFiles.lock);
  const ownerFile = join(dataDir, dataDirLockFiles.owner);
  const db = new Database(file, { timeout: 0 });
  try {
    db.pragma("journal_mode = memory"); // nothing is ever written: no -journal file beside it
    if (mode === "exclusive") db.exec("begin exclusive");
    else {
      db.exec("begin");
      db.prepare("select count(*) from sqlite_master").get(); // takes the SHARED lock, kept until release
    }
  } catch (error) {
    db.close();
    if ((error as { code?: string }).code !== "SQLITE_BUSY") throw error;
    throw new DataDirInUseError(refusal(dataDir, mode, readOwner(ownerFile)));
  }
  const owner: Owner = { pid: process.pid, host: hostname(), mode, instanceId, startedAt: new Date().toISOString() };
  try {
    writeFileSync(ownerFile, `${JSON.stringify(owner)}\n`);
  } catch {
    // Informational only: the lock itself is held.
  }
  let released = false;
  return {
    mode,
    file,
    release() {
      if (released) return;
      released = true;
      if (readOwner(ownerFile)?.instanceId === instanceId) rmSync(ownerFile, { force: true });
      db.close();
    },
  };
}

function refusal(dataDir: string, mode: DataDirMode, owner: Owner | undefined): string {
  const who = owner && (owner.host !== hostname() || alive(owner.pid)) ? ` (pid ${owner.pid} on ${owner.host}, started ${owner.startedAt}${owner.mode === "shared" ? ", with REDIS_URL" : ", without REDIS_URL"})` : "";
  if (mode === "shared") {
    return `DATA_DIR ${dataDir} is in use by a server process running without REDIS_URL${who}: that process must be alone on its DATA_DIR. ` +
      "Stop it, or run every process of this DATA_DIR with REDIS_URL (and PUBLIC_ADDRESS).";
  }
  return `DATA_DIR ${dataDir} is already in use by another server process${who}. Without REDIS_URL only one process may use a DATA_DIR ` +
    "(its terminals would not see the other's changes). Stop the other process, give this one its own DATA_DIR, " +
    "or run every process of this DATA_DIR with REDIS_URL (and PUBLIC_ADDRESS).";
}

function readOwner(file: string): Owner | undefined {
  try {
    const owner = JSON.parse(readFileSync(file, "utf8")) as Partial<Owner>;
    return typeof owner.pid === "number" && typeof owner.host === "string" ? (owner as Owner) : undefined;
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === "EPERM";
  }
}
