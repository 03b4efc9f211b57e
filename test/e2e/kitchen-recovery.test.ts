import { suite } from "uvu";
import * as assert from "uvu/assert";
import { eventually, startServer, tempDir } from "../support/server-process.ts";
import { openTable, staff } from "../support/pos.ts";
import { kds } from "../support/kitchen.ts";

const t = suite("kitchen display: catch-up after disconnects and restarts");

function ticketIdsOf(kitchen: { state: any }): string[] {
  return [...kitchen.state.tickets.keys()].sort();
}

t("a KDS that was away during confirms gets every ticket exactly once when it comes back", async () => {
  const server = await startServer();
  try {
    const pos = await openTable(await staff(server), "T1");
    const away = await kds(server, "kitchen");
    await away.leave();
    const itemIds: string[] = [];
    for (let n = 0; n < 6; n++) {
      const reply = await pos.command<{ itemIds: string[] }>("confirm", { lines: [{ menuId: "doenjang-jjigae", quantity: 1 }] });
      assert.ok(reply.ok);
      if (reply.ok) itemIds.push(reply.data.itemIds[0]!);
    }
    const back = await kds(server, "kitchen");
    await eventually(() => back.state.tickets.size === 6, 3000, "six tickets");
    const seen = [...back.state.tickets.values()].flatMap((t: any) => [...t.items].map((i: any) => i.itemId)).sort();
    assert.equal(seen, [...itemIds].sort(), "each confirmed item on exactly one ticket");
    await back.leave();
    await pos.leave();
  } finally {
    await server.stop();
  }
});

t("a process killed right after a confirm was acknowledged still shows the ticket once after restart", async () => {
  const dataDir = tempDir("kds-kill");
  const first = await startServer({ dataDir });
  const pos = await openTable(await staff(first), "T2");
  const reply = await pos.command<{ itemIds: string[]; batchId: string }>("confirm", { lines: [{ menuId: "jeyuk", quantity: 2 }, { menuId: "soju", quantity: 1 }] });
  assert.ok(reply.ok);
  if (!reply.ok) return;
  await first.kill(); // no graceful shutdown: whatever was in flight to the board is gone with the process
  const second = await startServer({ dataDir });
  try {
    const kitchen = await kds(second, "kitchen");
    const bar = await kds(second, "bar");
    await eventually(() => kitchen.state.tickets.size === 1 && bar.state.tickets.size === 1, 3000, "tickets after restart");
    assert.equal(ticketIdsOf(kitchen), [`${reply.data.batchId}-kitchen`]);
    assert.equal(ticketIdsOf(bar), [`${reply.data.batchId}-bar`]);
    // A new confirm after the restart arrives through the outbox, once.
    const pos2 = await openTable(await staff(second), "T2");
    const next = await pos2.command("confirm", { lines: [{ menuId: "jeyuk", quantity: 1 }] });
    assert.ok(next.ok);
    await eventually(() => kitchen.state.tickets.size === 2, 3000, "second ticket");
    // A third confirm is a barrier: the outbox is delivered in order, so a duplicate of the second
    // would have arrived before the third does.
    const third = await pos2.command("confirm", { lines: [{ menuId: "jeyuk", quantity: 2 }] });
    assert.ok(third.ok);
    await eventually(() => kitchen.state.tickets.size >= 3, 3000, "third ticket");
    assert.is(kitchen.state.tickets.size, 3, "each ticket once");
    for (const c of [kitchen, bar, pos2]) await c.leave();
  } finally {
    await second.stop();
  }
});

t("a kitchen screen that stays past its timers keeps its room and keeps getting tickets", async () => {
  // Regression: a room-clock timer that broadcasts re-entered itself and crashed the room after 5 s.
  const server = await startServer();
  try {
    const kitchen = await kds(server, "all");
    let closed = 0;
    kitchen.room.onLeave(() => (closed += 1));
    await new Promise((r) => setTimeout(r, 5_600));
    const pos = await openTable(await staff(server), "T4");
    const reply = await pos.command<{ batchId: string }>("confirm", { lines: [{ menuId: "jeyuk", quantity: 1 }] });
    assert.ok(reply.ok);
    if (!reply.ok) return;
    await eventually(() => kitchen.state.tickets.has(`${reply.data.batchId}-kitchen`), 3000, "ticket after 5 s");
    await new Promise((r) => setTimeout(r, 600));
    assert.is(closed, 0, "the kitchen room stayed up");
    assert.not.ok(server.output.join("").includes("uncaught"), server.output.join("").slice(-2000));
    await kitchen.leave();
    await pos.leave();
  } finally {
    await server.stop();
  }
});

t("the front sees a silent kitchen screen go dark within seconds", async () => {
  const server = await startServer();
  try {
    const pos = await openTable(await staff(server), "T3");
    assert.is(pos.state.kitchenOnline.get("kitchen"), false);
    const kitchen = await kds(server, "kitchen");
    kitchen.startHeartbeat(500);
    await eventually(() => pos.state.kitchenOnline.get("kitchen") === true, 3000, "kitchen online");
    assert.is(pos.state.kitchenOnline.get("bar"), false, "a kitchen-only screen says nothing about the bar");
    kitchen.stopHeartbeat(); // frozen screen: still connected, no heartbeat
    // The bound is the heartbeat timeout plus one check interval (kitchenLimits), with slack for a busy machine.
    await eventually(() => pos.state.kitchenOnline.get("kitchen") === false, 9000, "kitchen offline");
    assert.ok(kitchen.room.connection.isOpen, "it went dark for its silence, not because it disconnected");
    await kitchen.leave();
    await pos.leave();
  } finally {
    await server.stop();
  }
});

t.run();
