import type { Fault } from "./faults.ts";

/** The client library (issue 13 items 2 and 7): exactly-once replies across drops, heartbeat, rejoin, browser safety. */
const roomClient = [["test/clients", "room-client"]] as const;

export const faults: readonly Fault[] = [
  {
    id: "client-replay-new-cmdid",
    rule: "a command replayed after a drop carries the SAME cmdId, so the server answers with the first reply",
    file: "clients/room-client.ts",
    find: "room.request(messageTypes.command, entry.body, { timeout: entry.timeoutMs })",
    replace: "room.request(messageTypes.command, (entry as any).sent ? { ...entry.body, cmdId: globalThis.crypto.randomUUID() } : (((entry as any).sent = true), entry.body), { timeout: entry.timeoutMs })",
    tests: roomClient,
  },
  {
    id: "client-no-replay",
    rule: "commands unanswered at a drop are sent again once the link is back",
    file: "clients/room-client.ts",
    find: "for (const entry of this.#pending) if (!entry.inFlight) this.#send(entry);",
    replace: "",
    tests: roomClient,
  },
  {
    id: "client-no-heartbeat",
    rule: "a silently dead (half-open) link is noticed by the application heartbeat",
    file: "clients/room-client.ts",
    find: "if (this.#status !== \"online\" || this.#awaitingState || this.#pingInFlight) return;",
    replace: "return;",
    tests: roomClient,
  },
  {
    id: "client-reconnected-before-state",
    rule: "onReconnected fires once the full current state arrived, not at the SDK's onReconnect",
    file: "clients/room-client.ts",
    find: "if (current()) this.#awaitingState = true;",
    replace: "if (current()) this.#cameBack(false);",
    tests: roomClient,
  },
  {
    id: "client-no-fresh-join",
    rule: "when the seat is gone (server restarted, room without held seats) the client joins afresh",
    file: "clients/room-client.ts",
    find: "void this.#rejoin();",
    replace: "void 0;",
    tests: roomClient,
  },
  {
    id: "server-no-ping",
    rule: "every room answers the heartbeat's ping request",
    file: "rooms/command-pipeline.ts",
    find: "room.onMessage(messageTypes.ping, () => ({ pong: true }));",
    replace: "",
    tests: roomClient,
  },
  {
    id: "client-imports-node",
    rule: "the client library is browser-safe: no Node built-in anywhere in its import graph",
    file: "clients/api.ts",
    find: "import type { WireErrorCode } from \"../protocol/index.ts\";",
    replace: "import type { WireErrorCode } from \"../protocol/index.ts\";\nimport { createHash } from \"node:crypto\";",
    tests: [["test/wire", "browser-safe"]],
  },
];
