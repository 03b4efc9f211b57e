import type { SessionEvent } from "../domain/index.ts";
import { preparedInsert, type Storage } from "./database.ts";
import { chainHash, lastAuditHash, toAuditRow, type AuditEntry } from "./audit.ts";
import { createProjector, type EventContext, type SessionSnapshot } from "./projection.ts";
import { storageLimits } from "./limits.ts";
import { createStockWriter } from "./stock.ts";
import { createPrintStore, type PrintWrite } from "./print-store.ts";
import { classifyCommitError, during, WriteFailure } from "./write-errors.ts";
import { createOutboxPruner, type PruneWrite } from "./outbox.ts";

/** A runtime stock change: an 86/countdown set by kitchen or admin, or portions taken by a confirm. */
export type StockWrite =
  | { readonly kind: "set"; readonly menuId: string; readonly soldOut: boolean; readonly remaining: number | null }
  | { readonly kind: "take"; readonly menuId: string; readonly quantity: number };

/** Everything one accepted command writes: it lands whole or not at all (R-ORD-2). */
export interface CommitUnit {
  readonly context: EventContext;
  /** Session version before the events; event seq = baseVersion + 1 … */
  readonly baseVersion: number;
  readonly events: readonly SessionEvent[];
  /** Required when there are events: the session row after them. */
  readonly snapshot?: SessionSnapshot;
  /** Stock changes of the store in `context.storeId`, in the same transaction. */
  readonly stock?: readonly StockWrite[];
  /** Admin print commands (retry, reprint), in the same transaction as their audit row. */
  readonly print?: readonly PrintWrite[];
  /**
   * Printer of each station for this unit's print requests, chosen by the submitter (storage knows
   * no printers): a station without one gets no slip row here; the outbox's print subscriber queues it.
   */
  readonly slipPrinters?: Readonly<Record<string, string>>;
  /** Documents given to a guest (receipts, cash receipts), frozen in the same transaction as their audit row. */
  readonly documents?: readonly DocumentWrite[];
  readonly audit: readonly AuditEntry[];
  readonly command: {
    readonly cmdId: string;
    readonly actorId: string;
    readonly type: string;
    readonly bodyHash: string;
    readonly reply: unknown;
    readonly at: string;
  };
}

export type DocumentWrite =
  | { readonly kind: "receipt"; readonly receiptId: string; readonly sessionId: string; readonly copyNo: number; readonly payload: unknown; readonly at: string; readonly by: string }
  | {
      readonly kind: "cashReceipt"; readonly cashReceiptId: string; readonly sessionId: string; readonly paymentId: string; readonly amount: number;
      readonly purpose: string; readonly identityMasked: string; readonly approvalNo: string; readonly raw: unknown; readonly at: string; readonly by: string;
    };

/** Bookkeeping of the system itself that no client command owns: printing, relay cursors, start-up recovery. */
export type SystemWrite =
  | PrintWrite
  | { readonly kind: "cursor"; readonly subscriber: string; readonly lastId: number; readonly at: string }
  | { readonly kind: "recoverPrintJobs"; readonly at: string }
  /** Retention: one bounded chunk of old processed_commands and delivered outbox rows (storage/outbox.ts). */
  | PruneWrite
  /** Take or renew a lease if it is free, expired or already ours. */
  | { readonly kind: "lease"; readonly name: string; readonly holder: string; readonly nowMs: number; readonly ttlMs: number };

/**
 * What every writer offers: the in-thread CommitWriter and the worker-thread proxy alike.
 * `submit` and `submitSystem` resolve once the write is durable and reject only with a
 * `WriteFailure`, whose `reason` says why (classified once, here in storage, from the statement that
 * failed and SQLite's error code; see storage/write-errors.ts).
 */
export interface Writer {
  readonly stats: WriterStats;
  submit(unit: CommitUnit): Promise<void>;
  submitSystem(writes: readonly SystemWrite[]): Promise<void>;
  onCommitted(listener: () => void): void;
  close(): Promise<void>;
}

export type Work = { readonly unit: CommitUnit; readonly system?: undefined } | { readonly unit?: undefined; readonly system: readonly SystemWrite[] };

interface Pending {
  readonly work: Work;
  readonly resolve: () => void;
  readonly reject: (failure: WriteFailure) => void;
}

export interface WriterStats {
  commits: number;
  units: number;
  unitsPerCommitMax: number;
  /** Commits that held system bookkeeping only (printing, cursors): the rest carried a command. */
  systemOnlyCommits: number;
}

/**
 * Group commit: units submitted in the same turn of the event loop share one durable
 * transaction (one fsync), each inside its own savepoint so one bad unit fails alone.
 * Submitters are resolved only after COMMIT returns, i.e. after the data is on disk.
 */
export class CommitWriter implements Writer {
  readonly stats: WriterStats = { commits: 0, units: 0, unitsPerCommitMax: 0, systemOnlyCommits: 0 };
  readonly #storage: Storage;
  readonly #pending: Pending[] = [];
  readonly #listeners: (() => void)[] = [];
  #scheduled = false;
  #closed = false;
  readonly #writeUnit;
  readonly #commit;

  constructor(storage: Storage) {
    this.#storage = storage;
    const stock = createStockWriter(storage);
    const print = createPrintStore(storage);
    const projector = createProjector(storage, print);
    const insertEvent = preparedInsert(storage, "session_events", ["session_id", "seq", "type", "v", "payload", "at", "actor_id", "cmd_id"]);
    const insertOutbox = preparedInsert(storage, "outbox", ["event_id", "store_id", "session_id", "topic", "payload", "created_at"]);
    const insertCommand = preparedInsert(storage, "processed_commands", ["cmd_id", "store_id", "actor_id", "command_type", "body_hash", "reply", "created_at"]);
    const insertReceipt = preparedInsert(storage, "receipts", ["receipt_id", "store_id", "session_id", "copy_no", "payload", "created_at", "created_by"]);
    const insertCashReceipt = preparedInsert(storage, "cash_receipts", [
      "cash_receipt_id", "store_id", "session_id", "payment_id", "amount_won", "purpose", "identity_masked", "approval_no", "provider_raw", "issued_at", "issued_by",
    ]);
    const insertAudit = preparedInsert(storage, "audit_log", [
      "at", "store_id", "actor_id", "actor_role", "action", "entity_type", "entity_id", "session_id", "before", "after", "reason", "cmd_id", "prev_hash", "hash",
    ]);
    // A nested better-sqlite3 transaction is a SAVEPOINT: a throw rolls back this unit only.
    // Each write runs in `during(step)`, so a failure is classified by the statement that failed.
    this.#writeUnit = storage.sqlite.transaction((unit: CommitUnit, prevHash: string): string => {
      const { context: ctx, command, snapshot } = unit;
      during("processed_commands", () => insertCommand({ cmd_id: command.cmdId, store_id: ctx.storeId, actor_id: command.actorId, command_type: command.type, body_hash: command.bodyHash, reply: JSON.stringify(command.reply), created_at: command.at }));
      unit.events.forEach((event, index) => {
        const seq = unit.baseVersion + index + 1;
        const payload = JSON.stringify(event);
        during("session_events", () => insertEvent({ session_id: ctx.sessionId, seq, type: event.type, v: event.v, payload, at: event.at, actor_id: event.actor.id, cmd_id: command.cmdId }));
        during("outbox", () => insertOutbox({ event_id: `${ctx.sessionId}:${seq}`, store_id: ctx.storeId, session_id: ctx.sessionId, topic: event.type, payload, created_at: event.at }));
        during("projections", () => projector.project(event, ctx, command.cmdId, (stationId) => unit.slipPrinters?.[stationId]));
      });
      if (unit.events.length > 0) {
        during("sessions", () => {
          if (!snapshot) throw new Error("a unit with events needs a session snapshot");
          projector.saveSession(ctx, snapshot, command.at);
        });
      }
      during("menu_stock", () => { for (const write of unit.stock ?? []) stock.apply(ctx.storeId, write, command.at, command.actorId); });
      during("documents", () => {
        for (const d of unit.documents ?? []) {
          if (d.kind === "receipt") insertReceipt({ receipt_id: d.receiptId, store_id: ctx.storeId, session_id: d.sessionId, copy_no: d.copyNo, payload: JSON.stringify(d.payload), created_at: d.at, created_by: d.by });
          else insertCashReceipt({
            cash_receipt_id: d.cashReceiptId, store_id: ctx.storeId, session_id: d.sessionId, payment_id: d.paymentId, amount_won: d.amount, purpose: d.purpose,
            identity_masked: d.identityMasked, approval_no: d.approvalNo, provider_raw: JSON.stringify(d.raw), issued_at: d.at, issued_by: d.by,
          });
        }
      });
      during("print", () => { for (const write of unit.print ?? []) print.applyWrite(write); });
      return during("audit_log", () => {
        let prev = prevHash;
        for (const entry of unit.audit) {
          const row = toAuditRow(entry);
          const hash = chainHash(prev, row);
          insertAudit({ ...row, prev_hash: prev, hash });
          prev = hash;
        }
        return prev;
      });
    });
    const saveCursor = storage.sqlite.prepare(
      `insert into outbox_cursors (subscriber, last_id, updated_at) values (?, ?, ?)
       on conflict (subscriber) do update set last_id = max(last_id, excluded.last_id), updated_at = excluded.updated_at`,
    );
    const lease = storage.sqlite.prepare(
      `insert into leases (name, holder, expires_at_ms) values (@name, @holder, @expires)
       on conflict (name) do update set holder = excluded.holder, expires_at_ms = excluded.expires_at_ms
       where leases.holder = excluded.holder or leases.expires_at_ms < @now`,
    );
    const pruner = createOutboxPruner(storage);
    const writeSystem = storage.sqlite.transaction((writes: readonly SystemWrite[]) => {
      for (const write of writes) {
        if (write.kind === "cursor") saveCursor.run(write.subscriber, write.lastId, write.at);
        else if (write.kind === "lease") lease.run({ name: write.name, holder: write.holder, expires: write.nowMs + write.ttlMs, now: write.nowMs });
        else if (write.kind === "recoverPrintJobs") print.recoverInterrupted(write.at);
        else if (write.kind === "prune") pruner.apply(write);
        else print.applyWrite(write);
      }
    });
    this.#commit = storage.sqlite.transaction((batch: Pending[]): (WriteFailure | undefined)[] => {
      let prev = lastAuditHash(storage.sqlite);
      return batch.map(({ work }) => {
        try {
          if (work.unit) prev = this.#writeUnit(work.unit, prev);
          else writeSystem(work.system);
          return undefined;
        } catch (error) {
          return classifyCommitError(error, work.unit ? "unit" : "system write");
        }
      });
    });
  }

  /** Resolves once the unit is durable; rejects with a WriteFailure saying why it could not be written. */
  submit(unit: CommitUnit): Promise<void> {
    return this.#enqueue({ unit });
  }

  /** System bookkeeping (print slips and attempts, relay cursors), durable once this resolves. */
  submitSystem(writes: readonly SystemWrite[]): Promise<void> {
    return this.#enqueue({ system: writes });
  }

  /** Same as submit/submitSystem, for the worker thread that receives Work as data. */
  submitWork(work: Work): Promise<void> {
    return this.#enqueue(work);
  }

  /** Everything submitted before close still commits; later submissions fail as `closed`. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    // An empty write queues behind everything already submitted (its own outcome does not matter).
    if (this.#pending.length > 0) await this.#queue({ system: [] }).catch(() => undefined);
  }

  #enqueue(work: Work): Promise<void> {
    if (this.#closed) return Promise.reject(new WriteFailure({ kind: "closed" }, "storage writer is closed"));
    return this.#queue(work);
  }

  #queue(work: Work): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#pending.push({ work, resolve, reject });
      if (!this.#scheduled) {
        this.#scheduled = true;
        setImmediate(() => this.#flush());
      }
    });
  }

  /** Called after every durable commit (the outbox relay wakes up on it). */
  onCommitted(listener: () => void): void {
    this.#listeners.push(listener);
  }

  #flush(): void {
    this.#scheduled = false;
    while (this.#pending.length > 0) {
      const batch = this.#pending.splice(0, storageLimits.unitsPerCommitMax);
      if (!this.#storage.sqlite.open) {
        const closed = new WriteFailure({ kind: "closed" }, "storage is closed");
        for (const p of batch) p.reject(closed);
        continue;
      }
      let outcomes: (WriteFailure | undefined)[];
      try {
        // IMMEDIATE takes the write lock up front, so the audit chain head cannot move under us.
        outcomes = this.#commit.immediate(batch);
      } catch (error) {
        const failure = classifyCommitError(error, "commit");
        for (const p of batch) p.reject(failure);
        continue;
      }
      this.stats.commits += 1;
      this.stats.units += batch.length;
      this.stats.unitsPerCommitMax = Math.max(this.stats.unitsPerCommitMax, batch.length);
      if (batch.every((p) => p.work.system)) this.stats.systemOnlyCommits += 1;
      batch.forEach((p, i) => {
        const failure = outcomes[i];
        if (failure === undefined) p.resolve();
        else p.reject(failure);
      });
    }
    for (const listener of this.#listeners) listener();
  }

  get storage(): Storage {
    return this.#storage;
  }
}
