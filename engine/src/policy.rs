//! A shop's after-sale policy, as data.
//!
//! A policy is a list of clauses. Each clause has a stable id, the request
//! kinds and reasons it speaks to, the conditions under which it applies
//! (`when`), the conditions it demands (`require`), and its effect: refuse the
//! request, gate it (let it through only if `require` holds), or grant it with
//! an [`Outcome`]. The conditions are the engine's named rules (see
//! [`crate::rules`]); the data selects and parameterises them. The JSON format
//! is documented in `docs/policy-format.md` and by the two presets in
//! `engine/policies/`.

use std::collections::BTreeMap;
use std::fmt;

use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::calendar::BusinessCalendar;
use crate::money::Amount;
use crate::scenario::{Kind, Reason, Resolution, ShipFrom};

/// A shop's after-sale policy.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Policy {
    /// Where an editor finds this format's JSON Schema
    /// (`schema/policy.schema.json`). Nothing is decided by it and it is
    /// never written, so a policy served or stored is the same without it.
    #[serde(rename = "$schema", default, skip_serializing)]
    pub schema: Option<String>,
    /// The policy's id, the prefix of every clause id (`"xtelary"`).
    #[cfg_attr(feature = "schema", schemars(pattern(r"^[a-z0-9_-]+$")))]
    pub id: String,
    /// The shop's version label of this text (`"2026-11-01"`).
    pub version: String,
    /// A name for people.
    pub name: String,
    /// Where customers write to (shown in steps and explanations).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub support_email: Option<String>,
    /// The calendar business days are counted in.
    pub calendar: BusinessCalendar,
    /// The clauses, in priority order: when several refuse, the first decides.
    pub clauses: Vec<Clause>,
    /// The clause that answers a request no other clause speaks to.
    pub otherwise: Fallback,
    /// Step texts that outcomes refer to by id.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub steps: Vec<StepTemplate>,
    /// When refunded money should arrive, if the policy says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refund_timeline: Option<RefundTimelineRule>,
    /// What the customer attaches when a step asks for photos (step id
    /// `photos`); by default 1 to 5 photos of up to 10 MB each, JPEG, PNG,
    /// WebP or HEIC.
    #[serde(default, skip_serializing_if = "PhotoRule::is_default")]
    pub photos: PhotoRule,
    /// The language the policy's own texts are written in (`"en"`, a BCP 47
    /// language subtag), where the policy says: a widget that shows one of
    /// them among texts in another language marks it as in this one, so a
    /// screen reader reads it with the right voice. Unsaid, a widget cannot
    /// tell and marks nothing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(pattern(r"^[a-z]{2,3}$")))]
    pub language: Option<String>,
    /// The shop's own translations of its texts, by language (`"de"`, a
    /// BCP 47 language subtag). What the engine says stays in the policy's
    /// words; a widget shows the customer's language where it has it.
    #[serde(default, skip_serializing_if = "ById::is_empty")]
    #[cfg_attr(
        feature = "schema",
        schemars(extend("propertyNames" = {"pattern": "^[a-z]{2,3}$"}))
    )]
    pub translations: ById<Translation>,
}

/// Values by id: a JSON object, kept as a list in the file's order. A
/// policy has a few of them, and a list keeps a map's code out of the
/// browser's bundle.
#[derive(Clone, Debug, PartialEq)]
pub struct ById<V>(pub Vec<(String, V)>);

impl<V> Default for ById<V> {
    fn default() -> Self {
        ById(Vec::new())
    }
}

impl<V> ById<V> {
    /// The value for `id`, if there is one.
    pub fn get(&self, id: &str) -> Option<&V> {
        self.0.iter().find(|(k, _)| k == id).map(|(_, v)| v)
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

#[cfg(feature = "schema")]
impl<V: schemars::JsonSchema> schemars::JsonSchema for ById<V> {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> std::borrow::Cow<'static, str> {
        format!("ById_{}", V::schema_name()).into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "object",
            "additionalProperties": generator.subschema_for::<V>(),
        })
    }
}

impl<V: Serialize> Serialize for ById<V> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.0.iter().map(|(k, v)| (k, v)))
    }
}

impl<'de, V: Deserialize<'de>> Deserialize<'de> for ById<V> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Entries<V>(std::marker::PhantomData<V>);
        impl<'de, V: Deserialize<'de>> serde::de::Visitor<'de> for Entries<V> {
            type Value = ById<V>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object keyed by id")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<ById<V>, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry()? {
                    entries.push(entry);
                }
                Ok(ById(entries))
            }
        }
        d.deserialize_map(Entries(std::marker::PhantomData))
    }
}

/// A policy's texts in another language, each by the id of what it
/// translates; a text left out is shown as the policy has it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Translation {
    /// Clause texts (the fallback's too) by clause id.
    #[serde(default, skip_serializing_if = "ById::is_empty")]
    pub clauses: ById<String>,
    /// Step texts by step id.
    #[serde(default, skip_serializing_if = "ById::is_empty")]
    pub steps: ById<String>,
    /// The refund timeline's `if_late` texts, in their order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub if_late: Vec<String>,
}

impl Translation {
    /// The policy's texts this translation leaves in the policy's own words,
    /// in the policy's order, each as its field in the translation:
    /// `clauses.<id>` (the fallback's too), `steps.<id>`, `if_late[<i>]`.
    pub fn untranslated(&self, policy: &Policy) -> Vec<String> {
        let clauses = policy
            .clause_ids()
            .filter(|id| self.clauses.get(id).is_none())
            .map(|id| format!("clauses.{id}"));
        let steps = policy
            .steps
            .iter()
            .filter(|s| self.steps.get(&s.id).is_none())
            .map(|s| format!("steps.{}", s.id));
        let if_late = policy
            .refund_timeline
            .as_ref()
            .map_or(0, |t| t.if_late.len());
        let late = (self.if_late.len()..if_late).map(|i| format!("if_late[{i}]"));
        clauses.chain(steps).chain(late).collect()
    }
}

/// The image types a payload may carry (the payload schema's list).
pub const PHOTO_TYPES: [&str; 4] = ["image/jpeg", "image/png", "image/webp", "image/heic"];

/// How many photos, of which types and sizes, a request whose steps ask for
/// photos must carry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PhotoRule {
    /// At least this many.
    pub min: u32,
    /// At most this many.
    pub max: u32,
    /// Each at most this many bytes.
    pub max_bytes: u64,
    /// Media types accepted, each one of `image/jpeg`, `image/png`,
    /// `image/webp` and `image/heic` (the payload's types).
    pub types: Vec<String>,
}

impl Default for PhotoRule {
    /// One to five photos, JPEG, PNG, WebP or HEIC, up to 10 MB each.
    fn default() -> PhotoRule {
        PhotoRule {
            min: 1,
            max: 5,
            max_bytes: 10_000_000,
            types: PHOTO_TYPES.iter().map(|t| t.to_string()).collect(),
        }
    }
}

impl PhotoRule {
    /// Whether this is the default rule (left out when a policy is written).
    pub fn is_default(&self) -> bool {
        *self == PhotoRule::default()
    }
}

/// The refusal for requests that no clause speaks to.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Fallback {
    /// Its clause id (`"xtelary.not_offered"`).
    pub id: String,
    /// What it tells the customer.
    pub text: String,
}

/// One clause of a policy.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Clause {
    /// A stable id, `<policy id>.<name>`.
    pub id: String,
    /// What the clause says, in plain language; the start of explanations.
    pub text: String,
    /// The requests it speaks to: any of these matches.
    pub applies_to: Vec<Match>,
    /// It applies only while all of these hold.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub when: Vec<Condition>,
    /// When it applies, the request is refused by this clause unless all of these hold.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub require: Vec<Condition>,
    /// What it does when it applies and its requirements hold.
    pub effect: Effect,
}

impl Clause {
    /// True when the clause speaks to this kind and reason (before `when`).
    pub fn speaks_to(&self, kind: Kind, reason: Option<Reason>) -> bool {
        self.applies_to.iter().any(|m| m.matches(kind, reason))
    }

    /// Every kind the clause speaks to.
    pub fn kinds(&self) -> impl Iterator<Item = Kind> + '_ {
        self.applies_to.iter().flat_map(|m| m.kinds.iter().copied())
    }
}

/// Which requests a clause speaks to: these kinds, with these reasons.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Match {
    /// The request kinds.
    pub kinds: Vec<Kind>,
    /// The reasons; absent: every reason, and none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reasons: Option<Vec<Reason>>,
    /// Reasons left to other clauses.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub except_reasons: Vec<Reason>,
}

impl Match {
    /// True when `kind` and `reason` fall under this match.
    pub fn matches(&self, kind: Kind, reason: Option<Reason>) -> bool {
        self.kinds.contains(&kind)
            && match (&self.reasons, reason) {
                (None, _) => true,
                (Some(list), Some(r)) => list.contains(&r),
                (Some(_), None) => false,
            }
            && !reason.is_some_and(|r| self.except_reasons.contains(&r))
    }
}

/// What a clause does.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Effect {
    /// `"refuse"`: the request is not eligible.
    Refuse,
    /// `"gate"`: nothing of its own; its `require` must hold.
    Gate,
    /// `{"grant": {...}}`: eligible, with this outcome.
    Grant(Outcome),
}

/// A condition on the order, the request and the instant: one of the engine's
/// named rules, with its parameters. The engine's `rules` module and
/// `docs/policy-format.md` give their exact meanings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Condition {
    /// `{"shipped": true}`: the order is (or is not) shipped at the instant.
    Shipped(bool),
    /// `{"delivered": true}`: the order is (or is not) delivered at the instant.
    Delivered(bool),
    /// `{"within": {...}}`: the instant is at most the window's end; the
    /// window's start must have happened.
    Within(Window),
    /// `{"untracked_after": {...}}`: the order had no tracking number at the
    /// window's end, and the instant is past that end.
    UntrackedAfter(Window),
    /// `{"tracking_stale": {...}}`: shipped, not delivered, and the last
    /// logistics update is more than the limit for its origin ago.
    TrackingStale(StaleLimits),
    /// `{"item_condition": ["unused", ...]}`: the customer confirms each.
    ItemCondition(Vec<ConditionAnswer>),
    /// `{"no_line_tagged": "replacement"}`: no requested line has the tag.
    NoLineTagged(String),
    /// `{"exchanges_used_below": 1}`: fewer exchanges than this were used.
    ExchangesUsedBelow(u32),
}

/// A length of time in one unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Span {
    /// How many units; never zero.
    #[cfg_attr(feature = "schema", schemars(range(min = 1)))]
    pub length: u32,
    /// Hours, days (24-hour periods) or business days.
    pub unit: Unit,
}

/// A window: a span measured from an event of the order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Window {
    /// How many units; never zero.
    #[cfg_attr(feature = "schema", schemars(range(min = 1)))]
    pub length: u32,
    /// Hours, days (24-hour periods) or business days.
    pub unit: Unit,
    /// The event it is measured from.
    pub from: Anchor,
}

impl Window {
    /// The window's span, without its anchor.
    pub fn span(self) -> Span {
        Span {
            length: self.length,
            unit: self.unit,
        }
    }
}

/// The unit of a span.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// Elapsed hours.
    Hours,
    /// Elapsed 24-hour periods.
    Days,
    /// Business days of the policy's calendar.
    BusinessDays,
}

/// The event a window is measured from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Anchor {
    /// `placed_at`.
    Placed,
    /// `shipped_at`.
    Shipped,
    /// `delivered_at`.
    Delivered,
    /// `last_tracking_event_at`, else `shipped_at`.
    LastTracking,
}

/// How long tracking may stay silent, per shipping origin.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct StaleLimits {
    /// For `ship_from = us_warehouse`.
    pub us_warehouse: Span,
    /// For `ship_from = global_standard`.
    pub global_standard: Span,
}

impl StaleLimits {
    /// The limit for an order shipped from `ship_from`.
    pub fn for_route(self, ship_from: ShipFrom) -> Span {
        match ship_from {
            ShipFrom::UsWarehouse => self.us_warehouse,
            ShipFrom::GlobalStandard => self.global_standard,
        }
    }
}

/// One of the customer's answers about the units' state.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ConditionAnswer {
    /// The units are unused.
    Unused,
    /// They are in their original packaging.
    OriginalPackaging,
    /// Nothing is missing from the package.
    Complete,
}

/// What a granting clause gives.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Outcome {
    /// The amount being settled.
    pub base: Base,
    /// Kept from the base (a cancellation or transaction fee), 0–100.
    #[serde(default, skip_serializing_if = "Percent::is_zero")]
    pub fee_percent: Percent,
    /// Paid on top, as a share of the order amount, 0–100.
    #[serde(default, skip_serializing_if = "Percent::is_zero")]
    pub compensation_percent: Percent,
    /// The resolutions offered, the default first; empty: no choice to make.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub resolutions: Vec<Resolution>,
    /// Present when the units must be sent back, with who pays the postage.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub return_shipping: Option<ReturnShipping>,
    /// Ids of the steps the customer follows, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub steps: Vec<String>,
}

/// What the outcome's money is measured on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Base {
    /// The order amount: lines plus shipping paid.
    OrderAmount,
    /// The value of the requested units.
    RequestedValue,
    /// New items' value − value of the requested units.
    ExchangeDifference,
    /// No money is settled (compensation only, or a reshipment).
    None,
}

/// Who pays to send units back.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Party {
    /// The customer.
    Customer,
    /// The merchant.
    Merchant,
}

impl Party {
    /// The name used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Party::Customer => "customer",
            Party::Merchant => "merchant",
        }
    }
}

/// Who pays return shipping: one party, or per reason.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReturnShipping {
    /// `{"paid_by": "customer"}`.
    PaidBy(Party),
    /// `{"by_reason": {"changed_mind": "customer", "damaged": "merchant"}}`.
    ByReason(
        #[cfg_attr(feature = "schema", schemars(schema_with = "by_reason_schema"))]
        BTreeMap<Reason, Party>,
    ),
}

/// `by_reason`'s keys are reasons (schemars would take any text).
#[cfg(feature = "schema")]
fn by_reason_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({
        "type": "object",
        "propertyNames": generator.subschema_for::<Reason>(),
        "additionalProperties": generator.subschema_for::<Party>(),
    })
}

impl ReturnShipping {
    /// The payer for a request with this reason.
    pub fn payer(&self, reason: Option<Reason>) -> Option<Party> {
        match self {
            ReturnShipping::PaidBy(p) => Some(*p),
            ReturnShipping::ByReason(map) => reason.and_then(|r| map.get(&r).copied()),
        }
    }
}

/// A step the customer follows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct StepTemplate {
    /// A stable id, e.g. `"rma"`.
    pub id: String,
    /// What to do, in plain language.
    pub text: String,
    /// Only when a requested line carries this tag.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub only_with_tag: Option<String>,
}

/// When refunded money should arrive after the shop receives the units.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RefundTimelineRule {
    /// The refund is processed within this many business days of receipt.
    pub processing_business_days: u32,
    /// Then the bank takes from … to … more business days.
    pub bank_business_days: BankDays,
    /// After this many business days from processing, the customer chases it.
    pub late_after_business_days: u32,
    /// What to do then, in order.
    #[serde(default)]
    pub if_late: Vec<String>,
}

/// A range of business days.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct BankDays {
    /// The fewest.
    pub min: u32,
    /// The most.
    pub max: u32,
}

/// A percentage written as a decimal string (`"2"`, `"5"`, `"12.5"`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Percent(pub Decimal);

impl Percent {
    /// True for 0%.
    pub fn is_zero(&self) -> bool {
        self.0.is_zero()
    }
}

impl fmt::Display for Percent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}%", self.0.normalize())
    }
}

impl Serialize for Percent {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0.normalize())
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for Percent {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Percent".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A percentage from 0 to 100 as a decimal string (\"2\", \"12.5\"), never a JSON number.",
            "type": "string",
            "pattern": crate::money::DECIMAL_PATTERN,
        })
    }
}

impl<'de> Deserialize<'de> for Percent {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Amount::deserialize(d).map(|a| Percent(a.0))
    }
}

/// One thing wrong with a policy: the field, and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyError {
    /// The field's path, e.g. `clauses[3].effect.grant.fee_percent`.
    pub field: String,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.field.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.field, self.message)
        }
    }
}

/// Everything wrong with a policy, field by field (never empty).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyErrors(pub Vec<PolicyError>);

impl fmt::Display for PolicyErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for PolicyErrors {}

impl Policy {
    /// A policy as a reader gave it, validated: the reader's error (the
    /// field where reading stopped) or every problem [`Policy::validate`]
    /// finds. Every way of reading a policy ends here: serde_json natively,
    /// the widget's own reader of JS values.
    #[inline]
    pub fn checked(read: Result<Policy, PolicyError>) -> Result<Policy, PolicyErrors> {
        let policy = read.map_err(|e| PolicyErrors(vec![e]))?;
        policy.validate()?;
        Ok(policy)
    }

    /// Reads a policy from any serde deserializer and validates it.
    pub fn from_deserializer<'de, D>(d: D) -> Result<Policy, PolicyErrors>
    where
        D: Deserializer<'de>,
        D::Error: fmt::Display,
    {
        Policy::checked(
            crate::scenario::deserialize_with_path(d).map_err(|e| PolicyError {
                field: e.field,
                message: e.message,
            }),
        )
    }

    /// Reads a policy from JSON text and validates it.
    #[cfg(feature = "json")]
    pub fn from_json(text: &str) -> Result<Policy, PolicyErrors> {
        let mut de = serde_json::Deserializer::from_str(text);
        let policy = Policy::from_deserializer(&mut de)?;
        de.end().map_err(|e| {
            PolicyErrors(vec![PolicyError {
                field: String::new(),
                message: e.to_string(),
            }])
        })?;
        Ok(policy)
    }

    /// A built-in preset by name (`"htvront"`, `"xtelary"`).
    #[cfg(feature = "json")]
    pub fn preset(name: &str) -> Option<Policy> {
        crate::presets::source(name)
            .map(|text| Policy::from_json(text).expect("built-in presets are valid"))
    }

    /// The resolutions a request of this kind and reason may choose, the
    /// default first: those of the first granting clause that speaks to it.
    pub fn resolutions_for(&self, kind: Kind, reason: Option<Reason>) -> &[Resolution] {
        self.clauses
            .iter()
            .filter(|c| c.speaks_to(kind, reason))
            .find_map(|c| match &c.effect {
                Effect::Grant(o) => Some(o.resolutions.as_slice()),
                _ => None,
            })
            .unwrap_or(&[])
    }

    /// The condition answers some clause asks of this kind and reason (the
    /// questions the widget puts to the customer).
    pub fn condition_questions(&self, kind: Kind, reason: Option<Reason>) -> Vec<ConditionAnswer> {
        let mut asked = Vec::new();
        for c in self.clauses.iter().filter(|c| c.speaks_to(kind, reason)) {
            for cond in c.when.iter().chain(&c.require) {
                if let Condition::ItemCondition(answers) = cond {
                    asked.extend(
                        answers
                            .iter()
                            .filter(|a| !asked.contains(*a))
                            .copied()
                            .collect::<Vec<_>>(),
                    );
                }
            }
        }
        asked
    }

    /// The clause or fallback with this id.
    pub fn clause(&self, id: &str) -> Option<&Clause> {
        self.clauses.iter().find(|c| c.id == id)
    }

    /// Every clause id, the fallback's last.
    pub fn clause_ids(&self) -> impl Iterator<Item = &str> {
        self.clauses
            .iter()
            .map(|c| c.id.as_str())
            .chain(std::iter::once(self.otherwise.id.as_str()))
    }

    /// Checks what serde cannot: ids, ranges, references. Reports every
    /// problem, each with the path of its field.
    pub fn validate(&self) -> Result<(), PolicyErrors> {
        let mut errs = Vec::new();
        let mut err = |field: String, message: String| errs.push(PolicyError { field, message });

        if !is_slug(&self.id) {
            err(
                "id".into(),
                format!(
                    "{:?} must be lower-case letters, digits, '-' or '_'",
                    self.id
                ),
            );
        }
        if self.version.trim().is_empty() {
            err("version".into(), "must not be empty".into());
        }
        if !self.calendar.has_business_days() {
            err(
                "calendar.weekend".into(),
                "at least one day of the week must be a business day".into(),
            );
        }
        if self.clauses.is_empty() {
            err("clauses".into(), "a policy has at least one clause".into());
        }
        let photos = &self.photos;
        if photos.max == 0 || photos.min > photos.max {
            err(
                "photos.max".into(),
                format!(
                    "must be at least 1 and at least min ({}), not {}",
                    photos.min, photos.max
                ),
            );
        }
        if photos.max_bytes == 0 {
            err("photos.max_bytes".into(), "must be more than 0".into());
        }
        if photos.types.is_empty() {
            err("photos.types".into(), "name at least one image type".into());
        }
        for (i, t) in photos.types.iter().enumerate() {
            if !PHOTO_TYPES.contains(&t.as_str()) {
                err(
                    format!("photos.types[{i}]"),
                    format!("{t:?} is not one of {}", PHOTO_TYPES.join(", ")),
                );
            }
        }

        let prefix = format!("{}.", self.id);
        let mut seen: BTreeMap<&str, String> = BTreeMap::new();
        let ids = self
            .clauses
            .iter()
            .enumerate()
            .map(|(i, c)| (format!("clauses[{i}].id"), c.id.as_str()))
            .chain(std::iter::once((
                "otherwise.id".to_string(),
                self.otherwise.id.as_str(),
            )));
        for (field, id) in ids {
            if !id.starts_with(&prefix) || !is_slug(&id[prefix.len().min(id.len())..]) {
                err(
                    field.clone(),
                    format!("{id:?} must be \"{prefix}<name>\" with a lower-case name"),
                );
            }
            if let Some(first) = seen.get(id) {
                err(
                    field,
                    format!("duplicate clause id {id:?} (first at {first})"),
                );
            } else {
                seen.insert(id, field);
            }
        }

        let mut step_ids: BTreeMap<&str, usize> = BTreeMap::new();
        for (i, step) in self.steps.iter().enumerate() {
            if !is_slug(&step.id) {
                err(
                    format!("steps[{i}].id"),
                    format!(
                        "{:?} must be lower-case letters, digits, '-' or '_'",
                        step.id
                    ),
                );
            }
            if let Some(first) = step_ids.insert(&step.id, i) {
                err(
                    format!("steps[{i}].id"),
                    format!("duplicate step id {:?} (first at steps[{first}])", step.id),
                );
            }
            if step.text.trim().is_empty() {
                err(format!("steps[{i}].text"), "must not be empty".into());
            }
        }

        for (i, clause) in self.clauses.iter().enumerate() {
            let at = format!("clauses[{i}]");
            if clause.text.trim().is_empty() {
                err(format!("{at}.text"), "must not be empty".into());
            }
            if clause.applies_to.is_empty() {
                err(
                    format!("{at}.applies_to"),
                    "a clause speaks to at least one kind of request".into(),
                );
            }
            for (j, m) in clause.applies_to.iter().enumerate() {
                if m.kinds.is_empty() {
                    err(
                        format!("{at}.applies_to[{j}].kinds"),
                        "name at least one request kind".into(),
                    );
                }
                if m.reasons.as_ref().is_some_and(Vec::is_empty) {
                    err(
                        format!("{at}.applies_to[{j}].reasons"),
                        "an empty list matches nothing; leave it out to match every reason".into(),
                    );
                }
            }
            for (list, conds) in [("when", &clause.when), ("require", &clause.require)] {
                for (j, cond) in conds.iter().enumerate() {
                    check_condition(cond, &format!("{at}.{list}[{j}]"), &mut err);
                }
            }
            match &clause.effect {
                Effect::Gate if clause.require.is_empty() => {
                    err(
                        format!("{at}.require"),
                        "a gate clause needs at least one requirement".into(),
                    );
                }
                Effect::Refuse if !clause.require.is_empty() => {
                    err(
                        format!("{at}.require"),
                        "a refusing clause refuses whenever it applies; use `when`".into(),
                    );
                }
                Effect::Grant(outcome) => {
                    check_outcome(
                        outcome,
                        clause,
                        &format!("{at}.effect.grant"),
                        &step_ids,
                        &mut err,
                    );
                }
                _ => {}
            }
        }

        if let Some(own) = &self.language
            && !is_language(own)
        {
            err(
                "language".into(),
                format!("{own:?} is not a language subtag (\"en\", \"de\")"),
            );
        }
        let if_late = self.refund_timeline.as_ref().map_or(0, |t| t.if_late.len());
        for (i, (lang, tr)) in self.translations.0.iter().enumerate() {
            let at = format!("translations.{lang}");
            if !is_language(lang) {
                err(
                    at.clone(),
                    format!("{lang:?} is not a language subtag (\"de\", \"zh\")"),
                );
            }
            if self.translations.0[..i].iter().any(|(l, _)| l == lang) {
                err(at.clone(), "this language is given twice".into());
            }
            let texts = [
                ("clauses", &tr.clauses, "no clause has this id"),
                ("steps", &tr.steps, "no step has this id"),
            ];
            for (part, by_id, unknown) in texts {
                for (j, (id, text)) in by_id.0.iter().enumerate() {
                    let field = format!("{at}.{part}.{id}");
                    let known = match part {
                        "clauses" => seen.contains_key(id.as_str()),
                        _ => step_ids.contains_key(id.as_str()),
                    };
                    if !known {
                        err(field.clone(), unknown.into());
                    }
                    if by_id.0[..j].iter().any(|(k, _)| k == id) {
                        err(field.clone(), "this id is given twice".into());
                    }
                    if text.trim().is_empty() {
                        err(field, "must not be empty".into());
                    }
                }
            }
            if tr.if_late.len() > if_late {
                err(
                    format!("{at}.if_late"),
                    format!(
                        "{} texts for the refund timeline's {if_late}",
                        tr.if_late.len()
                    ),
                );
            }
            for (i, text) in tr.if_late.iter().enumerate() {
                if text.trim().is_empty() {
                    err(format!("{at}.if_late[{i}]"), "must not be empty".into());
                }
            }
        }

        if let Some(t) = &self.refund_timeline
            && t.bank_business_days.min > t.bank_business_days.max
        {
            err(
                "refund_timeline.bank_business_days".into(),
                format!(
                    "min ({}) is more than max ({})",
                    t.bank_business_days.min, t.bank_business_days.max
                ),
            );
        }

        if errs.is_empty() {
            Ok(())
        } else {
            Err(PolicyErrors(errs))
        }
    }
}

fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
}

/// A BCP 47 language subtag as policies write it: two or three lower-case
/// letters (`"en"`, `"zh"`).
fn is_language(s: &str) -> bool {
    (2..=3).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_lowercase())
}

fn check_span(span: Span, at: &str, err: &mut impl FnMut(String, String)) {
    if span.length == 0 {
        err(
            format!("{at}.length"),
            "a window must be longer than zero".into(),
        );
    }
}

fn check_condition(cond: &Condition, at: &str, err: &mut impl FnMut(String, String)) {
    match cond {
        Condition::Within(w) => check_span(w.span(), &format!("{at}.within"), err),
        Condition::UntrackedAfter(w) => check_span(w.span(), &format!("{at}.untracked_after"), err),
        Condition::TrackingStale(limits) => {
            check_span(
                limits.us_warehouse,
                &format!("{at}.tracking_stale.us_warehouse"),
                err,
            );
            check_span(
                limits.global_standard,
                &format!("{at}.tracking_stale.global_standard"),
                err,
            );
        }
        Condition::ItemCondition(answers) if answers.is_empty() => {
            err(
                format!("{at}.item_condition"),
                "name at least one answer".into(),
            );
        }
        Condition::NoLineTagged(tag) if tag.trim().is_empty() => {
            err(format!("{at}.no_line_tagged"), "must name a tag".into());
        }
        Condition::ExchangesUsedBelow(0) => {
            err(
                format!("{at}.exchanges_used_below"),
                "0 would refuse every exchange; use a refusing clause".into(),
            );
        }
        _ => {}
    }
}

fn check_percent(p: Percent, at: String, err: &mut impl FnMut(String, String)) {
    if p.0.is_sign_negative() && !p.0.is_zero() {
        err(
            at,
            format!("{} is negative; a percentage is from 0 to 100", p.0),
        );
    } else if p.0 > Decimal::ONE_HUNDRED {
        err(
            at,
            format!("{} is more than 100; a percentage is from 0 to 100", p.0),
        );
    }
}

fn check_outcome(
    outcome: &Outcome,
    clause: &Clause,
    at: &str,
    step_ids: &BTreeMap<&str, usize>,
    err: &mut impl FnMut(String, String),
) {
    check_percent(outcome.fee_percent, format!("{at}.fee_percent"), err);
    check_percent(
        outcome.compensation_percent,
        format!("{at}.compensation_percent"),
        err,
    );
    for (k, r) in outcome.resolutions.iter().enumerate() {
        if outcome.resolutions[..k].contains(r) {
            err(
                format!("{at}.resolutions[{k}]"),
                format!("{:?} is listed twice", r.as_str()),
            );
        }
        if outcome.base == Base::None && *r != Resolution::Reship {
            err(
                format!("{at}.resolutions[{k}]"),
                format!("{:?} settles money, but the base is \"none\"", r.as_str()),
            );
        }
    }
    if outcome.base == Base::ExchangeDifference && !outcome.fee_percent.is_zero() {
        err(
            format!("{at}.fee_percent"),
            "an exchange difference carries no fee".into(),
        );
    }
    if outcome.base == Base::ExchangeDifference && !clause.kinds().all(|k| k == Kind::Exchange) {
        err(
            format!("{at}.base"),
            "\"exchange_difference\" needs a clause for exchanges only".into(),
        );
    }
    if matches!(outcome.base, Base::OrderAmount | Base::RequestedValue)
        && outcome.resolutions.is_empty()
    {
        err(
            format!("{at}.resolutions"),
            "name how the base is settled: \"refund\", \"store_credit\" or \"reship\"".into(),
        );
    }
    if let Some(ReturnShipping::ByReason(map)) = &outcome.return_shipping {
        match clause
            .applies_to
            .iter()
            .map(|m| m.reasons.as_ref())
            .collect::<Option<Vec<_>>>()
        {
            None => err(
                format!("{at}.return_shipping.by_reason"),
                "needs the clause to list its reasons".into(),
            ),
            Some(lists) => {
                for r in lists.into_iter().flatten() {
                    if !map.contains_key(r) {
                        err(
                            format!("{at}.return_shipping.by_reason"),
                            format!(
                                "says nothing for {:?}, which the clause accepts",
                                r.as_str()
                            ),
                        );
                    }
                }
            }
        }
    }
    for (k, step) in outcome.steps.iter().enumerate() {
        if !step_ids.contains_key(step.as_str()) {
            err(
                format!("{at}.steps[{k}]"),
                format!("no step {step:?} in the policy's steps"),
            );
        }
    }
}
