import { suite } from "uvu";
import * as assert from "uvu/assert";
import { SchemaSerializer } from "@colyseus/sdk";
import { eventually, startServer, type ServerProcess } from "../support/server-process.ts";
import { openTable, staff } from "../support/pos.ts";
import { kds, ticketsWith } from "../support/kitchen.ts";
import type { KitchenConnection } from "../../clients/kitchen-client.ts";
import type { TableConnection } from "../../clients/pos-client.ts";
import { kitchenLimits } from "../../rooms/kitchen/limits.ts";

// Issue 15 item 4: through a whole day the synced kitchen state holds the open tickets and the
// last `bumpedKeptMax` bumped ids only; older bumped tickets stay on the board (recall, HTTP).
const t = suite("kitchen state stays bounded after many bumped tickets");
let server: ServerProcess;

// The full state a fresh joiner receives: the byte count of every ROOM_STATE frame decoded here.
const fullStateBytes: number[] = [];
const setState = SchemaSerializer.prototype.setState;
SchemaSerializer.prototype.setState = function (this: SchemaSerializer, encoded: Uint8Array, it?: { offset: number }) {
  fullStateBytes.push(encoded.byteLength - (it?.offset ?? 0));
  return setState.call(this, encoded, it as never);
};

// Patch frames, to see what one bump costs every screen.
const patchBytes: number[] = [];
const patch = SchemaSerializer.prototype.patch;
SchemaSerializer.prototype.patch = function (this: SchemaSerializer, encoded: Uint8Array, it?: { offset: number }) {
  patchBytes.push(encoded.byteLength - (it?.offset ?? 0));
  return patch.call(this, encoded, it as never);
};

t.before(async () => {
  server = await startServer();
});
t.after(async () => {
  SchemaSerializer.prototype.setState = setState;
  SchemaSerializer.prototype.patch = patch;
  await server.stop();
});

async function freshJoinerBytes(): Promise<number> {
  const before = fullStateBytes.length;
  const screen = await kds(server, "all");
  const bytes = fullStateBytes[before];
  await screen.leave();
  if (bytes === undefined) throw new Error("no full state frame recorded for the fresh joiner");
  return bytes;
}

/** The decoder's live references: the client's memory for the state, one per schema instance. */
function decodedRefs(screen: KitchenConnection): number {
  return (screen.room as unknown as { serializer: { decoder: { root: { refs: Map<number, unknown> } } } }).serializer.decoder.root.refs.size;
}

async function confirmOne(pos: TableConnection, screen: KitchenConnection): Promise<string> {
  const reply = await pos.command<{ itemIds: string[] }>("confirm", { lines: [{ menuId: "kimchi-jjigae", quantity: 1, optionIds: ["hot"] }] });
  if (!reply.ok) throw new Error(`confirm: ${JSON.stringify(reply)}`);
  const itemId = reply.data.itemIds[0]!;
  await eventually(() => ticketsWith(screen, itemId).length === 1, 10_000, `ticket of ${itemId} on the KDS`);
  return ticketsWith(screen, itemId)[0].ticketId as string;
}

async function bump(screen: KitchenConnection, ticketId: string): Promise<void> {
  const reply = await screen.command("ticket.bump", { ticketId });
  if (!reply.ok) throw new Error(`bump ${ticketId}: ${JSON.stringify(reply)}`);
}

t("150 bumped tickets: the state keeps the open ones and the last N bumped; an old one can still be recalled", async () => {
  const keep = kitchenLimits.bumpedKeptMax;
  const total = 150;
  const tables = ["T1", "T2", "T3", "T4", "T5"];
  assert.ok(total >= 2 * keep + tables.length, "enough bumps to push tickets out of the bound");
  const screen = await kds(server, "all");
  const emptyBytes = await freshJoinerBytes();
  const pos = await staff(server);
  const terminals = await Promise.all(tables.map((id) => openTable(pos, id)));
  // One bumping screen per table: a single screen bumping for five tables at once would pass the
  // room's flood guard (100 messages a second per client) on a fast machine and be disconnected.
  const bumpers = await Promise.all(tables.map(() => kds(server, "all")));

  // The tables work in parallel; each one confirms and bumps its own tickets in turn.
  const bumpedInOrder: string[] = [];
  const run = async (count: number) => {
    const share = (i: number) => Math.floor(count / tables.length) + (i < count % tables.length ? 1 : 0);
    await Promise.all(terminals.map(async (terminal, i) => {
      for (let n = 0; n < share(i); n++) {
        const ticketId = await confirmOne(terminal, screen);
        await bump(bumpers[i]!, ticketId);
        bumpedInOrder.push(ticketId);
      }
    }));
    await eventually(() => screen.state.tickets.size === 0 && screen.state.bumped.length === Math.min(keep, bumpedInOrder.length), 10_000, "bumps on the KDS");
  };

  await run(keep);
  const atBoundBytes = await freshJoinerBytes();
  const atBoundRefs = decodedRefs(screen);
  await run(total - keep);
  const afterBytes = await freshJoinerBytes();
  const afterRefs = decodedRefs(screen);

  // The live screen: no open ticket, exactly the bound of bumped ids, and they are the newest bumps.
  assert.is(screen.state.tickets.size, 0);
  const kept = [...screen.state.bumped] as string[];
  assert.is(kept.length, keep);
  assert.is(new Set(kept).size, keep);
  const board = await boardTickets(pos.session.token);
  const bumpedAt = new Map(board.filter((x) => x.bumpedAt !== null).map((x) => [x.ticketId, x.bumpedAt!]));
  assert.is(bumpedAt.size, total, "every bumped ticket is still on the board (GET ?bumped=1)");
  const oldestKept = kept.map((id) => bumpedAt.get(id)!).sort()[0]!;
  const dropped = bumpedInOrder.filter((id) => !kept.includes(id));
  assert.is(dropped.length, total - keep);
  assert.ok(dropped.every((id) => bumpedAt.get(id)! <= oldestKept), `the ids kept are the most recently bumped: ${JSON.stringify({ kept, newest: newestBumped(board, keep) })}`);

  // Size: a fresh joiner gets the empty state plus at most `keep` ids (string header, index, op: ≤ 4 bytes each)
  // and one all-day entry (the bumped tickets' items are still waiting: menu id, name, quantity).
  const longestId = Math.max(...bumpedInOrder.map((id) => Buffer.byteLength(id)));
  const allDay = [...screen.state.allDay.entries()] as [string, { name: string }][];
  const allDayBytes = allDay.reduce((sum, [menuId, entry]) => sum + Buffer.byteLength(menuId) + Buffer.byteLength(entry.name) + 16, 0);
  const bound = emptyBytes + keep * (longestId + 4) + allDayBytes + 32;
  console.log(`kitchen full state: empty ${emptyBytes} B, after ${keep} bumps ${atBoundBytes} B, after ${total} bumps ${afterBytes} B (bound ${bound} B); decoded refs ${atBoundRefs} → ${afterRefs}`);
  assert.ok(afterBytes <= bound, `full state ${afterBytes} B is above its bound ${bound} B`);
  assert.ok(afterBytes <= atBoundBytes + keep, `full state grew from ${atBoundBytes} B to ${afterBytes} B after ${total - keep} more bumps`);
  assert.ok(afterRefs <= atBoundRefs, `decoded refs grew from ${atBoundRefs} to ${afterRefs}`);

  // An old bumped ticket, long out of the synced list, is recalled by id and shows again as open.
  const oldest = bumpedInOrder[0]!;
  assert.not.ok(kept.includes(oldest));
  const recall = await screen.command<{ ticketId: string }>("ticket.recall", { ticketId: oldest });
  assert.ok(recall.ok, JSON.stringify(recall));
  await eventually(() => screen.state.tickets.has(oldest), 10_000, "the recalled ticket back on the screen");
  assert.not.ok([...screen.state.bumped].includes(oldest));
  assert.ok(screen.state.bumped.length <= keep);
  const after = await boardTickets(pos.session.token);
  assert.is(after.find((x) => x.ticketId === oldest)?.bumpedAt, null);

  // One more bump at the bound: its patch moves the list by one id, it does not resend the list.
  const last = await confirmOne(terminals[0]!, screen);
  const fromPatch = patchBytes.length;
  await bump(screen, last);
  await eventually(() => !screen.state.tickets.has(last) && screen.state.bumped.at(-1) === last, 10_000, "the last bump on the KDS");
  const bumpBytes = patchBytes.slice(fromPatch).reduce((a, b) => a + b, 0);
  console.log(`one bump at the bound: ${bumpBytes} B of patches`);
  assert.is(screen.state.bumped.length, keep);
  // The window may also hold the new ticket's removal and the all-day counts' change, which arrive in
  // patches of their own on a fast machine; what must never come back is the whole list (keep ids).
  const wholeList = keep * (longestId + 4);
  assert.ok(bumpBytes < wholeList / 4, `a bump sent ${bumpBytes} B of patches to the screen (the whole list is ${wholeList} B)`);

  // Recalling a kept ticket: it leaves the list and the next older bumped ticket comes back into it.
  const middle = [...screen.state.bumped][10] as string;
  assert.ok((await screen.command("ticket.recall", { ticketId: middle })).ok);
  await eventually(() => screen.state.tickets.has(middle), 10_000, "the recalled kept ticket on the screen");
  const expected = newestBumped(await boardTickets(pos.session.token), keep);
  await eventually(() => sameSet([...screen.state.bumped], expected), 10_000, `the kept list equals the newest bumped ${JSON.stringify({ got: [...screen.state.bumped], expected })}`);
  assert.not.ok([...screen.state.bumped].includes(middle));

  for (const c of [screen, ...bumpers, ...terminals]) await c.leave();
});

function newestBumped(tickets: { ticketId: string; bumpedAt: string | null }[], keep: number): string[] {
  return tickets.filter((x) => x.bumpedAt !== null).sort((a, b) => (a.bumpedAt! < b.bumpedAt! ? -1 : a.bumpedAt! > b.bumpedAt! ? 1 : 0)).slice(-keep).map((x) => x.ticketId);
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && new Set([...a, ...b]).size === a.length;
}

async function boardTickets(token: string): Promise<{ ticketId: string; bumpedAt: string | null }[]> {
  const response = await fetch(`${server.endpoint}/api/kitchen/tickets?bumped=1`, { headers: { authorization: `Bearer ${token}` } });
  assert.is(response.status, 200);
  const body = (await response.json()) as { data: { tickets: { ticketId: string; bumpedAt: string | null }[] } };
  return body.data.tickets;
}

t.run();
