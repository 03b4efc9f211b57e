import { test } from "uvu";
import * as assert from "uvu/assert";
import { ConfigError, demoRawConfig, parseConfig } from "../../server/config/index.ts";

const store = demoRawConfig.stores[0]!;
const withPrinters = (printers: unknown[], printing?: unknown) =>
  ({ ...demoRawConfig, ...(printing ? { printing } : {}), stores: [{ ...store, printers }] });

function issuesOf(raw: unknown): string {
  try {
    parseConfig(raw, "test.json");
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  return "";
}

const kitchen = { id: "p-kitchen", name: "주방 프린터", host: "192.168.0.21", stationIds: ["kitchen"], backupPrinterId: "p-bar" };
const bar = { id: "p-bar", name: "바 프린터", host: "printer-bar.local", port: 9100, stationIds: ["bar"], widthChars: 32 };

test("printers route stations, with defaults for port, width, code page and failover", () => {
  const config = parseConfig(withPrinters([kitchen, bar]), "test.json");
  const [p1, p2] = config.stores[0]!.printers;
  assert.equal([p1!.port, p1!.widthChars, p1!.codePage, p1!.failoverAfterFailures, p1!.backupPrinterId], [9100, 42, "ksx1001", 3, "p-bar"]);
  assert.is(p2!.widthChars, 32);
  assert.is(config.printing.attemptsMax, 5);
});

test("a bad address, an odd paper width or a tcp:// URL is refused, naming the field", () => {
  assert.match(issuesOf(withPrinters([{ ...kitchen, host: "tcp://10.0.0.1:9100" }, bar])), "stores[0].printers[0].host");
  assert.match(issuesOf(withPrinters([{ ...kitchen, host: "bad host" }, bar])), "stores[0].printers[0].host");
  assert.match(issuesOf(withPrinters([kitchen, { ...bar, widthChars: 40 }])), "stores[0].printers[1].widthChars");
  assert.match(issuesOf(withPrinters([kitchen, { ...bar, port: 70000 }])), "stores[0].printers[1].port");
});

test("unknown stations, unknown backups, self-backup and unrouted stations are refused", () => {
  assert.match(issuesOf(withPrinters([{ ...kitchen, stationIds: ["grill"] }, bar])), /stores\[0\]\.printers\[0\]\.stationIds\[0\]: unknown station "grill"/);
  assert.match(issuesOf(withPrinters([{ ...kitchen, backupPrinterId: "p-none" }, bar])), /backupPrinterId: unknown printer "p-none"/);
  assert.match(issuesOf(withPrinters([{ ...kitchen, backupPrinterId: "p-kitchen" }, bar])), /cannot back itself up/);
  assert.match(issuesOf(withPrinters([kitchen])), /stations without a printer: bar/);
  assert.match(issuesOf(withPrinters([kitchen, { ...bar, stationIds: ["bar", "kitchen"] }])), /station "kitchen" already prints on "p-kitchen"/);
});

test("printing limits are validated", () => {
  assert.match(issuesOf(withPrinters([kitchen, bar], { attemptsMax: 0 })), "printing.attemptsMax");
  assert.is(issuesOf(withPrinters([kitchen, bar], { attemptsMax: 3, completionTimeoutMs: 5000 })), "");
});

test.run();
