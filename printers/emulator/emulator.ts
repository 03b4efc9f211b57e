import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { open, type FileHandle } from "node:fs/promises";
import net from "node:net";
import { dirname } from "node:path";
import { assert, assertNever } from "../../domain/assert.ts";
import { type DecoderEvent, EscPosDecoder, type Slip } from "../escpos/decoder.ts";
import { emulatorLimits } from "../limits.ts";
import { printerWidth } from "../slip/width.ts";

/**
 * Faults, settable at runtime. `hang` applies to connections accepted while it is set; the
 * others are read for every chunk.
 * - refuse: stop listening (ECONNREFUSED) and drop open connections (switched off); listen again on the same port when cleared.
 * - hang: accept, never read; open connections stop being read too (a locked-up printer). closeMidSlip: destroy the socket after `afterBytes` bytes.
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
  /**
   * Keep what was printed across restarts: every stored slip is appended to this JSON-lines file and
   * fsync'd before the printer answers anything that follows it (so before its GS ( H "printed" echo);
   * start() reloads the newest `slipsStoredMax` slips. The file is compacted to that many when it
   * holds twice as many lines. Unreadable lines (a torn last line after a power cut) are skipped.
   */
  journalFile?: string;
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
  /** Journal lines skipped at start because they did not parse as a slip. */
  journalLinesSkipped: number;
  /** Journal appends or compactions that failed (the slip stays in memory). */
  journalErrors: number;
}

const statusFixedBits = 0x12;

/** The journal's own bounds (it keeps `emulatorLimits.slipsStoredMax` slips, like memory). */
const journalLimits = {
  /** Compact when the file holds this many times the slips kept. */
  compactAtFactor: 2,
  /** At start only the last this-many bytes are read (a file grown by hand cannot exhaust memory). */
  readBytesMax: 64 * 1024 * 1024,
} as const;

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
    journalLinesSkipped: 0, journalErrors: 0,
  };
  /** Journal: append handle, lines in the file, the chain of appends, and appends not yet durable. */
  #journal: FileHandle | null = null;
  #journalLines = 0;
  #journalTail: Promise<void> = Promise.resolve();
  #journalPending = 0;
  /** Slips up to this seq are in the journal already (a compaction wrote them) or were cleared: not appended again. */
  #journalFloor = 0;

  constructor(options: EmulatorOptions = {}) {
    this.#options = options;
    this.#host = options.host ?? "127.0.0.1";
    this.#port = options.port ?? 0;
  }

  /** Binds and resolves with the port (useful with port 0). */
  async start(): Promise<number> {
    assert(this.#server === null, "emulator already started");
    if (this.#options.journalFile !== undefined) await this.#openJournal(this.#options.journalFile);
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
    // A long-lived client connection (the print line) must meet the fault too, not only new ones.
    if (fault.mode === "refuse") for (const socket of this.#sockets) socket.destroy();
    if (fault.mode === "hang") for (const socket of this.#sockets) socket.pause();
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
    if (this.#journal === null) return;
    this.#journalFloor = this.#seq;
    this.#journalStep(() => this.#rewriteJournal([]));
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    for (const socket of this.#sockets) socket.destroy();
    const server = this.#server;
    this.#server = null;
    if (server !== null) await new Promise<void>((resolve) => server.close(() => resolve()));
    await this.#journalTail;
    const journal = this.#journal;
    this.#journal = null;
    if (journal !== null) await journal.close();
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
    const stored: StoredSlip = { ...slip, seq: ++this.#seq, connection, receivedAt: new Date().toISOString() };
    this.#slips.push(stored);
    if (this.#slips.length > emulatorLimits.slipsStoredMax) this.#slips.shift();
    if (this.#journal !== null) this.#journalAppend(stored);
  }

  /** Loads the newest slips of the journal (skipping torn or foreign lines), compacts it if due, opens it for appends. */
  async #openJournal(file: string): Promise<void> {
    let text = "";
    if (existsSync(file)) {
      const bytes = readFileSync(file);
      const tail = bytes.length > journalLimits.readBytesMax ? bytes.subarray(bytes.length - journalLimits.readBytesMax) : bytes;
      text = tail.toString("utf8");
      if (tail !== bytes) text = text.slice(text.indexOf("\n") + 1); // the first line was cut in half
    }
    const loaded = new Map<number, StoredSlip>();
    let lines = 0;
    for (const line of text.split("\n")) {
      if (line.trim() === "") continue;
      lines++;
      const slip = parseStoredSlip(line);
      if (slip === undefined) this.#stats.journalLinesSkipped++;
      else loaded.set(slip.seq, slip); // a seq written twice is one slip
    }
    this.#slips = [...loaded.values()].sort((a, b) => a.seq - b.seq).slice(-emulatorLimits.slipsStoredMax);
    this.#seq = this.#slips.reduce((max, s) => Math.max(max, s.seq), 0);
    this.#journalFloor = this.#seq;
    // A torn last line (or a file that grew past the bound) is rewritten away before anything is appended.
    if (lines !== this.#slips.length || lines >= emulatorLimits.slipsStoredMax * journalLimits.compactAtFactor || (text !== "" && !text.endsWith("\n"))) {
      writeDurably(file, journalText(this.#slips));
      lines = this.#slips.length;
    }
    this.#journal = await open(file, "a");
    this.#journalLines = lines;
  }

  #journalAppend(slip: StoredSlip): void {
    const line = `${JSON.stringify(slip)}\n`;
    this.#journalStep(async (journal) => {
      if (slip.seq <= this.#journalFloor) return;
      await journal.appendFile(line, "utf8");
      await journal.sync();
      this.#journalLines++;
      if (this.#journalLines < emulatorLimits.slipsStoredMax * journalLimits.compactAtFactor) return;
      // Keep what memory keeps, up to this slip; slips stored since are appended by their own steps.
      await this.#rewriteJournal(this.#slips.filter((s) => s.seq <= slip.seq));
      this.#journalFloor = Math.max(this.#journalFloor, slip.seq);
    });
  }

  /** Runs journal work in order; replies to printers wait for it (see #reply), so an echo follows its slip's fsync. */
  #journalStep(work: (journal: FileHandle) => Promise<void>): void {
    this.#journalPending++;
    this.#journalTail = this.#journalTail
      .then(() => (this.#journal !== null ? work(this.#journal) : undefined))
      .catch(() => void this.#stats.journalErrors++)
      .finally(() => void this.#journalPending--);
  }

  /** Replaces the journal with these slips (temp file, fsync, rename, fsync the directory). */
  async #rewriteJournal(slips: readonly StoredSlip[]): Promise<void> {
    const file = this.#options.journalFile;
    if (file === undefined || this.#journal === null) return;
    await this.#journal.close();
    this.#journal = null;
    try {
      writeDurably(file, journalText(slips));
      this.#journalLines = slips.length;
    } finally {
      this.#journal = await open(file, "a");
    }
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
    // While a slip is not yet durable in the journal, answers wait behind it (in order): "printed" means kept.
    if (this.#journalPending > 0) {
      void this.#journalTail.then(() => write(socket, bytes));
      return;
    }
    write(socket, bytes);
  }
}

function write(socket: net.Socket, bytes: Buffer): void {
  if (socket.destroyed || !socket.writable) return;
  socket.write(bytes);
}

function journalText(slips: readonly StoredSlip[]): string {
  return slips.map((s) => `${JSON.stringify(s)}\n`).join("");
}

/** Writes a whole file so that a crash leaves either the old or the new one. */
function writeDurably(file: string, text: string): void {
  const temp = `${file}.tmp`;
  writeFileSync(temp, text);
  const fd = openSync(temp, "r+");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, file);
  const dir = openSync(dirname(file), "r");
  try {
    fsyncSync(dir);
  } finally {
    closeSync(dir);
  }
}

/** One journal line back into a slip, or undefined if it is not one (torn, edited, foreign). */
function parseStoredSlip(line: string): StoredSlip | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof value !== "object" || value === null) return undefined;
  const v = value as Record<string, unknown>;
  const isInt = (x: unknown) => Number.isSafeInteger(x) && (x as number) >= 0;
  if (!isInt(v.seq) || !isInt(v.connection) || typeof v.receivedAt !== "string" || typeof v.text !== "string") return undefined;
  if (v.cut !== "full" && v.cut !== "partial") return undefined;
  if (!Array.isArray(v.lines)) return undefined;
  const lines = v.lines.map((l: unknown) => {
    const x = (l ?? {}) as Record<string, unknown>;
    if (typeof x.text !== "string" || typeof x.bold !== "boolean" || typeof x.doubleHeight !== "boolean" || typeof x.doubleWidth !== "boolean") return undefined;
    if (x.align !== "left" && x.align !== "center" && x.align !== "right") return undefined;
    return { text: x.text, bold: x.bold, doubleHeight: x.doubleHeight, doubleWidth: x.doubleWidth, align: x.align } as const;
  });
  if (lines.some((l) => l === undefined)) return undefined;
  return { lines: lines as StoredSlip["lines"], text: v.text, cut: v.cut, seq: v.seq as number, connection: v.connection as number, receivedAt: v.receivedAt };
}
