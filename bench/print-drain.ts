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

/** Waits (bounded) until every requested slip is printed or failed, so the next step starts on an idle server. */
export async function waitForPrintDrain(server: ServerProcess, backlogAtEnd: number, timeoutMs: number = benchSettings.printDrainTimeoutMs): Promise<PrintBacklog> {
  const t0 = performance.now();
  let counts = printCounts(server.databaseFile);
  while (counts && backlogOf(counts) > 0 && performance.now() - t0 < timeoutMs) {
    await sleep(benchSettings.printDrainPollMs);
    counts = printCounts(server.databaseFile);
  }
  return {
    backlogAtEnd,
    drainS: round((performance.now() - t0) / 1000, 1),
    drained: !counts || backlogOf(counts) === 0,
    failedSlips: counts?.failed ?? 0,
  };
}

export function printBacklogNow(server: ServerProcess): number {
  const counts = printCounts(server.databaseFile);
  return counts ? backlogOf(counts) : 0;
}
