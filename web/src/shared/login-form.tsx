import { useState } from "preact/hooks";
import { ApiError } from "../../../clients/api.ts";
import { translator } from "./i18n.ts";
import { signIn } from "./session.ts";

const t = translator({
  heading: { ko: "로그인", en: "Sign in" },
  store: { ko: "매장", en: "Store" },
  staff: { ko: "직원 번호", en: "Staff ID" },
  pin: { ko: "PIN", en: "PIN" },
  submit: { ko: "로그인", en: "Sign in" },
  UNAUTHORIZED: { ko: "직원 번호나 PIN이 맞지 않습니다", en: "Unknown staff ID or wrong PIN" },
  LOCKED: { ko: "잘못된 PIN이 너무 많습니다. 잠시 후 다시 시도하세요", en: "Too many wrong PINs; try again later" },
  RATE_LIMITED: { ko: "시도가 너무 많습니다. 잠시 후 다시 시도하세요", en: "Too many attempts; try again later" },
  failed: { ko: "로그인할 수 없습니다", en: "Could not sign in" },
});

/** Staff sign-in (store, staff id, PIN); a refusal is shown in words, never as a code. */
export function LoginForm({ title }: { title: string }) {
  const [storeId, setStoreId] = useState(new URLSearchParams(location.search).get("store") ?? "demo");
  const [staffId, setStaffId] = useState("");
  const [pin, setPin] = useState("");
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);

  async function submit(event: Event) {
    event.preventDefault();
    setBusy(true);
    setError("");
    try {
      await signIn(storeId.trim(), staffId.trim(), pin);
    } catch (failure) {
      const code = failure instanceof ApiError ? String(failure.code) : "";
      setError(code === "UNAUTHORIZED" || code === "LOCKED" || code === "RATE_LIMITED" ? t(code) : t("failed"));
      setPin("");
    } finally {
      setBusy(false);
    }
  }

  return (
    <main class="login">
      <h1>{title}</h1>
      <form onSubmit={submit} aria-label={t("heading")}>
        <label>{t("store")}<input name="store" value={storeId} onInput={(e) => setStoreId(e.currentTarget.value)} autocomplete="organization" required /></label>
        <label>{t("staff")}<input name="staff" value={staffId} onInput={(e) => setStaffId(e.currentTarget.value)} autocomplete="username" required /></label>
        <label>{t("pin")}<input name="pin" type="password" inputMode="numeric" value={pin} onInput={(e) => setPin(e.currentTarget.value)} autocomplete="current-password" required /></label>
        {error && <p role="alert" class="error">{error}</p>}
        <button class="primary" type="submit" disabled={busy}>{t("submit")}</button>
      </form>
    </main>
  );
}
