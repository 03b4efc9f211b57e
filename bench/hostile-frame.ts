// Node 20 has no global WebSocket; the Colyseus SDK's reconnection reads it (as server/main.ts does).
import { WebSocket } from "ws";
(globalThis as { WebSocket?: unknown }).WebSocket ??= WebSocket;

import { readFileSync } from "node:fs";
import { Packr } from "msgpackr";
import type { Room } from "@colyseus/sdk";
import { PosClient, type TableConnection } from "../clients/pos-client.ts";
import { roomLimits } from "../protocol/limits.ts";
import { startServer, type ServerProcess } from "../test/support/server-process.ts";
import { openTable } from "../test/support/pos.ts";

/**
 * npm run bench:hostile — what a hostile frame costs the server now. Issue 9 saw a ~1.3 MB frame
 * of msgpack records (one key list shared by many objects) freeze the process for 4–6 s and grow
 * it to ~1.7 GB, because the size check built JSON of the decoded value. Measured here, side by
 * side in one run: an honest terminal's command round trip while idle (the raw limit) and while
 * each hostile frame is being handled, the time until the server answers or closes the attacker,
 * and the server's peak RSS (VmHWM) before and after.
 */
const rounds = 20;

async function main(): Promise<void> {
  const server = await startServer({ env: { LOG_LEVEL: "error" } });
  try {
    const pos = await PosClient.login(server.endpoint, "demo", "s1", "1111");
    const honest = await openTable(pos, "T1");
    await honest.command("draft.add", { menuId: "soju", quantity: 1 });
    const idle = await roundTrips(honest, rounds);
    console.log(`honest command round trip, idle: p50 ${idle.p50.toFixed(2)} ms, max ${idle.max.toFixed(2)} ms (${rounds} commands)`);
    console.log(`server peak RSS before: ${mib(peakRss(server))} MiB`);
    const cases = [
      { name: "1.3 MB records frame (the one issue 9 saw)", frame: recordsFrame(1_300_000) },
      { name: `records frame just under the ${roomLimits.transportPayloadBytesMax / 1024} KiB frame cap`, frame: recordsFrame(roomLimits.transportPayloadBytesMax - 2_000) },
    ];
    for (const c of cases) {
      const attacker = await pos.joinTable("T1");
      const before = peakRss(server);
      const started = performance.now();
      const outcome = answerOrClose(attacker.room);
      attacker.room.connection.send(c.frame);
      const during = roundTrips(honest, rounds);
      const result = await outcome;
      const elapsed = performance.now() - started;
      const honestDuring = await during;
      const after = peakRss(server);
      console.log(`${c.name}: ${(c.frame.length / 1024).toFixed(0)} KiB on the wire → ${result} after ${elapsed.toFixed(1)} ms;` +
        ` honest round trip meanwhile p50 ${honestDuring.p50.toFixed(2)} ms, max ${honestDuring.max.toFixed(2)} ms (${(honestDuring.max / idle.max).toFixed(1)}× idle max);` +
        ` server peak RSS ${mib(before)} → ${mib(after)} MiB (+${mib(after - before)})`);
      if (attacker.room.connection.isOpen) await attacker.leave();
    }
    await honest.leave();
  } finally {
    await server.stop();
  }
}

/** A draft.add whose junk field is `count` objects sharing one list of long keys, packed as msgpack records. */
function recordsFrame(bytes: number): Buffer {
  const keys = Array.from({ length: 1_000 }, (_, i) => `${"k".repeat(48)}-${i}`);
  const perObject = 1_001;
  const count = Math.max(1, Math.floor((bytes - keys.join("").length) / perObject));
  const junk = Array.from({ length: count }, () => Object.fromEntries(keys.map((k) => [k, 1])));
  const packed = new Packr({ useRecords: true }).pack({ cmdId: "hostile-bench-01", type: "draft.add", menuId: "soju", quantity: 1, junk });
  return Buffer.concat([Uint8Array.from([13 /* ROOM_DATA */, 0xa3, ...Buffer.from("cmd")]), packed]);
}

function answerOrClose(room: Room): Promise<string> {
  return new Promise((resolve) => {
    room.onMessage("reply", (reply: { ok: boolean; error?: { code: string } }) => resolve(`typed reply ${reply.error?.code ?? "ok"}`));
    room.onDrop((code) => resolve(`attacker closed (${code})`));
    room.onLeave((code) => resolve(`attacker closed (${code})`));
  });
}

async function roundTrips(table: TableConnection, count: number): Promise<{ p50: number; max: number }> {
  const times: number[] = [];
  const lineId = [...table.state.draft.keys()][0];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    const reply = await table.command("draft.change", { lineId, quantity: 1 + (i % 2) });
    if (!reply.ok) throw new Error(`honest command refused: ${JSON.stringify(reply)}`);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { p50: times[Math.floor(times.length / 2)]!, max: times[times.length - 1]! };
}

/** VmHWM: the server process's peak resident memory so far. */
function peakRss(server: ServerProcess): number {
  const status = readFileSync(`/proc/${server.child.pid}/status`, "utf8");
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
}

function mib(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(1);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
