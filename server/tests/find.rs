//! A returns page finding an order by its number and the customer's email
//! (`POST /api/find-order`) against a real SQLite file: found as typed,
//! with the key that opens it; the same 404 whatever is wrong; guessing
//! slowed by failures counted in the database; bad bodies named; and the
//! email given with an order by the shop's systems, never served to the
//! widget.

mod common;

use aftersale_server::access::OrderKeys;
use std::net::SocketAddr;

use aftersale_server::find::{self, CLIENT_LIMIT, LIMIT, SHARED_LIMIT, WINDOW};
use aftersale_server::seed::{self, DEMO_EMAIL};
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{HeaderName, Request};
use common::*;
use serde_json::{Value, json};

/// `POST /api/find-order` with `body` as JSON.
async fn ask(app: &axum::Router, body: &Value) -> Answer {
    ask_raw(app, "application/json", body.to_string()).await
}

async fn ask_raw(app: &axum::Router, content_type: &str, body: String) -> Answer {
    call(
        app,
        Request::post("/api/find-order")
            .header("content-type", content_type)
            .body(Body::from(body))
            .unwrap(),
    )
    .await
}

/// [`ask`] from the peer `peer` (as the server's connections give it),
/// with an `X-Forwarded-For` header if `forwarded`.
async fn ask_from(app: &axum::Router, peer: &str, forwarded: Option<&str>, body: &Value) -> Answer {
    let mut request = Request::post("/api/find-order").header("content-type", "application/json");
    if let Some(f) = forwarded {
        request = request.header("x-forwarded-for", f);
    }
    let mut request = request.body(Body::from(body.to_string())).unwrap();
    let peer = SocketAddr::new(peer.parse().unwrap(), 40000);
    request.extensions_mut().insert(ConnectInfo(peer));
    call(app, request).await
}

fn asking(order: &str, email: &str) -> Value {
    json!({ "order": order, "email": email })
}

#[tokio::test]
async fn an_order_is_found_as_the_customer_types_it_with_the_key_that_opens_it() {
    let keys = OrderKeys::with_secret("a-secret-of-sixteen+").unwrap();
    let shop = keyed_shop(keys.clone()).await;
    let a = ask(
        &shop.app,
        &asking(" #X-102 ", &format!(" {} ", DEMO_EMAIL.to_uppercase())),
    )
    .await;
    assert_eq!(a.status, 200, "{}", a.body);
    let key = keys.key("X-102").unwrap();
    assert_eq!(
        a.body,
        json!({ "status": "found", "id": "X-102", "policy": "xtelary", "key": key })
    );
    assert_eq!(a.headers["cache-control"], "no-store");
    // The key opens the order's page data, which has no email in it.
    let page = get(&shop.app, &format!("/api/orders/X-102?key={key}")).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(!page.body.to_string().contains(DEMO_EMAIL), "{}", page.body);

    // Where orders are open, there is no key to give.
    let open = sqlite_shop().await;
    let a = ask(&open.app, &asking("H-103", DEMO_EMAIL)).await;
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!(a.body["policy"], "htvront");
    assert_eq!(a.body["key"], Value::Null);
}

#[tokio::test]
async fn what_is_wrong_is_not_told_apart() {
    // A demo order as the shop's systems would give it without an email.
    let mut without = (seed::demo_orders(chrono::Utc::now()).into_iter())
        .find(|o| o.id == "X-100")
        .unwrap();
    without.id = "N-1".into();
    without.email = None;
    without.data["order"]["id"] = json!("N-1");
    let shop = shop_with(OrderKeys::open(), Vec::new(), vec![without]).await;
    assert_eq!(
        get(&shop.app, "/api/orders/N-1").await.status,
        200,
        "N-1 is there"
    );
    let unknown = ask(&shop.app, &asking("X-999", DEMO_EMAIL)).await;
    let wrong = ask(&shop.app, &asking("X-102", "someone@example.com")).await;
    let no_email = ask(&shop.app, &asking("N-1", DEMO_EMAIL)).await;
    // An order number is the shop's, to the letter.
    let other_case = ask(&shop.app, &asking("x-102", DEMO_EMAIL)).await;
    for a in [&unknown, &wrong, &no_email, &other_case] {
        assert_eq!(a.status, 404, "{}", a.body);
        assert_eq!(a.body, unknown.body);
    }
    assert_eq!(unknown.body["field"], "order");
}

#[tokio::test]
async fn guessing_an_order_s_email_is_stopped_after_a_few_tries_and_only_for_a_while() {
    let shop = sqlite_shop().await;
    for i in 0..LIMIT {
        let a = ask(
            &shop.app,
            &asking("X-103", &format!("guess{i}@example.com")),
        )
        .await;
        assert_eq!(a.status, 404, "try {i}: {}", a.body);
    }
    // Now even the right email is not looked at.
    let a = ask(&shop.app, &asking("X-103", DEMO_EMAIL)).await;
    assert_eq!(a.status, 429, "{}", a.body);
    let wait: i64 = a.headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!(wait > 0 && wait <= WINDOW.num_seconds(), "{wait}");
    assert_eq!(a.body["retry_after"], json!(wait));
    assert!(
        a.body["message"]
            .as_str()
            .unwrap()
            .contains("try again in 15 min"),
        "{}",
        a.body
    );
    // Other orders are found as before.
    let a = ask(&shop.app, &asking("X-104", DEMO_EMAIL)).await;
    assert_eq!(a.status, 200, "{}", a.body);
    // Once the window has passed, the order is found again.
    let later = chrono::Utc::now() + WINDOW + chrono::TimeDelta::seconds(1);
    let body = asking("X-103", DEMO_EMAIL).to_string();
    let a = find::find(&shop.state, body.as_bytes(), "unknown", later).await;
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!(a.body["id"], "X-103");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn guesses_sent_at_once_are_each_counted_before_any_is_answered() {
    let shop = sqlite_shop().await;
    let mut all = tokio::task::JoinSet::new();
    for i in 0..20 {
        let app = shop.app.clone();
        all.spawn(
            async move { ask(&app, &asking("X-105", &format!("at-once{i}@example.com"))).await },
        );
    }
    let mut statuses = all
        .join_all()
        .await
        .iter()
        .map(|a| a.status)
        .collect::<Vec<_>>();
    statuses.sort();
    let expected = [vec![404; LIMIT as usize], vec![429; 20 - LIMIT as usize]].concat();
    assert_eq!(statuses, expected);
}

#[tokio::test]
async fn guessing_the_orders_of_one_email_is_stopped_too() {
    let shop = sqlite_shop().await;
    for i in 0..LIMIT {
        let a = ask(&shop.app, &asking(&format!("X-9{i}"), DEMO_EMAIL)).await;
        assert_eq!(a.status, 404, "try {i}: {}", a.body);
    }
    let a = ask(&shop.app, &asking("X-102", &DEMO_EMAIL.to_uppercase())).await;
    assert_eq!(a.status, 429, "{}", a.body);
    // Finds that succeed count for nothing.
    let other = sqlite_shop().await;
    for _ in 0..2 * LIMIT {
        let a = ask(&other.app, &asking("X-102", DEMO_EMAIL)).await;
        assert_eq!(a.status, 200, "{}", a.body);
    }
}

/// A find of `order` with `email` from `peer` (and `forwarded`, as
/// [`ask_from`]): its status and body, for an assertion to show.
async fn find_from(
    app: &axum::Router,
    peer: &str,
    forwarded: Option<&str>,
    order: &str,
    email: &str,
) -> (u16, Value) {
    let a = ask_from(app, peer, forwarded, &asking(order, email)).await;
    (a.status, a.body)
}

/// `n` finds of `order` from `peer` with wrong emails (`{tag}{i}@…`), each
/// answered 404.
async fn wrong_emails(
    app: &axum::Router,
    peer: &str,
    forwarded: Option<&str>,
    order: &str,
    tag: &str,
    n: u32,
) {
    for i in 0..n {
        let email = format!("{tag}{i}@example.com");
        let (status, body) = find_from(app, peer, forwarded, order, &email).await;
        assert_eq!(
            status, 404,
            "{peer} {forwarded:?}, {order} with {email}: {body}"
        );
    }
}

#[tokio::test]
async fn a_client_failing_on_purpose_locks_itself_out_not_the_customer() {
    let shop = sqlite_shop().await;
    let app = &shop.app;
    let guesser = "192.0.2.1";
    wrong_emails(app, guesser, None, "X-103", "g", LIMIT).await;
    let answer = find_from(app, guesser, None, "X-103", DEMO_EMAIL).await;
    assert_eq!(
        answer.0, 429,
        "the guesser, even with the right email: {}",
        answer.1
    );
    // The customer, from another address, finds the order.
    let answer = find_from(app, "198.51.100.7", None, "X-103", DEMO_EMAIL).await;
    assert_eq!(answer.0, 200, "{}", answer.1);
    // The guesser keeps asking: refused without looking, and counted for
    // nothing, so the counts all clients share are not used up by it.
    for i in 0..2 * SHARED_LIMIT {
        let email = format!("more{i}@example.com");
        let answer = find_from(app, guesser, None, "X-103", &email).await;
        assert_eq!(answer.0, 429, "{}", answer.1);
    }
    // A customer with typos: its own 5 tries, one from another address of
    // its IPv6 network, which is the same client.
    wrong_emails(app, "2001:db8:5:6::1", None, "X-103", "typo", LIMIT - 1).await;
    wrong_emails(app, "2001:db8:5:6::2", None, "X-103", "more-typo", 1).await;
    let answer = find_from(app, "2001:db8:5:6::3", None, "X-103", DEMO_EMAIL).await;
    assert_eq!(answer.0, 429, "the /64 made its 5 tries: {}", answer.1);
    let answer = find_from(app, "2001:db8:5:7::1", None, "X-103", DEMO_EMAIL).await;
    assert_eq!(answer.0, 200, "another network: {}", answer.1);
}

#[tokio::test]
async fn many_clients_together_and_one_client_in_all_are_stopped_too() {
    let shop = sqlite_shop().await;
    let app = &shop.app;
    // Clients each within their own limit, for one order: the order's
    // count, shared by all, stops them.
    for c in 0..SHARED_LIMIT / LIMIT {
        wrong_emails(
            app,
            &format!("203.0.113.{c}"),
            None,
            "X-104",
            &format!("c{c}g"),
            LIMIT,
        )
        .await;
    }
    let a = ask_from(app, "198.51.100.7", None, &asking("X-104", DEMO_EMAIL)).await;
    assert_eq!(a.status, 429, "{}", a.body);
    let wait: i64 = a.headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!(wait > 0 && wait <= WINDOW.num_seconds(), "{wait}");
    // One client, one try for each of many orders and emails: its own count
    // stops it, and only it.
    let one = "192.0.2.50";
    for i in 0..CLIENT_LIMIT {
        wrong_emails(app, one, None, &format!("X-7{i:02}"), &format!("w{i}-"), 1).await;
    }
    let answer = find_from(app, one, None, "X-105", DEMO_EMAIL).await;
    assert_eq!(answer.0, 429, "{}", answer.1);
    let answer = find_from(app, "192.0.2.51", None, "X-105", DEMO_EMAIL).await;
    assert_eq!(answer.0, 200, "{}", answer.1);
}

#[tokio::test]
async fn behind_a_proxy_the_client_is_the_one_its_header_names() {
    let shop = shop_built(OrderKeys::open(), Vec::new(), Vec::new(), |state| {
        state.with_client_header(HeaderName::from_static("x-forwarded-for"))
    })
    .await;
    let (app, proxy) = (&shop.app, "10.0.0.1");
    // Every find comes from the proxy; the header tells its clients apart.
    let first = Some("203.0.113.5");
    wrong_emails(app, proxy, first, "X-102", "g", LIMIT).await;
    let answer = find_from(app, proxy, first, "X-102", DEMO_EMAIL).await;
    assert_eq!(answer.0, 429, "{}", answer.1);
    // What a client writes in the header itself comes before what the
    // proxy adds: the last address counts.
    let forged = Some("198.51.100.1, 203.0.113.5");
    let answer = find_from(app, proxy, forged, "X-102", DEMO_EMAIL).await;
    assert_eq!(answer.0, 429, "{}", answer.1);
    let answer = find_from(app, proxy, Some("203.0.113.6"), "X-102", DEMO_EMAIL).await;
    assert_eq!(answer.0, 200, "{}", answer.1);

    // Without the option the header is the client's own words: ignored.
    let open = sqlite_shop().await;
    for i in 0..LIMIT {
        let named = format!("203.0.113.{i}");
        wrong_emails(
            &open.app,
            "192.0.2.9",
            Some(&named),
            "X-102",
            &format!("g{i}-"),
            1,
        )
        .await;
    }
    let answer = find_from(
        &open.app,
        "192.0.2.9",
        Some("203.0.113.99"),
        "X-102",
        DEMO_EMAIL,
    )
    .await;
    assert_eq!(answer.0, 429, "{}", answer.1);
}

#[tokio::test]
async fn bad_bodies_are_named() {
    let shop = sqlite_shop().await;
    let cases = [
        ("{", "body"),
        (r#"{"order": "X-102"}"#, "email"),
        (r#"{"order": 102, "email": "mia@example.com"}"#, "order"),
        (r#"{"order": " # ", "email": "mia@example.com"}"#, "order"),
        (
            r#"{"order": "X-102", "email": "mia at example.com"}"#,
            "email",
        ),
        (
            r#"{"order": "X-102", "email": "mia@example.com", "zip": "1"}"#,
            "zip",
        ),
        // serde alone would read the fields from an array, in order.
        (r#"["X-102", "mia.keller@example.com"]"#, "body"),
    ];
    for (body, field) in cases {
        let a = ask_raw(&shop.app, "application/json", body.to_owned()).await;
        assert_eq!(a.status, 400, "{body}: {}", a.body);
        assert_eq!(a.body["field"], field, "{body}: {}", a.body);
    }
    let a = ask_raw(
        &shop.app,
        "text/plain",
        asking("X-102", DEMO_EMAIL).to_string(),
    )
    .await;
    assert_eq!(a.status, 415, "{}", a.body);
    // None of these counted as a failed find.
    let a = ask(&shop.app, &asking("X-102", DEMO_EMAIL)).await;
    assert_eq!(a.status, 200, "{}", a.body);
}

#[tokio::test]
async fn the_shop_s_systems_give_an_order_its_customer_s_email() {
    let shop = sqlite_shop().await;
    let a = merchant(&shop.app, "GET", "/api/merchant/orders/X-101", None).await;
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!(a.body["email"], DEMO_EMAIL);
    let mut order = a.body;
    order["email"] = json!("new.address@example.com");
    let put = |body: Value| {
        let app = shop.app.clone();
        async move {
            call(
                &app,
                Request::put("/api/merchant/orders/X-101")
                    .header("authorization", "Bearer alice-secret")
                    .header("content-type", "application/json")
                    .body(Body::from(body.to_string()))
                    .unwrap(),
            )
            .await
        }
    };
    let a = put(order.clone()).await;
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!(
        ask(&shop.app, &asking("X-101", "new.address@example.com"))
            .await
            .status,
        200
    );
    assert_eq!(
        ask(&shop.app, &asking("X-101", DEMO_EMAIL)).await.status,
        404
    );

    order["email"] = json!("not an email");
    let a = put(order).await;
    assert_eq!(a.status, 400, "{}", a.body);
    assert_eq!(a.body["field"], "email");
}
