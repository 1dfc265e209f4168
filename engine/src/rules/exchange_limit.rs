//! A limit on exchanges per order.
//!
//! `htvront.exchange`: "only one per order (`exchanges_used` must be 0)".

use super::Check;
use crate::scenario::Facts;
use crate::why::Why;

/// Holds when fewer than `limit` exchanges were used on the order.
pub fn exchanges_used_below(facts: &Facts, limit: u32) -> Check {
    let used = facts.order.exchanges_used;
    if used < limit {
        Check::new(true, Why::ExchangesLeft { used, limit })
    } else {
        Check::new(false, Why::ExchangesUsedUp { limit })
    }
}
