import { roomLimits } from "../protocol/limits.ts";

/** Knobs of a RoomClient; every wait and retry is bounded (house style: a limit on everything). */
export interface RoomClientSettings {
  /** How often the heartbeat pings the room. */
  readonly heartbeatMs?: number;
  /** A ping unanswered this long means a dead link: close 4010 and reconnect. */
  readonly heartbeatTimeoutMs?: number;
  /** One attempt of a command waits this long for its reply (then: reconnect and replay). */
  readonly commandTimeoutMs?: number;
  /** Timed-out attempts of one command before it rejects with COMMAND_TIMEOUT. */
  readonly commandAttemptsMax?: number;
  /** One join attempt (matchmaking, socket, first full state). */
  readonly joinTimeoutMs?: number;
  /** The SDK's own reconnection attempts (same seat) before a fresh join. */
  readonly sdkRetriesMax?: number;
  /** A reconnection attempt with no outcome for this long is abandoned (a dead link swallows the handshake too). */
  readonly reconnectStallMs?: number;
  /** Fresh joins: first wait, doubling up to rejoinDelayMaxMs, at most rejoinAttemptsMax attempts. */
  readonly providerCommandTimeoutMs?: number;
  /** Kitchen room only: whether this client counts as a live kitchen screen (an admin console editing 86 must not). */
  readonly kitchenHeartbeat?: boolean;
  readonly rejoinDelayMs?: number;
  readonly rejoinDelayMaxMs?: number;
  readonly rejoinAttemptsMax?: number;
}

export const roomClientDefaults = {
  heartbeatMs: 2_000,
  // The server answers a ping at once; 3 s of silence on loopback or LAN is a dead link.
  heartbeatTimeoutMs: 3_000,
  // A retry of a command still running joins it on the server (its reply is the first one).
  commandTimeoutMs: 15_000,
  // Commands that wait on the card company (the VAN may take its full 30 s request timeout, then a
  // query and a net cancel): a shorter wait would tear down a healthy link and resend meanwhile.
  providerCommandTimeoutMs: 75_000,
  kitchenHeartbeat: true,
  commandAttemptsMax: 5,
  joinTimeoutMs: 10_000,
  // The SDK waits 0.2, 0.4, 0.8, 1.6, 3.2, then 5 s: 7 attempts span about the server's seat
  // window (roomLimits.reconnectSeconds); after it only a fresh join can work.
  sdkRetriesMax: Math.max(1, Math.ceil(roomLimits.reconnectSeconds / 3)),
  reconnectStallMs: 10_000,
  rejoinDelayMs: 200,
  rejoinDelayMaxMs: 5_000,
  // At the 5 s cap: about 14 hours of trying before the client gives up (status "offline").
  rejoinAttemptsMax: 10_000,
} as const satisfies Required<RoomClientSettings>;
