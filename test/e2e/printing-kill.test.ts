import { test } from "uvu";
import * as assert from "uvu/assert";
import { eventually, query, startServer } from "../support/server-process.ts";
import { openTable, staff } from "../support/pos.ts";
import { isMarked, slipsOf, startPrintRig, stopPrintRig } from "../support/printing.ts";

test("kill -9 while a printer is slow: no slip printed twice without a mark, none lost", async () => {
  // Slow enough that kills land mid-send; the completion deadline is long enough that most sends finish.
  const rig = await startPrintRig({ attemptsMax: 8, backoffBaseMs: 100, backoffMaxMs: 400, connectTimeoutMs: 300, completionTimeoutMs: 1500, healthCheckEverySeconds: 5 });
  const tickets: string[] = [];
  try {
    await rig.a.setFault({ mode: "slow", delayMsPerChunk: 120 });
    let server = rig.server;
    for (let round = 0; round < 3; round++) {
      const pos = await openTable(await staff(server), `T${round + 1}`);
      for (let n = 0; n < 3; n++) {
        const reply = await pos.command<{ batchId: string }>("confirm", { lines: [{ menuId: "jeyuk", quantity: n + 1 }] });
        assert.ok(reply.ok);
        if (reply.ok) tickets.push(`${reply.data.batchId}-kitchen`);
      }
      await new Promise((r) => setTimeout(r, 100 + Math.floor(Math.random() * 400)));
      await server.kill();
      server = await startServer({ dataDir: rig.dataDir, env: { CONFIG_FILE: rig.configFile } });
    }
    await rig.a.setFault({ mode: "none" });
    rig.server = server;
    const printedInLog = (t: string) => query(server.databaseFile, "select 1 from print_slips where slip_key = ? and state = 'printed'", `${t}:new`).length === 1;
    await eventually(() => tickets.every((t) => slipsOf(rig.a, t).length >= 1 && printedInLog(t)), 20_000, "every ticket printed and logged");
    for (const ticketId of tickets) {
      const copies = slipsOf(rig.a, ticketId);
      const unmarked = copies.filter((c) => !isMarked(c));
      assert.ok(unmarked.length <= 1, `${ticketId} printed ${unmarked.length} times without a mark`);
    }
  } finally {
    await stopPrintRig(rig);
  }
});

test.run();
