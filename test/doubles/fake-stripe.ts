// A local double of the Stripe API for emulator tests: node:http only, speaking Stripe's wire
// protocol as the `stripe` SDK uses it (form-encoded bodies with bracketed keys, Bearer
// secret keys, Idempotency-Key replay, JSON objects and error envelopes shaped like Stripe's).
//
// API endpoints (what the functions call):
//   POST /v1/customers                 (Idempotency-Key: the same key and parameters replay the
//                                       first answer; the same key with other parameters is an
//                                       idempotency_error, as on Stripe)
//   GET  /v1/customers/:id
//   POST /v1/checkout/sessions         (mode payment; inline price_data or a known price)
//   GET  /v1/checkout/sessions/:id
//   POST /v1/billing_portal/sessions
//   GET  /v1/payment_intents/:id       (expand[]=latest_charge)
//   POST /v1/refunds                   (payment_intent or charge, amount? default the rest;
//                                       charge_already_refunded when nothing is left)
// Every POST honours Idempotency-Key the same way.
//
// Hosted pages (what a browser opens; fake-stripe-pages.ts):
//   GET  /checkout/pay/:id             the session's `url`: amount and a Pay button
//   POST /checkout/pay/:id/pay         completes it as paid, delivers the signed
//                                       checkout.session.completed to `webhook`, then 303 to
//                                       the success URL
//   POST /checkout/pay/:id/deliver     delivers that event again (after a failed delivery)
//   POST /checkout/pay/:id/cancel      303 to the cancel URL
//   GET  /portal/:customer             a portal session's `url`: payments, a link back
//   GET  /receipts/:paymentIntent      a charge's `receipt_url`
//
// Control API for tests in other processes (no auth, JSON), each answering with the event
// object Stripe would send for it (tests sign it and post it to the webhook):
//   GET    /__state                             customers, sessions, intents, charges, portal
//                                               sessions and the API requests received
//   DELETE /__state                             forgets everything
//   POST   /__sessions/:id/complete {paymentStatus?: "paid"|"unpaid"}
//                                               -> checkout.session.completed
//   POST   /__sessions/:id/async {succeeded: boolean}
//                                               -> checkout.session.async_payment_succeeded|failed
//   POST   /__sessions/:id/expire               -> checkout.session.expired
//   POST   /__payment_intents/:id/refund {amount?: number}  (default: the rest)
//                                               -> charge.refunded
//   POST   /__payment_intents/:id/dispute      -> charge.dispute.created
//   POST   /__failures {method, path, status, times}
//                                               the next `times` API requests to that route
//                                               answer `status` (an api_error), as a Stripe
//                                               outage would; answers {queued}
import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import {
  checkoutPage,
  deliverEvent,
  deliveryFailedPage,
  notFoundPage,
  PAGE_HEADERS,
  portalPage,
  receiptPage,
  successUrlFor,
  type WebhookTarget,
} from "./fake-stripe-pages";
import { listenOnLoopback } from "./loopback-server";
import { z } from "../../functions/node_modules/zod/index.js";

export const FAKE_STRIPE_API_VERSION = "2026-02-25.clover";
/** A Price the double knows, for runs that set STRIPE_PRICE_ID. */
export const FAKE_PRICE = { id: "price_local_premium", unit_amount: 700, currency: "usd" } as const;

export interface FakeStripeOptions {
  /** Where the hosted checkout page delivers the events it causes, signed. */
  webhook?: WebhookTarget;
}

export interface FakeStripe {
  /** The origin, as STRIPE_API_URL. */
  url: string;
  port: number;
  stop(): Promise<void>;
}

// ---- form bodies --------------------------------------------------------------------------------

export type FormValue = string | FormObject;
export interface FormObject {
  [key: string]: FormValue;
}

/**
 * `a[b][0][c]=v` into nested objects, as Stripe reads the SDK's encoding. Indexed arrays stay
 * objects keyed "0", "1"... (schemas below read them with z.record).
 */
export function parseForm(body: string): FormObject {
  const root: FormObject = {};
  for (const [key, value] of new URLSearchParams(body)) {
    const head = key.split("[")[0] ?? "";
    const rest = [...key.slice(head.length).matchAll(/\[([^\]]*)\]/g)].map(
      (match) => match[1] ?? "",
    );
    const parts = [head, ...rest];
    let node = root;
    for (let i = 0; i < parts.length - 1; i++) {
      const part = parts[i] ?? "";
      const next = node[part];
      if (typeof next === "object") {
        node = next;
      } else {
        const created: FormObject = {};
        node[part] = created;
        node = created;
      }
    }
    node[parts[parts.length - 1] ?? ""] = value;
  }
  return root;
}

// ---- objects ------------------------------------------------------------------------------------

type Metadata = Record<string, string>;

interface Customer {
  id: string;
  object: "customer";
  created: number;
  email: string | null;
  name: string | null;
  metadata: Metadata;
  livemode: false;
}

interface Session {
  id: string;
  object: "checkout.session";
  mode: "payment" | "subscription" | "setup";
  status: "open" | "complete" | "expired";
  payment_status: "unpaid" | "paid" | "no_payment_required";
  payment_intent: string | null;
  customer: string | null;
  client_reference_id: string | null;
  metadata: Metadata;
  amount_subtotal: number;
  amount_total: number;
  currency: string;
  url: string | null;
  success_url: string | null;
  cancel_url: string | null;
  created: number;
  expires_at: number;
  livemode: false;
}

interface PaymentIntent {
  id: string;
  object: "payment_intent";
  amount: number;
  amount_received: number;
  currency: string;
  customer: string | null;
  created: number;
  latest_charge: string | null;
  metadata: Metadata;
  status: "processing" | "succeeded" | "requires_payment_method";
  livemode: false;
}

interface Charge {
  id: string;
  object: "charge";
  amount: number;
  amount_captured: number;
  amount_refunded: number;
  captured: boolean;
  created: number;
  currency: string;
  customer: string | null;
  metadata: Metadata;
  paid: boolean;
  payment_intent: string;
  receipt_url: string;
  refunded: boolean;
  status: "succeeded";
  livemode: false;
}

interface Refund {
  id: string;
  object: "refund";
  amount: number;
  charge: string;
  currency: string;
  created: number;
  metadata: Metadata;
  payment_intent: string;
  reason: string | null;
  status: "succeeded";
}

interface PortalSession {
  id: string;
  object: "billing_portal.session";
  customer: string;
  return_url: string | null;
  url: string;
  created: number;
  livemode: false;
}

interface RecordedCall {
  method: string;
  path: string;
  idempotencyKey: string | null;
  body: FormObject;
}

class StripeFailure extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly code?: string,
    readonly param?: string,
  ) {
    super(message);
  }
}

const metadataSchema = z.record(z.string(), z.string()).optional();
const customerParams = z.object({
  email: z.string().optional(),
  name: z.string().optional(),
  metadata: metadataSchema,
});
const lineItemParams = z.object({
  price: z.string().optional(),
  quantity: z.coerce.number().int().positive(),
  price_data: z
    .object({
      currency: z.string().length(3),
      unit_amount: z.coerce.number().int().nonnegative(),
      product_data: z.object({ name: z.string().min(1) }),
    })
    .optional(),
});
const sessionParams = z.object({
  mode: z.enum(["payment", "subscription", "setup"]),
  customer: z.string().optional(),
  client_reference_id: z.string().optional(),
  line_items: z.record(z.string(), lineItemParams),
  success_url: z.string().min(1),
  cancel_url: z.string().optional(),
  metadata: metadataSchema,
  payment_intent_data: z.object({ metadata: metadataSchema }).optional(),
});
const portalParams = z.object({ customer: z.string(), return_url: z.string().optional() });
const refundParams = z.object({
  payment_intent: z.string().optional(),
  charge: z.string().optional(),
  amount: z.coerce.number().int().positive().optional(),
  reason: z.enum(["duplicate", "fraudulent", "requested_by_customer"]).optional(),
  metadata: metadataSchema,
});

function paramsOf<S extends z.ZodType>(schema: S, body: FormObject): z.output<S> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const param = issue?.path.map(String).join(".") ?? "";
  throw new StripeFailure(
    400,
    "invalid_request_error",
    `Invalid parameter: ${param} (${issue?.message ?? "invalid"})`,
    "parameter_invalid",
    param,
  );
}

const controlCompleteBody = z.object({ paymentStatus: z.enum(["paid", "unpaid"]).default("paid") });
const controlAsyncBody = z.object({ succeeded: z.boolean() });
const controlRefundBody = z.object({ amount: z.number().int().positive().optional() });
const controlFailureBody = z.object({
  method: z.enum(["GET", "POST"]),
  path: z.string().startsWith("/v1/"),
  status: z.number().int().min(400).max(599),
  times: z.number().int().positive(),
});

// ---- the server ---------------------------------------------------------------------------------

const newId = (prefix: string) => `${prefix}_test_${randomBytes(12).toString("hex")}`;
const nowSeconds = () => Math.floor(Date.now() / 1000);

export async function startFakeStripe(
  port: number,
  options: FakeStripeOptions = {},
): Promise<FakeStripe> {
  let origin = `http://127.0.0.1:${port}`;

  const customers = new Map<string, Customer>();
  const sessions = new Map<string, Session>();
  const intentMetadata = new Map<string, Metadata>();
  const intents = new Map<string, PaymentIntent>();
  const charges = new Map<string, Charge>();
  const portalSessions: PortalSession[] = [];
  const refunds: Refund[] = [];
  /** Injected failures, per "METHOD path", with how many requests are still to fail. */
  const failures = new Map<string, { status: number; left: number }>();
  const productNames = new Map<string, string>();
  const paidEvents = new Map<string, unknown>();
  const idempotent = new Map<string, { fingerprint: string; status: number; body: unknown }>();
  const calls: RecordedCall[] = [];

  function reset(): void {
    for (const map of [
      customers,
      sessions,
      intentMetadata,
      intents,
      charges,
      idempotent,
      failures,
      productNames,
      paidEvents,
    ])
      map.clear();
    portalSessions.length = 0;
    refunds.length = 0;
    calls.length = 0;
  }

  function event(type: string, object: unknown) {
    return {
      id: newId("evt"),
      object: "event",
      api_version: FAKE_STRIPE_API_VERSION,
      created: nowSeconds(),
      data: { object },
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      type,
    };
  }

  /** A missing object in the path is 404; one named by a parameter is 400, as on Stripe. */
  function must<T>(map: Map<string, T>, id: string, what: string, param?: string): T {
    const found = map.get(id);
    if (!found) {
      throw new StripeFailure(
        param ? 400 : 404,
        "invalid_request_error",
        `No such ${what}: '${id}'`,
        "resource_missing",
        param ?? "id",
      );
    }
    return found;
  }

  function charge(intent: PaymentIntent): Charge {
    const created: Charge = {
      id: newId("ch"),
      object: "charge",
      amount: intent.amount,
      amount_captured: intent.amount,
      amount_refunded: 0,
      captured: true,
      created: nowSeconds(),
      currency: intent.currency,
      customer: intent.customer,
      // Like Stripe: the payment intent's metadata is not copied to its charges.
      metadata: {},
      paid: true,
      payment_intent: intent.id,
      receipt_url: `${origin}/receipts/${intent.id}`,
      refunded: false,
      status: "succeeded",
      livemode: false,
    };
    charges.set(created.id, created);
    intent.latest_charge = created.id;
    intent.amount_received = intent.amount;
    intent.status = "succeeded";
    return created;
  }

  function chargeOf(intentId: string): Charge {
    const intent = must(intents, intentId, "payment_intent");
    const found = intent.latest_charge ? charges.get(intent.latest_charge) : undefined;
    if (!found)
      throw new StripeFailure(
        400,
        "invalid_request_error",
        `payment_intent ${intentId} has no charge`,
      );
    return found;
  }

  // -- API
  function api(method: string, path: string, query: URLSearchParams, body: FormObject): unknown {
    let match: RegExpMatchArray | null;
    if (method === "POST" && path === "/v1/customers") {
      const params = paramsOf(customerParams, body);
      const customer: Customer = {
        id: newId("cus"),
        object: "customer",
        created: nowSeconds(),
        email: params.email ?? null,
        name: params.name ?? null,
        metadata: params.metadata ?? {},
        livemode: false,
      };
      customers.set(customer.id, customer);
      return customer;
    }
    if (method === "GET" && (match = path.match(/^\/v1\/customers\/([^/]+)$/))) {
      return must(customers, decodeURIComponent(match[1] ?? ""), "customer");
    }
    if (method === "POST" && path === "/v1/checkout/sessions") {
      const params = paramsOf(sessionParams, body);
      if (params.customer !== undefined) must(customers, params.customer, "customer", "customer");
      const items = Object.values(params.line_items);
      if (items.length === 0)
        throw new StripeFailure(
          400,
          "invalid_request_error",
          "line_items is required",
          "parameter_missing",
          "line_items",
        );
      let total = 0;
      let currency = "";
      for (const item of items) {
        let unit: number;
        if (item.price !== undefined) {
          if (item.price !== FAKE_PRICE.id) {
            throw new StripeFailure(
              400,
              "invalid_request_error",
              `No such price: '${item.price}'`,
              "resource_missing",
              "line_items[0][price]",
            );
          }
          unit = FAKE_PRICE.unit_amount;
          currency = FAKE_PRICE.currency;
        } else if (item.price_data) {
          unit = item.price_data.unit_amount;
          currency = item.price_data.currency;
        } else {
          throw new StripeFailure(
            400,
            "invalid_request_error",
            "line item needs price or price_data",
            "parameter_missing",
            "line_items[0]",
          );
        }
        total += unit * item.quantity;
      }
      const id = newId("cs");
      const session: Session = {
        id,
        object: "checkout.session",
        mode: params.mode,
        status: "open",
        payment_status: "unpaid",
        payment_intent: null,
        customer: params.customer ?? null,
        client_reference_id: params.client_reference_id ?? null,
        metadata: params.metadata ?? {},
        amount_subtotal: total,
        amount_total: total,
        currency,
        url: `${origin}/checkout/pay/${id}`,
        success_url: params.success_url,
        cancel_url: params.cancel_url ?? null,
        created: nowSeconds(),
        expires_at: nowSeconds() + 24 * 3600,
        livemode: false,
      };
      sessions.set(id, session);
      intentMetadata.set(id, params.payment_intent_data?.metadata ?? {});
      productNames.set(
        id,
        items.map((item) => item.price_data?.product_data.name ?? "Premium").join(", "),
      );
      return session;
    }
    if (method === "GET" && (match = path.match(/^\/v1\/checkout\/sessions\/([^/]+)$/))) {
      return must(sessions, decodeURIComponent(match[1] ?? ""), "checkout.session");
    }
    if (method === "POST" && path === "/v1/billing_portal/sessions") {
      const params = paramsOf(portalParams, body);
      must(customers, params.customer, "customer", "customer");
      const portal: PortalSession = {
        id: newId("bps"),
        object: "billing_portal.session",
        customer: params.customer,
        return_url: params.return_url ?? null,
        url: `${origin}/portal/${params.customer}`,
        created: nowSeconds(),
        livemode: false,
      };
      portalSessions.push(portal);
      return portal;
    }
    if (method === "POST" && path === "/v1/refunds") {
      const params = paramsOf(refundParams, body);
      let paid: Charge;
      if (params.payment_intent !== undefined) {
        must(intents, params.payment_intent, "payment_intent", "payment_intent");
        paid = chargeOf(params.payment_intent);
      } else if (params.charge !== undefined) {
        paid = must(charges, params.charge, "charge", "charge");
      } else {
        throw new StripeFailure(
          400,
          "invalid_request_error",
          "One of charge or payment_intent is required.",
          "parameter_missing",
          "payment_intent",
        );
      }
      const left = paid.amount - paid.amount_refunded;
      if (left <= 0) {
        throw new StripeFailure(
          400,
          "invalid_request_error",
          `Charge ${paid.id} has already been refunded.`,
          "charge_already_refunded",
        );
      }
      const amount = params.amount ?? left;
      if (amount > left) {
        throw new StripeFailure(
          400,
          "invalid_request_error",
          `Refund amount (${amount}) is greater than unrefunded amount on charge (${left})`,
          "amount_too_large",
          "amount",
        );
      }
      paid.amount_refunded += amount;
      paid.refunded = paid.amount_refunded === paid.amount;
      const refund: Refund = {
        id: newId("re"),
        object: "refund",
        amount,
        charge: paid.id,
        currency: paid.currency,
        created: nowSeconds(),
        metadata: params.metadata ?? {},
        payment_intent: paid.payment_intent,
        reason: params.reason ?? null,
        status: "succeeded",
      };
      refunds.push(refund);
      return refund;
    }
    if (method === "GET" && (match = path.match(/^\/v1\/payment_intents\/([^/]+)$/))) {
      const intent = must(intents, decodeURIComponent(match[1] ?? ""), "payment_intent");
      const expand = [...query.entries()]
        .filter(([key]) => key.startsWith("expand"))
        .map(([, value]) => value);
      const latest = intent.latest_charge ? charges.get(intent.latest_charge) : undefined;
      return expand.includes("latest_charge") && latest
        ? { ...intent, latest_charge: latest }
        : intent;
    }
    throw new StripeFailure(
      404,
      "invalid_request_error",
      `Unrecognized request URL (${method}: ${path}).`,
    );
  }

  // -- control
  function control(method: string, path: string, body: unknown): { status: number; body: unknown } {
    let match: RegExpMatchArray | null;
    if (path === "/__state" && method === "GET") {
      return {
        status: 200,
        body: {
          customers: [...customers.values()],
          sessions: [...sessions.values()],
          paymentIntents: [...intents.values()],
          charges: [...charges.values()],
          refunds,
          portalSessions,
          requests: calls,
        },
      };
    }
    if (path === "/__state" && method === "DELETE") {
      reset();
      return { status: 204, body: null };
    }
    if (path === "/__failures" && method === "POST") {
      const failure = controlFailureBody.parse(body ?? {});
      failures.set(`${failure.method} ${failure.path}`, {
        status: failure.status,
        left: failure.times,
      });
      return { status: 200, body: { queued: failure.times } };
    }
    if (
      method === "POST" &&
      (match = path.match(/^\/__sessions\/([^/]+)\/(complete|async|expire)$/))
    ) {
      const session = must(sessions, match[1] ?? "", "checkout.session");
      const action = match[2];
      if (action === "expire") {
        if (session.status !== "open")
          throw new StripeFailure(400, "invalid_request_error", "session is not open");
        session.status = "expired";
        return { status: 200, body: event("checkout.session.expired", session) };
      }
      if (action === "complete") {
        const { paymentStatus } = controlCompleteBody.parse(body ?? {});
        if (session.status !== "open")
          throw new StripeFailure(400, "invalid_request_error", "session is not open");
        const intent: PaymentIntent = {
          id: newId("pi"),
          object: "payment_intent",
          amount: session.amount_total,
          amount_received: 0,
          currency: session.currency,
          customer: session.customer,
          created: nowSeconds(),
          latest_charge: null,
          metadata: intentMetadata.get(session.id) ?? {},
          status: "processing",
          livemode: false,
        };
        intents.set(intent.id, intent);
        if (paymentStatus === "paid") charge(intent);
        session.status = "complete";
        session.payment_status = paymentStatus;
        session.payment_intent = intent.id;
        session.url = null;
        return { status: 200, body: event("checkout.session.completed", session) };
      }
      const { succeeded } = controlAsyncBody.parse(body ?? {});
      if (
        session.status !== "complete" ||
        session.payment_status !== "unpaid" ||
        !session.payment_intent
      ) {
        throw new StripeFailure(
          400,
          "invalid_request_error",
          "session is not awaiting a delayed payment",
        );
      }
      const intent = must(intents, session.payment_intent, "payment_intent");
      if (succeeded) {
        charge(intent);
        session.payment_status = "paid";
      } else {
        intent.status = "requires_payment_method";
      }
      const type = succeeded
        ? "checkout.session.async_payment_succeeded"
        : "checkout.session.async_payment_failed";
      return { status: 200, body: event(type, session) };
    }
    if (
      method === "POST" &&
      (match = path.match(/^\/__payment_intents\/([^/]+)\/(refund|dispute)$/))
    ) {
      const paid = chargeOf(match[1] ?? "");
      if (match[2] === "refund") {
        const { amount } = controlRefundBody.parse(body ?? {});
        const left = paid.amount - paid.amount_refunded;
        const refund = Math.min(amount ?? left, left);
        if (refund <= 0)
          throw new StripeFailure(
            400,
            "invalid_request_error",
            "charge already refunded",
            "charge_already_refunded",
          );
        paid.amount_refunded += refund;
        paid.refunded = paid.amount_refunded === paid.amount;
        return { status: 200, body: event("charge.refunded", paid) };
      }
      const dispute = {
        id: newId("dp"),
        object: "dispute",
        amount: paid.amount,
        charge: paid.id,
        currency: paid.currency,
        payment_intent: paid.payment_intent,
        reason: "fraudulent",
        status: "needs_response",
        created: nowSeconds(),
        livemode: false,
      };
      return { status: 200, body: event("charge.dispute.created", dispute) };
    }
    return { status: 404, body: { error: `no control route ${method} ${path}` } };
  }

  // -- hosted pages
  async function hosted(method: string, path: string, response: ServerResponse): Promise<void> {
    const html = (status: number, body: string): void => {
      response.writeHead(status, PAGE_HEADERS).end(body);
    };
    const redirect = (location: string): void => {
      response.writeHead(303, { Location: location, "Cache-Control": "no-store" }).end();
    };
    const receipt = path.match(/^\/receipts\/([^/]+)$/);
    if (receipt && method === "GET") {
      const intent = intents.get(decodeURIComponent(receipt[1] ?? ""));
      const paid = intent?.latest_charge ? charges.get(intent.latest_charge) : undefined;
      if (!paid) return html(404, notFoundPage("receipt"));
      return html(
        200,
        receiptPage({
          id: paid.id,
          amount: paid.amount,
          amountRefunded: paid.amount_refunded,
          currency: paid.currency,
          createdSeconds: paid.created,
        }),
      );
    }
    const portal = path.match(/^\/portal\/([^/]+)$/);
    if (portal && method === "GET") {
      const customerId = decodeURIComponent(portal[1] ?? "");
      const customer = customers.get(customerId);
      if (!customer) return html(404, notFoundPage("customer"));
      const returnUrl =
        portalSessions.filter((each) => each.customer === customerId).at(-1)?.return_url ?? null;
      const paid = [...charges.values()]
        .filter((each) => each.customer === customerId)
        .map((each) => ({
          amount: each.amount,
          amountRefunded: each.amount_refunded,
          currency: each.currency,
          createdSeconds: each.created,
        }));
      return html(200, portalPage(customer.email, paid, returnUrl));
    }
    const match = path.match(/^\/checkout\/pay\/([^/]+)(?:\/(pay|deliver|cancel))?$/);
    const session = match ? sessions.get(decodeURIComponent(match[1] ?? "")) : undefined;
    if (!match || !session) return html(404, notFoundPage("checkout session"));
    const action = match[2];
    if (method === "GET" && !action) {
      return html(
        200,
        checkoutPage(
          {
            id: session.id,
            status: session.status,
            amountTotal: session.amount_total,
            currency: session.currency,
            productName: productNames.get(session.id) ?? "Premium",
            email: session.customer ? (customers.get(session.customer)?.email ?? null) : null,
            successUrl: session.success_url,
            cancelUrl: session.cancel_url,
          },
          options.webhook !== undefined,
        ),
      );
    }
    if (method !== "POST" || !action) return html(405, notFoundPage("page"));
    if (action === "cancel") {
      return session.cancel_url ? redirect(session.cancel_url) : html(404, notFoundPage("page"));
    }
    if (action === "pay") {
      if (session.status !== "open") return redirect(path.replace(/\/pay$/, ""));
      paidEvents.set(session.id, control("POST", `/__sessions/${session.id}/complete`, {}).body);
    }
    const paidEvent = paidEvents.get(session.id);
    if (paidEvent === undefined) return html(404, notFoundPage("payment"));
    if (options.webhook) {
      const delivery = await deliverEvent(options.webhook, paidEvent);
      if (!delivery.ok) return html(502, deliveryFailedPage(session.id, delivery));
    }
    return session.success_url
      ? redirect(successUrlFor(session.success_url, session.id))
      : html(200, notFoundPage("success URL"));
  }

  function send(
    response: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ): void {
    if (status === 204) {
      response.writeHead(204).end();
      return;
    }
    const text = JSON.stringify(body);
    response.writeHead(status, {
      "Content-Type": "application/json",
      "Content-Length": Buffer.byteLength(text),
      "Request-Id": newId("req"),
      ...headers,
    });
    response.end(text);
  }

  function failure(error: unknown): { status: number; body: unknown } {
    if (error instanceof StripeFailure) {
      return {
        status: error.status,
        body: {
          error: {
            type: error.type,
            message: error.message,
            ...(error.code ? { code: error.code } : {}),
            ...(error.param ? { param: error.param } : {}),
          },
        },
      };
    }
    return { status: 500, body: { error: { type: "api_error", message: String(error) } } };
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request)
      chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
    const raw = Buffer.concat(chunks).toString("utf8");
    const url = new URL(request.url ?? "/", origin);
    const method = request.method ?? "GET";

    if (/^\/(checkout\/pay|portal|receipts)\//.test(url.pathname)) {
      await hosted(method, url.pathname, response);
      return;
    }

    if (url.pathname.startsWith("/__")) {
      let parsed: unknown = null;
      try {
        parsed = raw ? JSON.parse(raw) : null;
        const result = control(method, url.pathname, parsed);
        send(response, result.status, result.body);
      } catch (error) {
        const result = failure(error);
        send(response, result.status === 500 ? 400 : result.status, result.body);
      }
      return;
    }

    const authorization = request.headers.authorization ?? "";
    if (!/^Bearer sk_test_\S+$/.test(authorization)) {
      send(response, 401, {
        error: {
          type: "invalid_request_error",
          message: "Invalid API Key provided (the double accepts sk_test_ keys).",
        },
      });
      return;
    }
    const body = parseForm(raw);
    const keyHeader = request.headers["idempotency-key"];
    const idempotencyKey = typeof keyHeader === "string" ? keyHeader : null;
    calls.push({ method, path: url.pathname, idempotencyKey, body });

    const injected = failures.get(`${method} ${url.pathname}`);
    if (injected && injected.left > 0) {
      injected.left -= 1;
      send(response, injected.status, {
        error: { type: "api_error", message: "The double was asked to fail this request." },
      });
      return;
    }

    if (method === "POST" && idempotencyKey) {
      const fingerprint = `${url.pathname}?${raw}`;
      const earlier = idempotent.get(idempotencyKey);
      if (earlier) {
        if (earlier.fingerprint !== fingerprint) {
          send(response, 400, {
            error: {
              type: "idempotency_error",
              message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${idempotencyKey}' if you meant to execute a different request.`,
            },
          });
          return;
        }
        send(response, earlier.status, earlier.body, {
          "Idempotent-Replayed": "true",
          "Idempotency-Key": idempotencyKey,
        });
        return;
      }
    }
    let result: { status: number; body: unknown };
    try {
      result = { status: 200, body: api(method, url.pathname, url.searchParams, body) };
    } catch (error) {
      result = failure(error);
    }
    if (method === "POST" && idempotencyKey && result.status < 500) {
      idempotent.set(idempotencyKey, { fingerprint: `${url.pathname}?${raw}`, ...result });
    }
    send(
      response,
      result.status,
      result.body,
      idempotencyKey ? { "Idempotency-Key": idempotencyKey } : {},
    );
  }

  const server = await listenOnLoopback(port, handle, (response, error) =>
    send(response, 500, { error: { type: "api_error", message: String(error) } }),
  );
  origin = server.origin;
  return { url: origin, port: server.port, stop: () => server.close() };
}

// ---- control client ------------------------------------------------------------------------------

const metadataOut = z.record(z.string(), z.string());

export const fakeEventSchema = z.looseObject({
  id: z.string(),
  object: z.literal("event"),
  type: z.string(),
  created: z.number(),
  data: z.looseObject({ object: z.looseObject({ id: z.string(), object: z.string() }) }),
});
export type FakeEvent = z.infer<typeof fakeEventSchema>;

const stateSchema = z.object({
  customers: z.array(
    z.looseObject({ id: z.string(), email: z.string().nullable(), metadata: metadataOut }),
  ),
  sessions: z.array(
    z.looseObject({
      id: z.string(),
      status: z.string(),
      payment_status: z.string(),
      payment_intent: z.string().nullable(),
      customer: z.string().nullable(),
      client_reference_id: z.string().nullable(),
      metadata: metadataOut,
      amount_total: z.number(),
      currency: z.string(),
      success_url: z.string().nullable(),
      cancel_url: z.string().nullable(),
      url: z.string().nullable(),
    }),
  ),
  paymentIntents: z.array(
    z.looseObject({ id: z.string(), metadata: metadataOut, status: z.string() }),
  ),
  charges: z.array(
    z.looseObject({ id: z.string(), payment_intent: z.string(), amount_refunded: z.number() }),
  ),
  refunds: z.array(
    z.looseObject({
      id: z.string(),
      amount: z.number(),
      payment_intent: z.string(),
      metadata: metadataOut,
    }),
  ),
  portalSessions: z.array(
    z.looseObject({ id: z.string(), customer: z.string(), return_url: z.string().nullable() }),
  ),
  requests: z.array(
    z.object({
      method: z.string(),
      path: z.string(),
      idempotencyKey: z.string().nullable(),
      body: z.unknown(),
    }),
  ),
});
export type FakeStripeState = z.infer<typeof stateSchema>;

export interface FakeStripeControl {
  state(): Promise<FakeStripeState>;
  reset(): Promise<void>;
  completeSession(sessionId: string, paymentStatus?: "paid" | "unpaid"): Promise<FakeEvent>;
  settleAsync(sessionId: string, succeeded: boolean): Promise<FakeEvent>;
  expireSession(sessionId: string): Promise<FakeEvent>;
  refund(paymentIntentId: string, amount?: number): Promise<FakeEvent>;
  dispute(paymentIntentId: string): Promise<FakeEvent>;
  /** The next `times` requests to `method path` fail with `status`. */
  failNext(method: "GET" | "POST", path: string, status: number, times: number): Promise<void>;
}

export function fakeStripeControl(origin: string): FakeStripeControl {
  const base = origin.replace(/\/+$/, "");
  async function call(method: string, path: string, body?: unknown): Promise<unknown> {
    const response = await fetch(`${base}${path}`, {
      method,
      ...(body === undefined
        ? {}
        : { body: JSON.stringify(body), headers: { "Content-Type": "application/json" } }),
    });
    if (response.status === 204) return null;
    const text = await response.text();
    if (!response.ok)
      throw new Error(`fake Stripe control ${method} ${path}: ${response.status} ${text}`);
    return JSON.parse(text);
  }
  const post = async (path: string, body: unknown = {}) =>
    fakeEventSchema.parse(await call("POST", path, body));
  return {
    async state() {
      return stateSchema.parse(await call("GET", "/__state"));
    },
    async reset() {
      await call("DELETE", "/__state");
    },
    completeSession: (id, paymentStatus = "paid") =>
      post(`/__sessions/${id}/complete`, { paymentStatus }),
    settleAsync: (id, succeeded) => post(`/__sessions/${id}/async`, { succeeded }),
    expireSession: (id) => post(`/__sessions/${id}/expire`),
    refund: (id, amount) =>
      post(`/__payment_intents/${id}/refund`, amount === undefined ? {} : { amount }),
    dispute: (id) => post(`/__payment_intents/${id}/dispute`),
    async failNext(method, path, status, times) {
      await call("POST", "/__failures", { method, path, status, times });
    },
  };
}
