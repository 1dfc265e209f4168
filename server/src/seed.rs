//! The demo's orders: two shops' baskets at seven moments of an order's
//! life, dated relative to the moment of seeding so the demo never goes
//! stale. Together they reach every clause of both built-in policies.

use chrono::{DateTime, Duration, SecondsFormat, Utc};
use serde_json::{Value, json};

use crate::store::StoredOrder;

/// One moment of an order's life: offsets from the seeding instant, in hours.
struct Moment {
    label: &'static str,
    placed: i64,
    shipped: Option<i64>,
    tracking: Option<i64>,
    delivered: Option<i64>,
    /// The route, if not the shop's usual one.
    ship_from: Option<&'static str>,
}

const D: i64 = 24;

const MOMENTS: [Moment; 7] = [
    Moment {
        label: "Just placed (1 hour ago)",
        placed: -1,
        shipped: None,
        tracking: None,
        delivered: None,
        ship_from: None,
    },
    Moment {
        label: "Placed 30 hours ago, not shipped",
        placed: -30,
        shipped: None,
        tracking: None,
        delivered: None,
        ship_from: None,
    },
    Moment {
        label: "Placed 8 days ago, still no tracking",
        placed: -8 * D,
        shipped: None,
        tracking: None,
        delivered: None,
        ship_from: None,
    },
    Moment {
        label: "Shipped yesterday",
        placed: -3 * D,
        shipped: Some(-D),
        tracking: None,
        delivered: None,
        ship_from: None,
    },
    Moment {
        label: "Shipped 30 days ago, tracking silent for 27 days",
        placed: -32 * D,
        shipped: Some(-30 * D),
        tracking: Some(-27 * D),
        delivered: None,
        ship_from: None,
    },
    Moment {
        label: "Delivered 3 days ago",
        placed: -9 * D,
        shipped: Some(-7 * D),
        tracking: Some(-4 * D),
        delivered: Some(-3 * D),
        ship_from: None,
    },
    Moment {
        label: "Delivered over a month ago",
        placed: -50 * D,
        shipped: Some(-48 * D),
        tracking: Some(-44 * D),
        delivered: Some(-43 * D),
        ship_from: None,
    },
];

/// HTVRont's lost-parcel limit depends on the route: an order by global
/// standard delivery whose tracking has been silent longer than the US
/// warehouse's 10 days but not yet its own 25.
const HTVRONT_ONLY: [Moment; 1] = [Moment {
    label: "Global standard delivery, tracking silent for 15 days",
    placed: -20 * D,
    shipped: Some(-18 * D),
    tracking: Some(-15 * D),
    delivered: None,
    ship_from: Some("global_standard"),
}];

fn shop(policy: &str) -> Value {
    match policy {
        "xtelary" => json!({
            "prefix": "X-",
            "currency": "USD", "ship_from": "global_standard", "shipping_paid": "9.90",
            "lines": [
                { "id": "L1", "sku": "WW-FP-2", "title": "Double watch winder with fingerprint lock", "unit_price": "189.00", "quantity": 1, "tags": ["fingerprint-lock"] },
                { "id": "L2", "sku": "AC-BOX-6", "title": "Acrylic display box, 6 slots", "unit_price": "39.90", "quantity": 2, "tags": [] }
            ],
            "exchange_options": [
                { "sku": "WW-FP-4", "title": "Quad watch winder with fingerprint lock", "unit_price": "259.00", "stock": 2 },
                { "sku": "WW-1", "title": "Single watch winder", "unit_price": "99.00", "stock": 14 },
                { "sku": "AC-BOX-12", "title": "Acrylic display box, 12 slots", "unit_price": "59.90", "stock": 5 }
            ]
        }),
        _ => json!({
            "prefix": "H-",
            "currency": "USD", "ship_from": "us_warehouse", "shipping_paid": "4.99",
            "lines": [
                { "id": "L1", "sku": "HTV-RED-12", "title": "Heat transfer vinyl, red, 12 in × 5 ft", "unit_price": "12.50", "quantity": 3, "tags": [] },
                { "id": "L2", "sku": "HTV-GLT-12", "title": "Glitter HTV bundle, 12 sheets", "unit_price": "24.99", "quantity": 1, "tags": [] },
                { "id": "L3", "sku": "HTV-BLU-12", "title": "Heat transfer vinyl, blue (reissued)", "unit_price": "12.50", "quantity": 1, "tags": ["replacement"] }
            ],
            "exchange_options": [
                { "sku": "HTV-GLD-12", "title": "Heat transfer vinyl, gold, 12 in × 5 ft", "unit_price": "15.00", "stock": 2 },
                { "sku": "HTV-BLK-12", "title": "Heat transfer vinyl, black, 12 in × 5 ft", "unit_price": "10.00", "stock": 40 }
            ]
        }),
    }
}

/// The demo customer's email, which every demo order has: a returns page
/// finds an order by its number and this.
pub const DEMO_EMAIL: &str = "mia.keller@example.com";

/// The demo orders as of `now`: ids `X-100` … `X-106` (Xtelary) and
/// `H-100` … `H-106` (HTVRont), one per moment, in the order of `MOMENTS`,
/// then `H-107` (`HTVRONT_ONLY`).
pub fn demo_orders(now: DateTime<Utc>) -> Vec<StoredOrder> {
    let at = |hours: Option<i64>| -> Value {
        hours.map_or(Value::Null, |h| {
            Value::String((now + Duration::hours(h)).to_rfc3339_opts(SecondsFormat::Secs, true))
        })
    };
    let mut orders = Vec::new();
    for policy in ["xtelary", "htvront"] {
        let s = shop(policy);
        let extra: &[Moment] = if policy == "htvront" {
            &HTVRONT_ONLY
        } else {
            &[]
        };
        for (i, m) in MOMENTS.iter().chain(extra).enumerate() {
            let id = format!("{}{}", s["prefix"].as_str().unwrap_or_default(), 100 + i);
            let data = json!({
                "order": {
                    "id": id,
                    "currency": s["currency"],
                    "placed_at": at(Some(m.placed)),
                    "shipped_at": at(m.shipped),
                    "last_tracking_event_at": at(m.tracking),
                    "delivered_at": at(m.delivered),
                    "ship_from": m.ship_from.map_or(s["ship_from"].clone(), Value::from),
                    "shipping_paid": s["shipping_paid"],
                    "exchanges_used": 0,
                    "lines": s["lines"],
                },
                "exchange_options": s["exchange_options"],
            });
            orders.push(StoredOrder {
                id,
                policy_id: policy.to_owned(),
                label: m.label.to_owned(),
                data,
                email: Some(DEMO_EMAIL.to_owned()),
                put: None,
            });
        }
    }
    orders
}

#[cfg(test)]
mod tests {
    use super::*;
    use aftersale_engine::scenario::{
        ExchangeTarget, ItemCondition, PageData, Request, RequestLine,
    };
    use aftersale_engine::{Kind, Policy, Reason, Resolution, Scenario, presets, quote};

    #[test]
    fn every_demo_order_reads_as_page_data() {
        let orders = demo_orders(Utc::now());
        assert_eq!(orders.len(), 15);
        for o in &orders {
            let data: PageData =
                serde_json::from_value(o.data.clone()).unwrap_or_else(|e| panic!("{}: {e}", o.id));
            assert_eq!(data.order.id, o.id);
            assert!(!data.exchange_options.is_empty());
        }
    }

    /// Every request a customer can make of `data`'s order, one line at a
    /// time: each kind, reason, resolution, condition, with the first item
    /// offered in exchange.
    fn every_request(data: &PageData) -> Vec<Request> {
        let mut all = Vec::new();
        let option = &data.exchange_options[0];
        for kind in Kind::ALL {
            for reason in std::iter::once(None).chain(Reason::ALL.map(Some)) {
                let lines: Vec<Vec<RequestLine>> = if kind.names_units(reason) {
                    (data.order.lines.iter())
                        .map(|l| {
                            vec![RequestLine {
                                line_id: l.id.clone(),
                                quantity: 1,
                            }]
                        })
                        .collect()
                } else {
                    vec![Vec::new()]
                };
                let resolutions = [
                    None,
                    Some(Resolution::Refund),
                    Some(Resolution::StoreCredit),
                    Some(Resolution::Reship),
                ];
                for (lines, resolution, unused) in lines
                    .iter()
                    .flat_map(|l| resolutions.map(|r| (l, r)))
                    .flat_map(|(l, r)| [true, false].map(|u| (l, r, u)))
                {
                    all.push(Request {
                        kind,
                        reason,
                        lines: lines.clone(),
                        resolution,
                        condition: Some(ItemCondition {
                            unused,
                            original_packaging: true,
                            complete: true,
                        }),
                        exchange_for: (kind == Kind::Exchange).then(|| ExchangeTarget {
                            sku: option.sku.clone(),
                            title: option.title.clone(),
                            unit_price: option.unit_price,
                            quantity: 1,
                            stock: option.stock,
                        }),
                    });
                }
            }
        }
        all
    }

    /// The module's promise: walking the demo's orders reaches every clause
    /// of both presets as the clause that decides (grants or refuses), and
    /// HTVRont's lost-parcel limit on both routes.
    #[test]
    fn the_demo_orders_reach_every_clause_of_both_presets() {
        let now = Utc::now();
        let mut deciding = std::collections::BTreeSet::new();
        let mut lost_parcel = Vec::new();
        for o in demo_orders(now) {
            let policy = Policy::from_json(presets::source(&o.policy_id).unwrap()).unwrap();
            let data: PageData = serde_json::from_value(o.data.clone()).unwrap();
            for request in every_request(&data) {
                let scenario = Scenario {
                    now,
                    order: data.order.clone(),
                    request,
                };
                let Ok(q) = quote(&policy, &scenario) else {
                    continue;
                };
                if q.clauses[0] == "htvront.not_received" && scenario.request.lines.is_empty() {
                    lost_parcel.push((o.id.clone(), q.eligible, q.deadline.is_some()));
                }
                deciding.insert(q.clauses[0].clone());
            }
        }
        let every: std::collections::BTreeSet<String> = presets::NAMES
            .iter()
            .flat_map(|name| {
                let policy = Policy::from_json(presets::source(name).unwrap()).unwrap();
                (policy.clauses.iter().map(|c| c.id.clone()))
                    .chain([policy.otherwise.id.clone()])
                    .collect::<Vec<_>>()
            })
            .collect();
        let missed: Vec<_> = every.difference(&deciding).collect();
        assert!(missed.is_empty(), "no demo order reaches {missed:?}");
        // Silent for 27 days from the US warehouse: lost (limit 10 days).
        // Silent for 15 days by global standard delivery: not yet (limit 25
        // days), with the instant it will be.
        assert!(
            lost_parcel.contains(&("H-104".to_owned(), true, false)),
            "{lost_parcel:?}"
        );
        assert!(
            lost_parcel.contains(&("H-107".to_owned(), false, true)),
            "{lost_parcel:?}"
        );
    }
}
