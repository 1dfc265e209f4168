//! Every request the server acknowledged survives `kill -9` of the server
//! under load: the real binary, a real SQLite file, four clients posting
//! concurrently, SIGKILL mid-stream, then the file is read back.

mod binary;

use std::process::Child;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use binary::http;

use aftersale_engine::{Policy, Scenario};
use serde_json::{Value, json};

/// Starts the server binary on `db` with the orders of `orders`.
fn start(db: &std::path::Path, orders: &std::path::Path) -> (Child, String) {
    binary::start(&[
        "--database".as_ref(),
        db.as_os_str(),
        "--orders".as_ref(),
        orders.as_os_str(),
    ])
}

#[test]
fn acknowledged_requests_survive_kill_9_under_load() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shop.db");
    let now = chrono::Utc::now();
    let at = |days: i64| (now - chrono::Duration::days(days)).to_rfc3339();
    let order = json!({
        "id": "LOAD-1", "currency": "USD", "placed_at": at(6), "shipped_at": at(5),
        "last_tracking_event_at": at(3), "delivered_at": at(2), "ship_from": "us_warehouse",
        "shipping_paid": "0.00", "exchanges_used": 0,
        "lines": [{ "id": "L1", "sku": "AC-BOX-6", "title": "Acrylic display box", "unit_price": "39.90",
                    "quantity": 1000000, "tags": [] }]
    });
    let orders = dir.path().join("orders.json");
    std::fs::write(
        &orders,
        json!([{ "id": "LOAD-1", "policy_id": "xtelary", "label": "load", "data": { "order": order, "exchange_options": [] } }]).to_string(),
    )
    .unwrap();
    let request = json!({ "kind": "return", "reason": "changed_mind", "lines": [{ "line_id": "L1", "quantity": 1 }],
        "resolution": null, "condition": { "unused": true, "original_packaging": true, "complete": true }, "exchange_for": null });
    let policy = Policy::preset("xtelary").unwrap();
    let scenario: Scenario =
        serde_json::from_value(json!({ "now": now, "order": order, "request": request })).unwrap();
    let quote = aftersale_engine::quote(&policy, &scenario).unwrap();
    assert!(quote.eligible, "{}", quote.explanation);
    let body = json!({
        "format": "aftersale.request/1", "order_id": "LOAD-1",
        "policy": { "id": "xtelary", "version": policy.version }, "request": request, "quote": quote,
        "attachments": [{ "name": "box.jpg", "type": "image/jpeg", "size": 1000 }], "contact": { "email": "load@example.com" }, "locale": "en", "submitted_at": now,
    })
    .to_string();

    let (mut server, addr) = start(&db, &orders);
    let acked: Arc<Mutex<Vec<String>>> = Arc::default();
    let stop = Arc::new(AtomicBool::new(false));
    let clients: Vec<_> = (0..4)
        .map(|c| {
            let (addr, body, acked, stop) =
                (addr.clone(), body.clone(), acked.clone(), stop.clone());
            std::thread::spawn(move || {
                for i in 0.. {
                    if stop.load(Ordering::Relaxed) {
                        break;
                    }
                    let key = format!("load-{c}-{i}");
                    let headers = [
                        ("Content-Type", "application/json"),
                        ("Idempotency-Key", key.as_str()),
                    ];
                    match http(&addr, "POST", "/api/requests", &headers, &body) {
                        Ok((201, text)) => {
                            let v: Value = serde_json::from_str(&text).unwrap();
                            acked
                                .lock()
                                .unwrap()
                                .push(v["request_id"].as_str().unwrap().to_owned());
                        }
                        Ok((status, text)) => panic!("unexpected answer {status}: {text}"),
                        Err(_) => break, // the server is gone
                    }
                }
            })
        })
        .collect();
    // Let the load run until a few hundred requests are in, then SIGKILL.
    let started = Instant::now();
    while acked.lock().unwrap().len() < 300 && started.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(5));
    }
    server.kill().unwrap(); // SIGKILL on Unix
    server.wait().unwrap();
    stop.store(true, Ordering::Relaxed);
    for c in clients {
        c.join().unwrap();
    }
    let acked = acked.lock().unwrap().clone();
    assert!(
        acked.len() >= 300,
        "only {} requests were acknowledged in a minute",
        acked.len()
    );

    // Every acknowledged request is in the file, read by a fresh connection.
    let conn = rusqlite::Connection::open(&db).unwrap();
    let stored: i64 = conn
        .query_row("SELECT COUNT(*) FROM requests", [], |r| r.get(0))
        .unwrap();
    let mut find = conn
        .prepare("SELECT status FROM requests WHERE id = ?1")
        .unwrap();
    for id in &acked {
        let status: String = find
            .query_row([id], |r| r.get(0))
            .unwrap_or_else(|e| panic!("acknowledged request {id} is lost: {e}"));
        assert_eq!(status, "requested");
    }
    assert!(stored as usize >= acked.len());
    eprintln!(
        "{} acknowledged, {} stored (the difference was committed but its answer never left)",
        acked.len(),
        stored
    );
    drop(find);
    drop(conn);

    // The server starts again on the same file and lists them, page by page.
    let (mut server, addr) = start(&db, &orders);
    let mut listed = 0;
    let mut after = String::new();
    loop {
        let (status, text) = http(
            &addr,
            "GET",
            &format!("/api/merchant/requests?limit=200{after}"),
            &[("Authorization", "Bearer ops-token-1")],
            "",
        )
        .unwrap();
        assert_eq!(status, 200, "{text}");
        let page: Value = serde_json::from_str(&text).unwrap();
        listed += page["requests"].as_array().unwrap().len();
        match page["next"].as_str() {
            Some(next) => {
                let next: String = form_urlencoded::byte_serialize(next.as_bytes()).collect();
                after = format!("&after={next}");
            }
            None => break,
        }
    }
    server.kill().unwrap();
    server.wait().unwrap();
    assert_eq!(listed, stored as usize);
}
