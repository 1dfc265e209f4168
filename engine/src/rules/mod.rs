//! The engine's named rules: each [`Condition`] of a policy is checked by one
//! function here, which says whether it holds, why, and when that could change.
//!
//! | rule | used by |
//! | --- | --- |
//! | [`shipment::shipped`], [`shipment::delivered`] | `htvront.cancel_before_shipment`, `htvront.cancel_after_shipment`, `htvront.exchange`, `xtelary.cancel_*` |
//! | [`window::within`] | `htvront.claim_window`, `xtelary.window`, `xtelary.cancel_free` |
//! | [`untracked::untracked_after`] | `htvront.not_shipped_in_time` |
//! | [`stale_tracking::tracking_stale`] | `htvront.not_received` |
//! | [`item_condition::item_condition`] | `xtelary.condition` |
//! | [`tags::no_line_tagged`] | `htvront.wrong_product` |
//! | [`exchange_limit::exchanges_used_below`] | `htvront.exchange` |

pub mod exchange_limit;
pub mod item_condition;
pub mod shipment;
pub mod stale_tracking;
pub mod tags;
pub mod untracked;
pub mod window;

use chrono::{DateTime, TimeDelta, Utc};

use crate::calendar::BusinessCalendar;
use crate::policy::{Anchor, Condition, Span, Unit};
use crate::scenario::Facts;
use crate::why::Why;

/// A rule's answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Check {
    /// Whether the condition holds.
    pub holds: bool,
    /// Why, with what was measured (explanations say it in words).
    pub why: Why,
    /// The last instant at which the answer stays the same if nothing happens
    /// to the order; `None` when only an event can change it.
    pub until: Option<DateTime<Utc>>,
}

impl Check {
    pub(crate) fn new(holds: bool, why: Why) -> Check {
        Check {
            holds,
            why,
            until: None,
        }
    }

    pub(crate) fn until(mut self, t: Option<DateTime<Utc>>) -> Check {
        self.until = t;
        self
    }
}

/// Checks one condition against the facts, in the policy's calendar.
pub fn check(cond: &Condition, facts: &Facts, calendar: &BusinessCalendar) -> Check {
    match cond {
        Condition::Shipped(want) => shipment::shipped(facts, *want),
        Condition::Delivered(want) => shipment::delivered(facts, *want),
        Condition::Within(w) => window::within(facts, calendar, *w),
        Condition::UntrackedAfter(w) => untracked::untracked_after(facts, calendar, *w),
        Condition::TrackingStale(limits) => stale_tracking::tracking_stale(facts, calendar, limits),
        Condition::ItemCondition(answers) => item_condition::item_condition(facts, answers),
        Condition::NoLineTagged(tag) => tags::no_line_tagged(facts, tag),
        Condition::ExchangesUsedBelow(n) => exchange_limit::exchanges_used_below(facts, *n),
    }
}

/// `t + span`: elapsed hours, elapsed 24-hour days, or business days of the
/// calendar. `None` only past the end of time.
pub fn add_span(
    t: DateTime<Utc>,
    span: Span,
    calendar: &BusinessCalendar,
) -> Option<DateTime<Utc>> {
    match span.unit {
        Unit::Hours => t.checked_add_signed(TimeDelta::try_hours(i64::from(span.length))?),
        Unit::Days => t.checked_add_signed(TimeDelta::try_days(i64::from(span.length))?),
        Unit::BusinessDays => calendar.add_business_days(t, span.length),
    }
}

/// The instant an anchor names, if that event has happened.
pub fn anchor_instant(facts: &Facts, anchor: Anchor) -> Option<DateTime<Utc>> {
    match anchor {
        Anchor::Placed => Some(facts.order.placed_at),
        Anchor::Shipped => facts.shipped().then_some(facts.order.shipped_at).flatten(),
        Anchor::Delivered => facts
            .delivered()
            .then_some(facts.order.delivered_at)
            .flatten(),
        Anchor::LastTracking => facts.last_logistics_update(),
    }
}

/// How a span reads in a sentence: "24 hours", "1 day", "5 business days".
pub fn describe_span(span: Span) -> String {
    let unit = match (span.unit, span.length) {
        (Unit::Hours, 1) => "hour",
        (Unit::Hours, _) => "hours",
        (Unit::Days, 1) => "day",
        (Unit::Days, _) => "days",
        (Unit::BusinessDays, 1) => "business day",
        (Unit::BusinessDays, _) => "business days",
    };
    format!("{} {unit}", span.length)
}

/// How an anchor reads in a sentence.
pub fn describe_anchor(anchor: Anchor) -> &'static str {
    match anchor {
        Anchor::Placed => "the order was placed",
        Anchor::Shipped => "the order shipped",
        Anchor::Delivered => "the order was delivered",
        Anchor::LastTracking => "the last tracking update",
    }
}

/// An instant as explanations print it: `2026-03-02 09:00 UTC` (seconds when
/// not zero). The widget shows its own, localised, from the quote's fields.
pub fn describe_instant(t: DateTime<Utc>) -> String {
    let s = t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let (date, time) = s.trim_end_matches('Z').split_once('T').unwrap_or((&s, ""));
    let time = time.strip_suffix(":00").unwrap_or(time);
    format!("{date} {time} UTC")
}
