import type { Client, Room } from "@colyseus/core";
import type { z } from "zod";
import type { Principal, Role, RoomContext } from "./context.ts";
import type { CommandKey, ProcessedCommand } from "../storage/index.ts";
import { roomLimits } from "../protocol/limits.ts";
import { AssertionError } from "../domain/index.ts";
import { Mailbox } from "./mailbox.ts";
import { wireError, type WireError } from "../protocol/codes.ts";
import { bodyHash, ReplyCache } from "./wire/idempotency.ts";
import { errorReply, okReply, type Reply } from "../protocol/reply.ts";
import { cmdIdSchema } from "../protocol/table-commands.ts";
import { messageTypes } from "../protocol/rooms.ts";
import { measurePlain } from "../protocol/measure.ts";
import { idempotencyWindow } from "../server/retention.ts";
import { crashPoints } from "../server/crash-points.ts";

/** `transient`: nothing was decided (storage failed, a writer raced us): not remembered, so a retry is evaluated afresh. */
export type Outcome = { ok: true; data: unknown } | { ok: false; error: WireError; transient?: boolean };

export interface CommandMeta {
  readonly cmdId: string;
  readonly bodyHash: string;
  readonly principal: Principal;
  /** The sending connection (Colyseus client sessionId, kept across a reconnection): the edit lock's terminal. */
  readonly terminal?: string;
}

/** What a room plugs into the pipeline. */
export interface PipelineSpec<C extends { type: string; cmdId: string }> {
  readonly schema: z.ZodType<C>;
  readonly knownTypes: ReadonlySet<string>;
  /** Part of the body hash, so one cmdId cannot be spent in two rooms. */
  scope(): string;
  rolesFor(type: C["type"]): readonly Role[];
  /** Replies of persisted commands are looked up in the database after a restart. */
  lookupPersisted(type: C["type"], key: CommandKey): ProcessedCommand | undefined;
  execute(command: C, meta: CommandMeta): Promise<Outcome> | Outcome;
  /** A broken invariant (AssertionError): the room logs it and reloads what it shows from storage. */
  onBug(error: Error): void;
  /**
   * Commands that wait on the outside world (a card payment waits for the VAN) run beside the
   * room's queue instead of in it, so the table's other commands are not held up; they still
   * change the session one at a time through its own mailbox.
   */
  runsBeside?(type: string): boolean;
  /** A replayed reply may be brought up to date (a payment that was pending when first answered). */
  refreshReply?(type: C["type"], reply: Reply): Reply;
}

/**
 * The wire contract in one place: size cap, schema, role, idempotency (same cmdId + same body →
 * first reply; different body → CMD_ID_REUSED), one command at a time, exactly one reply.
 * Idempotency keys are scoped to the sender's store and principal: nobody else's cmdId can
 * replay or block theirs.
 */
export class CommandPipeline<C extends { type: string; cmdId: string }> {
  readonly #mailbox = new Mailbox(roomLimits.mailboxLengthMax);
  readonly #replies = new ReplyCache(roomLimits.replyCacheEntries);
  readonly #running = new Map<string, Promise<Reply>>();

  constructor(private readonly spec: PipelineSpec<C>) {}

  /** Whether `type` is one of this room's commands (only those become metric labels). */
  knows(type: string): boolean {
    return this.spec.knownTypes.has(type);
  }

  handle(principal: Principal, raw: unknown, terminal?: string): Promise<Reply> {
    const cmdId = cmdIdOf(raw);
    const early = this.#precheck(raw, cmdId);
    if (early) return Promise.resolve(errorReply(cmdId, early));
    const type = (raw as { type: string }).type;
    if (this.spec.runsBeside?.(type)) return this.#beside(principal, raw as Record<string, unknown>, cmdId, terminal);
    const result = this.#mailbox.run(() => this.#run(principal, raw as Record<string, unknown>, cmdId, terminal));
    return result ?? Promise.resolve(errorReply(cmdId, wireError("BUSY", "too many commands waiting in this room")));
  }

  /**
   * A command running beside the queue. A retry of one still under way (same sender, same cmdId)
   * waits for the first and gets its reply: it never starts a second payment.
   */
  #beside(principal: Principal, raw: Record<string, unknown>, cmdId: string, terminal: string | undefined): Promise<Reply> {
    const key = cacheKey({ storeId: principal.storeId, actorId: principal.staffId, cmdId });
    const running = this.#running.get(key);
    if (running) return running;
    if (this.#running.size >= roomLimits.mailboxLengthMax) return Promise.resolve(errorReply(cmdId, wireError("BUSY", "too many commands under way in this room")));
    const started = this.#run(principal, raw, cmdId, terminal).finally(() => this.#running.delete(key));
    this.#running.set(key, started);
    return started;
  }

  #precheck(raw: unknown, cmdId: string): WireError | undefined {
    if (raw === null || typeof raw !== "object" || Array.isArray(raw)) return wireError("BAD_REQUEST", "a command is an object with cmdId and type");
    const size = measurePlain(raw, { bytesMax: roomLimits.commandBytesMax, depthMax: roomLimits.commandDepthMax, nodesMax: roomLimits.commandValuesMax });
    if (!size.ok) {
      if (size.reason === "not_plain_data") return wireError("BAD_REQUEST", "command is not plain data (objects, arrays, strings, numbers, booleans, null)");
      return wireError("PAYLOAD_TOO_LARGE", `command is ${size.reason.replaceAll("_", " ")} (limit ${size.limit})`, { rule: size.reason, limit: size.limit });
    }
    if (!cmdIdSchema.safeParse((raw as { cmdId?: unknown }).cmdId).success) return wireError("BAD_REQUEST", "cmdId missing or malformed");
    const type = (raw as { type?: unknown }).type;
    if (typeof type !== "string" || !this.spec.knownTypes.has(type)) return wireError("UNKNOWN_COMMAND", `unknown command type ${JSON.stringify(type)?.slice(0, 64)}`);
    if (cmdId === "") return wireError("BAD_REQUEST", "cmdId missing");
    return this.#checkIssuedAt(raw as Record<string, unknown>);
  }

  /**
   * `issuedAt` (optional, every command): when the client first made the command, epoch ms or an
   * ISO 8601 time. Older than the idempotency window (= the processed_commands retention) the
   * server may have forgotten the cmdId, so a replay could execute twice: refused, nothing changes.
   * It is removed here, before the schema and the body hash, so any retry replays like the first.
   */
  #checkIssuedAt(raw: Record<string, unknown>): WireError | undefined {
    if (!Object.hasOwn(raw, "issuedAt")) return undefined;
    const value = raw.issuedAt;
    delete raw.issuedAt;
    if (value === undefined) return undefined;
    // 2026-12-03T07:35:12Z, with optional seconds, fraction and offset.
    const isoTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
    const issuedAtMs = typeof value === "number" ? (Number.isSafeInteger(value) && value >= 0 ? value : Number.NaN)
      : typeof value === "string" && value.length <= 40 && isoTime.test(value) ? Date.parse(value)
      : Number.NaN;
    if (Number.isNaN(issuedAtMs)) return wireError("BAD_REQUEST", "issuedAt must be epoch milliseconds or an ISO 8601 time", { issues: [{ path: "issuedAt", message: "epoch ms or ISO 8601 time" }] });
    const window = idempotencyWindow();
    if (issuedAtMs < window.nowMs() - window.windowMs) {
      return wireError("IDEMPOTENCY_EXPIRED", `issuedAt is older than the ${window.days}-day idempotency window; the command was not executed`, { windowDays: window.days });
    }
    return undefined;
  }

  async #run(principal: Principal, raw: Record<string, unknown>, cmdId: string, terminal: string | undefined): Promise<Reply> {
    const parsed = this.spec.schema.safeParse(raw);
    if (!parsed.success) {
      const issues = parsed.error.issues.slice(0, 10).map((i) => ({ path: i.path.join("."), message: i.message }));
      return errorReply(cmdId, wireError("BAD_REQUEST", issues.map((i) => `${i.path}: ${i.message}`).join("; "), { issues }));
    }
    const command = parsed.data;
    if (!this.spec.rolesFor(command.type).includes(principal.role)) {
      return errorReply(cmdId, wireError("FORBIDDEN", `role ${principal.role} may not ${command.type}`));
    }
    const hash = bodyHash(this.spec.scope(), raw);
    const key: CommandKey = { storeId: principal.storeId, actorId: principal.staffId, cmdId };
    const replay = this.#replay(command.type, key, hash);
    if (replay) return replay;
    let outcome: Outcome;
    try {
      outcome = await this.spec.execute(command, { cmdId, bodyHash: hash, principal, ...(terminal !== undefined ? { terminal } : {}) });
    } catch (error) {
      if (error instanceof AssertionError) this.spec.onBug(error);
      // Not remembered: nothing was written, so a retry with the same cmdId may still succeed.
      return errorReply(cmdId, wireError("INTERNAL", `command failed: ${error instanceof Error ? error.message : String(error)}`));
    }
    // Test-only (CRASH_AT, DESIGN.md §7): the command is durable, its reply never leaves.
    if (outcome.ok) crashPoints.armed?.hit("after-commit-before-reply");
    // The key was stored by a commit this lookup did not see yet (a retry racing its original):
    // the stored reply is the answer, exactly as for any replay.
    if (!outcome.ok && outcome.error.code === "CMD_ID_REUSED") {
      const stored = this.#replay(command.type, key, hash);
      if (stored) return stored;
    }
    const reply = outcome.ok ? okReply(cmdId, outcome.data) : errorReply(cmdId, outcome.error);
    if (outcome.ok || !outcome.transient) this.#replies.set(cacheKey(key), { bodyHash: hash, reply });
    return reply;
  }

  #replay(type: C["type"], key: CommandKey, hash: string): Reply | undefined {
    const remembered = this.#replies.get(cacheKey(key));
    const stored = remembered ?? this.#fromDatabase(type, key);
    if (!stored) return undefined;
    if (stored.bodyHash !== hash) return errorReply(key.cmdId, wireError("CMD_ID_REUSED", "this cmdId was already used for a different command"));
    return this.spec.refreshReply ? this.spec.refreshReply(type, stored.reply) : stored.reply;
  }

  #fromDatabase(type: C["type"], key: CommandKey): { bodyHash: string; reply: Reply } | undefined {
    const row = this.spec.lookupPersisted(type, key);
    return row ? { bodyHash: row.bodyHash, reply: row.reply as Reply } : undefined;
  }
}

/** Store and staff ids cannot contain NUL (config ids are [A-Za-z0-9_-]), so the key is unambiguous. */
function cacheKey(key: CommandKey): string {
  return `${key.storeId}\u0000${key.actorId}\u0000${key.cmdId}`;
}

function cmdIdOf(raw: unknown): string {
  const value = raw !== null && typeof raw === "object" ? (raw as { cmdId?: unknown }).cmdId : undefined;
  return typeof value === "string" && value.length <= 80 ? value : "";
}

export function sendReply(client: Client, reply: Reply): void {
  client.send("reply", reply);
}

/**
 * Every room speaks the wire contract the same way: commands arrive as "cmd" (request → the
 * response; send → a "reply" message), anything else gets UNKNOWN_COMMAND instead of the
 * disconnect Colyseus would give it.
 */
export function wireCommands(room: Room, ctx: RoomContext, pipeline: CommandPipeline<any>): void {
  room.onMessage("cmd", (client: Client<{ auth: Principal }>, message: unknown, reply) => {
    const startedAt = performance.now();
    const answer = client.auth
      ? pipeline.handle(client.auth, message, client.sessionId)
      : Promise.resolve(errorReply("", wireError("UNAUTHORIZED", "join with a token first")));
    if (reply.id === undefined) void answer.then((r) => sendReply(client, r));
    void answer.then((r) => {
      const ms = performance.now() - startedAt;
      const sent = message !== null && typeof message === "object" ? (message as { type?: unknown }).type : undefined;
      // Only command types the pipeline knows become labels (a client cannot mint metric series).
      const type = typeof sent === "string" && pipeline.knows(sent) ? sent : "other";
      const code = r.ok ? "ok" : r.error.code;
      const store = client.auth?.storeId ?? "";
      const table = (room.state as { tableId?: unknown } | undefined)?.tableId;
      const fields = {
        store, room: room.roomId, roomType: room.roomName, ...(typeof table === "string" ? { table } : {}),
        staff: client.auth?.staffId, cmdId: r.cmdId, type, code, ms: Math.round(ms * 1000) / 1000,
      };
      if (code === "INTERNAL") ctx.log.error("command failed", undefined, { ...fields, message: r.ok ? undefined : r.error.message });
      else if (code === "BUSY") ctx.log.warn("command refused: busy", fields);
      else ctx.log.debug("command", fields);
      ctx.metrics?.observeCommand({ room: room.roomName, type, code, store, seconds: ms / 1000 });
    }).catch(() => undefined); // observing must never become an unhandled rejection
    return answer;
  });
  // The client library's heartbeat (clients/room-client.ts): answered outside the mailbox, so a
  // busy room still shows its link is alive.
  room.onMessage(messageTypes.ping, () => ({ pong: true }));
  // Colyseus calls this with the received type, except for a message whose type is "*" itself:
  // then the payload arrives where the type should be, so nothing about the argument is trusted.
  room.onMessage("*", (client: Client, type: unknown, third: unknown) => {
    const label = typeof type === "string" ? JSON.stringify(type.slice(0, 64)) : typeof type === "number" ? String(type) : "\"*\"";
    const answer = errorReply("", wireError("UNKNOWN_COMMAND", `unknown message type ${label}; send commands as "cmd"`));
    // A request (only possible for type "*") is answered by the return value; a decoded payload never holds functions.
    const isRequest = typeof (third as { resolve?: unknown } | null)?.resolve === "function" && typeof (third as { id?: unknown }).id === "number";
    if (!isRequest) sendReply(client, answer);
    return answer;
  });
}
