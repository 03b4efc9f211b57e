import { suite } from "uvu";
import * as assert from "uvu/assert";
import { joinRoom, joinTable, staffLogin, type RoomClient, type StaffSession } from "../../clients/index.ts";
import { eventually, startServer, type ServerProcess } from "../support/server-process.ts";
import { phone } from "../support/phone.ts";

// Issue #14 (the POS floor view, R-UI-1): one read-only room per store shows every table's status,
// guests, balance, lock holder and staff calls, from committed results. Real server, real clients.
const t = suite("floor room: the store's tables at a glance");

let server: ServerProcess;
let waiter: StaffSession;
let floor: RoomClient<"floor">;
t.before(async () => {
  server = await startServer();
  waiter = await staffLogin(server.endpoint, "demo", "s1", "1111");
  floor = await joinRoom("floor", waiter, { storeId: "demo" });
});
t.after(async () => {
  await floor?.leave();
  await server?.stop();
});

const tableOf = (tableId: string) => floor.state.tables.get(tableId);

t("every table of the store is listed, free tables as none", () => {
  assert.is(floor.state.tables.size, 12);
  assert.is(tableOf("T1").name, "1번 테이블");
  assert.is(tableOf("T1").status, "none");
});

t("an order, a lock, a staff call and the payment that closes the table show as they commit", async () => {
  const pos = await joinTable(waiter, { storeId: "demo", tableId: "T2" });
  try {
    assert.ok((await pos.command("session.open", { guests: 3 })).ok);
    const sent = await pos.command("confirm", { lines: [{ menuId: "kimchi-jjigae", quantity: 2, optionIds: ["hot"] }] });
    assert.ok(sent.ok, JSON.stringify(sent));
    await eventually(() => tableOf("T2").status === "in_kitchen", 3_000, "the order on the floor");
    assert.is(tableOf("T2").guests, 3);
    assert.is(tableOf("T2").sessionTotalWon, 18_000);
    assert.is(tableOf("T2").outstandingWon, 18_000);
    assert.ok((await pos.command("lock.take", {})).ok);
    await eventually(() => tableOf("T2").lockHolderName !== "", 3_000, "the lock holder");
    assert.is(tableOf("T2").lockHolderName, waiter.name);
    const guest = await phone(server, "floor-phone", "T2", pos.state.sessionId);
    assert.ok((await guest.command("staff.call", {})).ok);
    await eventually(() => tableOf("T2").staffCalledAt !== "", 3_000, "the staff call");
    await guest.leave();
    const paid = await pos.command("payment.start", { method: "cash", amount: 18_000, tendered: 20_000 });
    assert.ok(paid.ok, JSON.stringify(paid));
    await eventually(() => tableOf("T2").status === "none" && tableOf("T2").lockHolderName === "", 3_000, "the closed table is free");
    assert.is(tableOf("T2").outstandingWon, 0);
    assert.is(tableOf("T2").staffCalledAt, "");
  } finally {
    await pos.leave();
  }
});

t("a staff call made while no floor room exists shows on the floor room created later, for that session only", async () => {
  const other = await startServer();
  try {
    const staffOther = await staffLogin(other.endpoint, "demo", "s1", "1111");
    const pos = await joinTable(staffOther, { storeId: "demo", tableId: "T3" });
    assert.ok((await pos.command("session.open", { guests: 2 })).ok);
    const guest = await phone(other, "early-phone", "T3", pos.state.sessionId);
    const called = await guest.command<{ calledAt: string }>("staff.call", {});
    assert.ok(called.ok, JSON.stringify(called));
    await guest.leave();
    // T5's guests called, then left (the session closed) and new guests sat down: not their call.
    const next = await joinTable(staffOther, { storeId: "demo", tableId: "T5" });
    assert.ok((await next.command("session.open", { guests: 2 })).ok);
    const gone = await phone(other, "left-phone", "T5", next.state.sessionId);
    assert.ok((await gone.command("staff.call", {})).ok);
    await gone.leave();
    const closed = await next.command("session.close", { expectedVersion: next.state.version });
    assert.ok(closed.ok, JSON.stringify(closed));
    assert.ok((await next.command("session.open", { guests: 4 })).ok);
    await next.leave();
    // The first floor room of this process is created now, after the call.
    const lateFloor = await joinRoom("floor", staffOther, { storeId: "demo" });
    try {
      assert.is(lateFloor.state.tables.get("T3").staffCalledAt, called.data.calledAt);
      assert.is(lateFloor.state.tables.get("T4").staffCalledAt, "");
      assert.is(lateFloor.state.tables.get("T5").guests, 4);
      assert.is(lateFloor.state.tables.get("T5").staffCalledAt, "", "the call of a session that ended");
    } finally {
      await lateFloor.leave();
      await pos.leave();
    }
  } finally {
    await other.stop();
  }
});

t("kitchen staff and another store's staff cannot watch the floor", async () => {
  const cook = await staffLogin(server.endpoint, "demo", "k1", "5555");
  const refused = await joinRoom("floor", cook, { storeId: "demo" }, { rejoinAttemptsMax: 0 }).then(() => "joined", (e: { code?: string; message?: string }) => `${e.code} ${e.message}`);
  assert.match(refused, /FORBIDDEN/);
  const wrongStore = await joinRoom("floor", waiter, { storeId: "nowhere" }, { rejoinAttemptsMax: 0 }).then(() => "joined", (e: { code?: string; message?: string }) => `${e.code} ${e.message}`);
  assert.match(wrongStore, /NOT_FOUND|FORBIDDEN/);
});

t.run();
