//! The product and cart pages: the terms an order would have if placed now
//! (the cancellation schedule with exact times, what is possible after
//! delivery, what is not), all from the engine's `terms`.

use std::sync::Arc;

use aftersale_engine::{Availability, Basket, Kind, Policy, Quote, terms};
use chrono::{DateTime, Utc};
use leptos::prelude::*;

use super::app::clock;
use crate::format::{countdown, instant, money};
use crate::i18n::{Key, Lang, action_label, clause_text, silence, t, window};
use crate::swap::swap;

/// What a product or cart page shows the summary for.
pub struct TermsConfig {
    /// The policy in force.
    pub policy: Policy,
    /// The items that would be ordered.
    pub basket: Basket,
    /// The customer's locale.
    pub locale: String,
    /// A fixed start for the clock (demos, tests).
    pub now: Option<DateTime<Utc>>,
}

/// The terms summary.
#[component]
pub fn TermsSummary(
    /// Its configuration.
    config: TermsConfig,
) -> impl IntoView {
    let TermsConfig {
        policy,
        basket,
        locale,
        now,
    } = config;
    let now = clock(now);
    let lang = Lang::for_locale(&locale);
    let locale: Arc<str> = locale.into();
    let currency = basket.currency.code();
    let policy = Arc::new(policy);
    // The terms move with the clock; a minute's precision is what a buyer reads.
    let minute = Memo::new(move |_| now.get().timestamp() / 60);
    let computed = Memo::new({
        let policy = policy.clone();
        move |_| {
            minute.track();
            terms(&policy, &basket, now.get_untracked())
        }
    });
    let text_of = {
        let policy = policy.clone();
        move |id: &str| {
            clause_text(lang, id)
                .map(str::to_owned)
                .or_else(|| policy.clause(id).map(|c| c.text.clone()))
                .unwrap_or_else(|| policy.otherwise.text.clone())
        }
    };

    move || {
        let text_of = text_of.clone();
        let locale = locale.clone();
        match computed.get() {
            Err(e) => swap(
                view! { <div class="aftersale aftersale--error" role="alert"><p class="aftersale__error">{e.to_string()}</p></div> },
            ),
            Ok(terms) => {
                let phases = terms
                    .cancellation
                    .into_iter()
                    .map(|p| {
                        let when = match (p.after_shipment, p.until) {
                            (true, _) => t(lang, Key::OnceShipped).to_owned(),
                            (false, Some(d)) => format!(
                                "{} {} ({})",
                                t(lang, Key::Until),
                                instant(&locale, d),
                                countdown(lang, now.get_untracked(), d)
                            ),
                            (false, None) => t(lang, Key::UntilItShips).to_owned(),
                        };
                        let q = &p.quote;
                        let clause = q.clauses.first().cloned().unwrap_or_default();
                        view! {
                            <li class="aftersale__phase" data-clause=clause.clone() data-eligible=q.eligible.to_string()
                                data-fee=q.fee.to_string()>
                                <span class="aftersale__option-label">{when}</span>
                                <span class="aftersale__option-status">{outcome(lang, &locale, currency, q)}</span>
                                <span class="aftersale__option-when">{text_of(&clause)}</span>
                            </li>
                        }
                    })
                    .collect_view();
                let before = terms
                    .before_shipment
                    .into_iter()
                    .map(|e| {
                        let clause = e.clauses.first().cloned().unwrap_or_default();
                        view! {
                            <li class="aftersale__option" data-state="open" data-kind=e.kind.as_str() data-clause=clause.clone()>
                                <span class="aftersale__option-label">{action_label(lang, e.kind, e.reason)}</span>
                                <span class="aftersale__option-status">{t(lang, Key::Possible)}</span>
                                <span class="aftersale__option-terms">{t(lang, Key::UntilItShips)}</span>
                                <span class="aftersale__option-when">{text_of(&clause)}</span>
                            </li>
                        }
                    })
                    .collect::<Vec<_>>();
                let before = (!before.is_empty()).then(|| {
                    view! {
                        <h3 class="aftersale__subtitle">{t(lang, Key::BeforeShipment)}</h3>
                        <ul class="aftersale__options aftersale__before-shipment">{before}</ul>
                    }
                });
                let on_the_way = terms
                    .in_transit
                    .into_iter()
                    .map(|e| {
                        let clause = e.clauses.first().cloned().unwrap_or_default();
                        let opens = match (e.opens_after, e.silence) {
                            (Some(d), _) => format!("{} {}", t(lang, Key::OpensAfter), instant(&locale, d)),
                            (None, Some(span)) => silence(lang, span),
                            (None, None) => String::new(),
                        };
                        view! {
                            <li class="aftersale__option" data-state="later" data-kind=e.kind.as_str() data-clause=clause.clone()>
                                <span class="aftersale__option-label">{action_label(lang, e.kind, e.reason)}</span>
                                <span class="aftersale__option-status">{outcome(lang, &locale, currency, &e.quote)}</span>
                                <span class="aftersale__option-terms">{opens}</span>
                                <span class="aftersale__option-when">{text_of(&clause)}</span>
                            </li>
                        }
                    })
                    .collect::<Vec<_>>();
                let on_the_way = (!on_the_way.is_empty()).then(|| {
                    view! {
                        <h3 class="aftersale__subtitle">{t(lang, Key::OnItsWay)}</h3>
                        <ul class="aftersale__options aftersale__on-its-way">{on_the_way}</ul>
                    }
                });
                let after = terms
                    .after_delivery
                    .into_iter()
                    .map(|e| {
                        let label = action_label(lang, e.kind, e.reason);
                        let clause = e.clauses.first().cloned().unwrap_or_default();
                        let state = if e.availability == Availability::Open { "open" } else { "closed" };
                        let facts = [
                            e.window.map(|w| window(lang, w)),
                            e.return_shipping_paid_by.map(|p| t(lang, Key::PaidBy(p)).to_owned()),
                        ]
                        .into_iter()
                        .flatten()
                        .collect::<Vec<_>>()
                        .join(" · ");
                        let facts = (!facts.is_empty()).then(|| {
                            view! { <span class="aftersale__option-terms">{facts}</span> }
                        });
                        view! {
                            <li class="aftersale__option" data-state=state data-kind=e.kind.as_str() data-clause=clause.clone()>
                                <span class="aftersale__option-label">{label}</span>
                                <span class="aftersale__option-status">
                                    {if e.availability == Availability::Open { t(lang, Key::Possible) } else { t(lang, Key::NotOffered) }}
                                </span>
                                {facts}
                                <span class="aftersale__option-when">{text_of(&clause)}</span>
                            </li>
                        }
                    })
                    .collect_view();
                swap(view! {
                    <section class="aftersale aftersale--terms">
                        <h2 class="aftersale__title">{t(lang, Key::IfYouOrderNow)}</h2>
                        <h3 class="aftersale__subtitle">{t(lang, Key::Kind(Kind::Cancel))}</h3>
                        <ul class="aftersale__options aftersale__schedule">{phases}</ul>
                        {before}
                        {on_the_way}
                        <h3 class="aftersale__subtitle">{t(lang, Key::AfterDelivery)}</h3>
                        <ul class="aftersale__options">{after}</ul>
                    </section>
                })
            }
        }
    }
}

/// What a request gets, as a product page lists it: "Refund $194.92 · Fee
/// $3.98", "Compensation $6.00 · We ship the items to you again", "Not
/// possible".
fn outcome(lang: Lang, locale: &str, currency: &str, q: &Quote) -> String {
    let mut what = Vec::new();
    if !q.eligible {
        what.push(t(lang, Key::NotPossible).to_owned());
    }
    for (key, amount) in [
        (Key::Refund, q.refund),
        (Key::StoreCredit, q.store_credit),
        (Key::Compensation, q.compensation),
        (Key::Fee, q.fee),
    ] {
        if !amount.is_zero() {
            what.push(format!(
                "{} {}",
                t(lang, key),
                money(locale, currency, &amount.to_string())
            ));
        }
    }
    if q.reship {
        what.push(t(lang, Key::Reship).to_owned());
    }
    what.join(" · ")
}
