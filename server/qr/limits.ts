import type { AttemptLimits } from "../attempt-gate.ts";

/** Every bound of QR access, named once (house style: a limit on everything). */
export const qrLimits = {
  /** A table token is `t1.<store ≤32>.<table ≤32>.<version ≤9 digits>.<43-char MAC>`: well under this. */
  tableTokenCharsMax: 160,
  /** Customer tokens are short-lived (CUSTOMER_TOKEN_TTL_SECONDS): the default and the most it may be set to. */
  customerTokenTtlSecondsDefault: 3 * 3600,
  customerTokenTtlSecondsMax: 24 * 3600,
  /** PNG edge in pixels; the SVG scales by itself. */
  pngWidthPx: 512,
  /** Quiet zone around the code in modules: the QR standard asks for 4. */
  marginModules: 4,
  /** QR codes the sheet renders before it yields to the event loop (each costs ~1 ms of CPU). */
  sheetCodesPerTurn: 10,
  /** A rotation's optional reason, as stored in the audit row. */
  reasonCharsMax: 200,
} as const;

/**
 * The exchange's admission per client address (AttemptGate, as logins use it). A failure is a
 * refused table token (or a malformed body); at `failuresBeforeLockout` the address is refused
 * everything, valid tokens too, for `lockoutMs`. A success does not wipe the count (it ends
 * `unchecked`), so one real code cannot launder guesses; failures are forgotten after a quiet
 * `failureWindowMs`. Generous because a whole dining room shares one address behind the
 * store's Wi-Fi, and a forged token costs one HMAC: the point is a bound, not secrecy (a
 * 256-bit MAC is not guessed).
 */
export const qrExchangeLimits: AttemptLimits = {
  failuresBeforeLockout: 20,
  lockoutMs: 60_000,
  failureWindowMs: 5 * 60_000,
  maxKeys: 10_000,
  maxWaitingPerKey: 50,
};
