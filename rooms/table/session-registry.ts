import type { RoomContext } from "../context.ts";
import { TableSession } from "./table-session.ts";

/**
 * One actor per table session, shared by every room that acts on it (the table room, the
 * kitchen room), so all their commands on one session run one at a time through one mailbox.
 */
export class SessionRegistry {
  readonly #actors = new Map<string, TableSession>();
  readonly #rooms = new Map<string, string>();
  constructor(private readonly ctx: () => RoomContext) {}

  get(storeId: string, tableId: string): TableSession | undefined {
    const key = `${storeId}/${tableId}`;
    let actor = this.#actors.get(key);
    if (!actor) {
      const store = this.ctx().stores.get(storeId);
      if (!store?.tables.has(tableId)) return undefined;
      actor = new TableSession(this.ctx(), store, tableId);
      actor.load();
      this.#actors.set(key, actor);
    }
    return actor;
  }

  /**
   * One table room per table in this process: when a room is full Colyseus would otherwise
   * create a second one with its own draft (COLYSEUS.md gotcha 6).
   */
  attachRoom(storeId: string, tableId: string, roomId: string): boolean {
    const key = `${storeId}/${tableId}`;
    const current = this.#rooms.get(key);
    if (current !== undefined && current !== roomId) return false;
    this.#rooms.set(key, roomId);
    return true;
  }

  detachRoom(storeId: string, tableId: string, roomId: string): void {
    const key = `${storeId}/${tableId}`;
    if (this.#rooms.get(key) === roomId) this.#rooms.delete(key);
  }
}
