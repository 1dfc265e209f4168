//! Lines excluded by a tag.
//!
//! `htvront.wrong_product`: "the claimed lines must not be tagged
//! `replacement` (a reissued item)".

use super::Check;
use crate::scenario::Facts;

/// Holds when no requested line carries `tag`.
pub fn no_line_tagged(facts: &Facts, tag: &str) -> Check {
    let tagged: Vec<&str> = facts
        .requested
        .iter()
        .filter(|u| u.line.tags.iter().any(|t| t == tag))
        .map(|u| u.line.title.as_str())
        .collect();
    if tagged.is_empty() {
        Check::new(true, format!("no requested item is tagged {tag:?}"))
    } else {
        Check::new(
            false,
            format!("{} tagged {tag:?} (excluded)", tagged.join(", ")),
        )
    }
}
