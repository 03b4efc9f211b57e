import { suite } from "uvu";
import * as assert from "uvu/assert";
import { Client, type Room } from "@colyseus/sdk";
import { demoRawConfig } from "../../server/config/index.ts";
import { PosClient, type TableConnection } from "../../clients/pos-client.ts";
import { countRows, startServer, tempDir, writeConfig, type ServerProcess } from "../support/server-process.ts";
import { openTable } from "../support/pos.ts";
import { authorize } from "../../rooms/access.ts";
import type { Principal, Role } from "../../rooms/context.ts";

/**
 * Who gets into which room, over every join path, as a matrix: role (staff, kitchen, admin) ×
 * store (the room's own, another) × room (table, kitchen, admin, floor) × path (create, join, join by
 * id with the caller's own store in the options, join by id with the room's store, reconnection
 * with a guessed token). A refused join writes nothing.
 */
const t = suite("store isolation: the room's own store and role decide who joins");

const home = "demo";
const foreign = "gangnam";
const secondStore = { ...demoRawConfig.stores[0]!, id: foreign, name: "강남점" };
const logins: Record<Exclude<Role, "customer" | "system">, [string, string]> = { staff: ["s1", "1111"], kitchen: ["k1", "5555"], admin: ["a1", "9999"] };
type RoomKind = "table" | "kitchen" | "admin" | "floor";
const rolesOf: Record<RoomKind, readonly Role[]> = { table: ["staff", "admin"], kitchen: ["kitchen", "staff", "admin"], admin: ["admin"], floor: ["staff", "admin"] };
const optionsFor = (kind: RoomKind, storeId: string): Record<string, string> =>
  kind === "table" ? { storeId, tableId: "T1" } : kind === "kitchen" ? { storeId, stationId: "all" } : { storeId };

let server: ServerProcess;
let homeTable: TableConnection;
const homeRooms = new Map<RoomKind, Room>();
const clients = new Map<string, PosClient>();

t.before(async () => {
  const dir = tempDir("isolation");
  const config = writeConfig(dir, { ...demoRawConfig, stores: [...demoRawConfig.stores, secondStore] });
  server = await startServer({ env: { CONFIG_FILE: config } });
  for (const storeId of [home, foreign]) {
    for (const [role, [staffId, pin]] of Object.entries(logins)) clients.set(`${storeId}/${role}`, await PosClient.login(server.endpoint, storeId, staffId, pin));
  }
  homeTable = await openTable(clients.get(`${home}/staff`)!, "T1");
  const seeded = await homeTable.command("draft.add", { menuId: "soju", quantity: 1 });
  assert.ok(seeded.ok, JSON.stringify(seeded));
  homeRooms.set("table", homeTable.room);
  homeRooms.set("kitchen", await clients.get(`${home}/kitchen`)!.sdk.joinOrCreate("kitchen", optionsFor("kitchen", home)));
  homeRooms.set("admin", await clients.get(`${home}/admin`)!.sdk.joinOrCreate("admin", optionsFor("admin", home)));
  homeRooms.set("floor", await clients.get(`${home}/staff`)!.sdk.joinOrCreate("floor", optionsFor("floor", home)));
});

t.after(async () => {
  for (const room of homeRooms.values()) await room.leave().catch(() => undefined);
  await server.stop();
});

/** Resolves to the refusal's status and wire code, or "joined" (and leaves again). */
async function attempt(join: Promise<Room>): Promise<string> {
  try {
    const room = await join;
    await room.leave();
    return "joined";
  } catch (error) {
    const e = error as { code?: number; message?: string };
    return `${e.code} ${e.message?.split(":")[0]}`;
  }
}

for (const kind of ["table", "kitchen", "admin", "floor"] as const) {
  for (const storeId of [home, foreign]) {
    for (const role of ["staff", "kitchen", "admin"] as const) {
      t(`${kind} room of ${home} × ${role} of ${storeId}`, async () => {
        const sdk = clients.get(`${storeId}/${role}`)!.sdk;
        const roomId = homeRooms.get(kind)!.roomId;
        const mayEnter = rolesOf[kind].includes(role) && storeId === home;
        const before = countRows(server.databaseFile);
        const byIdOwnOptions = await attempt(sdk.joinById(roomId, optionsFor(kind, storeId)));
        const byIdRoomOptions = await attempt(sdk.joinById(roomId, optionsFor(kind, home)));
        const reconnect = await attempt(sdk.reconnect(`${roomId}:guessed-reconnection-token`));
        if (mayEnter) {
          assert.is(byIdOwnOptions, "joined");
          assert.is(byIdRoomOptions, "joined");
        } else {
          assert.is(byIdOwnOptions, "403 FORBIDDEN", "join by id with the caller's own store in the options");
          assert.is(byIdRoomOptions, "403 FORBIDDEN", "join by id naming the room's store");
        }
        assert.is.not(reconnect, "joined", "a guessed reconnection token never gets in");
        // create and join (joinOrCreate) name a store in the options: only the token's own store, with a role the room allows.
        const ownStoreJoin = await attempt(sdk.joinOrCreate(kind, optionsFor(kind, storeId)));
        const roomStoreCreate = await attempt(sdk.create(kind, optionsFor(kind, home)));
        assert.is(ownStoreJoin, rolesOf[kind].includes(role) ? "joined" : "403 FORBIDDEN", "joinOrCreate in the caller's own store");
        if (storeId !== home || !rolesOf[kind].includes(role)) assert.is(roomStoreCreate, "403 FORBIDDEN", "create naming another store");
        assert.equal(countRows(server.databaseFile), before, "a join attempt writes nothing");
      });
    }
  }
}

t("the table that was probed still serves its terminal, with its draft intact", async () => {
  assert.is(homeTable.state.draft.size, 1);
  const reply = await homeTable.command("draft.add", { menuId: "cola", quantity: 1 });
  assert.ok(reply.ok, JSON.stringify(reply));
  assert.is(homeTable.state.draft.size, 2);
});

t("a join without a token, or with a forged one, is refused on every join path", async () => {
  const anonymous = new Client(server.endpoint);
  assert.is(await attempt(anonymous.joinById(homeTable.room.roomId, optionsFor("table", home))), "401 UNAUTHORIZED");
  const forged = new Client(server.endpoint);
  forged.http.authToken = "eyJhbGciOiJIUzI1NiJ9.e30.bad";
  assert.is(await attempt(forged.joinById(homeTable.room.roomId, optionsFor("table", home))), "401 UNAUTHORIZED");
  assert.is(await attempt(forged.create("kitchen", optionsFor("kitchen", home))), "401 UNAUTHORIZED");
});

t("HTTP routes apply the same rule: another store's menu is refused, whatever the role", async () => {
  for (const storeId of [home, foreign]) {
    for (const role of ["staff", "kitchen", "admin"] as const) {
      const token = clients.get(`${storeId}/${role}`)!.session.token;
      const response = await fetch(`${server.endpoint}/api/stores/${home}/menu`, { headers: { authorization: `Bearer ${token}` } });
      const body = (await response.json()) as { ok: boolean; error?: { code: string } };
      if (storeId === home) assert.is(response.status, 200, `${role} of ${storeId}`);
      else assert.equal([response.status, body.error?.code], [403, "FORBIDDEN"], `${role} of ${storeId}`);
    }
  }
});

t("the new admin routes (reports, daily close, settlement, QR codes and sheet) follow the rule: the home admin only, whatever store the query names", async () => {
  const routes = [
    "/api/reports/sales?date=2026-12-03", "/api/reports/close?date=2026-12-03", "/api/payments/settlement?date=2026-12-03",
    "/api/tables/T1/qr", "/api/tables/qr-sheet",
  ];
  for (const route of routes) {
    for (const storeId of [home, foreign]) {
      for (const role of ["staff", "kitchen", "admin"] as const) {
        const token = clients.get(`${storeId}/${role}`)!.session.token;
        const response = await fetch(`${server.endpoint}${route}${route.includes("?") ? "&" : "?"}storeId=${home}`, { headers: { authorization: `Bearer ${token}` } });
        await response.arrayBuffer();
        const allowed = role === "admin" && storeId === home;
        if (allowed) assert.ok(response.status !== 401 && response.status !== 403, `${route} for ${role} of ${storeId}: ${response.status}`);
        else assert.is(response.status, 403, `${route} for ${role} of ${storeId}`);
      }
    }
  }
});

t("the console's audit and staff routes: admins only, and always the token's own store (another store's admin never sees this one)", async () => {
  const sessionId = homeTable.state.sessionId as string;
  for (const route of ["/api/admin/audit", "/api/admin/audit/verify", "/api/admin/staff"]) {
    for (const storeId of [home, foreign]) {
      for (const role of ["staff", "kitchen", "admin"] as const) {
        const token = clients.get(`${storeId}/${role}`)!.session.token;
        const response = await fetch(`${server.endpoint}${route}?storeId=${home}`, { headers: { authorization: `Bearer ${token}` } });
        const text = await response.text();
        if (role !== "admin") assert.is(response.status, 403, `${route} for ${role} of ${storeId}`);
        else assert.is(response.status, 200, `${route} for the admin of ${storeId}`);
        if (role === "admin" && storeId === foreign) assert.not.ok(text.includes(sessionId) || text.includes(`"storeId":"${home}"`), `${route}: nothing of ${home} for the admin of ${foreign}`);
      }
    }
  }
});

t("a customer (QR) token joins only its own table's room in its own store, on every join path; never a kitchen or admin room", async () => {
  const { SignJWT } = await import("jose");
  const sessionId = homeTable.state.sessionId as string;
  const customer = async (storeId: string, tableId: string) => {
    const sdk = new Client(server.endpoint);
    sdk.http.authToken = await new SignJWT({ store: storeId, role: "customer", name: "손님", table: tableId, session: sessionId })
      .setProtectedHeader({ alg: "HS256" }).setSubject(`cust-${storeId}-${tableId}`).setIssuer("table-session-server").setIssuedAt().setExpirationTime("1h")
      .sign(new TextEncoder().encode("test-secret-test-secret-test-secret!"));
    return sdk;
  };
  const before = countRows(server.databaseFile);
  const own = await customer(home, "T1");
  assert.is(await attempt(own.joinById(homeTable.room.roomId, optionsFor("table", home))), "joined");
  assert.is(await attempt(own.joinOrCreate("table", optionsFor("table", home))), "joined");
  for (const kind of ["kitchen", "admin", "floor"] as const) {
    assert.is(await attempt(own.joinById(homeRooms.get(kind)!.roomId, optionsFor(kind, home))), "403 FORBIDDEN", `${kind} by id`);
    assert.is(await attempt(own.joinOrCreate(kind, optionsFor(kind, home))), "403 FORBIDDEN", kind);
  }
  const otherTable = await customer(home, "T2");
  assert.is(await attempt(otherTable.joinById(homeTable.room.roomId, optionsFor("table", home))), "403 FORBIDDEN", "another table's token, by room id");
  assert.is(await attempt(otherTable.joinOrCreate("table", { storeId: home, tableId: "T1" })), "403 FORBIDDEN", "another table's token, by options");
  const otherStore = await customer(foreign, "T1");
  assert.is(await attempt(otherStore.joinById(homeTable.room.roomId, optionsFor("table", foreign))), "403 FORBIDDEN", "another store's token, by room id");
  assert.is(await attempt(otherStore.joinOrCreate("table", optionsFor("table", home))), "403 FORBIDDEN", "another store's token, by options");
  assert.equal(countRows(server.databaseFile), before, "a join attempt writes nothing");
});

// The rule itself, as a full matrix over roles and stores (the e2e matrix above checks it is applied on every path).
t("authorize: allowed exactly when the role is listed and the store is the resource's", () => {
  const roles: Role[] = ["staff", "kitchen", "admin", "customer"];
  for (const role of roles) {
    for (const storeId of [home, foreign]) {
      const principal: Principal = { staffId: "x", storeId, role, name: "x" };
      for (const allowed of [["staff"], ["admin"], ["staff", "admin", "kitchen"]] as Role[][]) {
        const denied = authorize(principal, allowed, { storeId: home });
        assert.is(denied === undefined, allowed.includes(role) && storeId === home, `${role}@${storeId} for ${allowed.join(",")}`);
        if (denied) assert.is(denied.code, "FORBIDDEN");
      }
      // A customer is bound to one table: allowed only on that table of its store.
      for (const tableId of ["T1", "T2"]) {
        const bound: Principal = { ...principal, tableId: "T1", sessionId: "s" };
        const denied = authorize(bound, ["staff", "admin", "customer"], { storeId: home, tableId });
        assert.is(denied === undefined, role !== "kitchen" && storeId === home && (role !== "customer" || tableId === "T1"), `${role}@${storeId} on ${tableId}`);
      }
    }
  }
});

t.run();
