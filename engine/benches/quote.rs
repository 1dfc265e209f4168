//! What a quote costs, beside what parsing its own input costs.
//!
//! `cargo bench -p aftersale-engine --bench quote`. The goal: computing a
//! quote (checking the input, walking the clauses, finding the deadline,
//! pricing) costs less than parsing the scenario JSON it came from. Also
//! the overview of the same order (every kind and reason, probed line by
//! line), which the widget draws first, for orders of up to 250 lines.

use std::hint::black_box;

use aftersale_engine::{Policy, Scenario, overview, quote};
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use serde_json::json;

/// A delivered order of `lines` lines and a changed-mind return of all of
/// them under xtelary: eligible, with a window deadline, steps and a fee.
fn scenario_json(lines: usize) -> String {
    let order_lines: Vec<_> = (0..lines)
        .map(|i| {
            json!({
                "id": format!("L{i}"), "sku": format!("SKU-{i:04}"), "title": format!("Catalogue item number {i}"),
                "unit_price": format!("{}.{:02}", 10 + i, i % 100), "quantity": 1 + i % 3,
                "tags": if i % 7 == 0 { vec!["fingerprint-lock"] } else { vec![] }
            })
        })
        .collect();
    let request_lines: Vec<_> = (0..lines)
        .map(|i| json!({ "line_id": format!("L{i}"), "quantity": 1 }))
        .collect();
    json!({
        "now": "2026-03-10T00:00:00Z",
        "order": {
            "id": "B-1", "currency": "USD", "placed_at": "2026-03-02T14:00:00Z",
            "shipped_at": "2026-03-04T00:00:00Z", "last_tracking_event_at": "2026-03-06T00:00:00Z",
            "delivered_at": "2026-03-09T00:00:00Z", "ship_from": "us_warehouse",
            "shipping_paid": "4.99", "exchanges_used": 0, "lines": order_lines
        },
        "request": {
            "kind": "return", "reason": "changed_mind", "lines": request_lines, "resolution": null,
            "condition": { "unused": true, "original_packaging": true, "complete": true }, "exchange_for": null
        }
    })
    .to_string()
}

fn benches(c: &mut Criterion) {
    let policy = Policy::preset("xtelary").unwrap();
    let mut group = c.benchmark_group("scenario");
    for lines in [5, 50] {
        let text = scenario_json(lines);
        let scenario = Scenario::from_json(&text).unwrap();
        assert!(quote(&policy, &scenario).unwrap().eligible);
        group.bench_with_input(BenchmarkId::new("quote", lines), &scenario, |b, s| {
            b.iter(|| quote(black_box(&policy), black_box(s)).unwrap())
        });
        group.bench_with_input(BenchmarkId::new("parse_json", lines), &text, |b, t| {
            b.iter(|| Scenario::from_json(black_box(t)).unwrap())
        });
    }
    group.finish();
    let mut group = c.benchmark_group("order");
    for lines in [5, 50, 250] {
        let scenario = Scenario::from_json(&scenario_json(lines)).unwrap();
        group.bench_with_input(BenchmarkId::new("overview", lines), &scenario, |b, s| {
            b.iter(|| overview(black_box(&policy), black_box(&s.order), s.now).unwrap())
        });
    }
    group.finish();
}

criterion_group!(quote_benches, benches);
criterion_main!(quote_benches);
