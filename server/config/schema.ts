import { z } from "zod";
import type { Menu, MenuItem, Station } from "../../domain/menu.ts";
import { moneyLimits, orderLimits } from "../../domain/limits.ts";
import { unitPriceRange } from "../../domain/pricing.ts";
import { pinPattern } from "./pin.ts";
import { businessSchema, moneySchema, type BusinessInfo, type StoreMoneyConfig } from "./money.ts";
import { checkPrinters, printerSchema, printingSchema, type PrinterConfig, type PrintingConfig } from "./printers.ts";
import { checkIntegrations, integrationsSchema, type IntegrationConfig } from "./integrations.ts";

/** Every bound on a config file, named once (house style: a limit on everything). */
export const configLimits = {
  fileBytesMax: 4 * 1024 * 1024,
  storesMax: 100,
  tablesPerStoreMax: 500,
  stationsPerStoreMax: 20,
  menuItemsPerStoreMax: 1_000,
  optionGroupsPerItemMax: 10,
  choicesPerGroupMax: 30,
  staffPerStoreMax: 200,
  nameLengthMax: 40,
  minutesMax: 24 * 60,
  issuesShownMax: 20,
} as const;

export const kitchenDefaults = { urgentAfterMinutes: 15, lateServeAfterMinutes: 10 } as const;
/** R-OFF-1: three hours without an event times a session out. */
export const sessionDefaults = { idleTimeoutMinutes: 180 } as const;
/** Edit lock TTLs (R-CON-1): a lock lives at most a business day; a forgotten one frees itself. */
export const lockDefaults = { ttlSeconds: 120, minTtlSeconds: 5, maxTtlSeconds: 1800 } as const;
export const lockLimits = { secondsMax: 24 * 3600 } as const;

export const staffRoles = ["staff", "admin", "kitchen"] as const;
export type StaffRole = (typeof staffRoles)[number];

// Ids end up in Colyseus room filters and URL segments, so no spaces, slashes or dots.
const id = z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, "must be 1 to 32 of A-Z a-z 0-9 _ -");

const name = z
  .string()
  .max(configLimits.nameLengthMax, `must be at most ${configLimits.nameLengthMax} characters`)
  .refine((s) => s.trim() !== "", "must not be empty or blank");

/** Whole won only: a float price is a typo (9000.5) or a unit mix-up, never intended. */
function wonField(min: number, max: number) {
  return z.number().superRefine((n, ctx) => {
    if (!Number.isSafeInteger(n)) fail(ctx, [], `expected an integer number of won, got ${n}`);
    else if (n < min || n > max) fail(ctx, [], `must be between ${min} and ${max} won, got ${n}`);
  });
}

const minutes = z.int().min(1).max(configLimits.minutesMax);

// Money bounds come from the domain (moneyLimits, domain/limits.ts): a unit, options included, is 0..unitPriceMax.
const choiceSchema = z.strictObject({ id, name, priceDelta: wonField(-moneyLimits.unitPriceMax, moneyLimits.unitPriceMax) });

const optionGroupSchema = z
  .strictObject({
    id,
    name,
    minSelect: z.int().min(0),
    maxSelect: z.int().min(0),
    choices: z.array(choiceSchema).min(1).max(configLimits.choicesPerGroupMax),
  })
  .superRefine((g, ctx) => {
    if (g.minSelect > g.maxSelect) fail(ctx, ["minSelect"], `must be <= maxSelect (${g.maxSelect})`);
    if (g.maxSelect > g.choices.length) fail(ctx, ["maxSelect"], `must be <= the number of choices (${g.choices.length})`);
  });

const menuItemSchema = z
  .strictObject({
    id,
    name,
    price: wonField(0, moneyLimits.unitPriceMax),
    stationId: id,
    soldOut: z.boolean().default(false),
    optionGroups: z.array(optionGroupSchema).max(configLimits.optionGroupsPerItemMax).default(() => []),
    /** The heading the QR order page lists it under (none: the page's general "메뉴" heading). */
    category: name.optional(),
  })
  .superRefine((item, ctx) => {
    requireUnique(ctx, "option group id", idsOf(item.optionGroups, "optionGroups"));
    // Orders name chosen options by choice id alone, so ids must be unique across all groups.
    const choices = item.optionGroups.flatMap((g, gi) =>
      g.choices.map((c, ci) => ({ key: c.id, path: ["optionGroups", gi, "choices", ci, "id"] })),
    );
    requireUnique(ctx, "choice id", choices);
    // A line carries at most optionsPerLineMax options; more required ones could never be ordered.
    const required = item.optionGroups.reduce((sum, g) => sum + g.minSelect, 0);
    const max = orderLimits.optionsPerLineMax;
    if (required > max) fail(ctx, ["optionGroups"], `minSelect totals ${required}, but an order line carries at most ${max} options`);
    checkUnitPrice(ctx, item);
  });

/**
 * With the options a line can choose together (within each group's maxSelect, at most
 * optionsPerLineMax), a unit must cost 0..unitPriceMax, so a line (× quantityMax) stays within
 * the domain's totalMax and never goes below zero. The price field alone is checked by wonField.
 */
function checkUnitPrice(ctx: z.RefinementCtx, item: Parameters<typeof unitPriceRange>[0]): void {
  // A price or delta out of its own range is already reported at its own path; say it once.
  if (item.optionGroups.length === 0 || !moneyFieldsOk(item)) return;
  const { unitPriceMax, totalMax } = moneyLimits;
  const { min, max } = unitPriceRange(item);
  if (max > unitPriceMax) {
    fail(ctx, ["optionGroups"], `with its dearest options a unit costs ${max} won, more than the ${unitPriceMax} allowed (× quantity ${orderLimits.quantityMax} must stay within ${totalMax})`);
  }
  if (min < 0) fail(ctx, ["optionGroups"], `with its cheapest options a unit costs ${min} won; a line can never go below 0`);
}

/** The price and every delta are whole won within their own field bounds (wonField). */
function moneyFieldsOk(item: Parameters<typeof unitPriceRange>[0]): boolean {
  const max = moneyLimits.unitPriceMax;
  const ok = (n: number, min: number) => Number.isSafeInteger(n) && n >= min && n <= max;
  return ok(item.price, 0) && item.optionGroups.every((g) => g.choices.every((c) => ok(c.priceDelta, -max)));
}

/** The dearest line an item allows: its dearest unit × quantityMax (plain numbers; 0 if a field is already refused). */
function worstLine(item: Parameters<typeof unitPriceRange>[0]): number {
  return moneyFieldsOk(item) ? unitPriceRange(item).max * orderLimits.quantityMax : 0;
}

const staffSchema = z.strictObject({
  id,
  name,
  role: z.enum(staffRoles),
  pin: z.string().regex(pinPattern, "must be a string of 4 to 8 digits"),
});

const storeSchema = z
  .strictObject({
    id,
    name,
    tables: z.array(z.strictObject({ id, name })).min(1).max(configLimits.tablesPerStoreMax),
    stations: z.array(z.strictObject({ id, name })).min(1).max(configLimits.stationsPerStoreMax),
    menu: z.array(menuItemSchema).min(1).max(configLimits.menuItemsPerStoreMax),
    staff: z.array(staffSchema).min(1).max(configLimits.staffPerStoreMax),
    /** Kitchen printers; none = every station prints on the built-in emulator. */
    printers: z.array(printerSchema).max(configLimits.stationsPerStoreMax * 2).default(() => []),
    business: businessSchema,
    money: moneySchema,
    /** R-TLL-2: QR/app orders are the guest's; staff may change or cancel them only when this is true (an admin always may). */
    orders: z.strictObject({
      staffMayEditRemoteOrders: z.boolean().default(false),
      /** A QR scan at a table with no live session opens one (else the phone waits until staff seat the table). */
      qrOpensSession: z.boolean().default(false),
      /**
       * When a QR guest pays (R-TLL-3): "after" = the cart is sent unpaid and paid with the table;
       * "before" = a phone must pay its cart to send it (prepaid QR, cart.pay); "either" = the guest chooses.
       */
      qrPayment: z.enum(["after", "before", "either"]).default("either"),
    }).prefault({}),
    /**
     * R-OFF-1: a session with no activity for this long moves to `timed_out` (0 = never).
     * `idleTimeoutSeconds` (1 or more) replaces the minutes when given: for tests and demos.
     */
    sessions: z.strictObject({
      idleTimeoutMinutes: z.int().min(0).max(configLimits.minutesMax).optional(),
      idleTimeoutSeconds: z.int().min(1).max(configLimits.minutesMax * 60).optional(),
    }).prefault({}).superRefine((sessions, ctx) => {
      if (sessions.idleTimeoutMinutes !== undefined && sessions.idleTimeoutSeconds !== undefined) fail(ctx, ["idleTimeoutSeconds"], "give idleTimeoutMinutes or idleTimeoutSeconds, not both");
    }),
    /** R-CON-1: the table edit lock's lifetime (seconds): a take without a TTL gets `ttlSeconds`; others must lie in min..max. */
    locks: z.strictObject({
      ttlSeconds: z.int().min(1).max(lockLimits.secondsMax).default(lockDefaults.ttlSeconds),
      minTtlSeconds: z.int().min(1).max(lockLimits.secondsMax).default(lockDefaults.minTtlSeconds),
      maxTtlSeconds: z.int().min(1).max(lockLimits.secondsMax).default(lockDefaults.maxTtlSeconds),
    }).prefault({}).superRefine((l, ctx) => {
      if (l.minTtlSeconds > l.ttlSeconds) fail(ctx, ["minTtlSeconds"], `must be <= ttlSeconds (${l.ttlSeconds})`);
      if (l.ttlSeconds > l.maxTtlSeconds) fail(ctx, ["maxTtlSeconds"], `must be >= ttlSeconds (${l.ttlSeconds})`);
    }),
  })
  .superRefine((store, ctx) => {
    requireUnique(ctx, "table id", idsOf(store.tables, "tables"));
    requireUnique(ctx, "station id", idsOf(store.stations, "stations"));
    requireUnique(ctx, "menu item id", idsOf(store.menu, "menu"));
    requireUnique(ctx, "staff id", idsOf(store.staff, "staff"));
    const stationIds = store.stations.map((s) => s.id);
    store.menu.forEach((item, i) => {
      if (stationIds.includes(item.stationId)) return;
      fail(ctx, ["menu", i, "stationId"], `unknown station "${item.stationId}"; this store has ${stationIds.join(", ")}`);
    });
    checkPrinters(store.printers, stationIds, (path, message) => fail(ctx, path, message));
    requireUnique(ctx, "adjustment reason code", store.money.adjustmentReasons.map((r, i) => ({ key: r.code, path: ["money", "adjustmentReasons", i, "code"] })));
    if (store.money.receiptStationId !== undefined && !stationIds.includes(store.money.receiptStationId)) {
      fail(ctx, ["money", "receiptStationId"], `unknown station "${store.money.receiptStationId}"; this store has ${stationIds.join(", ")}`);
    }
    checkWorstBill(ctx, store.menu);
    // Without an admin nobody could fix the menu or close a day from the POS.
    if (!store.staff.some((s) => s.role === "admin")) fail(ctx, ["staff"], "needs at least one staff member with role admin");
  });

/**
 * The worst bill a store's menu allows (its dearest line × itemsPerSessionMax) must stay a safe
 * integer, so every sum the decider does is exact. Implied by unitPriceMax today (≈ 2×10^13 at
 * most); kept so a change of the limits cannot silently break it.
 */
function checkWorstBill(ctx: z.RefinementCtx, menu: readonly Parameters<typeof unitPriceRange>[0][]): void {
  let worst = 0;
  let at = 0;
  menu.forEach((item, i) => {
    const line = worstLine(item);
    if (line > worst) [worst, at] = [line, i];
  });
  const bill = worst * orderLimits.itemsPerSessionMax;
  if (bill > Number.MAX_SAFE_INTEGER) {
    fail(ctx, ["menu", at], `its dearest line (${worst} won) × ${orderLimits.itemsPerSessionMax} items a session is more than ${Number.MAX_SAFE_INTEGER} won`);
  }
}

/** The JSON file's shape. `.parse` gives plain PINs and numbers; load.ts turns them into AppConfig. */
export const rawConfigSchema = z
  .strictObject({
    stores: z.array(storeSchema).min(1).max(configLimits.storesMax),
    kitchen: z
      .strictObject({
        urgentAfterMinutes: minutes.default(kitchenDefaults.urgentAfterMinutes),
        lateServeAfterMinutes: minutes.default(kitchenDefaults.lateServeAfterMinutes),
      })
      .prefault({}), // prefault, not default: zod 4 would skip the inner defaults for `{}`
    printing: printingSchema,
    /** Ordering apps that send orders over HTTP (integrations.ts). */
    integrations: integrationsSchema,
  })
  .superRefine((config, ctx) => {
    requireUnique(ctx, "store id", idsOf(config.stores, "stores"));
    checkIntegrations(config.stores, config.integrations, (path, message) => fail(ctx, path, message));
  });

/** What a config file may contain (before defaults). */
export type RawConfigInput = z.input<typeof rawConfigSchema>;
/** A validated config file, still with plain PINs: never keep this around. */
export type RawConfig = z.output<typeof rawConfigSchema>;

type Keyed = { readonly key: string; readonly path: PropertyKey[] };

/** `rows[i].id` keyed by its path, for requireUnique. */
function idsOf(rows: readonly { id: string }[], arrayKey: string): Keyed[] {
  return rows.map((row, i) => ({ key: row.id, path: [arrayKey, i, "id"] }));
}

/** Reports every repeat of a key at the repeat's own path, naming where it first appeared. */
function requireUnique(ctx: z.RefinementCtx, what: string, entries: readonly Keyed[]): void {
  const first = new Map<string, Keyed>();
  for (const entry of entries) {
    const seen = first.get(entry.key);
    if (seen === undefined) first.set(entry.key, entry);
    else fail(ctx, entry.path, `duplicate ${what} "${entry.key}" (first at ${formatPath(seen.path)})`);
  }
}

function fail(ctx: z.RefinementCtx, path: PropertyKey[], message: string): void {
  ctx.addIssue({ code: "custom", path, message });
}

/** ["stores", 0, "menu", 3, "price"] -> "stores[0].menu[3].price" (the form a person searches the file for). */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out === "" ? String(part) : `.${String(part)}`;
  }
  return out === "" ? "(top level)" : out;
}

// ---- Output: what the rest of the server uses. Money is Won, PINs are hashed. ----

export interface TableConfig {
  readonly id: string;
  readonly name: string;
}

export interface StaffConfig {
  readonly id: string;
  readonly name: string;
  readonly role: StaffRole;
  /** `scrypt$salt$hash` from pin.ts; check with verifyPin. */
  readonly pinHash: string;
}

export interface StoreConfig {
  readonly id: string;
  readonly name: string;
  readonly tables: readonly TableConfig[];
  readonly stations: readonly Station[];
  readonly menu: Menu;
  /** Same items as `menu.items`, in file order (for listing). */
  readonly menuItems: readonly MenuItem[];
  readonly staff: readonly StaffConfig[];
  readonly printers: readonly PrinterConfig[];
  readonly business: BusinessInfo;
  readonly money: StoreMoneyConfig;
  readonly orders: { readonly staffMayEditRemoteOrders: boolean; readonly qrOpensSession: boolean; readonly qrPayment: QrPayment };
  readonly locks: { readonly ttlSeconds: number; readonly minTtlSeconds: number; readonly maxTtlSeconds: number };
  /** R-OFF-1: idle time after which a session times out, in seconds; 0 = never. */
  readonly sessions: { readonly idleTimeoutSeconds: number };
}

/** When a QR guest pays: with the table afterwards, before the cart is sent (prepaid), or either. */
export type QrPayment = "after" | "before" | "either";

export interface KitchenConfig {
  readonly urgentAfterMinutes: number;
  readonly lateServeAfterMinutes: number;
}

export interface AppConfig {
  readonly stores: readonly StoreConfig[];
  readonly kitchen: KitchenConfig;
  readonly printing: PrintingConfig;
  readonly integrations: readonly IntegrationConfig[];
}

export type { PrinterConfig, PrintingConfig, BusinessInfo, StoreMoneyConfig, IntegrationConfig };
