//! A shop for the tests: the server's router over a real database, the demo
//! orders seeded, and payloads built the way the widget builds them (the
//! engine's quote at the current instant).
#![allow(dead_code)]

use std::sync::Arc;

use aftersale_engine::{Policy, Scenario};
use aftersale_server::access::OrderKeys;
use aftersale_server::merchant::Merchants;
use aftersale_server::store::sqlite::Sqlite;
use aftersale_server::store::{Storage, StoredOrder};
use aftersale_server::{AppState, HttpConfig, router, seed};
use axum::Router;
use axum::body::Body;
use axum::http::Request;
use serde_json::{Value, json};
use tower::ServiceExt;

/// The merchant token of the tests.
pub const TOKEN: &str = "alice:alice-secret";

/// A shop on a database file in a fresh temporary folder.
pub struct Shop<S> {
    /// The HTTP surface.
    pub app: Router,
    /// The state behind it.
    pub state: Arc<AppState<S>>,
    /// The database file (SQLite).
    pub db: std::path::PathBuf,
    _dir: tempfile::TempDir,
}

/// The HTTP configuration of the tests.
pub fn http() -> HttpConfig {
    HttpConfig {
        allowed_origins: vec!["https://shop.example".into()],
        body_limit: 64 * 1024,
        static_dir: None,
    }
}

/// A SQLite shop with the demo orders, open to anyone who knows an id.
pub async fn sqlite_shop() -> Shop<Sqlite> {
    keyed_shop(OrderKeys::open()).await
}

/// A SQLite shop with the demo orders, whose orders need `keys`.
pub async fn keyed_shop(keys: OrderKeys) -> Shop<Sqlite> {
    shop_with(keys, Vec::new(), Vec::new()).await
}

/// A SQLite shop with the demo orders and `orders`, whose orders need
/// `keys`, deciding by the presets and `policies`.
pub async fn shop_with(
    keys: OrderKeys,
    policies: Vec<Policy>,
    orders: Vec<StoredOrder>,
) -> Shop<Sqlite> {
    shop_built(keys, policies, orders, |state| state).await
}

/// [`shop_with`], its state then given to `adjust` (a client header, …).
pub async fn shop_built(
    keys: OrderKeys,
    policies: Vec<Policy>,
    orders: Vec<StoredOrder>,
    adjust: impl FnOnce(AppState<Sqlite>) -> AppState<Sqlite>,
) -> Shop<Sqlite> {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let db = dir.path().join("shop.db");
    let store = Sqlite::open(&db).expect("the database opens");
    let mut all = seed::demo_orders(chrono::Utc::now());
    all.extend(orders);
    store.put_orders(all).await.expect("seeding");
    let mut state = AppState::new(store, Merchants::parse(TOKEN).unwrap())
        .unwrap()
        .with_order_keys(keys);
    for policy in policies {
        state = state.with_policy(policy);
    }
    let state = Arc::new(adjust(state));
    Shop {
        app: router(state.clone(), &http()),
        state,
        db,
        _dir: dir,
    }
}

/// An answer: status, headers, JSON body (or the text as a JSON string).
pub struct Answer {
    /// HTTP status.
    pub status: u16,
    /// Headers.
    pub headers: axum::http::HeaderMap,
    /// Body.
    pub body: Value,
}

/// Sends one request through the router: the answer's status, headers
/// and bytes as they came.
pub async fn call_raw(
    app: &Router,
    request: Request<Body>,
) -> (u16, axum::http::HeaderMap, axum::body::Bytes) {
    let response = app
        .clone()
        .oneshot(request)
        .await
        .expect("the router answers");
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .expect("a body");
    (status, headers, bytes)
}

/// Sends one request through the router.
pub async fn call(app: &Router, request: Request<Body>) -> Answer {
    let (status, headers, bytes) = call_raw(app, request).await;
    let body = serde_json::from_slice(&bytes)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()));
    Answer {
        status,
        headers,
        body,
    }
}

/// `GET path`.
pub async fn get(app: &Router, path: &str) -> Answer {
    call(app, Request::get(path).body(Body::empty()).unwrap()).await
}

/// `POST /api/requests` with a key and raw bytes.
pub async fn post_raw(app: &Router, key: &str, body: impl Into<Body>) -> Answer {
    post_to(app, "/api/requests", key, body).await
}

/// `POST` to `uri` (`/api/requests`, maybe with a query) with a key and raw
/// bytes.
pub async fn post_to(app: &Router, uri: &str, key: &str, body: impl Into<Body>) -> Answer {
    call(
        app,
        Request::post(uri)
            .header("content-type", "application/json")
            .header("idempotency-key", key)
            .body(body.into())
            .unwrap(),
    )
    .await
}

/// `POST /api/requests` with a payload.
pub async fn post(app: &Router, key: &str, payload: &Value) -> Answer {
    post_raw(app, key, payload.to_string()).await
}

/// A merchant API call with the test token.
pub async fn merchant(app: &Router, method: &str, path: &str, body: Option<Value>) -> Answer {
    let request = Request::builder()
        .method(method)
        .uri(path)
        .header("authorization", "Bearer alice-secret")
        .header("content-type", "application/json")
        .body(body.map_or(Body::empty(), |b| Body::from(b.to_string())))
        .unwrap();
    call(app, request).await
}

/// `GET path` as the merchant, taking `accept_encoding`: the answer's
/// status, headers and bytes as they came (a photo, a compressed page).
pub async fn merchant_raw(
    app: &Router,
    path: &str,
    accept_encoding: &str,
) -> (u16, axum::http::HeaderMap, axum::body::Bytes) {
    let request = Request::get(path)
        .header("authorization", "Bearer alice-secret")
        .header("accept-encoding", accept_encoding)
        .body(Body::empty())
        .unwrap();
    call_raw(app, request).await
}

/// The order's page data as the server serves it.
pub async fn order_data(app: &Router, id: &str) -> Value {
    order_data_at(app, id, "").await
}

/// The order's page data, asked with `query` (`?key=…`, or nothing).
pub async fn order_data_at(app: &Router, id: &str, query: &str) -> Value {
    let a = get(app, &format!("/api/orders/{id}{query}")).await;
    assert_eq!(a.status, 200, "GET order {id}: {}", a.body);
    a.body
}

/// The payload the widget would post for `request` on order `id` now: the
/// engine's own quote, the exchange target as the page offers it.
pub async fn payload(app: &Router, id: &str, request: Value) -> Value {
    payload_at(app, id, "", request).await
}

/// [`payload`], the order read with `query` (`?key=…`, or nothing).
pub async fn payload_at(app: &Router, id: &str, query: &str, request: Value) -> Value {
    let policy_id = if id.starts_with('X') {
        "xtelary"
    } else {
        "htvront"
    };
    payload_under(app, id, query, &Policy::preset(policy_id).unwrap(), request).await
}

/// [`payload_at`], quoted by `policy` (as a widget given that policy would).
pub async fn payload_under(
    app: &Router,
    id: &str,
    query: &str,
    policy: &Policy,
    request: Value,
) -> Value {
    let data = order_data_at(app, id, query).await;
    let scenario: Scenario = serde_json::from_value(json!({
        "now": chrono::Utc::now(),
        "order": data["order"],
        "request": request,
    }))
    .expect("a scenario");
    let quote = aftersale_engine::quote(policy, &scenario).expect("a quote");
    // A photo where the steps ask for photos, as the widget requires.
    let attachments = match aftersale_engine::photos_asked(policy, &quote) {
        Some(_) => json!([{ "name": "photo-1.jpg", "type": "image/jpeg", "size": 204800 }]),
        None => json!([]),
    };
    json!({
        "format": "aftersale.request/1",
        "order_id": id,
        "policy": { "id": policy.id, "version": policy.version },
        "request": request,
        "quote": quote,
        "attachments": attachments,
        "contact": { "email": "customer@example.com" },
        "locale": "en-US",
        "submitted_at": chrono::Utc::now(),
    })
}

/// Request shapes.
pub fn cancel() -> Value {
    json!({ "kind": "cancel", "reason": null, "lines": [], "resolution": null,
            "condition": null, "exchange_for": null })
}

/// A personal-reason return of `qty` units of `line`, in new condition.
pub fn changed_mind_return(line: &str, qty: u32) -> Value {
    json!({ "kind": "return", "reason": "changed_mind",
            "lines": [{ "line_id": line, "quantity": qty }], "resolution": null,
            "condition": { "unused": true, "original_packaging": true, "complete": true },
            "exchange_for": null })
}

/// An Xtelary exchange of one acrylic box for the 12-slot one.
pub fn exchange_box() -> Value {
    json!({ "kind": "exchange", "reason": "changed_mind",
            "lines": [{ "line_id": "L2", "quantity": 1 }], "resolution": null,
            "condition": { "unused": true, "original_packaging": true, "complete": true },
            "exchange_for": { "sku": "AC-BOX-12", "title": "Acrylic display box, 12 slots",
                              "unit_price": "59.90", "quantity": 1, "stock": 5 } })
}

/// A claim.
pub fn claim(reason: &str, lines: Value, resolution: Option<&str>) -> Value {
    json!({ "kind": "claim", "reason": reason, "lines": lines, "resolution": resolution,
            "condition": null, "exchange_for": null })
}

/// How many requests the database file holds, read with a connection of its own.
pub fn rows(db: &std::path::Path) -> i64 {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.query_row("SELECT COUNT(*) FROM requests", [], |r| r.get(0))
        .unwrap()
}

/// The published page-data schema (`schema/page-data.schema.json`), formats
/// checked.
pub struct PageDataSchema(jsonschema::Validator);

impl PageDataSchema {
    /// Compiles the schema.
    pub fn new() -> PageDataSchema {
        let schema: Value =
            serde_json::from_str(include_str!("../../../schema/page-data.schema.json"))
                .expect("the schema is JSON");
        let validator = jsonschema::options()
            .should_validate_formats(true)
            .build(&schema)
            .expect("the schema compiles");
        PageDataSchema(validator)
    }

    /// What in `data` the schema refuses, each with its place (none: valid).
    pub fn errors(&self, data: &Value) -> Vec<String> {
        (self.0.iter_errors(data))
            .map(|e| format!("{}: {e}", e.instance_path()))
            .collect()
    }
}
