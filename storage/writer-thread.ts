// The storage writer's own thread: it owns the only write connection, so fsyncs and SQL never
// block the rooms' event loop, and everything submitted while a commit runs joins the next one.
import { parentPort, workerData } from "node:worker_threads";
import { CommitWriter, type Work } from "./commit-writer.ts";
import { openStorage } from "./database.ts";
import type { ToWriter, FromWriter } from "./threaded-writer.ts";
import { classifyCommitError } from "./write-errors.ts";

const port = parentPort!;
const { file, busyTimeoutMs } = workerData as { file: string; busyTimeoutMs?: number };
const storage = await openStorage(file);
if (busyTimeoutMs !== undefined) storage.sqlite.pragma(`busy_timeout = ${Math.trunc(busyTimeoutMs)}`);
const writer = new CommitWriter(storage);
const send = (message: FromWriter) => port.postMessage(message);
writer.onCommitted(() => send({ type: "committed", stats: { ...writer.stats } }));

port.on("message", (message: ToWriter) => {
  if (message.type === "close") {
    // Everything already submitted commits first; only then does the connection close.
    void writer.close().finally(() => storage.close().then(() => send({ type: "closed" })));
    return;
  }
  for (const { id, work } of message.items) {
    writer.submitWork(work as Work).then(
      () => send({ type: "done", id }),
      (error: unknown) => {
        // The CommitWriter rejects only with WriteFailure; anything else is classified the same way.
        const failure = classifyCommitError(error, "writer thread");
        send({ type: "done", id, failure: { reason: failure.reason, message: failure.message } });
      },
    );
  }
});
send({ type: "ready" });
