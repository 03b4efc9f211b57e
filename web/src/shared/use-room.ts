import { useEffect, useState } from "preact/hooks";
import type { RoomName } from "../../../protocol/rooms.ts";
import type { ConnectionStatus, RoomClient } from "../../../clients/room-client.ts";

export interface RoomView<R extends RoomName> {
  readonly client: RoomClient<R> | null;
  /** The decoded room state; the component re-renders on every patch. */
  readonly state: any;
  readonly status: ConnectionStatus | "joining";
  readonly error: unknown;
  /**
   * +1 on every patch. Pass it as a prop to children that read the (mutated in place) state: with
   * @preact/signals a component that reads a signal skips a re-render when its props are identical.
   */
  readonly revision: number;
}

/**
 * Joins a room for as long as the component lives and re-renders on every state patch, also
 * after the client library rejoined (a fresh join brings a new SDK Room and a new state object).
 */
export function useRoom<R extends RoomName>(join: (() => Promise<RoomClient<R>>) | null, key: string): RoomView<R> {
  const [client, setClient] = useState<RoomClient<R> | null>(null);
  const [status, setStatus] = useState<ConnectionStatus | "joining">("joining");
  const [error, setError] = useState<unknown>(null);
  const [revision, setTick] = useState(0);

  useEffect(() => {
    if (!join) return;
    let alive = true;
    let joined: RoomClient<R> | null = null;
    const cleanups: (() => void)[] = [];
    const rerender = () => alive && setTick((n) => n + 1);
    const watchState = () => {
      const room = joined?.room;
      if (!room) return;
      room.onStateChange(rerender);
    };
    setStatus("joining");
    join().then((c) => {
      if (!alive) return void c.leave();
      joined = c;
      setClient(c);
      setStatus(c.status);
      watchState();
      cleanups.push(c.onStatus((next) => alive && setStatus(next)));
      cleanups.push(c.onReconnected(({ fresh }) => {
        // The SDK's own reconnection keeps the Room (its handlers stay); only a fresh join brings a new one.
        if (fresh) watchState();
        rerender();
      }));
    }, (failure: unknown) => alive && setError(failure));
    return () => {
      alive = false;
      for (const cleanup of cleanups) cleanup();
      void joined?.leave();
    };
  }, [key]);

  return { client, state: client?.state ?? null, status, error, revision };
}
