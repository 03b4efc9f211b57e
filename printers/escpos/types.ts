/** What the ESC/POS decoder produces. */

export type Align = "left" | "center" | "right";
export interface SlipLine {
  text: string;
  bold: boolean;
  doubleHeight: boolean;
  doubleWidth: boolean;
  align: Align;
}
export interface Slip {
  lines: SlipLine[];
  /** Lines joined with "\n": what a person would read off the paper. */
  text: string;
  cut: "full" | "partial";
}
/** Ordered as they occur in the byte stream, so a peer can answer in the printer's order. */
export type DecoderEvent =
  | { type: "slip"; slip: Slip }
  /** DLE EOT n [a]: a real-time status request (answered at once, even offline). */
  | { type: "status-request"; n: number }
  /** GS ( H fn 48: answer `37 22 id 00` once everything before it has printed. */
  | { type: "process-id"; id: string };
export interface DecoderOptions {
  /** Korean firmware may boot with FS & already on; multilingual firmware does not. */
  doubleByteAtInit?: boolean;
}
export interface DecoderCounters {
  unknownCommands: number;
  /** CP949-only pairs: a KS X 1001 printer misprints these glyphs. */
  extendedPairs: number;
  invalidBytes: number;
  droppedChars: number;
  droppedLines: number;
}
