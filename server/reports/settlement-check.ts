import { fold, initialSessionState, type PaymentMethod } from "../../domain/index.ts";
import type { PaymentProvider, SettlementLine } from "../../payments/provider.ts";
import type { PaymentDesk } from "../../rooms/context.ts";
import type { ReportReader } from "../../storage/index.ts";
import { addDays, businessDateOf, businessDayWindow } from "./business-day.ts";
import { reportLimits } from "./limits.ts";
import { compareSettlement, ourLinesOf, settlementTimeZone, totalsOf, type OrderStatus, type OurLine, type SettlementDifference, type SideTotals } from "./settlement.ts";

export interface ProviderSettlement {
  readonly provider: string;
  /** What the provider's file holds for the store (lines of the other stores sharing it are left out). */
  readonly theirs: SideTotals;
  readonly ours: SideTotals;
  /** Lines of orders another store of this server made (the demo stores share one VAN merchant). */
  readonly otherStoreLines: number;
  readonly differences: readonly SettlementDifference[];
}

export interface SettlementCheck {
  readonly storeId: string;
  readonly date: string;
  readonly timeZone: string;
  readonly providers: readonly ProviderSettlement[];
  /** Every provider's differences, each naming its provider. */
  readonly differences: readonly (SettlementDifference & { readonly providerName: string })[];
}

export type SettlementOutcome =
  | { readonly ok: true; readonly check: SettlementCheck }
  | { readonly ok: false; readonly error: { readonly code: "PROVIDER_UNAVAILABLE" | "LIMIT_EXCEEDED"; readonly message: string } };

const externalMethods: readonly PaymentMethod[] = ["card", "easy_pay", "points"];
const calendarDay = (date: string) => businessDayWindow(date, { timeZone: settlementTimeZone, dayStartsAt: "00:00" });
const dateAt = (at: string) => businessDateOf(new Date(at), { timeZone: settlementTimeZone, dayStartsAt: "00:00" });

/**
 * Compares each provider's settlement file for `date` (KST calendar date, as VANs cut them) with the
 * approvals and cancels our journal dates on it. Providers are asked first (network), then every
 * journal is read in one snapshot.
 */
export async function checkSettlement(payments: PaymentDesk, reader: ReportReader, storeId: string, date: string): Promise<SettlementOutcome> {
  const providers = [...new Set(externalMethods.map((m) => payments.providerFor(storeId, m)))].filter((p) => p.external);
  const files: { provider: PaymentProvider; lines: readonly SettlementLine[] }[] = [];
  for (const provider of providers) {
    const file = await provider.settlement(date);
    if (file.kind !== "ok") return { ok: false, error: { code: "PROVIDER_UNAVAILABLE", message: `${provider.name}: no settlement file for ${date} (${file.reason})` } };
    if (file.lines.length > reportLimits.settlementLinesMax) return { ok: false, error: { code: "LIMIT_EXCEEDED", message: `${provider.name}: more than ${reportLimits.settlementLinesMax} lines` } };
    files.push({ provider, lines: file.lines });
  }
  return reader.snapshot((): SettlementOutcome => {
    const from = calendarDay(addDays(date, -reportLimits.settlementLagDays)).from.toISOString();
    const to = calendarDay(addDays(date, reportLimits.settlementLagDays)).to.toISOString();
    const sessionIds = reader.sessionsWithPaymentsBetween(storeId, from, to, reportLimits.settlementSessionsMax + 1);
    if (sessionIds.length > reportLimits.settlementSessionsMax) return { ok: false, error: { code: "LIMIT_EXCEEDED", message: `more than ${reportLimits.settlementSessionsMax} sessions with payments around ${date}` } };
    const journals = sessionIds.map((id) => ({ id, events: reader.events(id) }));
    const results = files.map(({ provider, lines }) => compareOne(provider.name, lines, journals, storeId, date, reader));
    return {
      ok: true,
      check: { storeId, date, timeZone: settlementTimeZone, providers: results, differences: results.flatMap((r) => r.differences.map((d) => ({ ...d, providerName: r.provider }))) },
    };
  });
}

function compareOne(name: string, lines: readonly SettlementLine[], journals: readonly { id: string; events: ReturnType<ReportReader["events"]> }[], storeId: string, date: string, reader: ReportReader): ProviderSettlement {
  const mine = (line: SettlementLine) => {
    const owner = reader.paymentOwner(line.orderId);
    return owner === undefined || owner.storeId === storeId;
  };
  const theirs = lines.filter(mine);
  const ours: OurLine[] = journals.flatMap((j) => ourLinesOf(j.id, j.events, name)).filter((l) => dateAt(l.at) === date);
  const statusOf = (orderId: string): OrderStatus | undefined => {
    const owner = reader.paymentOwner(orderId);
    if (!owner || owner.storeId !== storeId) return undefined;
    const payment = fold(reader.events(owner.sessionId), initialSessionState()).payments.get(orderId);
    return payment ? { status: payment.status, approvedAt: payment.provider?.approvedAt ?? null } : undefined;
  };
  return { provider: name, theirs: totalsOf(theirs), ours: totalsOf(ours), otherStoreLines: lines.length - theirs.length, differences: compareSettlement(theirs, ours, statusOf) };
}
