import { signal } from "@preact/signals";

export interface Toast {
  readonly id: number;
  readonly text: string;
  readonly kind: "info" | "warn" | "error";
  /** e.g. a jump to the print log. */
  readonly action?: { readonly label: string; readonly href: string };
}

export const toasts = signal<readonly Toast[]>([]);
let next = 1;

/** Shows a toast for `ms` (errors stay until dismissed). */
export function toast(text: string, kind: Toast["kind"] = "info", action?: Toast["action"], ms = 6_000): void {
  const id = next++;
  toasts.value = [...toasts.value, { id, text, kind, ...(action ? { action } : {}) }];
  if (kind !== "error") setTimeout(() => dismiss(id), ms);
}

export function dismiss(id: number): void {
  toasts.value = toasts.value.filter((t) => t.id !== id);
}

export function Toasts({ closeLabel }: { closeLabel: string }) {
  return (
    <div class="toast-stack" role="region" aria-live="assertive">
      {toasts.value.map((t) => (
        <div key={t.id} class={`toast ${t.kind}`} role={t.kind === "error" ? "alert" : "status"}>
          <span>{t.text}</span>
          {t.action && <a href={t.action.href}>{t.action.label}</a>}
          <button type="button" onClick={() => dismiss(t.id)} aria-label={closeLabel}>×</button>
        </div>
      ))}
    </div>
  );
}
