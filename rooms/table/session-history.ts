import type { AdjustmentTarget, SessionEvent, SessionHistory, SessionState } from "../../domain/index.ts";
import type { SessionReader } from "../../storage/index.ts";

/** Committed events kept in memory per table, so merging a recently stale command reads no SQL. */
export const eventTailLength = 256;

/**
 * R-CON-2: what a stale command had not seen. The last events this table committed stay in
 * memory; an older base is read from the journal. The tail is trusted only when it ends exactly at
 * the state's version (after a reload or a session change it is rebuilt by the next commit).
 */
export class EventTail {
  #sessionId = "";
  /** Version before the first kept event. */
  #start = 0;
  #events: SessionEvent[] = [];

  /** After a commit: `events` made versions baseVersion + 1 … of `sessionId`. */
  append(sessionId: string, baseVersion: number, events: readonly SessionEvent[]): void {
    if (sessionId !== this.#sessionId || baseVersion !== this.#start + this.#events.length) {
      this.#sessionId = sessionId;
      this.#start = baseVersion;
      this.#events = [];
    }
    this.#events.push(...events);
    const excess = this.#events.length - eventTailLength;
    if (excess > 0) {
      this.#events.splice(0, excess);
      this.#start += excess;
    }
  }

  /** The history decide needs for a command based on `expected`; undefined when it is not stale. */
  historyFor(base: SessionState, expected: number | undefined, reader: SessionReader): SessionHistory | undefined {
    if (expected === undefined || expected === base.version) return undefined;
    if (expected > base.version) return { since: [] };
    const inTail = base.sessionId === this.#sessionId && expected >= this.#start && this.#start + this.#events.length === base.version;
    const since = inTail ? this.#events.slice(expected - this.#start) : reader.eventsAfter(base.sessionId, expected, base.version);
    return { since, earlierAdjustments: earlierAdjustments(since, base.sessionId, reader) };
  }
}

/** Targets of adjustments removed in `since` but applied before it: read from the journal, only when there are any. */
function earlierAdjustments(since: readonly SessionEvent[], sessionId: string, reader: SessionReader): ReadonlyMap<string, AdjustmentTarget> | undefined {
  const appliedSince = new Set(since.flatMap((e) => (e.type === "AdjustmentApplied" ? [e.adjustmentId] : [])));
  const needed = since.some((e) => e.type === "AdjustmentRemoved" && !appliedSince.has(e.adjustmentId));
  if (!needed) return undefined;
  const targets = new Map<string, AdjustmentTarget>();
  for (const e of reader.events(sessionId)) if (e.type === "AdjustmentApplied") targets.set(e.adjustmentId, { scope: e.scope, targetId: e.targetId });
  return targets;
}
