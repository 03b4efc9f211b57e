import { crc32 } from "node:zlib";
import QRCode from "qrcode";
import { login } from "../../clients/pos-client.ts";
import type { ServerProcess } from "../support/server-process.ts";

export interface HttpAnswer<T = any> {
  readonly status: number;
  readonly contentType: string;
  readonly headers: Headers;
  readonly bytes: Buffer;
  readonly text: string;
  readonly body: { ok: true; data: T } | { ok: false; error: { code: string; message: string } } | undefined;
}

export async function tokenOf(server: ServerProcess, staffId: string, pin: string, storeId = "demo"): Promise<string> {
  return (await login(server.endpoint, storeId, staffId, pin)).token;
}

/** One HTTP call (bearer token and extra headers optional); JSON answers are parsed, others kept as bytes and text. */
export async function call<T = any>(server: ServerProcess, method: "GET" | "POST", path: string, token?: string, body?: unknown, extraHeaders: Record<string, string> = {}): Promise<HttpAnswer<T>> {
  const headers: Record<string, string> = { ...extraHeaders };
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers["content-type"] = "application/json";
  const response = await fetch(`${server.endpoint}${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  const bytes = Buffer.from(await response.arrayBuffer());
  const text = bytes.toString("utf8");
  const contentType = response.headers.get("content-type") ?? "";
  return { status: response.status, contentType, headers: response.headers, bytes, text, body: contentType.includes("json") ? JSON.parse(text) : undefined };
}

export function dataOf<T = any>(answer: HttpAnswer<T>): T {
  if (!answer.body?.ok) throw new Error(`expected ok, got ${answer.status} ${answer.text.slice(0, 300)}`);
  return answer.body.data;
}

/** "ok 200", or "<status> <CODE>" for a refusal. */
export function outcomeOf(answer: HttpAnswer): string {
  if (answer.body?.ok === true) return `ok ${answer.status}`;
  return `${answer.status} ${answer.body?.ok === false ? answer.body.error.code : answer.text.slice(0, 80)}`;
}

/** The token at the end of a QR link (`…/q/<token>`). */
export function tokenOfLink(url: string): string {
  const match = /\/q\/([^/?#]+)$/.exec(url);
  if (!match) throw new Error(`not a QR link: ${url}`);
  return decodeURIComponent(match[1]!);
}

/** The same token with one bit of its MAC flipped (still well-formed base64url of 32 bytes). */
export function flipMacBit(token: string, bit = 0): string {
  const parts = token.split(".");
  const mac = Buffer.from(parts[4]!, "base64url");
  mac[bit >> 3]! ^= 1 << (bit & 7);
  parts[4] = mac.toString("base64url");
  return parts.join(".");
}

/**
 * An SVG document as the browser would take it: one <svg> root in the SVG namespace with a square
 * viewBox, holding only self-closed <path> elements whose attributes are all quoted. Returns the
 * dark modules its stroked path draws (the QR matrix, quiet zone removed), row by row.
 */
export function svgModules(svg: string): { size: number; dark: boolean[] } {
  const root = /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"((?: [A-Za-z-]+="[^"<>]*")*)>((?:<path(?: [A-Za-z-]+="[^"<>]*")+\/>)+)<\/svg>\s*$/.exec(svg);
  if (!root) throw new Error(`not a well-formed SVG document: ${svg.slice(0, 120)}`);
  const viewBox = /viewBox="0 0 ([0-9]+) ([0-9]+)"/.exec(root[1]!);
  if (!viewBox || viewBox[1] !== viewBox[2]) throw new Error("no square viewBox");
  const stroked = /<path stroke="#000000" d="([^"]*)"\/>/.exec(root[2]!);
  if (!stroked) throw new Error("no stroked path");
  const full = Number(viewBox[1]);
  const margin = 4;
  const size = full - 2 * margin;
  const dark = new Array<boolean>(size * size).fill(false);
  let x = 0;
  let y = 0;
  for (const [, cmd, a, b] of stroked[1]!.matchAll(/([Mmh])([0-9.]+)(?: ([0-9.]+))?/g)) {
    if (cmd === "M") [x, y] = [Number(a), Number(b)];
    else if (cmd === "m") x += Number(a);
    else {
      const row = y - 0.5 - margin;
      for (let i = 0; i < Number(a); i++) dark[row * size + (x + i - margin)] = true;
      x += Number(a);
    }
  }
  return { size, dark };
}

/** The modules a QR symbol of `text` must have (error correction M, as the server makes them). */
export function expectedModules(text: string): { size: number; dark: boolean[] } {
  const modules = QRCode.create(text, { errorCorrectionLevel: "M" }).modules;
  return { size: modules.size, dark: Array.from(modules.data, (v) => v === 1) };
}

/** PNG structure: the signature, an IHDR first (with a correct CRC), an IEND last. Returns the size. */
export function pngSize(bytes: Buffer): { width: number; height: number } {
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  if (!bytes.subarray(0, 8).equals(signature)) throw new Error("no PNG signature");
  const length = bytes.readUInt32BE(8);
  if (bytes.toString("latin1", 12, 16) !== "IHDR" || length !== 13) throw new Error("IHDR is not the first chunk");
  if (crc32(bytes.subarray(12, 16 + length)) !== bytes.readUInt32BE(16 + length)) throw new Error("IHDR CRC is wrong");
  if (bytes.toString("latin1", bytes.length - 8, bytes.length - 4) !== "IEND") throw new Error("IEND is not the last chunk");
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}
