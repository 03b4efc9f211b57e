import { qrLimits } from "./limits.ts";

/** How QR access behaves, from the environment (README "Environment"). */
export interface QrSettings {
  /**
   * QR_OPENS_SESSION: a scan at a table with no live session opens one (as the system, 0 guests)
   * when true; when false (the default) the exchange answers 409 NO_SESSION until staff seat the
   * table. One policy for every store until the store config carries it.
   */
  readonly opensSession: boolean;
  /** CUSTOMER_TOKEN_TTL_SECONDS: lifetime of a customer token (default 3 h, at most 24 h). */
  readonly customerTokenTtlSeconds: number;
  /**
   * PUBLIC_URL: the origin (and optional path prefix) the printed links start with, e.g.
   * `https://order.example.com`. Unset: the origin the admin's request came in on, which is
   * wrong behind a proxy that rewrites Host, so set it in production.
   */
  readonly publicUrl: string | undefined;
}

/** A bad value stops the start with the variable's name (like main.ts's settings). */
export class QrSettingError extends Error {
  override readonly name = "QrSettingError";
}

export function qrSettingsFrom(env: NodeJS.ProcessEnv): QrSettings {
  return {
    opensSession: flagFrom(env, "QR_OPENS_SESSION"),
    customerTokenTtlSeconds: ttlFrom(env, "CUSTOMER_TOKEN_TTL_SECONDS"),
    publicUrl: publicUrlFrom(env, "PUBLIC_URL"),
  };
}

function flagFrom(env: NodeJS.ProcessEnv, name: string): boolean {
  const raw = (env[name] ?? "").trim().toLowerCase();
  if (raw === "" || raw === "0" || raw === "false") return false;
  if (raw === "1" || raw === "true") return true;
  throw new QrSettingError(`${name} must be 1/true or 0/false, got ${JSON.stringify(env[name])}`);
}

function ttlFrom(env: NodeJS.ProcessEnv, name: string): number {
  const raw = (env[name] ?? "").trim();
  if (raw === "") return qrLimits.customerTokenTtlSecondsDefault;
  const seconds = Number(raw);
  if (!/^[0-9]+$/.test(raw) || seconds < 1 || seconds > qrLimits.customerTokenTtlSecondsMax) {
    throw new QrSettingError(`${name} must be whole seconds from 1 to ${qrLimits.customerTokenTtlSecondsMax}, got ${JSON.stringify(env[name])}`);
  }
  return seconds;
}

function publicUrlFrom(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const raw = (env[name] ?? "").trim();
  if (raw === "") return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new QrSettingError(`${name} must be an absolute http(s) URL like https://order.example.com, got ${JSON.stringify(raw)}`);
  }
  if ((url.protocol !== "https:" && url.protocol !== "http:") || url.search !== "" || url.hash !== "" || url.username !== "" || url.password !== "") {
    throw new QrSettingError(`${name} must be an http(s) origin with an optional path, without query, fragment or credentials, got ${JSON.stringify(raw)}`);
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
}
