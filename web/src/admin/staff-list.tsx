import type { StaffSession } from "../../../clients/api.ts";
import { getJson } from "./http.ts";
import { t } from "./texts.ts";
import { useLoad } from "./use-load.ts";

interface StaffMember { id: string; name: string; role: "staff" | "admin" | "kitchen" }

/** The store's staff (GET /api/admin/staff): names and roles, never PINs. */
export function StaffList({ session }: { session: StaffSession }) {
  const staff = useLoad(() => getJson<{ staff: StaffMember[] }>(session, "/api/admin/staff"), session.token);
  return (
    <section class="panel" aria-labelledby="staff-title">
      <h2 id="staff-title">{t("staffList")}</h2>
      <p class="muted">{t("staffHint")}</p>
      {staff.failure && <p role="alert" class="error">{staff.failure}</p>}
      {!staff.data ? (!staff.failure && <p>{t("loading")}</p>) : (
        <table class="grid staff">
          <thead><tr><th scope="col">{t("staffId")}</th><th scope="col">{t("staffName")}</th><th scope="col">{t("role")}</th></tr></thead>
          <tbody>
            {staff.data.staff.map((s) => (
              <tr key={s.id} data-staff-id={s.id}><td><code>{s.id}</code></td><th scope="row">{s.name}</th><td>{t(`role_${s.role}`)}</td></tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
