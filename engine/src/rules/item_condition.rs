//! The state of the units being sent back.
//!
//! `xtelary.condition`: "the units must be unused, in their original
//! packaging and complete (`condition` all true); otherwise not eligible: no
//! refund, buyer bears all fees."

use super::Check;
use crate::policy::ConditionAnswer;
use crate::scenario::Facts;

/// Holds when the customer confirmed every listed answer.
pub fn item_condition(facts: &Facts, answers: &[ConditionAnswer]) -> Check {
    let Some(given) = facts.request.condition else {
        return Check::new(
            false,
            "confirm that the items are unused, in their original packaging and complete",
        );
    };
    let missing: Vec<&str> = answers
        .iter()
        .filter(|a| match a {
            ConditionAnswer::Unused => !given.unused,
            ConditionAnswer::OriginalPackaging => !given.original_packaging,
            ConditionAnswer::Complete => !given.complete,
        })
        .map(|a| match a {
            ConditionAnswer::Unused => "unused",
            ConditionAnswer::OriginalPackaging => "in their original packaging",
            ConditionAnswer::Complete => "complete",
        })
        .collect();
    if missing.is_empty() {
        Check::new(
            true,
            "the items are unused, in their original packaging and complete",
        )
    } else {
        Check::new(false, format!("the items must be {}", missing.join(", ")))
    }
}
