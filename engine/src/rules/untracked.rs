//! No tracking number in time.
//!
//! `htvront.not_shipped_in_time`: "the order had no tracking number at
//! `placed_at + 5 business days` (not shipped, or shipped after that instant),
//! and `now` is past it."

use super::{Check, add_span, anchor_instant, describe_instant, describe_span};
use crate::calendar::BusinessCalendar;
use crate::policy::Window;
use crate::scenario::Facts;

/// Holds when there was no tracking number at the window's end and `now` is
/// past that end.
pub fn untracked_after(facts: &Facts, calendar: &BusinessCalendar, w: Window) -> Check {
    let span = describe_span(w.span());
    let Some(due) = anchor_instant(facts, w.from).and_then(|t| add_span(t, w.span(), calendar))
    else {
        return Check::new(
            false,
            format!("the {span} shipping promise has not started"),
        );
    };
    if facts.shipped_by(due) {
        return Check::new(
            false,
            format!(
                "the order had a tracking number within {span} (by {})",
                describe_instant(due)
            ),
        );
    }
    if facts.now <= due {
        return Check::new(
            false,
            format!(
                "the order still has until {} ({span}) to get a tracking number",
                describe_instant(due)
            ),
        )
        .until(Some(due));
    }
    Check::new(
        true,
        format!(
            "the order had no tracking number {span} after it was placed ({})",
            describe_instant(due)
        ),
    )
}
