import type { Clock } from "../../server/clock.ts";
import { kitchenLimits } from "./limits.ts";

interface Screen {
  readonly storeId: string;
  /** "" = a screen that shows every station. */
  readonly stationId: string;
  lastBeatMs: number;
}

type Listener = (online: ReadonlyMap<string, boolean>) => void;

/**
 * Which kitchen screens are alive: a screen is alive while connected and heartbeating. The front
 * (every table room) hears of a station going dark within heartbeatTimeoutMs + statusCheckEveryMs.
 */
export class KitchenStatus {
  readonly #screens = new Map<string, Screen>();
  readonly #listeners = new Map<string, Set<Listener>>();
  readonly #last = new Map<string, Map<string, boolean>>();
  #timer: NodeJS.Timeout | undefined;

  constructor(private readonly clock: Clock, private readonly stationsOf: (storeId: string) => readonly string[]) {}

  start(): void {
    this.#timer = setInterval(() => this.#check(), kitchenLimits.statusCheckEveryMs);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
  }

  connected(screenId: string, storeId: string, stationId: string): void {
    this.#screens.set(screenId, { storeId, stationId, lastBeatMs: this.clock.nowMs() });
    this.#check();
  }

  beat(screenId: string): void {
    const screen = this.#screens.get(screenId);
    if (screen) screen.lastBeatMs = this.clock.nowMs();
  }

  disconnected(screenId: string): void {
    this.#screens.delete(screenId);
    this.#check();
  }

  online(storeId: string): ReadonlyMap<string, boolean> {
    const nowMs = this.clock.nowMs();
    const alive = [...this.#screens.values()].filter((s) => s.storeId === storeId && nowMs - s.lastBeatMs <= kitchenLimits.heartbeatTimeoutMs);
    return new Map(this.stationsOf(storeId).map((station) => [station, alive.some((s) => s.stationId === "" || s.stationId === station)]));
  }

  /** Tells the listener now and on every change. */
  onChange(storeId: string, listener: Listener): () => void {
    let set = this.#listeners.get(storeId);
    if (!set) this.#listeners.set(storeId, (set = new Set()));
    set.add(listener);
    listener(this.online(storeId));
    return () => set!.delete(listener);
  }

  #check(): void {
    for (const [storeId, listeners] of this.#listeners) {
      const now = this.online(storeId);
      const before = this.#last.get(storeId);
      const same = before && [...now].every(([k, v]) => before.get(k) === v);
      if (same) continue;
      this.#last.set(storeId, new Map(now));
      for (const listener of listeners) listener(now);
    }
  }
}
