// A shop's code using the widget as the README's embedding guide does,
// type-checked against aftersale.d.ts by the test command (`tsc -p types`):
// what it must take compiles, and each `@ts-expect-error` line is a
// mistake the declarations must catch (tsc fails if one compiles).
import type { ExchangeOption, Order, PastRequest, Policy, Quote, RequestPayload } from "./aftersale";

const order: Order = {
  id: "X-105",
  currency: "USD",
  placed_at: "2026-11-02T09:00:00Z",
  ship_from: "us_warehouse",
  shipping_paid: "9.90",
  shipped_at: "2026-11-03T15:00:00Z",
  delivered_at: null,
  lines: [
    { id: "L1", sku: "WW-FP-2", title: "Double watch winder", unit_price: "189.00", quantity: 1, tags: ["fingerprint-lock"] },
  ],
};
const offers: ExchangeOption[] = [{ sku: "WW-FP-4", title: "Quad watch winder", unit_price: "259.00", stock: 2 }];
const requests: PastRequest[] = [
  { id: "R-1", kind: "return", status: "requested", created_at: "2026-11-05T10:00:00Z", rma: "RMA-1", reason: "changed_mind", lines: [{ line_id: "L1", quantity: 1 }] },
];
const el = document.querySelector<HTMLElement>("#aftersale");
if (el) {
  const handle = window.Aftersale.mount(el, {
    policy: "xtelary", order, exchange_options: offers, requests,
    endpoint: "/api/aftersale/requests", locale: "de-DE", now: "2026-11-22T10:00:00Z",
    email: "mia.keller@example.com",
  });
  handle.update({ ...order, delivered_at: "2026-11-06T12:00:00Z" });
  handle.unmount();

  el.addEventListener("aftersale:quote", (e) => {
    const refund: string = e.detail.refund;
    const deadline: string | null = e.detail.deadline;
    console.log(refund, deadline, e.detail.steps.map((s) => s.id));
  });
  el.addEventListener("aftersale:error", (e) => {
    const retrying: boolean = e.detail.retrying === true;
    console.log(e.detail.message, retrying);
  });
}
window.Aftersale.mountAll();

// The events bubble out of the shadow root to the document and the window.
document.addEventListener("aftersale:submitted", (e) => {
  switch (e.detail.status) {
    case "created": {
      const id: string = e.detail.request_id;
      const photos: number = e.detail.photos;
      console.log(id, photos, e.detail.rma);
      break;
    }
    case "refused":
      console.log(e.detail.clause, e.detail.explanation, e.detail.conflict);
      break;
    case "invalid":
      console.log(e.detail.message);
      break;
    case "quote_changed":
      break;
  }
});
window.addEventListener("aftersale:photos", (e) => {
  if (e.detail.status === "lost") console.log(e.detail.count);
});

// A shop's own policy, as its file holds it.
const policy: Policy = {
  id: "acme", name: "Acme Outdoor returns", version: "2026-11-23",
  calendar: { utc_offset: "+01:00", weekend: ["sat", "sun"], holidays: ["2026-12-25"] },
  clauses: [
    {
      id: "acme.cancel_shipped", text: "A shipped order cannot be cancelled: return it once it arrives.",
      applies_to: [{ kinds: ["cancel"] }], when: [{ shipped: true }], effect: "refuse",
    },
    {
      id: "acme.cancel", text: "Cancel before it ships, free of charge.",
      applies_to: [{ kinds: ["cancel"] }], effect: { grant: { base: "order_amount", fee_percent: "0" } },
    },
  ],
  otherwise: { id: "acme.other", text: "Write to help@acme.example." },
};
if (el) window.Aftersale.mount(el, { policy, order });

// What a shop's backend receives.
declare const body: RequestPayload;
const quote: Quote = body.quote;
console.log(quote.eligible, body.request.kind, body.attachments.map((a) => a.type));

// Mistakes the declarations catch.
// @ts-expect-error money is a decimal string, never a number
const floatMoney: Order = { ...order, shipping_paid: 9.9 };
// @ts-expect-error a currency the engine does not know
const unknownCurrency: Order = { ...order, currency: "XYZ" };
// @ts-expect-error an order needs its lines
const noLines: Order = { id: "X-1", currency: "USD", placed_at: "2026-11-02T09:00:00Z", ship_from: "us_warehouse", shipping_paid: "0.00" };
// @ts-expect-error a reason the format does not have
const badReason: PastRequest = { ...requests[0], reason: "bored" };
if (el) {
  // @ts-expect-error a policy is a preset's name or a policy, not a number
  window.Aftersale.mount(el, { policy: 5, order });
  // @ts-expect-error the order is required
  window.Aftersale.mount(el, { policy: "htvront" });
  // @ts-expect-error mount takes an element, not a selector
  window.Aftersale.mount("#aftersale", { policy: "htvront", order });
}
document.addEventListener("aftersale:submitted", (e) => {
  if (e.detail.status === "refused") {
    // @ts-expect-error a refusal has no request id
    console.log(e.detail.request_id);
  }
});
// @ts-expect-error a percentage is a decimal string
const floatFee: Policy = { ...policy, clauses: [{ ...policy.clauses[1], effect: { grant: { base: "order_amount", fee_percent: 2 } } }] };
console.log(floatMoney, unknownCurrency, noLines, badReason, floatFee);
