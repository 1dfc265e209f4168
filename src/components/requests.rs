//! The order's requests the shop already has: what was asked, where it
//! stands, the RMA code to write on the parcel. Shown above the overview
//! when there are any, so a customer who comes back finds them first.

use aftersale_engine::scenario::PastRequest;
use leptos::prelude::*;

use super::Ctx;
use crate::i18n::{Key, action_label, t};
use crate::swap::swap;

/// The list of the order's requests (nothing when there are none).
#[component]
pub fn RequestList() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let lang = ctx.lang;
    move || {
        let requests = ctx.requests.get();
        if requests.is_empty() {
            return swap(());
        }
        let rows = requests.into_iter().map(|r| row(&ctx, r)).collect_view();
        swap(view! {
            <section class="aftersale__requests" aria-labelledby="aftersale-requests-title">
                <h2 id="aftersale-requests-title" class="aftersale__title">
                    {t(lang, Key::YourRequests)}
                </h2>
                <ul class="aftersale__options">{rows}</ul>
            </section>
        })
    }
}

/// The catalogue's word for a status of the reference backend; another
/// backend's status is shown as it is.
fn status_text(ctx: &Ctx, status: &str) -> String {
    let key = match status {
        "requested" => Key::StatusRequested,
        "approved" => Key::StatusApproved,
        "item_received" => Key::StatusItemReceived,
        "refunded" => Key::StatusRefunded,
        "credited" => Key::StatusCredited,
        "reshipped" => Key::StatusReshipped,
        "rejected" => Key::StatusRejected,
        other => return other.replace('_', " "),
    };
    t(ctx.lang, key).to_owned()
}

fn row(ctx: &Ctx, r: PastRequest) -> impl IntoView + use<> {
    let lang = ctx.lang;
    let items = (!r.lines.is_empty()).then(|| {
        view! { <span class="aftersale__option-when aftersale__past-items">{ctx.units(&r.lines)}</span> }
    });
    let received = format!("{} {}", t(lang, Key::ReceivedAt), ctx.instant(r.created_at));
    let rma = r.rma.map(|code| {
        view! {
            <span class="aftersale__option-when">
                {t(lang, Key::Rma)}{t(lang, Key::Colon)}<strong class="aftersale__past-rma">{code}</strong>
            </span>
        }
    });
    view! {
        <li class="aftersale__option aftersale__past" data-id=r.id data-status=r.status.clone()>
            <span class="aftersale__option-label">{action_label(lang, r.kind, r.reason)}</span>
            <span class="aftersale__option-status aftersale__past-status">{status_text(ctx, &r.status)}</span>
            {items}
            <span class="aftersale__option-when">{received}</span>
            {rma}
        </li>
    }
}
