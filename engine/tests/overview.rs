//! The overview (the widget's first screen) and the refund timeline.

mod common;

use aftersale_engine::policy::{Anchor, Party, Span, Unit, Window};
use aftersale_engine::{Availability, Kind, Order, Reason, Why, overview, refund_timeline};
use common::*;
use serde_json::{Value, json};

fn order_of(v: Value) -> Order {
    serde_json::from_value(v).unwrap()
}

fn entry(
    o: &aftersale_engine::Overview,
    kind: Kind,
    reason: Option<Reason>,
) -> &aftersale_engine::OverviewEntry {
    o.entries
        .iter()
        .find(|e| e.kind == kind && e.reason == reason)
        .unwrap_or_else(|| panic!("no entry for {kind:?} {reason:?}"))
}

#[test]
fn a_just_placed_htvront_order() {
    let o = overview(
        &preset("htvront"),
        &order_of(order()),
        "2026-03-02T15:00:00Z".parse().unwrap(),
    )
    .unwrap();
    let cancel = entry(&o, Kind::Cancel, None);
    assert_eq!(
        (cancel.availability, cancel.clauses[0].as_str()),
        (Availability::Open, "htvront.cancel_before_shipment")
    );
    assert_eq!(
        entry(&o, Kind::Exchange, None).availability,
        Availability::Open
    );
    // Not shipped in time opens after Mon 2026-03-09 14:00Z.
    let late = entry(&o, Kind::Claim, Some(Reason::NotShippedInTime));
    assert_eq!(late.availability, Availability::NotYet);
    assert_eq!(
        late.deadline.unwrap().to_rfc3339(),
        "2026-03-09T14:00:00+00:00"
    );
    // Claims about the parcel's contents open on delivery, an event with no
    // instant yet: not yet, without a deadline, and why.
    let wrong = entry(&o, Kind::Claim, Some(Reason::WrongItem));
    assert_eq!(
        (
            wrong.availability,
            wrong.clauses[0].as_str(),
            wrong.deadline
        ),
        (Availability::NotYet, "htvront.claim_window", None)
    );
    assert_eq!(
        wrong.why,
        [Why::WindowNotStarted {
            span: Span {
                length: 10,
                unit: Unit::Days
            },
            from: Anchor::Delivered
        }]
    );
    // A parcel can be lost only once it has shipped.
    let lost = entry(&o, Kind::Claim, Some(Reason::NotReceived));
    assert_eq!(
        (lost.availability, lost.deadline, &lost.why[..]),
        (Availability::NotYet, None, &[Why::NotShipped][..])
    );
    // Refused whatever happens.
    assert_eq!(
        entry(&o, Kind::Claim, Some(Reason::LateForDeadline)).availability,
        Availability::Closed
    );
    assert_eq!(
        entry(&o, Kind::Return, None).availability,
        Availability::Closed
    );
}

#[test]
fn a_delivered_htvront_order_lists_claimable_lines_without_replacements() {
    let delivered = patch(
        order(),
        json!({ "shipped_at": "2026-03-04T00:00:00Z", "delivered_at": "2026-03-09T00:00:00Z" }),
    );
    let o = overview(
        &preset("htvront"),
        &order_of(delivered),
        "2026-03-10T00:00:00Z".parse().unwrap(),
    )
    .unwrap();
    let wrong = entry(&o, Kind::Claim, Some(Reason::WrongItem));
    assert_eq!(wrong.availability, Availability::Open);
    assert_eq!(wrong.lines, ["L1", "L2"]);
    assert_eq!(
        wrong.deadline.unwrap().to_rfc3339(),
        "2026-03-19T00:00:00+00:00"
    );
    assert_eq!(
        entry(&o, Kind::Claim, Some(Reason::Damaged)).lines,
        ["L1", "L2", "L3"]
    );
    let cancel = entry(&o, Kind::Cancel, None);
    assert_eq!(
        (cancel.availability, cancel.clauses[0].as_str()),
        (Availability::Closed, "htvront.cancel_after_shipment")
    );
}

#[test]
fn a_delivered_xtelary_order() {
    let delivered = patch(
        order(),
        json!({ "shipped_at": "2026-03-04T00:00:00Z", "delivered_at": "2026-03-09T00:00:00Z" }),
    );
    let o = overview(
        &preset("xtelary"),
        &order_of(delivered),
        "2026-03-10T00:00:00Z".parse().unwrap(),
    )
    .unwrap();
    assert_eq!(
        entry(&o, Kind::Cancel, None).clauses,
        ["xtelary.cancel_shipped"]
    );
    let ret = entry(&o, Kind::Return, Some(Reason::ChangedMind));
    assert_eq!(ret.availability, Availability::Open);
    assert_eq!(
        ret.deadline.unwrap().to_rfc3339(),
        "2026-04-01T14:00:00+00:00"
    );
    assert_eq!(ret.lines, ["L1", "L2", "L3"]);
    assert_eq!(
        entry(&o, Kind::Claim, None).clauses,
        ["xtelary.not_covered"]
    );
    // Past the window everything that returns is closed by it.
    let later = overview(
        &preset("xtelary"),
        &o_order(),
        "2026-04-02T00:00:00Z".parse().unwrap(),
    )
    .unwrap();
    for e in later
        .entries
        .iter()
        .filter(|e| matches!(e.kind, Kind::Return | Kind::Exchange))
    {
        assert_eq!(
            (e.availability, e.clauses[0].as_str()),
            (Availability::Closed, "xtelary.window"),
            "{e:?}"
        );
    }
}

fn o_order() -> Order {
    order_of(patch(
        order(),
        json!({ "shipped_at": "2026-03-04T00:00:00Z", "delivered_at": "2026-03-09T00:00:00Z" }),
    ))
}

#[test]
fn an_invalid_order_is_an_error() {
    let mut bad = order();
    bad["lines"][0]["unit_price"] = json!("1.234");
    let e = overview(
        &preset("xtelary"),
        &order_of(bad),
        "2026-03-10T00:00:00Z".parse().unwrap(),
    )
    .unwrap_err();
    assert_eq!(e.field, "order.lines[0].unit_price");
}

#[test]
fn refund_timeline_counts_business_days() {
    // Fri 2026-03-06 + 14 = Thu 2026-03-26; + 7 = Mon 2026-04-06; + 10 = Thu 2026-04-09.
    let t = refund_timeline(&preset("xtelary"), "2026-03-06".parse().unwrap()).unwrap();
    assert_eq!(t.processed_by.to_string(), "2026-03-26");
    assert_eq!(t.credited_from.to_string(), "2026-04-06");
    assert_eq!(t.credited_by.to_string(), "2026-04-09");
    assert_eq!(t.late_after.to_string(), "2026-04-09");
    assert_eq!(t.if_late.len(), 4);
    assert!(refund_timeline(&preset("htvront"), "2026-03-06".parse().unwrap()).is_none());
}

#[test]
fn the_policy_says_which_resolutions_and_questions_a_request_has() {
    use aftersale_engine::Resolution;
    use aftersale_engine::policy::ConditionAnswer;
    let h = preset("htvront");
    assert_eq!(
        h.resolutions_for(Kind::Claim, Some(Reason::Damaged)),
        [Resolution::Reship, Resolution::StoreCredit]
    );
    assert_eq!(
        h.resolutions_for(Kind::Claim, Some(Reason::WrongItem)),
        [Resolution::Refund, Resolution::StoreCredit]
    );
    assert!(
        h.resolutions_for(Kind::Claim, Some(Reason::LateForDeadline))
            .is_empty()
    );
    let x = preset("xtelary");
    assert_eq!(
        x.condition_questions(Kind::Return, Some(Reason::ChangedMind)),
        [
            ConditionAnswer::Unused,
            ConditionAnswer::OriginalPackaging,
            ConditionAnswer::Complete
        ]
    );
    assert!(
        x.condition_questions(Kind::Return, Some(Reason::Damaged))
            .is_empty()
    );
    assert!(h.condition_questions(Kind::Exchange, None).is_empty());
}

fn basket() -> aftersale_engine::Basket {
    aftersale_engine::Basket {
        currency: aftersale_engine::Currency::from_code("USD").unwrap(),
        lines: order_of(order()).lines[..1].to_vec(),
        shipping_paid: aftersale_engine::Amount("4.99".parse().unwrap()),
        ship_from: aftersale_engine::scenario::ShipFrom::UsWarehouse,
    }
}

#[test]
fn terms_before_buying_under_xtelary() {
    // 2 × 12.50 + 4.99 = 29.99, ordered Mon 2026-03-02 14:00Z.
    let t = aftersale_engine::terms(
        &preset("xtelary"),
        &basket(),
        "2026-03-02T14:00:00Z".parse().unwrap(),
    )
    .unwrap();
    assert_eq!(t.cancellation.len(), 3, "{:#?}", t.cancellation);
    let free = &t.cancellation[0];
    assert_eq!(
        (
            free.quote.clauses[0].as_str(),
            free.quote.refund.to_string()
        ),
        ("xtelary.cancel_free", "29.99".into())
    );
    assert_eq!(
        free.until.unwrap().to_rfc3339(),
        "2026-03-03T14:00:00+00:00"
    );
    // 2% of 29.99 = 0.5998 → 0.60.
    let fee = &t.cancellation[1];
    assert_eq!(
        (fee.quote.clauses[0].as_str(), fee.quote.fee.to_string()),
        ("xtelary.cancel_fee", "0.60".into())
    );
    assert_eq!(fee.until, None);
    let shipped = &t.cancellation[2];
    assert!(shipped.after_shipment && !shipped.quote.eligible);
    assert_eq!(shipped.quote.clauses[0], "xtelary.cancel_shipped");
    let open: Vec<_> = t
        .after_delivery
        .iter()
        .filter(|e| e.availability == Availability::Open)
        .collect();
    let changed_mind = open
        .iter()
        .find(|e| e.kind == Kind::Return && e.reason == Some(Reason::ChangedMind))
        .expect("a changed-mind return is open");
    // 30 days from the order (not from delivery); the buyer pays return
    // postage for personal reasons …
    assert_eq!(
        changed_mind.window,
        Some(Window {
            length: 30,
            unit: Unit::Days,
            from: Anchor::Placed
        })
    );
    assert_eq!(changed_mind.return_shipping_paid_by, Some(Party::Customer));
    // … the shop for a wrong item.
    let wrong = open
        .iter()
        .find(|e| e.kind == Kind::Return && e.reason == Some(Reason::WrongItem))
        .unwrap();
    assert_eq!(wrong.return_shipping_paid_by, Some(Party::Merchant));
    assert!(
        t.after_delivery
            .iter()
            .any(|e| e.kind == Kind::Claim && e.clauses[0] == "xtelary.not_covered")
    );
    // Returns and exchanges are open before and after shipment alike:
    // nothing is only for an order not yet shipped, and nothing opens on
    // the way.
    assert_eq!(t.before_shipment, Vec::new());
    assert_eq!(t.in_transit, Vec::new());
}

#[test]
fn terms_before_buying_under_htvront() {
    let t = aftersale_engine::terms(
        &preset("htvront"),
        &basket(),
        "2026-03-02T14:00:00Z".parse().unwrap(),
    )
    .unwrap();
    assert_eq!(t.cancellation.len(), 2);
    assert_eq!(t.cancellation[0].quote.store_credit.to_string(), "29.99");
    assert_eq!(
        t.cancellation[1].quote.clauses[0],
        "htvront.cancel_after_shipment"
    );
    // An exchange only before the order is sent: listed as such, while
    // after delivery it is closed.
    let before: Vec<_> = t
        .before_shipment
        .iter()
        .map(|e| (e.kind, e.clauses[0].as_str()))
        .collect();
    assert_eq!(before, [(Kind::Exchange, "htvront.exchange")]);
    assert!(
        t.after_delivery
            .iter()
            .any(|e| e.kind == Kind::Exchange && e.availability == Availability::Closed)
    );
    let damaged = t
        .after_delivery
        .iter()
        .find(|e| e.reason == Some(Reason::Damaged))
        .unwrap();
    assert_eq!(damaged.availability, Availability::Open);
    assert_eq!(
        damaged.window,
        Some(Window {
            length: 10,
            unit: Unit::Days,
            from: Anchor::Delivered
        })
    );
    assert_eq!(
        damaged.return_shipping_paid_by, None,
        "nothing is sent back"
    );
    // Ten days after a delivery at the moment of ordering.
    assert_eq!(
        damaged.deadline.unwrap().to_rfc3339(),
        "2026-03-12T14:00:00+00:00"
    );
    // While it is on its way: no tracking number 5 business days after
    // Mon 09:00 (UTC−5) is Mon 9 March 09:00, and then 20% of 29.99 =
    // 5.998 → 6.00; tracking silent for more than 10 days from the US
    // warehouse: 6.00 and the parcel again. Neither is "not offered" after
    // delivery.
    let on_the_way: Vec<_> = t
        .in_transit
        .iter()
        .map(|e| {
            (
                e.clauses[0].as_str(),
                e.opens_after.map(|d| d.to_rfc3339()),
                e.silence.map(|s| (s.length, s.unit)),
                e.quote.compensation.to_string(),
                e.quote.reship,
            )
        })
        .collect();
    assert_eq!(
        on_the_way,
        [
            (
                "htvront.not_shipped_in_time",
                Some("2026-03-09T14:00:00+00:00".to_owned()),
                None,
                "6.00".to_owned(),
                false
            ),
            (
                "htvront.not_received",
                None,
                Some((10, Unit::Days)),
                "6.00".to_owned(),
                true
            ),
        ]
    );
    assert!(
        t.after_delivery.iter().all(|e| !matches!(
            e.reason,
            Some(Reason::NotShippedInTime | Reason::NotReceived)
        )),
        "{:#?}",
        t.after_delivery
    );
    // A deadline missed is still excluded, and said so.
    assert!(t.after_delivery.iter().any(
        |e| e.clauses[0] == "htvront.slow_logistics" && e.availability == Availability::Closed
    ));
}
