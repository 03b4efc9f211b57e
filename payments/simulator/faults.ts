import { z } from "zod";
import { simulatorLimits as limits } from "../limits.ts";
import { orderIdSchema, settlementDate } from "./schemas.ts";

/** The simulator's API operations a fault can target. */
export const operations = ["approve", "cancel", "query", "netCancel", "cashReceipt", "settlement"] as const;
export type Operation = (typeof operations)[number];

const target = {
  /** Only calls about this order id (for a cancel: the body's orderId). */
  orderId: orderIdSchema.optional(),
  /** How many matching calls it affects; absent = every matching call until cleared. */
  times: z.int().min(1).max(limits.faultTimesMax).optional(),
};
const on = { on: z.array(z.enum(operations)).min(1).max(operations.length).optional() };
/** A refusal code in the card companies' style (REJECT_CARD_COMPANY). */
const providerCode = z.string().regex(/^[A-Z0-9_]{1,64}$/);
const delayMs = z.int().min(1).max(limits.faultDelayMsMax);

/**
 * A fault set by a test, in-process (`setFaults`) or over HTTP (`POST /_control/faults`).
 * `on` defaults: cancelRefused → cancel; decline/timeout/approvedButAnswerLost/garbledAnswer → approve; slow/down → every API call.
 */
export const faultSchema = z.discriminatedUnion("kind", [
  /** The next approvals are declined with `code` (recorded as declined, like a real refusal). */
  z.strictObject({ kind: z.literal("decline"), code: providerCode.default("REJECT_CARD_COMPANY"), message: z.string().max(200).optional(), ...target }),
  /** The next cancels are refused with `code` (the cancel window has passed, say); nothing is cancelled. */
  z.strictObject({ kind: z.literal("cancelRefused"), code: providerCode.default("CANCEL_PERIOD_EXPIRED"), message: z.string().max(200).optional(), ...target }),
  /** Accept the request and never answer; `afterProcessing` = carry it out first (the charge exists). */
  z.strictObject({ kind: z.literal("timeout"), afterProcessing: z.boolean().default(false), ...target, ...on }),
  /** Carry the request out at once, answer after `delayMs`. */
  z.strictObject({ kind: z.literal("slow"), delayMs, ...target, ...on }),
  /** Carry the request out (record it in the ledger), then destroy the socket without a byte of answer. */
  z.strictObject({ kind: z.literal("approvedButAnswerLost"), ...target, ...on }),
  /** Carry the request out, then answer 200 with the JSON cut in half (a reply the client cannot read). */
  z.strictObject({ kind: z.literal("garbledAnswer"), ...target, ...on }),
  /**
   * `unavailable`: 503 `PROVIDER_ERROR`, nothing processed (control routes still answer).
   * `refuse`: stop listening (ECONNREFUSED, control routes too) for `forMs`, or until `clearFaults()`.
   */
  z.strictObject({ kind: z.literal("down"), mode: z.enum(["unavailable", "refuse"]), forMs: delayMs.optional(), ...target, ...on }),
  /** The settlement of `date` is wrong in one way: an altered amount, an approval we never made, or a line left out. */
  z.strictObject({ kind: z.literal("settlementMismatch"), date: settlementDate, change: z.enum(["alteredAmount", "extraApproval", "missingLine"]), ...target }),
]);
export type FaultSpec = z.input<typeof faultSchema>;
export type Fault = z.output<typeof faultSchema>;
export const faultListSchema = z.strictObject({ faults: z.array(faultSchema).max(limits.faultsMax) });

/** Why a list of faults cannot be set, or null. */
export function faultListProblem(faults: readonly Fault[], overHttp: boolean): string | null {
  const refuse = faults.filter((f) => f.kind === "down" && f.mode === "refuse");
  if (refuse.length > 1) return "at most one down/refuse fault";
  // Nobody could reach POST /_control/faults again to clear it.
  if (overHttp && refuse.some((f) => f.kind === "down" && f.forMs === undefined)) return "down/refuse over HTTP needs forMs";
  return null;
}

const defaultOn: Record<Exclude<Fault["kind"], "settlementMismatch">, readonly Operation[]> = {
  decline: ["approve"],
  cancelRefused: ["cancel"],
  timeout: ["approve"],
  approvedButAnswerLost: ["approve"],
  garbledAnswer: ["approve"],
  slow: operations,
  down: operations,
};

export interface FaultView { readonly fault: Fault; readonly timesLeft: number | null }
export type CallFault = Exclude<Fault, { kind: "settlementMismatch" }>;

/** Active faults, first match wins; each match uses up one of its `times`. */
export class FaultStore {
  #faults: { fault: Fault; left: number | null }[] = [];

  set(faults: readonly Fault[]): void {
    this.#faults = faults.map((fault) => ({ fault, left: fault.times ?? null }));
  }

  clear(): void {
    this.#faults = [];
  }

  list(): FaultView[] {
    return this.#faults.map(({ fault, left }) => ({ fault, timesLeft: left }));
  }

  /** The fault for one API call, consumed. `down`/refuse is the listener's business, not a call's. */
  take(operation: Operation, orderId: string | undefined): CallFault | undefined {
    const hit = this.#faults.find(({ fault }) =>
      fault.kind !== "settlementMismatch" && !(fault.kind === "down" && fault.mode === "refuse") &&
      ("on" in fault && fault.on ? fault.on : defaultOn[fault.kind]).includes(operation) &&
      (fault.orderId === undefined || fault.orderId === orderId));
    if (!hit) return undefined;
    this.#consume(hit);
    return hit.fault as CallFault;
  }

  /** Every settlementMismatch for `date`, consumed. */
  takeMismatches(date: string): Extract<Fault, { kind: "settlementMismatch" }>[] {
    const hits = this.#faults.filter(({ fault }) => fault.kind === "settlementMismatch" && fault.date === date);
    hits.forEach((h) => this.#consume(h));
    return hits.map((h) => h.fault as Extract<Fault, { kind: "settlementMismatch" }>);
  }

  refuse(): Extract<Fault, { kind: "down" }> | undefined {
    return this.#faults.find(({ fault }) => fault.kind === "down" && fault.mode === "refuse")?.fault as Extract<Fault, { kind: "down" }> | undefined;
  }

  #consume(entry: { fault: Fault; left: number | null }): void {
    if (entry.left === null) return;
    entry.left -= 1;
    if (entry.left <= 0) this.#faults = this.#faults.filter((e) => e !== entry);
  }
}
