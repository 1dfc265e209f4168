//! Editing the request: reason, items and quantities, the condition
//! questions, the resolution, the exchange item. It only edits the draft.

use aftersale_engine::capacity;
use aftersale_engine::{Availability, Kind};
use leptos::html::Input;
use leptos::prelude::*;

use super::Ctx;
use crate::i18n::{Key, action_label, t};
use crate::state::typed_quantity;
use crate::swap::swap;

/// The request editor, shown once the customer chose an action.
#[component]
pub fn Editor() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    // Rebuilt only when the action changes; the controls follow the draft.
    let draft_signal = ctx.draft;
    let action = Memo::new(move |_| draft_signal.with(|d| (d.kind, d.reason)));
    move || {
        let ctx = ctx.clone();
        let (kind, reason) = action.get();
        let kind = kind?;
        let draft = ctx.draft.get_untracked();
        let lang = ctx.lang;
        let about_units = kind.names_units(reason);
        let reasons: Vec<_> = ctx
            .overview
            .get_untracked()
            .map(|entries| {
                entries
                    .into_iter()
                    .filter(|e| e.kind == kind && e.availability == Availability::Open)
                    .map(|e| e.reason)
                    .collect()
            })
            .unwrap_or_default();
        let questions = ctx.policy.condition_questions(kind, reason);
        let resolutions = ctx.policy.resolutions_for(kind, reason).to_vec();
        let draft_sig = ctx.draft;

        let reason_select = (reasons.len() > 1).then(|| {
            let options = reasons
                .iter()
                .map(|r| {
                    let value = r.map(|r| r.as_str()).unwrap_or("");
                    view! { <option value=value selected=*r == reason>{t(lang, Key::Reason(*r))}</option> }
                })
                .collect_view();
            let choices = reasons.clone();
            view! {
                <label class="aftersale__field">
                    <span>{t(lang, Key::Why)}</span>
                    <select class="aftersale__reason" on:change=move |ev| {
                        let value = event_target_value(&ev);
                        let picked = choices.iter().copied().find(|r| r.map(|r| r.as_str()).unwrap_or("") == value);
                        if let Some(picked) = picked {
                            draft_sig.update(|d| { d.reason = picked; d.resolution = None; });
                        }
                    }>{options}</select>
                </label>
            }
        });

        let lines = about_units.then(|| {
            let order = ctx.order.get_untracked();
            let held = ctx.holdings.get_untracked();
            let rows = order
                .lines
                .iter()
                .enumerate()
                .map(|(i, line)| {
                    let id = format!("aftersale-qty-{}", line.id);
                    let field = NodeRef::<Input>::new();
                    let units = move || draft_sig.with(|d| d.quantities.get(i).copied().unwrap_or(0));
                    // What the order's other requests hold is not offered again.
                    let max = capacity::left(&held, &line.id, line.quantity);
                    let in_requests = line.quantity - max;
                    let hint_id = format!("aftersale-held-{}", line.id);
                    let hint = (in_requests > 0).then(|| {
                        let text =
                            t(lang, Key::UnitsInYourRequests).replace("{n}", &in_requests.to_string());
                        view! { <span id=hint_id.clone() class="aftersale__line-held">{text}</span> }
                    });
                    view! {
                        <li class="aftersale__line">
                            <label for=id.clone()>{line.title.clone()}" · "{ctx.money(&line.unit_price.to_string())}</label>
                            {hint}
                            <input id=id type="number" min="0" max=max.to_string() step="1"
                                class="aftersale__qty" data-line=line.id.clone()
                                disabled=max == 0
                                aria-describedby=(in_requests > 0).then_some(hint_id)
                                node_ref=field value=untrack(units).to_string()
                                prop:value=move || shown(field, units(), |v| typed_quantity(v, max))
                                on:input=move |ev| {
                                    let input = event_target::<web_sys::HtmlInputElement>(&ev);
                                    let typed = input.value();
                                    let q = typed_quantity(&typed, max);
                                    // The field says what the figures count ("2" for
                                    // "3" where 2 is the most), even where that is
                                    // already the request's.
                                    if !typed.is_empty() && typed != q.to_string() {
                                        input.set_value(&q.to_string());
                                    }
                                    draft_sig.update(|d| if let Some(slot) = d.quantities.get_mut(i) { *slot = q });
                                } />
                        </li>
                    }
                })
                .collect_view();
            view! {
                <fieldset class="aftersale__fieldset">
                    <legend>{t(lang, Key::Items)}</legend>
                    <ul class="aftersale__lines">{rows}</ul>
                </fieldset>
            }
        });

        let condition = (!questions.is_empty()).then(|| {
            let boxes = questions
                .iter()
                .map(|q| {
                    let q = *q;
                    view! {
                        <label class="aftersale__check">
                            <input type="checkbox" class="aftersale__condition"
                                prop:checked=move || draft_sig.with(|d| d.answered(q))
                                on:change=move |ev| {
                                    let yes = event_target_checked(&ev);
                                    draft_sig.update(|d| d.answer(q, yes));
                                } />
                            {t(lang, Key::Question(q))}
                        </label>
                    }
                })
                .collect_view();
            view! {
                <fieldset class="aftersale__fieldset">
                    <legend>{t(lang, Key::ConditionLegend)}</legend>
                    {boxes}
                </fieldset>
            }
        });

        let resolution = (resolutions.len() > 1).then(|| {
            let default = resolutions[0];
            let radios = resolutions
                .iter()
                .map(|r| {
                    let r = *r;
                    view! {
                        <label class="aftersale__check">
                            <input type="radio" name="aftersale-resolution" class="aftersale__resolution"
                                value=r.as_str() prop:checked=move || draft_sig.with(|d| d.resolution.unwrap_or(default) == r)
                                on:change=move |_| draft_sig.update(|d| d.resolution = Some(r)) />
                            {t(lang, Key::Resolution(r))}
                        </label>
                    }
                })
                .collect_view();
            view! {
                <fieldset class="aftersale__fieldset">
                    <legend>{t(lang, Key::ResolutionLegend)}</legend>
                    {radios}
                </fieldset>
            }
        });

        let exchange = (kind == Kind::Exchange).then(|| {
            let options = ctx.exchange_options.clone();
            let items = options
                .iter()
                .enumerate()
                .map(|(i, o)| {
                    let text = format!(
                        "{} · {} · {} {}",
                        o.title,
                        ctx.money(&o.unit_price.to_string()),
                        o.stock,
                        t(lang, Key::InStock)
                    );
                    view! { <option value=i.to_string() selected=draft.exchange == Some(i)>{text}</option> }
                })
                .collect_view();
            let wanted = NodeRef::<Input>::new();
            let units = move || draft_sig.with(|d| d.exchange_units());
            view! {
                <fieldset class="aftersale__fieldset">
                    <legend>{t(lang, Key::ExchangeFor)}</legend>
                    <label class="aftersale__field">
                        <span>{t(lang, Key::NewItem)}</span>
                        <select class="aftersale__exchange" on:change=move |ev| {
                            let i = event_target_value(&ev).parse::<usize>().ok();
                            draft_sig.update(|d| d.exchange = i);
                        }>
                            <option value="" selected=draft.exchange.is_none()>{t(lang, Key::ExchangeNone)}</option>
                            {items}
                        </select>
                    </label>
                    <label class="aftersale__field">
                        <span>{t(lang, Key::Quantity)}</span>
                        <input type="number" min="1" step="1" class="aftersale__exchange-qty"
                            node_ref=wanted value=untrack(units).to_string()
                            prop:value=move || shown(wanted, units(), |v| typed_quantity(v, u32::MAX).max(1))
                            on:input=move |ev| {
                                let q = typed_quantity(&event_target_value(&ev), u32::MAX).max(1);
                                draft_sig.update(|d| d.exchange_quantity = Some(q));
                            } />
                    </label>
                </fieldset>
            }
        });

        let title = action_label(lang, kind, reason);
        // A request sent is what the shop got: its controls stay as they were.
        let locked = ctx.locked();
        Some(swap(view! {
            <section class="aftersale__editor" data-kind=kind.as_str()>
                <h3 class="aftersale__subtitle">{title}</h3>
                // A quantity field left empty counts its least (its `min`):
                // it says so. (Its other fields are never empty.)
                <fieldset class="aftersale__controls" disabled=locked on:change=|ev| {
                    if let Some(f) = ev.target().and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlInputElement>(t).ok())
                        && f.value().is_empty()
                    {
                        f.set_value(&f.get_attribute("min").unwrap_or_default());
                    }
                }>
                    {reason_select}
                    {lines}
                    {condition}
                    {resolution}
                    {exchange}
                </fieldset>
            </section>
        }))
    }
}

/// What a quantity field shows for `units`: what it holds if that reads
/// as `units` (a field the customer emptied to type another number stays
/// empty, rather than showing 0 under the cursor), else `units`. (The
/// field starts with its number as its `value` attribute.)
fn shown(field: NodeRef<Input>, units: u32, read: impl Fn(&str) -> u32) -> String {
    match field.get_untracked() {
        Some(input) if read(&input.value()) == units => input.value(),
        _ => units.to_string(),
    }
}
