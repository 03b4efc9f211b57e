/**
 * QR access (issue 12, item 1): signed table tokens printed on the tables, their exchange for a
 * short-lived customer token, and the rule that such a token dies with its session.
 */
export { installQrRoutes } from "./routes.ts";
/** QR_OPENS_SESSION, CUSTOMER_TOKEN_TTL_SECONDS, PUBLIC_URL (settings.ts). */
export { qrSettingsFrom, QrSettingError, type QrSettings } from "./settings.ts";
/** Rooms call this at join and before every customer command; `sessionOver` is the refusal to answer. */
export { customerTokenLive, liveSessionOf, sessionOver } from "./customer-token.ts";
export { signTableToken, readTableToken, tableTokenMacMatches, type TableClaim } from "./table-token.ts";
export { qrExchangeLimits, qrLimits } from "./limits.ts";
