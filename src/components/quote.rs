//! The engine's quote for the draft: the verdict and why, every figure, the
//! return, the deadline with a live countdown, the steps.

use aftersale_engine::{Kind, Quote, Why, photos_asked, refund_timeline};
use leptos::prelude::*;

use super::Ctx;
use super::submit::SubmitForm;
use crate::i18n::{Key, Lang, late_words, step_words, t};
use crate::submit::{Submission, Uploads};
use crate::swap::swap;

/// The quote panel (empty before an action is chosen).
#[component]
pub fn QuotePanel() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let summary = {
        let ctx = ctx.clone();
        move || match ctx.assessment.get() {
            Some(Ok(a)) => summary(&ctx, &a.quote, &a.why),
            _ => String::new(),
        }
    };
    // The submission form lives beside the figures, not inside them: it
    // stays (with the photos picked and the email typed in its controls) while
    // the quote changes, and is drawn anew only when an eligible quote comes
    // or goes or asks for other photos.
    let form = Memo::new({
        let ctx = ctx.clone();
        move |_| match ctx.assessment.get() {
            Some(Ok(a)) if a.quote.eligible => Some(photos_asked(&ctx.policy, &a.quote).cloned()),
            _ => None,
        }
    });
    view! {
        <section class="aftersale__quote">
            <p class="aftersale__live" aria-live="polite" aria-atomic="true">{summary}</p>
            {move || match ctx.assessment.get() {
                None => None,
                Some(Err(e)) => {
                    let lang = ctx.lang;
                    // What the editor leaves to choose, in the customer's words;
                    // anything else is the page's data at fault, named as is.
                    let text = if e.field.starts_with("request.lines") {
                        t(lang, Key::PickItems).to_owned()
                    } else if e.field.starts_with("request.exchange_for") {
                        t(lang, Key::PickExchange).to_owned()
                    } else {
                        e.to_string()
                    };
                    Some(swap(view! { <p class="aftersale__hint" data-field=e.field.clone()>{text}</p> }))
                }
                Some(Ok(a)) => Some(swap(view! { <Figures quote=a.quote why=a.why /> })),
            }}
            {move || form.get().map(|rule| swap(view! { <SubmitForm rule=rule /> }))}
        </section>
    }
}

/// One sentence for screen readers: the verdict and the main figure, or for
/// a refusal its reasons (the figures say nothing then).
pub(crate) fn summary(ctx: &Ctx, q: &Quote, why: &[Why]) -> String {
    let lang = ctx.lang;
    let verdict = t(
        lang,
        if q.eligible {
            Key::Possible
        } else {
            Key::NotPossible
        },
    );
    if !q.eligible && !why.is_empty() {
        return format!("{verdict} · {}", ctx.reasons(why));
    }
    let main = [
        (Key::Refund, q.refund),
        (Key::StoreCredit, q.store_credit),
        (Key::Compensation, q.compensation),
        (Key::CustomerPays, q.customer_pays),
    ]
    .into_iter()
    .find(|(_, m)| !m.is_zero())
    .map(|(k, m)| {
        format!(
            " · {}{}{}",
            t(lang, k),
            t(lang, Key::Colon),
            ctx.money(&m.to_string())
        )
    })
    .or_else(|| (q.eligible && q.reship).then(|| format!(" · {}", t(lang, Key::Reship))))
    .unwrap_or_default();
    format!("{verdict}{main}")
}

#[component]
fn Figures(quote: Quote, why: Vec<Why>) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let lang = ctx.lang;
    let q = quote;
    let figure = |key: Key, class: &'static str, amount: aftersale_engine::Money, always: bool| {
        (always || !amount.is_zero()).then(|| {
            view! {
                <dt>{t(lang, key)}</dt>
                <dd class=class data-amount=amount.to_string()>{ctx.money(&amount.to_string())}</dd>
            }
        })
    };
    let is_exchange = ctx.draft.with_untracked(|d| d.kind == Some(Kind::Exchange));
    // A zero refund is worth saying only when nothing else settles the
    // request (a cancellation whose fee takes it all), not beside a
    // reshipment, store credit or compensation.
    let refund_always = q.eligible
        && !is_exchange
        && !q.reship
        && q.store_credit.is_zero()
        && q.compensation.is_zero();
    let figures = view! {
        <dl class="aftersale__figures">
            {figure(Key::Refund, "aftersale__refund", q.refund, refund_always)}
            {figure(Key::Fee, "aftersale__fee", q.fee, false)}
            {figure(Key::StoreCredit, "aftersale__store-credit", q.store_credit, false)}
            {figure(Key::Compensation, "aftersale__compensation", q.compensation, false)}
            {figure(Key::CustomerPays, "aftersale__customer-pays", q.customer_pays, is_exchange && q.eligible && q.refund.is_zero())}
        </dl>
    };
    let shipping = q.eligible.then(|| {
        let text = match (q.return_required, q.return_shipping_paid_by) {
            (true, Some(p)) => format!(
                "{}{}{}",
                t(lang, Key::SendBack),
                t(lang, Key::Colon),
                t(lang, Key::PaidBy(p))
            ),
            (true, None) => t(lang, Key::SendBack).to_owned(),
            (false, _) => t(lang, Key::NothingToSendBack).to_owned(),
        };
        view! {
            {q.reship.then(|| view! { <p class="aftersale__reship">{t(lang, Key::Reship)}</p> })}
            <p class="aftersale__return" data-required=q.return_required.to_string()>{text}</p>
        }
    });
    let deadline = q.deadline.map(|d| {
        let ctx = ctx.clone();
        let key = if q.eligible {
            Key::Until
        } else {
            Key::OpensAfter
        };
        view! {
            <p class="aftersale__deadline" data-deadline=d.to_rfc3339()>
                {t(lang, key)}" "{ctx.instant(d)}
                {q.eligible.then(|| view! {
                    " · "<span class="aftersale__countdown">
                        {move || ctx.time_left(d)}
                    </span>
                })}
            </p>
        }
    });
    // The deciding clause in the customer's words, and for a refusal the
    // engine's reasons (the quote's `explanation` is the engine's English,
    // with UTC instants: it goes to the shop, not on screen).
    let explanation = ctx.explain(q.clauses.first().map_or("", String::as_str), &why);
    let steps = (!q.steps.is_empty()).then(|| {
        let items = q
            .steps
            .iter()
            .map(|s| {
                let words = step_words(lang, &ctx.policy, &s.id, &s.text);
                let news = step_done(&ctx, &s.id);
                let (shown, in_words) = (news.clone(), news.clone());
                // The policy's words say their language; the shop's news is
                // the catalogue's.
                let step_lang = move || in_words().is_none().then(|| words.lang.clone()).flatten();
                let text = words.text;
                let bar = (s.id == "photos").then(|| photos_bar(lang, ctx.uploads));
                view! {
                    <li data-step=s.id.clone() lang=step_lang
                        data-done=move || news().and_then(|(_, done)| done.then_some("true"))>
                        {move || shown().map_or_else(|| text.clone(), |(said, _)| said)}
                        {bar}
                    </li>
                }
            })
            .collect_view();
        view! {
            <h4 class="aftersale__subtitle">{t(lang, Key::NextSteps)}</h4>
            <ol class="aftersale__steps">{items}</ol>
        }
    });
    view! {
        <div class="aftersale__result" data-eligible=q.eligible.to_string()>
            <p class="aftersale__verdict">{t(lang, if q.eligible { Key::Possible } else { Key::NotPossible })}</p>
            {figures}
            {shipping}
            {deadline}
            <p class="aftersale__explanation">{explanation}</p>
            <p class="aftersale__clauses">
                {t(lang, Key::ClauseLabel)}{t(lang, Key::Colon)}<code>{q.clauses.join(", ")}</code>
            </p>
            {steps}
            {(q.eligible && q.return_required && !q.refund.is_zero()).then(|| view! { <RefundDates /> })}
        </div>
    }
}

/// What the shop's receipt of the request did of a step, in words, and
/// whether that finished it: the RMA code it gave (the step of asking
/// support for one), the photos sent after the request (the step of
/// attaching them: done once the shop has every one). `None` while the
/// request is not received.
fn step_done(ctx: &Ctx, step: &str) -> impl Fn() -> Option<(String, bool)> + Clone + use<> {
    let (submission, uploads, lang) = (ctx.submission, ctx.uploads, ctx.lang);
    let step = step.to_owned();
    move || {
        submission.with(|s| match (step.as_str(), s) {
            (
                "rma",
                Submission::Created {
                    rma: Some(code), ..
                },
            ) => Some((t(lang, Key::StepRmaDone).replace("{rma}", code), true)),
            ("photos", Submission::Created { .. }) => uploads.with(|u| photos_text(lang, u)),
            _ => None,
        })
    }
}

/// A bar of the photos' bytes on their way, while they go: the text says
/// how many photos the shop has, the bar how far the one on its way is (a
/// large photo on a slow connection takes minutes). It is drawn once and
/// moved, not drawn again at every step.
pub(super) fn photos_bar(lang: Lang, uploads: RwSignal<Uploads>) -> impl IntoView + use<> {
    let percent = Memo::new(move |_| {
        uploads.with(|u| match u {
            Uploads::Sending {
                retry_in: None,
                percent,
                ..
            } => Some(*percent),
            _ => None,
        })
    });
    let going = Memo::new(move |_| percent.with(Option::is_some));
    move || {
        going.get().then(|| {
            swap(view! {
                <progress class="aftersale__photos-bar" max="100" aria-label=t(lang, Key::PhotosBar)
                    value=move || percent.get().unwrap_or(0)></progress>
            })
        })
    }
}

/// Where the photos of a request received stand, in words, and whether
/// the shop has them all; `None` before any is on its way.
pub(super) fn photos_text(lang: Lang, uploads: &Uploads) -> Option<(String, bool)> {
    match uploads {
        Uploads::None => None,
        Uploads::Sending {
            sent,
            total,
            retry_in,
            ..
        } => {
            let text = match retry_in {
                None => t(lang, Key::StepPhotosSending).to_owned(),
                Some(n) => t(lang, Key::StepPhotosRetrying).replace("{n}", &n.to_string()),
            };
            let text = text
                .replace("{sent}", &sent.to_string())
                .replace("{total}", &total.to_string());
            Some((text, false))
        }
        Uploads::Sent(names) => {
            let done = match names.len() {
                1 => Key::StepPhotoDone,
                _ => Key::StepPhotosDone,
            };
            let names = crate::i18n::list(lang, names.iter().map(String::as_str));
            Some((t(lang, done).replace("{files}", &names), true))
        }
        Uploads::Lost { count } => Some((
            crate::i18n::photo_count(lang, crate::i18n::PhotoCount::Lost(*count)),
            false,
        )),
        Uploads::Refused { name, message } => Some((
            t(lang, Key::StepPhotosRefused)
                .replace("{name}", name)
                .replace("{message}", message),
            false,
        )),
    }
}

/// When the money should arrive, as dates: the policy's refund timeline
/// counted from the day the shop receives the items (today by the widget's
/// clock, in the customer's time zone, unless the customer picks a later
/// day), and what to do when it is late.
#[component]
fn RefundDates() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    ctx.policy.refund_timeline.as_ref()?;
    let lang = ctx.lang;
    let received_on = ctx.received_on;
    let now = ctx.now;
    // A memo: the clock ticks every second, the day once a day.
    let today = Memo::new(move |_| crate::format::local_date(now.get()));
    today.get_untracked()?;
    // Never before today (a day typed past the field's `min`): the field
    // then says the day the dates count from.
    let day = move || received_on.get().max(today.get()).unwrap_or_default();
    let dates = {
        let ctx = ctx.clone();
        move || {
            let tl = refund_timeline(&ctx.policy, day())?;
            let if_late = tl
                .if_late
                .iter()
                .enumerate()
                .map(|(i, text)| {
                    view! { <li>{super::words(late_words(lang, &ctx.policy, i, text))}</li> }
                })
                .collect_view();
            Some(swap(view! {
                <dl class="aftersale__timeline">
                    <dt>{t(lang, Key::ProcessedBy)}</dt>
                    <dd class="aftersale__processed-by" data-date=tl.processed_by.to_string()>{ctx.date(tl.processed_by)}</dd>
                    <dt>{t(lang, Key::CreditedBetween)}</dt>
                    <dd class="aftersale__credited" data-from=tl.credited_from.to_string() data-by=tl.credited_by.to_string()>
                        {ctx.date(tl.credited_from)}" – "{ctx.date(tl.credited_by)}
                    </dd>
                    <dt>{t(lang, Key::IfLateAfter)}" "{ctx.date(tl.late_after)}</dt>
                    <dd><ol class="aftersale__if-late">{if_late}</ol></dd>
                </dl>
            }))
        }
    };
    Some(view! {
        <section class="aftersale__refund-dates">
            <h4 class="aftersale__subtitle">{t(lang, Key::RefundWhen)}</h4>
            <label class="aftersale__field">
                <span>{t(lang, Key::ReceivedOn)}</span>
                <input type="date" class="aftersale__received-on" min=move || today.get().map(|d| d.to_string())
                    prop:value=move || day().to_string()
                    on:change=move |ev| {
                        received_on.set(aftersale_engine::calendar::parse_date(&event_target_value(&ev)));
                    } />
            </label>
            {dates}
        </section>
    })
}
