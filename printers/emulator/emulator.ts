import net from "node:net";
import { assert, assertNever } from "../../domain/assert.ts";
import { type DecoderEvent, EscPosDecoder, type Slip } from "../escpos/decoder.ts";
import { emulatorLimits } from "../limits.ts";
import { printerWidth } from "../slip/width.ts";

/**
 * Faults, settable at runtime. `hang` applies to connections accepted while it is set; the
 * others are read for every chunk.
 * - refuse: stop listening (ECONNREFUSED); listen again on the same port when cleared.
 * - hang: accept, never read. closeMidSlip: destroy the socket after `afterBytes` bytes.
 * - slow: wait `delayMsPerChunk` before decoding each chunk. noEcho: print, never answer GS ( H.
 * - paperOut / coverOpen: status says so, nothing prints, no GS ( H answer.
 */
export type Fault =
  | { mode: "none" }
  | { mode: "refuse" }
  | { mode: "hang" }
  | { mode: "closeMidSlip"; afterBytes: number }
  | { mode: "slow"; delayMsPerChunk: number }
  | { mode: "paperOut" }
  | { mode: "coverOpen" }
  | { mode: "noEcho" };
export type FaultMode = Fault["mode"];

export interface StoredSlip extends Slip {
  seq: number;
  /** 1-based number of the TCP connection the slip came on. */
  connection: number;
  receivedAt: string;
}

export interface EmulatorOptions {
  host?: string;
  /** 0 picks a free port; start() returns the one bound. */
  port?: number;
  /** Korean firmware may boot with FS & on. */
  doubleByteAtInit?: boolean;
  /** Send a 4-byte ASB on every connection, as a printer with the ASB DIP switch on does. */
  asbOnConnect?: boolean;
  /** Column frame for textDump(). */
  widthChars?: number;
}

export interface EmulatorStats {
  connections: number;
  bytesReceived: number;
  /** Slips that arrived while paper was out or the cover open. */
  slipsDiscarded: number;
  /** Connections that closed with bytes after the last cut. */
  partialSlips: number;
  statusReplies: number;
  echoes: number;
  unknownCommands: number;
  socketErrors: number;
}

const statusFixedBits = 0x12;

/** An Epson TM-like network printer on TCP for tests and the admin view. */
export class PrinterEmulator {
  readonly #host: string;
  #port: number;
  readonly #options: EmulatorOptions;
  #server: net.Server | null = null;
  #fault: Fault = { mode: "none" };
  readonly #sockets = new Set<net.Socket>();
  readonly #timers = new Set<NodeJS.Timeout>();
  #slips: StoredSlip[] = [];
  #seq = 0;
  #stopped = false;
  readonly #stats: EmulatorStats = {
    connections: 0, bytesReceived: 0, slipsDiscarded: 0, partialSlips: 0, statusReplies: 0, echoes: 0, unknownCommands: 0, socketErrors: 0,
  };

  constructor(options: EmulatorOptions = {}) {
    this.#options = options;
    this.#host = options.host ?? "127.0.0.1";
    this.#port = options.port ?? 0;
  }

  /** Binds and resolves with the port (useful with port 0). */
  async start(): Promise<number> {
    assert(this.#server === null, "emulator already started");
    await this.#listen();
    return this.#port;
  }

  get port(): number {
    return this.#port;
  }

  async setFault(fault: Fault): Promise<void> {
    assert(fault.mode !== "closeMidSlip" || (Number.isInteger(fault.afterBytes) && fault.afterBytes >= 0), "bad afterBytes");
    assert(fault.mode !== "slow" || fault.delayMsPerChunk >= 0, "bad delayMsPerChunk");
    const wasRefusing = this.#fault.mode === "refuse";
    this.#fault = fault;
    if (fault.mode === "refuse" && !wasRefusing && this.#server !== null) {
      this.#server.close(); // closes the listening socket now; open connections live on
      this.#server = null;
      await new Promise((resolve) => setImmediate(resolve));
    } else if (fault.mode !== "refuse" && wasRefusing && !this.#stopped) {
      await this.#listen();
    }
  }

  get fault(): Fault {
    return this.#fault;
  }

  slips(): StoredSlip[] {
    return [...this.#slips];
  }

  stats(): EmulatorStats {
    return { ...this.#stats };
  }

  clear(): void {
    this.#slips = [];
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    for (const socket of this.#sockets) socket.destroy();
    const server = this.#server;
    this.#server = null;
    if (server !== null) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Human-readable form of the stored slips, newest last (for the admin HTTP view). */
  textDump(): string {
    const width = this.#options.widthChars ?? emulatorLimits.dumpWidthChars;
    const shown = this.#slips.slice(-emulatorLimits.dumpSlipsMax);
    const out: string[] = [];
    if (shown.length < this.#slips.length) out.push(`(${this.#slips.length - shown.length} older slips not shown)`);
    for (const slip of shown) {
      out.push(`=== slip ${slip.seq} · connection ${slip.connection} · ${slip.receivedAt} · ${slip.cut} cut ===`);
      for (const line of slip.lines) {
        const flags = `${line.bold ? "B" : "-"}${line.doubleHeight ? "H" : "-"}${line.doubleWidth ? "W" : "-"}`;
        const columns = printerWidth(line.text) * (line.doubleWidth ? 2 : 1);
        const gap = Math.max(0, width - columns);
        const lead = line.align === "center" ? Math.floor(gap / 2) : line.align === "right" ? gap : 0;
        out.push(`${flags} | ${" ".repeat(lead)}${line.text}`);
      }
    }
    return out.join("\n");
  }

  async #listen(): Promise<void> {
    const server = net.createServer((socket) => this.#accept(socket));
    server.maxConnections = emulatorLimits.connectionsMax;
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.#port, this.#host, () => {
        server.off("error", reject);
        resolve();
      });
    });
    const address = server.address();
    assert(address !== null && typeof address === "object", "server must be bound to a TCP port");
    this.#port = address.port;
    this.#server = server;
  }

  #accept(socket: net.Socket): void {
    const connection = ++this.#stats.connections;
    const decoder = new EscPosDecoder({ doubleByteAtInit: this.#options.doubleByteAtInit ?? false });
    this.#sockets.add(socket);
    socket.on("error", () => this.#stats.socketErrors++); // resets from clients that give up are expected
    socket.on("close", () => {
      this.#sockets.delete(socket);
      if (decoder.hasPartial()) this.#stats.partialSlips++;
      this.#stats.unknownCommands += decoder.unknownCommands;
    });
    if (this.#fault.mode === "hang") {
      socket.pause();
      return;
    }
    if (this.#options.asbOnConnect === true) this.#reply(socket, this.#asb());
    let received = 0;
    socket.on("data", (chunk: Buffer) => {
      const fault = this.#fault;
      if (fault.mode === "slow") {
        socket.pause();
        received += chunk.length;
        const timer = setTimeout(() => {
          this.#timers.delete(timer);
          this.#consume(socket, decoder, chunk, connection);
          socket.resume();
        }, fault.delayMsPerChunk);
        this.#timers.add(timer);
        return;
      }
      if (fault.mode === "closeMidSlip" && received + chunk.length >= fault.afterBytes) {
        this.#consume(socket, decoder, chunk.subarray(0, Math.max(0, fault.afterBytes - received)), connection);
        socket.destroy();
        return;
      }
      received += chunk.length;
      this.#consume(socket, decoder, chunk, connection);
    });
  }

  #consume(socket: net.Socket, decoder: EscPosDecoder, chunk: Buffer, connection: number): void {
    this.#stats.bytesReceived += chunk.length;
    for (const event of decoder.push(chunk)) this.#handle(socket, event, connection);
  }

  #handle(socket: net.Socket, event: DecoderEvent, connection: number): void {
    const mode = this.#fault.mode;
    const stopped = mode === "paperOut" || mode === "coverOpen";
    switch (event.type) {
      case "status-request":
        if (event.n < 1 || event.n > 4) return;
        this.#stats.statusReplies++;
        this.#reply(socket, Buffer.from([this.#statusByte(event.n)]));
        return;
      case "slip":
        if (stopped) this.#stats.slipsDiscarded++;
        else this.#store(event.slip, connection);
        return;
      case "process-id":
        // The slip before it was stored above, so the echo means "printed".
        if (stopped || mode === "noEcho") return;
        this.#stats.echoes++;
        this.#reply(socket, Buffer.concat([Buffer.from([0x37, 0x22]), Buffer.from(event.id, "latin1"), Buffer.from([0x00])]));
        return;
      default:
        assertNever(event);
    }
  }

  #store(slip: Slip, connection: number): void {
    this.#slips.push({ ...slip, seq: ++this.#seq, connection, receivedAt: new Date().toISOString() });
    if (this.#slips.length > emulatorLimits.slipsStoredMax) this.#slips.shift();
  }

  /** DLE EOT n reply, Epson TM style: fixed bits 0x12 plus the cause bits. */
  #statusByte(n: number): number {
    const paperOut = this.#fault.mode === "paperOut";
    const coverOpen = this.#fault.mode === "coverOpen";
    if (n === 1) return statusFixedBits | (paperOut || coverOpen ? 0x08 : 0);
    if (n === 2) return statusFixedBits | (coverOpen ? 0x04 : 0) | (paperOut ? 0x20 : 0);
    if (n === 4) return statusFixedBits | (paperOut ? 0x60 : 0);
    return statusFixedBits;
  }

  #asb(): Buffer {
    const paperOut = this.#fault.mode === "paperOut";
    const coverOpen = this.#fault.mode === "coverOpen";
    return Buffer.from([0x10 | (paperOut || coverOpen ? 0x08 : 0) | (coverOpen ? 0x20 : 0), 0x00, paperOut ? 0x0c : 0x00, 0x00]);
  }

  #reply(socket: net.Socket, bytes: Buffer): void {
    if (socket.destroyed || !socket.writable) return;
    socket.write(bytes);
  }
}
