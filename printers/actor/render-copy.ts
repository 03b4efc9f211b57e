import { createHash } from "node:crypto";
import type { CopyMark, SlipRow } from "../../domain/index.ts";
import { slipLimits, transportLimits } from "../limits.ts";
import { renderReceipt } from "../slip/receipt.ts";
import { renderSlip } from "../slip/render.ts";
import type { ResolvedPrinter, SlipSource } from "./types.ts";

export type RenderedCopy = { ok: true; bytes: Buffer; payloadHash: string } | { ok: false; error: string };

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

/**
 * The bytes of one attempt and the hash of its unmarked content (dedupe, PRINTING.md §5). A receipt
 * (`receipt:<id>`) prints its frozen content; any marked copy of it prints with a COPY mark.
 */
export function renderCopy(source: SlipSource, printer: ResolvedPrinter, slip: SlipRow, mark: CopyMark): RenderedCopy {
  const copy = render(source, printer, slip, mark);
  // The line refuses a job over its size limit: such a slip would block its printer, so it fails here.
  if (copy.ok && copy.bytes.length > transportLimits.jobBytesMax) return { ok: false, error: `slip too large to print (${copy.bytes.length} bytes)` };
  return copy;
}

function render(source: SlipSource, printer: ResolvedPrinter, slip: SlipRow, mark: CopyMark): RenderedCopy {
  try {
    if (slip.ticketId.startsWith("receipt:")) {
      const data = source.receipt(slip.ticketId.slice("receipt:".length));
      if (!data) return { ok: false, error: "receipt not found" };
      const copyNo = mark.kind === "none" ? data.copy : Math.max(data.copy, mark.kind === "reprint" ? mark.n : 1);
      const rendered = renderReceipt({ ...data, copy: copyNo, widthChars: printer.widthChars });
      // The hash is of the unmarked content: the same bytes when this copy carries no mark.
      const unmarked = copyNo === data.copy ? rendered : renderReceipt({ ...data, widthChars: printer.widthChars });
      return { ok: true, bytes: rendered.bytes, payloadHash: sha256(unmarked.bytes) };
    }
    const content = source.kitchenSlip(slip.ticketId, printer.widthChars);
    if (!content) return { ok: false, error: "ticket not found" };
    const reprintCount = mark.kind === "reprint" ? Math.min(slipLimits.reprintCountMax, mark.n) : 0;
    const backupFrom = slip.backupFrom ? source.printerName(slip.backupFrom) : undefined;
    const rendered = renderSlip({ ...content, reprintCount, mayBeDuplicate: mark.kind === "duplicate", ...(backupFrom ? { backupFrom } : {}) });
    // The hash is of the unmarked content: the same bytes when this copy carries no mark.
    const unmarked = mark.kind === "none" && !backupFrom ? rendered : renderSlip(content);
    return { ok: true, bytes: rendered.bytes, payloadHash: sha256(unmarked.bytes) };
  } catch (error) {
    return { ok: false, error: `cannot render: ${error instanceof Error ? error.message : String(error)}` };
  }
}
