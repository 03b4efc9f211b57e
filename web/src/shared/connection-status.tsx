import type { ConnectionStatus } from "../../../clients/room-client.ts";
import { translator } from "./i18n.ts";

const t = translator({
  online: { ko: "연결됨", en: "Connected" },
  reconnecting: { ko: "연결 끊김 · 다시 연결 중", en: "Connection lost · reconnecting" },
  offline: { ko: "오프라인", en: "Offline" },
  joining: { ko: "연결 중", en: "Connecting" },
});

/** The heartbeat-backed link state, in words and colour (never colour alone). */
export function ConnectionStatusBadge({ status }: { status: ConnectionStatus | "joining" }) {
  return (
    <span class={`connection ${status}`} role="status" aria-live="polite" data-status={status}>
      <span class="dot" aria-hidden="true" />
      {t(status)}
    </span>
  );
}
