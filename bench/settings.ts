import { roomLimits } from "../rooms/limits.ts";

/** Reads a positive number of seconds from the environment (for quick local runs), else the default. */
function secondsFromEnv(name: string, fallbackMs: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === "") return fallbackMs;
  const seconds = Number(raw);
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 600) throw new Error(`${name} must be seconds in (0, 600], got ${raw}`);
  return Math.round(seconds * 1000);
}

/** Every knob and bound of the benchmark, named once (house style: a limit on everything). */
export const benchSettings = {
  /** Concurrent POS clients per level; each gets its own table. */
  levels: [1, 16, 64] as const,
  warmUpMs: secondsFromEnv("BENCH_WARMUP_SECONDS", 1_000),
  measureMs: secondsFromEnv("BENCH_LEVEL_SECONDS", 8_000),
  /** One raw slice; a slice runs before the first level and after each level (4 in all). */
  rawSliceMs: secondsFromEnv("BENCH_RAW_SLICE_SECONDS", 2_000),
  /** Raw slices around a level that differ more than this are flagged: the disk drifted. */
  rawDriftWarnRatio: 1.5,
  /** T1..T130: 1 + 16 + 64 level tables, then the room-memory tables. */
  tableCount: 130,
  roomMemoryRooms: 50,
  /**
   * A table's session is closed and reopened
   * after this many confirms: the domain caps a session at 2,000 items, and a session's per-confirm
   * cost grows with its item count, so an endless session would measure an ever-bigger table.
   * 100 confirms = 200 items, already a very large table.
   */
  confirmsPerSession: 100,
  /** Stay under the room's flood guard (it drops a client past messagesPerSecondMax). */
  clientMessagesPerSecondMax: Math.floor(roomLimits.messagesPerSecondMax * 0.9),
  commandTimeoutMs: 10_000,
  /** A client that gets this many refused confirms in a row stops (a broken run, not load). */
  consecutiveErrorsMax: 20,
  latencySamplesMax: 5_000_000,
  pingCount: 200,
  /** After a level the server keeps printing its slips; the next step waits for that, at most this long. */
  printDrainTimeoutMs: 30_000,
  printDrainPollMs: 250,
  roomsSettleTimeoutMs: 10_000,
  goal: { clients: 64, ratioMin: 1.0, p99MsMax: 50 },
} as const;

/**
 * The confirm clients log in as the admin a1, not the staff s1: sessions must be rotated (see
 * confirmsPerSession) and only an admin may close a session over confirmed items. The confirm
 * path is the same for both roles; the audit row says actor_role "admin" instead of "staff".
 */
export const benchStore = {
  storeId: "demo",
  staff: { id: "s1", pin: "1111" },
  admin: { id: "a1", pin: "9999" },
  terminal: { id: "a1", pin: "9999" },
} as const;

/** One confirm: two lines on two stations (bar + kitchen), so two kitchen tickets. */
export const confirmLines = [
  { menuId: "soju", quantity: 1 },
  { menuId: "kimchi-jjigae", quantity: 2, optionIds: ["hot"] },
] as const;

export function tableId(n: number): string {
  return `T${n}`;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
