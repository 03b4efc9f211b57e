import type http from "node:http";
import type { ZodType } from "zod";
import { paymentFieldLimits } from "../limits.ts";
import type { CallFault, FaultStore, Operation } from "./faults.ts";
import { type Answer, approve, type Books, cancel, issueCashReceipt, netCancel, query, refuse } from "./operations.ts";
import { approveBody, cancelBody, cashReceiptBody, netCancelBody, orderIdSchema, settlementDate } from "./schemas.ts";
import { settlementLines, spoil } from "./settlement.ts";

/** A parsed API request, ready to run once its fault (if any) is known. */
export interface Call {
  readonly operation: Operation;
  readonly orderId: string | undefined;
  run(fault: CallFault | undefined): Answer;
}

/** Maps method + path + body to a Call, or answers at once (400 bad input, 404 no such route). */
export function apiCall(books: Books, faults: FaultStore, method: string, url: URL, text: string): Call | Answer {
  const path = url.pathname;
  const cancelPath = /^\/v1\/payments\/([^/]{1,100})\/cancel$/.exec(path);
  const queryPath = /^\/v1\/payments\/orders\/([^/]{1,250})$/.exec(path);
  if (method === "POST" && path === "/v1/approvals") {
    return withBody(text, approveBody, (b) => ({ operation: "approve", orderId: b.orderId, run: (f) => approve(books, b, f?.kind === "decline" ? f : undefined) }));
  }
  if (method === "POST" && path === "/v1/payments/net-cancel") {
    return withBody(text, netCancelBody, (b) => ({ operation: "netCancel", orderId: b.orderId, run: () => netCancel(books, b.orderId) }));
  }
  if (method === "POST" && cancelPath) {
    const tid = decoded(cancelPath[1]!);
    return withBody(text, cancelBody, (b) => ({ operation: "cancel", orderId: b.orderId, run: (f) => (f?.kind === "cancelRefused" ? refuse(422, f.code, f.message ?? "취소 가능 기간이 지났습니다.") : cancel(books, tid, b)) }));
  }
  if (method === "GET" && queryPath) {
    const orderId = orderIdSchema.safeParse(decoded(queryPath[1]!));
    if (!orderId.success) return invalid("orderId: 1-80 of A-Z a-z 0-9 _ . : = -");
    return { operation: "query", orderId: orderId.data, run: () => query(books, orderId.data) };
  }
  if (method === "POST" && path === "/v1/cash-receipts") {
    return withBody(text, cashReceiptBody, (b) => ({ operation: "cashReceipt", orderId: b.orderId, run: () => issueCashReceipt(books, b) }));
  }
  if (method === "GET" && path === "/v1/settlements") {
    const date = settlementDate.safeParse(url.searchParams.get("date"));
    if (!date.success) return invalid("date: YYYY-MM-DD");
    return { operation: "settlement", orderId: undefined, run: () => settle(books, faults, date.data) };
  }
  return { status: 404, body: { code: "NOT_FOUND_ROUTE", message: `${method} ${path}` } };
}

function settle(books: Books, faults: FaultStore, date: string): Answer {
  let lines = settlementLines(books.ledger, date, books.timeZone);
  for (const fault of faults.takeMismatches(date)) lines = spoil(lines, fault, books.timeZone);
  return { status: 200, body: { date, timeZone: books.timeZone, lines } };
}

export const invalid = (message: string): Answer => ({ status: 400, body: { status: "declined", code: "INVALID_REQUEST", message } });

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A path segment as text; a malformed %-escape stays as sent (and then fails validation). */
function decoded(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function withBody<T, R>(text: string, schema: ZodType<T>, make: (body: T) => R): R | Answer {
  const parsed = schema.safeParse(parseJson(text));
  if (!parsed.success) return invalid(parsed.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; "));
  return make(parsed.data);
}

export async function readBody(req: http.IncomingMessage): Promise<string | "too_large" | "aborted"> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > paymentFieldLimits.requestBodyBytesMax) return "too_large";
      chunks.push(chunk);
    }
  } catch {
    return "aborted"; // the client went away mid-body: nobody to answer
  }
  return Buffer.concat(chunks).toString("utf8");
}

export function send(res: http.ServerResponse, answer: Answer): void {
  if (res.destroyed) return;
  // No keep-alive: a connection cut by a fault can never be one a client reuses for its next request.
  res.writeHead(answer.status, { "content-type": "application/json; charset=utf-8", connection: "close" });
  res.end(JSON.stringify(answer.body));
}
