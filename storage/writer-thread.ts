// The storage writer's own thread: it owns the only write connection, so fsyncs and SQL never
// block the rooms' event loop, and everything submitted while a commit runs joins the next one.
import { parentPort, workerData } from "node:worker_threads";
import { CommitWriter, type Work } from "./commit-writer.ts";
import { openStorage } from "./database.ts";
import type { ToWriter, FromWriter } from "./threaded-writer.ts";

const port = parentPort!;
const storage = await openStorage((workerData as { file: string }).file);
const writer = new CommitWriter(storage);
const send = (message: FromWriter) => port.postMessage(message);
writer.onCommitted(() => send({ type: "committed", stats: { ...writer.stats } }));

port.on("message", (message: ToWriter) => {
  if (message.type === "close") {
    // An empty write queues behind everything already submitted: close only after it committed.
    void writer.submitWork({ system: [] }).finally(() => storage.close().then(() => send({ type: "closed" })));
    return;
  }
  for (const { id, work } of message.items) {
    writer.submitWork(work as Work).then(
      () => send({ type: "done", id }),
      (error: unknown) => {
        const e = error as { name?: string; message?: string; menuId?: string };
        send({ type: "done", id, error: { name: e?.name ?? "Error", message: e?.message ?? String(error), menuId: e?.menuId } });
      },
    );
  }
});
send({ type: "ready" });
