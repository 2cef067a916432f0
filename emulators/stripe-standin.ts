// The local Stripe stand-in of `npm start` (started only when no Stripe key is configured):
// the same wire-protocol double the tests use (test/doubles/fake-stripe.ts), whose hosted
// checkout page pays and delivers the signed webhook to the functions' stripeWebhook.
import { startFakeStripe } from "../test/doubles/fake-stripe";

const port = Number(process.env.STANDIN_PORT);
const url = process.env.STANDIN_WEBHOOK_URL;
const secret = process.env.STANDIN_WEBHOOK_SECRET;
if (!port || !url || !secret) {
  console.error(
    "stripe-standin: STANDIN_PORT, STANDIN_WEBHOOK_URL and STANDIN_WEBHOOK_SECRET are required",
  );
  process.exit(2);
}

const standIn = await startFakeStripe(port, { webhook: { url, secret } });
process.stdout.write(`ready ${standIn.url}\n`);
const stop = () => {
  void standIn.stop().then(() => process.exit(0));
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
