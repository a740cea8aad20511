import Stripe from "stripe";

const stripe = new Stripe(process.env.STRIPE_SECRET_KEY ?? "", { apiVersion: "2024-06-20" });

export async function chargeCustomer(customerId: string, amountCents: number, orderId: string) {
  return stripe.paymentIntents.create({
    customer: customerId,
    amount: amountCents,
    currency: "usd",
    confirm: true,
    off_session: true,
    metadata: { orderId },
  });
}
