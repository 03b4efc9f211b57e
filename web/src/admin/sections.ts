import { signal } from "@preact/signals";

/** The console's sections, each its own address (`/admin#print-log`: the POS's toasts link there). */
export const sectionIds = ["print-log", "audit", "sales", "menu", "qr", "staff"] as const;
export type SectionId = (typeof sectionIds)[number];

function fromHash(): SectionId {
  const asked = typeof location === "undefined" ? "" : location.hash.replace(/^#/, "");
  return (sectionIds as readonly string[]).includes(asked) ? (asked as SectionId) : "print-log";
}

export const currentSection = signal<SectionId>(fromHash());
if (typeof window !== "undefined") window.addEventListener("hashchange", () => (currentSection.value = fromHash()));
