import type { PosClient, TableConnection } from "../clients/pos-client.ts";
import type { MetricsProbe, ServerMetrics } from "./server-control.ts";
import { round, type LatencySummary } from "./stats.ts";
import { benchSettings, sleep, tableId } from "./settings.ts";
import { pingRoundTrips } from "./ws-ping.ts";

export interface RoomMemoryResult {
  readonly when: string;
  readonly rooms: number;
  readonly tables: string;
  readonly roomsBefore: number;
  readonly roomsAfter: number;
  readonly rssBeforeBytes: number;
  readonly rssAfterBytes: number;
  readonly rssPerRoomKiB: number;
  readonly heapUsedPerRoomKiB: number;
  /** Colyseus ping/pong on one open room: WebSocket + room dispatch, no storage. */
  readonly wsPing: LatencySummary;
}

/**
 * Server RSS before and after opening `rooms` more table rooms (join + session.open, one
 * connection each, kept joined while measuring). RSS also moves with GC and with heap the
 * process already grew earlier, so treat it as an estimate. The sessions are closed afterwards
 * (they are empty, so staff may), which leaves the tables free for reuse.
 */
export async function measureRoomMemory(when: string, staff: PosClient, probe: MetricsProbe, firstTable: number, rooms = benchSettings.roomMemoryRooms): Promise<RoomMemoryResult> {
  const before = await settledMetrics(probe, await steadyRoomCount(probe));
  const tableIds = Array.from({ length: rooms }, (_, i) => tableId(firstTable + i));
  const joined: TableConnection[] = [];
  try {
    for (const id of tableIds) {
      const table = await staff.joinTable(id);
      joined.push(table);
      const reply = await table.command("session.open", { guests: 2 });
      if (!reply.ok) throw new Error(`session.open on ${id} failed: ${reply.error.code}`);
    }
    const after = await settledMetrics(probe, before.rooms + rooms);
    const wsPing = await pingRoundTrips(joined[0]!.room, benchSettings.pingCount);
    return {
      when,
      rooms,
      tables: `${tableIds[0]}..${tableIds[tableIds.length - 1]}`,
      roomsBefore: before.rooms,
      roomsAfter: after.rooms,
      rssBeforeBytes: before.rssBytes,
      rssAfterBytes: after.rssBytes,
      rssPerRoomKiB: round((after.rssBytes - before.rssBytes) / rooms / 1024, 1),
      heapUsedPerRoomKiB: round((after.heapUsedBytes - before.heapUsedBytes) / rooms / 1024, 1),
      wsPing,
    };
  } finally {
    await Promise.all(joined.map((t) => closeAndLeave(t)));
  }
}

async function closeAndLeave(table: TableConnection): Promise<void> {
  const reply = await table.command("session.close", {});
  await table.leave();
  // Only a table whose session is closed can be opened again by the next step.
  if (!reply.ok && reply.error.code !== "SESSION_CLOSED" && reply.error.code !== "NO_SESSION") {
    throw new Error(`session.close on ${table.state.tableId} failed: ${reply.error.code}`);
  }
}

/** The room count once it stops changing (rooms of the previous step dispose asynchronously). */
async function steadyRoomCount(probe: MetricsProbe): Promise<number> {
  const deadline = performance.now() + benchSettings.roomsSettleTimeoutMs;
  let last = (await probe.read()).rooms;
  let same = 0;
  while (same < 3 && performance.now() < deadline) {
    await sleep(200);
    const now = (await probe.read()).rooms;
    same = now === last ? same + 1 : 0;
    last = now;
  }
  return last;
}

/** Waits until the server lists `rooms` rooms (disposal is asynchronous), then a moment more. */
async function settledMetrics(probe: MetricsProbe, rooms: number): Promise<ServerMetrics> {
  const deadline = performance.now() + benchSettings.roomsSettleTimeoutMs;
  let metrics = await probe.read();
  while (metrics.rooms !== rooms) {
    if (performance.now() > deadline) throw new Error(`server lists ${metrics.rooms} rooms, expected ${rooms}`);
    await sleep(100);
    metrics = await probe.read();
  }
  await sleep(1_000);
  return probe.read();
}
