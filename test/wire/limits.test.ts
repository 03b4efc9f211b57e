import { test } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";
import { Packr } from "msgpackr";
import { orderLimits } from "../../domain/index.ts";
import { roomLimits } from "../../protocol/limits.ts";
import { measurePlain, utf8Length } from "../../protocol/measure.ts";
import { tableCommandSchema } from "../../protocol/table-commands.ts";

const limits = { bytesMax: roomLimits.commandBytesMax, depthMax: roomLimits.commandDepthMax, nodesMax: roomLimits.commandValuesMax };
const longestId = "m".repeat(64);
// The worst case per character: 3 UTF-8 bytes (Korean) and, on the wire, a 2-byte length.
const longestNote = "김".repeat(orderLimits.noteLengthMax);

/** A confirm of the most lines, each with the longest ids, the most options and the longest note: valid, and the largest there is. */
function largestValidConfirm() {
  const line = { menuId: longestId, quantity: orderLimits.quantityMax, optionIds: Array.from({ length: orderLimits.optionsPerLineMax }, (_, i) => `${i}`.padStart(64, "o")), note: longestNote };
  return { cmdId: "c".repeat(80), type: "confirm", expectedVersion: 2 ** 31, draftVersion: 2 ** 31, lines: Array.from({ length: orderLimits.draftLinesMax }, () => line) };
}

test("the largest valid command is valid, fits the command cap, and its frame fits the transport cap", () => {
  const command = largestValidConfirm();
  assert.ok(tableCommandSchema.safeParse(command).success, "it is a valid command");
  const measured = measurePlain(command, limits);
  assert.ok(measured.ok, JSON.stringify(measured));
  if (measured.ok) assert.ok(measured.bytes <= roomLimits.commandBytesMax, `${measured.bytes} bytes`);
  // What the SDK sends: msgpack (no records) behind a few header bytes (protocol, request id, "cmd").
  const frameBytes = new Packr({ useRecords: false }).pack(command).length + 16;
  assert.ok(frameBytes <= roomLimits.transportPayloadBytesMax, `frame of ${frameBytes} bytes`);
  assert.ok(roomLimits.commandBytesMax < roomLimits.transportPayloadBytesMax, "an oversized command that still fits a frame gets a typed reply");
});

test("a value is measured close to its msgpack size and never below its strings' UTF-8 bytes", () => {
  fc.assert(fc.property(fc.jsonValue({ maxDepth: 4 }), (value) => {
    const measured = measurePlain(value, { bytesMax: 10_000_000, depthMax: 64, nodesMax: 1_000_000 });
    assert.ok(measured.ok);
    if (!measured.ok) return;
    const packed = new Packr({ useRecords: false }).pack(value).length;
    assert.ok(measured.bytes >= packed / 5 && measured.bytes <= packed * 5 + 16, `${measured.bytes} vs msgpack ${packed}`);
  }));
});

test("refusals stop at the first limit: too large, too deep, too many values, not plain data", () => {
  assert.equal(measurePlain({ note: "x".repeat(200) }, { bytesMax: 100, depthMax: 8, nodesMax: 100 }), { ok: false, reason: "too_large", limit: 100 });
  let deep: unknown = 1;
  for (let i = 0; i < 100_000; i++) deep = [deep];
  assert.equal(measurePlain(deep, limits), { ok: false, reason: "too_deep", limit: limits.depthMax });
  assert.equal(measurePlain({ list: new Array(1_000_000) }, limits), { ok: false, reason: "too_many_values", limit: limits.nodesMax });
  const shared = Object.fromEntries(Array.from({ length: 1_000 }, (_, i) => [`k${i}`, 1]));
  assert.equal(measurePlain({ list: Array.from({ length: 1_000 }, () => shared) }, limits), { ok: false, reason: "too_many_values", limit: limits.nodesMax });
  for (const odd of [new Date(), new Map(), 10n, new Uint8Array(4), Object.create({ inherited: 1 })]) {
    assert.equal(measurePlain({ odd }, limits), { ok: false, reason: "not_plain_data" }, String(odd));
  }
});

test("utf8Length counts like Buffer.byteLength, and stops early past its budget", () => {
  fc.assert(fc.property(fc.string({ unit: "grapheme" }), (text) => {
    assert.is(utf8Length(text, Number.MAX_SAFE_INTEGER), Buffer.byteLength(text, "utf8"));
  }));
  fc.assert(fc.property(fc.string({ unit: "binary" }), (text) => {
    assert.is(utf8Length(text, Number.MAX_SAFE_INTEGER), Buffer.byteLength(text, "utf8"));
  }));
  const counted = utf8Length("김".repeat(1_000_000), 30);
  assert.ok(counted > 30 && counted <= 34, `${counted}`);
});

test.run();
