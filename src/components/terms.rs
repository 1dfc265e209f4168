//! The product and cart pages: the terms an order would have if placed now
//! (the cancellation schedule with exact times, what is possible after
//! delivery, what is not), all from the engine's `terms`.

use std::sync::Arc;

use aftersale_engine::{Availability, Basket, Kind, OverviewEntry, Policy, Quote, terms};
use chrono::{DateTime, Utc};
use leptos::prelude::*;

use super::app::clock;
use crate::format::{countdown, instant, money};
use crate::i18n::{Key, Lang, Words, action_label, clause_words, silence, t, window};
use crate::swap::swap;

/// What a product or cart page shows the summary for.
pub struct TermsConfig {
    /// The policy in force.
    pub policy: Arc<Policy>,
    /// The items that would be ordered.
    pub basket: Basket,
    /// The customer's locale.
    pub locale: String,
    /// A fixed start for the clock (demos, tests).
    pub now: Option<DateTime<Utc>>,
    /// The element it is drawn for, which gets `aftersale:error` when the
    /// basket breaks the contract.
    pub host: web_sys::HtmlElement,
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
        host,
    } = config;
    let now = clock(now, None);
    let lang = Lang::for_locale(&locale);
    // Money, dates and countdowns in the catalogue's language.
    let locale: Arc<str> = lang.intl_locale(&locale).into();
    let currency = basket.currency.code();
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
        move |id: &str| clause_words(lang, &policy, id)
    };
    // As the order widget does when its order breaks the contract.
    Effect::new(move |_| {
        if let Err(e) = computed.get() {
            let message = crate::basket_error(&e);
            crate::events::emit(
                &host,
                "aftersale:error",
                &crate::events::object(&[("message", Some(&message))]),
            );
        }
    });

    move || {
        let text_of = text_of.clone();
        let locale = locale.clone();
        match computed.get() {
            Err(e) => {
                swap(view! { <crate::ErrorView lang=lang message=crate::basket_error(&e) /> })
            }
            Ok(terms) => {
                let phases = terms
                    .cancellation
                    .into_iter()
                    .map(|p| {
                        let when = match (p.after_shipment, p.until) {
                            (true, _) => t(lang, Key::OnceShipped).to_owned(),
                            (false, Some(d)) => format!(
                                "{} {}{}",
                                t(lang, Key::Until),
                                instant(&locale, d),
                                t(lang, Key::Aside).replace(
                                    "{t}",
                                    &countdown(&locale, lang, now.get_untracked(), d)
                                )
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
                                <span class="aftersale__option-when">{super::words(text_of(&clause))}</span>
                            </li>
                        }
                    })
                    .collect_view();
                let before = terms
                    .before_shipment
                    .into_iter()
                    .map(|e| {
                        let status = t(lang, Key::Possible).to_owned();
                        let until = t(lang, Key::UntilItShips).to_owned();
                        option(lang, &e, "open", status, until, &text_of)
                    })
                    .collect::<Vec<_>>();
                let before = titled(
                    lang,
                    Key::BeforeShipment,
                    "aftersale__before-shipment",
                    before,
                );
                let on_the_way = terms
                    .in_transit
                    .into_iter()
                    .map(|e| {
                        let opens = match (e.opens_after, e.silence) {
                            (Some(d), _) => {
                                format!("{} {}", t(lang, Key::OpensAfter), instant(&locale, d))
                            }
                            (None, Some(span)) => silence(lang, span),
                            (None, None) => String::new(),
                        };
                        let status = outcome(lang, &locale, currency, &e.quote);
                        option(lang, &e, "later", status, opens, &text_of)
                    })
                    .collect::<Vec<_>>();
                let on_the_way = titled(lang, Key::OnItsWay, "aftersale__on-its-way", on_the_way);
                let after = terms
                    .after_delivery
                    .into_iter()
                    .map(|e| {
                        let open = e.availability == Availability::Open;
                        let facts = [
                            e.window.map(|w| window(lang, w)),
                            e.return_shipping_paid_by
                                .map(|p| t(lang, Key::PaidBy(p)).to_owned()),
                        ]
                        .into_iter()
                        .flatten()
                        .collect::<Vec<_>>()
                        .join(" · ");
                        let (state, status) = if open {
                            ("open", Key::Possible)
                        } else {
                            ("closed", Key::NotOffered)
                        };
                        option(lang, &e, state, t(lang, status).to_owned(), facts, &text_of)
                    })
                    .collect_view();
                swap(view! {
                    <section class="aftersale aftersale--terms" lang=lang.tag() dir=lang.dir()>
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

/// A titled list of options, or nothing when there are none.
fn titled<V: IntoView + 'static>(
    lang: Lang,
    title: Key,
    class: &'static str,
    items: Vec<V>,
) -> Option<impl IntoView + use<V>> {
    (!items.is_empty()).then(|| {
        view! {
            <h3 class="aftersale__subtitle">{t(lang, title)}</h3>
            <ul class=format!("aftersale__options {class}")>{items}</ul>
        }
    })
}

/// One option of the summary: what it is, its status, its terms (when
/// and how long, who pays the postage; left out when there are none) and
/// the deciding clause's text.
fn option(
    lang: Lang,
    entry: &OverviewEntry,
    state: &'static str,
    status: String,
    terms: String,
    text_of: &dyn Fn(&str) -> Words,
) -> impl IntoView + use<> {
    let clause = entry.clauses.first().cloned().unwrap_or_default();
    let terms =
        (!terms.is_empty()).then(|| view! { <span class="aftersale__option-terms">{terms}</span> });
    view! {
        <li class="aftersale__option" data-state=state data-kind=entry.kind.as_str() data-clause=clause.clone()>
            <span class="aftersale__option-label">{action_label(lang, entry.kind, entry.reason)}</span>
            <span class="aftersale__option-status">{status}</span>
            {terms}
            <span class="aftersale__option-when">{super::words(text_of(&clause))}</span>
        </li>
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
