import type { ComponentChildren } from "preact";
import type { StaffSession } from "../../../clients/api.ts";
import type { ConnectionStatus } from "../../../clients/room-client.ts";
import { ConnectionStatusBadge } from "../shared/connection-status.tsx";
import { lang, setLang } from "../shared/i18n.ts";
import { signOut } from "../shared/session.ts";
import { t } from "./texts.ts";

export function LangSwitch() {
  const next = lang.value === "ko" ? "en" : "ko";
  return <button type="button" class="lang" lang={next} data-action="lang" onClick={() => setLang(next)}>{t("switchLang")}</button>;
}

/** The bar on every POS screen: where I am, the link (heartbeat-backed), who is signed in. */
export function TopBar({ session, status, children }: { session: StaffSession; status: ConnectionStatus | "joining"; children: ComponentChildren }) {
  return (
    <header class="pos-bar">
      <div class="pos-bar-main">{children}</div>
      <div class="pos-bar-tools">
        <ConnectionStatusBadge status={status} />
        <span class="who">{session.name}</span>
        <LangSwitch />
        <button type="button" data-action="sign-out" onClick={signOut}>{t("signOut")}</button>
      </div>
    </header>
  );
}
