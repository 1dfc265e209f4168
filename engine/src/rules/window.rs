//! Time windows measured from an event of the order.
//!
//! "Windows are inclusive of their end": a 30-day window from
//! 2026-03-01T10:00Z is open at 2026-03-31T10:00Z and closed one second
//! later. Used by `xtelary.cancel_free` (24 hours from placement),
//! `xtelary.window` (30 days from placement) and `htvront.claim_window`
//! ("only once delivered, and within 10 days of `delivered_at`").

use super::{Check, add_span, anchor_instant};
use crate::calendar::BusinessCalendar;
use crate::policy::Window;
use crate::scenario::Facts;
use crate::why::Why;

/// Holds when the window's event has happened and `now` is at most its end.
pub fn within(facts: &Facts, calendar: &BusinessCalendar, w: Window) -> Check {
    let (span, from) = (w.span(), w.from);
    let Some(start) = anchor_instant(facts, from) else {
        return Check::new(false, Why::WindowNotStarted { span, from });
    };
    let Some(end) = add_span(start, span, calendar) else {
        let until = None;
        return Check::new(true, Why::Within { span, from, until });
    };
    if facts.now <= end {
        let until = Some(end);
        Check::new(true, Why::Within { span, from, until }).until(until)
    } else {
        let closed = end;
        Check::new(false, Why::WindowClosed { span, from, closed })
    }
}
