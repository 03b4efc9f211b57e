import { createHash } from "node:crypto";
import type { Reply } from "../../protocol/reply.ts";

/** Hash of everything but the cmdId, in a key order that does not depend on the sender. */
export function bodyHash(scope: string, body: Record<string, unknown>): string {
  const { cmdId: _ignored, ...rest } = body;
  return createHash("sha256").update(scope).update("\u0000").update(canonicalJson(rest)).digest("hex");
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

export interface RememberedReply {
  readonly bodyHash: string;
  readonly reply: Reply;
}

/**
 * Replies a room has given, so a replayed cmdId gets the first answer even for commands that
 * never reach the database (draft edits, refusals). Bounded: the oldest entries fall out first.
 */
export class ReplyCache {
  readonly #entries = new Map<string, RememberedReply>();
  constructor(private readonly capacity: number) {}

  get(cmdId: string): RememberedReply | undefined {
    return this.#entries.get(cmdId);
  }

  set(cmdId: string, entry: RememberedReply): void {
    this.#entries.delete(cmdId);
    this.#entries.set(cmdId, entry);
    if (this.#entries.size > this.capacity) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
  }
}
