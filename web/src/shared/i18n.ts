import { signal } from "@preact/signals";

/** Korean by default (R-UI: staff read Korean); English switchable, remembered per device. */
export type Lang = "ko" | "en";
export type Dictionary = Record<string, { ko: string; en: string }>;

const stored = typeof localStorage !== "undefined" ? localStorage.getItem("lang") : null;
export const lang = signal<Lang>(stored === "en" ? "en" : "ko");

export function setLang(next: Lang): void {
  lang.value = next;
  localStorage.setItem("lang", next);
  document.documentElement.lang = next;
}

/** A page's translator: `t("key")` in the current language, the key itself when missing (visible in tests). */
export function translator<D extends Dictionary>(dictionary: D): (key: keyof D & string, vars?: Record<string, string | number>) => string {
  return (key, vars) => {
    const entry = dictionary[key];
    let text = entry ? entry[lang.value] : key;
    for (const [name, value] of Object.entries(vars ?? {})) text = text.replaceAll(`{${name}}`, String(value));
    return text;
  };
}

/** Won as staff read it: 18,000원 / ₩18,000. */
export function won(amount: number): string {
  const digits = Math.abs(amount).toLocaleString("ko-KR");
  const sign = amount < 0 ? "-" : "";
  return lang.value === "ko" ? `${sign}${digits}원` : `${sign}₩${digits}`;
}
