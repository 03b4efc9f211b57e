import type { StoreView } from "../rooms/context.ts";
import type { AppConfig, StoreConfig } from "./config/index.ts";
import type { MoneyPolicy } from "../domain/index.ts";

function moneyPolicyOf(store: StoreConfig): MoneyPolicy {
  return { adjustmentReasonCodes: store.money.adjustmentReasons.map((r) => r.code), approvalAboveWon: store.money.approvalAboveWon, cardInstallmentMonthsMax: store.money.cardInstallmentMonthsMax };
}

/** The room-facing view of each configured store. */
export function storeViews(config: AppConfig): Map<string, StoreView> {
  return new Map(
    config.stores.map((s) => [s.id, { id: s.id, name: s.name, stationIds: s.stations.map((st) => st.id), tables: new Map(s.tables.map((t) => [t.id, t])), menu: s.menu, money: moneyPolicyOf(s),
      business: { name: s.name, businessNo: s.business.registrationNo, owner: s.business.owner, address: s.business.address, phone: s.business.phone },
      reasonLabels: new Map(s.money.adjustmentReasons.map((r) => [r.code, r.label])),
      receiptStationId: s.money.receiptStationId ?? s.stations[0]!.id,
      staffMayEditRemoteOrders: s.orders.staffMayEditRemoteOrders,
      qrOpensSession: s.orders.qrOpensSession,
      qrPayment: s.orders.qrPayment,
      editLock: { defaultSeconds: s.locks.ttlSeconds, minSeconds: s.locks.minTtlSeconds, maxSeconds: s.locks.maxTtlSeconds },
    }]),
  );
}
