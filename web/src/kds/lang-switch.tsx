import { lang, setLang } from "../shared/i18n.ts";
import { t } from "./texts.ts";

export function LangSwitch() {
  const next = lang.value === "ko" ? "en" : "ko";
  return <button type="button" class="lang" lang={next} data-action="lang" onClick={() => setLang(next)}>{t("switchLang")}</button>;
}
