import type { CardInfo } from "./ledger.ts";

/**
 * The simulator's test cards (its own BIN table, not a real one). A token is one of:
 * - a 14–19 digit card number whose first 6 digits are below, e.g. `5417071234561234`;
 * - `GIFT-<balance>` or `GIFT-<balance>-<name>`: a gift card holding `balance` won (partial approvals);
 * - `DECLINE` or `DECLINE:<CODE>`: the card company refuses (`REJECT_CARD_COMPANY` by default).
 * No token: the default card below (a real terminal reads the card itself).
 */
const bins: Record<string, Omit<CardInfo, "number">> = {
  "541707": { issuer: "국민카드", acquirer: "국민카드", cardType: "신용" },
  "451842": { issuer: "신한카드", acquirer: "신한카드", cardType: "신용" },
  "536112": { issuer: "삼성카드", acquirer: "삼성카드", cardType: "신용" },
  "433290": { issuer: "현대카드", acquirer: "현대카드", cardType: "신용" },
  "940915": { issuer: "비씨카드", acquirer: "비씨카드", cardType: "체크" },
  // Issued by 우리카드 on the BC network: issuer and acquirer differ, as they do in real replies.
  "625104": { issuer: "우리카드", acquirer: "비씨카드", cardType: "신용" },
};
export const defaultCardToken = "4518421234565678";
const giftBin = "940800";

export type CardLookup =
  | { readonly kind: "card"; readonly card: CardInfo }
  | { readonly kind: "gift"; readonly card: CardInfo; readonly key: string; readonly initialBalance: number }
  | { readonly kind: "decline"; readonly code: string; readonly message: string }
  | { readonly kind: "invalid" };

export function lookUpCard(token: string | undefined): CardLookup {
  const t = token ?? defaultCardToken;
  const decline = /^DECLINE(?::([A-Z0-9_]{1,64}))?$/.exec(t);
  if (decline) return { kind: "decline", code: decline[1] ?? "REJECT_CARD_COMPANY", message: "카드사에서 거절한 결제입니다." };
  const gift = /^GIFT-(\d{1,10})(?:-[A-Za-z0-9]{1,20})?$/.exec(t);
  if (gift) {
    const last4 = String(hash(t) % 10_000).padStart(4, "0");
    return { kind: "gift", key: t, initialBalance: Number(gift[1]), card: { issuer: "신한카드", acquirer: "신한카드", cardType: "기프트", number: `${giftBin}******${last4}` } };
  }
  if (!/^\d{14,19}$/.test(t)) return { kind: "invalid" };
  const bin = bins[t.slice(0, 6)];
  if (!bin) return { kind: "invalid" };
  return { kind: "card", card: { ...bin, number: mask(t) } };
}

/** BIN 6 + stars + last 4, as NICEPAY's `536112******1234`. */
function mask(cardNo: string): string {
  return `${cardNo.slice(0, 6)}${"*".repeat(cardNo.length - 10)}${cardNo.slice(-4)}`;
}

function hash(text: string): number {
  let h = 0;
  for (const ch of text) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return h;
}
