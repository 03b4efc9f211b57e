import { test } from "uvu";
import * as assert from "uvu/assert";
import { PosClient } from "../../clients/pos-client.ts";
import { eventually, query, startServer, tempDir } from "../support/server-process.ts";
import { openTable, staff } from "../support/pos.ts";

async function emulatorDump(endpoint: string): Promise<string> {
  const admin = await PosClient.login(endpoint, "demo", "a1", "9999");
  const response = await fetch(`${endpoint}/api/admin/printers/emulator/slips`, { headers: { authorization: `Bearer ${admin.session.token}` } });
  assert.is(response.status, 200);
  return response.text();
}

test("the built-in emulator's printed slips survive a restart (kill -9): GET /api/admin/printers/emulator/slips still lists them", async () => {
  const dataDir = tempDir("emulator-restart");
  // The demo store configures no printer: its slips print on the built-in emulator.
  let server = await startServer({ dataDir });
  try {
    const pos = await openTable(await staff(server), "T1");
    const reply = await pos.command<{ batchId: string }>("confirm", { lines: [{ menuId: "kimchi-jjigae", quantity: 2, optionIds: ["hot"] }, { menuId: "beer", quantity: 1, optionIds: ["500"] }] });
    assert.ok(reply.ok, JSON.stringify(reply));
    if (!reply.ok) return;
    const printed = () => query(server.databaseFile, "select 1 from print_slips where ticket_id like ? and state = 'printed'", `${reply.data.batchId}-%`).length;
    // Printed = the emulator echoed GS ( H, which it does only after the slip is in its journal.
    await eventually(() => printed() === 2, 8000, "both slips printed");
    const before = await emulatorDump(server.endpoint);
    for (const text of ["김치찌개", "x2", "+ 매운맛", "생맥주", "[주방]", "[바]"]) assert.match(before, text);
    assert.is(before.match(/^=== slip \d+ /gm)?.length, 2, before);
    await pos.leave();
    await server.kill();

    server = await startServer({ dataDir });
    await eventually(() => printed() === 2, 1000, "still printed in the log");
    assert.is(await emulatorDump(server.endpoint), before, "the same slips, numbers and times after the restart");
  } finally {
    await server.stop();
  }
});

test.run();
