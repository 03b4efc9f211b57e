import { assert } from "../assert.ts";

/**
 * Print dedupe by content (R-KRP-3). A ticket's kitchen slip is one content; the rows that may put
 * it on paper are its **slip family**: the original slip (`<ticketId>:<kind>`, `reprintNo` 0) and
 * every admin reprint of it (`reprintNo` n). The rules below decide, from what the print ledger
 * knows about the whole family, whether a copy is printed, with which mark, whether an admin retry
 * is allowed, and which failed slips are resolved when a copy reaches paper. Pure: no I/O, no clock.
 */

/** Where one slip row stands. `superseded`: another copy of its content printed; nothing left to do. */
export type FamilySlipState = "pending" | "printed" | "failed" | "superseded";
/** One attempt (a `print_jobs` row). `sending` = in flight now (or cut off by a crash not yet recovered). */
export type FamilyAttemptState = "sending" | "confirmed" | "not_sent" | "unknown";

export interface FamilySlip {
  readonly slipKey: string;
  /** 0 = the original; n = the n-th admin reprint. */
  readonly reprintNo: number;
  readonly state: FamilySlipState;
  /** Originals only: an attempt of this slip may have reached paper (unknown outcome, or crash recovery). */
  readonly needsMark: boolean;
  /** The copy that printed in its place, when `superseded`. */
  readonly supersededBy: string | null;
  /** The states of every attempt of this slip, in any order. */
  readonly attempts: readonly FamilyAttemptState[];
}

/** The original slip and all its reprints (one content), in any order. */
export type SlipFamily = readonly FamilySlip[];

/**
 * The mark a copy carries:
 * - `none`: the first copy, and the ledger knows no earlier attempt of this content left the server;
 * - `reprint`: an admin asked for another copy on purpose (`*** 재출력 / REPRINT n ***`);
 * - `duplicate`: an earlier attempt of this content may have printed (sent, no completion echo, or a
 *   crash mid-send): `*** 중복 가능 / MAY BE DUPLICATE ***`, so the kitchen checks before cooking.
 */
export type CopyMark = { readonly kind: "none" } | { readonly kind: "reprint"; readonly n: number } | { readonly kind: "duplicate" };

/** Before an attempt: print it (with this mark), or do not, because another copy of the content already printed. */
export type CopyDecision = { readonly action: "print"; readonly mark: CopyMark } | { readonly action: "supersede"; readonly by: string };

/** An admin `print.retry`: allowed, or refused with the rule it breaks. */
export type RetryDecision =
  | { readonly ok: true }
  /** This slip, or another copy of its content, reached paper: ask for a reprint instead. */
  | { readonly ok: false; readonly code: "already_printed"; readonly printedAs: string }
  /** Only a failed slip can be retried (a pending one is already waiting for its printer). */
  | { readonly ok: false; readonly code: "not_failed"; readonly state: FamilySlipState };

/** After an attempt: what the slip becomes, and which failed copies of the same content are resolved. */
export interface SettleDecision {
  readonly state: FamilySlipState;
  /** Set when `state` is `superseded`: the copy that printed. */
  readonly supersededBy: string | null;
  /** The attempt may have put the slip on paper: every later copy of the content is marked. */
  readonly needsMark: boolean;
  /** Failed slips of the family that this printed copy resolves (they become `superseded` by it). */
  readonly resolves: readonly string[];
}

/** What an attempt ended as: confirmed (echo), not-sent (never connected), unknown (written, no echo). */
export type AttemptOutcome = "confirmed" | "not_sent" | "unknown";

/** A copy of this content reached paper: the printed slip's key, if any. */
export function printedCopy(family: SlipFamily): string | undefined {
  return family.find((s) => s.state === "printed" || s.attempts.includes("confirmed"))?.slipKey;
}

/**
 * The ledger cannot rule out that some attempt put this content on paper: an attempt whose outcome
 * is unknown, one still in flight (another printer may be printing it now), or an original already
 * flagged by crash recovery. Not-sent attempts wrote nothing. (A reprint row's own `needsMark` only
 * says "always marked" and is not evidence.)
 */
export function mayHavePrinted(family: SlipFamily): boolean {
  return family.some((s) => (s.reprintNo === 0 && s.needsMark) || s.attempts.some((a) => a === "unknown" || a === "sending" || a === "confirmed"));
}

function member(family: SlipFamily, slipKey: string): FamilySlip {
  const slip = family.find((s) => s.slipKey === slipKey);
  assert(slip !== undefined, `slip ${slipKey} is not in its family`);
  return slip;
}

/**
 * The printer actor, before each attempt of a pending slip.
 * - An admin reprint always prints, marked `REPRINT n`.
 * - An original whose content another copy already printed is not printed again: `supersede`.
 * - An original prints marked `MAY BE DUPLICATE` when any earlier attempt of the content may have printed.
 * - Otherwise it is the first copy: unmarked.
 */
export function decideCopy(family: SlipFamily, slipKey: string): CopyDecision {
  const slip = member(family, slipKey);
  assert(slip.state === "pending", `only a pending slip is printed (${slipKey} is ${slip.state})`);
  if (slip.reprintNo > 0) return { action: "print", mark: { kind: "reprint", n: slip.reprintNo } };
  const printed = printedCopy(family);
  if (printed !== undefined) return { action: "supersede", by: printed };
  return { action: "print", mark: mayHavePrinted(family) ? { kind: "duplicate" } : { kind: "none" } };
}

/**
 * An admin `print.retry` of one slip.
 * - printed → `already_printed`; superseded → `already_printed` (as the copy that printed);
 * - pending → `not_failed`;
 * - a failed original whose content another copy printed → `already_printed` (a retry would be a
 *   second copy the admin did not ask for; `print.reprint` makes a marked one);
 * - any other failed slip → allowed. Its mark is decided when it prints (`decideCopy`).
 */
export function decideRetry(family: SlipFamily, slipKey: string): RetryDecision {
  const slip = member(family, slipKey);
  switch (slip.state) {
    case "printed":
      return { ok: false, code: "already_printed", printedAs: slip.slipKey };
    case "superseded":
      return { ok: false, code: "already_printed", printedAs: slip.supersededBy ?? printedCopy(family) ?? slip.slipKey };
    case "pending":
      return { ok: false, code: "not_failed", state: slip.state };
    case "failed": {
      const printed = slip.reprintNo === 0 ? printedCopy(family) : undefined;
      return printed !== undefined ? { ok: false, code: "already_printed", printedAs: printed } : { ok: true };
    }
  }
}

/**
 * Recording an attempt's outcome (inside the transaction that records it, so no other printer's
 * result can slip in between).
 * - confirmed → `printed`, and every **failed** slip of the family is resolved (`superseded` by this
 *   one): its content is on paper now. Pending ones are left alone (one may be in flight elsewhere);
 *   `decideCopy` supersedes a pending original when its turn comes.
 * - not-sent / unknown → `pending` for another attempt (unknown sets `needsMark`); at the last attempt
 *   `failed`, except an original whose content another copy already printed: `superseded`, so it
 *   never waits in the admins' failed list for nothing.
 */
export function decideSettle(family: SlipFamily, slipKey: string, outcome: AttemptOutcome, lastAttempt: boolean): SettleDecision {
  const slip = member(family, slipKey);
  const needsMark = outcome === "unknown";
  // A late outcome of an older attempt (another copy, a backup printer) never undoes a final state.
  if (slip.state === "printed" || slip.state === "superseded") return { state: slip.state, supersededBy: slip.supersededBy, needsMark, resolves: [] };
  if (outcome === "confirmed") {
    const resolves = family.filter((s) => s.slipKey !== slipKey && s.state === "failed").map((s) => s.slipKey);
    return { state: "printed", supersededBy: null, needsMark, resolves };
  }
  if (!lastAttempt) return { state: "pending", supersededBy: null, needsMark, resolves: [] };
  const printed = slip.reprintNo === 0 ? printedCopy(family.filter((s) => s.slipKey !== slipKey)) : undefined;
  if (printed !== undefined) return { state: "superseded", supersededBy: printed, needsMark, resolves: [] };
  return { state: "failed", supersededBy: null, needsMark, resolves: [] };
}
