//! The HTTP API against a real SQLite file: every answer of `POST
//! /api/requests`, idempotent replays, altered payloads, malformed bodies,
//! CORS and the merchant view.

mod common;

use aftersale_server::access::OrderKeys;
use aftersale_server::photos;
use axum::body::Body;
use axum::http::Request;
use common::*;
use serde_json::{Value, json};

/// A change made to a good payload.
type Change = Box<dyn Fn(&mut Value)>;

#[tokio::test]
async fn orders_are_served_from_the_store() {
    let shop = sqlite_shop().await;
    let list = get(&shop.app, "/api/orders").await;
    assert_eq!(list.status, 200);
    assert_eq!(list.body.as_array().unwrap().len(), 15);
    assert_eq!(list.body[0]["policy"], "htvront");
    let data = order_data(&shop.app, "X-105").await;
    assert_eq!(data["order"]["id"], "X-105");
    assert!(data["order"]["delivered_at"].is_string());
    assert_eq!(data["exchange_options"].as_array().unwrap().len(), 3);
    let missing = get(&shop.app, "/api/orders/X-999").await;
    assert_eq!(missing.status, 404);
    assert_eq!(missing.body["field"], "id");
}

#[tokio::test]
async fn every_order_s_page_data_is_valid_by_the_published_schema() {
    let schema = PageDataSchema::new();
    let shop = sqlite_shop().await;
    // With a request stored, so that `requests` is not empty.
    let p = payload(&shop.app, "X-101", cancel()).await;
    let a = post(&shop.app, "7a1d6c2e-0000-4000-8000-0000000000aa", &p).await;
    assert_eq!(a.status, 201, "{}", a.body);
    let list = get(&shop.app, "/api/orders").await;
    for order in list.body.as_array().unwrap() {
        let id = order["id"].as_str().unwrap();
        let data = order_data(&shop.app, id).await;
        let errors = schema.errors(&data);
        assert!(errors.is_empty(), "{id}: {errors:?}");
        if id == "X-101" {
            assert_eq!(data["requests"].as_array().unwrap().len(), 1);
        }
    }
}

#[tokio::test]
async fn an_equal_quote_is_created_and_stored_with_its_history() {
    let shop = sqlite_shop().await;
    // Xtelary, placed 30 h ago, not shipped: the 2% cancellation fee.
    let p = payload(&shop.app, "X-101", cancel()).await;
    assert_eq!(p["quote"]["fee"], "5.57");
    let a = post(&shop.app, "7a1d6c2e-0000-4000-8000-000000000001", &p).await;
    assert_eq!(a.status, 201, "{}", a.body);
    assert_eq!(a.body["status"], "created");
    assert!(a.body["rma"].is_null(), "a cancellation has no RMA step");
    let id = a.body["request_id"].as_str().unwrap().to_owned();
    assert_eq!(rows(&shop.db), 1);

    // A return whose steps ask for an RMA code gets one.
    let p = payload(&shop.app, "X-105", changed_mind_return("L2", 1)).await;
    let a = post(&shop.app, "7a1d6c2e-0000-4000-8000-000000000002", &p).await;
    assert_eq!(a.status, 201, "{}", a.body);
    assert!(a.body["rma"].as_str().unwrap().starts_with("RMA-"));

    let r = merchant(
        &shop.app,
        "GET",
        &format!("/api/merchant/requests/{id}"),
        None,
    )
    .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body["status"], "requested");
    assert_eq!(r.body["quote"], p_quote_of(&shop, "X-101").await);
    assert_eq!(r.body["policy_version"], "2026-11-22");
    assert_eq!(
        r.body["payload"]["contact"]["email"],
        "customer@example.com"
    );
    assert_eq!(r.body["events"][0]["actor"], "customer");
    assert_eq!(r.body["events"][0]["to"], "requested");
}

async fn p_quote_of(shop: &Shop<aftersale_server::store::sqlite::Sqlite>, id: &str) -> Value {
    payload(&shop.app, id, cancel()).await["quote"].clone()
}

#[tokio::test]
async fn a_different_quote_is_a_conflict_with_the_servers_quote_and_nothing_stored() {
    let shop = sqlite_shop().await;
    let mut p = payload(&shop.app, "X-101", cancel()).await;
    let honest = p["quote"].clone();
    p["quote"]["fee"] = json!("0.00");
    p["quote"]["refund"] = json!("278.70");
    let a = post(&shop.app, "k-conflict", &p).await;
    assert_eq!(a.status, 409, "{}", a.body);
    assert_eq!(a.body["status"], "quote_changed");
    assert_eq!(a.body["quote"], honest);
    assert_eq!(rows(&shop.db), 0);
}

#[tokio::test]
async fn an_ineligible_request_is_refused_with_its_clause() {
    let shop = sqlite_shop().await;
    // HTVRont, delivered over a month ago: the claim window is closed.
    let p = payload(
        &shop.app,
        "H-106",
        claim(
            "damaged",
            json!([{ "line_id": "L1", "quantity": 1 }]),
            Some("store_credit"),
        ),
    )
    .await;
    let a = post(&shop.app, "k-refused", &p).await;
    assert_eq!(a.status, 422, "{}", a.body);
    assert_eq!(a.body["status"], "refused");
    assert_eq!(a.body["clause"], "htvront.claim_window");
    assert!(a.body["explanation"].as_str().unwrap().contains("10 days"));
    assert_eq!(rows(&shop.db), 0);
}

#[tokio::test]
async fn schema_errors_name_the_field() {
    let shop = sqlite_shop().await;
    let good = payload(&shop.app, "X-105", changed_mind_return("L2", 1)).await;
    let cases: Vec<(&str, Change)> = vec![
        (
            "contact",
            Box::new(|p| {
                p.as_object_mut().unwrap().remove("contact");
            }),
        ),
        (
            "contact.email",
            Box::new(|p| p["contact"]["email"] = json!("not an address")),
        ),
        (
            "request.lines[0].quantity",
            Box::new(|p| p["request"]["lines"][0]["quantity"] = json!(0)),
        ),
        (
            "quote.refund",
            Box::new(|p| p["quote"]["refund"] = json!(37.9)),
        ),
        (
            "submitted_at",
            Box::new(|p| p["submitted_at"] = json!("yesterday")),
        ),
        (
            "format",
            Box::new(|p| p["format"] = json!("aftersale.request/2")),
        ),
        (
            "request.colour",
            Box::new(|p| p["request"]["colour"] = json!("red")),
        ),
        (
            "attachments[0].type",
            Box::new(|p| {
                p["attachments"] = json!([{ "name": "a.gif", "type": "image/gif", "size": 10 }])
            }),
        ),
    ];
    for (field, change) in cases {
        let mut p = good.clone();
        change(&mut p);
        let a = post(&shop.app, &format!("k-schema-{field}"), &p).await;
        assert_eq!(a.status, 400, "{field}: {}", a.body);
        assert_eq!(a.body["status"], "invalid");
        assert_eq!(a.body["field"], field, "{}", a.body);
    }
    assert_eq!(rows(&shop.db), 0);
}

#[tokio::test]
async fn a_thousand_replays_store_one_row_and_give_the_first_answer() {
    let shop = sqlite_shop().await;
    let p = payload(&shop.app, "X-105", changed_mind_return("L1", 1)).await;
    let body = p.to_string();
    let first = post_raw(&shop.app, "replayed-key", body.clone()).await;
    assert_eq!(first.status, 201, "{}", first.body);
    for _ in 0..1000 {
        let again = post_raw(&shop.app, "replayed-key", body.clone()).await;
        assert_eq!(again.status, 201);
        assert_eq!(again.body, first.body);
    }
    assert_eq!(rows(&shop.db), 1);
    // The same key with another body is refused, and stores nothing.
    let other = payload(&shop.app, "X-105", changed_mind_return("L2", 1)).await;
    let a = post(&shop.app, "replayed-key", &other).await;
    assert_eq!(a.status, 400, "{}", a.body);
    assert_eq!(a.body["field"], "Idempotency-Key");
    assert_eq!(rows(&shop.db), 1);
}

#[tokio::test]
async fn altered_payloads_are_all_refused_and_nothing_is_stored() {
    let shop = sqlite_shop().await;
    let ret = payload(&shop.app, "X-105", changed_mind_return("L2", 1)).await;
    let exch = payload(&shop.app, "X-105", exchange_box()).await;
    let corpus: Vec<(&str, Value, Change, u16)> = vec![
        (
            "a lower fee",
            ret.clone(),
            Box::new(|p| p["quote"]["fee"] = json!("0.00")),
            409,
        ),
        (
            "a higher refund",
            ret.clone(),
            Box::new(|p| p["quote"]["refund"] = json!("39.90")),
            409,
        ),
        (
            "store credit added",
            ret.clone(),
            Box::new(|p| p["quote"]["store_credit"] = json!("5.00")),
            409,
        ),
        (
            "a later deadline",
            ret.clone(),
            Box::new(|p| p["quote"]["deadline"] = json!("2099-01-01T00:00:00Z")),
            409,
        ),
        (
            "no deadline",
            ret.clone(),
            Box::new(|p| p["quote"]["deadline"] = json!(null)),
            409,
        ),
        (
            "merchant pays postage",
            ret.clone(),
            Box::new(|p| p["quote"]["return_shipping_paid_by"] = json!("merchant")),
            409,
        ),
        (
            "a step dropped",
            ret.clone(),
            Box::new(|p| {
                p["quote"]["steps"].as_array_mut().unwrap().pop();
            }),
            409,
        ),
        (
            "a line not in the order",
            ret.clone(),
            Box::new(|p| p["request"]["lines"][0]["line_id"] = json!("L9")),
            400,
        ),
        (
            "another order's line",
            ret.clone(),
            Box::new(|p| p["request"]["lines"][0]["line_id"] = json!("L3")),
            400,
        ),
        (
            "another order with the same lines",
            ret.clone(),
            Box::new(|p| p["order_id"] = json!("X-106")),
            422,
        ),
        (
            "an order that is not there",
            ret.clone(),
            Box::new(|p| p["order_id"] = json!("X-999")),
            404,
        ),
        (
            "extra quantity",
            ret.clone(),
            Box::new(|p| p["request"]["lines"][0]["quantity"] = json!(3)),
            400,
        ),
        (
            "another policy",
            ret.clone(),
            Box::new(|p| p["policy"]["id"] = json!("htvront")),
            400,
        ),
        (
            "a cheaper exchange item",
            exch.clone(),
            Box::new(|p| p["request"]["exchange_for"]["unit_price"] = json!("39.90")),
            400,
        ),
        (
            "more stock than there is",
            exch.clone(),
            Box::new(|p| p["request"]["exchange_for"]["quantity"] = json!(9)),
            422,
        ),
        (
            "an item not offered",
            exch.clone(),
            Box::new(|p| p["request"]["exchange_for"]["sku"] = json!("WW-GOLD")),
            400,
        ),
        (
            "a price difference waived",
            exch.clone(),
            Box::new(|p| p["quote"]["customer_pays"] = json!("0.00")),
            409,
        ),
    ];
    for (i, (what, base, change, status)) in corpus.into_iter().enumerate() {
        let mut p = base;
        change(&mut p);
        let a = post(&shop.app, &format!("altered-{i}"), &p).await;
        assert_eq!(a.status, status, "{what}: {}", a.body);
        assert_ne!(a.body["status"], "created", "{what}");
        assert_eq!(rows(&shop.db), 0, "{what} stored a row");
    }
}

/// Asserts the shop refused a request for a conflict with the order's open
/// requests, naming it and the field at fault.
fn refused_for(a: &Answer, conflict: &str, field: &str) {
    assert_eq!(a.status, 422, "{}", a.body);
    assert_eq!(a.body["clause"], "server.already_requested", "{}", a.body);
    assert_eq!(a.body["conflict"], conflict, "{}", a.body);
    assert_eq!(a.body["field"], field, "{}", a.body);
}

#[tokio::test]
async fn units_in_an_open_request_cannot_be_requested_again() {
    let shop = sqlite_shop().await;
    let p = payload(&shop.app, "X-105", changed_mind_return("L1", 1)).await;
    assert_eq!(post(&shop.app, "units-1", &p).await.status, 201);
    let again = payload(&shop.app, "X-105", changed_mind_return("L1", 1)).await;
    let a = post(&shop.app, "units-2", &again).await;
    refused_for(&a, "units_taken", "request.lines[0].quantity");
    let c1 = payload(&shop.app, "X-100", cancel()).await;
    assert_eq!(post(&shop.app, "cancel-1", &c1).await.status, 201);
    let c2 = payload(&shop.app, "X-100", cancel()).await;
    assert_eq!(post(&shop.app, "cancel-2", &c2).await.status, 422);
    assert_eq!(rows(&shop.db), 2);
}

#[tokio::test]
async fn a_cancellation_and_a_return_of_the_same_order_are_not_both_taken() {
    let shop = sqlite_shop().await;
    // Cancelled first: a return of its units would pay them back a second time.
    let c = payload(&shop.app, "X-100", cancel()).await;
    assert_eq!(post(&shop.app, "cancel", &c).await.status, 201);
    let listed = &order_data(&shop.app, "X-100").await["requests"];
    assert_eq!(listed[0]["kind"], "cancel");
    assert_eq!(listed[0]["lines"], json!([]));
    assert_eq!(listed[0]["rma"], Value::Null);
    let r = payload(&shop.app, "X-100", changed_mind_return("L2", 1)).await;
    let a = post(&shop.app, "return-after-cancel", &r).await;
    refused_for(&a, "order_cancelled", "request.lines");
    // Returned first (Xtelary's window runs from the order, shipped or not):
    // the order can no longer be cancelled whole.
    let r = payload(&shop.app, "X-101", changed_mind_return("L2", 1)).await;
    assert_eq!(post(&shop.app, "return", &r).await.status, 201);
    let c = payload(&shop.app, "X-101", cancel()).await;
    let a = post(&shop.app, "cancel-after-return", &c).await;
    refused_for(&a, "units_in_requests", "request.kind");
    assert_eq!(rows(&shop.db), 2);
}

/// An HTVRont exchange of one unit of `line` for the black vinyl (10.00).
fn htv_exchange(line: &str) -> Value {
    json!({ "kind": "exchange", "reason": "changed_mind",
            "lines": [{ "line_id": line, "quantity": 1 }], "resolution": null,
            "condition": null,
            "exchange_for": { "sku": "HTV-BLK-12", "title": "Heat transfer vinyl, black, 12 in × 5 ft",
                              "unit_price": "10.00", "quantity": 1, "stock": 40 } })
}

#[tokio::test]
async fn an_open_exchange_is_the_orders_one_exchange_under_htvront() {
    let shop = sqlite_shop().await;
    assert_eq!(
        order_data(&shop.app, "H-100").await["order"]["exchanges_used"],
        0
    );
    // Quoted before the first exchange is in: eligible on the customer's page.
    let stale = payload(&shop.app, "H-100", htv_exchange("L2")).await;
    assert_eq!(stale["quote"]["eligible"], true);
    let first = payload(&shop.app, "H-100", htv_exchange("L1")).await;
    let a = post(&shop.app, "exchange-1", &first).await;
    assert_eq!(a.status, 201, "{}", a.body);
    // The page now lists it and counts it, so the widget shows the exchange
    // as used ...
    let page = order_data(&shop.app, "H-100").await;
    assert_eq!(page["order"]["exchanges_used"], 1);
    assert_eq!(page["requests"].as_array().unwrap().len(), 1);
    let listed = &page["requests"][0];
    assert_eq!(listed["id"], a.body["request_id"]);
    assert_eq!(listed["kind"], "exchange");
    assert_eq!(listed["status"], "requested");
    assert_eq!(listed["lines"], json!([{ "line_id": "L1", "quantity": 1 }]));
    let again = payload(&shop.app, "H-100", htv_exchange("L2")).await;
    assert_eq!(again["quote"]["eligible"], false);
    assert_eq!(again["quote"]["clauses"][0], "htvront.exchange");
    // ... and the server refuses a second one with the policy's clause, also
    // from a page loaded before the first.
    let a = post(&shop.app, "exchange-2", &stale).await;
    assert_eq!(a.status, 422, "{}", a.body);
    assert_eq!(a.body["clause"], "htvront.exchange");
    // A rejected exchange is no exchange: the order may have one again.
    let list = merchant(&shop.app, "GET", "/api/merchant/requests", None).await;
    let id = list.body["requests"][0]["id"].as_str().unwrap().to_owned();
    let path = format!("/api/merchant/requests/{id}/status");
    let moved = merchant(&shop.app, "POST", &path, Some(json!({ "to": "rejected" }))).await;
    assert_eq!(moved.status, 200, "{}", moved.body);
    let page = order_data(&shop.app, "H-100").await;
    assert_eq!(page["order"]["exchanges_used"], 0);
    assert_eq!(page["requests"][0]["status"], "rejected");
    let a = post(&shop.app, "exchange-3", &stale).await;
    assert_eq!(a.status, 201, "{}", a.body);
    // Xtelary has no such limit: two exchanges of one order both stand.
    for key in ["x-exchange-1", "x-exchange-2"] {
        let p = payload(&shop.app, "X-100", exchange_box()).await;
        assert_eq!(post(&shop.app, key, &p).await.status, 201, "{key}");
    }
    assert_eq!(
        order_data(&shop.app, "X-100").await["order"]["exchanges_used"],
        2
    );
}

#[tokio::test]
async fn malformed_and_oversized_bodies_are_refused_without_a_panic() {
    let shop = sqlite_shop().await;
    let cases: Vec<(&str, Vec<u8>, u16, &str)> = vec![
        ("empty", vec![], 400, "body"),
        ("not JSON", b"{\"format\": ".to_vec(), 400, "body"),
        ("an array", b"[1, 2]".to_vec(), 400, "body"),
        ("a string", b"\"hello\"".to_vec(), 400, "body"),
        ("not UTF-8", vec![0xff, 0xfe, 0x00], 400, "body"),
        (
            "deep nesting",
            "[".repeat(100_000).into_bytes(),
            413,
            "body",
        ),
        (
            "oversized",
            format!("{{\"pad\": \"{}\"}}", "x".repeat(70 * 1024)).into_bytes(),
            413,
            "body",
        ),
    ];
    for (what, body, status, field) in cases {
        let key = format!("bad-{}", what.replace(' ', "-"));
        let a = post_raw(&shop.app, &key, body).await;
        assert_eq!(a.status, status, "{what}: {}", a.body);
        assert_eq!(a.body["field"], field, "{what}: {}", a.body);
    }
    let p = payload(&shop.app, "X-101", cancel()).await;
    let no_key = call(
        &shop.app,
        Request::post("/api/requests")
            .header("content-type", "application/json")
            .body(Body::from(p.to_string()))
            .unwrap(),
    )
    .await;
    assert_eq!(no_key.status, 400);
    assert_eq!(no_key.body["field"], "Idempotency-Key");
    let form = call(
        &shop.app,
        Request::post("/api/requests")
            .header("content-type", "application/x-www-form-urlencoded")
            .header("idempotency-key", "form")
            .body(Body::from(p.to_string()))
            .unwrap(),
    )
    .await;
    assert_eq!(form.status, 415);
    assert_eq!(rows(&shop.db), 0);
    // Still serving.
    assert_eq!(post(&shop.app, "after-bad", &p).await.status, 201);
}

#[tokio::test]
async fn cors_answers_only_the_configured_origins() {
    let shop = sqlite_shop().await;
    let preflight = |origin: &str| {
        Request::builder()
            .method("OPTIONS")
            .uri("/api/requests")
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header(
                "access-control-request-headers",
                "content-type,idempotency-key",
            )
            .body(Body::empty())
            .unwrap()
    };
    let ok = call(&shop.app, preflight("https://shop.example")).await;
    assert_eq!(
        ok.headers["access-control-allow-origin"],
        "https://shop.example"
    );
    let allowed = ok.headers["access-control-allow-headers"].to_str().unwrap();
    assert!(allowed.contains("idempotency-key"), "{allowed}");
    // A photo is sent after its request, by PUT.
    let methods = ok.headers["access-control-allow-methods"].to_str().unwrap();
    assert!(methods.contains("PUT"), "{methods}");
    // A large one in parts, each with its Content-Range.
    assert!(allowed.contains("content-range"), "{allowed}");
    // The order's page data tells a shop's page the server's clock.
    let from_shop = |uri: &str| {
        Request::get(uri)
            .header("origin", "https://shop.example")
            .body(Body::empty())
            .unwrap()
    };
    let order = call(&shop.app, from_shop("/api/orders/X-105")).await;
    assert_eq!(order.status, 200);
    let exposed = order.headers["access-control-expose-headers"]
        .to_str()
        .unwrap();
    assert!(exposed.contains("date"), "{exposed}");
    // And how long to wait after a 503.
    assert!(exposed.contains("retry-after"), "{exposed}");
    let other = call(&shop.app, preflight("https://evil.example")).await;
    assert!(other.headers.get("access-control-allow-origin").is_none());
    let merchant = call(&shop.app, from_shop("/api/merchant/requests")).await;
    assert!(
        merchant
            .headers
            .get("access-control-allow-origin")
            .is_none()
    );
}

#[tokio::test]
async fn storage_that_fails_is_a_503_to_try_again_without_the_database_s_words() {
    let shop = sqlite_shop().await;
    // Ready while the database answers (a load balancer's check).
    let ready = get(&shop.app, "/api/ready").await;
    assert_eq!((ready.status, &ready.body["status"]), (200, &json!("ok")));
    // The tables gone from under the server (a database restored wrongly).
    let conn = rusqlite::Connection::open(&shop.db).unwrap();
    conn.execute_batch("DROP TABLE orders; DROP TABLE requests;")
        .unwrap();
    let public = get(&shop.app, "/api/orders/X-105").await;
    let listed = get(&shop.app, "/api/orders").await;
    let merchant_list = merchant(&shop.app, "GET", "/api/merchant/requests", None).await;
    let ready = get(&shop.app, "/api/ready").await;
    for answer in [public, listed, merchant_list, ready] {
        assert_eq!(answer.status, 503, "{}", answer.body);
        // How long to wait: the widget waits so (and backs off further).
        assert_eq!(answer.headers["retry-after"], "5");
        assert_eq!(answer.body["status"], "unavailable");
        assert_eq!(
            answer.body["message"],
            "storage is unavailable; try again shortly"
        );
        assert!(
            !answer.body.to_string().contains("no such table"),
            "{}",
            answer.body
        );
    }
}

#[tokio::test]
async fn cors_for_any_origin_when_told_so() {
    // `--allow-origin '*'`: a widget on any shop's page (its API takes no
    // cookies; orders behind keys stay behind them).
    let shop = sqlite_shop().await;
    let config = aftersale_server::HttpConfig {
        allowed_origins: vec!["*".into()],
        ..http()
    };
    let app = aftersale_server::router(shop.state.clone(), &config);
    let order = call(
        &app,
        Request::get("/api/orders/X-105")
            .header("origin", "https://any.example")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(order.status, 200);
    assert_eq!(order.headers["access-control-allow-origin"], "*");
}

#[tokio::test]
async fn the_merchant_moves_requests_as_the_policy_allows() {
    let shop = sqlite_shop().await;
    let unauth = get(&shop.app, "/api/merchant/requests").await;
    assert_eq!(unauth.status, 401);

    // HTVRont, delivered 3 days ago: a damaged item settled with store credit.
    let p = payload(
        &shop.app,
        "H-105",
        claim(
            "damaged",
            json!([{ "line_id": "L2", "quantity": 1 }]),
            Some("store_credit"),
        ),
    )
    .await;
    assert_eq!(p["quote"]["store_credit"], "24.99");
    let a = post(&shop.app, "claim-credit", &p).await;
    assert_eq!(a.status, 201, "{}", a.body);
    let id = a.body["request_id"].as_str().unwrap().to_owned();
    let path = format!("/api/merchant/requests/{id}/status");

    let early = merchant(&shop.app, "POST", &path, Some(json!({ "to": "credited" }))).await;
    assert_eq!(early.status, 400, "{}", early.body);
    // A body that is no status change: 400 naming the field at fault, and
    // what to send.
    for (body, field, says) in [
        (json!({}), "body", "missing field `to`"),
        (json!({ "to": 5 }), "to", "invalid type"),
        (
            json!({ "to": "approved", "note": ["fine"] }),
            "note",
            "invalid type",
        ),
        (
            json!({ "to": "approved", "by": "bob" }),
            "by",
            "unknown field `by`",
        ),
        (json!(["approved"]), "body", "expected a JSON object"),
    ] {
        let bad = merchant(&shop.app, "POST", &path, Some(body.clone())).await;
        assert_eq!(bad.status, 400, "{body}: {}", bad.body);
        assert_eq!(bad.body["field"], field, "{body}: {}", bad.body);
        let message = bad.body["message"].as_str().unwrap();
        assert!(message.contains(says), "{body}: {message}");
        assert!(
            message.ends_with(r#"send {"to": status, "note"?: text}"#),
            "{message}"
        );
    }
    let not_json = call(
        &shop.app,
        Request::post(&path)
            .header("authorization", "Bearer alice-secret")
            .header("content-type", "application/json")
            .body(Body::from("to=approved"))
            .unwrap(),
    )
    .await;
    assert_eq!(not_json.status, 400, "{}", not_json.body);
    assert_eq!(not_json.body["field"], "body");
    let ok = merchant(
        &shop.app,
        "POST",
        &path,
        Some(json!({ "to": "approved", "note": "photos fine" })),
    )
    .await;
    assert_eq!(ok.status, 200, "{}", ok.body);
    // What the merchant view offers next: store credit or a rejection.
    assert_eq!(ok.body["next"], json!(["credited", "rejected"]));
    let refund = merchant(&shop.app, "POST", &path, Some(json!({ "to": "refunded" }))).await;
    assert_eq!(refund.status, 422, "{}", refund.body);
    assert!(
        refund.body["message"]
            .as_str()
            .unwrap()
            .contains("store credit")
    );
    let back = merchant(
        &shop.app,
        "POST",
        &path,
        Some(json!({ "to": "item_received" })),
    )
    .await;
    assert_eq!(back.status, 422, "{}", back.body);
    let done = merchant(&shop.app, "POST", &path, Some(json!({ "to": "credited" }))).await;
    assert_eq!(done.status, 200, "{}", done.body);
    assert_eq!(done.body["status"], "credited");
    let events = done.body["events"].as_array().unwrap();
    assert_eq!(events.len(), 3);
    assert_eq!(events[1]["actor"], "alice");
    assert_eq!(events[1]["from"], "requested");
    assert_eq!(events[1]["to"], "approved");
    assert_eq!(events[1]["note"], "photos fine");
    assert_eq!(done.body["next"], json!([]), "credited is final");
    let fin = merchant(&shop.app, "POST", &path, Some(json!({ "to": "rejected" }))).await;
    assert_eq!(fin.status, 400);

    let list = merchant(&shop.app, "GET", "/api/merchant/requests", None).await;
    assert_eq!(list.body["requests"].as_array().unwrap().len(), 1);
    // Customers' data is kept by no cache.
    for answer in [&list, &done] {
        assert_eq!(answer.headers["cache-control"], "no-store");
    }
    let page = get(&shop.app, "/merchant").await;
    assert_eq!(page.status, 200);
    // Drawn in no other site's frame.
    assert_eq!(
        page.headers["content-security-policy"],
        "frame-ancestors 'none'"
    );
    assert_eq!(page.headers["x-frame-options"], "DENY");
    assert_eq!(page.headers["referrer-policy"], "no-referrer");
}

#[tokio::test]
async fn the_merchant_list_comes_in_pages_of_one_status_or_all() {
    let shop = sqlite_shop().await;
    let (mut made, mut rmas) = (Vec::new(), Vec::new());
    for (order, request) in [
        ("X-100", cancel()),
        ("X-105", changed_mind_return("L1", 1)),
        ("X-105", changed_mind_return("L2", 1)),
        (
            "H-105",
            claim(
                "damaged",
                json!([{ "line_id": "L2", "quantity": 1 }]),
                Some("store_credit"),
            ),
        ),
    ] {
        let mut p = payload(&shop.app, order, request).await;
        p["contact"]["email"] = json!(format!("Customer.{}@Example.com", made.len()));
        let a = post(&shop.app, &format!("page-{}", made.len()), &p).await;
        assert_eq!(a.status, 201, "{}", a.body);
        made.push(a.body["request_id"].as_str().unwrap().to_owned());
        rmas.push(a.body["rma"].as_str().map(str::to_owned));
    }
    let first = made[0].clone();
    let sent = made.clone();
    let approve = Some(json!({ "to": "approved" }));
    let path = format!("/api/merchant/requests/{first}/status");
    assert_eq!(
        merchant(&shop.app, "POST", &path, approve).await.status,
        200
    );

    // Pages of 3 then 1, newest first, each request once.
    let app = shop.app.clone();
    let list = move |q: &str| {
        let (app, path) = (app.clone(), format!("/api/merchant/requests{q}"));
        async move { merchant(&app, "GET", &path, None).await }
    };

    let ids = |a: &Answer| -> Vec<String> {
        a.body["requests"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_str().unwrap().to_owned())
            .collect()
    };
    let all = list("").await;
    assert_eq!(all.status, 200, "{}", all.body);
    assert_eq!(all.body["next"], Value::Null);
    assert_eq!(ids(&all).len(), 4);
    let one = list("?limit=3").await;
    assert_eq!(ids(&one), ids(&all)[..3]);
    let next = one.body["next"].as_str().expect("a next page").to_owned();
    let two = list(&format!(
        "?limit=3&after={}",
        form_urlencoded::byte_serialize(next.as_bytes()).collect::<String>()
    ))
    .await;
    assert_eq!(two.status, 200, "{}", two.body);
    assert_eq!(ids(&two), ids(&all)[3..]);
    assert_eq!(two.body["next"], Value::Null);
    let mut seen = [ids(&one), ids(&two)].concat();
    seen.sort();
    made.sort();
    assert_eq!(seen, made);
    // One status: the approved request only, and the rest still requested.
    assert_eq!(
        ids(&list("?status=approved").await),
        std::slice::from_ref(&first)
    );
    let requested = list("?status=requested&limit=200").await;
    assert_eq!(ids(&requested).len(), 3);
    assert!(!ids(&requested).contains(&first));

    // Found by what a customer writes or a parcel carries: an order id,
    // an RMA code in any case with or without `RMA-`, a request id, an
    // email in any case; newest first, with a status, in pages.
    let find = |text: &str| {
        format!(
            "?find={}",
            form_urlencoded::byte_serialize(text.as_bytes()).collect::<String>()
        )
    };
    let in_order = |i: &[usize]| i.iter().map(|&i| sent[i].clone()).collect::<Vec<_>>();
    let newest_first = |i: &[usize]| {
        let mut v = in_order(i);
        v.sort_by_key(|id| ids(&all).iter().position(|x| x == id));
        v
    };
    assert_eq!(ids(&list(&find("X-105")).await), newest_first(&[1, 2]));
    let rma = rmas[2].clone().expect("an Xtelary return has an RMA code");
    assert_eq!(ids(&list(&find(&rma)).await), in_order(&[2]));
    let code = rma.strip_prefix("RMA-").unwrap().to_ascii_lowercase();
    assert_eq!(
        ids(&list(&find(&format!(" {code} "))).await),
        in_order(&[2])
    );
    assert_eq!(
        ids(&list(&find(&sent[3].to_uppercase())).await),
        in_order(&[3])
    );
    assert_eq!(
        ids(&list(&find("customer.1@EXAMPLE.COM")).await),
        in_order(&[1])
    );
    assert_eq!(ids(&list(&find("customer.1@example")).await), in_order(&[]));
    assert_eq!(
        ids(&list(&find("x-105")).await),
        newest_first(&[1, 2]),
        "an order id in small letters"
    );
    assert_eq!(
        ids(&list(&find("X-10")).await),
        in_order(&[]),
        "whole ids only"
    );
    assert_eq!(
        ids(&list(&format!("{}&status=approved", find("X-100"))).await),
        in_order(&[0])
    );
    assert_eq!(
        ids(&list(&format!("{}&status=requested", find("X-100"))).await),
        in_order(&[])
    );
    let page = list(&format!("{}&limit=1", find("X-105"))).await;
    assert_eq!(ids(&page), newest_first(&[1, 2])[..1]);
    let after = page.body["next"].as_str().expect("a next page");
    let page = list(&format!(
        "{}&limit=1&after={}",
        find("X-105"),
        form_urlencoded::byte_serialize(after.as_bytes()).collect::<String>()
    ))
    .await;
    assert_eq!(ids(&page), newest_first(&[1, 2])[1..]);
    assert_eq!(
        ids(&list("?find=").await),
        ids(&all),
        "nothing to find: every one"
    );
    assert_eq!(ids(&list("?find=%20").await), ids(&all));

    // Each part of the query checked, the part at fault named.
    for (q, field, says) in [
        ("?status=shipped", "status", "not a status"),
        ("?limit=0", "limit", "from 1 to 200"),
        ("?limit=201", "limit", "from 1 to 200"),
        ("?limit=ten", "limit", "from 1 to 200"),
        ("?after=yesterday", "after", "the `next` of the page before"),
        ("?stauts=approved", "stauts", "not a parameter"),
        ("?status=requested&status=approved", "status", "given twice"),
        ("?limit=2&status=approved&limit=3", "limit", "given twice"),
        (
            &format!("?find={}", "a".repeat(255)),
            "find",
            "longer than 254 characters",
        ),
        ("?find=X-105&find=X-100", "find", "given twice"),
    ] {
        let bad = list(q).await;
        assert_eq!(bad.status, 400, "{q}: {}", bad.body);
        assert_eq!(bad.body["field"], field, "{q}");
        assert!(
            bad.body["message"].as_str().unwrap().contains(says),
            "{q}: {}",
            bad.body
        );
    }
}

/// `PUT /api/requests/{id}/photos/{index}` with a key, a media type and bytes.
async fn put_photo(
    app: &axum::Router,
    path: &str,
    key: &str,
    media: &str,
    bytes: Vec<u8>,
) -> Answer {
    call(
        app,
        Request::put(path)
            .header("content-type", media)
            .header("idempotency-key", key)
            .body(Body::from(bytes))
            .unwrap(),
    )
    .await
}

/// `PUT /api/requests/{id}/photos/{index}` of a part of a photo: its
/// `Content-Range` and bytes.
async fn put_part(app: &axum::Router, path: &str, key: &str, range: &str, bytes: &[u8]) -> Answer {
    call(
        app,
        Request::put(path)
            .header("content-type", "image/jpeg")
            .header("idempotency-key", key)
            .header("content-range", range)
            .body(Body::from(bytes.to_vec()))
            .unwrap(),
    )
    .await
}

#[tokio::test]
async fn with_an_order_secret_an_order_is_read_and_requested_only_with_its_key() {
    let keys = OrderKeys::with_secret("a secret of some length").unwrap();
    let shop = keyed_shop(keys.clone()).await;
    let key = keys.key("X-105").unwrap();
    let refused = |a: &Answer| (a.status, a.body["field"].clone());
    let forbidden = (403, json!("key"));
    // Not listed; not read without its key, with another order's, or with
    // a made-up one, whether the order exists or not.
    assert_eq!(refused(&get(&shop.app, "/api/orders").await), forbidden);
    let other = keys.key("X-106").unwrap();
    for path in [
        "/api/orders/X-105".to_owned(),
        format!("/api/orders/X-105?key={other}"),
        "/api/orders/X-105?key=00000000000000000000000000000000".to_owned(),
        format!("/api/orders/X-105?key={}", &key[..31]),
        format!("/api/orders/X-999?key={key}"),
    ] {
        let a = get(&shop.app, &path).await;
        assert_eq!(refused(&a), forbidden, "{path}: {}", a.body);
        assert!(a.body.get("order").is_none());
    }
    let missing = get(
        &shop.app,
        &format!("/api/orders/X-999?key={}", keys.key("X-999").unwrap()),
    )
    .await;
    assert_eq!(missing.status, 404);
    let data = order_data_at(&shop.app, "X-105", &format!("?key={key}")).await;
    assert_eq!(data["order"]["id"], "X-105");

    // A request for it is taken only with its key; the photos then follow
    // with the request's own key, as ever.
    let mut p = payload_at(
        &shop.app,
        "X-105",
        &format!("?key={key}"),
        changed_mind_return("L2", 1),
    )
    .await;
    p["attachments"] = json!([{ "name": "box.jpg", "type": "image/jpeg", "size": 4 }]);
    let sender = "7a1d6c2e-0000-4000-8000-0000000000d1";
    for uri in [
        "/api/requests".to_owned(),
        format!("/api/requests?key={other}"),
    ] {
        let a = post_to(&shop.app, &uri, sender, p.to_string()).await;
        assert_eq!(refused(&a), forbidden, "{uri}: {}", a.body);
    }
    assert_eq!(rows(&shop.db), 0);
    let uri = format!("/api/requests?key={key}");
    let a = post_to(&shop.app, &uri, sender, p.to_string()).await;
    assert_eq!(a.status, 201, "{}", a.body);
    assert_eq!(rows(&shop.db), 1);
    let id = a.body["request_id"].as_str().unwrap();
    let photo = put_part(
        &shop.app,
        &format!("/api/requests/{id}/photos/0"),
        sender,
        "bytes 0-3/4",
        &[0xFF, 0xD8, 0xFF, 0xE0],
    )
    .await;
    assert_eq!(photo.status, 201, "{}", photo.body);
}

#[tokio::test]
async fn a_page_of_the_merchant_list_comes_compressed_to_a_client_that_takes_it() {
    let shop = sqlite_shop().await;
    for (i, (order, request)) in [
        ("X-105", changed_mind_return("L2", 1)),
        ("X-101", cancel()),
        ("X-100", cancel()),
    ]
    .into_iter()
    .enumerate()
    {
        let p = payload(&shop.app, order, request).await;
        let key = format!("7a1d6c2e-0000-4000-8000-00000000c0{i:02}");
        assert_eq!(post(&shop.app, &key, &p).await.status, 201);
    }
    let plain = merchant(&shop.app, "GET", "/api/merchant/requests", None).await;
    assert_eq!(plain.headers.get("content-encoding"), None);
    let (_, headers, gzipped) = merchant_raw(&shop.app, "/api/merchant/requests", "gzip").await;
    assert_eq!(headers["content-encoding"], "gzip");
    let mut text = String::new();
    std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&gzipped[..]), &mut text)
        .unwrap();
    let body: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(body, plain.body);
    assert_eq!(body["requests"].as_array().unwrap().len(), 3);
    let raw = plain.body.to_string().len();
    assert!(
        gzipped.len() * 4 < raw,
        "{} bytes gzipped of {raw}",
        gzipped.len()
    );
}

#[tokio::test]
async fn a_photo_begun_and_not_finished_is_let_go_of_after_the_days_kept() {
    let shop = sqlite_shop().await;
    let key = "7a1d6c2e-0000-4000-8000-0000000000f3";
    let mut p = payload(&shop.app, "X-105", changed_mind_return("L2", 1)).await;
    p["attachments"] = json!([{ "name": "box.jpg", "type": "image/jpeg", "size": 2048 }]);
    let a = post(&shop.app, key, &p).await;
    assert_eq!(a.status, 201, "{}", a.body);
    let path = format!(
        "/api/requests/{}/photos/0",
        a.body["request_id"].as_str().unwrap()
    );
    let mut jpeg = vec![7u8; 1024];
    jpeg[..4].copy_from_slice(&[0xFF, 0xD8, 0xFF, 0xE0]);
    let first = put_part(&shop.app, &path, key, "bytes 0-1023/2048", &jpeg).await;
    assert_eq!(first.body["received"], 1024, "{}", first.body);
    let asked = || put_part(&shop.app, &path, key, "bytes */2048", b"");
    // Photos dropped after 30 days, looked at `days` from now.
    let now = chrono::Utc::now();
    let drop_after = |days| {
        let then = now + chrono::Duration::days(days);
        photos::drop_unfinished(&shop.state.store, then, chrono::Duration::days(30))
    };
    // Within the days kept, the customer may come back and go on.
    assert_eq!(drop_after(29).await.unwrap(), 0);
    assert_eq!(asked().await.body["received"], 1024);
    // After them, the parts are gone from the database file, and a
    // customer coming back starts the photo again.
    assert_eq!(drop_after(31).await.unwrap(), 1);
    assert_eq!(asked().await.body["received"], 0);
    let conn = rusqlite::Connection::open(&shop.db).unwrap();
    let parts: i64 = conn
        .query_row("SELECT COUNT(*) FROM photo_parts", [], |r| r.get(0))
        .unwrap();
    assert_eq!(parts, 0);
    let again = put_part(&shop.app, &path, key, "bytes 0-1023/2048", &jpeg).await;
    assert_eq!(again.body["received"], 1024, "{}", again.body);
}

#[tokio::test]
async fn a_large_photo_comes_in_parts_and_is_stored_once_the_last_is_in() {
    let shop = sqlite_shop().await;
    let key = "7a1d6c2e-0000-4000-8000-0000000000f2";
    let mut p = payload(&shop.app, "X-105", changed_mind_return("L2", 1)).await;
    p["attachments"] = json!([
        { "name": "box.jpg", "type": "image/jpeg", "size": 204800 },
        { "name": "lid.jpg", "type": "image/jpeg", "size": 300 }
    ]);
    let a = post(&shop.app, key, &p).await;
    assert_eq!(a.status, 201, "{}", a.body);
    let id = a.body["request_id"].as_str().unwrap().to_owned();
    let box_path = format!("/api/requests/{id}/photos/0");
    let part = |range: &'static str, bytes: &'static [u8]| {
        let (app, path) = (shop.app.clone(), box_path.clone());
        async move { put_part(&app, &path, key, range, bytes).await }
    };
    let jpeg: &'static [u8] = {
        let mut b: Vec<u8> = (0..204800u32).map(|i| (i % 251) as u8).collect();
        b[..4].copy_from_slice(&[0xFF, 0xD8, 0xFF, 0xE0]);
        b.leak()
    };
    let received = |a: &Answer| (a.status, a.body["received"].as_u64());
    // How much is in: nothing yet.
    assert_eq!(received(&part("bytes */204800", b"").await), (202, Some(0)));
    // The first part: 64 KiB in.
    let first = part("bytes 0-65535/204800", &jpeg[..65536]).await;
    assert_eq!(received(&first), (202, Some(65536)), "{}", first.body);
    assert_eq!(first.body["status"], "partial");
    // The same part again (its answer was lost on the way), or a part
    // after a gap: nothing changes, and the answer says where to go on.
    for (range, bytes) in [
        ("bytes 0-65535/204800", &jpeg[..65536]),
        ("bytes 131072-204799/204800", &jpeg[131072..]),
    ] {
        let off = part(range, bytes).await;
        assert_eq!(received(&off), (409, Some(65536)), "{range}: {}", off.body);
        assert_eq!(off.body["field"], "Content-Range");
        assert!(
            off.body["message"]
                .as_str()
                .unwrap()
                .contains("from byte 65536"),
            "{}",
            off.body
        );
    }
    assert_eq!(
        received(&part("bytes */204800", b"").await),
        (202, Some(65536))
    );
    assert_eq!(
        received(&part("bytes 65536-131071/204800", &jpeg[65536..131072]).await),
        (202, Some(131072))
    );
    // Not a photo of the request until every byte is in.
    let listed = merchant(
        &shop.app,
        "GET",
        &format!("/api/merchant/requests/{id}"),
        None,
    )
    .await;
    assert_eq!(listed.body["photos"], json!([]));
    let last = part("bytes 131072-204799/204800", &jpeg[131072..]).await;
    assert_eq!(last.status, 201, "{}", last.body);
    assert_eq!(last.body["status"], "stored");
    // Stored whole, as one file: the merchant gets every byte in order.
    let listed = merchant(
        &shop.app,
        "GET",
        &format!("/api/merchant/requests/{id}"),
        None,
    )
    .await;
    assert_eq!(listed.body["photos"][0]["size"], 204800);
    assert_eq!(listed.body["photos"][0]["sha256"], last.body["sha256"]);
    let path = format!("/api/merchant/requests/{id}/photos/0");
    let (_, headers, bytes) = merchant_raw(&shop.app, &path, "br, gzip").await;
    // A photo is compressed already: it goes as it is.
    assert_eq!(headers.get("content-encoding"), None);
    assert_eq!(bytes.as_ref(), jpeg);
    // Once stored, asking or sending a part again says so.
    for (range, bytes) in [
        ("bytes */204800", &b""[..]),
        ("bytes 0-65535/204800", &jpeg[..65536]),
    ] {
        let done = part(range, bytes).await;
        assert_eq!(
            (done.status, &done.body["status"]),
            (200, &json!("stored")),
            "{range}"
        );
    }

    // Ranges that are not parts of the photo declared.
    let lid = format!("/api/requests/{id}/photos/1");
    let mut pdf = b"%PDF-1.7".to_vec();
    pdf.resize(300, b' ');
    for (range, bytes, field, says) in [
        (
            "bytes 0-99/299",
            &pdf[..100],
            "Content-Range",
            "declared as 300 bytes, not 299",
        ),
        (
            "bytes 0-99/*",
            &pdf[..100],
            "Content-Range",
            "bytes */TOTAL",
        ),
        (
            "items 0-99/300",
            &pdf[..100],
            "Content-Range",
            "bytes FIRST-LAST/TOTAL",
        ),
        (
            "bytes 99-0/300",
            &pdf[..100],
            "Content-Range",
            "bytes FIRST-LAST/TOTAL",
        ),
        (
            "bytes 200-300/300",
            &pdf[..101],
            "Content-Range",
            "end past the file's 300 bytes",
        ),
        (
            "bytes 0-99/300",
            &pdf[..50],
            "body",
            "bytes 0-99 of \"lid.jpg\" are 100; 50 came",
        ),
        ("bytes */300", &pdf[..10], "body", "carries no bytes"),
        // A first part long enough to tell is checked at once.
        (
            "bytes 0-259/300",
            &pdf[..260],
            "body",
            "its bytes are no image type",
        ),
    ] {
        let bad = put_part(&shop.app, &lid, key, range, bytes).await;
        assert!(matches!(bad.status, 400 | 415), "{range}: {}", bad.body);
        assert_eq!(bad.body["field"], field, "{range}: {}", bad.body);
        let message = bad.body["message"].as_str().unwrap();
        assert!(message.contains(says), "{range}: {message}");
    }
    // One too short to tell is checked when the last part completes it; its
    // parts are then let go of.
    let short = put_part(&shop.app, &lid, key, "bytes 0-99/300", &pdf[..100]).await;
    assert_eq!(received(&short), (202, Some(100)));
    let rest = put_part(&shop.app, &lid, key, "bytes 100-299/300", &pdf[100..]).await;
    assert_eq!(rest.status, 415, "{}", rest.body);
    assert!(
        rest.body["message"]
            .as_str()
            .unwrap()
            .contains("no image type")
    );
    let asked = put_part(&shop.app, &lid, key, "bytes */300", b"").await;
    assert_eq!(received(&asked), (202, Some(0)));
    // Only the request's sender may send parts or ask.
    let other = put_part(&shop.app, &lid, "someone-else", "bytes */300", b"").await;
    assert_eq!(other.status, 403, "{}", other.body);

    // Nothing of the parts is left in the database file.
    let conn = rusqlite::Connection::open(&shop.db).unwrap();
    let parts: i64 = conn
        .query_row("SELECT COUNT(*) FROM photo_parts", [], |r| r.get(0))
        .unwrap();
    assert_eq!(parts, 0);
}

#[tokio::test]
async fn the_photos_a_request_declared_are_taken_from_its_sender_only_and_kept() {
    let shop = sqlite_shop().await;
    let key = "7a1d6c2e-0000-4000-8000-0000000000f1";
    // A changed-mind return under xtelary: its steps ask for a photo, and
    // the payload declares one of 204800 bytes (larger than the 64 KiB the
    // server takes for a payload).
    let mut p = payload(&shop.app, "X-105", changed_mind_return("L2", 1)).await;
    p["attachments"] = json!([
        { "name": "box.jpg", "type": "image/jpeg", "size": 204800 },
        { "name": "lid.png", "type": "image/png", "size": 3 }
    ]);
    let a = post(&shop.app, key, &p).await;
    assert_eq!(a.status, 201, "{}", a.body);
    let id = a.body["request_id"].as_str().unwrap().to_owned();
    let path = |i: &str| format!("/api/requests/{id}/photos/{i}");
    let mut jpeg: Vec<u8> = (0..204800u32).map(|i| (i % 251) as u8).collect();
    jpeg[..4].copy_from_slice(&[0xFF, 0xD8, 0xFF, 0xE0]);

    // Nothing is taken from anyone else, nor anything not declared as sent.
    let other = put_photo(
        &shop.app,
        &path("0"),
        "someone-else",
        "image/jpeg",
        jpeg.clone(),
    )
    .await;
    assert_eq!(
        (other.status, other.body["field"].as_str()),
        (403, Some("Idempotency-Key"))
    );
    let none = call(
        &shop.app,
        Request::put(path("0"))
            .header("content-type", "image/jpeg")
            .body(Body::from(jpeg.clone()))
            .unwrap(),
    )
    .await;
    assert_eq!(
        (none.status, none.body["field"].as_str()),
        (400, Some("Idempotency-Key"))
    );
    let undeclared = put_photo(&shop.app, &path("2"), key, "image/jpeg", jpeg.clone()).await;
    assert_eq!(undeclared.status, 404, "{}", undeclared.body);
    assert!(
        undeclared.body["message"]
            .as_str()
            .unwrap()
            .contains("declared 2 photo(s)")
    );
    let not_a_number = put_photo(&shop.app, &path("first"), key, "image/jpeg", jpeg.clone()).await;
    assert_eq!(not_a_number.status, 404);
    let wrong_type = put_photo(&shop.app, &path("0"), key, "image/png", jpeg.clone()).await;
    assert_eq!(
        (wrong_type.status, wrong_type.body["field"].as_str()),
        (415, Some("Content-Type"))
    );
    let short = put_photo(
        &shop.app,
        &path("0"),
        key,
        "image/jpeg",
        jpeg[..1000].to_vec(),
    )
    .await;
    assert_eq!(short.status, 400, "{}", short.body);
    assert!(
        short.body["message"]
            .as_str()
            .unwrap()
            .contains("declared as 204800 bytes; 1000 came")
    );
    // The bytes must show the type declared: not a PNG sent as a JPEG,
    // nor a PDF renamed.
    for (head, shown) in [
        (&b"\x89PNG\r\n\x1a\n"[..], "its bytes are image/png"),
        (
            &b"%PDF-1.7"[..],
            "its bytes are no image type the shop takes",
        ),
    ] {
        let mut other = jpeg.clone();
        other[..head.len()].copy_from_slice(head);
        let refused = put_photo(&shop.app, &path("0"), key, "image/jpeg", other).await;
        assert_eq!(
            (refused.status, refused.body["field"].as_str()),
            (415, Some("body"))
        );
        let message = refused.body["message"].as_str().unwrap();
        assert!(
            message.contains("declared as image/jpeg") && message.contains(shown),
            "{message}"
        );
    }
    let listed = merchant(
        &shop.app,
        "GET",
        &format!("/api/merchant/requests/{id}"),
        None,
    )
    .await;
    assert_eq!(listed.body["photos"], json!([]), "nothing stored yet");

    // The sender's file is stored once; a retry changes nothing, other bytes are refused.
    let stored = put_photo(&shop.app, &path("0"), key, "image/jpeg", jpeg.clone()).await;
    assert_eq!(stored.status, 201, "{}", stored.body);
    assert_eq!(stored.body["sha256"].as_str().unwrap().len(), 64);
    let again = put_photo(
        &shop.app,
        &path("0"),
        key,
        "image/jpeg; charset=binary",
        jpeg.clone(),
    )
    .await;
    assert_eq!(again.status, 200, "{}", again.body);
    let mut changed = jpeg.clone();
    changed[1000] ^= 1;
    let other_bytes = put_photo(&shop.app, &path("0"), key, "image/jpeg", changed).await;
    assert_eq!(other_bytes.status, 409, "{}", other_bytes.body);

    // The merchant sees which photos came, and gets each file as it came.
    let listed = merchant(
        &shop.app,
        "GET",
        &format!("/api/merchant/requests/{id}"),
        None,
    )
    .await;
    let photos = listed.body["photos"].as_array().unwrap();
    assert_eq!(photos.len(), 1, "{}", listed.body);
    assert_eq!(photos[0]["index"], 0);
    assert_eq!(photos[0]["name"], "box.jpg");
    assert_eq!(photos[0]["type"], "image/jpeg");
    assert_eq!(photos[0]["size"], 204800);
    let all = merchant(&shop.app, "GET", "/api/merchant/requests", None).await;
    assert_eq!(all.body["requests"][0]["photos"][0]["name"], "box.jpg");
    let path = format!("/api/merchant/requests/{id}/photos/0");
    let (status, headers, bytes) = merchant_raw(&shop.app, &path, "identity").await;
    assert_eq!(status, 200);
    assert_eq!(headers["content-type"], "image/jpeg");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(bytes.as_ref(), jpeg.as_slice());
    let missing = merchant(
        &shop.app,
        "GET",
        &format!("/api/merchant/requests/{id}/photos/1"),
        None,
    )
    .await;
    assert_eq!(missing.status, 404);
    let anonymous = get(&shop.app, &format!("/api/merchant/requests/{id}/photos/0")).await;
    assert_eq!(anonymous.status, 401);

    // The photos are in the database file, read with a connection of its own.
    let conn = rusqlite::Connection::open(&shop.db).unwrap();
    let (n, len): (i64, i64) = conn
        .query_row("SELECT COUNT(*), SUM(LENGTH(bytes)) FROM photos", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!((n, len), (1, 204800));
}

/// Acme: Xtelary's terms under another name, with a 3% fee for a
/// cancellation after 24 hours instead of 2%.
fn acme() -> aftersale_engine::Policy {
    let text = aftersale_engine::presets::source("xtelary")
        .unwrap()
        .replace("xtelary.", "acme.")
        .replacen("\"id\": \"xtelary\"", "\"id\": \"acme\"", 1)
        .replacen("\"fee_percent\": \"2\"", "\"fee_percent\": \"3\"", 1);
    aftersale_engine::Policy::from_json(&text).expect("acme checks")
}

#[tokio::test]
async fn a_shop_s_own_policy_is_served_and_decides_its_orders() {
    // A-101 is X-101 (placed 30 h ago, not shipped) sold under Acme.
    let mut order = aftersale_server::seed::demo_orders(chrono::Utc::now())
        .into_iter()
        .find(|o| o.id == "X-101")
        .unwrap();
    order.id = "A-101".into();
    order.policy_id = "acme".into();
    order.data["order"]["id"] = json!("A-101");
    let shop = shop_with(OrderKeys::open(), vec![acme()], vec![order]).await;

    // Served for the widget's data-policy-url, as the server decides by it.
    let served = get(&shop.app, "/api/policies/acme").await;
    assert_eq!(served.status, 200);
    assert_eq!(served.headers["cache-control"], "no-cache");
    let read = aftersale_engine::Policy::from_json(&served.body.to_string()).unwrap();
    assert_eq!(read, acme());
    // Asked again, the same file costs a 304.
    let etag = served.headers["etag"].to_str().unwrap().to_owned();
    let again = |tag: &str| {
        Request::get("/api/policies/acme")
            .header("If-None-Match", tag)
            .body(Body::empty())
            .unwrap()
    };
    let (status, headers, bytes) = call_raw(&shop.app, again(&etag)).await;
    assert_eq!((status, bytes.len()), (304, 0));
    assert_eq!(headers["etag"], etag.as_str());
    let (status, _, _) = call_raw(&shop.app, again("\"another\"")).await;
    assert_eq!(status, 200);
    // Xtelary's is another file.
    let xtelary = get(&shop.app, "/api/policies/xtelary").await;
    assert_eq!(xtelary.status, 200);
    assert_ne!(xtelary.headers["etag"], etag.as_str());
    let missing = get(&shop.app, "/api/policies/acme-2").await;
    assert_eq!(missing.status, 404);
    assert_eq!(missing.body["field"], "id");

    // A widget quoting by Xtelary's 2% is answered with Acme's 3%.
    let by_xtelary = payload_under(
        &shop.app,
        "A-101",
        "",
        &aftersale_engine::Policy::preset("xtelary").unwrap(),
        cancel(),
    )
    .await;
    let mut wrong = by_xtelary.clone();
    wrong["policy"]["id"] = json!("acme");
    let a = post(&shop.app, "k-acme-1", &wrong).await;
    assert_eq!(a.status, 409, "{}", a.body);
    assert_eq!(a.body["policy"]["id"], "acme");
    let p = payload_under(&shop.app, "A-101", "", &acme(), cancel()).await;
    assert_eq!(a.body["quote"], p["quote"]);
    // 3% of what 2% was taken from, rounded to the cent.
    let money = |p: &Value, field: &str| -> rust_decimal::Decimal {
        p["quote"][field].as_str().unwrap().parse().unwrap()
    };
    let base = |p: &Value| money(p, "fee") + money(p, "refund");
    assert_eq!(base(&p), base(&by_xtelary));
    let three = (base(&p) * rust_decimal::Decimal::new(3, 2))
        .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
    assert_eq!(money(&p, "fee"), three, "{}", p["quote"]);
    assert_ne!(money(&p, "fee"), money(&by_xtelary, "fee"));
    // Quoted by Acme, it is taken.
    let a = post(&shop.app, "k-acme-2", &p).await;
    assert_eq!(a.status, 201, "{}", a.body);
    let r = merchant(
        &shop.app,
        "GET",
        &format!(
            "/api/merchant/requests/{}",
            a.body["request_id"].as_str().unwrap()
        ),
        None,
    )
    .await;
    assert_eq!(r.body["policy_id"], "acme");
    assert_eq!(r.body["quote"]["clauses"][0], "acme.cancel_fee");
}

#[tokio::test]
async fn a_static_file_goes_as_its_compressed_copy_beside_it_where_there_is_one_and_to_allowed_origins()
 {
    let shop = sqlite_shop().await;
    let dir = tempfile::tempdir().unwrap();
    let wasm: Vec<u8> = (0..4096u32).map(|i| (i % 7) as u8).collect();
    std::fs::write(dir.path().join("w.wasm"), &wasm).unwrap();
    // Marked bytes, so the answer is known to be this file and not the
    // wasm compressed on the fly.
    std::fs::write(dir.path().join("w.wasm.br"), b"brotli copy").unwrap();
    std::fs::write(dir.path().join("page.html"), "<p>hello</p>".repeat(100)).unwrap();
    let config = aftersale_server::HttpConfig {
        static_dir: Some(dir.path().to_owned()),
        ..http()
    };
    let app = aftersale_server::router(shop.state.clone(), &config);
    let fetch = |path: &'static str, encoding: &'static str| {
        let request = Request::get(path)
            .header("accept-encoding", encoding)
            .body(Body::empty())
            .unwrap();
        call_raw(&app, request)
    };
    let (status, headers, body) = fetch("/w.wasm", "gzip, br").await;
    assert_eq!(status, 200);
    assert_eq!(headers["content-encoding"], "br");
    assert_eq!(headers["content-type"], "application/wasm");
    assert_eq!(&body[..], b"brotli copy");
    // Asked again on every load, never a glue and a wasm of two builds.
    assert_eq!(headers["cache-control"], "no-cache");
    let again = Request::get("/w.wasm")
        .header("accept-encoding", "gzip, br")
        .header("if-none-match", headers["etag"].clone())
        .body(Body::empty())
        .unwrap();
    let (status, _, body) = call_raw(&app, again).await;
    assert_eq!((status, body.len()), (304, 0));
    // No gzip copy: compressed as it goes.
    let (_, headers, body) = fetch("/w.wasm", "gzip").await;
    assert_eq!(headers["content-encoding"], "gzip");
    let mut unzipped = Vec::new();
    std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&body[..]), &mut unzipped)
        .unwrap();
    assert_eq!(unzipped, wasm);
    let (_, headers, body) = fetch("/w.wasm", "identity").await;
    assert_eq!(headers.get("content-encoding"), None);
    assert_eq!(&body[..], &wasm[..]);
    // A file with no copy, to a client that takes brotli.
    let (status, headers, _) = fetch("/page.html", "br").await;
    assert_eq!(status, 200);
    assert_eq!(headers["content-encoding"], "br");
    // A shop's page on an allowed origin loads the widget from here: the
    // module and its wasm are fetched in CORS mode. Other origins get no
    // header (and the browser runs nothing).
    let from = |origin: &'static str| {
        let request = Request::get("/w.wasm")
            .header("origin", origin)
            .body(Body::empty())
            .unwrap();
        call_raw(&app, request)
    };
    let (status, headers, body) = from("https://shop.example").await;
    assert_eq!(status, 200);
    assert_eq!(
        headers["access-control-allow-origin"],
        "https://shop.example"
    );
    assert_eq!(headers["cache-control"], "no-cache");
    assert_eq!(&body[..], &wasm[..]);
    let (status, headers, _) = from("https://evil.example").await;
    assert_eq!(status, 200);
    assert!(headers.get("access-control-allow-origin").is_none());
}

#[tokio::test]
async fn the_merchant_gets_every_request_as_a_csv_file() {
    use aftersale_server::export::COLUMNS;
    let shop = sqlite_shop().await;
    // A return with its photo declared, from an email a spreadsheet would
    // take for a formula; then a cancellation.
    let mut ret = payload(&shop.app, "X-105", changed_mind_return("L2", 1)).await;
    ret["contact"]["email"] = json!("=cmd@evil.io");
    let returned = post(&shop.app, "csv-return", &ret).await;
    assert_eq!(returned.status, 201, "{}", returned.body);
    let cancel = payload(&shop.app, "X-100", cancel()).await;
    assert_eq!(post(&shop.app, "csv-cancel", &cancel).await.status, 201);

    let csv_of = |query: &'static str| {
        let app = shop.app.clone();
        async move {
            let path = format!("/api/merchant/requests.csv{query}");
            let (status, headers, bytes) = merchant_raw(&app, &path, "identity").await;
            assert_eq!(status, 200, "{}", String::from_utf8_lossy(&bytes));
            assert_eq!(headers["content-type"], "text/csv; charset=utf-8");
            let disposition = headers["content-disposition"].to_str().unwrap();
            assert!(
                disposition.starts_with("attachment; filename=\"aftersale-requests-"),
                "{disposition}"
            );
            // A byte order mark, for Excel to read UTF-8.
            let text = std::str::from_utf8(&bytes).unwrap();
            let text = text.strip_prefix('\u{feff}').expect("a byte order mark");
            let mut reader = csv::Reader::from_reader(text.as_bytes());
            assert_eq!(reader.headers().unwrap(), COLUMNS.as_slice());
            reader
                .records()
                .map(|r| r.unwrap())
                .collect::<Vec<csv::StringRecord>>()
        }
    };
    let cell = |row: &csv::StringRecord, column: &str| -> String {
        row[COLUMNS.iter().position(|c| *c == column).unwrap()].to_owned()
    };
    let rows = csv_of("").await;
    assert_eq!(rows.len(), 2);
    // Newest first: the cancellation, then the return.
    let (c, r) = (&rows[0], &rows[1]);
    assert_eq!(
        (cell(c, "order_id"), cell(c, "kind"), cell(c, "items")),
        ("X-100".into(), "cancel".into(), "whole order".into())
    );
    assert_eq!(
        cell(c, "refund"),
        cancel["quote"]["refund"].as_str().unwrap()
    );
    assert_eq!(cell(c, "photos_received"), "");
    let order = order_data(&shop.app, "X-105").await;
    let line = &order["order"]["lines"][1];
    assert_eq!(line["id"], "L2");
    for (column, value) in [
        ("request_id", returned.body["request_id"].as_str().unwrap()),
        ("rma", returned.body["rma"].as_str().unwrap()),
        ("reason", "changed_mind"),
        ("status", "requested"),
        ("currency", "USD"),
        ("refund", ret["quote"]["refund"].as_str().unwrap()),
        ("fee", ret["quote"]["fee"].as_str().unwrap()),
        ("customer_pays", "0.00"),
        ("reship", "false"),
        ("return_required", "true"),
        ("return_shipping_paid_by", "customer"),
        ("policy", "xtelary"),
        ("locale", "en-US"),
        ("photos_received", "0 of 1"),
        // Shown as the text it is, not run.
        ("email", "'=cmd@evil.io"),
    ] {
        assert_eq!(cell(r, column), value, "{column}");
    }
    assert_eq!(
        cell(r, "items"),
        format!(
            "1 × {} ({})",
            line["title"].as_str().unwrap(),
            line["sku"].as_str().unwrap()
        )
    );
    let clauses: Vec<&str> = (ret["quote"]["clauses"].as_array().unwrap().iter())
        .map(|c| c.as_str().unwrap())
        .collect();
    assert_eq!(cell(r, "clauses"), clauses.join(" "));
    assert_eq!(cell(r, "received_at"), cell(r, "status_at"));
    // The list's filters.
    let found = csv_of("?find=X-100").await;
    assert_eq!(found.len(), 1);
    assert_eq!(cell(&found[0], "kind"), "cancel");
    assert!(csv_of("?status=approved").await.is_empty());
    // Not a page of them: every one.
    for (query, field) in [("?limit=10", "limit"), ("?after=x", "after")] {
        let bad = merchant(
            &shop.app,
            "GET",
            &format!("/api/merchant/requests.csv{query}"),
            None,
        )
        .await;
        assert_eq!((bad.status, bad.body["field"].as_str()), (400, Some(field)));
    }
    let anonymous = get(&shop.app, "/api/merchant/requests.csv").await;
    assert_eq!(anonymous.status, 401);

    // For a spreadsheet that writes 5,57: a decimal comma, split by `;`.
    let (status, _, bytes) = merchant_raw(
        &shop.app,
        "/api/merchant/requests.csv?decimal=comma&status=requested",
        "identity",
    )
    .await;
    assert_eq!(status, 200);
    let text = std::str::from_utf8(&bytes).unwrap();
    let text = text.strip_prefix('\u{feff}').unwrap();
    assert!(
        text.starts_with("received_at;request_id;order_id;"),
        "{text}"
    );
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(text.as_bytes());
    let comma: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert_eq!(comma.len(), 2);
    let european = |amount: &Value| amount.as_str().unwrap().replace('.', ",");
    assert_eq!(cell(&comma[1], "refund"), european(&ret["quote"]["refund"]));
    assert_eq!(cell(&comma[1], "fee"), european(&ret["quote"]["fee"]));
    assert!(
        cell(&comma[1], "fee").contains(','),
        "{}",
        ret["quote"]["fee"]
    );
    assert_eq!(cell(&comma[1], "items"), cell(r, "items"));
    assert_eq!(cell(&comma[1], "email"), "'=cmd@evil.io");
    for query in ["?decimal=euro", "?decimal=comma&decimal=point"] {
        let bad = merchant(
            &shop.app,
            "GET",
            &format!("/api/merchant/requests.csv{query}"),
            None,
        )
        .await;
        assert_eq!(
            (bad.status, bad.body["field"].as_str()),
            (400, Some("decimal")),
            "{query}"
        );
    }
}

#[tokio::test]
async fn the_csv_file_holds_more_requests_than_a_page() {
    use aftersale_server::store::{NewRequest, RequestData, Storage, StoredAnswer, StoredOrder};
    let shop = sqlite_shop().await;
    let store = &shop.state.store;
    store
        .put_orders(vec![StoredOrder {
            id: "P-1".into(),
            policy_id: "xtelary".into(),
            label: "many".into(),
            data: json!({ "order": { "id": "P-1" }, "exchange_options": [] }),
            email: None,
            put: None,
        }])
        .await
        .unwrap();
    let n = aftersale_server::PAGE_MAX as usize + 1;
    for i in 0..n {
        let request = json!({ "kind": "return", "reason": "damaged",
            "lines": [{ "line_id": "L1", "quantity": 1 }], "resolution": null,
            "condition": null, "exchange_for": null });
        let new = NewRequest {
            holding: aftersale_engine::capacity::Holding::of(
                &serde_json::from_value(request.clone()).unwrap(),
            ),
            data: RequestData {
                id: format!("p-{i:03}"),
                order_id: "P-1".into(),
                kind: "return".into(),
                policy_id: "xtelary".into(),
                policy_version: "v1".into(),
                rma: None,
                request,
                quote: json!({ "refund": "1.00" }),
                payload: json!({}),
                order_snapshot: json!({ "id": "P-1" }),
                created_at: format!("2026-11-22T10:{:02}:{:02}.000Z", i / 60, i % 60),
            },
            idempotency_key: format!("p-{i}"),
            answer: StoredAnswer {
                body_sha256: String::new(),
                status: 201,
                body: String::new(),
            },
            order_data: json!({ "order": { "id": "P-1" }, "exchange_options": [] }),
            exchanges_quoted: 0,
        };
        store.create(new, vec![("L1".into(), 1000)]).await.unwrap();
    }
    let (status, _, bytes) =
        merchant_raw(&shop.app, "/api/merchant/requests.csv?find=P-1", "identity").await;
    assert_eq!(status, 200);
    let text = std::str::from_utf8(&bytes)
        .unwrap()
        .trim_start_matches('\u{feff}');
    let ids: Vec<String> = csv::Reader::from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap()[1].to_owned())
        .collect();
    let expected: Vec<String> = (0..n).rev().map(|i| format!("p-{i:03}")).collect();
    assert_eq!(ids, expected, "each once, newest first, across pages");
}
