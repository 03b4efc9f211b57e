import { t } from "./texts.ts";

/** Tiny inline icons (nothing to load): a QR square, a phone, a till. */
const icons: Record<string, string> = {
  qr: "M1 1h6v6H1zM9 1h6v6H9zM1 9h6v6H1zM3 3v2h2V3zM11 3v2h2V3zM3 11v2h2v-2zM9 9h2v2H9zM13 9h2v2h-2zM11 11h2v2h-2zM9 13h2v2H9zM13 13h2v2h-2z",
  app: "M4 0h8a1 1 0 0 1 1 1v14a1 1 0 0 1-1 1H4a1 1 0 0 1-1-1V1a1 1 0 0 1 1-1zm1 2v10h6V2zm2 11v1h2v-1z",
  pos: "M1 2h14v9H1zm2 2v5h10V4zM5 12h6v2H5z",
};

export type Source = "pos" | "qr" | "app";
export const sourceOf = (source: unknown): Source => (source === "qr" || source === "app" ? source : "pos");

/** R-UI-2 / R-TLL-2: where an order came from, by icon, colour and words (never colour alone). */
export function SourceBadge({ source }: { source: unknown }) {
  const kind = sourceOf(source);
  return (
    <span class={`badge source ${kind}`} data-source={kind}>
      <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false"><path fill="currentColor" fill-rule="evenodd" d={icons[kind]} /></svg>
      {t(`source_${kind}`)}
    </span>
  );
}
