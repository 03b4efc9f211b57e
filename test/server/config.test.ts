import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  ConfigError,
  demoRawConfig,
  findStore,
  hashPin,
  loadConfig,
  verifyPin,
  type LoadedConfig,
} from "../../server/config/index.ts";

const dir = mkdtempSync(join(tmpdir(), "config-test-"));
test.after(() => rmSync(dir, { recursive: true, force: true }));

let fileCount = 0;
function writeFile(text: string): string {
  const file = join(dir, `config-${++fileCount}.json`);
  writeFileSync(file, text, "utf8");
  return file;
}

/** A mutable copy of the demo, written as JSON, so each test breaks exactly one thing. */
function demoCopy(): any {
  return structuredClone(demoRawConfig);
}

/** Loads `raw` from a temp file and returns the ConfigError, failing the test if none is thrown. */
function loadError(raw: unknown): { error: ConfigError; file: string } {
  const file = writeFile(JSON.stringify(raw));
  try {
    loadConfig({ CONFIG_FILE: file });
  } catch (error) {
    assert.instance(error, ConfigError);
    return { error: error as ConfigError, file };
  }
  assert.unreachable("expected loadConfig to throw ConfigError");
  throw new Error("unreachable");
}

test("without CONFIG_FILE the demo restaurant loads with 12 tables, two stations and whole-won prices", () => {
  const loaded: LoadedConfig = loadConfig({});
  assert.is(loaded.source, "built-in demo restaurant");
  const store = findStore(loaded.config, "demo");
  assert.ok(store);
  assert.is(store.name, "데모 식당");
  assert.equal(store.tables.map((t) => t.id), Array.from({ length: 12 }, (_, i) => `T${i + 1}`));
  assert.is(store.tables[0]?.name, "1번 테이블");
  assert.equal(store.stations, [{ id: "kitchen", name: "주방" }, { id: "bar", name: "바" }]);
  assert.is(store.menu.items.get("kimchi-jjigae")?.name, "김치찌개");
  assert.is(store.menu.items.get("kimchi-jjigae")?.price, 9000);
  assert.is(store.menu.items.size, store.menuItems.length);
  for (const item of store.menuItems) {
    assert.ok(Number.isSafeInteger(item.price), `${item.id} price ${item.price}`);
    for (const choice of item.optionGroups.flatMap((g) => g.choices)) {
      assert.ok(Number.isSafeInteger(choice.priceDelta), `${item.id}/${choice.id}`);
    }
  }
  assert.ok(store.menuItems.some((i) => i.soldOut), "one item is sold out");
  assert.is(store.menu.items.get("jeyuk")?.soldOut, false, "soldOut defaults to false");
  assert.equal(loaded.config.kitchen, { urgentAfterMinutes: 15, lateServeAfterMinutes: 10 });
});

test("the loaded config keeps PIN hashes, never plain PINs", () => {
  const store = findStore(loadConfig({}).config, "demo");
  const admin = store?.staff.find((s) => s.id === "a1");
  assert.is(admin?.role, "admin");
  assert.not.ok("pin" in (admin ?? {}));
  assert.match(admin?.pinHash ?? "", /^scrypt\$[0-9a-f]{32}\$[0-9a-f]{64}$/);
  assert.ok(verifyPin("9999", admin?.pinHash ?? ""));
  assert.not.ok(JSON.stringify(store?.staff).includes("9999"));
});

test("a valid config file loads and reports its path as the source", () => {
  const raw = demoCopy();
  raw.kitchen = { lateServeAfterMinutes: 5 };
  const file = writeFile(JSON.stringify(raw));
  const loaded = loadConfig({ CONFIG_FILE: file });
  assert.is(loaded.source, file);
  assert.equal(loaded.config.kitchen, { urgentAfterMinutes: 15, lateServeAfterMinutes: 5 });
});

test("a float price is rejected with a message naming the file and stores[0].menu[0].price", () => {
  const raw = demoCopy();
  raw.stores[0].menu[0].price = 9000.5;
  const { error, file } = loadError(raw);
  assert.equal(error.issues, [{ path: "stores[0].menu[0].price", message: "expected an integer number of won, got 9000.5" }]);
  assert.is(error.message, `config ${file}: stores[0].menu[0].price: expected an integer number of won, got 9000.5`);
});

test("a menu item on an unknown station is rejected naming its stationId", () => {
  const raw = demoCopy();
  raw.stores[0].menu[2].stationId = "grill";
  const { error } = loadError(raw);
  assert.equal(error.issues.map((i) => i.path), ["stores[0].menu[2].stationId"]);
  assert.match(error.message, /stores\[0\]\.menu\[2\]\.stationId: unknown station "grill"/);
});

test("a duplicate table id is rejected at the repeated table", () => {
  const raw = demoCopy();
  raw.stores[0].tables[4].id = "T1";
  const { error } = loadError(raw);
  assert.equal(error.issues.map((i) => i.path), ["stores[0].tables[4].id"]);
  assert.match(error.message, /duplicate table id "T1"/);
});

test("duplicate choice ids across an item's option groups are rejected", () => {
  const raw = demoCopy();
  raw.stores[0].menu[0].optionGroups[1].choices[0].id = "mild";
  const { error } = loadError(raw);
  assert.equal(error.issues.map((i) => i.path), ["stores[0].menu[0].optionGroups[1].choices[0].id"]);
});

test("an option group whose maxSelect exceeds its choices is rejected", () => {
  const raw = demoCopy();
  raw.stores[0].menu[0].optionGroups[0].maxSelect = 4;
  const { error } = loadError(raw);
  assert.equal(error.issues.map((i) => i.path), ["stores[0].menu[0].optionGroups[0].maxSelect"]);
});

// Issue #9 item 2: prices are bounded where they enter, so a line (× quantityMax) never passes the
// domain's 100억 bound (unit ≤ 100,000,000) and never goes below zero.
test("a price above 100,000,000 won is refused naming stores[0].menu[1].price", () => {
  const raw = demoCopy();
  raw.stores[0].menu[1].price = 10_000_000_000; // the old documented maximum
  const { error } = loadError(raw);
  assert.equal(error.issues, [{ path: "stores[0].menu[1].price", message: "must be between 0 and 100000000 won, got 10000000000" }]);
});

test("options that can take a unit above 100,000,000 won are refused naming the item's optionGroups", () => {
  const raw = demoCopy();
  raw.stores[0].menu[0].price = 100_000_000 - 2499; // 공기밥 +1000 and 라면사리 +1500 together: one won too many
  const { error } = loadError(raw);
  assert.equal(error.issues.map((i) => i.path), ["stores[0].menu[0].optionGroups"]);
  assert.match(error.message, /stores\[0\]\.menu\[0\]\.optionGroups: with its dearest options a unit costs 100000001 won, more than the 100000000 allowed/);
});

test("the worst-case unit respects maxSelect: options that cannot be chosen together do not count", () => {
  const raw = demoCopy();
  raw.stores[0].menu[0].price = 100_000_000 - 2500; // both extras: exactly the bound
  loadConfig({ CONFIG_FILE: writeFile(JSON.stringify(raw)) });
  raw.stores[0].menu[0].price = 100_000_000 - 1500;
  raw.stores[0].menu[0].optionGroups[1].maxSelect = 1; // one extra at most: the dearest is 라면사리 +1500
  loadConfig({ CONFIG_FILE: writeFile(JSON.stringify(raw)) });
  raw.stores[0].menu[0].optionGroups[1].maxSelect = 2;
  assert.equal(loadError(raw).error.issues.map((i) => i.path), ["stores[0].menu[0].optionGroups"]);
});

test("options that can take a unit below zero are refused naming the item's optionGroups", () => {
  const raw = demoCopy();
  raw.stores[0].menu[0].optionGroups[1].choices[0].priceDelta = -10_000; // 9000 − 10000 with that extra
  const { error } = loadError(raw);
  assert.equal(error.issues, [{ path: "stores[0].menu[0].optionGroups", message: "with its cheapest options a unit costs -1000 won; a line can never go below 0" }]);
});

test("a price delta above 100,000,000 won is refused at the delta alone", () => {
  const raw = demoCopy();
  raw.stores[0].menu[0].optionGroups[1].choices[1].priceDelta = 10_000_000_000;
  const { error } = loadError(raw);
  assert.equal(error.issues.map((i) => i.path), ["stores[0].menu[0].optionGroups[1].choices[1].priceDelta"]);
});

test("a realistic menu of 10,000,000 won units with options loads", () => {
  const raw = demoCopy();
  raw.stores[0].menu[0].price = 10_000_000;
  raw.stores[0].menu[0].optionGroups[1].choices[1].priceDelta = 5_000_000;
  raw.stores[0].menu[4].price = 100_000_000;
  const store = findStore(loadConfig({ CONFIG_FILE: writeFile(JSON.stringify(raw)) }).config, "demo");
  assert.is(store?.menu.items.get("kimchi-jjigae")?.price, 10_000_000);
  assert.is(store?.menu.items.get("haemul-pajeon")?.price, 100_000_000);
});

test("a store without an admin is rejected naming its staff list", () => {
  const raw = demoCopy();
  raw.stores[0].staff = raw.stores[0].staff.filter((s: { role: string }) => s.role !== "admin");
  const { error } = loadError(raw);
  assert.equal(error.issues, [{ path: "stores[0].staff", message: "needs at least one staff member with role admin" }]);
});

test("bad ids, PINs, names and misspelt fields are each reported with their path", () => {
  const raw = demoCopy();
  raw.stores[0].id = "demo store"; // a space would break room filters and URLs
  raw.stores[0].staff[0].pin = 1111; // must be a string, or leading zeros would be lost
  raw.stores[0].tables[0].name = "";
  raw.stores[0].menu[1].soldout = true;
  const { error } = loadError(raw);
  assert.equal(
    error.issues.map((i) => i.path).sort(),
    ["stores[0].id", "stores[0].menu[1].soldout", "stores[0].staff[0].pin", "stores[0].tables[0].name"],
  );
  assert.not.match(error.message, /1111/, "PIN values are never echoed");
});

test("a file that is not JSON is rejected with a message naming the file", () => {
  const file = writeFile('{ "stores": [ }');
  try {
    loadConfig({ CONFIG_FILE: file });
    assert.unreachable("should have thrown");
  } catch (error) {
    assert.instance(error, ConfigError);
    assert.ok((error as ConfigError).message.startsWith(`config ${file}: (file): not valid JSON`));
  }
});

test("a missing file and an empty CONFIG_FILE are refused instead of falling back to the demo", () => {
  const missing = join(dir, "missing.json");
  assert.throws(() => loadConfig({ CONFIG_FILE: missing }), (e: unknown) => e instanceof ConfigError && e.message.includes(missing));
  assert.throws(() => loadConfig({ CONFIG_FILE: "" }), (e: unknown) => e instanceof ConfigError);
});

test("verifyPin accepts the right PIN and rejects a wrong or malformed one", () => {
  const pinHash = hashPin("4821");
  assert.ok(verifyPin("4821", pinHash));
  assert.not.ok(verifyPin("4822", pinHash));
  assert.not.ok(verifyPin("", pinHash));
  assert.not.ok(verifyPin("4821", "scrypt$00$00"));
  assert.is.not(hashPin("4821"), pinHash, "each hash has its own salt");
});

test("findStore returns undefined for an unknown store id", () => {
  assert.is(findStore(loadConfig({}).config, "nope"), undefined);
});

test.run();
