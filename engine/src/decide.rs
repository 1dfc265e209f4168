//! The clause walk: which clauses speak to a request, which refuse it, which
//! grants it.
//!
//! Clauses are read in the policy's order. A clause applies when it speaks to
//! the request's kind and reason and all its `when` conditions hold. An
//! applying clause refuses the request when its effect is `refuse` or when one
//! of its `require` conditions fails; otherwise a gate lets it through and the
//! first granting clause gives the outcome. Any refusal wins over a grant, and
//! the first refusal decides. When nothing applies, the policy's `otherwise`
//! clause refuses.

use chrono::{DateTime, TimeDelta, Utc};

use crate::policy::{Clause, Effect, Outcome, Policy};
use crate::rules::{self, Check};
use crate::scenario::{Facts, Kind, Resolution};
use crate::why::Why;

/// Eligibility, the clauses that decided it, and the grant when eligible.
#[derive(Clone, Debug)]
pub(crate) struct Decision<'p> {
    pub eligible: bool,
    /// The deciding clause first.
    pub clauses: Vec<&'p str>,
    /// The deciding clause's text.
    pub text: &'p str,
    /// The specific why: the failed conditions, a resolution not offered, …
    pub why: Vec<Why>,
    /// When eligible: the granting clause's outcome and the resolution in force.
    pub grant: Option<(&'p Outcome, Option<Resolution>)>,
    /// Instants at which a condition's answer may change, by clause id.
    pub boundaries: Vec<(&'p str, DateTime<Utc>)>,
}

impl Decision<'_> {
    /// Two decisions give the same answer (amounts follow from these).
    fn same_answer(&self, other: &Decision) -> bool {
        self.eligible == other.eligible && self.clauses == other.clauses
    }
}

fn refused<'p>(
    clauses: Vec<&'p str>,
    text: &'p str,
    why: Vec<Why>,
    boundaries: Vec<(&'p str, DateTime<Utc>)>,
) -> Decision<'p> {
    Decision {
        eligible: false,
        clauses,
        text,
        why,
        grant: None,
        boundaries,
    }
}

fn whys<'c>(checks: impl IntoIterator<Item = &'c Check>) -> Vec<Why> {
    checks.into_iter().map(|c| c.why.clone()).collect()
}

/// Decides the request in `facts` under `policy`.
pub(crate) fn decide<'p>(policy: &'p Policy, facts: &Facts) -> Decision<'p> {
    let request = facts.request;
    let mut refusals: Vec<(&Clause, Vec<Why>)> = Vec::new();
    let mut gates: Vec<&Clause> = Vec::new();
    let mut grant: Option<(&Clause, &Outcome)> = None;
    let mut boundaries = Vec::new();

    for clause in &policy.clauses {
        if !clause.speaks_to(request.kind, request.reason) {
            continue;
        }
        let check = |c| rules::check(c, facts, &policy.calendar);
        let when: Vec<Check> = clause.when.iter().map(check).collect();
        let require: Vec<Check> = clause.require.iter().map(check).collect();
        boundaries.extend(
            when.iter()
                .chain(&require)
                .filter_map(|c| Some((clause.id.as_str(), c.until?))),
        );
        if !when.iter().all(|c| c.holds) {
            continue;
        }
        let failing: Vec<&Check> = require.iter().filter(|c| !c.holds).collect();
        match &clause.effect {
            Effect::Refuse => refusals.push((clause, whys(&when))),
            _ if !failing.is_empty() => refusals.push((clause, whys(failing))),
            Effect::Gate => gates.push(clause),
            Effect::Grant(outcome) => {
                grant.get_or_insert((clause, outcome));
            }
        }
    }

    if let Some((first, why)) = refusals.first() {
        let ids = refusals.iter().map(|(c, _)| c.id.as_str()).collect();
        return refused(ids, &first.text, why.clone(), boundaries);
    }
    let Some((clause, outcome)) = grant else {
        return refused(
            vec![&policy.otherwise.id],
            &policy.otherwise.text,
            Vec::new(),
            boundaries,
        );
    };

    let offered = &outcome.resolutions;
    if let Some(asked) = request.resolution
        && !offered.contains(&asked)
    {
        let why = if offered.is_empty() {
            Why::NotAChoice(asked)
        } else {
            Why::NotOffered {
                asked,
                offered: offered.clone(),
            }
        };
        return refused(vec![&clause.id], &clause.text, vec![why], boundaries);
    }
    if request.kind == Kind::Exchange
        && let Some(target) = &request.exchange_for
        && target.quantity > target.stock
    {
        let why = Why::NotEnoughStock {
            stock: target.stock,
        };
        return refused(vec![&clause.id], &clause.text, vec![why], boundaries);
    }

    let mut ids = vec![clause.id.as_str()];
    ids.extend(gates.iter().map(|g| g.id.as_str()));
    Decision {
        eligible: true,
        clauses: ids,
        text: &clause.text,
        why: Vec::new(),
        grant: Some((outcome, request.resolution.or(offered.first().copied()))),
        boundaries,
    }
}

/// The last instant at which the request gets the same answer if nothing
/// happens to the order, where a window or business-day count of a deciding
/// clause decides it: the first such boundary after which the decision
/// changes. `None` when none can change it.
pub(crate) fn deadline(policy: &Policy, facts: &Facts, now: &Decision) -> Option<DateTime<Utc>> {
    let mut candidates: Vec<DateTime<Utc>> = now
        .boundaries
        .iter()
        .filter(|(clause, b)| now.clauses.contains(clause) && *b >= facts.now)
        .map(|(_, b)| *b)
        .collect();
    candidates.sort_unstable();
    candidates.dedup();
    candidates.into_iter().find(|b| {
        let Some(after) = b.checked_add_signed(TimeDelta::nanoseconds(1)) else {
            return false;
        };
        !decide(policy, &facts.at(after)).same_answer(now)
    })
}
