//! Tracking that stopped moving.
//!
//! `htvront.not_received`: "shipped, not delivered, and the last logistics
//! update (`last_tracking_event_at`, else `shipped_at`) is more than 10 days
//! before `now` for `ship_from = us_warehouse`, more than 25 days for
//! `global_standard`."

use super::{Check, add_span};
use crate::calendar::BusinessCalendar;
use crate::policy::StaleLimits;
use crate::scenario::Facts;
use crate::why::Why;

/// Holds when the order is shipped, not delivered, and its last logistics
/// update is more than the origin's limit before `now`.
pub fn tracking_stale(facts: &Facts, calendar: &BusinessCalendar, limits: &StaleLimits) -> Check {
    let ship_from = facts.order.ship_from;
    let span = limits.for_route(ship_from);
    if facts.delivered() {
        return Check::new(false, Why::Delivered);
    }
    let Some(last) = facts.last_logistics_update() else {
        return Check::new(false, Why::NotShipped);
    };
    let Some(lost_after) = add_span(last, span, calendar) else {
        return Check::new(false, Why::TrackingRecent);
    };
    if facts.now > lost_after {
        Check::new(
            true,
            Why::TrackingStale {
                span,
                last,
                ship_from,
            },
        )
    } else {
        let why = Why::TrackingMoving {
            span,
            last,
            ship_from,
            lost_after,
        };
        Check::new(false, why).until(Some(lost_after))
    }
}
