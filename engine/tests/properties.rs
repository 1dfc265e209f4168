//! Invariants over random orders, requests and instants, under both presets.

use aftersale_engine::scenario::{ExchangeTarget, ItemCondition, OrderLine, RequestLine, ShipFrom};
use aftersale_engine::{
    Amount, Currency, Facts, Kind, Money, Order, Policy, Reason, Request, Resolution, Scenario,
    assess,
};
use chrono::{DateTime, TimeDelta, Utc};
use proptest::prelude::*;
use rust_decimal::Decimal;

fn policies() -> [Policy; 2] {
    [
        Policy::preset("htvront").unwrap(),
        Policy::preset("xtelary").unwrap(),
    ]
}

fn base_instant() -> DateTime<Utc> {
    "2026-01-01T00:00:00Z".parse().unwrap()
}

fn minutes(m: i64) -> DateTime<Utc> {
    base_instant() + TimeDelta::minutes(m)
}

/// A price in whole minor units of `currency`.
fn price(minor: u64, currency: Currency) -> Amount {
    Amount(Decimal::new(minor as i64, currency.minor_digits()))
}

prop_compose! {
    fn arb_order()(
        currency in prop::sample::select(vec!["USD", "EUR", "GBP", "CNY", "JPY", "KRW", "KWD", "BHD"]),
        lines in prop::collection::vec((0u64..2_000_000, 1u32..6, any::<bool>(), any::<bool>()), 1..6),
        shipping in 0u64..5_000,
        // Minutes after 2026-01-01 for each event; each after the previous.
        placed in 0i64..(60 * 24 * 400),
        shipped in prop::option::of(0i64..(60 * 24 * 10)),
        tracking in prop::option::of(0i64..(60 * 24 * 15)),
        delivered in prop::option::of(0i64..(60 * 24 * 10)),
        global in any::<bool>(),
        exchanges_used in 0u32..3,
    ) -> Order {
        let currency = Currency::from_code(currency).unwrap();
        let shipped_at = shipped.map(|s| placed + s);
        let last_tracking_event_at = shipped_at.and(tracking).map(|t| shipped_at.unwrap() + t);
        let delivered_at = shipped_at.and(delivered).map(|d| last_tracking_event_at.or(shipped_at).unwrap() + d);
        Order {
            id: "P-1".into(),
            currency,
            placed_at: minutes(placed),
            shipped_at: shipped_at.map(minutes),
            last_tracking_event_at: last_tracking_event_at.map(minutes),
            delivered_at: delivered_at.map(minutes),
            ship_from: if global { ShipFrom::GlobalStandard } else { ShipFrom::UsWarehouse },
            shipping_paid: price(shipping, currency),
            exchanges_used,
            lines: lines
                .into_iter()
                .enumerate()
                .map(|(i, (p, quantity, replacement, fingerprint))| OrderLine {
                    id: format!("L{i}"),
                    sku: format!("SKU-{i}"),
                    title: format!("Item {i}"),
                    unit_price: price(p, currency),
                    quantity,
                    tags: [(replacement, "replacement"), (fingerprint, "fingerprint-lock")]
                        .iter()
                        .filter(|(on, _)| *on)
                        .map(|(_, t)| t.to_string())
                        .collect(),
                })
                .collect(),
        }
    }
}

/// Mostly valid requests for `order`; about one in eight breaks the contract
/// (an unknown line, a quantity of 0 or too many, a target on a non-exchange).
fn arb_request(order: &Order) -> impl Strategy<Value = Request> + use<> {
    let quantities: Vec<u32> = order.lines.iter().map(|l| l.quantity).collect();
    let n = quantities.len();
    (
        prop::sample::select(Kind::ALL.to_vec()),
        prop::option::of(prop::sample::select(Reason::ALL.to_vec())),
        prop::sample::subsequence((0..n).collect::<Vec<_>>(), 1..=n),
        prop::collection::vec(1u32..6, n),
        prop::option::weighted(
            0.3,
            prop::sample::select(vec![
                Resolution::Refund,
                Resolution::StoreCredit,
                Resolution::Reship,
            ]),
        ),
        prop::option::weighted(
            0.9,
            (
                prop::bool::weighted(0.8),
                prop::bool::weighted(0.8),
                prop::bool::weighted(0.8),
            ),
        ),
        (0u64..3_000_000, 1u32..4, 0u32..4),
        (0u8..24, 0usize..12),
    )
        .prop_map(
            move |(
                kind,
                reason,
                picked,
                wanted,
                resolution,
                condition,
                (p, quantity, stock),
                (breakage, pick),
            )| {
                // Two times in three, a reason the policies speak to for this kind.
                let plausible: &[Reason] = match kind {
                    Kind::Cancel => &[],
                    Kind::Return | Kind::Exchange => {
                        &[Reason::ChangedMind, Reason::WrongItem, Reason::Damaged]
                    }
                    Kind::Claim => &Reason::ALL,
                };
                let reason = match (pick % 3, plausible.len()) {
                    (0, _) | (_, 0) => reason,
                    _ => Some(plausible[pick % plausible.len()]),
                };
                let mut lines: Vec<RequestLine> = picked
                    .into_iter()
                    .map(|i| RequestLine {
                        line_id: format!("L{i}"),
                        quantity: 1 + (wanted[i] - 1) % quantities[i],
                    })
                    .collect();
                let mut exchange_for = (kind == Kind::Exchange).then(|| ExchangeTarget {
                    sku: "NEW".into(),
                    title: "New".into(),
                    unit_price: Amount(Decimal::new(p as i64, 2)),
                    quantity,
                    stock,
                });
                match breakage {
                    0 => lines[0].line_id = "NOPE".into(),
                    1 => {
                        lines[0].quantity = if wanted[0] % 2 == 0 {
                            0
                        } else {
                            quantities[0] + 1
                        }
                    }
                    2 if exchange_for.is_none() => {
                        exchange_for = Some(ExchangeTarget {
                            sku: "X".into(),
                            title: "X".into(),
                            unit_price: Amount(Decimal::ONE),
                            quantity: 1,
                            stock: 1,
                        })
                    }
                    _ => {}
                }
                Request {
                    kind,
                    reason,
                    lines,
                    resolution,
                    condition: condition.map(|(unused, original_packaging, complete)| {
                        ItemCondition {
                            unused,
                            original_packaging,
                            complete,
                        }
                    }),
                    exchange_for,
                }
            },
        )
}

fn arb_case() -> impl Strategy<Value = (Order, Request, i64)> {
    arb_order().prop_flat_map(|order| {
        let request = arb_request(&order);
        (Just(order), request, 0i64..(60 * 24 * 45))
    })
}

fn paid_back(q: &aftersale_engine::Quote) -> Money {
    q.refund
        .checked_add(q.store_credit)
        .and_then(|m| m.checked_add(q.compensation))
        .unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(600))]

    #[test]
    fn quotes_keep_their_promises((order, request, after) in arb_case()) {
        let now = order.placed_at + TimeDelta::minutes(after);
        for policy in policies() {
            // No panic on any input: an error or a quote.
            let Ok(facts) = Facts::new(now, &order, &request) else { continue };
            let Ok(a) = assess(&policy, &facts) else { continue };
            let q = &a.quote;
            let zero = Money::zero(order.currency);
            for m in [q.refund, q.store_credit, q.compensation, q.fee, q.customer_pays] {
                prop_assert!(!m.is_negative(), "negative amount in {q:?}");
                prop_assert_eq!(m.currency(), order.currency);
            }
            prop_assert!(!q.clauses.is_empty());
            if q.eligible {
                // What is kept and what is paid back add up to the base exactly.
                let settled = q.refund.checked_add(q.store_credit).unwrap().checked_add(q.fee).unwrap();
                prop_assert_eq!(settled, a.base, "refund + store credit + fee != base in {:?}", q);
                // Nothing pays back more than was paid.
                prop_assert!(paid_back(q).amount() <= facts.order_amount.amount(), "{q:?} pays back more than {}", facts.order_amount);
                prop_assert!(a.base.amount() <= facts.order_amount.amount());
                prop_assert!(q.return_required == q.return_shipping_paid_by.is_some() || !q.return_required);
            } else {
                for m in [q.refund, q.store_credit, q.compensation, q.fee, q.customer_pays] {
                    prop_assert_eq!(m, zero, "a refused quote has a non-zero amount: {:?}", q);
                }
                prop_assert!(!q.reship && !q.return_required && q.steps.is_empty());
                prop_assert!(q.return_shipping_paid_by.is_none());
            }
            if policy.id == "htvront" {
                prop_assert!(!q.return_required);
            }
            // Events after `now` are not known yet: the same quote without them.
            let known = known_at(&order, now);
            let same = assess(&policy, &Facts::new(now, &known, &request).unwrap()).unwrap().quote;
            prop_assert_eq!(&same, q);
            // The deadline is the last instant of this same answer, if nothing happens.
            if let Some(deadline) = q.deadline {
                prop_assert!(deadline >= now);
                let at_deadline = assess(&policy, &Facts::new(deadline, &known, &request).unwrap()).unwrap().quote;
                prop_assert_eq!((at_deadline.eligible, &at_deadline.clauses), (q.eligible, &q.clauses));
                let after = deadline + TimeDelta::seconds(1);
                let later = assess(&policy, &Facts::new(after, &known, &request).unwrap()).unwrap().quote;
                prop_assert!((later.eligible, &later.clauses) != (q.eligible, &q.clauses), "nothing changes after the deadline of {q:?}");
            }
        }
    }

    #[test]
    fn any_text_is_an_error_or_a_scenario_never_a_panic(text in ".{0,200}") {
        let _ = Scenario::from_json(&text);
        let _ = Policy::from_json(&text);
    }

    #[test]
    fn mangled_scenarios_never_panic((order, request, after) in arb_case(), cut in 0usize..2000) {
        let now = order.placed_at + TimeDelta::minutes(after);
        let text = serde_json::json!({ "now": now, "order": order, "request": request }).to_string();
        let cut = cut.min(text.len());
        if text.is_char_boundary(cut)
            && let Ok(s) = Scenario::from_json(&text[..cut])
        {
            for policy in policies() {
                let _ = aftersale_engine::quote(&policy, &s);
            }
        }
    }
}

/// The order as known at `now`: events after it have not happened yet.
fn known_at(order: &Order, now: DateTime<Utc>) -> Order {
    let known = |t: Option<DateTime<Utc>>| t.filter(|t| *t <= now);
    Order {
        shipped_at: known(order.shipped_at),
        last_tracking_event_at: known(order.last_tracking_event_at),
        delivered_at: known(order.delivered_at),
        ..order.clone()
    }
}
