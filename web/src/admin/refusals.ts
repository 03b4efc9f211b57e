import type { HttpAndJoinErrorCode, WireErrorCode } from "../../../protocol/codes.ts";
import type { ClientErrorCode } from "../../../clients/client-error.ts";
import { lang } from "../shared/i18n.ts";

type Words = { readonly ko: string; readonly en: string };
type Code = WireErrorCode | HttpAndJoinErrorCode | ClientErrorCode | "NETWORK";

/**
 * The refusals an admin can meet on this console, in words (never the raw code). Codes the
 * console's commands and routes cannot get fall back to a generic sentence.
 */
const words: Partial<Record<Code, Words>> = {
  ALREADY_PRINTED: { ko: "이 주문서는 이미 인쇄되었습니다. 한 장 더 필요하면 재출력을 누르세요", en: "This slip already printed; reprint instead" },
  INVALID_TRANSITION: { ko: "이미 인쇄 대기 중입니다", en: "It is already waiting to print" },
  NOT_FOUND: { ko: "찾을 수 없습니다 (이미 정리되었거나, 이 스테이션의 프린터가 없습니다)", en: "Not found (already gone, or no printer serves the station)" },
  UNAUTHORIZED: { ko: "로그인이 만료되었습니다. 다시 로그인하세요", en: "Your sign-in expired; sign in again" },
  FORBIDDEN: { ko: "관리자 계정만 할 수 있는 작업입니다", en: "Only an admin account may do this" },
  BAD_REQUEST: { ko: "입력이 올바르지 않습니다", en: "The input is not valid" },
  DAY_ALREADY_CLOSED: { ko: "이 영업일은 이미 마감되었습니다", en: "This business day is already closed" },
  DAY_NOT_STARTED: { ko: "아직 시작하지 않은 영업일은 마감할 수 없습니다", en: "A business day that has not started cannot be closed" },
  DAY_NOT_CLOSED: { ko: "아직 마감하지 않은 영업일입니다", en: "This day has not been closed" },
  LIMIT_EXCEEDED: { ko: "하루 기록이 너무 많아 보고서를 만들 수 없습니다", en: "Too many sessions that day for one report" },
  BUSY: { ko: "서버가 바쁩니다. 잠시 후 다시 누르세요", en: "The server is busy; try again in a moment" },
  INTERNAL: { ko: "서버 오류로 처리하지 못했습니다. 다시 누르세요", en: "A server fault stopped it; try again" },
  CMD_ID_REUSED: { ko: "같은 요청이 다른 내용으로 이미 처리되었습니다", en: "This request was already used for something else" },
  RATE_LIMITED: { ko: "요청이 너무 많습니다. 잠시 후 다시 누르세요", en: "Too many requests; wait a moment" },
  NETWORK: { ko: "서버에 연결할 수 없습니다", en: "Cannot reach the server" },
  CLIENT_LEFT: { ko: "연결이 끊겨 결과를 알 수 없습니다. 화면을 확인하세요", en: "The link dropped; check the screen for the result" },
  COMMAND_TIMEOUT: { ko: "응답이 없어 결과를 알 수 없습니다. 화면을 확인하세요", en: "No answer; check the screen for the result" },
  JOIN_REFUSED: { ko: "서버가 연결을 거절했습니다", en: "The server refused the connection" },
  JOIN_FAILED: { ko: "서버에 연결할 수 없습니다", en: "Cannot reach the server" },
  JOIN_TIMEOUT: { ko: "서버 응답이 없습니다", en: "The server does not answer" },
};

const fallback: Words = { ko: "요청이 거절되었습니다", en: "The request was refused" };

/** Words for a wire, HTTP or client-library code, in the current language. */
export function refusalText(code: string | undefined): string {
  return ((code && words[code as Code]) || fallback)[lang.value];
}
