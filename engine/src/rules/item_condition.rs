//! The state of the units being sent back.
//!
//! `xtelary.condition`: "the units must be unused, in their original
//! packaging and complete (`condition` all true); otherwise not eligible: no
//! refund, buyer bears all fees."

use super::Check;
use crate::policy::ConditionAnswer;
use crate::scenario::Facts;
use crate::why::Why;

/// Holds when the customer confirmed every listed answer.
pub fn item_condition(facts: &Facts, answers: &[ConditionAnswer]) -> Check {
    let Some(given) = facts.request.condition else {
        return Check::new(false, Why::ConditionUnanswered);
    };
    let missing: Vec<ConditionAnswer> = answers
        .iter()
        .copied()
        .filter(|a| match a {
            ConditionAnswer::Unused => !given.unused,
            ConditionAnswer::OriginalPackaging => !given.original_packaging,
            ConditionAnswer::Complete => !given.complete,
        })
        .collect();
    if missing.is_empty() {
        Check::new(true, Why::ConditionMet)
    } else {
        Check::new(false, Why::ConditionMissing(missing))
    }
}
