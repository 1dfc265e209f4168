//! Lines excluded by a tag.
//!
//! `htvront.wrong_product`: "the claimed lines must not be tagged
//! `replacement` (a reissued item)".

use super::Check;
use crate::scenario::Facts;
use crate::why::Why;

/// Holds when no requested line carries `tag`.
pub fn no_line_tagged(facts: &Facts, tag: &str) -> Check {
    let titles: Vec<String> = facts
        .requested
        .iter()
        .filter(|u| u.line.tags.iter().any(|t| t == tag))
        .map(|u| u.line.title.clone())
        .collect();
    let tag = tag.to_owned();
    if titles.is_empty() {
        Check::new(true, Why::NoneTagged { tag })
    } else {
        Check::new(false, Why::Tagged { titles, tag })
    }
}
