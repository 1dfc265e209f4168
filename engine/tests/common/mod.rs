//! Shared scenario builders for the engine's integration tests.
#![allow(dead_code)]

use aftersale_engine::{Policy, Quote, Scenario, quote};
use serde_json::{Value, json};

/// 2026-03-02 is a Monday; 14:00Z is 09:00 at −05:00 and 22:00 at +08:00.
pub const PLACED: &str = "2026-03-02T14:00:00Z";

/// A USD order of 123.99: L1 2 × 12.50, L2 1 × 89.00 (fingerprint-lock),
/// L3 1 × 5.00 (replacement), shipping 4.99.
pub fn order() -> Value {
    json!({
        "id": "T-1",
        "currency": "USD",
        "placed_at": PLACED,
        "shipped_at": null,
        "last_tracking_event_at": null,
        "delivered_at": null,
        "ship_from": "us_warehouse",
        "shipping_paid": "4.99",
        "exchanges_used": 0,
        "lines": [
            { "id": "L1", "sku": "HTV-RED-12", "title": "Heat transfer vinyl, red", "unit_price": "12.50", "quantity": 2, "tags": [] },
            { "id": "L2", "sku": "WW-FP-01", "title": "Watch winder with fingerprint lock", "unit_price": "89.00", "quantity": 1, "tags": ["fingerprint-lock"] },
            { "id": "L3", "sku": "HTV-BLU-12", "title": "Heat transfer vinyl, blue (reissued)", "unit_price": "5.00", "quantity": 1, "tags": ["replacement"] }
        ]
    })
}

/// A one-line order in `currency` with no shipping.
pub fn order_in(currency: &str, unit_price: &str) -> Value {
    patch(
        order(),
        json!({
            "currency": currency,
            "shipping_paid": "0",
            "lines": [{ "id": "L1", "sku": "S", "title": "Item", "unit_price": unit_price, "quantity": 1, "tags": [] }]
        }),
    )
}

/// `base` with the top-level fields of `changes` replaced.
pub fn patch(mut base: Value, changes: Value) -> Value {
    for (k, v) in changes.as_object().expect("an object of changes") {
        base[k] = v.clone();
    }
    base
}

/// A request: kind, reason, lines as `[(line, quantity)]`.
pub fn request(kind: &str, reason: Option<&str>, lines: &[(&str, u32)]) -> Value {
    json!({
        "kind": kind,
        "reason": reason,
        "lines": lines.iter().map(|(id, q)| json!({ "line_id": id, "quantity": q })).collect::<Vec<_>>(),
        "resolution": null,
        "condition": null,
        "exchange_for": null
    })
}

/// The condition answers, all true.
pub fn good_condition() -> Value {
    json!({ "unused": true, "original_packaging": true, "complete": true })
}

/// An exchange target.
pub fn target(unit_price: &str, quantity: u32, stock: u32) -> Value {
    json!({ "sku": "NEW-1", "title": "New item", "unit_price": unit_price, "quantity": quantity, "stock": stock })
}

/// The scenario's JSON.
pub fn scenario(now: &str, order: Value, request: Value) -> Value {
    json!({ "now": now, "order": order, "request": request })
}

/// A preset by name.
pub fn preset(name: &str) -> Policy {
    Policy::preset(name).expect("a preset")
}

/// Quotes a scenario through the JSON contract, as the CLI and backend do.
pub fn quote_json(policy: &str, scenario: &Value) -> Value {
    let parsed = Scenario::from_json(&scenario.to_string()).expect("a valid scenario");
    let q: Quote = quote(&preset(policy), &parsed).expect("a quote");
    serde_json::to_value(&q).unwrap()
}
