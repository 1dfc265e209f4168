//! A limit on exchanges per order.
//!
//! `htvront.exchange`: "only one per order (`exchanges_used` must be 0)".

use super::Check;
use crate::scenario::Facts;

/// Holds when fewer than `limit` exchanges were used on the order.
pub fn exchanges_used_below(facts: &Facts, limit: u32) -> Check {
    let used = facts.order.exchanges_used;
    if used < limit {
        Check::new(
            true,
            format!("{used} of {limit} exchanges used on this order"),
        )
    } else {
        Check::new(
            false,
            format!(
                "this order already used its {limit} exchange{}",
                if limit == 1 { "" } else { "s" }
            ),
        )
    }
}
