import { z } from "zod";

/**
 * Ordering apps that send orders over HTTP (POST /api/orders/external, R-TLL-1). Each has its own
 * API key, of which the file holds only the SHA-256: a leaked config file leaks no key.
 *
 * Not imported from schema.ts on purpose: schema.ts imports this module, and a value read from it
 * here at load time would meet the cycle before schema.ts has run.
 */
export const integrationLimits = {
  integrationsMax: 100,
  tableMapEntriesMax: 1_000,
  nameLengthMax: 40,
} as const;

// Same rule as schema.ts ids: they end up in principals ("app:<id>") and audit rows.
const id = z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, "must be 1 to 32 of A-Z a-z 0-9 _ -");

const name = z
  .string()
  .max(integrationLimits.nameLengthMax, `must be at most ${integrationLimits.nameLengthMax} characters`)
  .refine((s) => s.trim() !== "", "must not be empty or blank");

/** The app's own name for a table (a QR sticker, a delivery slot). Starts alphanumeric, so never `__proto__`. */
export const externalTableKey = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/, "must be 1 to 64 of A-Z a-z 0-9 _ . : -, starting with a letter or digit");

const integrationSchema = z.strictObject({
  id,
  storeId: id,
  name,
  /** Hex SHA-256 of the API key (e.g. `printf %s "$KEY" | sha256sum`); the key itself never goes in the file. */
  apiKeySha256: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, "must be the SHA-256 of the API key as 64 hex digits (never the key itself)")
    .transform((hex) => hex.toLowerCase()),
  tableMap: z
    .unknown()
    // zod's record drops a "__proto__" key without a word; a mapping must never vanish silently.
    .refine((map) => typeof map !== "object" || map === null || !Object.hasOwn(map, "__proto__"), '"__proto__" is not a table key')
    .pipe(z.record(externalTableKey, id))
    .refine((map) => Object.keys(map).length <= integrationLimits.tableMapEntriesMax, `at most ${integrationLimits.tableMapEntriesMax} entries`)
    .optional(),
});

/** The config file's top-level `integrations` field: none by default. */
export const integrationsSchema = z.array(integrationSchema).max(integrationLimits.integrationsMax).default(() => []);

export type RawIntegration = z.output<typeof integrationSchema>;

/** An integration as the server uses it. */
export interface IntegrationConfig {
  readonly id: string;
  readonly storeId: string;
  readonly name: string;
  /** Lowercase hex. */
  readonly apiKeySha256: string;
  /** External key → table id (a Map, so no key can reach an Object prototype property). */
  readonly tableMap: ReadonlyMap<string, string>;
}

type Fail = (path: PropertyKey[], message: string) => void;

/**
 * Rules that need the whole file: unique ids and keys, a store that exists, mapped tables that
 * exist in that store. Called from the config's top-level refinement.
 */
export function checkIntegrations(
  stores: readonly { readonly id: string; readonly tables: readonly { readonly id: string }[] }[],
  integrations: readonly RawIntegration[],
  fail: Fail,
): void {
  const ids = new Map<string, number>();
  const keys = new Map<string, number>();
  integrations.forEach((integration, i) => {
    const firstId = ids.get(integration.id);
    if (firstId === undefined) ids.set(integration.id, i);
    else fail(["integrations", i, "id"], `duplicate integration id "${integration.id}" (first at integrations[${firstId}].id)`);
    // One key must name one integration, or the key alone could not say whose order it is.
    const firstKey = keys.get(integration.apiKeySha256);
    if (firstKey === undefined) keys.set(integration.apiKeySha256, i);
    else fail(["integrations", i, "apiKeySha256"], `same API key as integrations[${firstKey}]; every integration needs its own`);
    const store = stores.find((s) => s.id === integration.storeId);
    if (!store) {
      fail(["integrations", i, "storeId"], `unknown store "${integration.storeId}"; stores are ${stores.map((s) => s.id).join(", ")}`);
      return;
    }
    const tableIds = new Set(store.tables.map((t) => t.id));
    for (const [key, tableId] of Object.entries(integration.tableMap ?? {})) {
      if (!tableIds.has(tableId)) fail(["integrations", i, "tableMap", key], `unknown table "${tableId}" in store "${store.id}"`);
    }
  });
}

/** Copies one validated integration into its server form. */
export function buildIntegration(raw: RawIntegration): IntegrationConfig {
  return {
    id: raw.id,
    storeId: raw.storeId,
    name: raw.name,
    apiKeySha256: raw.apiKeySha256,
    tableMap: new Map(Object.entries(raw.tableMap ?? {})),
  };
}
