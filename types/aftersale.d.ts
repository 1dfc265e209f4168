// TypeScript declarations for the aftersale widget, for a shop's own code.
// Written by scripts/types.mjs from schema/*.schema.json and the widget's
// JavaScript API; do not edit by hand.

/** The widget's JavaScript API: `window.Aftersale`, there once the module's `init()` has run. */
export interface AftersaleApi {
  /**
   * Mounts a widget in `element` (a shadow root of its own). A bad
   * configuration is shown in the element and sent as an `aftersale:error`
   * event, never thrown; an `element` that is no HTML element throws a
   * `TypeError`. Mounting on an element that has a widget replaces it.
   * The terms bundle (`aftersale-terms.js`, for product and cart pages)
   * mounts no order: it says so in the element and as `aftersale:error`.
   */
  mount(element: HTMLElement, options: MountOptions): WidgetHandle;
  /** Mounts the `[data-aftersale]` elements added since the page loaded. */
  mountAll(): void;
}

/** What `Aftersale.mount` takes: the data attributes' options as values. */
export interface MountOptions {
  /** A preset's name (`"htvront"`, `"xtelary"`), or a policy as a policy file holds it. */
  policy: string | Policy;
  /** The order, as the contract writes it. */
  order: Order;
  /** What the order may be exchanged for. */
  exchange_options?: ExchangeOption[];
  /** The order's requests the shop already has. */
  requests?: PastRequest[];
  /** Where a request is posted (http or https; relative to the page). */
  endpoint?: string | null;
  /** The customer's locale, a BCP 47 tag (`"de-DE"`); else the page's language, else the browser's. */
  locale?: string | null;
  /** A fixed start for the widget's clock (RFC 3339). */
  now?: string | null;
  /** The contact email filled in, for the customer to keep or change. */
  email?: string;
}

/** A mounted widget. */
export interface WidgetHandle {
  /** Shows another version of the order (it shipped); throws a message naming the field if it is invalid, or if the widget is unmounted. */
  update(order: Order): void;
  /** Removes the widget and stops its clock. */
  unmount(): void;
}

/** `aftersale:submitted`: the shop decided on the request. */
export type SubmittedDetail =
  | { status: "created"; request_id: string; rma: string | null; /** How many photos follow (then `aftersale:photos`). */ photos: number }
  | { status: "refused"; clause: string; explanation: string; /** With `server.already_requested`: the other open request in the way. */ conflict: string | null }
  | { status: "quote_changed" }
  | { status: "invalid"; message: string };

/** `aftersale:photos`: where the photos of the request shown ended. */
export type PhotosDetail =
  | { status: "sent"; request_id: string | null }
  | { status: "refused"; request_id: string | null; name: string; message: string }
  | { status: "lost"; request_id: string | null; count: number };

/** `aftersale:error`: the widget cannot start or its data breaks the contract; `retrying` while the shop does not answer a read. */
export interface ErrorDetail {
  message: string;
  retrying?: true;
}

/** The widget's events: bubbling and composed, so they reach the document and the window. */
export interface AftersaleEventMap {
  /** The engine's quote, each time it changes. */
  "aftersale:quote": CustomEvent<Quote>;
  "aftersale:submitted": CustomEvent<SubmittedDetail>;
  "aftersale:photos": CustomEvent<PhotosDetail>;
  "aftersale:error": CustomEvent<ErrorDetail>;
}

declare global {
  interface Window {
    Aftersale: AftersaleApi;
  }
  interface GlobalEventHandlersEventMap extends AftersaleEventMap {}
}

/** The event a window is measured from. */
export type Anchor = "placed" | "shipped" | "delivered" | "last_tracking";

/** A range of business days. */
export type BankDays = {
  /** The most. */
  max: number;
  /** The fewest. */
  min: number;
};

/** What the outcome's money is measured on. */
export type Base = "order_amount" | "requested_value" | "exchange_difference" | "none";

/**
 * A shop's business calendar: weekend days, holidays and the fixed UTC
 * offset in which both are read.
 */
export type BusinessCalendar = {
  /** Dates (in `utc_offset`) that are not business days. */
  holidays?: string[];
  /** The offset in which days begin and end, e.g. `"-05:00"`. */
  utc_offset: UtcOffset;
  /** Days of the week that are not business days. */
  weekend?: Day[];
};

/** One clause of a policy. */
export type Clause = {
  /** The requests it speaks to: any of these matches. */
  applies_to: Match[];
  /** What it does when it applies and its requirements hold. */
  effect: Effect;
  /** A stable id, `<policy id>.<name>`. */
  id: string;
  /** When it applies, the request is refused by this clause unless all of these hold. */
  require?: Condition[];
  /** What the clause says, in plain language; the start of explanations. */
  text: string;
  /** It applies only while all of these hold. */
  when?: Condition[];
};

/**
 * A condition on the order, the request and the instant: one of the engine's
 * named rules, with its parameters. The engine's `rules` module and
 * `docs/policy-format.md` give their exact meanings.
 */
export type Condition = {
  shipped: boolean;
} | {
  delivered: boolean;
} | {
  within: Window;
} | {
  untracked_after: Window;
} | {
  tracking_stale: StaleLimits;
} | {
  item_condition: ConditionAnswer[];
} | {
  no_line_tagged: string;
} | {
  exchanges_used_below: number;
};

/** One of the customer's answers about the units' state. */
export type ConditionAnswer = "unused" | "original_packaging" | "complete";

/** A day of the week as written in a policy file: `"mon"` … `"sun"`. */
export type Day = "mon" | "tue" | "wed" | "thu" | "fri" | "sat" | "sun";

/** What a clause does. */
export type Effect = "refuse" | "gate" | {
  grant: Outcome;
};

/** The refusal for requests that no clause speaks to. */
export type Fallback = {
  /** Its clause id (`"xtelary.not_offered"`). */
  id: string;
  /** What it tells the customer. */
  text: string;
};

/** What the customer asks for. */
export type Kind = "cancel" | "return" | "exchange" | "claim";

/** Which requests a clause speaks to: these kinds, with these reasons. */
export type Match = {
  /** Reasons left to other clauses. */
  except_reasons?: Reason[];
  /** The request kinds. */
  kinds: Kind[];
  /** The reasons; absent: every reason, and none. */
  reasons?: Reason[] | null;
};

/** What a granting clause gives. */
export type Outcome = {
  /** The amount being settled. */
  base: Base;
  /** Paid on top, as a share of the order amount, 0–100. */
  compensation_percent?: Percent;
  /** Kept from the base (a cancellation or transaction fee), 0–100. */
  fee_percent?: Percent;
  /** The resolutions offered, the default first; empty: no choice to make. */
  resolutions?: Resolution[];
  /** Present when the units must be sent back, with who pays the postage. */
  return_shipping?: ReturnShipping | null;
  /** Ids of the steps the customer follows, in order. */
  steps?: string[];
};

/** Who pays to send units back. */
export type Party = "customer" | "merchant";

/** A percentage from 0 to 100 as a decimal string ("2", "12.5"), never a JSON number. */
export type Percent = string;

/**
 * How many photos, of which types and sizes, a request whose steps ask for
 * photos must carry.
 */
export type PhotoRule = {
  /** At most this many. */
  max: number;
  /** Each at most this many bytes. */
  max_bytes: number;
  /** At least this many. */
  min: number;
  /**
   * Media types accepted, each one of `image/jpeg`, `image/png`,
   * `image/webp` and `image/heic` (the payload's types).
   */
  types: string[];
};

/** Why the customer asks. */
export type Reason = "changed_mind" | "wrong_item" | "damaged" | "missing_items" | "not_shipped_in_time" | "not_received" | "late_for_deadline";

/** When refunded money should arrive after the shop receives the units. */
export type RefundTimelineRule = {
  /** Then the bank takes from … to … more business days. */
  bank_business_days: BankDays;
  /** What to do then, in order. */
  if_late?: string[];
  /** After this many business days from processing, the customer chases it. */
  late_after_business_days: number;
  /** The refund is processed within this many business days of receipt. */
  processing_business_days: number;
};

/** How the money or goods of an eligible request are settled. */
export type Resolution = "refund" | "store_credit" | "reship";

/** Who pays return shipping: one party, or per reason. */
export type ReturnShipping = {
  paid_by: Party;
} | {
  by_reason: Record<string, Party>;
};

/** A length of time in one unit. */
export type Span = {
  /** How many units; never zero. */
  length: number;
  /** Hours, days (24-hour periods) or business days. */
  unit: Unit;
};

/** How long tracking may stay silent, per shipping origin. */
export type StaleLimits = {
  /** For `ship_from = global_standard`. */
  global_standard: Span;
  /** For `ship_from = us_warehouse`. */
  us_warehouse: Span;
};

/** A step the customer follows. */
export type StepTemplate = {
  /** A stable id, e.g. `"rma"`. */
  id: string;
  /** Only when a requested line carries this tag. */
  only_with_tag?: string | null;
  /** What to do, in plain language. */
  text: string;
};

/**
 * A policy's texts in another language, each by the id of what it
 * translates; a text left out is shown as the policy has it.
 */
export type Translation = {
  /** Clause texts (the fallback's too) by clause id. */
  clauses?: Record<string, string>;
  /** The refund timeline's `if_late` texts, in their order. */
  if_late?: string[];
  /** Step texts by step id. */
  steps?: Record<string, string>;
};

/** The unit of a span. */
export type Unit = "hours" | "days" | "business_days";

/** A fixed offset from UTC, "+08:00" or "-05:00" (at most 14 hours). */
export type UtcOffset = string;

/** A window: a span measured from an event of the order. */
export type Window = {
  /** The event it is measured from. */
  from: Anchor;
  /** How many units; never zero. */
  length: number;
  /** Hours, days (24-hour periods) or business days. */
  unit: Unit;
};

/** A shop's after-sale policy. */
export type Policy = {
  /**
   * Where an editor finds this format's JSON Schema
   * (`schema/policy.schema.json`). Nothing is decided by it and it is
   * never written, so a policy served or stored is the same without it.
   */
  $schema?: string | null;
  /** The calendar business days are counted in. */
  calendar: BusinessCalendar;
  /** The clauses, in priority order: when several refuse, the first decides. */
  clauses: Clause[];
  /** The policy's id, the prefix of every clause id (`"xtelary"`). */
  id: string;
  /**
   * The language the policy's own texts are written in (`"en"`, a BCP 47
   * language subtag), where the policy says: a widget that shows one of
   * them among texts in another language marks it as in this one, so a
   * screen reader reads it with the right voice. Unsaid, a widget cannot
   * tell and marks nothing.
   */
  language?: string | null;
  /** A name for people. */
  name: string;
  /** The clause that answers a request no other clause speaks to. */
  otherwise: Fallback;
  /**
   * What the customer attaches when a step asks for photos (step id
   * `photos`); by default 1 to 5 photos of up to 10 MB each, JPEG, PNG,
   * WebP or HEIC.
   */
  photos?: PhotoRule;
  /** When refunded money should arrive, if the policy says. */
  refund_timeline?: RefundTimelineRule | null;
  /** Step texts that outcomes refer to by id. */
  steps?: StepTemplate[];
  /** Where customers write to (shown in steps and explanations). */
  support_email?: string | null;
  /**
   * The shop's own translations of its texts, by language (`"de"`, a
   * BCP 47 language subtag). What the engine says stays in the policy's
   * words; a widget shows the customer's language where it has it.
   */
  translations?: Record<string, Translation>;
  /** The shop's version label of this text (`"2026-11-01"`). */
  version: string;
};

/** Money as a decimal string ("12.50"), never a JSON number, with at most the currency's minor digits. */
export type Amount = string;

/** An ISO 4217 code the engine knows the minor unit of. */
export type Currency = "AED" | "AUD" | "BHD" | "BRL" | "CAD" | "CHF" | "CLP" | "CNY" | "CZK" | "DKK" | "EUR" | "GBP" | "HKD" | "HUF" | "IDR" | "ILS" | "INR" | "ISK" | "JOD" | "JPY" | "KRW" | "KWD" | "MXN" | "MYR" | "NOK" | "NZD" | "OMR" | "PHP" | "PLN" | "SAR" | "SEK" | "SGD" | "THB" | "TND" | "TRY" | "TWD" | "USD" | "VND" | "ZAR";

/** An item the shop offers in exchange for an order's units, with its stock. */
export type ExchangeOption = {
  /** SKU. */
  sku: string;
  /** Units left. */
  stock: number;
  /** Title. */
  title: string;
  /** Price per unit, in the order's currency. */
  unit_price: Amount;
};

/**
 * An order as the shop's backend knows it. Unknown fields (images, variant
 * names, …) are allowed and ignored: orders come from shops' own systems.
 */
export type Order = {
  /** The currency every amount of the order is in. */
  currency: Currency;
  /** When it was delivered (null: not yet). */
  delivered_at?: string | null;
  /** Exchanges already made on this order. */
  exchanges_used?: number;
  /** The shop's order id. */
  id: string;
  /** The latest logistics update after shipment (null: none). */
  last_tracking_event_at?: string | null;
  /** The order's lines. */
  lines: OrderLine[];
  /** When the order was placed. */
  placed_at: string;
  /** Where it ships from. */
  ship_from: ShipFrom;
  /** When it got a tracking number (null: not yet). */
  shipped_at?: string | null;
  /** Shipping the customer paid. */
  shipping_paid: Amount;
};

/** One line of an order. */
export type OrderLine = {
  /** The line's id, unique in the order. */
  id: string;
  /** Units ordered. */
  quantity: number;
  /** The product's SKU. */
  sku: string;
  /** Tags that carry meaning for policies: `replacement`, `fingerprint-lock`. */
  tags?: string[];
  /** The product's title, for people. */
  title: string;
  /** What the customer actually paid per unit. */
  unit_price: Amount;
};

/** A request the shop has for an order, as the order's page lists it. */
export type PastRequest = {
  /** When the shop received it. */
  created_at: string;
  /** The shop's id for it. */
  id: string;
  /** What was asked. */
  kind: Kind;
  /** The units it names (none for a whole-order request). */
  lines?: RequestLine[];
  /** Why, where a reason was given. */
  reason?: Reason | null;
  /** The RMA code the shop gave it, if any. */
  rma?: string | null;
  /**
   * Where it stands in the shop (the reference backend: `requested`,
   * `approved`, `item_received`, `refunded`, `credited`, `reshipped`,
   * `rejected`); a page shows a status it does not know as it is.
   */
  status: string;
};

/** One line of a request: which order line, how many units. */
export type RequestLine = {
  /** The order line's id. */
  line_id: string;
  /** Units concerned, from 1 to the line's quantity. */
  quantity: number;
};

/** Where an order ships from; decides how long tracking may stay silent. */
export type ShipFrom = "us_warehouse" | "global_standard";

/**
 * What a shop page gives the widget for an order, and what the reference
 * backend serves at `GET /api/orders/{id}`: the order and the items offered
 * in exchange for it.
 */
export type PageData = {
  /** The items offered in exchange, with their stock. */
  exchange_options?: ExchangeOption[];
  /** The order. */
  order: Order;
  /**
   * The requests the shop already has for the order, for the page to show
   * (what was asked, where it stands, the RMA code); quoting does not read
   * them: the shop applies what they change to the order (the reference
   * backend counts open exchanges in `exchanges_used`).
   */
  requests?: PastRequest[];
};

/** Money as a decimal string ("12.50"), never a JSON number, with the currency's minor digits. */
export type Money = string;

/** Why the customer asks; null where the request gives no reason (a cancellation). */
export type PayloadReason = "changed_mind" | "wrong_item" | "damaged" | "missing_items" | "not_shipped_in_time" | "not_received" | "late_for_deadline" | null;

/** What the customer asks for: the kind, the reason, the units, the resolution chosen, the answers on the units' state and the item wanted in exchange. */
export type Request = {
  kind: "cancel" | "return" | "exchange" | "claim";
  reason: PayloadReason;
  lines: {
    line_id: string;
    quantity: number;
  }[];
  resolution: "refund" | "store_credit" | "reship" | null;
  condition: null | {
    unused: boolean;
    original_packaging: boolean;
    complete: boolean;
  };
  exchange_for: null | {
    sku: string;
    title: string;
    unit_price: Money;
    quantity: number;
    stock: number;
  };
};

/** The engine's quote the customer saw, field for field as the engine writes it; the backend accepts the request only if its own quote is equal. */
export type Quote = {
  eligible: boolean;
  clauses: string[];
  refund: Money;
  store_credit: Money;
  compensation: Money;
  fee: Money;
  customer_pays: Money;
  reship: boolean;
  return_required: boolean;
  return_shipping_paid_by: "customer" | "merchant" | null;
  deadline: string | null;
  steps: {
    id: string;
    text: string;
  }[];
  explanation: string;
};

/** What the widget POSTs to the shop's endpoint, with an Idempotency-Key header (a UUID made once per request). The backend re-quotes `request` for `order_id` with the same engine and accepts only a quote equal to its own. */
export type RequestPayload = {
  format: "aftersale.request/1";
  order_id: string;
  policy: {
    id: string;
    version: string;
  };
  request: Request;
  quote: Quote;
  attachments: {
    name: string;
    type: "image/jpeg" | "image/png" | "image/webp" | "image/heic";
    size: number;
  }[];
  contact: {
    email: string;
  };
  /** The customer's locale, a BCP 47 language tag (de-DE, zh-Hans-CN), as the browser's Intl writes it: the language the shop answers in. */
  locale: string;
  /** When the customer sent it, by the widget's clock (the shop's where the widget read it); the same on every retry. */
  submitted_at: string;
};
