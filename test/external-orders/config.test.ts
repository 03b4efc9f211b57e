/** The config file's `integrations` (server/config/integrations.ts): checked once, at start. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { ConfigError, demoRawConfig, parseConfig } from "../../server/config/index.ts";
import { appConfig, sha256 } from "./support.ts";

/** The ConfigError's issues as `path: message`, failing the test if the config loads. */
function problems(raw: unknown): string[] {
  try {
    parseConfig(raw, "test");
  } catch (error) {
    assert.instance(error, ConfigError);
    return (error as ConfigError).issues.map((i) => `${i.path}: ${i.message}`);
  }
  assert.unreachable("expected the config to be refused");
  return [];
}

function withIntegrations(integrations: unknown[]): unknown {
  return { ...appConfig(), integrations };
}

const app = (fields: Record<string, unknown> = {}) => ({ id: "app1", storeId: "demo", name: "앱", apiKeySha256: sha256("k1"), ...fields });

test("a config without integrations has none; a valid one keeps only the key's hash and its table map", () => {
  assert.equal(parseConfig(structuredClone(demoRawConfig), "demo").integrations, []);
  const config = parseConfig(withIntegrations([app({ apiKeySha256: sha256("k1").toUpperCase(), tableMap: { "A-1": "T1", "B.7": "T12" } })]), "test");
  assert.is(config.integrations.length, 1);
  const [integration] = config.integrations;
  assert.equal({ ...integration, tableMap: [...integration!.tableMap] }, {
    id: "app1", storeId: "demo", name: "앱", apiKeySha256: sha256("k1"), tableMap: [["A-1", "T1"], ["B.7", "T12"]],
  });
});

test("duplicate ids, a shared key, an unknown store or mapped table, a plain key and unknown fields are refused, each at its path", () => {
  assert.equal(problems(withIntegrations([app(), app({ apiKeySha256: sha256("k2") })])), ['integrations[1].id: duplicate integration id "app1" (first at integrations[0].id)']);
  assert.equal(problems(withIntegrations([app(), app({ id: "app2" })])), ["integrations[1].apiKeySha256: same API key as integrations[0]; every integration needs its own"]);
  assert.equal(problems(withIntegrations([app({ storeId: "nowhere" })])), ['integrations[0].storeId: unknown store "nowhere"; stores are demo, gangnam']);
  assert.equal(problems(withIntegrations([app({ tableMap: { "A-1": "T1", "A-2": "T99" } })])), ['integrations[0].tableMap.A-2: unknown table "T99" in store "demo"']);
  assert.equal(problems(withIntegrations([app({ apiKeySha256: "my-secret-api-key" })])), ["integrations[0].apiKeySha256: must be the SHA-256 of the API key as 64 hex digits (never the key itself)"]);
  assert.equal(problems(withIntegrations([app({ apiKey: "my-secret-api-key" })])), ["integrations[0].apiKey: unknown field"]);
  assert.ok(problems(withIntegrations([app({ tableMap: { __proto__x: "T1" } })]))[0]!.startsWith("integrations[0].tableMap"));
});

test("a table key that could reach an object's prototype is refused", () => {
  const raw = JSON.parse(`{"integrations": [{"id": "app1", "storeId": "demo", "name": "앱", "apiKeySha256": "${sha256("k1")}", "tableMap": {"__proto__": "T1"}}]}`);
  const issues = problems({ ...appConfig(), integrations: raw.integrations });
  assert.is(issues.length, 1, issues.join("\n"));
  assert.ok(issues[0]!.startsWith("integrations[0].tableMap"), issues[0]);
});

test.run();
