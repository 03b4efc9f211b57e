import { useEffect } from "preact/hooks";
import type { StaffSession } from "../../../clients/api.ts";
import { joinAdminRoom } from "../../../clients/room-client.ts";
import { ConnectionStatusBadge } from "../shared/connection-status.tsx";
import { signOut } from "../shared/session.ts";
import { toast, Toasts } from "../shared/toasts.tsx";
import { useRoom, type RoomView } from "../shared/use-room.ts";
import { AuditLog } from "./audit-log.tsx";
import { LangSwitch } from "./lang-switch.tsx";
import { MenuStock } from "./menu-stock.tsx";
import { PrintLog } from "./print-log.tsx";
import { QrCodes } from "./qr-codes.tsx";
import { refusalText } from "./refusals.ts";
import { SalesReport } from "./sales-report.tsx";
import { currentSection, sectionIds, type SectionId } from "./sections.ts";
import { StaffList } from "./staff-list.tsx";
import { t } from "./texts.ts";

interface PrintNotice { kind: "print_failed" | "printed" | "failover" | "recovered" | "not_ready"; message: string }
interface StaffCall { tableName: string; note?: string }

/**
 * The signed-in console. The admin room (printer health, failed slips, print log) is joined for
 * the console's whole life, so a failed slip or a staff call toasts in every section.
 */
export function Console({ session }: { session: StaffSession }) {
  const room = useRoom(() => joinAdminRoom(session, { storeId: session.storeId }), session.token);
  const client = room.client;

  useEffect(() => {
    if (!client) return;
    const offNotice = client.onMessage<PrintNotice>("notice", (notice) => {
      if (notice.kind === "print_failed") toast(t("printFailedToast", { message: notice.message }), "error", { label: t("toPrintLog"), href: "#print-log" });
      else if (notice.kind === "failover") toast(t("failoverToast", { message: notice.message }), "warn", { label: t("toPrintLog"), href: "#print-log" });
      else if (notice.kind === "not_ready") toast(t("notReadyToast", { message: notice.message }), "warn", { label: t("toPrintLog"), href: "#print-log" });
    });
    const offCall = client.onMessage<StaffCall>("staffCall", (call) => {
      toast(call.note ? t("staffCallNote", { table: call.tableName, note: call.note }) : t("staffCallToast", { table: call.tableName }), "warn");
    });
    return () => {
      offNotice();
      offCall();
    };
  }, [client]);

  const section = currentSection.value;
  return (
    <div class="admin">
      <header class="admin-bar">
        <h1>{t("title")}</h1>
        <span class="who">{session.storeId} · {session.name}</span>
        <ConnectionStatusBadge status={room.status} />
        <span class="admin-tools">
          <LangSwitch />
          <button type="button" onClick={signOut}>{t("signOut")}</button>
        </span>
      </header>
      <nav class="admin-nav" aria-label={t("sections")}>
        {sectionIds.map((id) => (
          <a key={id} href={`#${id}`} aria-current={id === section ? "page" : undefined} data-section={id}>{t(`section_${id}`)}</a>
        ))}
      </nav>
      <main class="admin-main" id={section}>
        {room.error ? <p role="alert" class="error">{refusalText((room.error as { code?: string }).code)}</p> : null}
        <SectionView id={section} session={session} room={room} />
      </main>
      <Toasts closeLabel={t("close")} />
    </div>
  );
}

function SectionView({ id, session, room }: { id: SectionId; session: StaffSession; room: RoomView<"admin"> }) {
  switch (id) {
    case "print-log": return <PrintLog session={session} room={room} rev={room.revision} />;
    case "audit": return <AuditLog session={session} />;
    case "sales": return <SalesReport session={session} />;
    case "menu": return <MenuStock session={session} />;
    case "qr": return <QrCodes session={session} />;
    case "staff": return <StaffList session={session} />;
    default: return assertNever(id);
  }
}

function assertNever(value: never): never {
  throw new Error(`unknown section ${String(value)}`);
}
