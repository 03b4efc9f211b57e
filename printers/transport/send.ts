import net from "node:net";
import { performance } from "node:perf_hooks";
import { assert } from "../../domain/assert.ts";
import { transportLimits } from "../limits.ts";
import { InboundReader, isValidJobTag, type PrinterStatus, processIdRequest, statusQueries } from "./inbound.ts";

export interface PrinterTarget {
  host: string;
  port: number;
}

export interface SendOptions {
  /** 4 chars 0x20–0x7E, echoed back by GS ( H once the slip has printed. */
  jobTag: string;
  connectTimeoutMs: number;
  /** From the first byte written to the echo; the whole send never takes longer than both. */
  completionTimeoutMs: number;
}

/**
 * - `confirmed`: the printer echoed the job tag after printing everything before it.
 * - `not-sent`: nothing was written (refused, connect timeout); safe to retry unchanged.
 * - `unknown`: bytes were written but no echo came; the slip may be on paper. Only a
 *   marked reprint may follow (R-KRP-3), never a silent resend.
 */
export type SendOutcome = "confirmed" | "not-sent" | "unknown";
export interface SendResult {
  outcome: SendOutcome;
  error?: string;
  /** From DLE EOT replies (or ASB) seen during the send, when the printer answered. */
  status?: PrinterStatus;
  durationMs: number;
}

const errorCode = (err: Error) => (err as NodeJS.ErrnoException).code ?? err.message;

/** Closes politely: end(), keep reading (unread data would draw an RST), destroy after a linger. */
function closeGracefully(socket: net.Socket): void {
  socket.end();
  const linger = setTimeout(() => socket.destroy(), transportLimits.closeLingerMs);
  socket.once("close", () => clearTimeout(linger));
}

/**
 * Sends one job on its own connection: DLE EOT 1/2/4, the slip, then GS ( H with `jobTag`.
 * Never rejects for I/O and never hangs: every path ends at a timer.
 */
export function sendJob(target: PrinterTarget, bytes: Buffer, options: SendOptions): Promise<SendResult> {
  assert(isValidJobTag(options.jobTag), "jobTag must be 4 chars in 0x20–0x7E");
  assert(bytes.length > 0 && bytes.length <= transportLimits.jobBytesMax, "job size out of range");
  assert(options.connectTimeoutMs > 0 && options.connectTimeoutMs <= transportLimits.connectTimeoutMsMax, "bad connectTimeoutMs");
  assert(options.completionTimeoutMs > 0 && options.completionTimeoutMs <= transportLimits.completionTimeoutMsMax, "bad completionTimeoutMs");
  const started = performance.now();
  const reader = new InboundReader();
  return new Promise((resolve) => {
    let written = false;
    let settled = false;
    let completionTimer: NodeJS.Timeout | undefined;
    const socket = net.connect({ host: target.host, port: target.port });
    const finish = (outcome: SendOutcome, error?: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(connectTimer);
      clearTimeout(completionTimer);
      const status = reader.status();
      const durationMs = Math.round(performance.now() - started);
      resolve({ outcome, ...(error === undefined ? {} : { error }), ...(status === undefined ? {} : { status }), durationMs });
      if (outcome === "confirmed") closeGracefully(socket);
      else socket.destroy();
    };
    // Before any write, every failure leaves nothing on paper; after it, nothing is certain.
    const failed = (error: string) => finish(written ? "unknown" : "not-sent", error);
    const connectTimer = setTimeout(() => failed("connect_timeout"), options.connectTimeoutMs);
    socket.once("connect", () => {
      clearTimeout(connectTimer);
      socket.setNoDelay(true);
      completionTimer = setTimeout(() => finish("unknown", "no_echo_before_deadline"), options.completionTimeoutMs);
      written = true;
      socket.write(Buffer.concat([statusQueries, bytes, processIdRequest(options.jobTag)]));
    });
    socket.on("data", (chunk: Buffer) => {
      reader.push(chunk);
      if (reader.hasEcho(options.jobTag)) finish("confirmed");
    });
    socket.on("error", (err) => failed(errorCode(err)));
    socket.on("end", () => failed("closed_by_printer"));
    socket.on("close", () => failed("connection_closed"));
  });
}

/** Asks DLE EOT 1/2/4 on its own connection. Don't call it right before a job (one connection at a time). */
export function queryStatus(target: PrinterTarget, timeoutMs: number): Promise<PrinterStatus | { error: string }> {
  assert(timeoutMs > 0 && timeoutMs <= transportLimits.statusTimeoutMsMax, "bad timeoutMs");
  const reader = new InboundReader();
  return new Promise((resolve) => {
    let settled = false;
    const socket = net.connect({ host: target.host, port: target.port });
    const finish = (result: PrinterStatus | { error: string }) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
      if ("error" in result) socket.destroy();
      else closeGracefully(socket);
    };
    const timer = setTimeout(() => finish({ error: "status_timeout" }), timeoutMs);
    socket.once("connect", () => socket.write(statusQueries));
    socket.on("data", (chunk: Buffer) => {
      reader.push(chunk);
      const status = reader.replyStatus();
      if (status !== undefined) finish(status);
    });
    socket.on("error", (err) => finish({ error: errorCode(err) }));
    socket.on("close", () => finish({ error: "connection_closed" }));
  });
}
