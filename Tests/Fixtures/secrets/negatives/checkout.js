import { loadStripe } from "@stripe/stripe-js";

// Publishable keys are meant to be public: they ship in every browser that loads the page.
const STRIPE_PUBLISHABLE_KEY = "pk_live_WJd13m1MTD2VSemUcYTNf9BGH7X5AsybTIluFkAfj1dKJKGy0IN79vas6AbZL9qoCUyurEh4QeoT0IC5ok1gJ08ugrPa9TGRxY6";

export async function startCheckout(sessionId) {
  const stripe = await loadStripe(STRIPE_PUBLISHABLE_KEY);
  return stripe.redirectToCheckout({ sessionId });
}
