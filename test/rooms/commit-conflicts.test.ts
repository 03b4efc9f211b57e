import { suite } from "uvu";
import * as assert from "uvu/assert";

import { initialSessionState } from "../../domain/index.ts";
import { CommitWriter, openStorage, type Storage } from "../../storage/index.ts";
import { closeSession, openSession } from "../domain/fixtures.ts";
import { unitFor } from "../storage/units.ts";
import { startServer, type ServerProcess } from "../support/server-process.ts";
import { kimchi, staff } from "../support/pos.ts";

/**
 * Another writer on the same SQLite file (another process, as in multi-process mode) moves a table
 * first. The storage writer reports it as a typed conflict; the table's actor reloads, patches the
 * POS and replies VERSION_CONFLICT, for both keys that can catch it.
 */
const t = suite("commit conflicts: another writer moved the table first");
let server: ServerProcess;
let storage: Storage;
let other: CommitWriter;

t.before(async () => {
  server = await startServer();
  storage = await openStorage(server.databaseFile);
  other = new CommitWriter(storage);
});
t.after(async () => {
  await other.close();
  await storage.close();
  await server.stop();
});

t("a table opened elsewhere, then closed elsewhere: session.open and confirm get VERSION_CONFLICT and the POS shows the database", async () => {
  const pos = await (await staff(server)).joinTable("T6");
  assert.is(pos.state.status, "none");

  // Elsewhere: open T6. The room's actor still believes the table is free.
  const opened = unitFor(openSession({ sessionId: "elsewhere-1", storeId: "demo", tableId: "T6" }), initialSessionState(), "other-1", "demo", "T6");
  await other.submit(opened.unit);
  const open = await pos.command("session.open", { guests: 2 });
  assert.is(!open.ok && open.error.code, "VERSION_CONFLICT", JSON.stringify(open));
  // The patch precedes the reply: the reloaded session is already on the terminal.
  assert.is(pos.state.sessionId, "elsewhere-1");
  assert.is(pos.state.version, 1);

  // Elsewhere: close it (version 2). The actor's next event also wants seq 2.
  await other.submit(unitFor(closeSession(), opened.after, "other-2", "demo", "T6").unit);
  const confirm = await pos.command("confirm", { lines: [kimchi] });
  assert.is(!confirm.ok && confirm.error.code, "VERSION_CONFLICT", JSON.stringify(confirm));
  assert.is(pos.state.status, "none", "no live session on the table after the reload");
  await pos.leave();
});

t.run();
