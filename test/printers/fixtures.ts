import { EscPosDecoder, type KitchenSlip, type Slip } from "../../printers/index.ts";

/** A dinner order at table 7: 김치찌개 ×2 with an option and a note, 제육볶음, 생맥주 500cc. */
export function kitchenSlip(overrides: Partial<KitchenSlip> = {}): KitchenSlip {
  return {
    storeName: "한결식당",
    tableName: "테이블 7",
    batchNo: 3,
    ticketId: "tk-0003-kitchen",
    stationName: "주방",
    source: "qr",
    kind: "new",
    createdAt: "2025-06-01T03:34:00.000Z",
    items: [
      { name: "김치찌개", quantity: 2, options: ["계란 추가"], note: "덜 맵게" },
      { name: "제육볶음", quantity: 1, options: [], note: "" },
      { name: "생맥주 500cc", quantity: 12, options: [], note: "" },
    ],
    reprintCount: 0,
    widthChars: 42,
    ...overrides,
  };
}

/** Decodes a whole byte stream and returns its slips (asserting nothing else is needed). */
export function decodeSlips(bytes: Uint8Array, decoder = new EscPosDecoder()): Slip[] {
  return decoder.push(bytes).flatMap((e) => (e.type === "slip" ? [e.slip] : []));
}

/** Feeds one byte per push(), as the worst possible TCP segmentation. */
export function decodeByteByByte(bytes: Uint8Array, decoder = new EscPosDecoder()): Slip[] {
  const slips: Slip[] = [];
  for (let i = 0; i < bytes.length; i++) {
    for (const e of decoder.push(bytes.subarray(i, i + 1))) if (e.type === "slip") slips.push(e.slip);
  }
  return slips;
}

export const hex = (text: string): Buffer => Buffer.from(text.replace(/\s+/g, ""), "hex");
