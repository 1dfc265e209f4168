//! Tracking that stopped moving.
//!
//! `htvront.not_received`: "shipped, not delivered, and the last logistics
//! update (`last_tracking_event_at`, else `shipped_at`) is more than 10 days
//! before `now` for `ship_from = us_warehouse`, more than 25 days for
//! `global_standard`."

use super::{Check, add_span, describe_instant, describe_span};
use crate::calendar::BusinessCalendar;
use crate::policy::StaleLimits;
use crate::scenario::{Facts, ShipFrom};

/// Holds when the order is shipped, not delivered, and its last logistics
/// update is more than the origin's limit before `now`.
pub fn tracking_stale(facts: &Facts, calendar: &BusinessCalendar, limits: &StaleLimits) -> Check {
    let (limit, origin) = match facts.order.ship_from {
        ShipFrom::UsWarehouse => (limits.us_warehouse, "from the US warehouse"),
        ShipFrom::GlobalStandard => (limits.global_standard, "by global standard delivery"),
    };
    let span = describe_span(limit);
    if facts.delivered() {
        return Check::new(false, "the order has been delivered");
    }
    let Some(last) = facts.last_logistics_update() else {
        return Check::new(false, "the order has not shipped yet");
    };
    let Some(stale_after) = add_span(last, limit, calendar) else {
        return Check::new(false, "tracking was updated recently");
    };
    if facts.now > stale_after {
        Check::new(
            true,
            format!(
                "tracking has not moved for more than {span} (last update {}) on an order shipped {origin}",
                describe_instant(last)
            ),
        )
    } else {
        Check::new(
            false,
            format!(
                "tracking was last updated {}; for an order shipped {origin} it counts as lost after {span} without news, after {}",
                describe_instant(last),
                describe_instant(stale_after)
            ),
        )
        .until(Some(stale_after))
    }
}
