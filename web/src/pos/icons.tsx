/** Small inline icons (no emoji font on a POS tablet is guaranteed; nothing to load). */
const paths = {
  lock: "M5 7V5a3 3 0 0 1 6 0v2h1a1 1 0 0 1 1 1v6a1 1 0 0 1-1 1H4a1 1 0 0 1-1-1V8a1 1 0 0 1 1-1zm2 0h2V5a1 1 0 0 0-2 0z",
  unlock: "M5 7V5a3 3 0 0 1 6 0h-2a1 1 0 0 0-2 0v2h5a1 1 0 0 1 1 1v6a1 1 0 0 1-1 1H4a1 1 0 0 1-1-1V8a1 1 0 0 1 1-1z",
  bell: "M8 1a1 1 0 0 1 1 1v.6A4.5 4.5 0 0 1 12.5 7v3l1.5 2H2l1.5-2V7A4.5 4.5 0 0 1 7 2.6V2a1 1 0 0 1 1-1zM6 13h4a2 2 0 0 1-4 0z",
  printer: "M4 1h8v4H4zM2 6h12a1 1 0 0 1 1 1v5h-3v3H4v-3H1V7a1 1 0 0 1 1-1zm4 6v2h4v-2z",
} as const;

export function Icon({ name }: { name: keyof typeof paths }) {
  return <svg class="icon" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false"><path fill="currentColor" fill-rule="evenodd" d={paths[name]} /></svg>;
}
