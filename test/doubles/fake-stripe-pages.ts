// The hosted pages of the Stripe double: the page a Checkout Session's `url` opens (a Pay
// button instead of a card form) and the billing portal's. Paying completes the session as
// Stripe would, signs the resulting event with the real SDK and delivers it to the webhook,
// then sends the browser to the session's success URL. Plain HTML, every value escaped.
import { Stripe } from "../../functions/src/payments/stripe-client";

export interface WebhookTarget {
  /** The stripeWebhook function's URL. */
  url: string;
  /** The signing secret the functions verify with (STRIPE_WEBHOOK_SECRET). */
  secret: string;
}

export interface Delivery {
  ok: boolean;
  status: number;
  body: string;
}

/** Posts a signed event to the webhook, as Stripe delivers it. */
export async function deliverEvent(target: WebhookTarget, event: unknown): Promise<Delivery> {
  const payload = JSON.stringify(event);
  const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret: target.secret });
  try {
    const response = await fetch(target.url, {
      method: "POST",
      headers: { "Content-Type": "application/json", "Stripe-Signature": signature },
      body: payload,
    });
    return { ok: response.ok, status: response.status, body: await response.text() };
  } catch (error) {
    return { ok: false, status: 0, body: String(error) };
  }
}

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => ESCAPES[char] ?? char);
}

export function formatAmount(cents: number, currency: string): string {
  try {
    return new Intl.NumberFormat("en-US", { style: "currency", currency }).format(cents / 100);
  } catch {
    return `${(cents / 100).toFixed(2)} ${currency.toUpperCase()}`;
  }
}

/** Security headers of every hosted page: nothing but inline styles, never framed. */
export const PAGE_HEADERS = {
  "Content-Type": "text/html; charset=utf-8",
  "Content-Security-Policy":
    "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
  "Cache-Control": "no-store",
};

const STYLE = `
  body { font: 16px/1.5 system-ui, sans-serif; margin: 0; background: #f6f7fb; color: #1a1b25; }
  main { max-width: 26rem; margin: 3rem auto; background: #fff; border-radius: 12px;
         box-shadow: 0 2px 12px rgb(0 0 0 / 8%); padding: 2rem; }
  .banner { background: #fff4d6; border: 1px solid #e8c35a; border-radius: 8px; padding: .75rem 1rem;
            font-size: .9rem; margin-bottom: 1.5rem; }
  h1 { font-size: 1.3rem; margin: 0 0 .25rem; }
  .amount { font-size: 2rem; font-weight: 700; margin: .5rem 0 1.5rem; }
  button { font: inherit; font-weight: 600; width: 100%; padding: .8rem; border-radius: 8px;
           border: 0; background: #635bff; color: #fff; cursor: pointer; }
  button.secondary { background: transparent; color: #635bff; margin-top: .5rem; }
  button:focus-visible, a:focus-visible { outline: 3px solid #1a1b25; outline-offset: 2px; }
  table { width: 100%; border-collapse: collapse; margin: 1rem 0; font-size: .95rem; }
  th, td { text-align: left; padding: .4rem 0; border-bottom: 1px solid #eee; }
  .error { color: #b3261e; }
`;

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><main>
<p class="banner" role="note"><strong>Local Stripe stand-in.</strong> This is not Stripe: no card is asked for and no money moves. It exists because no Stripe key is configured.</p>
${body}
</main></body></html>`;
}

export interface CheckoutView {
  id: string;
  status: "open" | "complete" | "expired";
  amountTotal: number;
  currency: string;
  productName: string;
  email: string | null;
  successUrl: string | null;
  cancelUrl: string | null;
}

export function checkoutPage(session: CheckoutView, webhookConfigured: boolean): string {
  const amount = formatAmount(session.amountTotal, session.currency);
  if (session.status !== "open") {
    const back = session.successUrl
      ? `<p><a href="${escapeHtml(successUrlFor(session.successUrl, session.id))}">Back to the app</a></p>`
      : "";
    return page(
      "Checkout",
      `<h1>This checkout is ${session.status === "complete" ? "already paid" : "expired"}</h1>${back}`,
    );
  }
  const warning = webhookConfigured
    ? ""
    : `<p class="error">No webhook is configured for this stand-in: paying completes the session but nothing is delivered.</p>`;
  return page(
    `Pay ${amount}`,
    `<h1>${escapeHtml(session.productName)}</h1>
${session.email ? `<p>${escapeHtml(session.email)}</p>` : ""}
<p class="amount">${escapeHtml(amount)}</p>
${warning}
<form method="post" action="/checkout/pay/${encodeURIComponent(session.id)}/pay">
  <button type="submit">Pay ${escapeHtml(amount)}</button>
</form>
${
  session.cancelUrl
    ? `<form method="post" action="/checkout/pay/${encodeURIComponent(session.id)}/cancel">
  <button type="submit" class="secondary">Cancel and go back</button>
</form>`
    : ""
}`,
  );
}

export function deliveryFailedPage(sessionId: string, delivery: Delivery): string {
  return page(
    "Webhook delivery failed",
    `<h1>Paid, but the webhook did not accept the event</h1>
<p class="error">The webhook answered ${delivery.status || "nothing"}: ${escapeHtml(delivery.body.slice(0, 300))}</p>
<form method="post" action="/checkout/pay/${encodeURIComponent(sessionId)}/deliver">
  <button type="submit">Deliver it again</button>
</form>`,
  );
}

export interface PortalCharge {
  amount: number;
  amountRefunded: number;
  currency: string;
  createdSeconds: number;
}

export function portalPage(
  email: string | null,
  charges: PortalCharge[],
  returnUrl: string | null,
): string {
  const rows = charges
    .map(
      (charge) =>
        `<tr><td>${escapeHtml(new Date(charge.createdSeconds * 1000).toISOString().slice(0, 10))}</td><td>${escapeHtml(formatAmount(charge.amount, charge.currency))}</td><td>${charge.amountRefunded > 0 ? `refunded ${escapeHtml(formatAmount(charge.amountRefunded, charge.currency))}` : "paid"}</td></tr>`,
    )
    .join("");
  return page(
    "Billing portal",
    `<h1>Billing portal</h1>
${email ? `<p>${escapeHtml(email)}</p>` : ""}
${charges.length ? `<table><thead><tr><th>Date</th><th>Amount</th><th>Status</th></tr></thead><tbody>${rows}</tbody></table>` : "<p>No payments yet.</p>"}
${returnUrl ? `<p><a href="${escapeHtml(returnUrl)}">Return to the app</a></p>` : ""}`,
  );
}

export function receiptPage(charge: PortalCharge & { id: string }): string {
  return page(
    "Receipt",
    `<h1>Receipt</h1>
<table><tbody>
<tr><th>Charge</th><td>${escapeHtml(charge.id)}</td></tr>
<tr><th>Date</th><td>${escapeHtml(new Date(charge.createdSeconds * 1000).toISOString().slice(0, 10))}</td></tr>
<tr><th>Amount</th><td>${escapeHtml(formatAmount(charge.amount, charge.currency))}</td></tr>
<tr><th>Refunded</th><td>${escapeHtml(formatAmount(charge.amountRefunded, charge.currency))}</td></tr>
</tbody></table>`,
  );
}

export function notFoundPage(what: string): string {
  return page("Not found", `<h1>No such ${escapeHtml(what)}</h1>`);
}

/** Stripe replaces this placeholder in the success URL with the session id. */
export function successUrlFor(successUrl: string, sessionId: string): string {
  return successUrl.split("{CHECKOUT_SESSION_ID}").join(sessionId);
}
