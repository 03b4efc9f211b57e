/**
 * Every knob of the dinner-rush simulator (`npm run rush`, issue 15), named once. Environment
 * overrides are for quick runs; `--short` or RUSH_SHORT=1 is the CI check that it works.
 */

function numberFromEnv(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === "") return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > max) throw new Error(`${name} must be a number in [${min}, ${max}], got ${raw}`);
  return value;
}

export const isShortRun = process.argv.includes("--short") || process.env.RUSH_SHORT === "1";

/** One restaurant: what a real one has (issue 15), the same for every store of a step. */
export interface StoreShape {
  readonly tables: number;
  readonly posTerminals: number;
  /** Tables with phones ordering by QR, and phones per such table. */
  readonly qrTables: number;
  readonly phonesPerQrTable: number;
  readonly kitchenDisplays: number;
  /** 2: kitchen and bar; 3: + grill (backs up kitchen); 4: + dessert (backs up bar). */
  readonly printers: 2 | 3 | 4;
}

export interface RushSettings {
  readonly short: boolean;
  /** Steps of N stores: 1, 2, 4, … up to maxStores (one fresh server per step). */
  readonly maxStores: number;
  readonly store: StoreShape;
  /** Arrivals (orders) per second per store: base at the edges of the step, peak in its middle. */
  readonly baseRatePerStore: number;
  readonly peakRatePerStore: number;
  readonly stepMs: number;
  /** Share of orders placed by a phone (when its table's phones are under the room's QR limits). */
  readonly qrShare: number;
  /** After the last arrival: wait at most this long for replies, KDS tickets and slips. */
  readonly drainMs: number;
  /** Print time of one slip on an emulated printer, uniform in [min, max]. */
  readonly printMsMin: number;
  readonly printMsMax: number;
  /** Per printer and second: the chance a fault starts (paper out or refused connections). */
  readonly faultChancePerSecond: number;
  readonly faultMsMin: number;
  readonly faultMsMax: number;
  /** RNG seed (arrivals, tables, print times, faults) so two runs schedule the same rush. */
  readonly seed: number;
  readonly goal: { readonly confirmP99MsMax: number; readonly paperP99MsMax: number };
}

const fullStoreShape: StoreShape = { tables: 30, posTerminals: 3, qrTables: 10, phonesPerQrTable: 2, kitchenDisplays: 2, printers: 4 };

export function rushSettings(): RushSettings {
  const short = isShortRun;
  return {
    short,
    maxStores: short ? 1 : numberFromEnv("RUSH_MAX_STORES", 64, 1, 1024),
    store: short ? { ...fullStoreShape, qrTables: 4, phonesPerQrTable: 1, kitchenDisplays: 1, printers: 3 } : fullStoreShape,
    baseRatePerStore: short ? 2 : numberFromEnv("RUSH_BASE_RATE", 0.3, 0.01, 1000),
    peakRatePerStore: short ? 4 : numberFromEnv("RUSH_PEAK_RATE", 2, 0.01, 1000),
    stepMs: short ? 4_000 : numberFromEnv("RUSH_STEP_SECONDS", 40, 1, 3600) * 1000,
    qrShare: short ? 0.5 : numberFromEnv("RUSH_QR_SHARE", 0.3, 0, 1),
    drainMs: short ? 8_000 : numberFromEnv("RUSH_DRAIN_SECONDS", 15, 0, 600) * 1000,
    printMsMin: 100,
    printMsMax: 300,
    faultChancePerSecond: short ? 0 : numberFromEnv("RUSH_FAULT_CHANCE", 0.005, 0, 1),
    faultMsMin: 1_000,
    faultMsMax: 4_000,
    seed: numberFromEnv("RUSH_SEED", 15, 0, 2 ** 31),
    goal: { confirmP99MsMax: 50, paperP99MsMax: 2_000 },
  };
}

/** Bounds the simulator keeps (house style: a limit on everything). */
export const rushLimits = {
  commandTimeoutMs: 10_000,
  joinTimeoutMs: 15_000,
  /** Joins under way at once while a step sets up (a dining room filling up, not one instant). */
  joinConcurrency: 16,
  samplesMax: 2_000_000,
  /** How often the emulators' slips are read (the time that counts is the slip's own receivedAt). */
  slipPollMs: 20,
  /** The room's QR limits (rooms/table/customer-limits.ts): a phone 3, a table 10 confirms a minute. */
  phoneConfirmsPerMinute: 3,
  tableQrConfirmsPerMinute: 10,
  /** A KDS the server closes joins again at once, at most this many times. */
  kdsRejoinsMax: 20,
  progressEveryMs: 5_000,
  /** A phone's cart.add lines go at the arrival, its cart.confirm this much later (the guest checks the cart). */
  phoneThinkMs: 1_000,
} as const;

/** Stations beyond the demo's kitchen and bar, one per extra printer, each with one dish. */
export const extraStations = [
  { station: { id: "grill", name: "구이" }, item: { id: "samgyeopsal", name: "삼겹살", price: 16000, stationId: "grill", category: "구이" }, chance: 0.5 },
  { station: { id: "dessert", name: "후식" }, item: { id: "bingsu", name: "빙수", price: 9000, stationId: "dessert", category: "후식" }, chance: 0.3 },
] as const;

export interface OrderLine {
  readonly menuId: string;
  readonly quantity: number;
  readonly optionIds?: readonly string[];
}

/** One order: always a bar and a kitchen line; a grill or dessert line sometimes, when the store has those printers. */
export function orderLines(printers: number, random: () => number): { lines: OrderLine[]; stations: string[] } {
  const lines: OrderLine[] = [{ menuId: "soju", quantity: 1 }, { menuId: "kimchi-jjigae", quantity: 2, optionIds: ["hot"] }];
  const stations = ["bar", "kitchen"];
  extraStations.slice(0, printers - 2).forEach((extra) => {
    if (random() >= extra.chance) return;
    lines.push({ menuId: extra.item.id, quantity: 1 });
    stations.push(extra.station.id);
  });
  return { lines, stations };
}

/** Stores are clones of the demo store; their staff and PINs are the demo's. */
export const rushStaff = { admin: { id: "a1", pin: "9999" }, kitchen: { id: "k1", pin: "5555" } } as const;

export function storeId(index: number): string {
  return `rush${index + 1}`;
}

/** mulberry32: small, seedable, good enough for schedules. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
