import { useEffect, useState } from "preact/hooks";
import { ApiError, type StaffSession } from "../../../clients/api.ts";
import { timeOf } from "./format.ts";
import { getJson } from "./http.ts";
import { refusalText } from "./refusals.ts";
import { t } from "./texts.ts";

interface AuditRow {
  seq: number; at: string; actorId: string; actorRole: string; action: string; entityType: string; entityId: string;
  sessionId: string | null; before: unknown; after: unknown; reason: string | null; cmdId: string | null;
}
interface AuditPage { rows: AuditRow[]; nextBefore: number | null }
interface Verdict { ok: boolean; rows: number; problem: string | null; checkedAt: string }

const pageRows = 50;

/** The store's audit log, newest first, older pages on demand, and the hash-chain check (R-VAL-3). */
export function AuditLog({ session }: { session: StaffSession }) {
  const [rows, setRows] = useState<AuditRow[] | null>(null);
  const [next, setNext] = useState<number | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [verdict, setVerdict] = useState<Verdict | null>(null);
  const [checking, setChecking] = useState(false);
  const fail = (error: unknown) => setFailure(refusalText(error instanceof ApiError ? error.code : undefined));

  const load = async (before: number | null) => {
    try {
      const page = await getJson<AuditPage>(session, `/api/admin/audit?limit=${pageRows}${before === null ? "" : `&before=${before}`}`);
      setRows((shown) => [...(before === null ? [] : shown ?? []), ...page.rows]);
      setNext(page.nextBefore);
      setFailure(null);
    } catch (error) {
      fail(error);
    }
  };
  const verify = async () => {
    setChecking(true);
    try {
      setVerdict(await getJson<Verdict>(session, "/api/admin/audit/verify"));
    } catch (error) {
      fail(error);
    } finally {
      setChecking(false);
    }
  };
  useEffect(() => void load(null), []);

  return (
    <section class="panel" aria-labelledby="audit-title">
      <div class="panel-head">
        <h2 id="audit-title">{t("auditLog")}</h2>
        <button type="button" class="primary" data-action="verify-chain" disabled={checking} onClick={verify}>{t("verifyChain")}</button>
      </div>
      <p class={`verdict ${verdict ? (verdict.ok ? "ok" : "bad") : ""}`} role="status" data-verdict={verdict ? (verdict.ok ? "ok" : "broken") : "unchecked"}>
        {verdict === null ? t("chainUnchecked") : verdict.ok ? t("chainOk", { rows: verdict.rows }) : t("chainBroken", { problem: verdict.problem ?? "", rows: verdict.rows })}
      </p>
      {failure && <p role="alert" class="error">{failure}</p>}
      {rows === null ? <p>{t("loading")}</p> : rows.length === 0 ? <p class="muted">{t("noAudit")}</p> : (
        <table class="grid audit">
          <thead><tr><th scope="col">#</th><th scope="col">{t("when")}</th><th scope="col">{t("who")}</th><th scope="col">{t("action")}</th><th scope="col">{t("target")}</th><th scope="col">{t("reason")}</th><th scope="col">{t("details")}</th></tr></thead>
          <tbody>{rows.map((row) => <AuditRowView key={row.seq} row={row} />)}</tbody>
        </table>
      )}
      {next !== null && <button type="button" data-action="older" onClick={() => void load(next)}>{t("older")}</button>}
    </section>
  );
}

function AuditRowView({ row }: { row: AuditRow }) {
  const change = [row.before, row.after].some((v) => v !== null);
  return (
    <tr data-seq={row.seq} data-action={row.action}>
      <td>{row.seq}</td>
      <td>{timeOf(row.at)}</td>
      <td>{row.actorId} <span class="muted">({row.actorRole})</span></td>
      <td><code>{row.action}</code></td>
      <td>{row.entityType} <code>{row.entityId}</code></td>
      <td>{row.reason ?? ""}</td>
      <td>{change && (
        <details>
          <summary>{t("details")}</summary>
          <pre>{JSON.stringify({ before: row.before, after: row.after }, null, 1)}</pre>
        </details>
      )}</td>
    </tr>
  );
}
