//! Submitting: the contact email, the submit button, and where the request
//! stands (sending, retrying, received, refused, changed by the shop).

use aftersale_engine::capacity::Conflict;
use aftersale_engine::policy::PhotoRule;
use aftersale_engine::{Attachment, AttachmentProblem, Quote, check_attachments, photos_asked};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::Ctx;
use crate::format::file_size;
use crate::i18n::{Key, Lang, PhotoCount, Words, action_label, or_list, photo_count, t};
use crate::submit::{self, Photo, Submission};
use crate::swap::swap;

/// Whether the email typed (spaces around it aside, as it is sent) looks
/// like an address, as the shop's schema reads one.
fn plausible_email(s: &str) -> bool {
    aftersale_engine::contact::plausible_email(s.trim())
}

/// Starts sending the current draft, with `accepted` as the quote when the
/// customer accepted the shop's own figures. Does nothing while a request is
/// under way or done (a double click submits once), nor for a request the
/// shop refused; the shop's changed figures are sent once accepted.
fn start(ctx: &Ctx, quote: &Quote, accepted: Option<&str>) {
    let Some(endpoint) = ctx.endpoint.clone() else {
        return;
    };
    let free = ctx.submission.with_untracked(|s| {
        s.may_send() || (accepted.is_some() && matches!(s, Submission::Changed { .. }))
    });
    let email = ctx.email.get_untracked();
    if !free || !plausible_email(&email) {
        return;
    }
    let photos = photos_for(ctx, quote, false).unwrap_or_default();
    let attachments: Vec<Attachment> = photos.iter().map(|p| p.meta.clone()).collect();
    if accepted.is_none() && check_attachments(&ctx.policy, quote, &attachments).is_err() {
        return;
    }
    let order = ctx.order.get_untracked();
    let Some(request) =
        ctx.draft
            .get_untracked()
            .request(&ctx.policy, &order, &ctx.exchange_options)
    else {
        return;
    };
    let draft = submit::Draft {
        order_id: &order.id,
        policy: (&ctx.policy.id, &ctx.policy.version),
        request: &request,
        quote,
        attachments: &attachments,
        email: email.trim(),
        locale: &ctx.locale,
        submitted_at: ctx.now.get_untracked(),
    };
    match submit::payload(&draft, accepted) {
        Ok(body) => {
            let pending = submit::Pending {
                key: submit::new_key(),
                endpoint: endpoint.to_string(),
                body,
            };
            let progress = submit::Progress {
                state: ctx.submission,
                requests: ctx.requests,
                now: ctx.now,
                uploads: ctx.uploads,
            };
            submit::send(order.id.clone(), pending, photos, progress);
        }
        Err(message) => ctx.submission.set(Submission::Invalid { message }),
    }
}

/// The policy's image types by the names customers know them by, as
/// alternatives: "JPEG, PNG, WebP, or HEIC".
fn photo_types(lang: Lang, types: &[String]) -> String {
    or_list(
        lang,
        types.iter().map(|t| match t.as_str() {
            "image/jpeg" => "JPEG",
            "image/png" => "PNG",
            "image/webp" => "WebP",
            "image/heic" => "HEIC",
            other => other,
        }),
    )
}

/// The problem with the photos picked, in the customer's language.
fn photo_problem(ctx: &Ctx, problem: &AttachmentProblem) -> String {
    let lang = ctx.lang;
    let size = |bytes: u64| file_size(&ctx.intl, bytes);
    match problem {
        AttachmentProblem::TooFew { min } => photo_count(lang, PhotoCount::TooFew(*min)),
        AttachmentProblem::TooMany { max } => photo_count(lang, PhotoCount::TooMany(*max)),
        AttachmentProblem::Type { name, .. } => t(lang, Key::PhotoType)
            .replace("{name}", name)
            .replace("{types}", &photo_types(lang, &ctx.policy.photos.types)),
        AttachmentProblem::TooLarge {
            name, max_bytes, ..
        } => t(lang, Key::PhotoTooLarge)
            .replace("{name}", name)
            .replace("{size}", &size(*max_bytes)),
        AttachmentProblem::NotAsked => t(lang, Key::PhotoNotAsked).to_owned(),
    }
}

/// The photo picker, when the quote's steps ask for photos: the files are
/// checked in the browser (count, type by their first bytes, size) against
/// the policy's rule.
/// Each pick adds to the photos (a phone's camera gives one at a time);
/// each photo can be removed on its own. `reading` counts the picks whose
/// files are still being read (the picker is `aria-busy` meanwhile).
#[component]
fn PhotoPicker(rule: PhotoRule, reading: RwSignal<usize>) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let lang = ctx.lang;
    let attachments = ctx.attachments;
    let wanted = PhotoCount::Wanted {
        min: rule.min,
        max: rule.max,
    };
    let hint = t(lang, Key::PhotosHint)
        .replace("{wanted}", &photo_count(lang, wanted))
        .replace("{types}", &photo_types(lang, &rule.types))
        .replace("{size}", &file_size(&ctx.intl, rule.max_bytes));
    // Files picked or dropped: read (their first bytes) and added.
    let add = move |list: Option<web_sys::FileList>| {
        let files: Vec<web_sys::File> = list
            .map(|l| (0..l.length()).filter_map(|i| l.item(i)).collect())
            .unwrap_or_default();
        if files.is_empty() {
            return;
        }
        reading.update(|n| *n += 1);
        leptos::task::spawn_local(async move {
            let mut read = Vec::with_capacity(files.len());
            for file in files {
                read.push(Photo::read(file).await);
            }
            let _ = attachments.try_update(|picked| {
                for photo in read {
                    // The same file picked twice is one photo.
                    if !picked.iter().any(|p| p.meta == photo.meta) {
                        picked.push(photo);
                    }
                }
            });
            let _ = reading.try_update(|n| *n -= 1);
        });
    };
    let on_change = move |ev: leptos::ev::Event| {
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        add(input.files());
        // Empty again, so a photo removed can be picked again.
        input.set_value("");
    };
    // Photos dragged onto the box are added as if picked, and a file
    // dropped a little off the button does not make the browser leave the
    // page for it (and the request being made with it).
    let dragging = RwSignal::new(false);
    let locked = ctx.locked();
    let on_drag = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        if let Some(dt) = ev.data_transfer() {
            dt.set_drop_effect(if locked() { "none" } else { "copy" });
        }
        // (`dragover` comes again and again while they hover.)
        let over = ev.type_() == "dragover";
        if dragging.get_untracked() != over {
            dragging.set(over);
        }
    };
    let on_drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        dragging.set(false);
        if !locked() {
            add(ev.data_transfer().and_then(|dt| dt.files()));
        }
    };
    // A removed photo's button goes with it: the focus moves to the picker.
    let input_ref = NodeRef::<leptos::html::Input>::new();
    let remove = move |i: usize| {
        attachments.update(|p| {
            if i < p.len() {
                p.remove(i);
            }
        });
        if let Some(input) = input_ref.get_untracked() {
            let _ = input.focus();
        }
    };
    let list = {
        let ctx = ctx.clone();
        move || {
            swap(
                attachments
                    .get()
                    .into_iter()
                    .enumerate()
                    .map(|(i, Photo { meta: a, .. })| {
                        let label = t(lang, Key::PhotoRemove).replace("{name}", &a.name);
                        view! {
                            <li>
                                {a.name}" · "{file_size(&ctx.intl, a.size)}" "
                                <button type="button" class="aftersale__remove" aria-label=label
                                    on:click=move |_| remove(i)>
                                    {t(lang, Key::Remove)}
                                </button>
                            </li>
                        }
                    })
                    .collect_view(),
            )
        }
    };
    view! {
        <fieldset class="aftersale__photos" aria-busy=move || (reading.get() > 0).then_some("true")
            data-dragging=move || dragging.get().then_some("") on:dragover=on_drag
            on:dragleave=on_drag on:drop=on_drop>
            <legend>{t(lang, Key::Photos)}</legend>
            <p id="aftersale-photos-hint" class="aftersale__hint">{hint}</p>
            // The browser's own picker says "No file chosen" beside the
            // photos just added (it is emptied after each pick): a button
            // of the widget's instead, with the picker inside, out of sight
            // but in the tab order.
            <label class="aftersale__add-photos">
                <input type="file" class="aftersale__photo-input" multiple
                    accept=rule.types.join(",") aria-describedby="aftersale-photos-hint"
                    on:change=on_change node_ref=input_ref />
                {t(lang, Key::AddPhotos)}
            </label>
            <ul class="aftersale__photo-list">{list}</ul>
        </fieldset>
    }
}

/// The photos, email and review button under an eligible quote; then the
/// review of the whole request with the button that sends it. `rule` is the
/// photo rule the quote's steps ask for (None: no photos); everything else
/// follows the current quote.
#[component]
pub fn SubmitForm(
    /// The photos asked for, if any.
    rule: Option<PhotoRule>,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    ctx.endpoint.as_ref()?;
    let lang = ctx.lang;
    let email = ctx.email;
    let reviewing = ctx.reviewing;
    let assessment = ctx.assessment;
    let current = move || assessment.get().and_then(Result::ok).map(|a| a.quote);
    let blocked = ctx.blocked();
    let invalid = move || !plausible_email(&email.get());
    let problem = {
        let ctx = ctx.clone();
        move || {
            let quote = current()?;
            let files: Vec<Attachment> = photos_for(&ctx, &quote, true)
                .unwrap_or_default()
                .into_iter()
                .map(|p| p.meta)
                .collect();
            check_attachments(&ctx.policy, &quote, &files)
                .err()
                .map(|p| photo_problem(&ctx, &p))
        }
    };
    let photos_problem = problem.clone();
    // Photos just picked are read before the request can be reviewed.
    let reading = RwSignal::new(0usize);
    let review_button = NodeRef::<leptos::html::Button>::new();
    let review = move |_| reviewing.set(true);
    let submit = {
        let ctx = ctx.clone();
        move |_| {
            if let Some(Ok(a)) = assessment.get_untracked() {
                start(&ctx, &a.quote, None);
            }
        }
    };
    let form = view! {
        <form class="aftersale__submit" on:submit=|ev| ev.prevent_default()>
            {rule.map(|rule| view! { <PhotoPicker rule=rule reading=reading /> })}
            <p class="aftersale__photo-problem" role="alert">{move || photos_problem()}</p>
            <label class="aftersale__field">
                <span>{t(lang, Key::Email)}</span>
                <input type="email" class="aftersale__email" autocomplete="email" required
                    aria-describedby="aftersale-email-hint"
                    prop:value=move || email.get()
                    on:input=move |ev| email.set(event_target_value(&ev)) />
            </label>
            <p id="aftersale-email-hint" class="aftersale__hint" hidden=move || !invalid() || email.get().is_empty()>
                {t(lang, Key::InvalidEmail)}
            </p>
            <button type="submit" class="aftersale__review" on:click=review node_ref=review_button
                disabled={
                    let problem = problem.clone();
                    move || blocked() || invalid() || reading.get() > 0 || problem().is_some()
                }>
                {t(lang, Key::Review)}
            </button>
        </form>
    };
    let panel = {
        let ctx = ctx.clone();
        move || {
            let quote = current().filter(|_| reviewing.get())?;
            Some(swap(review_panel(
                &ctx,
                &quote,
                submit.clone(),
                review_button,
            )))
        }
    };
    Some(view! {
        <div hidden=move || reviewing.get()>{form}</div>
        {panel}
    })
}

/// The photos that go with a request under `quote`: those picked, when its
/// steps ask for photos; `None` when they do not (nothing is attached then,
/// whatever was picked for another request). `tracked` reads them reactively.
fn photos_for(ctx: &Ctx, quote: &Quote, tracked: bool) -> Option<Vec<Photo>> {
    photos_asked(&ctx.policy, quote).map(|_| {
        if tracked {
            ctx.attachments.get()
        } else {
            ctx.attachments.get_untracked()
        }
    })
}

/// The whole request as it will be sent, with the button that sends it.
fn review_panel<S>(
    ctx: &Ctx,
    quote: &Quote,
    submit: S,
    back_to: NodeRef<leptos::html::Button>,
) -> impl IntoView + use<S>
where
    S: Fn(leptos::ev::MouseEvent) + Clone + 'static,
{
    let (locked, blocked) = (ctx.locked(), ctx.blocked());
    let submission = ctx.submission;
    let received = move || submission.with(|s| matches!(s, Submission::Created { .. }));
    let lang = ctx.lang;
    let order = ctx.order.get_untracked();
    let draft = ctx.draft.get_untracked();
    let request = draft.request(&ctx.policy, &order, &ctx.exchange_options);
    let action = draft.kind.map(|k| action_label(lang, k, draft.reason));
    let items = request.as_ref().map(|r| ctx.units(&r.lines));
    let resolution = request
        .as_ref()
        .and_then(|r| r.resolution)
        .map(|r| t(lang, Key::Resolution(r)));
    let exchange = request
        .as_ref()
        .and_then(|r| r.exchange_for.as_ref())
        .map(|e| format!("{} × {}", e.quantity, e.title));
    let photos = photos_for(ctx, quote, false)
        .map(|files| crate::i18n::list(lang, files.into_iter().map(|p| p.meta.name)));
    let row = |label: &'static str, value: Option<String>| {
        value
            .filter(|v| !v.is_empty())
            .map(|v| view! { <dt>{label}</dt><dd>{v}</dd> })
    };
    // The focus follows: to the review's title when it opens (keyboard and
    // screen reader users land on it), back to the review button after.
    let title = NodeRef::<leptos::html::H4>::new();
    Effect::new(move |_| {
        if let Some(el) = title.get() {
            let _ = el.focus();
        }
    });
    let edit = {
        let reviewing = ctx.reviewing;
        move |_| {
            reviewing.set(false);
            if let Some(b) = back_to.get_untracked() {
                let _ = b.focus();
            }
        }
    };
    view! {
        <section class="aftersale__review-panel" aria-labelledby="aftersale-review-title">
            <h4 id="aftersale-review-title" class="aftersale__subtitle aftersale__review-title" tabindex="-1" node_ref=title>
                {move || t(lang, if received() { Key::ReviewSentTitle } else { Key::ReviewTitle })}
            </h4>
            <dl class="aftersale__review-list">
                {row(t(lang, Key::Request), action)}
                {row(t(lang, Key::Items), items)}
                {row(t(lang, Key::ResolutionLegend), resolution.map(str::to_owned))}
                {row(t(lang, Key::ExchangeFor), exchange)}
                {row(t(lang, Key::Photos), photos)}
                {row(t(lang, Key::Email2), Some(ctx.email.get_untracked().trim().to_owned()))}
            </dl>
            <p class="aftersale__review-figures">{super::quote::summary(ctx, quote, &[])}</p>
            <div class="aftersale__actions" hidden=received>
                <button type="button" class="aftersale__edit" on:click=edit disabled=locked>
                    {t(lang, Key::Change)}
                </button>
                <button type="button" class="aftersale__send" on:click=submit disabled=blocked>
                    {t(lang, Key::Submit)}
                </button>
            </div>
        </section>
    }
}

/// Where the submitted request stands.
#[component]
pub fn SubmitStatus() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let lang = ctx.lang;
    move || {
        let ctx = ctx.clone();
        let (state, body) = match ctx.submission.get() {
            Submission::Idle => return None,
            Submission::Sending => (
                "sending",
                swap(view! { {pending(&ctx)}<p>{t(lang, Key::Sending)}</p> }),
            ),
            Submission::Retrying { in_secs, why, kept } => {
                let key = if kept {
                    Key::RetryingIn
                } else {
                    Key::RetryingNotKept
                };
                let text = t(lang, key).replace("{n}", &in_secs.to_string());
                let stop = {
                    let ctx = ctx.clone();
                    move |ev: leptos::ev::MouseEvent| {
                        let order_id = ctx.order.with_untracked(|o| o.id.clone());
                        submit::stop(&order_id, ctx.submission);
                        // Where the customer goes on: the send button again
                        // (a request resumed after a reload has none), else
                        // the overview.
                        super::focus_after(
                            &ev,
                            &[
                                ".aftersale__send:not([disabled])",
                                "#aftersale-overview-title",
                            ],
                        );
                    }
                };
                // What failed is for the shop's developers, not the customer.
                (
                    "retrying",
                    swap(view! {
                        {pending(&ctx)}
                        <p data-why=why>{text}</p>
                        <button type="button" class="aftersale__stop" on:click=stop>{t(lang, Key::StopSending)}</button>
                    }),
                )
            }
            Submission::Created { request_id, rma } => {
                let again = {
                    let ctx = ctx.clone();
                    move |ev: leptos::ev::MouseEvent| {
                        ctx.start_over();
                        // The button goes with the confirmation: the focus
                        // moves to the overview the next request starts from.
                        super::focus_after(&ev, &["#aftersale-overview-title"]);
                    }
                };
                // Where the photos of a request sent again after a reload
                // stand: no steps show it then.
                // (Its words, not every step of the bytes, redraw it.)
                let (uploads, draft) = (ctx.uploads, ctx.draft);
                let said = Memo::new(move |_| {
                    uploads.with(|u| {
                        let lost = matches!(
                            u,
                            submit::Uploads::Lost { .. } | submit::Uploads::Refused { .. }
                        );
                        super::quote::photos_text(lang, u).map(|(text, _)| (text, lost))
                    })
                });
                let photos = move || {
                    if draft.with(|d| d.kind.is_some()) {
                        return None;
                    }
                    Some(match said.get()? {
                        (text, true) => swap(
                            view! { <p class="aftersale__photos-lost" role="alert">{text}</p> },
                        ),
                        (text, false) => swap(view! {
                            <p class="aftersale__photos-progress" role="status">{text}</p>
                            {super::quote::photos_bar(lang, uploads)}
                        }),
                    })
                };
                (
                    "created",
                    swap(view! {
                        <p class="aftersale__verdict">{t(lang, Key::Created)}</p>
                        {photos}
                        <p>{t(lang, Key::RequestId)}{t(lang, Key::Colon)}<strong class="aftersale__request-id">{request_id}</strong></p>
                        {rma.map(|r| view! { <p>{t(lang, Key::Rma)}{t(lang, Key::Colon)}<strong class="aftersale__rma">{r}</strong></p> })}
                        <button type="button" class="aftersale__again" on:click=again>{t(lang, Key::StartAnother)}</button>
                    }),
                )
            }
            Submission::Refused {
                clause,
                explanation,
                conflict,
            } => {
                let said = refusal(&ctx, &clause, conflict.as_deref())
                    .unwrap_or_else(|| Words::translated(&explanation));
                (
                    "refused",
                    swap(view! {
                        <p class="aftersale__verdict">{t(lang, Key::RefusedByShop)}</p>
                        <p class="aftersale__explanation" data-why=explanation>{super::words(said)}</p>
                        <p class="aftersale__clauses"><code>{clause}</code></p>
                    }),
                )
            }
            Submission::Changed { quote } => {
                let figures = changed_figures(&ctx, &quote);
                let accept = {
                    let ctx = ctx.clone();
                    move |_| {
                        if let Some(Ok(a)) = ctx.assessment.get_untracked() {
                            start(&ctx, &a.quote, Some(&quote));
                        }
                    }
                };
                (
                    "changed",
                    swap(view! {
                        <p class="aftersale__verdict">{t(lang, Key::QuoteChanged)}</p>
                        <dl class="aftersale__figures">{figures}</dl>
                        <button type="button" class="aftersale__accept" on:click=accept>{t(lang, Key::AcceptNewQuote)}</button>
                    }),
                )
            }
            Submission::Invalid { message } => (
                "invalid",
                swap(view! {
                    <p class="aftersale__verdict">{t(lang, Key::NotTaken)}</p>
                    <p class="aftersale__error">{message}</p>
                }),
            ),
        };
        Some(swap(
            view! { <div class="aftersale__status" role="status" data-state=state>{body}</div> },
        ))
    }
}

/// Names the request on its way when nothing else on the page does: it was
/// sent before a reload, and no request is being edited.
fn pending(ctx: &Ctx) -> Option<impl IntoView + use<>> {
    if ctx.draft.with_untracked(|d| d.kind.is_some()) {
        return None;
    }
    let order_id = ctx.order.with_untracked(|o| o.id.clone());
    let (kind, reason) = submit::load(&order_id)?.action()?;
    let lang = ctx.lang;
    Some(view! {
        <p class="aftersale__pending">
            {t(lang, Key::PendingRequest)}{t(lang, Key::Colon)}<strong>{action_label(lang, kind, reason)}</strong>
        </p>
    })
}

/// A refusal in the customer's language: a conflict with the order's other
/// open requests by its code; a policy clause by its text where the backend's
/// explanation is not in that language. `None`: the backend's words.
fn refusal(ctx: &Ctx, clause: &str, conflict: Option<&str>) -> Option<Words> {
    if clause == "server.already_requested" {
        let conflict = conflict.and_then(Conflict::parse);
        return Some(Words::translated(t(
            ctx.lang,
            crate::i18n::conflict_key(conflict),
        )));
    }
    // The engine explains in English, as the widget's own quote would.
    if ctx.lang == crate::i18n::Lang::En {
        return None;
    }
    Some(ctx.clause_text(clause)).filter(|w| !w.text.is_empty())
}

/// The non-zero money figures of the shop's quote.
fn changed_figures(ctx: &Ctx, quote: &str) -> impl IntoView + use<> {
    let lang = ctx.lang;
    let value = js_sys::JSON::parse(quote).unwrap_or(wasm_bindgen::JsValue::NULL);
    [
        ("refund", Key::Refund),
        ("fee", Key::Fee),
        ("store_credit", Key::StoreCredit),
        ("compensation", Key::Compensation),
        ("customer_pays", Key::CustomerPays),
    ]
    .into_iter()
    .filter_map(|(field, key)| {
        let amount = js_sys::Reflect::get(&value, &field.into())
            .ok()?
            .as_string()?;
        (!amount.trim_start_matches(['0', '.']).is_empty()).then(|| {
            view! {
                <dt>{t(lang, key)}</dt>
                <dd data-field=field data-amount=amount.clone()>{ctx.money(&amount)}</dd>
            }
        })
    })
    .collect_view()
}
