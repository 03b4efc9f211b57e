import { clockTime } from "./refusals.ts";
import { t } from "./texts.ts";

export interface ConflictChange {
  readonly version: number;
  readonly type: string;
  readonly ids?: readonly string[];
  readonly by?: { readonly id: string; readonly name?: string };
  readonly at?: string;
}

/** What a VERSION_CONFLICT showed: what changed since this terminal looked (docs/PROTOCOL.md §5.3). */
export interface Conflict {
  readonly draft: boolean;
  readonly changes: readonly ConflictChange[];
}

export function conflictOf(details: unknown): Conflict {
  const d = (details ?? {}) as { changes?: unknown; draftVersion?: unknown };
  const changes = Array.isArray(d.changes) ? (d.changes as ConflictChange[]) : [];
  return { draft: d.draftVersion !== undefined && changes.length === 0, changes };
}

const knownChanges = new Set(["BatchConfirmed", "ItemCancelled", "ItemAdded", "ItemsCookingStarted", "ItemsCooked", "ItemsServed", "ItemMarkedMissing", "AdjustmentApplied", "AdjustmentRemoved", "PaymentRequested", "PaymentApproved", "RefundRequested", "SessionClosed", "SessionOpened"]);

function changeWords(change: ConflictChange, itemName: (id: string) => string | undefined): string {
  const what = knownChanges.has(change.type) ? t(`change_${change.type}` as "change_other") : t("change_other", { type: change.type });
  const names = (change.ids ?? []).map(itemName).filter((n): n is string => Boolean(n));
  return names.length > 0 ? `${what} · ${[...new Set(names)].join(", ")}` : what;
}

/**
 * "Someone else changed this table; the screen is up to date now", with who changed what (the
 * state is already current when the refusal arrives, so the person decides again on what they see).
 */
export function ConflictPanel({ conflict, itemName, onDismiss }: { conflict: Conflict; itemName: (id: string) => string | undefined; onDismiss: () => void }) {
  return (
    <section class="conflict" role="alert" data-conflict>
      <p class="conflict-title">{conflict.draft ? t("conflictDraft") : t("conflictTitle")}</p>
      {conflict.changes.length > 0 && (
        <ul>
          {conflict.changes.map((change) => (
            <li key={change.version}>{t("conflictChange", { who: change.by?.name ?? t("someone"), what: changeWords(change, itemName), time: clockTime(change.at ?? "") })}</li>
          ))}
        </ul>
      )}
      <p>{t("conflictAgain")}</p>
      <button type="button" onClick={onDismiss}>{t("close")}</button>
    </section>
  );
}
