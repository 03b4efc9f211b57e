import { ThermalPrinter, PrinterTypes, CharacterSet } from "node-thermal-printer";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { EscPosDecoder, renderSlip } from "../../printers/index.ts";
import { decodeByteByByte, decodeSlips, hex, kitchenSlip } from "./fixtures.ts";

/** ESC @, ESC t 0, FS &, ESC R 13: the double-byte setup our renderer sends. */
const setup = "1b40 1b7400 1c26 1b520d";
const library = () => new ThermalPrinter({ type: PrinterTypes.EPSON, interface: "", characterSet: CharacterSet.KOREA });

test("feeding a rendered slip one byte at a time gives the same slip as feeding it whole", () => {
  const { bytes } = renderSlip(kitchenSlip());
  const whole = decodeSlips(bytes);
  assert.is(whole.length, 1);
  assert.equal(decodeByteByByte(bytes), whole);
});

test("random chunk boundaries give the same slip too", () => {
  const { bytes } = renderSlip(kitchenSlip({ kind: "cancel", reprintCount: 1 }));
  const whole = decodeSlips(bytes);
  for (let seed = 1; seed <= 20; seed++) {
    const decoder = new EscPosDecoder();
    const events = [];
    for (let i = 0, step = seed; i < bytes.length; i += step, step = (step * 7 + 3) % 13 + 1) {
      events.push(...decoder.push(bytes.subarray(i, i + step)));
    }
    assert.equal(events.flatMap((e) => (e.type === "slip" ? [e.slip] : [])), whole);
  }
});

test("Korean menu names decode back exactly from EUC-KR in double-byte mode", () => {
  const names = ["김치찌개", "제육볶음", "생맥주 500cc"];
  const [slip] = decodeSlips(renderSlip(kitchenSlip()).bytes);
  for (const name of names) assert.ok(slip!.lines.some((l) => l.text.startsWith(name)), name);
});

test("the library's KOREA output decodes once FS & is on, and is garbage without it", () => {
  const printer = library();
  printer.println("김치찌개 x2");
  printer.cut();
  const bytes = printer.getBuffer();
  assert.equal(bytes, hex("1b520d b1e8c4a1c2eeb0b3 207832 0a 1b6404 1b6404 1d5600 1b40"));
  assert.is(decodeSlips(Buffer.concat([hex("1c26"), bytes]))[0]!.text, "김치찌개 x2");
  assert.is.not(decodeSlips(bytes)[0]!.text, "김치찌개 x2"); // the library never sends FS &
});

test("bold and size flags come from ESC !, ESC E and GS ! (width in the high nibble)", () => {
  const bytes = hex(`${setup} 1b2138 41 0a 1b2100 1b4501 42 0a 1b4500 1d2110 43 0a 1d2101 44 0a 1d2100 1b6101 45 0a 1d5601`);
  const [slip] = decodeSlips(bytes);
  const flags = slip!.lines.map((l) => [l.text, l.bold, l.doubleHeight, l.doubleWidth, l.align]);
  assert.equal(flags, [
    ["A", true, true, true, "left"],
    ["B", true, false, false, "left"],
    ["C", false, false, true, "left"],
    ["D", false, true, false, "left"],
    ["E", false, false, false, "center"],
  ]);
  assert.is(slip!.cut, "partial");
});

test("the library's setTextSize(height=1, width=0) really makes text double width", () => {
  const printer = library();
  printer.setTextSize(1, 0);
  printer.println("A");
  printer.cut();
  const line = decodeSlips(printer.getBuffer())[0]!.lines[0]!;
  assert.equal([line.doubleWidth, line.doubleHeight], [true, false]);
});

test("DLE EOT and GS ( H fn 48 are reported in stream order, even when split", () => {
  const bytes = hex(`100401 ${setup} 41 0a 1d5600 1d284806003030 41424344 100404`);
  const decoder = new EscPosDecoder();
  const events = [];
  for (const b of bytes) events.push(...decoder.push(Buffer.from([b])));
  assert.equal(events.map((e) => e.type), ["status-request", "slip", "process-id", "status-request"]);
  assert.equal(events[0], { type: "status-request", n: 1 });
  assert.equal(events[2], { type: "process-id", id: "ABCD" });
  assert.equal(events[3], { type: "status-request", n: 4 });
});

test("GS V 65 n (feed then cut) is a full cut and consumes its argument", () => {
  const [slip] = decodeSlips(hex(`${setup} 41 0a 1d564105 42 0a 1d5642 03`));
  assert.equal(slip!.text, "A");
  assert.is(slip!.cut, "full");
  const events = new EscPosDecoder().push(hex(`${setup} 41 0a 1d564105 42 0a 1d5642 03`));
  const second = events.filter((e) => e.type === "slip")[1];
  assert.equal(second, { type: "slip", slip: { lines: [{ text: "B", bold: false, doubleHeight: false, doubleWidth: false, align: "left" }], text: "B", cut: "partial" } });
});

test("GS ( k, GS v 0 raster and other payloads are skipped without leaking text", () => {
  const qr = library();
  qr.printQR("https://example.com/\n\x1b@");
  const raster = hex("1d763000 0200 0200 0a1b 4142"); // 2 bytes × 2 rows of data that look like LF/ESC/text
  const bytes = Buffer.concat([hex(setup), qr.getBuffer(), raster, hex("41 0a 1d5600")]);
  const decoder = new EscPosDecoder();
  const [slip] = decodeSlips(bytes, decoder);
  assert.is(slip!.text, "A");
  assert.is(decoder.unknownCommands, 0);
});

test("the library's malformed drawer kick eats the next two bytes, as a printer would", () => {
  const printer = library();
  printer.openCashDrawer(); // 1B 70 00 1B 70 01: ESC p takes five bytes
  printer.println("ok");
  printer.cut();
  assert.is(decodeSlips(printer.getBuffer())[0]!.text, "ok");
});

test("unknown ESC and GS commands are skipped conservatively and counted", () => {
  const decoder = new EscPosDecoder();
  const [slip] = decodeSlips(hex(`${setup} 1b01 41 1d01 42 0a 1d5600`), decoder);
  assert.is(slip!.text, "AB");
  assert.is(decoder.unknownCommands, 2);
});

test("a CP949-only pair stays visible and is counted; a broken pair shows U+FFFD", () => {
  const decoder = new EscPosDecoder();
  const [slip] = decodeSlips(hex(`${setup} 8c63 0a b1 0a 1d5600`), decoder);
  assert.equal(slip!.lines.map((l) => l.text), ["똠", "\uFFFD"]);
  assert.is(decoder.counters.extendedPairs, 1);
  assert.is(decoder.counters.invalidBytes, 1);
});

test("ESC @ turns double-byte mode off unless the firmware starts with it on", () => {
  const bytes = hex("1c26 1b40 b1e8 0a 1d5600");
  assert.is.not(decodeSlips(bytes)[0]!.text, "김");
  assert.is(decodeSlips(bytes, new EscPosDecoder({ doubleByteAtInit: true }))[0]!.text, "김");
});

test("bytes after the last cut are reported as a partial slip", () => {
  const decoder = new EscPosDecoder();
  decoder.push(hex(`${setup} 41 0a 1d5600`));
  assert.not.ok(decoder.hasPartial());
  decoder.push(hex("42 0a"));
  assert.ok(decoder.hasPartial());
});

test.run();
