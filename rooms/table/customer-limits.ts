/** Bounds on what a phone may do at a table (issue #12 "abuse limits"), named once. */
export const customerLimits = {
  cartLinesMax: 20,
  /** Confirms per customer token, and per table from all its phones, in a sliding minute. */
  confirmsPerTokenPerMinute: 3,
  confirmsPerTablePerMinute: 10,
  /** Staff calls ("직원 호출") per customer token per minute. */
  staffCallsPerTokenPerMinute: 2,
  /** Keys tracked by one limiter (phones at a table come and go). */
  trackedKeysMax: 1_000,
} as const;

/**
 * A sliding-window counter per key, in bounded memory: `take` answers whether one more event is
 * allowed now and, if not, how long until it is.
 */
export class SlidingLimit {
  readonly #events = new Map<string, number[]>();
  constructor(private readonly perWindow: number, private readonly windowMs: number) {}

  /** Whether one more event would be allowed now, using nothing up. */
  check(key: string, nowMs: number): { ok: true } | { ok: false; retryAfterMs: number } {
    const recent = (this.#events.get(key) ?? []).filter((t) => t > nowMs - this.windowMs);
    return recent.length >= this.perWindow ? { ok: false, retryAfterMs: recent[0]! + this.windowMs - nowMs } : { ok: true };
  }

  take(key: string, nowMs: number): { ok: true } | { ok: false; retryAfterMs: number } {
    const recent = (this.#events.get(key) ?? []).filter((t) => t > nowMs - this.windowMs);
    if (recent.length >= this.perWindow) return { ok: false, retryAfterMs: recent[0]! + this.windowMs - nowMs };
    recent.push(nowMs);
    if (!this.#events.has(key) && this.#events.size >= customerLimits.trackedKeysMax) this.#events.delete(this.#events.keys().next().value!);
    this.#events.set(key, recent);
    return { ok: true };
  }
}
