import { LoginForm } from "../shared/login-form.tsx";
import { signOut, staffSession } from "../shared/session.ts";
import { Console } from "./console.tsx";
import { LangSwitch } from "./lang-switch.tsx";
import { t } from "./texts.ts";
import "./admin.css";

/** /admin: sign in as an admin (demo a1 / 9999), then the console. */
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
  if (session.role !== "admin") {
    return (
      <main class="login">
        <h1>{t("title")}</h1>
        <p role="alert" class="error">{t("adminOnly")}</p>
        <button type="button" onClick={signOut}>{t("signOut")}</button>
      </main>
    );
  }
  return <Console key={session.token} session={session} />;
}
