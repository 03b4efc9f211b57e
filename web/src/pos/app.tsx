import { useEffect, useState } from "preact/hooks";
import { ApiError, type StaffSession } from "../../../clients/api.ts";
import { joinRoom } from "../../../clients/room-client.ts";
import { LoginForm } from "../shared/login-form.tsx";
import { signOut, staffSession } from "../shared/session.ts";
import { Toasts } from "../shared/toasts.tsx";
import { useRoom } from "../shared/use-room.ts";
import { FloorScreen } from "./floor-screen.tsx";
import { LangSwitch } from "./top-bar.tsx";
import { openTableId } from "./nav.ts";
import { loadOfflineQueue } from "./offline-queue-loader.ts";
import { watchNotices } from "./notices.ts";
import { refusalText } from "./refusals.ts";
import { fetchStoreMenu, type StoreMenu } from "./store-menu.ts";
import { TableScreen } from "./table-screen.tsx";
import { t } from "./texts.ts";
import "./pos.css";

/** /pos: staff sign in, then the floor (every table) or one table. */
export function App() {
  const session = staffSession.value;
  // After the first screen is drawn, not before: the queue's chunk (zod) stays off the first load.
  useEffect(() => void loadOfflineQueue().catch(() => undefined), []);
  if (!session) {
    return (
      <>
        <header class="login-tools"><LangSwitch /></header>
        <LoginForm title={t("title")} />
      </>
    );
  }
  return <SignedIn key={session.token} session={session} />;
}

function SignedIn({ session }: { session: StaffSession }) {
  const [menu, setMenu] = useState<StoreMenu | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);

  const floor = useRoom(() => joinRoom("floor", session, { storeId: session.storeId }), `floor:${session.token}`);
  useEffect(() => {
    if (!floor.client || !menu) return;
    // A table's own room sends its notices while it is open; the floor speaks for the others.
    return watchNotices(floor.client, (id) => menu.tables.find((table) => table.id === id)?.name ?? id, (tableId) => openTableId.value === null || tableId !== openTableId.value);
  }, [floor.client, menu]);
  useEffect(() => {
    setFailure(null);
    fetchStoreMenu(session).then(setMenu, (error: unknown) => {
      if (error instanceof ApiError && error.code === "UNAUTHORIZED") return signOut();
      setFailure(error instanceof ApiError ? refusalText(String(error.code)) : t("menuFailed"));
    });
  }, [attempt]);

  if (failure) {
    return (
      <main class="pos-message">
        <h1>{t("menuFailed")}</h1>
        <p role="alert" class="error">{failure}</p>
        <button type="button" onClick={() => setAttempt((n) => n + 1)}>{t("retry")}</button>
      </main>
    );
  }
  if (!menu) return <main class="pos-message"><h1>{t("title")}</h1><p>{t("loading")}</p></main>;
  const tableId = openTableId.value;
  const known = tableId !== null && menu.tables.some((table) => table.id === tableId);
  return (
    <>
      {known ? <TableScreen key={tableId} session={session} menu={menu} tableId={tableId} /> : <FloorScreen session={session} menu={menu} view={floor} />}
      <Toasts closeLabel={t("close")} />
    </>
  );
}
