import type { CommitUnit, SystemWrite, Writer, WriterStats } from "../storage/index.ts";

/** Which printer takes a station's slips right now (a failed-over printer's backup, say). */
export type SlipRoute = (storeId: string, stationId: string) => string | undefined;

/**
 * Puts each unit's printer choice into the unit before it reaches storage, so a confirm writes its
 * print slips in its own transaction (a durable confirm is a durable print request) while storage
 * knows nothing of printers: routing reads live printer health, which only this process has.
 */
export class SlipRoutingWriter implements Writer {
  #route: SlipRoute = () => undefined;

  constructor(private readonly inner: Writer) {}

  /** Set once the printers exist; until then units carry no printer and the outbox subscriber routes them. */
  routeWith(route: SlipRoute): void {
    this.#route = route;
  }

  get stats(): WriterStats {
    return this.inner.stats;
  }

  submit(unit: CommitUnit): Promise<void> {
    return this.inner.submit(withSlipPrinters(unit, this.#route));
  }

  submitSystem(writes: readonly SystemWrite[]): Promise<void> {
    return this.inner.submitSystem(writes);
  }

  onCommitted(listener: () => void): void {
    this.inner.onCommitted(listener);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

export function withSlipPrinters(unit: CommitUnit, route: SlipRoute): CommitUnit {
  let slipPrinters: Record<string, string> | undefined;
  for (const event of unit.events) {
    if (event.type !== "TicketPrintRequested") continue;
    const printerId = route(unit.context.storeId, event.stationId);
    if (printerId) (slipPrinters ??= {})[event.stationId] = printerId;
  }
  return slipPrinters ? { ...unit, slipPrinters } : unit;
}
