//! Time windows measured from an event of the order.
//!
//! "Windows are inclusive of their end": a 30-day window from
//! 2026-03-01T10:00Z is open at 2026-03-31T10:00Z and closed one second
//! later. Used by `xtelary.cancel_free` (24 hours from placement),
//! `xtelary.window` (30 days from placement) and `htvront.claim_window`
//! ("only once delivered, and within 10 days of `delivered_at`").

use super::{Check, add_span, anchor_instant, describe_anchor, describe_instant, describe_span};
use crate::calendar::BusinessCalendar;
use crate::policy::{Anchor, Window};
use crate::scenario::Facts;

/// Holds when the window's event has happened and `now` is at most its end.
pub fn within(facts: &Facts, calendar: &BusinessCalendar, w: Window) -> Check {
    let span = describe_span(w.span());
    let Some(start) = anchor_instant(facts, w.from) else {
        let why = match w.from {
            Anchor::Delivered => "the order has not been delivered yet",
            _ => "the order has not shipped yet",
        };
        return Check::new(false, format!("{why}; the {span} window starts when it is"));
    };
    let Some(end) = add_span(start, w.span(), calendar) else {
        return Check::new(
            true,
            format!("within {span} of when {}", describe_anchor(w.from)),
        );
    };
    if facts.now <= end {
        Check::new(
            true,
            format!(
                "within {span} of when {} (until {})",
                describe_anchor(w.from),
                describe_instant(end)
            ),
        )
        .until(Some(end))
    } else {
        Check::new(
            false,
            format!(
                "more than {span} have passed since {}: the window closed at {}",
                describe_anchor(w.from),
                describe_instant(end)
            ),
        )
    }
}
