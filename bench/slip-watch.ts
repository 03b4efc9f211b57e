import type { PrinterEmulator, StoredSlip } from "../printers/index.ts";
import { benchSettings } from "./settings.ts";

interface Waiter {
  readonly resolve: (slip: StoredSlip) => void;
  readonly reject: (error: Error) => void;
  readonly timer: NodeJS.Timeout;
}

/** The slip's text without whitespace: the ticket id at the bottom may be wrapped across lines. */
function compact(slip: StoredSlip): string {
  return slip.text.replace(/\s+/g, "");
}

/**
 * Resolves with the slip of a ticket once an emulator in this process has stored it. Polls
 * `slips()` (the emulator has no event); the time that counts is the slip's own `receivedAt`,
 * so the poll interval only paces the caller.
 */
export class SlipWatch {
  readonly #waiters = new Map<string, Waiter>();
  #lastSeq = 0;
  #poller: NodeJS.Timeout | undefined;

  constructor(private readonly emulator: PrinterEmulator) {}

  waitFor(ticketId: string, timeoutMs: number = benchSettings.printing.slipTimeoutMs): Promise<StoredSlip> {
    // It may already be there: the server can print before the POS has read its reply.
    // (#lastSeq stays: a slip stored since the last poll may be another waiter's.)
    const stored = this.emulator.slips().find((s) => compact(s).includes(ticketId));
    if (stored) return Promise.resolve(stored);
    return new Promise<StoredSlip>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters.delete(ticketId);
        this.#stopIfIdle();
        reject(new Error(`no slip for ${ticketId} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#waiters.set(ticketId, { resolve, reject, timer });
      this.#poller ??= setInterval(() => this.#poll(), benchSettings.printing.slipPollMs);
    });
  }

  #poll(): void {
    for (const slip of this.emulator.slips()) {
      if (slip.seq <= this.#lastSeq) continue;
      this.#lastSeq = slip.seq;
      const text = compact(slip);
      for (const [ticketId, waiter] of this.#waiters) {
        if (!text.includes(ticketId)) continue;
        clearTimeout(waiter.timer);
        this.#waiters.delete(ticketId);
        waiter.resolve(slip);
      }
    }
    this.#stopIfIdle();
  }

  #stopIfIdle(): void {
    if (this.#waiters.size > 0 || this.#poller === undefined) return;
    clearInterval(this.#poller);
    this.#poller = undefined;
  }
}

/** Wall-clock ms at which the emulator stored the slip (ISO string, millisecond resolution). */
export function storedAtMs(slip: StoredSlip): number {
  return Date.parse(slip.receivedAt);
}
