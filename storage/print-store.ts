import { decideSettle, type FamilyAttemptState, type JobRow, type NewSlip, type PrintWrite, type SlipFamily, type SlipRow } from "../domain/index.ts";
import type { Storage } from "./database.ts";

// The row and write types are the domain's (the printer actors use them without importing storage).
export type { JobRow, NewJob, NewSlip, PrintWrite, SlipRow } from "../domain/index.ts";

const slipColumns = `slip_key as slipKey, store_id as storeId, ticket_id as ticketId, station_id as stationId, printer_id as printerId,
  backup_from as backupFrom, reprint_no as reprintNo, reprint_of as reprintOf, state, needs_mark as needsMark, attempts,
  payload_hash as payloadHash, last_error as lastError, created_at as createdAt, updated_at as updatedAt, printed_at as printedAt,
  superseded_by as supersededBy`;
const jobColumns = `job_id as jobId, slip_key as slipKey, store_id as storeId, printer_id as printerId, attempt, marked, payload_hash as payloadHash,
  state, error, requested_by as requestedBy, created_at as createdAt, finished_at as finishedAt`;

function slip(row: unknown): SlipRow | undefined {
  if (!row) return undefined;
  const r = row as Omit<SlipRow, "needsMark"> & { needsMark: number };
  return { ...r, needsMark: r.needsMark === 1 };
}

/** All SQL of kitchen printing. Each call is its own durable transaction unless noted. */
export function createPrintStore(storage: Storage) {
  const db = storage.sqlite;
  const insertSlip = db.prepare(
    `insert into print_slips (slip_key, store_id, ticket_id, station_id, printer_id, backup_from, reprint_no, reprint_of, state, needs_mark, created_at, updated_at)
     values (@slipKey, @storeId, @ticketId, @stationId, @printerId, @backupFrom, @reprintNo, @reprintOf, 'pending', @needsMark, @at, @at)
     on conflict (slip_key) do nothing`,
  );
  const getSlip = db.prepare(`select ${slipColumns} from print_slips where slip_key = ?`);
  // Oldest first, as `next`; the actor skips the ones it already has in hand.
  const batch = db.prepare(`select ${slipColumns} from print_slips where printer_id = ? and state = 'pending' order by created_at, slip_key limit ?`);
  const pendingCount = db.prepare("select count(*) from print_slips where printer_id = ? and state = 'pending'").pluck();
  const insertJob = db.prepare(
    `insert into print_jobs (job_id, slip_key, store_id, printer_id, attempt, marked, payload_hash, state, requested_by, created_at)
     values (@jobId, @slipKey, @storeId, @printerId, @attempt, @marked, @payloadHash, 'sending', @requestedBy, @at)`,
  );
  const slipAttempt = db.prepare("update print_slips set attempts = @attempt, payload_hash = coalesce(payload_hash, @payloadHash), updated_at = @at where slip_key = @slipKey");
  const finishJob = db.prepare("update print_jobs set state = @state, error = @error, finished_at = @at where job_id = @jobId and state = 'sending'");
  const updateSlip = db.prepare(
    `update print_slips set state = @state, needs_mark = max(needs_mark, @needsMark), last_error = @error, updated_at = @at,
       printed_at = case when @state = 'printed' then @at else printed_at end where slip_key = @slipKey`,
  );
  const interrupted = db.prepare("select job_id as jobId, slip_key as slipKey from print_jobs where state = 'sending'");
  const moveToBackup = db.prepare(
    "update print_slips set printer_id = @to, backup_from = coalesce(backup_from, @from), updated_at = @at where printer_id = @from and state = 'pending'",
  );
  const slipsOfTicket = db.prepare(`select ${slipColumns} from print_slips where ticket_id = ? order by created_at, reprint_no`);
  const jobsOfSlip = db.prepare(`select ${jobColumns} from print_jobs where slip_key = ? order by created_at`);
  const recent = db.prepare(`select ${jobColumns} from print_jobs where store_id = ? order by created_at desc, job_id desc limit ?`);
  const failed = db.prepare(`select ${slipColumns} from print_slips where store_id = ? and state = 'failed' order by updated_at desc limit ?`);
  const maxReprint = db.prepare("select coalesce(max(reprint_no), 0) from print_slips where slip_key = ? or reprint_of = ?").pluck();
  // A slip family: the original (root) and its reprints, all on one ticket (the ticket index finds
  // them), each with its attempts' states in order: one read per slip the actor decides.
  const familyRows = db.prepare(
    `select ${slipColumns}, (select group_concat(state) from (select state from print_jobs j where j.slip_key = s.slip_key order by created_at, job_id)) as jobStates
     from print_slips s where ticket_id = @ticketId and (slip_key = @root or reprint_of = @root)`,
  );
  const settleSlip = db.prepare(
    `update print_slips set state = @state, needs_mark = max(needs_mark, @needsMark), last_error = @error, updated_at = @at,
       printed_at = case when @state = 'printed' then @at else printed_at end, superseded_by = @supersededBy where slip_key = @slipKey`,
  );
  const supersede = db.prepare(
    "update print_slips set state = 'superseded', superseded_by = @by, updated_at = @at where slip_key = @slipKey and state = @from",
  );

  /**
   * The slip's family (rows and, for the decider, every attempt's state), read on this connection.
   * `known` (the slip's row, read in this turn) saves reading it again.
   */
  function familyOf(slipKey: string, known?: SlipRow): { rows: SlipRow[]; family: SlipFamily } | undefined {
    const current = known ?? slip(getSlip.get(slipKey));
    if (!current) return undefined;
    const params = { ticketId: current.ticketId, root: current.reprintOf ?? current.slipKey };
    const read = familyRows.all(params) as (Record<string, unknown> & { jobStates: string | null })[];
    const rows: SlipRow[] = [];
    const family = read.map(({ jobStates, ...r }) => {
      const row = slip(r)!;
      rows.push(row);
      const attempts = jobStates ? (jobStates.split(",") as FamilyAttemptState[]) : [];
      return { slipKey: row.slipKey, reprintNo: row.reprintNo, state: row.state, needsMark: row.needsMark, supersededBy: row.supersededBy, attempts };
    });
    return { rows, family };
  }

  const recover = db.transaction((at: string) => {
    const rows = interrupted.all() as { jobId: string; slipKey: string }[];
    for (const row of rows) {
      finishJob.run({ jobId: row.jobId, state: "unknown", error: "process stopped while sending", at });
      updateSlip.run({ slipKey: row.slipKey, state: getSlipState(row.slipKey), needsMark: 1, error: "process stopped while sending", at });
    }
    return rows.length;
  });
  const retrySlip = db.prepare("update print_slips set state = 'pending', attempts = 0, last_error = null, printer_id = ?, updated_at = ? where slip_key = ? and state = 'failed'");

  function getSlipState(slipKey: string): SlipRow["state"] {
    const current = slip(getSlip.get(slipKey));
    return current?.state === "printed" || current?.state === "superseded" ? current.state : "pending";
  }

  return {
    /** Idempotent by slip key (R-KRP-3): a second request for the same slip is ignored. Runs inside the caller's transaction. */
    enqueue(row: NewSlip): boolean {
      return insertSlip.run({ ...row, backupFrom: null, reprintNo: 0, reprintOf: null, needsMark: 0 }).changes === 1;
    },
    slip: (slipKey: string) => slip(getSlip.get(slipKey)),
    /** Up to `limit` pending slips of the printer, oldest first (the actor prints them as one window). */
    pendingBatch: (printerId: string, limit: number) => (batch.all(printerId, limit) as unknown[]).map((r) => slip(r)!),
    pendingCount: (printerId: string) => pendingCount.get(printerId) as number,
    /** Start-up: attempts cut off by a crash have an unknown outcome; their next copy is marked. */
    recoverInterrupted: (at: string) => recover(at),
    interruptedCount: () => interrupted.all().length,
    slipsOfTicket: (ticketId: string) => (slipsOfTicket.all(ticketId) as unknown[]).map((r) => slip(r)!),
    jobsOfSlip: (slipKey: string) => (jobsOfSlip.all(slipKey) as (Omit<JobRow, "marked"> & { marked: number })[]).map((j) => ({ ...j, marked: j.marked === 1 })),
    recentJobs: (storeId: string, limit: number) => (recent.all(storeId, limit) as (Omit<JobRow, "marked"> & { marked: number })[]).map((j) => ({ ...j, marked: j.marked === 1 })),
    failedSlips: (storeId: string, limit: number) => (failed.all(storeId, limit) as unknown[]).map((r) => slip(r)!),
    nextReprintNo: (slipKey: string) => (maxReprint.get(slipKey, slipKey) as number) + 1,
    /** The original slip and its reprints (one content), as rows and as the domain's `SlipFamily`. */
    familyOf,
    /** Runs inside a CommitWriter transaction. */
    applyWrite(write: PrintWrite): void {
      switch (write.kind) {
        case "enqueue":
          insertSlip.run({ ...write.slip, backupFrom: null, reprintNo: 0, reprintOf: null, needsMark: 0 });
          return;
        case "startJob": {
          // Durable before the first byte is sent: a crash after this leaves evidence of the attempt.
          const { job } = write;
          insertJob.run({ ...job, marked: job.marked ? 1 : 0 });
          slipAttempt.run({ attempt: job.attempt, payloadHash: job.payloadHash, at: job.at, slipKey: job.slipKey });
          return;
        }
        case "finishJob":
          finishJob.run({ jobId: write.jobId, state: write.outcome, error: write.error, at: write.at });
          updateSlip.run({ slipKey: write.slipKey, state: write.slipState, needsMark: write.needsMark ? 1 : 0, error: write.error, at: write.at });
          return;
        case "settleJob": {
          // Already finished (start-up recovery settled it as unknown): the slip moved on since.
          if (finishJob.run({ jobId: write.jobId, state: write.outcome, error: write.error, at: write.at }).changes === 0) return;
          const current = familyOf(write.slipKey);
          if (!current) throw new Error(`slip ${write.slipKey} not found`);
          const settled = decideSettle(current.family, write.slipKey, write.outcome, write.lastAttempt);
          settleSlip.run({
            slipKey: write.slipKey, state: settled.state, needsMark: settled.needsMark ? 1 : 0, error: write.error, at: write.at, supersededBy: settled.supersededBy,
          });
          for (const key of settled.resolves) supersede.run({ slipKey: key, by: write.slipKey, at: write.at, from: "failed" });
          return;
        }
        case "supersede":
          supersede.run({ slipKey: write.slipKey, by: write.by, at: write.at, from: "pending" });
          return;
        case "moveToBackup":
          moveToBackup.run({ from: write.from, to: write.to, at: write.at });
          return;
        case "retry": {
          const changed = retrySlip.run(write.printerId, write.at, write.slipKey);
          if (changed.changes !== 1) throw new Error(`slip ${write.slipKey} is not failed`);
          return;
        }
        case "reprint":
          break;
      }
      const inserted = insertSlip.run({
        slipKey: write.slipKey, storeId: write.of.storeId, ticketId: write.of.ticketId, stationId: write.of.stationId, printerId: write.printerId,
        backupFrom: null, reprintNo: write.reprintNo, reprintOf: write.of.reprintOf ?? write.of.slipKey, needsMark: 1, at: write.at,
      });
      if (inserted.changes !== 1) throw new Error(`UNIQUE constraint failed: print_slips reprint ${write.slipKey}`);
    },
  };
}

export type PrintStore = ReturnType<typeof createPrintStore>;
