//! One widget instance: the clock, the engine memos, the three screens.

use std::sync::Arc;
use std::time::Duration;

use aftersale_engine::capacity::Holding;
use aftersale_engine::scenario::PastRequest;
use aftersale_engine::{Facts, Order, Policy, assess, overview};
use chrono::{DateTime, Utc};
use leptos::leptos_dom::helpers::set_interval_with_handle;
use leptos::prelude::*;

use super::Ctx;
use super::editor::Editor;
use super::overview::OverviewList;
use super::quote::QuotePanel;
use super::requests::RequestList;
use super::submit::SubmitStatus;
use crate::events;
use crate::i18n::Lang;
use crate::state::{Draft, ExchangeOption};
use crate::submit::{self, Submission};

/// Everything an instance is configured with.
pub struct Config {
    /// The policy in force.
    pub policy: Arc<Policy>,
    /// The order; the host page may replace it (`handle.update(order)`).
    pub order: RwSignal<Order>,
    /// Items offered in exchange.
    pub exchange_options: Vec<ExchangeOption>,
    /// The shop's requests for the order, newest first.
    pub requests: Vec<PastRequest>,
    /// Where the order's page data came from (`data-order-url`), to read it
    /// again when the customer starts another request.
    pub order_url: Option<String>,
    /// The customer's locale.
    pub locale: String,
    /// A "now" to start the clock from: `data-now` (demos, tests), or the
    /// shop's time where the browser's clock is off from it; the browser's
    /// clock otherwise.
    pub now: Option<DateTime<Utc>>,
    /// Where to post requests (an http or https URL); None: no submission.
    pub endpoint: Option<String>,
    /// The element events are dispatched on.
    pub host: Option<web_sys::HtmlElement>,
    /// The customer's email as the shop knows it (`data-email`), filled in
    /// as the contact email for the customer to keep or change.
    pub email: String,
}

/// A clock ticking every second, starting at `start` (or the real time),
/// stopped when the owning view is unmounted. It is never before the
/// `order`'s placement (a new order's moves it at once): a browser whose
/// clock reads earlier is behind the shop's, and it goes on from there.
pub fn clock(
    start: Option<DateTime<Utc>>,
    order: Option<RwSignal<Order>>,
) -> RwSignal<DateTime<Utc>> {
    // Milliseconds to add to the browser's clock.
    let real = || js_sys::Date::now() as i64;
    let skew = std::rc::Rc::new(std::cell::Cell::new(
        start.map_or(0, |s| s.timestamp_millis() - real()),
    ));
    let placed = move || order.and_then(|o| o.try_with(|o| o.placed_at.timestamp_millis()));
    let read = move || {
        let at = real() + skew.get();
        let floor = untrack(placed).unwrap_or(at);
        skew.set(skew.get() + (floor - at).max(0));
        DateTime::from_timestamp_millis(at.max(floor)).unwrap_or_default()
    };
    let now = RwSignal::new(read());
    let tick = read.clone();
    if let Ok(handle) = set_interval_with_handle(move || now.set(tick()), Duration::from_secs(1)) {
        on_cleanup(move || handle.clear());
    }
    Effect::new(move |_| {
        if placed().is_some_and(|p| p > now.get_untracked().timestamp_millis()) {
            now.set(read());
        }
    });
    now
}

/// The widget for one order.
#[component]
pub fn App(
    /// The instance's configuration.
    config: Config,
) -> impl IntoView {
    let Config {
        policy,
        order,
        exchange_options,
        requests,
        order_url,
        locale,
        now,
        endpoint,
        host,
        email,
    } = config;
    // An order is placed before the shop shows it: a browser whose clock
    // reads earlier (a few seconds behind, on the page that confirms the
    // order) is behind, and the engine would refuse to quote for an order
    // not placed yet.
    let now = clock(now, Some(order));

    let exchange_options = Arc::new(exchange_options);
    let draft = RwSignal::new(Draft::default());
    let overview = Memo::new({
        let policy = policy.clone();
        move |_| order.with(|o| overview(&policy, o, now.get()).map(|o| o.entries))
    });
    let assessment = Memo::new({
        let (policy, options) = (policy.clone(), exchange_options.clone());
        move |_| {
            let draft = draft.get();
            order.with(|o| {
                let request = draft.request(&policy, o, &options)?;
                Some(Facts::new(now.get(), o, &request).and_then(|facts| assess(&policy, &facts)))
            })
        }
    });
    let lang = Lang::for_locale(&locale);
    let submission = RwSignal::new(Submission::Idle);
    let reviewing = RwSignal::new(false);
    let requests = RwSignal::new(requests);
    let uploads = RwSignal::new(submit::Uploads::None);
    let holdings =
        Memo::new(move |_| requests.with(|r| r.iter().filter_map(Holding::of_past).collect()));
    let resumed = endpoint.as_ref().and_then(|endpoint| {
        let order_id = order.with_untracked(|o| o.id.clone());
        submit::load(&order_id)
            .filter(|p| &p.endpoint == endpoint)
            .map(|pending| (order_id, pending))
    });
    let ctx = Ctx {
        policy,
        exchange_options,
        intl: lang.intl_locale(&locale).into(),
        locale: locale.into(),
        lang,
        order,
        now,
        draft,
        overview,
        assessment,
        endpoint: endpoint.map(Into::into),
        email: RwSignal::new(email),
        submission,
        attachments: RwSignal::new_local(Vec::new()),
        uploads,
        reviewing,
        received_on: RwSignal::new(None),
        requests,
        holdings,
        order_url: order_url.map(Into::into),
    };
    // A request sent before a reload and not yet decided: send it again,
    // same key; its photos follow it if the page that was left kept them.
    // Finished by another page meanwhile, it is in the order's requests.
    if let Some((order_id, pending)) = resumed {
        let progress = submit::Progress {
            state: submission,
            requests,
            now,
            uploads,
        };
        let reread = {
            let ctx = ctx.clone();
            move || ctx.reread()
        };
        submit::resume(order_id, pending, progress, reread);
    }
    reread_on_return(&ctx);
    provide_context(ctx);
    // Any change to the request leaves the review, and the shop's answer to
    // the request as it was (a refusal, its own figures) with it.
    Effect::new(move |_| {
        draft.track();
        reviewing.set(false);
        if submission.with_untracked(Submission::answers_a_draft) {
            submission.set(Submission::Idle);
        }
    });

    if let Some(host) = host {
        let emit_host = host.clone();
        Effect::new(move |_| {
            if let Some(Ok(a)) = assessment.get() {
                events::emit(&emit_host, "aftersale:quote", &events::to_js(&a.quote));
            }
        });
        let emit_host = host.clone();
        Effect::new(move |_| {
            if let Err(e) = overview.get() {
                let message = e.to_string();
                events::emit(
                    &emit_host,
                    "aftersale:error",
                    &events::object(&[("message", Some(&message))]),
                );
            }
        });
        let photos_host = host.clone();
        Effect::new(move |_| {
            // Where the photos of the request shown ended: all with the
            // shop, one refused, or left behind by a reload.
            let id = submission.with_untracked(|s| s.created().map(str::to_owned));
            let detail = match uploads.get() {
                submit::Uploads::Sent(_) => {
                    events::object(&[("status", Some("sent")), ("request_id", id.as_deref())])
                }
                submit::Uploads::Refused { name, message } => events::object(&[
                    ("status", Some("refused")),
                    ("request_id", id.as_deref()),
                    ("name", Some(&name)),
                    ("message", Some(&message)),
                ]),
                submit::Uploads::Lost { count } => {
                    let o =
                        events::object(&[("status", Some("lost")), ("request_id", id.as_deref())]);
                    let _ = js_sys::Reflect::set(&o, &"count".into(), &(count as f64).into());
                    o
                }
                _ => return,
            };
            events::emit(&photos_host, "aftersale:photos", &detail);
        });
        Effect::new(move |_| {
            let detail = match submission.get() {
                Submission::Created { request_id, rma } => {
                    let o = events::object(&[
                        ("status", Some("created")),
                        ("request_id", Some(&request_id)),
                        ("rma", rma.as_deref()),
                    ]);
                    // How many photos follow (then `aftersale:photos`).
                    let photos = match uploads.get_untracked() {
                        submit::Uploads::Sending { total, .. } => total,
                        _ => 0,
                    };
                    let _ = js_sys::Reflect::set(&o, &"photos".into(), &(photos as f64).into());
                    o
                }
                Submission::Refused {
                    clause,
                    explanation,
                    conflict,
                } => events::object(&[
                    ("status", Some("refused")),
                    ("clause", Some(&clause)),
                    ("explanation", Some(&explanation)),
                    ("conflict", conflict.as_deref()),
                ]),
                Submission::Changed { .. } => events::object(&[("status", Some("quote_changed"))]),
                Submission::Invalid { message } => {
                    events::object(&[("status", Some("invalid")), ("message", Some(&message))])
                }
                _ => return,
            };
            events::emit(&host, "aftersale:submitted", &detail);
        });
    }

    view! {
        <div class="aftersale" lang=lang.tag() dir=lang.dir()>
            <RequestList />
            <OverviewList />
            <Editor />
            <QuotePanel />
            <SubmitStatus />
        </div>
    }
}

/// How long a page must have been out of sight before the widget reads
/// the order again when it is back.
const REREAD_AFTER_MS: f64 = 60_000.0;

/// A page left open in a background tab for a while (the order may have
/// shipped, the shop may have decided a request meanwhile) reads the order
/// again when it is shown, where it came by `data-order-url`.
fn reread_on_return(ctx: &Ctx) {
    if ctx.order_url.is_none() {
        return;
    }
    let ctx = ctx.clone();
    let hidden_since = std::cell::Cell::new(None::<f64>);
    let handle =
        leptos::leptos_dom::helpers::window_event_listener_untyped("visibilitychange", move |_| {
            let now = js_sys::Date::now();
            if document().hidden() {
                hidden_since.set(hidden_since.get().or(Some(now)));
            } else if hidden_since
                .take()
                .is_some_and(|t| now - t >= REREAD_AFTER_MS)
            {
                ctx.reread();
            }
        });
    on_cleanup(move || handle.remove());
}
