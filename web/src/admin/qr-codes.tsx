import { useEffect, useRef, useState } from "preact/hooks";
import { ApiError, type StaffSession } from "../../../clients/api.ts";
import { toast } from "../shared/toasts.tsx";
import { getBlob, post } from "./http.ts";
import { refusalText } from "./refusals.ts";
import { t } from "./texts.ts";

interface Sheet { readonly html: string; readonly url: string }
interface Rotated { version: number; previousVersion: number; rotatedAt: string }

/**
 * The printable QR sheet and the secret rotation. GET /api/tables/qr-sheet needs the bearer header,
 * so the page fetches it and shows it in a sandboxed frame (no scripts) or as a blob: link.
 */
export function QrCodes({ session }: { session: StaffSession }) {
  const [sheet, setSheet] = useState<Sheet | null>(null);
  const [busy, setBusy] = useState(false);
  const frame = useRef<HTMLIFrameElement>(null);
  useEffect(() => () => void (sheet && URL.revokeObjectURL(sheet.url)), [sheet]);

  const showSheet = async () => {
    setBusy(true);
    try {
      const blob = await getBlob(session, "/api/tables/qr-sheet");
      setSheet({ html: await blob.text(), url: URL.createObjectURL(blob) });
    } catch (error) {
      toast(refusalText(error instanceof ApiError ? error.code : undefined), "error");
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <section class="panel" aria-labelledby="qr-title">
        <div class="panel-head">
          <h2 id="qr-title">{t("qrCodes")}</h2>
          <button type="button" class="primary" data-action="show-sheet" disabled={busy} onClick={showSheet}>{t("showSheet")}</button>
          {sheet && <button type="button" data-action="print-sheet" onClick={() => frame.current?.contentWindow?.print()}>{t("printSheet")}</button>}
          {sheet && <a class="button-link" href={sheet.url} target="_blank" rel="noopener">{t("openSheet")}</a>}
        </div>
        <p class="muted">{t("qrSheetHint")}</p>
        {sheet && <iframe ref={frame} class="qr-sheet" title={t("sheetTitle")} sandbox="allow-same-origin allow-modals" srcDoc={sheet.html} />}
      </section>
      <RotateSecret session={session} onRotated={() => sheet && void showSheet()} />
    </>
  );
}

function RotateSecret({ session, onRotated }: { session: StaffSession; onRotated: () => void }) {
  const [reason, setReason] = useState("");
  const [step, setStep] = useState<"idle" | "confirm" | "busy">("idle");
  const [refusal, setRefusal] = useState<string | null>(null);
  const [done, setDone] = useState<Rotated | null>(null);
  const rotate = async () => {
    setStep("busy");
    setRefusal(null);
    try {
      const rotated = await post<Rotated>(session, "/api/admin/qr/rotate", reason.trim() ? { reason: reason.trim() } : {});
      setDone(rotated);
      setReason("");
      onRotated();
    } catch (error) {
      setRefusal(refusalText(error instanceof ApiError ? error.code : undefined));
    } finally {
      setStep("idle");
    }
  };
  return (
    <section class="panel" aria-labelledby="rotate-title">
      <h2 id="rotate-title">{t("rotate")}</h2>
      <p class="muted">{t("rotateHint")}</p>
      <div class="rotate-form">
        <label class="inline">{t("rotateReason")}
          <input name="rotate-reason" maxLength={200} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
        </label>
        {step === "confirm" ? (
          <div role="alertdialog" aria-labelledby="rotate-confirm" class="confirm">
            <p id="rotate-confirm" class="warn-text">{t("rotateConfirm")}</p>
            <button type="button" class="danger" data-action="rotate-yes" onClick={rotate}>{t("rotateYes")}</button>
            <button type="button" onClick={() => setStep("idle")}>{t("cancel")}</button>
          </div>
        ) : <button type="button" class="danger" data-action="rotate" disabled={step === "busy"} onClick={() => setStep("confirm")}>{t("rotateStart")}</button>}
      </div>
      {refusal && <p role="alert" class="error">{refusal}</p>}
      {done && <p role="status" class="done" data-rotated-version={done.version}>{t("rotated", { version: done.version })}</p>}
    </section>
  );
}
