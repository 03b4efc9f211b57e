import QRCode from "qrcode";
import { qrLimits } from "./limits.ts";

/**
 * QR codes by `qrcode` (node-qrcode: the most used QR encoder on npm, MIT, pure JavaScript, SVG
 * and PNG without a canvas). Error correction M (15 %): a printed code survives a stain or a
 * scratch, and a ~60-character link still fits a small symbol.
 */
const common = { errorCorrectionLevel: "M", margin: qrLimits.marginModules } as const;

export function qrSvg(text: string): Promise<string> {
  return QRCode.toString(text, { ...common, type: "svg" });
}

export function qrPng(text: string): Promise<Buffer> {
  return QRCode.toBuffer(text, { ...common, type: "png", width: qrLimits.pngWidthPx });
}

export interface SheetCard {
  readonly tableName: string;
  readonly url: string;
  readonly svg: string;
}

/**
 * A printable A4 page of every table's code with its name (cut along the dashed lines). Names and
 * links come from config and requests, so they are escaped; the SVG is the encoder's own output.
 * No script and no outside resource: it prints under the server's strict CSP as it is.
 */
export function qrSheetHtml(storeName: string, cards: readonly SheetCard[]): string {
  const title = `${escapeHtml(storeName)} 테이블 QR 코드`;
  const items = cards
    .map((c) => `<figure class="card">${c.svg.trim()}<figcaption><strong>${escapeHtml(c.tableName)}</strong><small>${escapeHtml(c.url)}</small></figcaption></figure>`)
    .join("\n");
  return `<!doctype html>
<html lang="ko">
<head>
<meta charset="utf-8">
<title>${title}</title>
<style>
  @page { size: A4; margin: 10mm; }
  body { font-family: "Noto Sans KR", "Malgun Gothic", sans-serif; margin: 0; }
  h1 { font-size: 14pt; margin: 0 0 6mm; }
  .sheet { display: grid; grid-template-columns: repeat(3, 1fr); gap: 4mm; }
  .card { margin: 0; padding: 4mm; border: 1px dashed #999; text-align: center; break-inside: avoid; page-break-inside: avoid; }
  .card svg { width: 45mm; height: 45mm; }
  figcaption strong { display: block; font-size: 16pt; margin-top: 2mm; }
  figcaption small { display: block; font-size: 6pt; color: #666; word-break: break-all; }
  @media print { h1 { display: none; } }
</style>
</head>
<body>
<h1>${title} (${cards.length}개)</h1>
<main class="sheet">
${items}
</main>
</body>
</html>
`;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}
