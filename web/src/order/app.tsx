import { useEffect, useState } from "preact/hooks";
import { ApiError } from "../../../clients/api.ts";
import { ClientError } from "../../../clients/client-error.ts";
import { lang, setLang } from "../shared/i18n.ts";
import { admit, forget, tableTokenFromPath, type Admission } from "./access.ts";
import { TablePage } from "./table-page.tsx";
import { t } from "./texts.ts";
import "./order.css";

// A guest who chose English before gets it at once (order.html says "ko").
document.documentElement.lang = lang.value;

/** Why the page cannot show the table, each in words (never a code). */
type Stop = "deadLink" | "noSession" | "finished" | "tooMany" | "failed";
type Phase = { readonly kind: "loading" } | { readonly kind: "ready"; readonly admission: Admission } | { readonly kind: "stopped"; readonly why: Stop };

function stopFor(error: unknown): Stop {
  if (error instanceof ApiError) {
    if (error.code === "NO_SESSION") return "noSession";
    if (error.code === "RATE_LIMITED" || error.code === "BUSY") return "tooMany";
    if (error.status === 401 || error.status === 400 || error.status === 403) return "deadLink";
  }
  // The room refused the phone: its session ended between the menu and the join.
  if (error instanceof ClientError && error.status === 401) return "finished";
  return "failed";
}

/**
 * The QR order page (`/q/<table token>`): the table token becomes a customer token (kept per tab),
 * then the phone joins its table's room. Every way this can stop has its own message.
 */
export function App() {
  const tableToken = tableTokenFromPath(location.pathname);
  const [phase, setPhase] = useState<Phase>({ kind: "loading" });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let alive = true;
    setPhase({ kind: "loading" });
    admit(tableToken).then(
      (admission) => alive && setPhase({ kind: "ready", admission }),
      (error: unknown) => alive && setPhase({ kind: "stopped", why: stopFor(error) }),
    );
    return () => void (alive = false);
  }, [attempt]);

  const stop = (why: Stop) => {
    if (why === "finished") forget(tableToken);
    setPhase({ kind: "stopped", why });
  };

  return (
    <div class="order-page">
      <button type="button" class="lang" lang={lang.value === "ko" ? "en" : "ko"} aria-label={t("switchLangLabel")} onClick={() => setLang(lang.value === "ko" ? "en" : "ko")}>{t("switchLang")}</button>
      {phase.kind === "loading" && <main><h1>{t("title")}</h1><p role="status">{t("loading")}</p></main>}
      {phase.kind === "ready" && (
        <TablePage session={phase.admission.session} menu={phase.admission.menu} onFinished={() => stop("finished")} onRefused={(error) => stop(stopFor(error))} />
      )}
      {phase.kind === "stopped" && <Stopped why={phase.why} onRetry={() => setAttempt(attempt + 1)} />}
    </div>
  );
}

function Stopped({ why, onRetry }: { why: Stop; onRetry(): void }) {
  const retryable = why === "noSession" || why === "tooMany" || why === "failed";
  return (
    <main class="stopped" data-stop={why}>
      <h1>{t(`${why}Title` as "deadLinkTitle")}</h1>
      <p>{t(why)}</p>
      {retryable && <button type="button" class="primary" onClick={onRetry}>{t("retry")}</button>}
    </main>
  );
}
