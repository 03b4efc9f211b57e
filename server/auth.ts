import { SignJWT, jwtVerify, errors as joseErrors } from "jose";
import { randomBytes } from "node:crypto";
import { existsSync, linkSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

import type { Principal, Role, VerifyResult } from "../rooms/context.ts";
export type { Principal, Role, VerifyResult };

const issuer = "table-session-server";
const roles: ReadonlySet<string> = new Set(["staff", "admin", "kitchen", "customer"]);

/** Signed, expiring tokens (HS256 via jose: a maintained JOSE implementation, not hand-rolled crypto). */
export class TokenService {
  readonly #key: Uint8Array;
  constructor(secret: Uint8Array, readonly ttlSeconds: number) {
    if (secret.length < 32) throw new Error("auth secret must be at least 32 bytes");
    this.#key = secret;
  }

  /** `ttlSeconds` overrides the service's default (customer tokens are short-lived). */
  async issue(principal: Principal, nowMs: number, ttlSeconds = this.ttlSeconds): Promise<{ token: string; expiresAt: string }> {
    const iat = Math.floor(nowMs / 1000);
    const exp = iat + ttlSeconds;
    const bound = principal.role === "customer" ? { table: principal.tableId, session: principal.sessionId } : {};
    const token = await new SignJWT({ store: principal.storeId, role: principal.role, name: principal.name, ...bound })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(principal.staffId)
      .setIssuer(issuer)
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .sign(this.#key);
    return { token, expiresAt: new Date(exp * 1000).toISOString() };
  }

  async verify(token: unknown, nowMs: number): Promise<VerifyResult> {
    if (typeof token !== "string" || token.length === 0 || token.length > 4096) return { ok: false, code: "UNAUTHORIZED", message: "missing token" };
    try {
      // `exp` is required: a signed token without one would otherwise never expire.
      const { payload } = await jwtVerify(token, this.#key, { issuer, algorithms: ["HS256"], requiredClaims: ["exp", "sub"], currentDate: new Date(nowMs) });
      const { sub, store, role, name, table, session } = payload;
      if (typeof sub !== "string" || typeof store !== "string" || typeof role !== "string" || !roles.has(role) || typeof name !== "string") {
        return { ok: false, code: "UNAUTHORIZED", message: "malformed token" };
      }
      // A customer token without its table and session would reach any table: refused.
      if (role === "customer" && (typeof table !== "string" || typeof session !== "string")) return { ok: false, code: "UNAUTHORIZED", message: "malformed token" };
      const bound = role === "customer" ? { tableId: table as string, sessionId: session as string } : {};
      return { ok: true, principal: { staffId: sub, storeId: store, role: role as Role, name, ...bound } };
    } catch (error) {
      const expired = error instanceof joseErrors.JWTExpired;
      return { ok: false, code: "UNAUTHORIZED", message: expired ? "token expired" : "invalid token" };
    }
  }
}

/** AUTH_SECRET wins; otherwise a random secret kept in the data directory so restarts keep tokens valid. */
export function loadAuthSecret(dataDir: string, envSecret: string | undefined): Uint8Array {
  if (envSecret) return new TextEncoder().encode(envSecret);
  const file = join(dataDir, "auth-secret");
  if (!existsSync(file)) {
    // Processes starting together must agree on one secret: each writes a complete candidate to a
    // file of its own, then link() publishes it atomically, and only the first link succeeds.
    const candidate = `${file}.${process.pid}.${randomBytes(6).toString("hex")}`;
    writeFileSync(candidate, randomBytes(32).toString("hex"), { mode: 0o600 });
    try {
      linkSync(candidate, file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    } finally {
      rmSync(candidate, { force: true });
    }
  }
  const secret = Buffer.from(readFileSync(file, "utf8").trim(), "hex");
  if (secret.length < 32) throw new Error(`${file} does not hold a 32-byte hex secret; delete it to make a new one (every token is then invalid)`);
  return secret;
}
