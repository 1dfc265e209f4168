//! The output side of the contract: one quote for one request at one instant.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::decide::{Decision, deadline, decide};
use crate::money::{Money, MoneyError};
use crate::policy::{Base, Outcome, Party, Policy};
use crate::rules::describe_instant;
use crate::scenario::{Facts, InputError, Resolution, Scenario};
use crate::why::Why;

/// A step the customer follows, with a stable id for translations.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Step {
    /// The policy's step id, e.g. `"rma"`.
    pub id: String,
    /// What to do, in the policy's words.
    pub text: String,
}

/// The engine's answer for one order, one request and one instant: the JSON
/// contract of `policy-semantics.md`, field for field.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Quote {
    /// Whether this exact request is accepted.
    pub eligible: bool,
    /// The clauses that decided it, the deciding one first.
    pub clauses: Vec<String>,
    /// Paid back to the original payment.
    pub refund: Money,
    /// Kept as credit for a next order.
    pub store_credit: Money,
    /// Paid on top as compensation.
    pub compensation: Money,
    /// Kept by the shop (cancellation or transaction fee).
    pub fee: Money,
    /// Owed by the customer (an exchange for a dearer item).
    pub customer_pays: Money,
    /// The units are shipped again.
    pub reship: bool,
    /// The units must be sent back.
    pub return_required: bool,
    /// Who pays return shipping; `None` when nothing is sent back.
    pub return_shipping_paid_by: Option<Party>,
    /// The last instant at which this request gets this answer, where a window
    /// or business-day count decides it.
    pub deadline: Option<DateTime<Utc>>,
    /// What the customer does next, in order.
    pub steps: Vec<Step>,
    /// The decision in plain language.
    pub explanation: String,
}

/// A quote together with the base its money came from (for a refund or store
/// credit, `refund + store_credit + fee == base` exactly) and, for a refusal,
/// its reasons as data, for readers that word them in another language.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Assessment {
    /// The quote.
    pub quote: Quote,
    /// The amount that was settled (zero when nothing was).
    pub base: Money,
    /// Why the deciding clause refuses (empty when eligible, or when the
    /// clause's text says it all).
    pub why: Vec<Why>,
}

impl Quote {
    fn refused(facts: &Facts, decision: &Decision, deadline: Option<DateTime<Utc>>) -> Quote {
        let zero = Money::zero(facts.currency);
        let mut explanation = decision.text.to_owned();
        if !decision.why.is_empty() {
            explanation.push(' ');
            explanation.push_str(&sentence(&Why::join(&decision.why)));
        }
        Quote {
            eligible: false,
            clauses: decision.clauses.iter().map(|c| (*c).to_owned()).collect(),
            refund: zero,
            store_credit: zero,
            compensation: zero,
            fee: zero,
            customer_pays: zero,
            reship: false,
            return_required: false,
            return_shipping_paid_by: None,
            deadline,
            steps: Vec::new(),
            explanation,
        }
    }

    /// The quote as JSON text.
    #[cfg(feature = "json")]
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a quote always serialises")
    }
}

/// `s` (one of the engine's own English phrases) with a capital first
/// letter. ASCII case mapping is exact for these phrases and keeps Unicode's
/// case tables (~10 KB) out of the browser bundle.
fn capitalised(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 1);
    let mut chars = s.chars();
    if let Some(first) = chars.next() {
        out.push(first.to_ascii_uppercase());
        out.push_str(chars.as_str());
    }
    out
}

/// `s` (an engine phrase) as a sentence: capital first letter, full stop.
fn sentence(s: &str) -> String {
    let mut out = capitalised(s);
    if !out.ends_with('.') {
        out.push('.');
    }
    out
}

/// Quotes a parsed scenario: checks its input, then decides and prices it.
pub fn quote(policy: &Policy, scenario: &Scenario) -> Result<Quote, InputError> {
    assess(policy, &scenario.check()?).map(|a| a.quote)
}

/// Decides and prices checked facts, keeping the settled base (for callers
/// that audit the arithmetic: the backend, property tests).
pub fn assess(policy: &Policy, facts: &Facts) -> Result<Assessment, InputError> {
    let decision = decide(policy, facts);
    let deadline = deadline(policy, facts, &decision);
    let Some((outcome, resolution)) = decision.grant else {
        return Ok(Assessment {
            quote: Quote::refused(facts, &decision, deadline),
            base: Money::zero(facts.currency),
            why: decision.why,
        });
    };
    price(policy, facts, &decision, outcome, resolution, deadline)
        .map_err(|e| InputError::new("order", format!("cannot price this request: {e}")))
}

fn price(
    policy: &Policy,
    facts: &Facts,
    decision: &Decision,
    outcome: &Outcome,
    resolution: Option<Resolution>,
    deadline: Option<DateTime<Utc>>,
) -> Result<Assessment, MoneyError> {
    let currency = facts.currency;
    let zero = Money::zero(currency);
    let (mut refund, mut store_credit, mut fee, mut customer_pays) = (zero, zero, zero, zero);
    let mut base = zero;
    let reship = resolution == Some(Resolution::Reship);
    let mut said = Vec::new();

    let settle = |amount: Money, refund: &mut Money, store_credit: &mut Money| match resolution {
        Some(Resolution::StoreCredit) => *store_credit = amount,
        _ => *refund = amount,
    };
    let paid_as = |amount: Money| match resolution {
        Some(Resolution::StoreCredit) => {
            format!("{amount} {currency} as store credit for your next order")
        }
        _ => format!("{amount} {currency} refunded"),
    };

    match outcome.base {
        Base::OrderAmount | Base::RequestedValue if reship => {
            said.push("The items are shipped to you again at no cost.".to_owned());
        }
        Base::OrderAmount | Base::RequestedValue => {
            base = if outcome.base == Base::OrderAmount {
                facts.order_amount
            } else {
                facts.requested_value
            };
            let what = if outcome.base == Base::OrderAmount {
                "the order amount"
            } else {
                "the items' value"
            };
            fee = base.percent(outcome.fee_percent.0)?;
            let net = base.checked_sub(fee)?;
            settle(net, &mut refund, &mut store_credit);
            if fee.is_zero() {
                said.push(format!(
                    "{}: all of {what}, {base} {currency}, no fee.",
                    sentence_start(&paid_as(net))
                ));
            } else {
                said.push(format!(
                    "{}: {what} of {base} {currency} less a {} fee of {fee} {currency}.",
                    sentence_start(&paid_as(net)),
                    outcome.fee_percent
                ));
            }
        }
        Base::ExchangeDifference => {
            let new_value = facts.exchange_value.unwrap_or(zero);
            let difference = new_value.checked_sub(facts.requested_value)?;
            if difference.is_negative() {
                base = difference.negate();
                settle(base, &mut refund, &mut store_credit);
                said.push(format!(
                    "The new items cost {base} {currency} less than the ones exchanged: {}.",
                    paid_as(base)
                ));
            } else if difference.is_zero() {
                said.push(
                    "The new items cost the same: nothing to pay, nothing refunded.".to_owned(),
                );
            } else {
                customer_pays = difference;
                said.push(format!(
                    "The new items cost {difference} {currency} more than the ones exchanged: you pay the difference."
                ));
            }
        }
        Base::None => {
            if reship {
                said.push("The order is shipped to you again.".to_owned());
            }
        }
    }

    let compensation = facts.order_amount.percent(outcome.compensation_percent.0)?;
    if !compensation.is_zero() {
        said.push(format!(
            "Compensation: {compensation} {currency}, {} of the order amount ({} {currency}).",
            outcome.compensation_percent, facts.order_amount
        ));
    }

    let payer = outcome
        .return_shipping
        .as_ref()
        .and_then(|r| r.payer(facts.request.reason));
    if outcome.return_shipping.is_some() {
        said.push(match payer {
            Some(Party::Merchant) => {
                "Send the items back; the shop pays return shipping.".to_owned()
            }
            Some(Party::Customer) => "Send the items back; you pay return shipping.".to_owned(),
            None => "Send the items back.".to_owned(),
        });
    }
    if let Some(d) = deadline {
        said.push(format!("This stands until {}.", describe_instant(d)));
    }

    let steps = outcome
        .steps
        .iter()
        .filter_map(|id| policy.steps.iter().find(|s| &s.id == id))
        .filter(|s| {
            s.only_with_tag
                .as_ref()
                .is_none_or(|tag| facts.requested.iter().any(|u| u.line.tags.contains(tag)))
        })
        .map(|s| Step {
            id: s.id.clone(),
            text: s.text.clone(),
        })
        .collect();

    let mut explanation = decision.text.to_owned();
    for s in said {
        explanation.push(' ');
        explanation.push_str(&s);
    }

    Ok(Assessment {
        quote: Quote {
            eligible: true,
            clauses: decision.clauses.iter().map(|c| (*c).to_owned()).collect(),
            refund,
            store_credit,
            compensation,
            fee,
            customer_pays,
            reship,
            return_required: outcome.return_shipping.is_some(),
            return_shipping_paid_by: payer,
            deadline,
            steps,
            explanation,
        },
        base,
        why: Vec::new(),
    })
}

/// `s` (an engine phrase) starting a sentence; an amount gets "You get".
fn sentence_start(s: &str) -> String {
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        format!("You get {s}")
    } else {
        capitalised(s)
    }
}

#[cfg(test)]
mod tests {
    use super::{sentence, sentence_start};

    #[test]
    fn engine_phrases_become_sentences() {
        assert_eq!(sentence("the order has shipped"), "The order has shipped.");
        assert_eq!(
            sentence("tracking was updated recently."),
            "Tracking was updated recently."
        );
        assert_eq!(
            sentence_start("store credit of 5.00 USD"),
            "Store credit of 5.00 USD"
        );
        assert_eq!(
            sentence_start("5.00 USD refunded"),
            "You get 5.00 USD refunded"
        );
        assert_eq!(sentence_start(""), "");
    }
}
