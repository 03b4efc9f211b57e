/**
 * The table token's format and MAC (server/qr/table-token.ts): every field is covered by the MAC,
 * only the canonical spelling reads, and anything else reads as nothing.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { randomBytes } from "node:crypto";
import { readTableToken, signTableToken, tableTokenMacMatches, type TableClaim } from "../../server/qr/index.ts";

const secret = randomBytes(32);
const claim: TableClaim = { storeId: "demo", tableId: "T1", version: 3 };

function matches(token: string, key = secret): boolean {
  const read = readTableToken(token);
  return read !== undefined && tableTokenMacMatches(read, read.mac, key);
}

/** The token with field `index` replaced, its MAC kept. */
function withField(token: string, index: number, value: string): string {
  const parts = token.split(".");
  parts[index] = value;
  return parts.join(".");
}

test("a signed token reads back to its claim and its MAC matches only under its own secret", () => {
  const token = signTableToken(claim, secret);
  assert.match(token, /^t1\.demo\.T1\.3\.[A-Za-z0-9_-]{43}$/);
  const read = readTableToken(token)!;
  assert.equal({ storeId: read.storeId, tableId: read.tableId, version: read.version }, claim);
  assert.ok(matches(token));
  assert.not.ok(matches(token, randomBytes(32)), "another store's (or a rotated) secret");
});

test("the MAC covers the store, the table and the version: changing any one is refused", () => {
  const token = signTableToken(claim, secret);
  assert.not.ok(matches(withField(token, 1, "gangnam")), "store");
  assert.not.ok(matches(withField(token, 2, "T2")), "table");
  assert.not.ok(matches(withField(token, 3, "4")), "version (same secret)");
  assert.not.ok(matches(withField(token, 3, "2")), "older version (same secret)");
});

test("only the canonical shape reads: other prefixes, field counts, ids, versions and MAC spellings read as nothing", () => {
  const token = signTableToken(claim, secret);
  const mac = token.split(".")[4]!;
  // The 43rd base64url character carries 2 spare bits: a different spare bit is the same bytes, another spelling.
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  const last = alphabet.indexOf(mac[42]!);
  const respelled = mac.slice(0, 42) + alphabet[last ^ 1]!;
  assert.ok(Buffer.from(respelled, "base64url").equals(Buffer.from(mac, "base64url")), "the respelling decodes to the same bytes");
  for (const bad of [
    withField(token, 0, "t2"), `${token}.x`, token.split(".").slice(0, 4).join("."), withField(token, 1, "de mo"), withField(token, 2, ""),
    withField(token, 3, "0"), withField(token, 3, "03"), withField(token, 3, "1e3"), withField(token, 4, mac.slice(1)), withField(token, 4, `${mac.slice(0, 42)}=`),
    withField(token, 4, respelled), `t1.${"a".repeat(32)}.${"b".repeat(32)}.999999999.${mac}x`.repeat(2),
  ]) assert.is(readTableToken(bad), undefined, bad);
});

test("signing refuses what could never be read back: non-config ids, a version below 1, a short secret", () => {
  assert.throws(() => signTableToken({ ...claim, tableId: "T.1" }, secret));
  assert.throws(() => signTableToken({ ...claim, version: 0 }, secret));
  assert.throws(() => signTableToken(claim, randomBytes(16)));
});

test.run();
