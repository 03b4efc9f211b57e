import { suite } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";
import { AttemptGate, type Admission, type AttemptLimits } from "../../server/attempt-gate.ts";

// The login gate on its own: in-flight attempts apart from failures (issue #9 follow-up: concurrent
// correct logins of one id were locked out).
const t = suite("attempt gate");

const limits: AttemptLimits = { failuresBeforeLockout: 5, lockoutMs: 60_000, failureWindowMs: 900_000, maxKeys: 100, maxWaitingPerKey: 50 };

type Granted = Extract<Admission, { ok: true }>;

function granted(admission: Admission): Granted {
  if (!admission.ok) throw new Error(`refused: ${admission.code}`);
  return admission;
}

t("given 40 attempts of one id at once, when every check succeeds, then all 40 are admitted and never more than 5 at a time", async () => {
  const gate = new AttemptGate(limits);
  let running = 0;
  let most = 0;
  const outcomes = await Promise.all(Array.from({ length: 40 }, async () => {
    const turn = await gate.enter("demo/s1", 0);
    if (!turn.ok) return turn.code;
    running += 1;
    most = Math.max(most, running);
    await Promise.resolve();
    running -= 1;
    turn.finish("success", 0);
    return "ok";
  }));
  assert.equal(outcomes, Array.from({ length: 40 }, () => "ok"));
  assert.is(most, 5);
  assert.is(gate.trackedKeys, 0, "an id whose attempts all succeeded is forgotten");
});

t("given 12 wrong guesses at once, then exactly 5 are checked and the other 7 are locked out without a check", async () => {
  const gate = new AttemptGate(limits);
  let checked = 0;
  const outcomes = await Promise.all(Array.from({ length: 12 }, async () => {
    const turn = await gate.enter("demo/s2", 1_000);
    if (!turn.ok) return turn.code;
    checked += 1;
    await Promise.resolve();
    turn.finish("failure", 1_000);
    return "checked";
  }));
  assert.is(checked, 5);
  assert.equal(outcomes.filter((o) => o === "LOCKED").length, 7);
  const after = gate.enter("demo/s2", 1_001);
  assert.ok(!(after instanceof Promise) && !after.ok && after.code === "LOCKED" && after.retryAfterMs === 59_999);
  // Once the lock runs out the count starts again from zero.
  granted(gate.enter("demo/s2", 61_000) as Admission).finish("failure", 61_000);
  granted(gate.enter("demo/s2", 61_000) as Admission).finish("success", 61_000);
});

t("a success clears the failures; 'unchecked' neither counts nor clears", () => {
  const gate = new AttemptGate(limits);
  for (let i = 0; i < 4; i++) granted(gate.enter("k", 0) as Admission).finish("failure", 0);
  granted(gate.enter("k", 0) as Admission).finish("unchecked", 0);
  granted(gate.enter("k", 0) as Admission).finish("success", 0);
  for (let i = 0; i < 4; i++) granted(gate.enter("k", 0) as Admission).finish("failure", 0);
  const last = gate.enter("k", 0) as Admission;
  granted(last).finish("failure", 0);
  const refused = gate.enter("k", 0) as Admission;
  assert.ok(!refused.ok && refused.code === "LOCKED");
});

t("a full gate refuses a new key (BUSY) and never evicts a live lockout; the waiting line is bounded", async () => {
  const gate = new AttemptGate({ ...limits, maxKeys: 3, maxWaitingPerKey: 2 });
  for (let i = 0; i < 5; i++) granted(gate.enter("locked", 0) as Admission).finish("failure", 0);
  granted(gate.enter("a", 0) as Admission).finish("failure", 0);
  granted(gate.enter("b", 0) as Admission).finish("failure", 0);
  const busy = gate.enter("c", 10) as Admission;
  assert.ok(!busy.ok && busy.code === "BUSY" && busy.retryAfterMs === 59_990, JSON.stringify(busy));
  const stillLocked = gate.enter("locked", 10) as Admission;
  assert.ok(!stillLocked.ok && stillLocked.code === "LOCKED");
  // After the window, expired entries are swept and the new key gets in.
  const later = gate.enter("c", 900_001) as Admission;
  assert.ok(later.ok, JSON.stringify(later));

  const line = new AttemptGate({ ...limits, failuresBeforeLockout: 1, maxWaitingPerKey: 2 });
  const first = granted(line.enter("x", 0) as Admission);
  const waiting = [line.enter("x", 0), line.enter("x", 0)];
  assert.ok(waiting.every((w) => w instanceof Promise));
  const overflow = line.enter("x", 0) as Admission;
  assert.ok(!overflow.ok && overflow.code === "BUSY");
  first.finish("success", 0);
  const next = granted(await waiting[0]!);
  next.finish("success", 0);
  granted(await waiting[1]!).finish("success", 0);
  assert.is(line.trackedKeys, 0);
});

t("property: whatever the order of starts and outcomes, checks that fail never exceed the limit before a lock, and nobody waits forever", async () => {
  await fc.assert(fc.asyncProperty(
    fc.array(fc.record({ outcome: fc.constantFrom("success", "failure", "unchecked") as fc.Arbitrary<"success" | "failure" | "unchecked">, delay: fc.nat(3) }), { minLength: 1, maxLength: 40 }),
    async (attempts) => {
      const gate = new AttemptGate({ ...limits, maxWaitingPerKey: 1_000 });
      let failuresSinceSuccess = 0;
      let worst = 0;
      await Promise.all(attempts.map(async ({ outcome, delay }) => {
        const turn = await gate.enter("id", 0);
        if (!turn.ok) return;
        for (let i = 0; i < delay; i++) await Promise.resolve();
        if (outcome === "success") failuresSinceSuccess = 0;
        if (outcome === "failure") worst = Math.max(worst, ++failuresSinceSuccess);
        turn.finish(outcome, 0);
      }));
      assert.ok(worst <= limits.failuresBeforeLockout, `${worst} failures`);
    },
  ), { numRuns: 300 });
});

t.run();
