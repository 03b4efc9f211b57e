import { won } from "../shared/i18n.ts";
import type { GuestMenu } from "./access.ts";
import { t } from "./texts.ts";

export interface CartLine {
  readonly lineId: string;
  readonly name: string;
  readonly quantity: number;
  readonly optionNames: readonly string[];
  readonly lineTotalWon: number;
}

/** What the last send did, shown until the guest adds something new. */
export interface Sent {
  readonly batchNo: number;
  readonly totalWon: number;
  readonly paid: boolean;
}

interface Props {
  readonly lines: readonly CartLine[];
  readonly totalWon: number;
  readonly qrPayment: GuestMenu["qrPayment"];
  readonly busy: "" | "confirm" | "pay" | "edit";
  readonly sent: Sent | null;
  onRemove(lineId: string): void;
  onClear(): void;
  onConfirm(): void;
  /** Sends the total the guest sees as cart.pay's expectedTotalWon. */
  onPay(shownTotalWon: number): void;
  onSeeBill(): void;
}

/** The phone's own cart (state.carts[customerId]) with its send buttons, per the store's QR payment policy. */
export function CartView(props: Props) {
  const { lines, totalWon, qrPayment, busy } = props;
  return (
    <div class="cart">
      {props.sent && (
        <div class="sent" role="status" data-testid="sent">
          <p>{t(props.sent.paid ? "sentPaid" : "sent", { no: props.sent.batchNo, total: won(props.sent.totalWon) })}</p>
          <button type="button" onClick={props.onSeeBill}>{t("seeBill")}</button>
        </div>
      )}
      {lines.length === 0 ? <p class="empty">{t("cartEmpty")}</p> : (
        <>
          <ul>
            {lines.map((line) => (
              <li key={line.lineId} class="line" data-testid="cart-line">
                <div>
                  <span class="name">{line.name}</span> <span class="qty">× {line.quantity}</span>
                  {line.optionNames.length > 0 && <div class="options">{[...line.optionNames].join(", ")}</div>}
                </div>
                <span class="price">{won(line.lineTotalWon)}</span>
                <button type="button" class="danger" aria-label={t("removeNamed", { name: line.name })} disabled={busy !== ""} onClick={() => props.onRemove(line.lineId)}>{t("remove")}</button>
              </li>
            ))}
          </ul>
          <p class="total"><span>{t("cartTotal")}</span> <strong data-testid="cart-total">{won(totalWon)}</strong></p>
          {qrPayment === "before" && <p class="note">{t("payFirstNote")}</p>}
          <div class="send">
            {qrPayment !== "before" && (
              <button type="button" class={qrPayment === "after" ? "primary" : ""} data-testid="confirm" disabled={busy !== ""} onClick={props.onConfirm}>
                {busy === "confirm" ? t("sending") : t(qrPayment === "after" ? "confirmOnly" : "confirm")}
              </button>
            )}
            {qrPayment !== "after" && (
              <button type="button" class="primary" data-testid="pay" disabled={busy !== ""} onClick={() => props.onPay(totalWon)}>
                {busy === "pay" ? t("paying") : t("payNow", { price: won(totalWon) })}
              </button>
            )}
            <button type="button" class="danger" disabled={busy !== ""} onClick={props.onClear}>{t("clear")}</button>
          </div>
        </>
      )}
    </div>
  );
}
