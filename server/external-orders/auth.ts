import { createHash, timingSafeEqual } from "node:crypto";
import type { IntegrationConfig } from "../config/integrations.ts";
import { AttemptGate, type Admission } from "../attempt-gate.ts";

export const integrationAuthLimits = {
  /** Wrong or missing keys from one address within a minute before it is locked out for a minute. */
  failuresPerAddressPerMinute: 10,
  lockoutMs: 60_000,
  failureWindowMs: 60_000,
  /** Addresses tracked at once; when full, untracked ones are refused (attempt-gate.ts fails closed). */
  addressesTrackedMax: 10_000,
  waitingPerAddressMax: 64,
  apiKeyLengthMax: 256,
} as const;

export type AuthResult =
  | { readonly ok: true; readonly integration: IntegrationConfig }
  | { readonly ok: false; readonly status: 401 | 429 | 503; readonly code: "UNAUTHORIZED" | "RATE_LIMITED" | "BUSY"; readonly message: string; readonly retryAfterMs?: number };

/**
 * `Authorization: Bearer <api key>` → the integration whose key it is. The key's SHA-256 is
 * compared with every integration's in constant time, all of them every time, so the answer time
 * tells nothing about which key came close. Failures are limited per client address (like logins).
 */
export class IntegrationAuth {
  readonly #keys: readonly { readonly hash: Buffer; readonly integration: IntegrationConfig }[];
  readonly #gate = new AttemptGate({
    failuresBeforeLockout: integrationAuthLimits.failuresPerAddressPerMinute,
    lockoutMs: integrationAuthLimits.lockoutMs,
    failureWindowMs: integrationAuthLimits.failureWindowMs,
    maxKeys: integrationAuthLimits.addressesTrackedMax,
    maxWaitingPerKey: integrationAuthLimits.waitingPerAddressMax,
  });

  constructor(integrations: readonly IntegrationConfig[]) {
    this.#keys = integrations.map((integration) => ({ hash: Buffer.from(integration.apiKeySha256, "hex"), integration }));
  }

  async authenticate(authorization: string | undefined, address: string, nowMs: () => number): Promise<AuthResult> {
    const turn: Admission = await this.#gate.enter(address, nowMs());
    if (!turn.ok) {
      if (turn.code === "LOCKED") return { ok: false, status: 429, code: "RATE_LIMITED", message: "too many failed API keys from this address; try again later", retryAfterMs: turn.retryAfterMs };
      return { ok: false, status: 503, code: "BUSY", message: "too many clients right now; try again shortly", retryAfterMs: turn.retryAfterMs };
    }
    const integration = this.#match(authorization);
    // A good key frees the turn but does not wipe the address's failures (login.ts does the same).
    turn.finish(integration ? "unchecked" : "failure", nowMs());
    if (!integration) return { ok: false, status: 401, code: "UNAUTHORIZED", message: "missing or unknown API key (Authorization: Bearer <key>)" };
    return { ok: true, integration };
  }

  #match(authorization: string | undefined): IntegrationConfig | undefined {
    const header = authorization ?? "";
    const key = header.startsWith("Bearer ") ? header.slice(7) : "";
    if (key === "" || key.length > integrationAuthLimits.apiKeyLengthMax) return undefined;
    const digest = createHash("sha256").update(key, "utf8").digest();
    let found: IntegrationConfig | undefined;
    for (const entry of this.#keys) {
      // No early exit: every key is compared (config validation makes keys unique).
      if (timingSafeEqual(digest, entry.hash) && found === undefined) found = entry.integration;
    }
    return found;
  }
}
