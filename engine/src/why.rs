//! Why a condition holds or fails, as data: each rule says which [`Why`] and
//! with which figures, and each reader says it in its own words. The engine's
//! explanations use the English of [`Why`]'s `Display`; the widget has a
//! sentence per variant in each of its languages, with instants in the
//! customer's time zone.

use std::fmt;

use chrono::{DateTime, Utc};

use crate::policy::{Anchor, ConditionAnswer, Span};
use crate::rules::{describe_anchor, describe_instant, describe_span};
use crate::scenario::{Resolution, ShipFrom};

/// One reason a rule gives, with what it measured.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Why {
    /// The order has shipped.
    Shipped,
    /// The order has not shipped yet.
    NotShipped,
    /// The order has been delivered.
    Delivered,
    /// The order has not been delivered yet.
    NotDelivered,
    /// A window measured from `from` has not started: that has not happened.
    WindowNotStarted {
        /// The window's length.
        span: Span,
        /// The event it is measured from.
        from: Anchor,
    },
    /// Within the window; `until` is its last instant (`None`: it outlasts
    /// the calendar).
    Within {
        /// The window's length.
        span: Span,
        /// The event it is measured from.
        from: Anchor,
        /// Its last instant.
        until: Option<DateTime<Utc>>,
    },
    /// The window is over.
    WindowClosed {
        /// The window's length.
        span: Span,
        /// The event it is measured from.
        from: Anchor,
        /// Its last instant.
        closed: DateTime<Utc>,
    },
    /// The promise to ship within `span` has not started counting.
    PromiseNotStarted {
        /// The promised time.
        span: Span,
    },
    /// The order got a tracking number in time.
    TrackedInTime {
        /// The promised time.
        span: Span,
        /// When the promise ran out.
        due: DateTime<Utc>,
    },
    /// The order still has until `due` to get a tracking number.
    AwaitingTracking {
        /// The promised time.
        span: Span,
        /// When the promise runs out.
        due: DateTime<Utc>,
    },
    /// The order had no tracking number when the promise ran out at `due`.
    Untracked {
        /// The promised time.
        span: Span,
        /// When the promise ran out.
        due: DateTime<Utc>,
    },
    /// Tracking moved too recently to count (the limit outlasts the calendar).
    TrackingRecent,
    /// Tracking has been silent for more than `span` since `last`.
    TrackingStale {
        /// How long tracking may stay silent for this route.
        span: Span,
        /// The last tracking update.
        last: DateTime<Utc>,
        /// The route.
        ship_from: ShipFrom,
    },
    /// Tracking moved at `last`; the parcel counts as lost after `lost_after`.
    TrackingMoving {
        /// How long tracking may stay silent for this route.
        span: Span,
        /// The last tracking update.
        last: DateTime<Utc>,
        /// The route.
        ship_from: ShipFrom,
        /// The last instant before the parcel counts as lost.
        lost_after: DateTime<Utc>,
    },
    /// The customer has not answered the questions about the items' state.
    ConditionUnanswered,
    /// The items are unused, in their original packaging and complete.
    ConditionMet,
    /// The items must also be as listed (the answers not confirmed).
    ConditionMissing(Vec<ConditionAnswer>),
    /// No requested item carries the tag.
    NoneTagged {
        /// The tag.
        tag: String,
    },
    /// These requested items carry the tag that excludes them.
    Tagged {
        /// The items' titles.
        titles: Vec<String>,
        /// The tag.
        tag: String,
    },
    /// The order has exchanges left.
    ExchangesLeft {
        /// Exchanges made on this order.
        used: u32,
        /// Exchanges allowed per order.
        limit: u32,
    },
    /// The order used all its exchanges.
    ExchangesUsedUp {
        /// Exchanges allowed per order.
        limit: u32,
    },
    /// The request names a resolution, but this clause settles it one way.
    NotAChoice(Resolution),
    /// The request names a resolution this clause does not offer.
    NotOffered {
        /// What the request asked for.
        asked: Resolution,
        /// What the clause offers.
        offered: Vec<Resolution>,
    },
    /// The exchange asks for more of the new item than is in stock.
    NotEnoughStock {
        /// Units in stock.
        stock: u32,
    },
}

impl Why {
    /// Whether this reason only says that something the order still waits
    /// for has not happened: it has not shipped, it has not been delivered,
    /// a window counted from such an event has not started, tracking has
    /// not been silent long enough. Each goes once that happens, where a
    /// reason such as "the order has shipped" or "the window is over" stays.
    pub fn waits(&self) -> bool {
        matches!(
            self,
            Why::NotShipped
                | Why::NotDelivered
                | Why::WindowNotStarted { .. }
                | Why::PromiseNotStarted { .. }
                | Why::TrackingRecent
        )
    }

    /// Several reasons in one English phrase, joined by semicolons.
    pub fn join(whys: &[Why]) -> String {
        whys.iter()
            .map(Why::to_string)
            .collect::<Vec<_>>()
            .join("; ")
    }
}

fn route(ship_from: ShipFrom) -> &'static str {
    match ship_from {
        ShipFrom::UsWarehouse => "from the US warehouse",
        ShipFrom::GlobalStandard => "by global standard delivery",
    }
}

/// The engine's English phrase: lower case, no full stop (explanations make
/// sentences of them).
impl fmt::Display for Why {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Why::Shipped => f.write_str("the order has shipped"),
            Why::NotShipped => f.write_str("the order has not shipped yet"),
            Why::Delivered => f.write_str("the order has been delivered"),
            Why::NotDelivered => f.write_str("the order has not been delivered yet"),
            Why::WindowNotStarted { span, from } => {
                let event = match from {
                    Anchor::Delivered => "the order has not been delivered yet",
                    _ => "the order has not shipped yet",
                };
                write!(
                    f,
                    "{event}; the {} window starts when it is",
                    describe_span(*span)
                )
            }
            Why::Within { span, from, until } => {
                write!(
                    f,
                    "within {} of when {}",
                    describe_span(*span),
                    describe_anchor(*from)
                )?;
                match until {
                    Some(t) => write!(f, " (until {})", describe_instant(*t)),
                    None => Ok(()),
                }
            }
            Why::WindowClosed { span, from, closed } => write!(
                f,
                "more than {} have passed since {}: the window closed at {}",
                describe_span(*span),
                describe_anchor(*from),
                describe_instant(*closed)
            ),
            Why::PromiseNotStarted { span } => write!(
                f,
                "the {} shipping promise has not started",
                describe_span(*span)
            ),
            Why::TrackedInTime { span, due } => write!(
                f,
                "the order had a tracking number within {} (by {})",
                describe_span(*span),
                describe_instant(*due)
            ),
            Why::AwaitingTracking { span, due } => write!(
                f,
                "the order still has until {} ({}) to get a tracking number",
                describe_instant(*due),
                describe_span(*span)
            ),
            Why::Untracked { span, due } => write!(
                f,
                "the order had no tracking number {} after it was placed ({})",
                describe_span(*span),
                describe_instant(*due)
            ),
            Why::TrackingRecent => f.write_str("tracking was updated recently"),
            Why::TrackingStale {
                span,
                last,
                ship_from,
            } => write!(
                f,
                "tracking has not moved for more than {} (last update {}) on an order shipped {}",
                describe_span(*span),
                describe_instant(*last),
                route(*ship_from)
            ),
            Why::TrackingMoving {
                span,
                last,
                ship_from,
                lost_after,
            } => write!(
                f,
                "tracking was last updated {}; for an order shipped {} it counts as lost after {} without news, after {}",
                describe_instant(*last),
                route(*ship_from),
                describe_span(*span),
                describe_instant(*lost_after)
            ),
            Why::ConditionUnanswered => f.write_str(
                "confirm that the items are unused, in their original packaging and complete",
            ),
            Why::ConditionMet => {
                f.write_str("the items are unused, in their original packaging and complete")
            }
            Why::ConditionMissing(answers) => {
                let names: Vec<&str> = answers
                    .iter()
                    .map(|a| match a {
                        ConditionAnswer::Unused => "unused",
                        ConditionAnswer::OriginalPackaging => "in their original packaging",
                        ConditionAnswer::Complete => "complete",
                    })
                    .collect();
                write!(f, "the items must be {}", names.join(", "))
            }
            Why::NoneTagged { tag } => write!(f, "no requested item is tagged {tag:?}"),
            Why::Tagged { titles, tag } => {
                write!(f, "{} tagged {tag:?} (excluded)", titles.join(", "))
            }
            Why::ExchangesLeft { used, limit } => {
                write!(f, "{used} of {limit} exchanges used on this order")
            }
            Why::ExchangesUsedUp { limit } => write!(
                f,
                "this order already used its {limit} exchange{}",
                if *limit == 1 { "" } else { "s" }
            ),
            Why::NotAChoice(asked) => write!(
                f,
                "\"{}\" is not a choice here: this is settled as described",
                asked.as_str()
            ),
            Why::NotOffered { asked, offered } => {
                let names: Vec<&str> = offered.iter().map(|r| r.as_str()).collect();
                write!(
                    f,
                    "\"{}\" is not offered; the choices are {}",
                    asked.as_str(),
                    names.join(", ")
                )
            }
            Why::NotEnoughStock { stock } => {
                write!(f, "Not enough items available. Only {stock} left.")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Why;
    use crate::policy::{Anchor, ConditionAnswer, Span, Unit};

    #[test]
    fn the_engine_says_each_reason_in_its_explanations_english() {
        let closed = "2026-04-01T14:00:00Z".parse().unwrap();
        let span = Span {
            length: 30,
            unit: Unit::Days,
        };
        let whys = [
            Why::WindowClosed {
                span,
                from: Anchor::Placed,
                closed,
            },
            Why::ConditionMissing(vec![ConditionAnswer::Unused, ConditionAnswer::Complete]),
        ];
        assert_eq!(
            Why::join(&whys),
            "more than 30 days have passed since the order was placed: the window closed at \
             2026-04-01 14:00 UTC; the items must be unused, complete"
        );
        assert_eq!(
            Why::NotEnoughStock { stock: 2 }.to_string(),
            "Not enough items available. Only 2 left."
        );
        assert_eq!(
            Why::ExchangesUsedUp { limit: 1 }.to_string(),
            "this order already used its 1 exchange"
        );
    }
}
