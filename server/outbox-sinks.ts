import { appendFileSync, closeSync, fsyncSync, openSync } from "node:fs";
import type { OutboxSubscriber } from "./outbox-relay.ts";

/**
 * Appends every outbox event to a JSON-lines file and fsyncs it before acknowledging, so the
 * relay's cursor never runs ahead of what is on disk. Enabled with OUTBOX_JSONL=<file>: an
 * integration point for external consumers and the subscriber the crash tests check.
 */
export function jsonlSubscriber(file: string): OutboxSubscriber {
  const fd = openSync(file, "a");
  return {
    name: `jsonl:${file}`,
    deliver(row) {
      appendFileSync(fd, `${JSON.stringify({ eventId: row.eventId, id: row.id, topic: row.topic, sessionId: row.sessionId, payload: row.payload })}\n`);
      fsyncSync(fd);
    },
    close() {
      closeSync(fd);
    },
  } as OutboxSubscriber & { close(): void };
}
