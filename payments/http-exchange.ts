import { setTimeout as sleep } from "node:timers/promises";
import { adapterLimits, paymentFieldLimits } from "./limits.ts";

/** One HTTP request to a provider and what came of it; never throws. */
export type Exchange =
  | { readonly kind: "answer"; readonly status: number; readonly body: unknown }
  /**
   * No usable answer. `sent: false` only when the connection was refused or the host unknown, so not
   * a byte of the request reached the provider; anything else may have been processed.
   */
  | { readonly kind: "no_answer"; readonly reason: string; readonly sent: boolean };

const notSentCodes = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN"]);

export async function exchange(url: string, init: { method: "GET" | "POST"; body?: unknown }, timeoutMs: number): Promise<Exchange> {
  // One deadline for connect, send and the whole answer: Node's fetch takes no separate connect timeout.
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const response = await fetch(url, {
      method: init.method,
      signal,
      headers: init.body === undefined ? { accept: "application/json" } : { accept: "application/json", "content-type": "application/json" },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
    const text = await readText(response);
    if (text === null) return { kind: "answer", status: response.status, body: undefined };
    return { kind: "answer", status: response.status, body: parseJson(text) };
  } catch (error) {
    return { kind: "no_answer", ...failure(error, signal) };
  }
}

/** The body as text, or null past `answerBodyBytesMax` (read no further: an unreadable answer). */
async function readText(response: Response): Promise<string | null> {
  if (!response.body) return "";
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > paymentFieldLimits.answerBodyBytesMax) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined; // unreadable: the caller decides what an unreadable answer means
  }
}

function failure(error: unknown, signal: AbortSignal): { reason: string; sent: boolean } {
  if (signal.aborted) return { reason: "timeout", sent: true };
  const codes = causeCodes(error);
  if (codes.length > 0 && codes.every((c) => notSentCodes.has(c))) return { reason: `not_connected_${codes[0]!.toLowerCase()}`, sent: false };
  return { reason: codes.length > 0 ? `connection_lost_${codes[0]!.toLowerCase()}` : "connection_lost", sent: true };
}

/** Error codes on undici's `fetch failed` cause (an AggregateError when several addresses were tried). */
function causeCodes(error: unknown): string[] {
  const cause = (error as { cause?: unknown } | null)?.cause;
  const list = cause instanceof AggregateError ? cause.errors : [cause];
  return list.flatMap((e) => {
    const code = (e as { code?: unknown } | null)?.code;
    return typeof code === "string" ? [code] : [];
  });
}

export interface RetryPolicy {
  readonly attempts: number;
  readonly backoffMsFirst: number;
}

/**
 * For requests that are safe to repeat (query, net cancel by order id, settlement): again after a
 * lost connection, a timeout or a 502/503/504, with doubling pauses. A bounded loop: no retry library
 * is installed (`p-retry` is not in node_modules).
 */
export async function withRetries(policy: RetryPolicy, attempt: () => Promise<Exchange>): Promise<Exchange> {
  let last = await attempt();
  for (let n = 1; n < policy.attempts && worthRetrying(last); n++) {
    await sleep(Math.min(adapterLimits.backoffMsMax, policy.backoffMsFirst * 2 ** (n - 1)));
    last = await attempt();
  }
  return last;
}

function worthRetrying(result: Exchange): boolean {
  return result.kind === "no_answer" || result.status === 502 || result.status === 503 || result.status === 504;
}
