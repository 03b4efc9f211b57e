import { query, type ServerProcess } from "../test/support/server-process.ts";
import { round } from "./stats.ts";
import { benchSettings, sleep } from "./settings.ts";

export interface PrintBacklog {
  /** Print requests in the outbox that have no slip yet plus slips not printed yet, at the window's end. */
  readonly backlogAtEnd: number;
  /** Time after the window until the backlog was gone (the next step waits for it). */
  readonly drainS: number;
  readonly drained: boolean;
  readonly failedSlips: number;
  /**
   * Issue 15: slips still unprinted (as backlogAtEnd counts them) this long after the burst's end
   * (benchSettings.unprintedCheckpointsMs); `count` is undefined when the wait was too short to see it.
   */
  readonly unprintedAfter: readonly { readonly seconds: number; readonly count: number | undefined }[];
}

interface PrintCounts {
  readonly requested: number;
  readonly slips: number;
  readonly pending: number;
  readonly failed: number;
}

/**
 * Every confirm asks for two kitchen slips; the server prints them (demo: on its built-in emulator)
 * after the confirm's reply, through the outbox. Read-only look at the server's database (WAL).
 * Undefined when the server has no print tables (an older schema): then nothing is waited for.
 */
export function printCounts(databaseFile: string): PrintCounts | undefined {
  try {
    const row = query<PrintCounts>(databaseFile, `select
      (select count(*) from outbox where topic = 'TicketPrintRequested') as requested,
      (select count(*) from print_slips) as slips,
      (select count(*) from print_slips where state = 'pending') as pending,
      (select count(*) from print_slips where state = 'failed') as failed`)[0];
    return row;
  } catch (error) {
    if (error instanceof Error && /no such table/.test(error.message)) return undefined;
    throw error;
  }
}

function backlogOf(counts: PrintCounts): number {
  return Math.max(0, counts.requested - counts.slips) + counts.pending;
}

/**
 * Waits (bounded) until every requested slip is printed or failed, so the next step starts on an
 * idle server. `burstEnd` (performance.now() time; default: now) is when the clients stopped: the
 * unprinted checkpoints count from it and, when it is given, the wait lasts at least until the last
 * checkpoint unless everything printed earlier (a drained backlog stays 0: nothing confirms meanwhile).
 */
export async function waitForPrintDrain(
  server: ServerProcess, backlogAtEnd: number, timeoutMs: number = benchSettings.printDrainTimeoutMs, burstEnd?: number,
): Promise<PrintBacklog> {
  const t0 = performance.now();
  const burstEndAt = burstEnd ?? t0;
  const checkpoints = benchSettings.unprintedCheckpointsMs;
  const seen = new Map<number, number>();
  const note = (backlog: number) => {
    const sinceBurst = performance.now() - burstEndAt;
    for (const ms of checkpoints) if (!seen.has(ms) && (sinceBurst >= ms || backlog === 0)) seen.set(ms, backlog);
  };
  let counts = printCounts(server.databaseFile);
  if (counts) note(backlogOf(counts));
  // Only a caller that knows the burst's end (a confirm level) waits for the last checkpoint.
  const deadline = Math.max(t0 + timeoutMs, burstEnd !== undefined && timeoutMs > 0 ? burstEnd + Math.max(...checkpoints) : 0);
  while (counts && backlogOf(counts) > 0 && performance.now() < deadline) {
    // Wake at a checkpoint rather than just after it, so its count is the count at that time.
    const nextCheckpoint = checkpoints.map((ms) => burstEndAt + ms).find((at) => at > performance.now()) ?? Number.POSITIVE_INFINITY;
    await sleep(Math.max(0, Math.min(benchSettings.printDrainPollMs, nextCheckpoint - performance.now())));
    counts = printCounts(server.databaseFile);
    if (counts) note(backlogOf(counts));
  }
  return {
    backlogAtEnd,
    drainS: round((performance.now() - t0) / 1000, 1),
    drained: !counts || backlogOf(counts) === 0,
    failedSlips: counts?.failed ?? 0,
    unprintedAfter: checkpoints.map((ms) => ({ seconds: ms / 1000, count: counts ? seen.get(ms) : 0 })),
  };
}

export function printBacklogNow(server: ServerProcess): number {
  const counts = printCounts(server.databaseFile);
  return counts ? backlogOf(counts) : 0;
}
