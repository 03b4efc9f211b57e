import { z } from "zod";
import { defaultMoneyPolicy } from "../../domain/index.ts";

/**
 * A store's business identity (printed on receipts) and money rules (issue #11). Every field has a
 * default so older config files keep loading; a real store sets its own business number.
 */
export const businessSchema = z
  .strictObject({
    /** 사업자등록번호, 10 digits, dashes optional. */
    registrationNo: z.string().regex(/^\d{3}-?\d{2}-?\d{5}$/, "must be a 10-digit business number (000-00-00000)").default("000-00-00000"),
    owner: z.string().max(40).default(""),
    address: z.string().max(120).default(""),
    phone: z.string().max(20).default(""),
    /** IANA zone of the business day (reports, settlement). */
    timeZone: z.string().max(40).refine(validTimeZone, "unknown IANA time zone").default("Asia/Seoul"),
    /** The business day starts at this local time (a bar open past midnight closes at 05:00). */
    dayStartsAt: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "HH:MM").default("05:00"),
  })
  .prefault({});

const reasonSchema = z.strictObject({
  code: z.string().regex(/^[a-z0-9_]{1,32}$/, "lowercase letters, digits and _"),
  label: z.string().min(1).max(40),
});

const defaultReasonLabels: Record<string, string> = {
  regular_customer: "단골 할인", event: "이벤트", complaint: "불만 처리", staff_meal: "직원 식사", manager_comp: "점장 서비스",
  coupon: "쿠폰", service_charge: "봉사료", price_error: "가격 정정", other: "기타",
};

export const moneySchema = z
  .strictObject({
    adjustmentReasons: z.array(reasonSchema).min(1).max(50)
      .default(() => defaultMoneyPolicy.adjustmentReasonCodes.map((code) => ({ code, label: defaultReasonLabels[code] ?? code }))),
    /** An adjustment bigger than this needs a second staff PIN or an admin. */
    approvalAboveWon: z.int().min(0).max(100_000_000).default(defaultMoneyPolicy.approvalAboveWon),
    cardInstallmentMonthsMax: z.int().min(0).max(36).default(defaultMoneyPolicy.cardInstallmentMonthsMax),
    /** R-REF-2: a cooked or served item taken back becomes a comp instead of a refund when true. */
    cookedRefundAsComp: z.boolean().default(true),
    /** Station whose printer prints customer receipts; default: the store's first station. */
    receiptStationId: z.string().max(32).optional(),
  })
  .prefault({});

export type BusinessInfo = z.output<typeof businessSchema>;
export type StoreMoneyConfig = z.output<typeof moneySchema>;

function validTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
