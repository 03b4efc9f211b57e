import { createHmac, timingSafeEqual } from "node:crypto";
import { qrLimits } from "./limits.ts";

/** What a table token names: printed on the table, so it never expires; a rotation kills it. */
export interface TableClaim {
  readonly storeId: string;
  readonly tableId: string;
  readonly version: number;
}

/**
 * `t1.<storeId>.<tableId>.<version>.<mac>`, the MAC being HMAC-SHA256 (node:crypto) with the
 * store's secret over a domain-separated text of the other fields, base64url. Why not a JWS: the
 * link goes into a QR code, and a third of the length means a coarser code that cheap phone
 * cameras read from across a table; there is no header to negotiate (one algorithm, fixed here),
 * and ids cannot hold a '.' or a newline (config schema), so the fields split unambiguously.
 */
const prefix = "t1";
const macDomain = "table-session/qr-table-token/v1";
const idPattern = /^[A-Za-z0-9_-]{1,32}$/;
const versionPattern = /^[1-9][0-9]{0,8}$/;
const macPattern = /^[A-Za-z0-9_-]{43}$/;

export function signTableToken(claim: TableClaim, secret: Buffer): string {
  if (!idPattern.test(claim.storeId) || !idPattern.test(claim.tableId)) throw new Error("table token: store and table ids must be config ids");
  if (!Number.isSafeInteger(claim.version) || claim.version < 1) throw new Error("table token: version must be a positive integer");
  if (secret.length < 32) throw new Error("table token: secret must be at least 32 bytes");
  return `${prefix}.${claim.storeId}.${claim.tableId}.${claim.version}.${macOf(claim, secret).toString("base64url")}`;
}

/**
 * The fields of a token that has the right shape, before any secret is known (the store names
 * which secret to check it with). Undefined for anything else; the caller answers all alike.
 */
export function readTableToken(token: string): (TableClaim & { readonly mac: Buffer }) | undefined {
  if (token.length > qrLimits.tableTokenCharsMax) return undefined;
  const parts = token.split(".");
  if (parts.length !== 5) return undefined;
  const [head, storeId, tableId, version, mac] = parts as [string, string, string, string, string];
  if (head !== prefix || !idPattern.test(storeId) || !idPattern.test(tableId) || !versionPattern.test(version) || !macPattern.test(mac)) return undefined;
  const macBytes = Buffer.from(mac, "base64url");
  // Base64url has spare bits in its last character: only the canonical spelling is accepted.
  if (macBytes.length !== 32 || macBytes.toString("base64url") !== mac) return undefined;
  return { storeId, tableId, version: Number(version), mac: macBytes };
}

/** True when `mac` is the MAC of the claim under `secret` (constant-time comparison). */
export function tableTokenMacMatches(claim: TableClaim, mac: Buffer, secret: Buffer): boolean {
  const expected = macOf(claim, secret);
  return mac.length === expected.length && timingSafeEqual(mac, expected);
}

function macOf(claim: TableClaim, secret: Buffer): Buffer {
  return createHmac("sha256", secret).update(`${macDomain}\n${claim.storeId}\n${claim.tableId}\n${claim.version}`).digest();
}
