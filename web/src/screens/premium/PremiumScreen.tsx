// Premium: what it costs and gives, the checkout button (Stripe Checkout, or the local
// stand-in when no Stripe key is set), premium until, payment history and the portal.
import type { ReactNode } from "react";
import {
  CHECKOUT_SESSION_ID,
  getPaymentsConfig,
  openPortal,
  startCheckout,
  watchPayments,
  type PaymentDoc,
} from "@aichat/client";
import { useClient } from "../../app/client";
import { useAction, useLive, useLoad, useTitle } from "../../app/hooks";
import { useSession } from "../../app/session";
import { formatDate, formatMoney } from "../../ui/format";
import { Notice, Spinner } from "../../ui/Notice";

export function PremiumScreen(): ReactNode {
  useTitle("Premium");
  const client = useClient();
  const session = useSession();
  const config = useLoad(() => getPaymentsConfig(client), [client]);
  const payments = useLive<PaymentDoc[]>(
    (onData, onError) => watchPayments(client, onData, onError),
    [client],
  );
  const checkout = useAction(async () => {
    const origin = window.location.origin;
    const { url } = await startCheckout(client, {
      successUrl: `${origin}/premium/success?session_id=${CHECKOUT_SESSION_ID}`,
      cancelUrl: `${origin}/premium`,
    });
    window.location.assign(url);
  });
  const portal = useAction(async () => {
    window.location.assign(await openPortal(client, `${window.location.origin}/premium`));
  });

  const price = config.data ? formatMoney(config.data.priceCents, config.data.currency) : null;
  return (
    <div className="stack">
      <h1>Premium</h1>
      <div className="two-col">
        <section className="card stack" aria-labelledby="offer-heading">
          <h2 id="offer-heading">Unlimited conversations</h2>
          {config.loading ? <Spinner /> : null}
          {config.error ? <Notice tone="error">{config.error.message}</Notice> : null}
          {config.data ? (
            <>
              <p className="price">
                {price}
                <span className="small muted"> for {config.data.days} days</span>
              </p>
              <ul>
                <li>Unlimited messages with every character (free: 30 per character)</li>
                <li>Premium characters and premium gallery items</li>
                <li>A one-time payment, no subscription; buying again adds the days</li>
              </ul>
              {session.premium && session.premiumUntil ? (
                <Notice tone="ok">
                  You are premium until <strong>{formatDate(session.premiumUntil)}</strong>.
                </Notice>
              ) : null}
              {config.data.enabled ? (
                <button
                  type="button"
                  className="premium"
                  disabled={checkout.busy}
                  onClick={() => void checkout.run()}
                >
                  {checkout.busy
                    ? "Opening checkout…"
                    : session.premium
                      ? `Add ${config.data.days} days for ${price}`
                      : `Go premium for ${price}`}
                </button>
              ) : (
                <Notice>Payments are not configured on this deployment.</Notice>
              )}
              {checkout.error ? <Notice tone="error">{checkout.error.message}</Notice> : null}
            </>
          ) : null}
        </section>
        <section className="card stack" aria-labelledby="history-heading">
          <h2 id="history-heading">Payment history</h2>
          {payments.error ? <Notice tone="error">{payments.error.message}</Notice> : null}
          {payments.data === undefined && !payments.error ? <Spinner /> : null}
          {payments.data && payments.data.length === 0 ? (
            <p className="muted">No payments yet.</p>
          ) : null}
          {payments.data && payments.data.length > 0 ? (
            <div className="table-scroll">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Date</th>
                    <th scope="col" className="number">
                      Amount
                    </th>
                    <th scope="col">Status</th>
                    <th scope="col">Receipt</th>
                  </tr>
                </thead>
                <tbody>
                  {payments.data.map((payment) => (
                    <tr key={payment.id}>
                      <td>{formatDate(payment.createdAt.toDate())}</td>
                      <td className="number">
                        {payment.amount !== null && payment.currency
                          ? formatMoney(payment.amount, payment.currency)
                          : "—"}
                      </td>
                      <td>{payment.status}</td>
                      <td>
                        {payment.receiptUrl && /^https?:\/\//.test(payment.receiptUrl) ? (
                          <a href={payment.receiptUrl} target="_blank" rel="noopener noreferrer">
                            Receipt
                          </a>
                        ) : (
                          "—"
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
          {payments.data && payments.data.length > 0 ? (
            <button
              type="button"
              className="secondary"
              disabled={portal.busy}
              onClick={() => void portal.run()}
            >
              Manage billing (customer portal)
            </button>
          ) : null}
          {portal.error ? <Notice tone="error">{portal.error.message}</Notice> : null}
        </section>
      </div>
    </div>
  );
}
