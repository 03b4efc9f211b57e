import { randomUUID } from "node:crypto";

/** Time and ids enter the system here, so the domain never reads a clock or random source. */
export interface Clock {
  nowMs(): number;
}

export const systemClock: Clock = { nowMs: () => Date.now() };

export function isoAt(clock: Clock): string {
  return new Date(clock.nowMs()).toISOString();
}

export function newId(): string {
  return randomUUID();
}
