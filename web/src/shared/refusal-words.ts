import type { ClientErrorCode } from "../../../clients/client-error.ts";

/** One refusal in both languages (each screen keeps its own words for the wire codes: a cook, a server, a guest and an admin are told differently). */
export type Words = { readonly ko: string; readonly en: string };

/** The client library's own codes, the same on every screen. */
export const clientRefusals: Record<ClientErrorCode, Words> = {
  CLIENT_LEFT: { ko: "연결이 끊겨 결과를 알 수 없습니다. 화면을 확인하세요", en: "The link dropped; check the screen for the result" },
  COMMAND_TIMEOUT: { ko: "응답이 없어 결과를 알 수 없습니다. 화면을 확인하세요", en: "No answer; check the screen for the result" },
  JOIN_REFUSED: { ko: "서버가 연결을 거절했습니다", en: "The server refused the connection" },
  JOIN_FAILED: { ko: "서버에 연결할 수 없습니다", en: "Cannot reach the server" },
  JOIN_TIMEOUT: { ko: "서버 응답이 없습니다", en: "The server does not answer" },
  REQUEST_FAILED: { ko: "요청을 보내지 못했습니다", en: "Could not send the request" },
};

/** When a code has no words of its own. */
export const refusedWords: Words = { ko: "요청이 거절되었습니다", en: "The request was refused" };
