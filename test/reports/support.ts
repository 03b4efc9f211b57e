import { login } from "../../clients/pos-client.ts";
import type { ServerProcess } from "../support/server-process.ts";

export interface HttpAnswer<T = any> {
  readonly status: number;
  readonly contentType: string;
  readonly text: string;
  readonly body: { ok: true; data: T } | { ok: false; error: { code: string; message: string; details?: any } };
}

export async function tokenOf(server: ServerProcess, staffId: string, pin: string, storeId = "demo"): Promise<string> {
  return (await login(server.endpoint, storeId, staffId, pin)).token;
}

/** One HTTP call with a bearer token; JSON answers are parsed, others kept as text. */
export async function call<T = any>(server: ServerProcess, method: "GET" | "POST", path: string, token: string | undefined, body?: unknown): Promise<HttpAnswer<T>> {
  const headers: Record<string, string> = {};
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers["content-type"] = "application/json";
  const response = await fetch(`${server.endpoint}${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  const bytes = new Uint8Array(await response.arrayBuffer());
  const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);
  const contentType = response.headers.get("content-type") ?? "";
  return { status: response.status, contentType, text, body: contentType.includes("json") ? JSON.parse(text) : undefined };
}

export function dataOf<T = any>(answer: HttpAnswer<T>): T {
  if (!answer.body?.ok) throw new Error(`expected ok, got ${answer.status} ${answer.text}`);
  return answer.body.data;
}

export function codeOf(answer: HttpAnswer): string {
  return answer.body?.ok === false ? answer.body.error.code : `ok ${answer.status}`;
}

/**
 * RFC 4180 parser written for the tests (not the server's writer): quoted fields, doubled quotes,
 * CRLF. Returns the rows, header included; throws on a malformed quote.
 */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { field += '"'; i += 2; continue; }
      if (ch === '"') { quoted = false; i += 1; continue; }
      field += ch;
      i += 1;
      continue;
    }
    if (ch === '"') {
      if (field !== "") throw new Error(`quote inside an unquoted field at ${i}`);
      quoted = true;
    } else if (ch === ",") { row.push(field); field = ""; }
    else if (ch === "\r" && text[i + 1] === "\n") { row.push(field); rows.push(row); row = []; field = ""; i += 1; }
    else if (ch === "\r" || ch === "\n") throw new Error(`bare line break in an unquoted field at ${i}`);
    else field += ch;
    i += 1;
  }
  if (quoted) throw new Error("unterminated quote");
  if (field !== "" || row.length > 0) { row.push(field); rows.push(row); }
  return rows;
}
