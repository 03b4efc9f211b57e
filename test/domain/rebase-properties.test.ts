/**
 * R-CON-2 / R-ACC-7 as properties: random sessions where two terminals (staff, admin) send commands
 * based on whatever version they last saw, and a kitchen screen moves items on. For every stale
 * command: accepted → exactly what deciding it on the current version gives, and nothing since
 * touched what it depends on (no lost update); refused with version_conflict → every listed change
 * is a real event since the sender's version that touches what the command depends on. "Touches"
 * is judged here independently of rebase.ts: by the ids an event's JSON names and by totals
 * recomputed from folded prefixes.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";
import {
  amountsOf, decide, evolve,
  type ActorRef, type SessionCommand, type SessionEvent, type SessionState,
} from "../../domain/index.ts";
import { accepted, admin, at, beerLine, cancelItem, changeQuantity, closeSession, confirmDraft, eggRollLine, history, openSession, staff, stewLine, context } from "./fixtures.ts";
import { adjust, cash, refund, removeAdjustment } from "./money-fixtures.ts";

const kitchen: ActorRef = { id: "k1", role: "kitchen", name: "주방" };
const kinds = ["confirm", "cancel", "change", "cancelBatch", "pay", "refund", "discountItem", "discountBatch", "percentSession", "remove", "close", "kitchen"] as const;
type Kind = (typeof kinds)[number];
interface Step { readonly who: 0 | 1; readonly kind: Kind; readonly pick: number; readonly amount: number; readonly refresh: boolean }

const step: fc.Arbitrary<Step> = fc.record({
  who: fc.constantFrom(0 as const, 1 as const),
  // Closing ends the run's interesting part (everything after is SESSION_CLOSED): rarely.
  kind: fc.oneof({ weight: 40, arbitrary: fc.constantFrom(...kinds.filter((k) => k !== "close")) }, { weight: 1, arbitrary: fc.constant("close" as const) }),
  pick: fc.nat(),
  amount: fc.nat({ max: 100_000 }),
  refresh: fc.nat({ max: 3 }).map((n) => n === 0),
});

const kitchenTypes = new Set<string>(["ItemsCookingStarted", "ItemsCooked", "ItemsServed", "ItemMarkedMissing", "TicketBumped", "TicketRecalled"]);
const derivedTypes = new Set<string>(["KitchenTicketCreated", "TicketPrintRequested"]);

/** The command a terminal builds from the state it sees (ids picked among what it sees). */
function build(s: Step, seen: SessionState, n: number): SessionCommand | undefined {
  const actor = s.who === 0 ? staff : admin;
  const live = [...seen.items.values()].filter((i) => i.state !== "cancelled");
  const pickOf = <T>(list: readonly T[]) => list[s.pick % Math.max(list.length, 1)];
  const item = pickOf(live);
  const batch = pickOf(seen.batches);
  const amounts = amountsOf(seen);
  switch (s.kind) {
    case "confirm":
      return confirmDraft([[stewLine(1), beerLine(2), eggRollLine(1)][s.pick % 3]!], { batchId: `b${n}`, actor });
    case "cancel":
      return item && cancelItem(item.itemId, { actor, reasonCode: "customer_request" });
    case "change":
      return item && changeQuantity(item.itemId, 1 + (s.amount % 4), `n${n}`, { actor });
    case "cancelBatch":
      return batch && { type: "CancelBatch", batchId: batch.batchId, reason: "손님 요청", reasonCode: "customer_request", actor, at };
    case "pay":
      return cash(`p${n}`, 1 + (s.amount % Math.max(1, Math.ceil(amounts.payable * 0.9))), { actor });
    case "refund": {
      const paid = pickOf([...seen.payments.values()].filter((p) => p.approved - p.refunded - p.refundPending > 0));
      return paid && refund(`r${n}`, paid.paymentId, 1 + (s.amount % (paid.approved - paid.refunded - paid.refundPending)), { actor });
    }
    case "discountItem":
      return item && adjust(`a${n}`, { kind: "fixed_discount", scope: "item", targetId: item.itemId, amount: 100 + (s.amount % 900), actor });
    case "discountBatch":
      return batch && adjust(`a${n}`, { kind: "fixed_discount", scope: "batch", targetId: batch.batchId, amount: 100 + (s.amount % 900), actor });
    case "percentSession":
      return adjust(`a${n}`, { kind: "percent_discount", percent: 1 + (s.amount % 10), actor: admin });
    case "remove": {
      const adjustment = pickOf([...seen.adjustments.values()]);
      return adjustment && removeAdjustment(adjustment.adjustmentId, { actor: admin });
    }
    case "close":
      return closeSession({ actor: admin, reason: "정리" });
    case "kitchen":
      return item && { type: "AdvanceItems", itemIds: [item.itemId], to: s.amount % 2 === 0 ? "cooking" : "cooked", actor: kitchen, at };
  }
}

/** The whole run: every event, and the state after each one (index = version). */
class Journal {
  readonly events: SessionEvent[] = [];
  readonly states: SessionState[];
  constructor(start: { events: SessionEvent[]; state: SessionState }, initial: SessionState) {
    this.states = [initial];
    this.append(start.events);
  }
  append(events: readonly SessionEvent[]): void {
    for (const e of events) {
      this.events.push(e);
      this.states.push(evolve(this.states.at(-1)!, e));
    }
  }
  get now(): SessionState {
    return this.states.at(-1)!;
  }
}

/** Does the event at `version` touch what `command` depends on? Judged from the event's JSON and folded totals. */
function touches(command: SessionCommand, version: number, journal: Journal): boolean {
  const event = journal.events[version - 1]!;
  if (event.type === "SessionOpened") return true;
  if (derivedTypes.has(event.type)) return false;
  const named = (id: string): boolean => {
    if (JSON.stringify(event).includes(`"${id}"`)) return true;
    if (event.type !== "AdjustmentRemoved") return false;
    const applied = journal.events.find((e) => e.type === "AdjustmentApplied" && e.adjustmentId === event.adjustmentId);
    return applied !== undefined && JSON.stringify(applied).includes(`"${id}"`);
  };
  const final = journal.now;
  const itemsOf = (batchId: string) => [...final.items.values()].filter((i) => i.batchId === batchId).map((i) => i.itemId);
  const [before, after] = [journal.states[version - 1]!, journal.states[version]!];
  const targetChanged = (scope: string, targetId: string | null) => {
    if (kitchenTypes.has(event.type)) return false;
    if (scope === "session") return amountsOf(before).sessionTotal !== amountsOf(after).sessionTotal;
    if (scope === "item") return named(targetId!);
    return named(targetId!) || itemsOf(targetId!).some(named);
  };
  switch (command.type) {
    case "CancelItem":
    case "ChangeItemQuantity":
      return named(command.itemId);
    case "CancelBatch":
      return named(command.batchId) || itemsOf(command.batchId).some(named);
    case "RequestPayment":
      return amountsOf(before).payable !== amountsOf(after).payable;
    case "RequestRefund":
      return event.type.startsWith("Refund") || named(command.paymentId);
    case "ApplyAdjustment":
      return targetChanged(command.scope, command.targetId);
    case "RemoveAdjustment": {
      const applied = journal.events.find((e) => e.type === "AdjustmentApplied" && e.adjustmentId === command.adjustmentId);
      return named(command.adjustmentId) || (applied?.type === "AdjustmentApplied" && applied.scope !== "session" && targetChanged(applied.scope, applied.targetId));
    }
    case "CloseSession":
      return !kitchenTypes.has(event.type);
    default:
      return false;
  }
}

const seen = { merged: 0, conflicts: 0 };

function play(steps: readonly Step[]): void {
  const journal = new Journal(history(openSession(), confirmDraft([stewLine(2), beerLine(1), eggRollLine(1)], { batchId: "b0" })), history().state);
  const lastSeen = [journal.events.length, journal.events.length];
  for (const [n, s] of steps.entries()) {
    if (s.refresh) lastSeen[s.who] = journal.events.length;
    const base = s.kind === "kitchen" ? journal.events.length : lastSeen[s.who]!;
    const built = build(s, journal.states[base]!, n + 1);
    if (!built) continue;
    const command = s.kind === "kitchen" ? built : { ...built, expectedVersion: base };
    const now = journal.now;
    const since = journal.events.slice(base);
    // As the room does: where every adjustment applied before the sender's version points.
    const earlierAdjustments = new Map(journal.events.slice(0, base).flatMap((e) => (e.type === "AdjustmentApplied" ? [[e.adjustmentId, e] as const] : [])));
    const decision = decide(command, now, context, { since, earlierAdjustments });
    if (decision.ok) {
      if (base !== now.version && command.type !== "ConfirmDraft") {
        seen.merged += 1;
        assert.equal(decision, decide({ ...command, expectedVersion: now.version }, now, context), "a merged command is decided as if sent now");
        const payable = amountsOf(now).payable;
        const paidWithin = command.type === "RequestPayment" && ((payable > 0 && command.amount <= payable) || payable === amountsOf(journal.states[base]!).payable);
        if (!paidWithin) {
          const hit = since.findIndex((_, i) => touches(command, base + i + 1, journal));
          assert.is(hit, -1, `${command.type} merged past a change that touches it: ${JSON.stringify(since[hit])}`);
        }
      }
      journal.append(decision.events);
      if (s.kind !== "kitchen") lastSeen[s.who] = journal.events.length;
    } else if (decision.error.code === "version_conflict") {
      seen.conflicts += 1;
      const changes = decision.error.changes ?? [];
      assert.ok(changes.length > 0, "a conflict lists what changed");
      for (const change of changes) {
        assert.ok(change.version > base && change.version <= now.version, "a listed change happened after the sender's version");
        const event = journal.events[change.version - 1]!;
        assert.equal([change.type, change.by, change.at], [event.type, event.actor, event.at]);
        assert.ok(touches(command, change.version, journal), `${command.type} refused over ${change.type} (v${change.version}) which does not touch it`);
      }
      lastSeen[s.who] = journal.events.length;
    }
  }
}

test("stale commands are merged exactly when nothing since touches them, and conflicts list only changes that do", () => {
  fc.assert(fc.property(fc.array(step, { minLength: 5, maxLength: 40 }), (steps) => play(steps)), { numRuns: 300, seed: 20261203 });
  assert.ok(seen.merged > 200, `merged stale commands: ${seen.merged}`);
  assert.ok(seen.conflicts > 200, `conflicts: ${seen.conflicts}`);
});

test.run();
