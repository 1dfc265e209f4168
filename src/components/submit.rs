//! Submitting: the contact email, the submit button, and where the request
//! stands (sending, retrying, received, refused, changed by the shop).

use aftersale_engine::Quote;
use leptos::prelude::*;

use super::Ctx;
use crate::i18n::{Key, t};
use crate::submit::{self, Submission};

fn plausible_email(s: &str) -> bool {
    let s = s.trim();
    let shaped = match s.split_once('@') {
        Some((user, host)) => {
            !user.is_empty() && host.contains('.') && !host.starts_with('.') && !host.ends_with('.')
        }
        None => false,
    };
    shaped && !s.contains(char::is_whitespace)
}

/// Starts sending the current draft, with `accepted` as the quote when the
/// customer accepted the shop's own figures. Does nothing while a request is
/// under way or done: a double click submits once.
fn start(ctx: &Ctx, quote: &Quote, accepted: Option<&str>) {
    let Some(endpoint) = ctx.endpoint.clone() else {
        return;
    };
    let free = matches!(
        ctx.submission.get_untracked(),
        Submission::Idle | Submission::Invalid { .. } | Submission::Changed { .. }
    );
    let email = ctx.email.get_untracked();
    if !free || !plausible_email(&email) {
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
        email: email.trim(),
        locale: &ctx.locale,
    };
    match submit::payload(&draft, accepted) {
        Ok(body) => {
            let pending = submit::Pending {
                key: submit::new_key(),
                endpoint: endpoint.to_string(),
                body,
            };
            submit::send(order.id.clone(), pending, ctx.submission);
        }
        Err(message) => ctx.submission.set(Submission::Invalid { message }),
    }
}

/// The email field and the submit button under an eligible quote.
#[component]
pub fn SubmitForm(
    /// The quote being submitted.
    quote: Quote,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    ctx.endpoint.as_ref()?;
    let lang = ctx.lang;
    let email = ctx.email;
    let busy = {
        let s = ctx.submission;
        move || !matches!(s.get(), Submission::Idle | Submission::Invalid { .. })
    };
    let invalid = move || !plausible_email(&email.get());
    let submit = {
        let ctx = ctx.clone();
        move |_| start(&ctx, &quote, None)
    };
    Some(view! {
        <form class="aftersale__submit" on:submit=|ev| ev.prevent_default()>
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
            <button type="submit" class="aftersale__send" on:click=submit
                disabled=move || busy() || invalid()>
                {t(lang, Key::Submit)}
            </button>
        </form>
    })
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
            Submission::Sending => ("sending", view! { <p>{t(lang, Key::Sending)}</p> }.into_any()),
            Submission::Retrying { in_secs, why } => (
                "retrying",
                view! { <p>{t(lang, Key::RetryingIn)}" "{in_secs}" "{t(lang, Key::Seconds)}" ("{why}")"</p> }.into_any(),
            ),
            Submission::Created { request_id, rma } => (
                "created",
                view! {
                    <p class="aftersale__verdict">{t(lang, Key::Created)}</p>
                    <p>{t(lang, Key::RequestId)}": "<strong class="aftersale__request-id">{request_id}</strong></p>
                    {rma.map(|r| view! { <p>{t(lang, Key::Rma)}": "<strong class="aftersale__rma">{r}</strong></p> })}
                }
                .into_any(),
            ),
            Submission::Refused { clause, explanation } => (
                "refused",
                view! {
                    <p class="aftersale__verdict">{t(lang, Key::RefusedByShop)}</p>
                    <p class="aftersale__explanation">{explanation}</p>
                    <p class="aftersale__clauses"><code>{clause}</code></p>
                }
                .into_any(),
            ),
            Submission::Changed { quote } => {
                let figures = changed_figures(&ctx, &quote);
                let accept = {
                    let ctx = ctx.clone();
                    move |_| {
                        if let Some(Ok(q)) = ctx.quote.get_untracked() {
                            start(&ctx, &q, Some(&quote));
                        }
                    }
                };
                (
                    "changed",
                    view! {
                        <p class="aftersale__verdict">{t(lang, Key::QuoteChanged)}</p>
                        <dl class="aftersale__figures">{figures}</dl>
                        <button type="button" class="aftersale__accept" on:click=accept>{t(lang, Key::AcceptNewQuote)}</button>
                    }
                    .into_any(),
                )
            }
            Submission::Invalid { message } => ("invalid", view! { <p class="aftersale__error">{message}</p> }.into_any()),
        };
        Some(view! { <div class="aftersale__status" role="status" data-state=state>{body}</div> })
    }
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
