//! Know before you buy: the terms an order of some items would have if it
//! were placed now. Computed by quoting hypothetical orders with the same
//! engine, so the product page and the order page can never disagree.

use chrono::{DateTime, TimeDelta, Utc};
use serde::Serialize;

use crate::money::Amount;
use crate::overview::{Availability, OverviewEntry, overview, probe};
use crate::policy::{Condition, Effect, Party, Policy, Span, Window};
use crate::quote::{Quote, quote};
use crate::rules::add_span;
use crate::scenario::{
    InputError, Kind, Order, OrderLine, Request, RequestLine, Scenario, ShipFrom,
};

/// One stretch of time with the same cancellation terms.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CancellationPhase {
    /// The last instant of these terms; `None` for the last phase.
    pub until: Option<DateTime<Utc>>,
    /// True for the phase that starts once the order ships.
    pub after_shipment: bool,
    /// What a cancellation of the whole order gets in this phase.
    pub quote: Quote,
}

/// The terms of a would-be order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Terms {
    /// The cancellation schedule: before shipment phase by phase, then once shipped.
    pub cancellation: Vec<CancellationPhase>,
    /// Other options only an order not yet shipped has: open right after
    /// ordering and not after delivery (HTVRont's exchange, "before it is
    /// sent"). Without them the after-delivery list would call such an
    /// option "not offered" and say nothing of when it is.
    pub before_shipment: Vec<OverviewEntry>,
    /// What opens while the order is on its way if the shop or the carrier
    /// is slow (HTVRont's "not shipped in time" and "parcel never
    /// arrived"): the order has neither right after ordering nor after
    /// delivery, so the after-delivery list leaves them out rather than
    /// call them "not offered".
    pub in_transit: Vec<InTransit>,
    /// What the order would allow right after delivery (open and closed).
    pub after_delivery: Vec<AfterDelivery>,
}

/// An option that opens while the order is on its way.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct InTransit {
    /// The option as the overview of the order gives it while it is not
    /// yet open (placed now, or shipped now).
    #[serde(flatten)]
    pub entry: OverviewEntry,
    /// For an order placed now that nothing happens to, the last instant
    /// before it opens (5 business days after ordering without a tracking
    /// number); `None` when it counts from an event still to come.
    pub opens_after: Option<DateTime<Utc>>,
    /// How long tracking must stay silent before it opens (the deciding
    /// clause's `tracking_stale` limit for the basket's route), if that is
    /// what opens it.
    pub silence: Option<Span>,
    /// What the request gets the moment it opens (the whole basket, for a
    /// request about units).
    pub quote: Quote,
}

/// One option after delivery, with what a shopper compares before buying.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AfterDelivery {
    /// The option as an order's overview gives it (delivery at the moment
    /// of ordering).
    #[serde(flatten)]
    pub entry: OverviewEntry,
    /// Open with a deadline: the window that sets it, with the event it
    /// counts from (Xtelary's 30 days run from the order, not from delivery:
    /// a slow delivery leaves fewer of them).
    pub window: Option<Window>,
    /// Open and granted by a clause that names it: who pays return shipping
    /// for this reason.
    pub return_shipping_paid_by: Option<Party>,
}

impl std::ops::Deref for AfterDelivery {
    type Target = OverviewEntry;

    fn deref(&self) -> &OverviewEntry {
        &self.entry
    }
}

impl std::ops::Deref for InTransit {
    type Target = OverviewEntry;

    fn deref(&self) -> &OverviewEntry {
        &self.entry
    }
}

/// What to price: the items of a would-be order.
#[derive(Clone, Debug, PartialEq)]
pub struct Basket {
    /// The currency.
    pub currency: crate::money::Currency,
    /// The lines (ids are the caller's).
    pub lines: Vec<OrderLine>,
    /// Shipping the customer would pay.
    pub shipping_paid: Amount,
    /// Where it would ship from.
    pub ship_from: ShipFrom,
}

fn cancel() -> Request {
    Request {
        kind: Kind::Cancel,
        reason: None,
        lines: Vec::new(),
        resolution: None,
        condition: None,
        exchange_for: None,
    }
}

/// The conditions of the clauses that decided `entry`.
fn conditions<'a>(
    policy: &'a Policy,
    entry: &'a OverviewEntry,
) -> impl Iterator<Item = &'a Condition> {
    entry
        .clauses
        .iter()
        .filter_map(|id| policy.clause(id))
        .flat_map(|c| c.when.iter().chain(&c.require))
}

/// The `within` window of the entry's clauses that ends at `deadline`, in an
/// order whose every event happened at `now`.
fn deciding_window(
    policy: &Policy,
    entry: &OverviewEntry,
    now: DateTime<Utc>,
    deadline: DateTime<Utc>,
) -> Option<Window> {
    conditions(policy, entry).find_map(|cond| match cond {
        Condition::Within(w) if add_span(now, w.span(), &policy.calendar) == Some(deadline) => {
            Some(*w)
        }
        _ => None,
    })
}

/// The `tracking_stale` limit of the entry's clauses for the order's route.
fn silence(policy: &Policy, entry: &OverviewEntry, order: &Order) -> Option<Span> {
    conditions(policy, entry).find_map(|cond| match cond {
        Condition::TrackingStale(limits) => Some(limits.for_route(order.ship_from)),
        _ => None,
    })
}

/// The same option (kind and reason) in two lists.
fn same(a: &OverviewEntry, b: &OverviewEntry) -> bool {
    (a.kind, a.reason) == (b.kind, b.reason)
}

/// The options of `order`'s overview `entries` that are not open yet, with
/// what each gets one second after its deadline (the moment it opens).
fn opening_later(
    policy: &Policy,
    order: &Order,
    entries: &[OverviewEntry],
) -> Result<Vec<(OverviewEntry, Quote)>, InputError> {
    let mut later = Vec::new();
    for entry in entries {
        let Some(at) = entry
            .deadline
            .filter(|_| entry.availability == Availability::NotYet)
            .and_then(|d| d.checked_add_signed(TimeDelta::seconds(1)))
        else {
            continue;
        };
        let mut request = probe(order, entry.kind, entry.reason, None);
        if entry.kind.names_units(entry.reason) {
            request.lines = order
                .lines
                .iter()
                .map(|l| RequestLine {
                    line_id: l.id.clone(),
                    quantity: l.quantity,
                })
                .collect();
        }
        let q = quote(
            policy,
            &Scenario {
                now: at,
                order: order.clone(),
                request,
            },
        )?;
        if q.eligible {
            later.push((entry.clone(), q));
        }
    }
    Ok(later)
}

/// The terms an order of `basket` would have if placed at `now`.
pub fn terms(policy: &Policy, basket: &Basket, now: DateTime<Utc>) -> Result<Terms, InputError> {
    let order = Order {
        id: "preview".into(),
        currency: basket.currency,
        placed_at: now,
        shipped_at: None,
        last_tracking_event_at: None,
        delivered_at: None,
        ship_from: basket.ship_from,
        shipping_paid: basket.shipping_paid,
        exchanges_used: 0,
        lines: basket.lines.clone(),
    };
    let ask = |order: &Order, at: DateTime<Utc>| {
        quote(
            policy,
            &Scenario {
                now: at,
                order: order.clone(),
                request: cancel(),
            },
        )
    };

    // Before shipment: phase after phase, each starting just after the last one's deadline.
    let mut cancellation = Vec::new();
    let mut at = now;
    for _ in 0..8 {
        let q = ask(&order, at)?;
        let until = q.deadline;
        cancellation.push(CancellationPhase {
            until,
            after_shipment: false,
            quote: q,
        });
        match until.and_then(|d| d.checked_add_signed(TimeDelta::seconds(1))) {
            Some(next) => at = next,
            None => break,
        }
    }
    // Once shipped (say right after the last phase began).
    let shipped = Order {
        shipped_at: Some(at),
        ..order.clone()
    };
    cancellation.push(CancellationPhase {
        until: None,
        after_shipment: true,
        quote: ask(&shipped, at)?,
    });

    let placed = overview(policy, &order, now)?.entries;
    // On its way: what opens later for the order as placed (an instant
    // fixed by the order), then for the order shipped now (a silence of
    // the tracking, counted from an event still to come).
    let mut in_transit: Vec<InTransit> = opening_later(policy, &order, &placed)?
        .into_iter()
        .map(|(entry, quote)| InTransit {
            opens_after: entry.deadline,
            silence: None,
            entry,
            quote,
        })
        .collect();
    let shipped_now = Order {
        shipped_at: Some(now),
        ..order.clone()
    };
    let on_its_way = overview(policy, &shipped_now, now)?.entries;
    for (entry, quote) in opening_later(policy, &shipped_now, &on_its_way)? {
        if in_transit.iter().all(|t| !same(t, &entry)) {
            in_transit.push(InTransit {
                opens_after: None,
                silence: silence(policy, &entry, &shipped_now),
                entry,
                quote,
            });
        }
    }
    // The cancellation has its own schedule above.
    in_transit.retain(|t| t.kind != Kind::Cancel);
    let delivered = Order {
        shipped_at: Some(now),
        delivered_at: Some(now),
        ..order
    };
    let after_delivery: Vec<AfterDelivery> = overview(policy, &delivered, now)?
        .entries
        .into_iter()
        .filter(|e| e.kind != Kind::Cancel && e.availability != Availability::NotYet)
        .filter(|e| e.availability == Availability::Open || in_transit.iter().all(|t| !same(t, e)))
        .map(|entry| {
            let open = entry.availability == Availability::Open;
            let window = entry
                .deadline
                .filter(|_| open)
                .and_then(|d| deciding_window(policy, &entry, now, d));
            let return_shipping_paid_by = entry
                .clauses
                .first()
                .and_then(|id| policy.clause(id))
                .and_then(|c| match &c.effect {
                    Effect::Grant(outcome) if open => outcome.return_shipping.as_ref(),
                    _ => None,
                })
                .and_then(|rs| rs.payer(entry.reason));
            AfterDelivery {
                entry,
                window,
                return_shipping_paid_by,
            }
        })
        .collect();
    let open_after = |e: &OverviewEntry| {
        after_delivery
            .iter()
            .any(|a| same(a, e) && a.availability == Availability::Open)
    };
    let before_shipment: Vec<OverviewEntry> = placed
        .into_iter()
        .filter(|e| e.kind != Kind::Cancel && e.availability == Availability::Open)
        .filter(|e| !open_after(e))
        .collect();
    in_transit.retain(|t| !open_after(&t.entry) && before_shipment.iter().all(|b| !same(b, t)));
    Ok(Terms {
        cancellation,
        before_shipment,
        in_transit,
        after_delivery,
    })
}
