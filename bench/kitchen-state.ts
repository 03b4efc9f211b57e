import { SchemaSerializer } from "@colyseus/sdk";
import { joinKitchen, type KitchenConnection } from "../clients/kitchen-client.ts";
import { PosClient } from "../clients/pos-client.ts";
import { kitchenLimits } from "../rooms/kitchen/limits.ts";
import type { ServerProcess } from "../test/support/server-process.ts";
import { expectOk, openClient } from "./confirm-load.ts";
import { benchSettings, benchStore, confirmLines, sleep, tableId } from "./settings.ts";

/** The full state a fresh kitchen screen ("all") receives on joining: its ROOM_STATE frame. */
export interface KitchenSnapshot {
  readonly bytes: number;
  readonly openTickets: number;
  readonly bumpedIds: number;
}

/**
 * Issue 15, kitchen room state: what a fresh screen is sent right after the fan-out (its tables
 * were closed, so their tickets left), then on one table: `bumpedKeptMax` tickets confirmed and
 * bumped, then the rest of `bumps` confirmed and bumped, so no ticket is open at either reading
 * (as test/rooms/kitchen-bounded.test.ts does).
 */
export interface KitchenStateResult {
  readonly afterFanOut: KitchenSnapshot;
  readonly table: string;
  readonly keep: number;
  readonly bumps: number;
  readonly beforeBumps: KitchenSnapshot;
  readonly atBound: KitchenSnapshot;
  readonly afterBumps: KitchenSnapshot;
  /** afterBumps.bytes ≤ atBound.bytes + keep and at most `keep` bumped ids synced: old bumped tickets left the state. */
  readonly bounded: boolean;
}

/** The first server, after the fan-out: nothing else runs on it meanwhile. */
export async function measureKitchenState(server: ServerProcess): Promise<KitchenStateResult> {
  const s = benchSettings.issue15.kitchen;
  const keep = kitchenLimits.bumpedKeptMax;
  const kitchenUser = await PosClient.login(server.endpoint, benchStore.storeId, benchStore.kitchen.id, benchStore.kitchen.pin);
  const afterFanOut = await freshJoiner(kitchenUser);
  const terminal = await openClient(server.endpoint, tableId(s.table));
  const screen = await joinKitchen(kitchenUser, "all");
  screen.startHeartbeat();
  try {
    const gapMs = 1_000 / benchSettings.clientMessagesPerSecondMax; // one client, under the flood guard
    const bumped = new Set<string>();
    // Confirm enough for `tickets` new tickets, then bump every one: no open ticket is left to blur the size.
    const confirmThenBump = async (tickets: number) => {
      const known = new Set(screen.state.tickets.keys() as Iterable<string>);
      for (let n = 0; n < Math.ceil(tickets / confirmLines.length); n++) {
        const t0 = performance.now();
        expectOk(await terminal.table.command("confirm", { lines: confirmLines }, undefined, benchSettings.commandTimeoutMs), `confirm on ${terminal.tableId}`);
        await sleep(t0 + gapMs - performance.now());
      }
      await until(() => screen.state.tickets.size >= known.size + tickets, "the confirmed tickets on the screen");
      const fresh = ([...screen.state.tickets.keys()] as string[]).filter((id) => !known.has(id));
      for (const ticketId of fresh) {
        const t0 = performance.now();
        const reply = await screen.command("ticket.bump", { ticketId }, undefined, benchSettings.commandTimeoutMs);
        if (!reply.ok) throw new Error(`bump ${ticketId}: ${reply.error.code} ${reply.error.message}`);
        bumped.add(ticketId);
        await sleep(t0 + gapMs - performance.now());
      }
      await until(() => fresh.every((id) => !screen.state.tickets.has(id)), "the bumps on the screen");
    };
    const beforeBumps = await freshJoiner(kitchenUser);
    await confirmThenBump(keep);
    const atBound = await freshJoiner(kitchenUser);
    await confirmThenBump(Math.max(0, s.bumps - keep));
    const afterBumps = await freshJoiner(kitchenUser);
    const bounded = afterBumps.bumpedIds <= keep && afterBumps.bytes <= atBound.bytes + keep;
    return { afterFanOut, table: terminal.tableId, keep, bumps: bumped.size, beforeBumps, atBound, afterBumps, bounded };
  } finally {
    // Close the table (as admin: it has confirmed items), so its tickets leave the kitchen as the levels' did.
    await terminal.table.command("session.close", { reason: "bench: kitchen state" }).catch(() => undefined);
    await terminal.table.leave().catch(() => undefined);
    await screen.leave().catch(() => undefined);
  }
}

/** Joins a screen, keeps the byte count of the ROOM_STATE frame its own serializer decoded, and leaves. */
async function freshJoiner(user: PosClient): Promise<KitchenSnapshot> {
  const frames: { serializer: unknown; bytes: number }[] = [];
  const setState = SchemaSerializer.prototype.setState;
  SchemaSerializer.prototype.setState = function (this: SchemaSerializer, encoded: Uint8Array, it?: { offset: number }) {
    frames.push({ serializer: this, bytes: encoded.byteLength - (it?.offset ?? 0) });
    return setState.call(this, encoded, it as never);
  };
  let screen: KitchenConnection;
  try {
    screen = await joinKitchen(user, "all");
  } finally {
    SchemaSerializer.prototype.setState = setState;
  }
  const mine = frames.find((f) => f.serializer === (screen.room as unknown as { serializer: unknown }).serializer);
  const snapshot = { bytes: mine?.bytes ?? Number.NaN, openTickets: screen.state.tickets.size as number, bumpedIds: screen.state.bumped.length as number };
  await screen.leave();
  return snapshot;
}

async function until(done: () => boolean, what: string): Promise<void> {
  const deadline = performance.now() + benchSettings.fanOut.settleTimeoutMs;
  while (!done()) {
    if (performance.now() > deadline) throw new Error(`${what}: not within ${benchSettings.fanOut.settleTimeoutMs / 1000} s`);
    await sleep(benchSettings.fanOut.settlePollMs);
  }
}
