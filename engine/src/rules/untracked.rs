//! No tracking number in time.
//!
//! `htvront.not_shipped_in_time`: "the order had no tracking number at
//! `placed_at + 5 business days` (not shipped, or shipped after that instant),
//! and `now` is past it."

use super::{Check, add_span, anchor_instant};
use crate::calendar::BusinessCalendar;
use crate::policy::Window;
use crate::scenario::Facts;
use crate::why::Why;

/// Holds when there was no tracking number at the window's end and `now` is
/// past that end.
pub fn untracked_after(facts: &Facts, calendar: &BusinessCalendar, w: Window) -> Check {
    let span = w.span();
    let Some(due) = anchor_instant(facts, w.from).and_then(|t| add_span(t, span, calendar)) else {
        return Check::new(false, Why::PromiseNotStarted { span });
    };
    if facts.shipped_by(due) {
        return Check::new(false, Why::TrackedInTime { span, due });
    }
    if facts.now <= due {
        return Check::new(false, Why::AwaitingTracking { span, due }).until(Some(due));
    }
    Check::new(true, Why::Untracked { span, due })
}
