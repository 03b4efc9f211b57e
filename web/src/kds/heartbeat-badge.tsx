import { t } from "./texts.ts";

/**
 * Whether the floor sees this screen: the client library sends the kitchen "heartbeat" every 2 s
 * (docs/PROTOCOL.md §7.2) and the server reflects it in `kitchenOnline`, so this shows the whole
 * round trip, not just an open socket.
 */
export function HeartbeatBadge({ kitchenOnline, stationIds }: { kitchenOnline: any; stationIds: readonly string[]; rev: number }) {
  const alive = stationIds.length > 0 && stationIds.every((id) => kitchenOnline?.get(id) === true);
  return (
    <span class={`heartbeat ${alive ? "online" : "offline"}`} role="status" aria-live="polite" data-heartbeat={alive ? "online" : "offline"}>
      <span class="pulse" aria-hidden="true">{alive ? "♥" : "✕"}</span>
      {alive ? t("heartbeatOk") : t("heartbeatLost")}
    </span>
  );
}
