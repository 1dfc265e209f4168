//! What an order allows at an instant: the widget's first screen.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::decide::{deadline, decide};
use crate::money::Amount;
use crate::policy::Policy;
use crate::scenario::{
    ExchangeTarget, Facts, InputError, ItemCondition, Kind, Order, Reason, Request, RequestLine,
};
use crate::why::Why;

/// Whether a kind of request is possible now.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Availability {
    /// Possible now (until `deadline`, when it has one).
    Open,
    /// Not possible yet: it opens right after `deadline`, or, with no
    /// deadline, once what the order still waits for has happened (it ships,
    /// it is delivered; the entry's reasons say which, [`Why::waits`]).
    NotYet,
    /// Not possible, and nothing still to come for the order changes that
    /// (it has shipped, the window is over, the policy refuses it).
    Closed,
}

/// One kind of request (and reason) and what the policy says of it now.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct OverviewEntry {
    /// The request kind.
    pub kind: Kind,
    /// The reason (null where the policy does not distinguish reasons).
    pub reason: Option<Reason>,
    /// Open, not yet, or closed.
    pub availability: Availability,
    /// The deciding clause first: the one that opens or closes it.
    pub clauses: Vec<String>,
    /// Open: the last instant it stays open. Not yet: the last instant
    /// before it opens (null where it waits for an event, not an instant).
    /// Closed: null.
    pub deadline: Option<DateTime<Utc>>,
    /// For requests about units: the order lines it is open for.
    pub lines: Vec<String>,
    /// Why, in plain language.
    pub explanation: String,
    /// When not open: why the deciding clause refuses, as data (the
    /// explanation says it in English).
    #[serde(skip)]
    pub why: Vec<Why>,
}

/// Everything an order allows at an instant under a policy.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Overview {
    /// The order.
    pub order_id: String,
    /// The instant.
    pub now: DateTime<Utc>,
    /// One entry per kind and reason the policy speaks to, in the order of
    /// [`Kind::ALL`] and [`Reason::ALL`].
    pub entries: Vec<OverviewEntry>,
}

/// The reasons worth listing for `kind`: those the policy's clauses name, or
/// just "no reason" when none of them distinguishes reasons.
fn reasons_for(policy: &Policy, kind: Kind) -> Vec<Option<Reason>> {
    let named: Vec<Option<Reason>> = Reason::ALL
        .into_iter()
        .filter(|r| {
            policy.clauses.iter().any(|c| {
                c.applies_to.iter().any(|m| {
                    m.kinds.contains(&kind) && m.reasons.as_ref().is_some_and(|l| l.contains(r))
                })
            })
        })
        .map(Some)
        .collect();
    if !named.is_empty() {
        named
    } else if policy.clauses.iter().any(|c| c.speaks_to(kind, None)) {
        vec![None]
    } else {
        Vec::new()
    }
}

/// The most favourable request of this kind and reason for one line (or the
/// whole order): condition confirmed, the default resolution, an exchange for
/// an item of the same price in stock.
pub(crate) fn probe(
    order: &Order,
    kind: Kind,
    reason: Option<Reason>,
    line: Option<usize>,
) -> Request {
    let line = line.map(|i| &order.lines[i]);
    Request {
        kind,
        reason,
        lines: line
            .map(|l| RequestLine {
                line_id: l.id.clone(),
                quantity: 1,
            })
            .into_iter()
            .collect(),
        resolution: None,
        condition: Some(ItemCondition {
            unused: true,
            original_packaging: true,
            complete: true,
        }),
        exchange_for: (kind == Kind::Exchange).then(|| {
            let l = line.unwrap_or(&order.lines[0]);
            ExchangeTarget {
                sku: l.sku.clone(),
                title: l.title.clone(),
                unit_price: Amount(l.unit_price.0),
                quantity: 1,
                stock: 1,
            }
        }),
    }
}

/// What `order` allows at `now` under `policy`: every request kind and
/// reason the policy speaks to, open (with its deadline), not yet open (after
/// an instant, or once the order ships or is delivered), or closed (with the
/// clause that closed it).
pub fn overview(
    policy: &Policy,
    order: &Order,
    now: DateTime<Utc>,
) -> Result<Overview, InputError> {
    let whole = probe(order, Kind::Cancel, None, None);
    let checked = Facts::new(now, order, &whole)?;

    let mut entries = Vec::new();
    for kind in Kind::ALL {
        for reason in reasons_for(policy, kind) {
            let per_line = kind.names_units(reason);
            let probes: Vec<Request> = if per_line {
                (0..order.lines.len())
                    .map(|i| probe(order, kind, reason, Some(i)))
                    .collect()
            } else {
                vec![probe(order, kind, reason, None)]
            };
            // The entry reports the first probe, or the first eligible one.
            let mut best: Option<OverviewEntry> = None;
            let mut open_lines = Vec::new();
            for request in &probes {
                let facts = checked.with_request(request)?;
                let decision = decide(policy, &facts);
                if decision.eligible && per_line {
                    open_lines.push(request.lines[0].line_id.clone());
                }
                if best
                    .as_ref()
                    .is_some_and(|b| b.availability == Availability::Open || !decision.eligible)
                {
                    continue;
                }
                let until = deadline(policy, &facts, &decision);
                let mut explanation = decision.text.to_owned();
                if !decision.why.is_empty() {
                    explanation.push_str(" (");
                    explanation.push_str(&Why::join(&decision.why));
                    explanation.push(')');
                }
                best = Some(OverviewEntry {
                    kind,
                    reason,
                    availability: match (decision.eligible, until) {
                        (true, _) => Availability::Open,
                        (false, Some(_)) => Availability::NotYet,
                        // Refused only for what has not happened yet.
                        (false, None)
                            if !decision.why.is_empty() && decision.why.iter().all(Why::waits) =>
                        {
                            Availability::NotYet
                        }
                        (false, None) => Availability::Closed,
                    },
                    clauses: decision.clauses.iter().map(|c| (*c).to_owned()).collect(),
                    deadline: until,
                    lines: Vec::new(),
                    explanation,
                    why: decision.why,
                });
            }
            if let Some(mut entry) = best {
                entry.lines = open_lines;
                entries.push(entry);
            }
        }
    }
    Ok(Overview {
        order_id: order.id.clone(),
        now,
        entries,
    })
}
