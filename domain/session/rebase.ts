import { assertNever } from "../assert.ts";
import type { SessionCommand } from "./commands.ts";
import type { DomainError } from "./errors.ts";
import type { SessionEvent, SessionEventType } from "./events.ts";
import type { ActorRef, AdjustmentScope, SessionState } from "./state.ts";
import { amountsOf } from "./amounts.ts";

/**
 * R-CON-2 / R-ACC-7: a command based on an older version of the session is merged when nothing that
 * happened since touches what it depends on (it is then decided on the current state, as if sent
 * now), and refused with version_conflict listing what did. The rules, as a table, are in
 * docs/CONCURRENCY.md; this file is the only place they live.
 */

/** Where an adjustment points: an item or batch id, or null for the whole session. */
export interface AdjustmentTarget {
  readonly scope: AdjustmentScope;
  readonly targetId: string | null;
}

/** What the command's sender had not seen: the events after its expectedVersion. */
export interface SessionHistory {
  /** Events at versions expectedVersion + 1 … state.version, oldest first. */
  readonly since: readonly SessionEvent[];
  /**
   * Targets of adjustments applied before `since` (a removed one has left the state). Only needed
   * for an AdjustmentRemoved in `since`; one whose target is unknown touches no target.
   */
  readonly earlierAdjustments?: ReadonlyMap<string, AdjustmentTarget> | undefined;
}

/** One change a refused command collides with, as the terminal shows it. */
export interface ConflictingChange {
  /** The session version this event made. */
  readonly version: number;
  readonly type: SessionEventType;
  /** Items, batches, adjustments, payments, refunds or tickets it touched. */
  readonly ids: readonly string[];
  readonly by: ActorRef;
  readonly at: string;
}

export const rebaseLimits = {
  /** Changes listed in one conflict; the rest are counted in `changesOmitted`. */
  changesListedMax: 20,
} as const;

export type VersionConflict = Extract<DomainError, { code: "version_conflict" }>;

/**
 * The merge decision for a command whose expectedVersion is not the state's version: undefined when
 * it commutes with everything since (decide goes on with the current state), else the conflict.
 * Without `history` nothing can be merged (the plain optimistic check).
 */
export function staleConflict(command: SessionCommand, state: SessionState, history: SessionHistory | undefined): VersionConflict | undefined {
  const expected = command.expectedVersion ?? state.version;
  const actual = state.version;
  if (expected === actual) return undefined;
  if (!history) return { code: "version_conflict", expected, actual };
  // A version from the future, or a history that does not reach back to it: nothing to merge against.
  if (expected > actual || history.since.length !== actual - expected) return { code: "version_conflict", expected, actual, changes: [] };
  const targets = adjustmentTargets(history);
  const footprints = history.since.map((event) => footprint(event, state, targets));
  const hits = conflictingIndexes(command, state, footprints, targets);
  if (hits.length === 0) return undefined;
  const listed = hits.slice(0, rebaseLimits.changesListedMax).map((i): ConflictingChange => {
    const event = history.since[i]!;
    return { version: expected + i + 1, type: event.type, ids: footprints[i]!.ids, by: event.actor, at: event.at };
  });
  const omitted = hits.length - listed.length;
  return { code: "version_conflict", expected, actual, changes: listed, ...(omitted > 0 ? { changesOmitted: omitted } : {}) };
}

/**
 * What one committed event changed, in the terms the rules ask about. `kind` sorts events:
 * kitchen progress never blocks a decision made on the floor; `derived` events (tickets, slips)
 * always come with the order event that caused them, which is judged instead.
 */
interface Footprint {
  readonly kind: "order" | "kitchen" | "money" | "lifecycle" | "opened" | "derived";
  /** Items whose line or kitchen state changed (cancelled, replaced, added, moved, reported missing). */
  readonly items: readonly string[];
  readonly batches: readonly string[];
  readonly adjustments: readonly string[];
  /** What an applied or removed adjustment points at: an item or batch id, or "session". */
  readonly targets: readonly string[];
  readonly payments: readonly string[];
  readonly refunds: readonly string[];
  readonly tickets: readonly string[];
  /** Change of the session total (items + adjustments). */
  readonly totalDelta: number;
  /** Change of what a new payment may still ask for (outstanding − in flight). */
  readonly payableDelta: number;
  readonly ids: readonly string[];
}

const sessionTarget = "session";

/** Where each adjustment the history knows of points (applied before it, or in it). */
function adjustmentTargets(history: SessionHistory): ReadonlyMap<string, AdjustmentTarget> {
  const targets = new Map(history.earlierAdjustments ?? []);
  for (const event of history.since) if (event.type === "AdjustmentApplied") targets.set(event.adjustmentId, event);
  return targets;
}

/** The one exhaustive classification of events (a new event type does not compile until it is placed). */
function footprint(event: SessionEvent, state: SessionState, targets: ReadonlyMap<string, AdjustmentTarget>): Footprint {
  const f = (kind: Footprint["kind"], parts: Partial<Omit<Footprint, "kind" | "ids">>): Footprint => {
    const base = { items: [], batches: [], adjustments: [], targets: [], payments: [], refunds: [], tickets: [], totalDelta: 0, payableDelta: 0, ...parts };
    const ids = [...new Set([...base.items, ...base.batches, ...base.adjustments, ...base.targets.filter((t) => t !== sessionTarget), ...base.payments, ...base.refunds, ...base.tickets])];
    return { kind, ...base, ids };
  };
  const requested = (paymentId: string) => state.payments.get(paymentId)?.requested ?? 0;
  switch (event.type) {
    case "SessionOpened":
      return f("opened", {});
    case "SessionClosed":
    case "SessionReopened":
    case "SessionTimedOut":
    case "SessionResumed":
      return f("lifecycle", {});
    case "BatchConfirmed":
      return f("order", { batches: [event.batchId], items: event.items.map((i) => i.itemId), totalDelta: event.total, payableDelta: event.total });
    case "ItemCancelled":
      return f("order", { items: [event.itemId], batches: [event.batchId], totalDelta: -event.lineTotal, payableDelta: -event.lineTotal });
    case "ItemAdded":
      return f("order", { items: [event.replacesItemId, event.item.itemId], batches: [event.batchId], totalDelta: event.item.lineTotal, payableDelta: event.item.lineTotal });
    case "KitchenTicketCreated":
      return f("derived", { tickets: [event.ticketId] });
    case "TicketPrintRequested":
      return f("derived", { tickets: [event.ticketId] });
    case "ItemsCookingStarted":
    case "ItemsCooked":
    case "ItemsServed":
      return f("kitchen", { items: event.itemIds });
    case "ItemMarkedMissing":
      return f("kitchen", { items: [event.itemId] });
    case "TicketBumped":
    case "TicketRecalled":
      return f("kitchen", { tickets: [event.ticketId] });
    case "AdjustmentApplied":
      return f("money", { adjustments: [event.adjustmentId], targets: [event.targetId ?? sessionTarget], totalDelta: event.amount, payableDelta: event.amount });
    case "AdjustmentRemoved": {
      const target = targets.get(event.adjustmentId);
      return f("money", { adjustments: [event.adjustmentId], targets: target ? [target.targetId ?? sessionTarget] : [], totalDelta: -event.amount, payableDelta: -event.amount });
    }
    case "PaymentRequested":
      return f("money", { payments: [event.paymentId], payableDelta: -event.amount });
    case "PaymentApproved":
      // The intent already left the payable amount; only a partial approval gives some back.
      return f("money", { payments: [event.paymentId], payableDelta: requested(event.paymentId) - event.amount });
    case "PaymentDeclined":
    case "PaymentVoided":
      return f("money", { payments: [event.paymentId], payableDelta: requested(event.paymentId) });
    case "RefundRequested":
    case "RefundFailed":
      return f("money", { payments: [event.paymentId], refunds: [event.refundId] });
    case "RefundCompleted":
      return f("money", { payments: [event.paymentId], refunds: [event.refundId], payableDelta: event.amount });
    default:
      return assertNever(event);
  }
}

/** Indexes (into `since`) of the changes the command conflicts with; empty = it commutes. */
function conflictingIndexes(command: SessionCommand, state: SessionState, footprints: readonly Footprint[], targets: ReadonlyMap<string, AdjustmentTarget>): number[] {
  const where = (touches: (f: Footprint) => boolean) => footprints.flatMap((f, i) => (f.kind === "opened" || touches(f) ? [i] : []));
  const batchOf = (id: string) => state.items.get(id)?.batchId;
  // An item's line or an adjustment target changed (kitchen progress does not change what it is worth).
  const lineOrValueChanged = (f: Footprint, scope: AdjustmentScope, targetId: string | null): boolean => {
    if (f.kind === "derived" || f.kind === "kitchen") return false;
    switch (scope) {
      case "session":
        return f.totalDelta !== 0;
      case "item":
        return targetId !== null && (f.items.includes(targetId) || f.targets.includes(targetId));
      case "batch":
        return targetId !== null && (f.items.some((i) => batchOf(i) === targetId) || f.targets.some((t) => t === targetId || batchOf(t) === targetId));
    }
  };
  const anythingButKitchen = (f: Footprint) => f.kind !== "kitchen" && f.kind !== "derived";
  switch (command.type) {
    case "ConfirmDraft":
      // Adding lines depends on nothing anyone else changes; closed, 86 and limits are checked on the current state.
      return where(() => false);
    case "CancelItem":
    case "ChangeItemQuantity":
      // The person decided on an item as they saw it: any change of it, kitchen progress included, or of its adjustments.
      return where((f) => f.kind !== "derived" && (f.items.includes(command.itemId) || f.targets.includes(command.itemId)));
    case "CancelBatch":
      return where((f) => f.kind !== "derived" && (f.items.some((i) => batchOf(i) === command.batchId) || f.targets.some((t) => t === command.batchId || batchOf(t) === command.batchId)));
    case "AdvanceItems":
      return where((f) => anythingButKitchen(f) && f.items.some((i) => command.itemIds.includes(i)));
    case "MarkMissing":
      return where((f) => anythingButKitchen(f) && f.items.includes(command.itemId));
    case "BumpTicket":
    case "RecallTicket": {
      const itemIds = state.tickets.get(command.ticketId)?.itemIds ?? [];
      return where((f) => f.tickets.includes(command.ticketId) || (anythingButKitchen(f) && f.items.some((i) => itemIds.includes(i))));
    }
    case "RequestPayment":
      return paymentConflicts(command.amount, state, footprints);
    case "RequestRefund":
      // Two people refunding the guest at once would give the money back twice: any other refund, or a change of the payment.
      return where((f) => f.refunds.length > 0 || f.payments.includes(command.paymentId));
    case "ApplyAdjustment":
      // A percent of an item or batch is of that target's value; anything session-wide was judged against the total.
      return where((f) => lineOrValueChanged(f, command.scope, command.targetId));
    case "RemoveAdjustment": {
      // Gone from the state when it lapsed or was removed meanwhile: then the history knows its target.
      const target = state.adjustments.get(command.adjustmentId) ?? targets.get(command.adjustmentId);
      return where((f) => f.adjustments.includes(command.adjustmentId) || (target !== undefined && target.scope !== "session" && lineOrValueChanged(f, target.scope, target.targetId)));
    }
    case "CloseSession":
    case "ReopenSession":
    case "ResumeSession":
    case "TimeOutSession":
    case "OpenSession":
    case "RecordPaymentResult":
    case "RecordRefundResult":
      // Ending or restarting a session on a stale view is never safe; kitchen progress changes nothing it judged.
      return where(anythingButKitchen);
    default:
      return assertNever(command);
  }
}

/**
 * A payment commutes with other payments, refunds, orders and adjustments while its amount is still
 * payable now. When it no longer is and the payable amount moved since, the sender paid against a
 * balance that is gone: conflict with the changes that moved it (not AMOUNT_EXCEEDS_DUE, which
 * would suggest the sender asked for too much on the bill they saw).
 */
function paymentConflicts(amount: number, state: SessionState, footprints: readonly Footprint[]): number[] {
  const opened = footprints.flatMap((f, i) => (f.kind === "opened" ? [i] : []));
  if (opened.length > 0) return opened;
  const payable = amountsOf(state).payable;
  if (payable > 0 && amount <= payable) return [];
  const moved = footprints.reduce((sum, f) => sum + f.payableDelta, 0);
  if (moved === 0) return [];
  return footprints.flatMap((f, i) => (f.payableDelta !== 0 ? [i] : []));
}
