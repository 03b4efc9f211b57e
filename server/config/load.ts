import { readFileSync, statSync } from "node:fs";
import { resolve } from "node:path";
import type { z } from "zod";
import { buildMenu, type MenuItem, type Station } from "../../domain/menu.ts";
import { won } from "../../domain/money.ts";
import { demoRawConfig } from "./demo.ts";
import { buildIntegration } from "./integrations.ts";
import { hashPin } from "./pin.ts";
import {
  configLimits,
  formatPath,
  rawConfigSchema,
  sessionDefaults,
  type AppConfig,
  type RawConfig,
  type StoreConfig,
} from "./schema.ts";

export const demoSource = "built-in demo restaurant";

export interface LoadedConfig {
  readonly config: AppConfig;
  /** The resolved file path, or "built-in demo restaurant"; for the startup log. */
  readonly source: string;
}

/** One problem, with the field path as a person would search the file for it. */
export interface ConfigIssue {
  readonly path: string;
  readonly message: string;
}

/** A config the server must refuse to start with. `message` names the source and each field. */
export class ConfigError extends Error {
  override name = "ConfigError";
  constructor(
    readonly source: string,
    readonly issues: readonly ConfigIssue[],
  ) {
    super(formatConfigIssues(source, issues));
  }
}

/** `config <source>: <path>: <message>`, one line per issue, at most issuesShownMax lines. */
export function formatConfigIssues(source: string, issues: readonly ConfigIssue[]): string {
  const shown = issues.slice(0, configLimits.issuesShownMax);
  const lines = shown.map((i) => `config ${source}: ${i.path}: ${i.message}`);
  const hidden = issues.length - shown.length;
  if (hidden > 0) lines.push(`config ${source}: … and ${hidden} more problems`);
  return lines.join("\n");
}

/**
 * Reads `env.CONFIG_FILE` (a JSON file) or, when unset, the built-in demo restaurant.
 * Throws ConfigError on any problem: a server with half a menu must not start.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): LoadedConfig {
  const file = env.CONFIG_FILE;
  if (file === undefined) return { config: parseConfig(demoRawConfig, demoSource), source: demoSource };
  // An empty value is a broken deployment, not a request for the demo (whose admin PIN is public).
  if (file.trim() === "") throw new ConfigError("CONFIG_FILE", [{ path: "(env)", message: "is set but empty" }]);
  const source = resolve(file);
  return { config: parseConfig(readJson(source), source), source };
}

/** Validates an already-parsed JSON value and builds the AppConfig (PINs hashed, money as Won). */
export function parseConfig(raw: unknown, source: string): AppConfig {
  // reportInput lets us tell "missing" from "wrong type"; inputs are never printed (they may be PINs).
  const result = rawConfigSchema.safeParse(raw, { reportInput: true });
  if (!result.success) throw new ConfigError(source, result.error.issues.flatMap(toConfigIssues));
  return buildAppConfig(result.data);
}

function readJson(source: string): unknown {
  let text: string;
  try {
    const size = statSync(source).size;
    if (size > configLimits.fileBytesMax) {
      throw new Error(`file is ${size} bytes, more than the ${configLimits.fileBytesMax} allowed`);
    }
    text = readFileSync(source, "utf8");
  } catch (error) {
    throw new ConfigError(source, [{ path: "(file)", message: `cannot read: ${describe(error)}` }]);
  }
  try {
    // Windows editors often save UTF-8 with a BOM, which JSON.parse rejects.
    return JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (error) {
    throw new ConfigError(source, [{ path: "(file)", message: `not valid JSON: ${describe(error)}` }]);
  }
}

function toConfigIssues(issue: z.core.$ZodIssue): ConfigIssue[] {
  if (issue.code === "unrecognized_keys") {
    // Point at the misspelt field itself, e.g. menu[2].soldout, not at its parent object.
    return issue.keys.map((key) => ({ path: formatPath([...issue.path, key]), message: "unknown field" }));
  }
  const path = formatPath(issue.path);
  if (issue.code === "invalid_type" && issue.input === undefined) {
    return [{ path, message: `is required (expected ${issue.expected})` }];
  }
  return [{ path, message: issue.message }];
}

function buildAppConfig(raw: RawConfig): AppConfig {
  return { stores: raw.stores.map(buildStore), kitchen: { ...raw.kitchen }, printing: { ...raw.printing }, integrations: raw.integrations.map(buildIntegration) };
}

// Fields are copied one by one so nothing unvalidated, and no plain PIN, reaches the output.
function buildStore(raw: RawConfig["stores"][number]): StoreConfig {
  const stations: Station[] = raw.stations.map((s) => ({ id: s.id, name: s.name }));
  const menuItems: MenuItem[] = raw.menu.map((item) => ({
    id: item.id,
    name: item.name,
    price: won(item.price),
    stationId: item.stationId,
    soldOut: item.soldOut,
    optionGroups: item.optionGroups.map((g) => ({
      id: g.id,
      name: g.name,
      minSelect: g.minSelect,
      maxSelect: g.maxSelect,
      choices: g.choices.map((c) => ({ id: c.id, name: c.name, priceDelta: won(c.priceDelta) })),
    })),
    ...(item.category === undefined ? {} : { category: item.category }),
  }));
  return {
    id: raw.id,
    name: raw.name,
    tables: raw.tables.map((t) => ({ id: t.id, name: t.name })),
    stations,
    menu: buildMenu(menuItems, stations),
    menuItems,
    staff: raw.staff.map((s) => ({ id: s.id, name: s.name, role: s.role, pinHash: hashPin(s.pin) })),
    printers: raw.printers.map((p) => ({ ...p, stationIds: [...p.stationIds] })),
    business: { ...raw.business },
    orders: { ...raw.orders },
    sessions: { idleTimeoutSeconds: raw.sessions.idleTimeoutSeconds ?? (raw.sessions.idleTimeoutMinutes ?? sessionDefaults.idleTimeoutMinutes) * 60 },
    locks: { ...raw.locks },
    money: { ...raw.money, adjustmentReasons: raw.money.adjustmentReasons.map((r) => ({ ...r })) },
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
