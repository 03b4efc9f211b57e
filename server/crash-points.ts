/**
 * Named crash points (docs/DESIGN.md §7): a test sets `CRASH_AT=<name>` (and optionally
 * `CRASH_AT_COUNT=n`, default 1) and the process SIGKILLs itself the n-th time it reaches that
 * point, like a power cut at exactly that step. Unset (production), nothing is armed: every call
 * site is `crashPoints.armed?.…`, one property read of `undefined`.
 */
export const crashPointNames = [
  /** A command's effects are committed; its reply has not been sent (rooms/command-pipeline.ts). */
  "after-commit-before-reply",
  /** A slip is queued and its printer actor picked it; no job row, no byte sent yet (printers/actor/printer-actor.ts). */
  "after-outbox-before-print",
  /** The job row is durable and part of the slip's bytes reached the printer; no completion (printers/actor/printer-actor.ts). */
  "mid-print",
  /** The printer confirmed the slip; the ledger (print_jobs / print_slips) was not updated (printers/actor/printer-actor.ts). */
  "after-print-before-ledger",
  /** A card payment's intent is durable; the provider has not been called (rooms/table/payment-flow.ts). */
  "payment-after-intent",
  /** The provider approved; the approval is not recorded yet (rooms/table/payment-flow.ts). */
  "payment-before-record",
  /** A phone's prepaid cart intent is durable; the provider has not been called (rooms/table/cart-checkout.ts). */
  "cart-pay-after-intent",
  /** The provider approved a prepaid cart; the order and its payment are not committed yet (rooms/table/cart-checkout.ts). */
  "cart-pay-before-order",
] as const;
export type CrashPointName = (typeof crashPointNames)[number];

export class ArmedCrashPoint {
  #seen = 0;
  constructor(readonly name: CrashPointName, readonly count: number) {}

  /** True (and counted) when reaching `name` now is the one that must crash; the caller then calls `crashNow`. */
  reached(name: CrashPointName): boolean {
    if (name !== this.name) return false;
    this.#seen++;
    return this.#seen === this.count;
  }

  /** Reaching `name`: dies here when it is the armed point's n-th time. */
  hit(name: CrashPointName): void {
    if (this.reached(name)) crashNow(name);
  }
}

/** The armed point of this process, if any (set once by `armCrashPoints` at start-up). */
export const crashPoints: { armed: ArmedCrashPoint | undefined } = { armed: undefined };

/** Reads CRASH_AT / CRASH_AT_COUNT; throws on an unknown name or a bad count. */
export function armCrashPoints(env: NodeJS.ProcessEnv): void {
  const name = env.CRASH_AT?.trim();
  if (!name) return;
  if (!(crashPointNames as readonly string[]).includes(name)) throw new Error(`CRASH_AT: unknown crash point ${JSON.stringify(name)} (one of ${crashPointNames.join(", ")})`);
  const count = env.CRASH_AT_COUNT === undefined ? 1 : Number(env.CRASH_AT_COUNT);
  if (!Number.isInteger(count) || count < 1) throw new Error(`CRASH_AT_COUNT: expected a positive integer, got ${JSON.stringify(env.CRASH_AT_COUNT)}`);
  crashPoints.armed = new ArmedCrashPoint(name as CrashPointName, count);
  console.error(`CRASH_AT armed: ${name} (time ${count})`);
}

/** Dies at once: no shutdown hooks, no flush, no reply (like a power cut). */
export function crashNow(name: CrashPointName): never {
  process.stderr.write(`CRASH_AT ${name}: SIGKILL\n`);
  process.kill(process.pid, "SIGKILL");
  // SIGKILL to self is delivered before the next instruction in practice; never return regardless.
  for (;;) process.kill(process.pid, "SIGKILL");
}
