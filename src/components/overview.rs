//! The first screen: what is possible now, until when; what no longer is, and why.

use aftersale_engine::capacity::{self, Conflict};
use aftersale_engine::{Availability, OverviewEntry};
use leptos::prelude::*;

use super::Ctx;
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
            {move || {
                // Drawn again when the order's requests change what is offered.
                ctx.holdings.track();
                match ctx.overview.get() {
                    Err(e) => swap(view! { <p class="aftersale__error" role="alert">{e.to_string()}</p> }),
                    Ok(entries) => swap(view! {
                        <ul class="aftersale__options">
                            {entries.into_iter().map(|e| view! { <Entry entry=e /> }).collect_view()}
                        </ul>
                    }),
                }
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
    // Closed, or waiting for an event rather than an instant (a claim
    // window that starts with delivery): the clause, and why. Open until an
    // event rather than an instant (a cancellation until the order ships):
    // its terms say what applies meanwhile.
    let why: &[_] = match availability {
        Availability::Open => &[],
        _ => &entry.why,
    };
    let explained = ctx.explain(clause, why);
    // Not yet open until an instant: what it waits for ("tracking was last
    // updated on …; an order by global standard delivery counts as lost
    // after 25 days …").
    let waits_for = (entry.availability == Availability::NotYet
        && entry.deadline.is_some()
        && !entry.why.is_empty())
    .then(|| view! { <span class="aftersale__option-why">{ctx.reasons(&entry.why)}</span> });
    // Until an instant, said by the clock; otherwise what the clause says.
    let when = {
        let ctx = ctx.clone();
        move || match (availability, deadline) {
            (Availability::Open, Some(d)) => format!(
                "{} · {} {}",
                ctx.time_left(d),
                t(lang, Key::Until),
                ctx.instant(d)
            ),
            (Availability::NotYet, Some(d)) => {
                format!("{} {}", t(lang, Key::OpensAfter), ctx.instant(d))
            }
            _ => String::new(),
        }
    };
    let (kind, reason) = (entry.kind, entry.reason);
    // Open under the policy, but what it would ask for is already asked
    // for: the shop would refuse it, so it is not offered.
    let held = ctx.holdings.get_untracked();
    let taken = (availability == Availability::Open)
        .then(|| {
            ctx.order
                .with_untracked(|o| capacity::conflict(&held, o, kind, reason, &entry.lines))
        })
        .flatten();
    // Open for some lines only: say which are not in it, and start the
    // request with the others.
    let excluded: Vec<String> = ctx.order.with_untracked(|o| {
        o.lines
            .iter()
            .filter(|l| !entry.lines.is_empty() && !entry.lines.contains(&l.id))
            .map(|l| l.title.clone())
            .collect()
    });
    let offered = availability == Availability::Open && taken.is_none();
    let not_for = (offered && !excluded.is_empty()).then(|| {
        view! {
            <span class="aftersale__option-except">
                {format!("{}{}{}", t(lang, Key::NotFor), t(lang, Key::Colon), excluded.join(", "))}
            </span>
        }
    });
    let locked = ctx.locked();
    let open_lines = entry.lines.clone();
    let choose = {
        let ctx = ctx.clone();
        move |_| {
            let draft = ctx
                .order
                .with_untracked(|o| Draft::start(o, kind, reason, &open_lines, &held));
            ctx.draft.set(draft);
        }
    };
    let (state, status) = match (entry.availability, taken) {
        (Availability::Open, Some(_)) => ("requested", t(lang, Key::AlreadyRequested)),
        (Availability::Open, None) => ("open", status),
        (Availability::NotYet, _) => ("not-yet", status),
        (Availability::Closed, _) => ("closed", status),
    };
    let clause_id = taken
        .is_none()
        .then(|| entry.clauses.first().cloned())
        .flatten();
    let when = move || match taken {
        Some(c) => t(lang, taken_text(c)).to_owned(),
        None => when(),
    };
    let said = (taken.is_none() && (deadline.is_none() || availability == Availability::Closed))
        .then_some(explained);
    view! {
        <li class="aftersale__option" data-state=state data-kind=kind.as_str()
            data-reason=reason.map(|r| r.as_str()).unwrap_or("")>
            <span class="aftersale__option-label">{label.clone()}</span>
            <span class="aftersale__option-status">{status}</span>
            <span class="aftersale__option-when">{when}{said}</span>
            {waits_for}
            {not_for}
            <span class="aftersale__option-clause">{clause_id.unwrap_or_default()}</span>
            {offered.then(|| view! {
                <button type="button" class="aftersale__choose" on:click=choose
                    disabled=locked
                    aria-label=format!("{}{}{label}", t(lang, Key::Choose), t(lang, Key::Colon))>
                    {t(lang, Key::Choose)}
                </button>
            })}
        </li>
    }
}

/// Why an option the policy leaves open is not offered: what the order's
/// other requests already ask for (all of its units, when none are left).
fn taken_text(conflict: Conflict) -> Key {
    match conflict {
        Conflict::UnitsTaken => Key::AllUnitsRequested,
        other => crate::i18n::conflict_key(Some(other)),
    }
}
