import type { Room } from "@colyseus/sdk";
import { LatencyRecorder, type LatencySummary } from "./stats.ts";
import { benchSettings, sleep } from "./settings.ts";
import { roomLimits } from "../protocol/limits.ts";

/**
 * One Colyseus ping/pong on `room`, timed here (the SDK's own rtt is whole milliseconds).
 * Undefined when the room is closed or leaves before the pong (the SDK then never calls back).
 */
export function pingOnce(room: Room): Promise<number | undefined> {
  if (!room.connection?.isOpen) return Promise.resolve(undefined);
  const t0 = performance.now();
  return new Promise<number | undefined>((resolve, reject) => {
    const left = () => {
      clearTimeout(timer);
      resolve(undefined);
    };
    const timer = setTimeout(() => {
      room.onLeave.remove(left);
      reject(new Error("no pong"));
    }, benchSettings.commandTimeoutMs);
    room.onLeave.once(left);
    room.ping(() => {
      clearTimeout(timer);
      room.onLeave.remove(left);
      resolve(performance.now() - t0);
    });
  });
}

/**
 * Sequential pings, paced under the room's per-client message limit: Colyseus counts pings
 * against maxMessagesPerSecond, and a sub-millisecond round trip would otherwise send hundreds a
 * second and get the connection dropped by the flood guard.
 */
export async function pingRoundTrips(room: Room, count: number): Promise<LatencySummary> {
  const latency = new LatencyRecorder(count);
  const gapMs = 1_000 / (roomLimits.messagesPerSecondMax / 2);
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    const ms = await pingOnce(room);
    if (ms === undefined) throw new Error("the room closed during the pings");
    latency.record(ms);
    await sleep(t0 + gapMs - performance.now());
  }
  return latency.summary();
}

/**
 * Sequential pings from `startAt` to `endAt` (performance.now() times) on whatever room `current`
 * returns (a display that was dropped and rejoined has a new one), one at most every `gapMs` so a
 * fast round trip cannot trip the flood guard. Only pongs inside the window count; a ping whose
 * room closed before the pong counts as `lost`.
 */
export async function pingDuring(current: () => Room, startAt: number, endAt: number, gapMs: number): Promise<{ latency: LatencySummary; lost: number }> {
  const latency = new LatencyRecorder(Math.ceil((endAt - startAt) / gapMs) + 1);
  let lost = 0;
  await sleep(startAt - performance.now());
  while (performance.now() < endAt) {
    const t0 = performance.now();
    const ms = await pingOnce(current());
    if (ms === undefined) lost += 1;
    else if (performance.now() <= endAt) latency.record(ms);
    await sleep(t0 + gapMs - performance.now());
  }
  return { latency: latency.summary(), lost };
}
