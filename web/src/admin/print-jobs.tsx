import { useState } from "preact/hooks";
import { ApiError, type StaffSession } from "../../../clients/api.ts";
import { toast } from "../shared/toasts.tsx";
import { timeOf } from "./format.ts";
import { getJson } from "./http.ts";
import { refusalText } from "./refusals.ts";
import { t } from "./texts.ts";

const jobStates = ["sending", "confirmed", "not_sent", "unknown"] as const;
type JobState = (typeof jobStates)[number];

/**
 * The most recent print attempts, newest first (R-KRP-1): state in words, REPRINT mark shown. The
 * room shows the last 50 live; "more" reads the last 500 once over HTTP (GET /api/admin/print-jobs).
 */
export function PrintJobs({ session, live }: { session: StaffSession; live: any[] }) {
  const [longer, setLonger] = useState<any[] | null>(null);
  const jobs = longer ?? live;
  const loadMore = () => getJson<{ jobs: any[] }>(session, "/api/admin/print-jobs?limit=500").then(
    (data) => setLonger(data.jobs),
    (error: unknown) => toast(refusalText(error instanceof ApiError ? error.code : undefined), "error"),
  );
  return (
    <section class="panel" aria-labelledby="jobs-title">
      <div class="panel-head">
        <h2 id="jobs-title">{t("recentJobs")}</h2>
        {longer ? <button type="button" onClick={() => setLonger(null)}>{t("liveJobs")}</button> : <button type="button" data-action="more-jobs" onClick={loadMore}>{t("moreJobs")}</button>}
      </div>
      {jobs.length === 0 ? <p class="muted">{t("noJobs")}</p> : (
        <table class="grid jobs">
          <thead><tr><th scope="col">{t("updatedAt")}</th><th scope="col">{t("slip")}</th><th scope="col">{t("printer")}</th><th scope="col">{t("state")}</th><th scope="col">{t("error")}</th></tr></thead>
          <tbody>
            {jobs.map((job) => {
              const state: string = (jobStates as readonly string[]).includes(job.state) ? t(`job_${job.state as JobState}`) : job.state;
              return (
                <tr key={job.jobId} data-job-state={job.state} data-job-slip={job.slipKey}>
                  <td>{timeOf(job.createdAt)}</td>
                  <td><code>{job.slipKey}</code> <span class="muted">{t("attempt", { n: job.attempt })}</span>{job.marked && <span class="tag">{t("marked")}</span>}</td>
                  <td>{job.printerId}</td>
                  <td class={`job-state ${job.state}`}>{state}</td>
                  <td class="error-text">{job.error}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
