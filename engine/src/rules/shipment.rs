//! Shipment and delivery state.
//!
//! "Shipped: `shipped_at` is set and not after `now`." "Delivered:
//! `delivered_at` is set and not after `now`." Used by the clauses that split
//! on shipment: `htvront.cancel_before_shipment` / `htvront.cancel_after_shipment`,
//! `htvront.exchange` ("only before shipment"), `xtelary.cancel_free`,
//! `xtelary.cancel_fee` and `xtelary.cancel_shipped`.

use super::Check;
use crate::scenario::Facts;
use crate::why::Why;

/// Holds when the order's shipped state is `want`.
pub fn shipped(facts: &Facts, want: bool) -> Check {
    let is = facts.shipped();
    Check::new(is == want, if is { Why::Shipped } else { Why::NotShipped })
}

/// Holds when the order's delivered state is `want`.
pub fn delivered(facts: &Facts, want: bool) -> Check {
    let is = facts.delivered();
    Check::new(
        is == want,
        if is {
            Why::Delivered
        } else {
            Why::NotDelivered
        },
    )
}
