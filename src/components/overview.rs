//! The first screen: what is possible now, until when; what no longer is, and why.

use aftersale_engine::{Availability, OverviewEntry};
use leptos::prelude::*;

use super::Ctx;
use crate::format::countdown;
use crate::i18n::{Key, action_label, t};
use crate::state::Draft;
use crate::swap::swap;

/// The overview of the order.
#[component]
pub fn OverviewList() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let lang = ctx.lang;
    view! {
        <section class="aftersale__overview" aria-labelledby="aftersale-overview-title">
            <h2 id="aftersale-overview-title" class="aftersale__title" tabindex="-1">
                {t(lang, Key::WhatYouCanDo)}
            </h2>
            {move || match ctx.overview.get() {
                Err(e) => swap(view! { <p class="aftersale__error" role="alert">{e.to_string()}</p> }),
                Ok(entries) => swap(view! {
                    <ul class="aftersale__options">
                        {entries.into_iter().map(|e| view! { <Entry entry=e /> }).collect_view()}
                    </ul>
                }),
            }}
        </section>
    }
}

#[component]
fn Entry(entry: OverviewEntry) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let lang = ctx.lang;
    let label = action_label(lang, entry.kind, entry.reason);
    let status = t(lang, Key::Availability(entry.availability));
    let (availability, deadline) = (entry.availability, entry.deadline);
    let clause = entry.clauses.first().map_or("", String::as_str);
    let closed_by = ctx.explain(clause, &entry.why);
    // Open until an event rather than an instant (a cancellation until the
    // order ships): its terms say what applies meanwhile.
    let terms = ctx.clause_text(clause);
    let when = {
        let ctx = ctx.clone();
        move || match (availability, deadline) {
            (Availability::Open, Some(d)) => format!(
                "{} {} · {} {}",
                countdown(lang, ctx.now.get(), d),
                t(lang, Key::TimeLeft),
                t(lang, Key::Until),
                ctx.instant(d)
            ),
            (Availability::NotYet, Some(d)) => {
                format!("{} {}", t(lang, Key::OpensAfter), ctx.instant(d))
            }
            (Availability::NotYet, None) => String::new(),
            (Availability::Open, None) => terms.clone(),
            (Availability::Closed, _) => closed_by.clone(),
        }
    };
    let (kind, reason) = (entry.kind, entry.reason);
    // Open for some lines only: say which are not in it, and start the
    // request with the others.
    let excluded: Vec<String> = ctx.order.with_untracked(|o| {
        o.lines
            .iter()
            .filter(|l| !entry.lines.is_empty() && !entry.lines.contains(&l.id))
            .map(|l| l.title.clone())
            .collect()
    });
    let not_for = (entry.availability == Availability::Open && !excluded.is_empty()).then(|| {
        view! {
            <span class="aftersale__option-except">
                {format!("{}: {}", t(lang, Key::NotFor), excluded.join(", "))}
            </span>
        }
    });
    let locked = ctx.locked();
    let open_lines = entry.lines.clone();
    let choose = move |_| {
        ctx.draft.set(
            ctx.order
                .with_untracked(|o| Draft::start(o, kind, reason, &open_lines)),
        );
    };
    let state = match entry.availability {
        Availability::Open => "open",
        Availability::NotYet => "not-yet",
        Availability::Closed => "closed",
    };
    view! {
        <li class="aftersale__option" data-state=state data-kind=kind.as_str()
            data-reason=reason.map(|r| r.as_str()).unwrap_or("")>
            <span class="aftersale__option-label">{label.clone()}</span>
            <span class="aftersale__option-status">{status}</span>
            <span class="aftersale__option-when">{when}</span>
            {not_for}
            <span class="aftersale__option-clause">{entry.clauses.first().cloned().unwrap_or_default()}</span>
            {(entry.availability == Availability::Open).then(|| view! {
                <button type="button" class="aftersale__choose" on:click=choose
                    disabled=locked
                    aria-label=format!("{}: {label}", t(lang, Key::Choose))>
                    {t(lang, Key::Choose)}
                </button>
            })}
        </li>
    }
}
