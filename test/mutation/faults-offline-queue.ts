import type { Fault } from "./faults.ts";

/** Issue 13 item 6 (R-OFF-2): the offline POS queue, its file store and the room's origin check. */
const unit = ["test/clients", "offline-queue"] as const;
const e2e = ["test/e2e", "offline-pos"] as const;

export const faults: readonly Fault[] = [
  {
    id: "offline-replay-past-refusal",
    rule: "the replay stops at the first refusal so that a person decides",
    file: "clients/offline-queue.ts",
    find: "if (transientCodes.has(reply.error.code)) return { status: \"interrupted\", sent, entry: structuredClone(entry), reply };",
    replace: "if (reply.error.code !== \"BUSY\") { await this.#exclusive(() => this.#store.remove(entry.seq)); this.#entries.shift(); continue; }",
    tests: [unit, e2e],
  },
  {
    id: "offline-new-cmdid-per-replay",
    rule: "a replay sends each entry with the cmdId it was queued with, so the server replays its first reply",
    file: "clients/offline-queue.ts",
    find: "reply = await send(structuredClone(entry.body));",
    replace: "reply = await send({ ...structuredClone(entry.body), cmdId: globalThis.crypto.randomUUID() }); reply = { ...reply, cmdId: entry.cmdId };",
    tests: [unit, e2e],
  },
  {
    id: "offline-removed-before-reply",
    rule: "an entry is removed only after its reply arrived",
    file: "clients/offline-queue.ts",
    find: "return { status: \"interrupted\", sent, entry: structuredClone(entry), error };",
    replace: "this.#entries.shift(); return { status: \"interrupted\", sent, entry: structuredClone(entry), error };",
    tests: [unit],
  },
  {
    id: "offline-library-origin-unchecked",
    rule: "the library refuses to replay a queue under another login, store or table",
    file: "clients/offline-queue.ts",
    find: "if (foreign) return { status: \"refused\", sent: 0, error: foreign };",
    replace: "if (foreign && sender.staffId === \"nobody\") return { status: \"refused\", sent: 0, error: foreign };",
    tests: [unit, e2e],
  },
  {
    id: "offline-card-payment-queued",
    rule: "a card payment is never queued offline",
    file: "clients/offline-queue.ts",
    find: "return command.method === \"cash\" ? undefined :",
    replace: "return command.method !== \"points\" ? undefined :",
    tests: [unit, e2e],
  },
  {
    id: "offline-server-origin-unchecked",
    rule: "the table room refuses an offline-queued command of another staff, store or table",
    file: "rooms/table/table-room.ts",
    find: "if (foreign) return { ok: false, error: foreign };",
    replace: "if (foreign && foreign.message === \"\") return { ok: false, error: foreign };",
    tests: [e2e],
  },
  {
    id: "offline-server-age-unchecked",
    rule: "the table room refuses an offline-queued command older than queuedAgeMaxMs",
    file: "rooms/table/offline-origin.ts",
    find: "if (ageMs > offlineLimits.queuedAgeMaxMs || -ageMs > offlineLimits.clockAheadMaxMs) {",
    replace: "if (ageMs > 10 * offlineLimits.queuedAgeMaxMs || -ageMs > offlineLimits.clockAheadMaxMs) {",
    tests: [e2e],
  },
  {
    id: "offline-file-written-in-place",
    rule: "the queue file is replaced atomically (temp file, fsync, rename), so a crash never leaves half an entry",
    file: "clients/node/file-queue-store.ts",
    find: "const temp = `${file}.tmp`;",
    replace: "const temp = file;",
    tests: [unit],
  },
];
