import Stripe from "stripe";

const stripe = new Stripe(process.env.STRIPE_SECRET_KEY ?? "", { apiVersion: "2024-06-20" });

export type ChargeResult =
  | { readonly ok: true; readonly intent: Stripe.PaymentIntent }
  | { readonly ok: false; readonly reason: string };

export async function chargeCustomer(customerId: string, amountCents: number, orderId: string): Promise<ChargeResult> {
  try {
    return stripe.paymentIntents
      .create({
        customer: customerId,
        amount: amountCents,
        currency: "usd",
        confirm: true,
        off_session: true,
        metadata: { orderId },
      })
      .then((intent) => ({ ok: true as const, intent }));
  } catch (error) {
    if (error instanceof Stripe.errors.StripeCardError) {
      return { ok: false, reason: error.message };
    }
    throw error;
  }
}
