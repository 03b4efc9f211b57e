/** R-OFF-1: the store's idle timeout in config (docs/CONFIG.md `sessions`). */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { ConfigError, demoRawConfig, parseConfig } from "../../server/config/index.ts";

function withSessions(sessions: unknown): unknown {
  const demo = demoRawConfig.stores[0]!;
  return { ...demoRawConfig, stores: [{ ...demo, sessions }] };
}

function idleSecondsOf(raw: unknown): number {
  return parseConfig(raw, "test").stores[0]!.sessions.idleTimeoutSeconds;
}

test("the idle timeout defaults to 180 minutes; minutes and the test override in seconds are honoured; 0 = never", () => {
  assert.is(idleSecondsOf(demoRawConfig), 180 * 60);
  assert.is(idleSecondsOf(withSessions({ idleTimeoutMinutes: 45 })), 45 * 60);
  assert.is(idleSecondsOf(withSessions({ idleTimeoutMinutes: 0 })), 0);
  assert.is(idleSecondsOf(withSessions({ idleTimeoutSeconds: 2 })), 2);
});

test("bad idle timeouts stop the config with the field named: both units, 0 seconds, negative or fractional minutes", () => {
  for (const [sessions, field] of [
    [{ idleTimeoutMinutes: 10, idleTimeoutSeconds: 5 }, "sessions.idleTimeoutSeconds"],
    [{ idleTimeoutSeconds: 0 }, "sessions.idleTimeoutSeconds"],
    [{ idleTimeoutMinutes: -1 }, "sessions.idleTimeoutMinutes"],
    [{ idleTimeoutMinutes: 1.5 }, "sessions.idleTimeoutMinutes"],
    [{ idleTimeoutMinutes: 10, other: 1 }, "sessions"],
  ] as const) {
    try {
      parseConfig(withSessions(sessions), "test");
      assert.unreachable(`expected ${JSON.stringify(sessions)} to be refused`);
    } catch (error) {
      assert.instance(error, ConfigError);
      assert.ok((error as Error).message.includes(field), (error as Error).message);
    }
  }
});

test.run();
