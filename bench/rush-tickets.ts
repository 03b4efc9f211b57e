import type { RushPrinter } from "./rush-printer.ts";
import { ticketIdOnSlip } from "./rush-printer.ts";
import type { RushDisplay } from "./rush-store.ts";
import { rushLimits } from "./rush-settings.ts";
import { LatencyRecorder } from "./stats.ts";

/** When the POS (or phone) had the ok reply: performance.now() for the KDS, wall clock for the paper (slips carry a Date). */
interface Expected {
  readonly replyPerf: number;
  readonly replyWall: number;
  readonly store: number;
  printed: boolean;
}

/**
 * Every ticket a confirm made, matched to the slip an emulator stored and to its first sight on
 * each of the store's kitchen displays. Latencies run from the confirm's ok reply.
 */
export class TicketTracker {
  readonly #expected = new Map<string, Expected>();
  /** Slips read before their confirm's reply was (a race the print time makes rare): ticket → stored at. */
  readonly #early = new Map<string, number>();
  readonly paper = new LatencyRecorder(rushLimits.samplesMax);
  readonly kds = new LatencyRecorder(rushLimits.samplesMax);
  printed = 0;
  /** Slips for a ticket already on paper (reprints after an unknown outcome, failover copies). */
  duplicates = 0;
  /** Slips whose ticket id the tracker never expected (should be 0). */
  unknownSlips = 0;
  #poller: NodeJS.Timeout | undefined;

  constructor(
    private readonly printers: readonly (readonly RushPrinter[])[],
    private readonly displays: readonly (readonly RushDisplay[])[],
  ) {}

  get expected(): number {
    return this.#expected.size;
  }

  get outstanding(): number {
    return this.#expected.size - this.printed;
  }

  expect(store: number, ticketIds: readonly string[], replyPerf: number, replyWall: number): void {
    for (const id of ticketIds) {
      if (this.#expected.size >= rushLimits.samplesMax) return;
      const entry: Expected = { replyPerf, replyWall, store, printed: false };
      this.#expected.set(id, entry);
      const early = this.#early.get(id);
      if (early !== undefined) {
        this.#early.delete(id);
        this.#print(entry, early);
      }
    }
  }

  startPolling(): void {
    this.#poller ??= setInterval(() => this.poll(), rushLimits.slipPollMs);
  }

  stopPolling(): void {
    clearInterval(this.#poller);
    this.#poller = undefined;
  }

  poll(): void {
    for (const storePrinters of this.printers) {
      for (const printer of storePrinters) {
        for (const slip of printer.newSlips()) {
          const id = ticketIdOnSlip(slip);
          const at = Date.parse(slip.receivedAt);
          const entry = id === undefined ? undefined : this.#expected.get(id);
          if (id === undefined) this.unknownSlips += 1;
          else if (entry === undefined) {
            if (this.#early.has(id)) this.duplicates += 1;
            else if (this.#early.size < rushLimits.samplesMax) this.#early.set(id, at);
          } else if (entry.printed) this.duplicates += 1;
          else this.#print(entry, at);
        }
      }
    }
  }

  #print(entry: Expected, storedAt: number): void {
    entry.printed = true;
    this.printed += 1;
    this.paper.record(storedAt - entry.replyWall);
  }

  /** Every expected ticket on every display of its store? */
  allShown(): boolean {
    for (const [id, entry] of this.#expected) if (!this.displays[entry.store]!.every((d) => d.seen.has(id))) return false;
    return true;
  }

  /** At the end of a step: KDS latency over every ticket × display of its store; what never showed. */
  matchDisplays(): { pairs: number; missing: number } {
    let pairs = 0;
    let missing = 0;
    for (const [id, entry] of this.#expected) {
      for (const display of this.displays[entry.store]!) {
        pairs += 1;
        const seenAt = display.seen.get(id);
        if (seenAt === undefined) missing += 1;
        else this.kds.record(seenAt - entry.replyPerf);
      }
    }
    return { pairs, missing };
  }
}
