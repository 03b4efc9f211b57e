import { PrinterActor, queryStatus, type ActorDeps, type ReceiptData } from "../../printers/index.ts";
import type { KitchenReader, OutboxRow, PrintStore, SlipRow, SystemWrite } from "../../storage/index.ts";
import type { TicketPrintRequested } from "../../domain/index.ts";
import type { AppConfig, StoreConfig } from "../config/index.ts";
import { isoAt, type Clock } from "../clock.ts";
import type { Logger } from "../logger.ts";
import type { OutboxSubscriber } from "../outbox-relay.ts";
import { crashNow, crashPoints } from "../crash-points.ts";
import { slipFromTicket } from "./slip-data.ts";
import type { PrintNotice, PrinterHealth, ResolvedPrinter } from "./types.ts";

export interface PrintServiceDeps {
  readonly config: AppConfig;
  readonly printers: readonly ResolvedPrinter[];
  readonly prints: PrintStore;
  readonly writer: { submitSystem(writes: readonly SystemWrite[]): Promise<void> };
  readonly kitchen: KitchenReader;
  readonly clock: Clock;
  readonly log: Logger;
  newId(): string;
}

/**
 * Kitchen printing: takes print requests from the outbox (at least once; the slip key makes the
 * second one a no-op), routes each station's slips to its printer (or its backup after repeated
 * failures), runs one actor per printer and tells the floor, the admins and the KDS what happened.
 */
export class PrintService {
  readonly #actors = new Map<string, PrinterActor>();
  readonly #listeners = new Set<(notice: PrintNotice) => void>();
  #healthTimer: NodeJS.Timeout | undefined;

  constructor(private readonly deps: PrintServiceDeps) {
    for (const printer of deps.printers) {
      const store = deps.config.stores.find((s) => s.id === printer.storeId)!;
      this.#actors.set(printer.id, new PrinterActor(printer, this.#actorDeps(store)));
    }
  }

  /** What an actor needs from the ledger, the kitchen rows and this process, as the printer layer's ports. */
  #actorDeps(store: StoreConfig): ActorDeps {
    const { prints, kitchen, writer, clock } = this.deps;
    return {
      ledger: {
        pendingBatch: (printerId, limit) => prints.pendingBatch(printerId, limit),
        slip: (slipKey) => prints.slip(slipKey),
        familyOf: (slipKey, known) => prints.familyOf(slipKey, known),
        submit: (writes) => writer.submitSystem(writes),
      },
      source: {
        kitchenSlip: (ticketId, widthChars) => {
          const data = kitchen.ticketWithItems(ticketId);
          return data ? slipFromTicket(store, data.ticket, data.items, widthChars) : undefined;
        },
        receipt: (receiptId) => kitchen.receiptPayload(receiptId) as ReceiptData | undefined,
        printerName: (id) => this.#actors.get(id)?.printer.name ?? id,
      },
      settings: this.deps.config.printing,
      log: this.deps.log,
      nowMs: () => clock.nowMs(),
      newId: this.deps.newId,
      onOutcome: (p, slip, outcome, error) => this.#outcome(p, slip, outcome, error),
      onFailover: (p) => this.#failover(p),
      onNotReady: (p, reason) => this.#notify({
        kind: reason === null ? "recovered" : "not_ready", storeId: p.storeId, tableId: null, ticketId: null, slipKey: null, printerId: p.id,
        message: reason === null ? `${p.name} is ready again; waiting slips print now` : `${p.name}: ${notReadyText[reason] ?? reason}; slips wait and print when it is fixed`,
        at: isoAt(this.deps.clock),
      }),
      // Test-only (CRASH_AT, DESIGN.md §7): read when reached, so arming at start-up is enough.
      crashHooks: {
        hit: (point) => crashPoints.armed?.hit(point),
        reached: (point) => crashPoints.armed?.reached(point) ?? false,
        crash: (point) => crashNow(point),
      },
    };
  }

  /**
   * The outbox subscriber. A confirm normally wrote its slip rows itself (the writer's slip router);
   * this catches any request without one (written before a printer existed) and wakes the actor.
   */
  subscriber(): OutboxSubscriber {
    return {
      name: "printing",
      topics: new Set(["TicketPrintRequested"]),
      deliver: async (row: OutboxRow) => {
        const event = row.payload as TicketPrintRequested;
        const existing = this.deps.prints.slip(event.slipKey);
        if (existing) {
          this.#actors.get(existing.printerId)?.wake();
          return;
        }
        const printer = this.#route(row.storeId, event.stationId);
        if (!printer) {
          this.deps.log.warn(`printing: no printer for station ${event.stationId} of ${row.storeId}; slip ${event.slipKey} not queued`);
          return;
        }
        await this.deps.writer.submitSystem([{ kind: "enqueue", slip: { slipKey: event.slipKey, storeId: row.storeId, ticketId: event.ticketId, stationId: event.stationId, printerId: printer.printer.id, at: event.at } }]);
        printer.wake();
      },
    };
  }

  async start(): Promise<void> {
    const interrupted = this.deps.prints.interruptedCount();
    await this.deps.writer.submitSystem([{ kind: "recoverPrintJobs", at: isoAt(this.deps.clock) }]);
    if (interrupted > 0) this.deps.log.warn(`printing: ${interrupted} attempt(s) cut off by a stop; their next copies are marked (MAY BE DUPLICATE; reprints keep REPRINT n)`);
    for (const actor of this.#actors.values()) actor.wake();
    void this.checkHealth();
    this.#healthTimer = setInterval(() => void this.checkHealth(), this.deps.config.printing.healthCheckEverySeconds * 1000);
    this.#healthTimer.unref();
  }

  async stop(): Promise<void> {
    if (this.#healthTimer) clearInterval(this.#healthTimer);
    await Promise.all([...this.#actors.values()].map((a) => a.stop()));
  }

  onNotice(listener: (notice: PrintNotice) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  health(storeId: string): PrinterHealth[] {
    return [...this.#actors.values()].filter((a) => a.printer.storeId === storeId).map((a) => ({ ...a.health, pending: this.deps.prints.pendingCount(a.printer.id) }));
  }

  printer(printerId: string): ResolvedPrinter | undefined {
    return this.#actors.get(printerId)?.printer;
  }

  /** Where a new slip of this station goes: its printer, or the backup while that printer is failed over. */
  routeFor(storeId: string, stationId: string): ResolvedPrinter | undefined {
    return this.#route(storeId, stationId)?.printer;
  }

  wake(printerId: string): void {
    this.#actors.get(printerId)?.wake();
  }

  /** Periodic and on demand: connect and ask DLE EOT, never while that printer is printing (§9.7). */
  async checkHealth(): Promise<void> {
    await Promise.all([...this.#actors.values()].map(async (actor) => {
      // Skipped while the actor has a job in hand; a job that starts during the query waits for it.
      const result = await actor.whenIdle(() => queryStatus({ host: actor.printer.host, port: actor.printer.port }, this.deps.config.printing.connectTimeoutMs));
      if (result === undefined) return;
      const at = isoAt(this.deps.clock);
      actor.health.checkedAt = at;
      if (!("online" in result)) {
        Object.assign(actor.health, { reachable: false, lastError: result.error });
        return;
      }
      const healthy = result.online && !result.coverOpen && !result.paperOut;
      Object.assign(actor.health, { reachable: true, status: result, lastError: healthy ? null : describe(result) });
      if (healthy && actor.health.failedOverTo !== null) {
        actor.health.failedOverTo = null;
        actor.health.consecutiveFailures = 0;
        this.#notify({ kind: "recovered", storeId: actor.printer.storeId, tableId: null, ticketId: null, slipKey: null, printerId: actor.printer.id, message: `${actor.printer.name} is back; new slips print there again`, at });
      }
    }));
  }

  #route(storeId: string, stationId: string): PrinterActor | undefined {
    const primary = [...this.#actors.values()].find((a) => a.printer.storeId === storeId && a.printer.stationIds.includes(stationId));
    const backup = primary?.health.failedOverTo ? this.#actors.get(primary.health.failedOverTo) : undefined;
    return backup ?? primary;
  }

  #outcome(printer: ResolvedPrinter, slip: SlipRow, outcome: "printed" | "failed", error: string | null): void {
    const tableId = this.deps.kitchen.ticketWithItems(slip.ticketId)?.ticket.table_id ?? null;
    const message = outcome === "printed" ? `printed on ${printer.name}` : `could not print on ${printer.name}: ${error}`;
    this.#notify({ kind: outcome === "printed" ? "printed" : "print_failed", storeId: printer.storeId, tableId, ticketId: slip.ticketId, slipKey: slip.slipKey, printerId: printer.id, message, at: isoAt(this.deps.clock) });
  }

  async #failover(printer: ResolvedPrinter): Promise<void> {
    const backupId = printer.backupPrinterId!;
    const at = isoAt(this.deps.clock);
    await this.deps.writer.submitSystem([{ kind: "moveToBackup", from: printer.id, to: backupId, at }]);
    this.deps.log.warn(`printing: ${printer.id} failed over to ${backupId}`);
    this.#notify({ kind: "failover", storeId: printer.storeId, tableId: null, ticketId: null, slipKey: null, printerId: printer.id, message: `${printer.name} failed; slips go to ${this.#actors.get(backupId)?.printer.name ?? backupId}`, at });
    this.#actors.get(backupId)?.wake();
  }

  #notify(notice: PrintNotice): void {
    for (const listener of this.#listeners) listener(notice);
  }
}

const notReadyText: Record<string, string> = { paper_out: "paper out", cover_open: "cover open", offline: "offline" };

function describe(status: { online: boolean; coverOpen: boolean; paperOut: boolean }): string {
  return [!status.online && "offline", status.coverOpen && "cover open", status.paperOut && "paper out"].filter(Boolean).join(", ");
}

/** The printers of every store, with the emulator standing in for stores that configured none. */
export function resolvePrinters(config: AppConfig, emulator: { host: string; port: number } | undefined): ResolvedPrinter[] {
  return config.stores.flatMap((store: StoreConfig) => {
    if (store.printers.length === 0) {
      if (!emulator) return [];
      return [{ id: `${store.id}-emulator`, storeId: store.id, name: "프린터 에뮬레이터", host: emulator.host, port: emulator.port, stationIds: store.stations.map((s) => s.id), widthChars: 42, failoverAfterFailures: 3 }];
    }
    // Printer ids are unique per store; the actors and the print log key them store-wide.
    return store.printers.map((p) => ({
      ...p, storeId: store.id, id: `${store.id}.${p.id}`, backupPrinterId: p.backupPrinterId ? `${store.id}.${p.backupPrinterId}` : undefined,
    }));
  });
}
