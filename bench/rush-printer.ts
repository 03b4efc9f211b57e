import { createServer, connect, type Server, type Socket } from "node:net";
import { PrinterEmulator, type StoredSlip } from "../printers/index.ts";

/**
 * A kitchen printer as the rush simulator needs it: the project's PrinterEmulator (it decodes the
 * ESC/POS, stores the slip with its `receivedAt`, answers the status queries and the GS ( H echo)
 * behind a "print head" on loopback. The head holds every chunk that ends a slip (a cut, GS V) for
 * the print time, one slip at a time per printer, so the slip is stored, and "printed" echoed, when
 * the paper would come out. Chunks without a cut pass in order behind it. (A cut split across two
 * TCP chunks would pass unheld; on loopback the server's one write per job arrives whole.)
 */
export class RushPrinter {
  readonly emulator = new PrinterEmulator({ host: "127.0.0.1", port: 0 });
  #head: Server | undefined;
  readonly #sockets = new Set<Socket>();
  /** The printer is busy until this time (performance.now()): slips print one after another. */
  #busyUntil = 0;
  #lastSeq = 0;
  #faultTimer: NodeJS.Timeout | undefined;
  #stopped = false;
  faults = 0;
  faultMs = 0;

  constructor(
    readonly id: string,
    private readonly printMs: () => number,
  ) {}

  /** Starts the emulator and the head; resolves with the port the server is to print to. */
  async start(): Promise<number> {
    await this.emulator.start();
    const head = createServer((client) => this.#accept(client));
    await new Promise<void>((resolve, reject) => {
      head.once("error", reject);
      head.listen(0, "127.0.0.1", () => resolve());
    });
    this.#head = head;
    const address = head.address();
    if (address === null || typeof address !== "object") throw new Error("print head not bound");
    return address.port;
  }

  #accept(client: Socket): void {
    const upstream = connect(this.emulator.port, "127.0.0.1");
    this.#sockets.add(client).add(upstream);
    // One chain per connection keeps its bytes in order; the wait for the head is per printer.
    let chain: Promise<void> = Promise.resolve();
    client.on("data", (chunk: Buffer) => {
      chain = chain.then(async () => {
        if (hasCut(chunk)) await this.#printTime();
        if (!upstream.destroyed) upstream.write(chunk);
      });
    });
    upstream.on("data", (chunk: Buffer) => {
      if (!client.destroyed) client.write(chunk);
    });
    const close = () => {
      client.destroy();
      upstream.destroy();
      this.#sockets.delete(client);
      this.#sockets.delete(upstream);
    };
    for (const s of [client, upstream]) {
      s.on("error", close);
      s.on("close", close);
    }
  }

  #printTime(): Promise<void> {
    const now = performance.now();
    const start = Math.max(now, this.#busyUntil);
    this.#busyUntil = start + this.printMs();
    return new Promise((resolve) => setTimeout(resolve, this.#busyUntil - now));
  }

  /** Now and then, for faultMs, paper out or the printer refusing connections (the emulator's own faults). */
  startFaults(chancePerSecond: number, random: () => number, faultMsMin: number, faultMsMax: number): void {
    if (chancePerSecond <= 0) return;
    const tick = () => {
      if (this.#stopped) return;
      if (random() >= chancePerSecond) {
        this.#faultTimer = setTimeout(tick, 1_000);
        return;
      }
      const ms = faultMsMin + random() * (faultMsMax - faultMsMin);
      this.faults += 1;
      this.faultMs += ms;
      void this.emulator.setFault(random() < 0.5 ? { mode: "paperOut" } : { mode: "refuse" });
      this.#faultTimer = setTimeout(() => {
        if (this.#stopped) return;
        void this.emulator.setFault({ mode: "none" }).then(() => {
          this.#faultTimer = setTimeout(tick, 1_000);
        });
      }, ms);
    };
    this.#faultTimer = setTimeout(tick, 1_000);
  }

  /** Slips stored since the last call (the emulator keeps its newest 1,000; read often). */
  newSlips(): StoredSlip[] {
    const fresh = this.emulator.slips().filter((s) => s.seq > this.#lastSeq);
    if (fresh.length > 0) this.#lastSeq = fresh[fresh.length - 1]!.seq;
    return fresh;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#faultTimer);
    for (const s of this.#sockets) s.destroy();
    const head = this.#head;
    if (head) await new Promise<void>((resolve) => head.close(() => resolve()));
    await this.emulator.stop();
  }
}

/** GS V (0x1d 0x56): the cut that ends a slip. */
function hasCut(chunk: Buffer): boolean {
  for (let i = chunk.indexOf(0x1d); i >= 0 && i < chunk.length - 1; i = chunk.indexOf(0x1d, i + 1)) if (chunk[i + 1] === 0x56) return true;
  return false;
}

const ticketIdPattern = /([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}-(?:kitchen|bar|grill|dessert))/;

/** The ticket id printed on a slip (`${batchId}-${station}`; wrapped at the slip's width, so whitespace is dropped first). */
export function ticketIdOnSlip(slip: StoredSlip): string | undefined {
  return ticketIdPattern.exec(slip.text.replace(/\s+/g, ""))?.[1];
}
