// Where checkout sends the user back: asks the server where the session stands (it applies
// a paid session if the webhook has not yet) and shows premium turning on, live.
import { useEffect, type ReactNode } from "react";
import { Link, useSearchParams } from "react-router";
import { verifyCheckout } from "@aichat/client";
import { useClient } from "../../app/client";
import { useLoad, useTitle } from "../../app/hooks";
import { useSession } from "../../app/session";
import { formatDate } from "../../ui/format";
import { Notice, Spinner } from "../../ui/Notice";

const MESSAGES: Record<string, string> = {
  paid: "Payment received.",
  pending: "Your payment is being processed; premium starts as soon as it clears.",
  open: "The checkout was not completed.",
  expired: "This checkout expired before it was paid.",
  failed: "The payment failed.",
  refunded: "This payment was refunded.",
  disputed: "This payment is disputed.",
};

export function CheckoutSuccess(): ReactNode {
  useTitle("Checkout");
  const client = useClient();
  const session = useSession();
  const [params] = useSearchParams();
  const sessionId = params.get("session_id") ?? "";
  const verified = useLoad(sessionId ? () => verifyCheckout(client, sessionId) : null, [
    client,
    sessionId,
  ]);
  // A pending payment settles later: ask again now and then.
  const status = verified.data?.status;
  const reload = verified.reload;
  useEffect(() => {
    if (status !== "pending") return undefined;
    const timer = setInterval(reload, 5000);
    return () => clearInterval(timer);
  }, [status, reload]);

  return (
    <div className="auth-page stack">
      <h1>Checkout</h1>
      {!sessionId ? <Notice tone="error">This page needs a checkout session.</Notice> : null}
      {verified.loading && !verified.data ? <Spinner label="Checking your payment" /> : null}
      {verified.error ? (
        <Notice tone="error">
          {verified.error.message}{" "}
          <button type="button" className="ghost" onClick={verified.reload}>
            Try again
          </button>
        </Notice>
      ) : null}
      {status ? (
        <Notice tone={status === "paid" ? "ok" : status === "pending" ? "info" : "error"}>
          {MESSAGES[status] ?? status}
        </Notice>
      ) : null}
      {session.premium && session.premiumUntil ? (
        <div className="card stack" data-testid="premium-active">
          <h2>You are premium</h2>
          <p>
            Unlimited messages until <strong>{formatDate(session.premiumUntil)}</strong>.
          </p>
          <Link className="button" to="/">
            Back to the characters
          </Link>
        </div>
      ) : (
        <Link to="/premium">Back to premium</Link>
      )}
    </div>
  );
}
