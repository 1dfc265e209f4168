//! The input side of the quote contract: an order, a customer request and the
//! instant at which to answer.
//!
//! These types mirror the JSON of `policy-semantics.md` field for field.
//! Deserialising checks shape and notation; [`Scenario::check`] then checks
//! the facts that serde cannot (amounts within the currency's minor unit,
//! lines that exist, quantities in range, dates in order) and turns them into
//! [`Facts`] for the rules.

use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::money::{Amount, Currency, Money, MoneyError};

/// One scenario: the order, the request, and the instant of the question.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// The instant at which the request is asked.
    #[serde(deserialize_with = "crate::calendar::read::instant")]
    pub now: DateTime<Utc>,
    /// The order as the shop knows it at `now`.
    pub order: Order,
    /// What the customer asks for.
    pub request: Request,
}

/// Where an order ships from; decides how long tracking may stay silent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ShipFrom {
    /// A domestic (US) warehouse.
    UsWarehouse,
    /// Global standard delivery.
    GlobalStandard,
}

/// An order as the shop's backend knows it. Unknown fields (images, variant
/// names, …) are allowed and ignored: orders come from shops' own systems.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Order {
    /// The shop's order id.
    pub id: String,
    /// The currency every amount of the order is in.
    pub currency: Currency,
    /// When the order was placed.
    #[serde(deserialize_with = "crate::calendar::read::instant")]
    pub placed_at: DateTime<Utc>,
    /// When it got a tracking number (null: not yet).
    #[serde(default, deserialize_with = "crate::calendar::read::instant_or_null")]
    pub shipped_at: Option<DateTime<Utc>>,
    /// The latest logistics update after shipment (null: none).
    #[serde(default, deserialize_with = "crate::calendar::read::instant_or_null")]
    pub last_tracking_event_at: Option<DateTime<Utc>>,
    /// When it was delivered (null: not yet).
    #[serde(default, deserialize_with = "crate::calendar::read::instant_or_null")]
    pub delivered_at: Option<DateTime<Utc>>,
    /// Where it ships from.
    pub ship_from: ShipFrom,
    /// Shipping the customer paid.
    pub shipping_paid: Amount,
    /// Exchanges already made on this order.
    #[serde(default)]
    pub exchanges_used: u32,
    /// The order's lines.
    pub lines: Vec<OrderLine>,
}

/// One line of an order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct OrderLine {
    /// The line's id, unique in the order.
    pub id: String,
    /// The product's SKU.
    pub sku: String,
    /// The product's title, for people.
    pub title: String,
    /// What the customer actually paid per unit.
    pub unit_price: Amount,
    /// Units ordered.
    pub quantity: u32,
    /// Tags that carry meaning for policies: `replacement`, `fingerprint-lock`.
    #[serde(default)]
    pub tags: Vec<String>,
}

/// What the customer asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Cancel the whole order.
    Cancel,
    /// Send units back for money.
    Return,
    /// Swap units for another item.
    Exchange,
    /// Report a problem to be made good without (necessarily) sending back.
    Claim,
}

impl Kind {
    /// True when a request of this kind and reason is about particular units
    /// and must name its lines: returns, exchanges, and claims for wrong,
    /// damaged or missing items. A cancel is for the whole order.
    pub fn names_units(self, reason: Option<Reason>) -> bool {
        match self {
            Kind::Cancel => false,
            Kind::Return | Kind::Exchange => true,
            Kind::Claim => reason.is_some_and(Reason::concerns_units),
        }
    }

    /// Every kind, in the order the widget offers them.
    pub const ALL: [Kind; 4] = [Kind::Cancel, Kind::Return, Kind::Exchange, Kind::Claim];

    /// The kind of a JSON name; `None` for a name it does not know.
    pub fn parse(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == name)
    }

    /// The name used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Cancel => "cancel",
            Kind::Return => "return",
            Kind::Exchange => "exchange",
            Kind::Claim => "claim",
        }
    }
}

/// Why the customer asks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// The customer no longer wants it (a personal reason).
    ChangedMind,
    /// The shop sent the wrong product.
    WrongItem,
    /// The product arrived broken.
    Damaged,
    /// Units are missing from the parcel.
    MissingItems,
    /// The order got no tracking number in time.
    NotShippedInTime,
    /// The parcel never arrived.
    NotReceived,
    /// The parcel came too late for the customer's own deadline.
    LateForDeadline,
}

impl Reason {
    /// Every reason.
    pub const ALL: [Reason; 7] = [
        Reason::ChangedMind,
        Reason::WrongItem,
        Reason::Damaged,
        Reason::MissingItems,
        Reason::NotShippedInTime,
        Reason::NotReceived,
        Reason::LateForDeadline,
    ];

    /// The reason of a JSON name; `None` for a name it does not know.
    pub fn parse(name: &str) -> Option<Reason> {
        Reason::ALL.into_iter().find(|r| r.as_str() == name)
    }

    /// The name used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::ChangedMind => "changed_mind",
            Reason::WrongItem => "wrong_item",
            Reason::Damaged => "damaged",
            Reason::MissingItems => "missing_items",
            Reason::NotShippedInTime => "not_shipped_in_time",
            Reason::NotReceived => "not_received",
            Reason::LateForDeadline => "late_for_deadline",
        }
    }

    /// Reasons about particular units, which a request must name.
    pub fn concerns_units(self) -> bool {
        matches!(
            self,
            Reason::WrongItem | Reason::Damaged | Reason::MissingItems
        )
    }
}

/// How the money or goods of an eligible request are settled.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Resolution {
    /// Money back to the original payment.
    Refund,
    /// Credit kept for the next order.
    StoreCredit,
    /// The units are shipped again.
    Reship,
}

impl Resolution {
    /// The name used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Resolution::Refund => "refund",
            Resolution::StoreCredit => "store_credit",
            Resolution::Reship => "reship",
        }
    }
}

/// The customer's answers about the state of the units.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemCondition {
    /// Not used.
    pub unused: bool,
    /// Still in the original packaging.
    pub original_packaging: bool,
    /// Nothing missing from the package.
    pub complete: bool,
}

/// One line of a request: which order line, how many units.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RequestLine {
    /// The order line's id.
    pub line_id: String,
    /// Units concerned, from 1 to the line's quantity.
    pub quantity: u32,
}

/// An item the shop offers in exchange for an order's units, with its stock.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ExchangeOption {
    /// SKU.
    pub sku: String,
    /// Title.
    pub title: String,
    /// Price per unit, in the order's currency.
    pub unit_price: Amount,
    /// Units left.
    pub stock: u32,
}

/// What a shop page gives the widget for an order, and what the reference
/// backend serves at `GET /api/orders/{id}`: the order and the items offered
/// in exchange for it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PageData {
    /// The order.
    pub order: Order,
    /// The items offered in exchange, with their stock.
    #[serde(default)]
    pub exchange_options: Vec<ExchangeOption>,
    /// The requests the shop already has for the order, for the page to show
    /// (what was asked, where it stands, the RMA code); quoting does not read
    /// them: the shop applies what they change to the order (the reference
    /// backend counts open exchanges in `exchanges_used`).
    #[serde(default)]
    pub requests: Vec<PastRequest>,
}

/// A request the shop has for an order, as the order's page lists it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PastRequest {
    /// The shop's id for it.
    pub id: String,
    /// What was asked.
    pub kind: Kind,
    /// Why, where a reason was given.
    #[serde(default)]
    pub reason: Option<Reason>,
    /// The units it names (none for a whole-order request).
    #[serde(default)]
    pub lines: Vec<RequestLine>,
    /// Where it stands in the shop (the reference backend: `requested`,
    /// `approved`, `item_received`, `refunded`, `credited`, `reshipped`,
    /// `rejected`); a page shows a status it does not know as it is.
    pub status: String,
    /// When the shop received it.
    #[serde(deserialize_with = "crate::calendar::read::instant")]
    pub created_at: DateTime<Utc>,
    /// The RMA code the shop gave it, if any.
    #[serde(default)]
    pub rma: Option<String>,
}

/// The item an exchange asks for, with the stock left of it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExchangeTarget {
    /// The new item's SKU.
    pub sku: String,
    /// The new item's title.
    pub title: String,
    /// Its price per unit, in the order's currency.
    pub unit_price: Amount,
    /// Units wanted.
    pub quantity: u32,
    /// Units left in stock.
    pub stock: u32,
}

/// The customer's request.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Request {
    /// Cancel, return, exchange or claim.
    pub kind: Kind,
    /// Why (null: no reason given).
    #[serde(default)]
    pub reason: Option<Reason>,
    /// The units concerned; a cancel is for the whole order and ignores them.
    #[serde(default)]
    pub lines: Vec<RequestLine>,
    /// The settlement asked for (null: the clause's default).
    #[serde(default)]
    pub resolution: Option<Resolution>,
    /// The customer's answers about the units' state.
    #[serde(default)]
    pub condition: Option<ItemCondition>,
    /// For an exchange: the item wanted instead.
    #[serde(default)]
    pub exchange_for: Option<ExchangeTarget>,
}

/// Input that breaks the contract: which field, and what is wrong with it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputError {
    /// The field's path, e.g. `order.lines[0].unit_price`.
    pub field: String,
    /// What is wrong, for people.
    pub message: String,
}

impl InputError {
    pub(crate) fn new(field: impl Into<String>, message: impl Into<String>) -> InputError {
        InputError {
            field: field.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.field.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.field, self.message)
        }
    }
}

impl std::error::Error for InputError {}

/// Deserialises a `T` from any deserializer and names the field at fault on
/// error (serde_json's, natively; the widget has its own reader, `js-read`,
/// which names fields in the same words). A struct is read from an object
/// only, as `js-read` and the published schemas read it: serde alone would
/// also take an array of its fields in order.
pub fn deserialize_with_path<'de, T, D>(d: D) -> Result<T, InputError>
where
    T: Deserialize<'de>,
    D: serde::Deserializer<'de>,
    D::Error: fmt::Display,
{
    serde_path_to_error::deserialize(crate::strict::Strict(d)).map_err(|e| {
        // Text that ends inside an object ends where the next key was due,
        // which serde_path_to_error writes as `?`: the field is the object.
        let path = e.path().to_string();
        let mut field = path.as_str();
        while let Some(outer) = field.strip_suffix(".?") {
            field = outer;
        }
        let field = match field {
            "." | "?" => "",
            f => f,
        };
        InputError::new(field, e.into_inner().to_string())
    })
}

/// Parses any contract type from JSON text; errors name the field at fault.
#[cfg(feature = "json")]
pub fn deserialize_json<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, InputError> {
    let mut de = serde_json::Deserializer::from_str(text);
    let value = deserialize_with_path(&mut de)?;
    de.end().map_err(|e| InputError::new("", e.to_string()))?;
    Ok(value)
}

impl Scenario {
    /// Parses a scenario from JSON text; errors name the field at fault.
    #[cfg(feature = "json")]
    pub fn from_json(text: &str) -> Result<Scenario, InputError> {
        deserialize_json(text)
    }

    /// Checks everything serde cannot and returns the facts the rules read.
    pub fn check(&self) -> Result<Facts<'_>, InputError> {
        Facts::new(self.now, &self.order, &self.request)
    }
}

/// One requested line, resolved against the order.
#[derive(Clone, Debug)]
pub struct RequestedUnits<'a> {
    /// The order line.
    pub line: &'a OrderLine,
    /// Units requested.
    pub quantity: u32,
    /// `unit_price × quantity`.
    pub value: Money,
}

/// A checked order and request: every amount is valid money in the order's
/// currency, every requested line exists with a quantity in range.
#[derive(Clone, Debug)]
pub struct Facts<'a> {
    /// The instant of the question.
    pub now: DateTime<Utc>,
    /// The order.
    pub order: &'a Order,
    /// The request.
    pub request: &'a Request,
    /// The order's currency.
    pub currency: Currency,
    /// Σ unit_price × quantity + shipping_paid.
    pub order_amount: Money,
    /// The requested units (empty for a cancel).
    pub requested: Vec<RequestedUnits<'a>>,
    /// Σ of the requested units' value.
    pub requested_value: Money,
    /// For an exchange: the new items' value, `unit_price × quantity`.
    pub exchange_value: Option<Money>,
    /// Events (shipment, tracking, delivery) count only up to this instant:
    /// `now` when checked; kept when the engine looks ahead with [`Facts::at`].
    horizon: DateTime<Utc>,
}

fn money_at(
    field: impl FnOnce() -> String,
    amount: Amount,
    currency: Currency,
) -> Result<Money, InputError> {
    Money::from_amount(amount, currency).map_err(|e| InputError::new(field(), e.to_string()))
}

fn overflow(field: &str) -> impl FnOnce(MoneyError) -> InputError + '_ {
    move |e| InputError::new(field, e.to_string())
}

impl<'a> Facts<'a> {
    /// Checks `order` and `request` at `now`.
    pub fn new(
        now: DateTime<Utc>,
        order: &'a Order,
        request: &'a Request,
    ) -> Result<Facts<'a>, InputError> {
        let currency = order.currency;
        if order.id.trim().is_empty() {
            return Err(InputError::new("order.id", "must not be empty"));
        }
        if order.lines.is_empty() {
            return Err(InputError::new(
                "order.lines",
                "an order has at least one line",
            ));
        }
        check_dates(now, order)?;

        let mut order_amount = money_at(
            || "order.shipping_paid".into(),
            order.shipping_paid,
            currency,
        )?;
        for (i, line) in order.lines.iter().enumerate() {
            if line.id.is_empty() {
                return Err(InputError::new(
                    format!("order.lines[{i}].id"),
                    "must not be empty",
                ));
            }
            if let Some(j) = order.lines[..i].iter().position(|l| l.id == line.id) {
                return Err(InputError::new(
                    format!("order.lines[{i}].id"),
                    format!("duplicate line id {:?} (also order.lines[{j}])", line.id),
                ));
            }
            if line.quantity == 0 {
                return Err(InputError::new(
                    format!("order.lines[{i}].quantity"),
                    "must be at least 1",
                ));
            }
            let unit = money_at(
                || format!("order.lines[{i}].unit_price"),
                line.unit_price,
                currency,
            )?;
            order_amount = unit
                .times(line.quantity)
                .and_then(|v| order_amount.checked_add(v))
                .map_err(overflow("order.lines"))?;
        }

        Facts::for_request(now, order, order_amount, request)
    }

    /// The same checked order at the same instant, with another request:
    /// only the request is checked (the overview asks about every line of
    /// an order, each against the order checked once).
    pub(crate) fn with_request<'b>(&self, request: &'b Request) -> Result<Facts<'b>, InputError>
    where
        'a: 'b,
    {
        Facts::for_request(self.now, self.order, self.order_amount, request)
    }

    /// Checks `request` against `order`, already checked, with its amount.
    fn for_request<'b>(
        now: DateTime<Utc>,
        order: &'b Order,
        order_amount: Money,
        request: &'b Request,
    ) -> Result<Facts<'b>, InputError> {
        let currency = order.currency;
        let mut requested = Vec::new();
        let mut requested_value = Money::zero(currency);
        if request.kind != Kind::Cancel {
            if request.kind.names_units(request.reason) && request.lines.is_empty() {
                let what = match (request.kind, request.reason) {
                    (Kind::Claim, Some(reason)) => format!("a {} claim", reason.as_str()),
                    (kind, _) => format!(
                        "a{} {}",
                        if kind == Kind::Exchange { "n" } else { "" },
                        kind.as_str()
                    ),
                };
                return Err(InputError::new(
                    "request.lines",
                    format!("{what} names the lines and quantities it concerns"),
                ));
            }
            for (i, wanted) in request.lines.iter().enumerate() {
                let field = format!("request.lines[{i}]");
                let Some(line) = order.lines.iter().find(|l| l.id == wanted.line_id) else {
                    return Err(InputError::new(
                        format!("{field}.line_id"),
                        format!("no line {:?} in order {}", wanted.line_id, order.id),
                    ));
                };
                if request.lines[..i]
                    .iter()
                    .any(|l| l.line_id == wanted.line_id)
                {
                    return Err(InputError::new(
                        format!("{field}.line_id"),
                        format!("line {:?} is requested twice", wanted.line_id),
                    ));
                }
                if wanted.quantity == 0 || wanted.quantity > line.quantity {
                    return Err(InputError::new(
                        format!("{field}.quantity"),
                        format!(
                            "must be from 1 to {} (the order holds {} of line {:?}), got {}",
                            line.quantity, line.quantity, line.id, wanted.quantity
                        ),
                    ));
                }
                // The line's price was checked above.
                let unit = Money::from_amount(line.unit_price, currency)
                    .map_err(overflow("order.lines"))?;
                let value = unit
                    .times(wanted.quantity)
                    .map_err(overflow("request.lines"))?;
                requested_value = requested_value
                    .checked_add(value)
                    .map_err(overflow("request.lines"))?;
                requested.push(RequestedUnits {
                    line,
                    quantity: wanted.quantity,
                    value,
                });
            }
        }

        let exchange_value = match (&request.exchange_for, request.kind) {
            (Some(target), Kind::Exchange) => {
                if target.quantity == 0 {
                    return Err(InputError::new(
                        "request.exchange_for.quantity",
                        "must be at least 1",
                    ));
                }
                let unit = money_at(
                    || "request.exchange_for.unit_price".into(),
                    target.unit_price,
                    currency,
                )?;
                Some(
                    unit.times(target.quantity)
                        .map_err(overflow("request.exchange_for"))?,
                )
            }
            (None, Kind::Exchange) => {
                return Err(InputError::new(
                    "request.exchange_for",
                    "an exchange names the item wanted instead",
                ));
            }
            (Some(_), kind) => {
                return Err(InputError::new(
                    "request.exchange_for",
                    format!("only an exchange names a new item, not a {}", kind.as_str()),
                ));
            }
            (None, _) => None,
        };

        Ok(Facts {
            now,
            order,
            request,
            currency,
            order_amount,
            requested,
            requested_value,
            exchange_value,
            horizon: now,
        })
    }

    /// The same facts at a later instant, with no new events: what the
    /// answer would be if nothing happens to the order until then.
    pub(crate) fn at(&self, now: DateTime<Utc>) -> Facts<'a> {
        Facts {
            now,
            ..self.clone()
        }
    }

    /// Shipped: `shipped_at` is set and not after `now`.
    pub fn shipped(&self) -> bool {
        self.order.shipped_at.is_some_and(|t| t <= self.horizon)
    }

    /// Shipped at or before `t` (and known to be).
    pub fn shipped_by(&self, t: DateTime<Utc>) -> bool {
        self.order
            .shipped_at
            .is_some_and(|s| s <= t && s <= self.horizon)
    }

    /// Delivered: `delivered_at` is set and not after `now`.
    pub fn delivered(&self) -> bool {
        self.order.delivered_at.is_some_and(|t| t <= self.horizon)
    }

    /// The last logistics update known at `now`: `last_tracking_event_at`,
    /// else `shipped_at`; `None` before shipment.
    pub fn last_logistics_update(&self) -> Option<DateTime<Utc>> {
        if !self.shipped() {
            return None;
        }
        self.order
            .last_tracking_event_at
            .filter(|t| *t <= self.horizon)
            .or(self.order.shipped_at)
    }
}

fn check_dates(now: DateTime<Utc>, order: &Order) -> Result<(), InputError> {
    if now < order.placed_at {
        return Err(InputError::new("now", "is before order.placed_at"));
    }
    if let Some(shipped) = order.shipped_at
        && shipped < order.placed_at
    {
        return Err(InputError::new(
            "order.shipped_at",
            "is before order.placed_at",
        ));
    }
    if let Some(event) = order.last_tracking_event_at {
        match order.shipped_at {
            None => {
                return Err(InputError::new(
                    "order.last_tracking_event_at",
                    "is set but order.shipped_at is not (tracking starts at shipment)",
                ));
            }
            Some(shipped) if event < shipped => {
                return Err(InputError::new(
                    "order.last_tracking_event_at",
                    "is before order.shipped_at",
                ));
            }
            Some(_) => {}
        }
    }
    if let Some(delivered) = order.delivered_at {
        match order.shipped_at {
            None => {
                return Err(InputError::new(
                    "order.delivered_at",
                    "is set but order.shipped_at is not (an order is shipped before it is delivered)",
                ));
            }
            Some(shipped) if delivered < shipped => {
                return Err(InputError::new(
                    "order.delivered_at",
                    "is before order.shipped_at",
                ));
            }
            Some(_) => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_and_reasons_read_back_from_their_json_names() {
        for k in Kind::ALL {
            assert_eq!(Kind::parse(k.as_str()), Some(k));
        }
        for r in Reason::ALL {
            assert_eq!(Reason::parse(r.as_str()), Some(r));
        }
        assert_eq!(Kind::parse("refund"), None);
        assert_eq!(Reason::parse("Changed_Mind"), None);
    }
}
