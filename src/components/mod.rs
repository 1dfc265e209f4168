//! The widget's screens. Each only displays engine answers and edits the
//! [`Draft`]; none computes policy.

pub mod app;
pub mod editor;
pub mod overview;
pub mod quote;
pub mod requests;
pub mod submit;
pub mod terms;

use std::sync::Arc;

use aftersale_engine::capacity::Holding;
use aftersale_engine::scenario::{PastRequest, RequestLine};
use aftersale_engine::{Assessment, InputError, Order, OverviewEntry, Policy, Why};
use chrono::{DateTime, Utc};
use leptos::prelude::*;

use crate::i18n::{Lang, Words};
use crate::state::{Draft, ExchangeOption};
use crate::submit::{Photo, Submission};

/// What every component of one widget instance shares.
#[derive(Clone)]
pub struct Ctx {
    /// The policy in force.
    pub policy: Arc<Policy>,
    /// Items offered in exchange.
    pub exchange_options: Arc<Vec<ExchangeOption>>,
    /// The customer's locale (`de-DE`), as the request tells the shop.
    pub locale: Arc<str>,
    /// The locale money, dates and countdowns are written in: the
    /// customer's, in the catalogue's language ([`Lang::intl_locale`]).
    pub intl: Arc<str>,
    /// The catalogue.
    pub lang: Lang,
    /// The order.
    pub order: RwSignal<Order>,
    /// The clock, ticking every second.
    pub now: RwSignal<DateTime<Utc>>,
    /// The request being edited.
    pub draft: RwSignal<Draft>,
    /// The engine's overview of the order now: it changes only when an
    /// option opens or closes, not every second.
    pub overview: Memo<Result<Vec<OverviewEntry>, InputError>>,
    /// The engine's quote for the draft now, with the reasons of a refusal
    /// (None before a kind is chosen).
    pub assessment: Memo<Option<Result<Assessment, InputError>>>,
    /// Where requests are posted (None: the widget only informs).
    pub endpoint: Option<Arc<str>>,
    /// The customer's email.
    pub email: RwSignal<String>,
    /// Where the submitted request stands.
    pub submission: RwSignal<Submission>,
    /// The photos the customer picked: what the payload declares of them,
    /// and the files, sent once the shop has the request.
    pub attachments: RwSignal<Vec<Photo>, LocalStorage>,
    /// Where the photos of the request the shop received stand.
    pub uploads: RwSignal<crate::submit::Uploads>,
    /// Whether the customer is looking at the review before sending.
    pub reviewing: RwSignal<bool>,
    /// The day the refund timeline counts from (the shop receiving the items).
    pub received_on: RwSignal<Option<chrono::NaiveDate>>,
    /// The shop's requests for the order, newest first, with the ones sent
    /// from this page added as the shop receives them.
    pub requests: RwSignal<Vec<PastRequest>>,
    /// What those of them the shop has not rejected hold of the order: what
    /// is left to ask for ([`aftersale_engine::capacity`]).
    pub holdings: Memo<Vec<Holding>>,
    /// Where the order's page data came from, to read it again for the next
    /// request (the shop's requests change the order: an exchange used).
    pub order_url: Option<Arc<str>>,
}

/// Moves the focus, once the widget has drawn what the event changed, to the
/// first of `selectors` there is in the widget the event happened in.
pub fn focus_after(ev: &leptos::ev::MouseEvent, selectors: &'static [&'static str]) {
    use wasm_bindgen::JsCast;
    let widget = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .and_then(|b| b.closest(".aftersale").ok().flatten());
    let Some(widget) = widget else { return };
    leptos::task::spawn_local(async move {
        // The changes are drawn by effects, after this event's handler.
        crate::net::sleep(0).await;
        let target = selectors
            .iter()
            .find_map(|s| widget.query_selector(s).ok().flatten())
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
        if let Some(e) = target {
            let _ = e.focus();
        }
    });
}

impl Ctx {
    /// Whether the request was sent and so can no longer be edited, as a
    /// reactive reader for `disabled=`.
    pub fn locked(&self) -> impl Fn() -> bool + Copy + Send + Sync + use<> {
        let s = self.submission;
        move || s.with(Submission::holds_request)
    }

    /// Whether the request may not be sent as it stands (see
    /// [`Submission::may_send`]), as a reactive reader.
    pub fn blocked(&self) -> impl Fn() -> bool + Copy + Send + Sync + use<> {
        let s = self.submission;
        move || !s.with(Submission::may_send)
    }

    /// Back to the overview with nothing chosen, for another request; the
    /// email stays.
    pub fn start_over(&self) {
        self.draft.set(Draft::default());
        self.attachments.set(Vec::new());
        self.uploads.set(crate::submit::Uploads::None);
        self.received_on.set(None);
        self.reviewing.set(false);
        self.submission.set(Submission::Idle);
        // The order as the shop now has it, with the request just sent.
        self.reread();
    }

    /// Reads the order and its requests again from `data-order-url`, as the
    /// shop now has them (nothing without one); what the customer chose
    /// stays, and is quoted against them.
    pub fn reread(&self) {
        if let Some(url) = self.order_url.clone() {
            let (order, requests) = (self.order, self.requests);
            leptos::task::spawn_local(async move {
                // The clock keeps what it started from.
                if let Ok((data, _)) = crate::fetch_page(&url).await {
                    let _ = order.try_set(data.order);
                    let _ = requests.try_set(data.requests);
                }
            });
        }
    }

    /// A money string of the order's currency, formatted for the customer.
    pub fn money(&self, amount: &str) -> String {
        let currency = self.order.with_untracked(|o| o.currency.code());
        crate::format::money(&self.intl, currency, amount)
    }

    /// An instant, formatted for the customer.
    pub fn instant(&self, at: DateTime<Utc>) -> String {
        crate::format::instant(&self.intl, at)
    }

    /// The time left until `until` by the widget's clock, as the catalogue
    /// says it ("22 hr, 57 min left", "还剩22小时57分钟"; a signal read: a
    /// view that shows it ticks).
    pub fn time_left(&self, until: DateTime<Utc>) -> String {
        let left = crate::format::countdown(&self.intl, self.lang, self.now.get(), until);
        crate::i18n::t(self.lang, crate::i18n::Key::TimeLeft).replace("{t}", &left)
    }

    /// A clause's text and the engine's reasons, in the customer's language:
    /// why a request is refused, with instants in the customer's time zone.
    pub fn explain(&self, clause: &str, why: &[Why]) -> impl IntoView + use<> {
        let reasons = (!why.is_empty()).then(|| {
            format!(
                "{}{}",
                crate::i18n::sentence_gap(self.lang),
                self.reasons(why)
            )
        });
        (words(self.clause_text(clause)), reasons)
    }

    /// The engine's reasons in the customer's language.
    pub fn reasons(&self, why: &[Why]) -> String {
        crate::i18n::whys(self.lang, why, &|t| self.instant(t))
    }

    /// Units of the order's lines as the customer reads them: "2 × Heat
    /// transfer vinyl, red and 1 × Watch winder" (a line the order does not
    /// have is named by its id).
    pub fn units(&self, lines: &[RequestLine]) -> String {
        let items: Vec<String> = self.order.with_untracked(|o| {
            lines
                .iter()
                .map(|l| {
                    let title = o
                        .lines
                        .iter()
                        .find(|ol| ol.id == l.line_id)
                        .map_or(l.line_id.as_str(), |ol| ol.title.as_str());
                    format!("{} × {title}", l.quantity)
                })
                .collect()
        });
        crate::i18n::list(self.lang, &items)
    }

    /// A calendar day, formatted for the customer.
    pub fn date(&self, day: chrono::NaiveDate) -> String {
        crate::format::date(&self.intl, day)
    }

    /// A clause's text in the customer's language, else the policy's
    /// ([`crate::i18n::clause_words`]).
    pub fn clause_text(&self, id: &str) -> Words {
        crate::i18n::clause_words(self.lang, &self.policy, id)
    }
}

/// A policy's text in a `<span>` that says its language where it is not
/// the widget's (the policy's own English words in a German widget, say).
pub fn words(w: Words) -> impl IntoView + use<> {
    view! { <span lang=w.lang>{w.text}</span> }
}
