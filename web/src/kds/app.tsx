import { useEffect, useState } from "preact/hooks";
import { ApiError, type StaffSession } from "../../../clients/api.ts";
import { LoginForm } from "../shared/login-form.tsx";
import { signOut, staffSession } from "../shared/session.ts";
import { KitchenScreen } from "./kitchen-screen.tsx";
import { LangSwitch } from "./lang-switch.tsx";
import { refusalText } from "./refusals.ts";
import { chooseStation, chosenStation, forgetStation, loadStation } from "./station-choice.ts";
import { StationPicker } from "./station-picker.tsx";
import { fetchStoreMenu, type StoreMenu } from "./store-menu.ts";
import { t } from "./texts.ts";
import "./kds.css";

/** /kds: sign in (kitchen staff), choose a station once per device, then the kitchen screen. */
export function App() {
  const session = staffSession.value;
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

  useEffect(() => {
    loadStation(session.storeId);
    setFailure(null);
    fetchStoreMenu(session).then(setMenu, (error: unknown) => {
      if (error instanceof ApiError && error.code === "UNAUTHORIZED") return signOut();
      setFailure(error instanceof ApiError ? refusalText(error.code) : t("menuFailed"));
    });
  }, [attempt]);

  if (failure) {
    return (
      <main class="kds-message">
        <h1>{t("menuFailed")}</h1>
        <p role="alert" class="error">{failure}</p>
        <button type="button" onClick={() => setAttempt((n) => n + 1)}>{t("retry")}</button>
      </main>
    );
  }
  if (!menu) return <main class="kds-message"><h1>{t("title")}</h1><p>{t("loading")}</p></main>;

  const station = chosenStation.value;
  const valid = station === "all" || menu.stations.some((s) => s.id === station);
  if (!station || !valid) return <StationPicker stations={menu.stations} onChoose={(id) => chooseStation(session.storeId, id)} />;
  return <KitchenScreen session={session} menu={menu} stationId={station} onChangeStation={() => forgetStation(session.storeId)} />;
}
