//! The webhook against a real receiver on loopback and a real SQLite file:
//! each event sent, signed, tried again until taken, kept across a restart.

mod binary;
mod common;

use std::sync::{Arc, Mutex};

use aftersale_server::merchant::Merchants;
use aftersale_server::store::Storage;
use aftersale_server::store::sqlite::Sqlite;
use aftersale_server::webhook::{Webhook, deliver_due, sign};
use aftersale_server::{AppState, router, seed};
use axum::http::HeaderMap;
use chrono::{Duration, Utc};
use common::*;
use serde_json::{Value, json};

const SECRET: &str = "a webhook secret of some length";

/// What the receiver got: each POST's headers and body.
type Got = Arc<Mutex<Vec<(HeaderMap, String)>>>;

/// A receiver on loopback that answers each POST with the next status of
/// `answers` (then 200); its URL and what it got.
async fn receiver(answers: Vec<u16>) -> (String, Got) {
    let got: Got = Arc::default();
    let answers = Arc::new(Mutex::new(answers.into_iter()));
    let seen = got.clone();
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |headers: HeaderMap, body: String| {
            let (seen, answers) = (seen.clone(), answers.clone());
            async move {
                seen.lock().unwrap().push((headers, body));
                let status = answers.lock().unwrap().next().unwrap_or(200);
                axum::http::StatusCode::from_u16(status).unwrap()
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, got)
}

/// The demo shop on the SQLite file `db`, its store keeping events for a
/// webhook.
async fn shop(db: &std::path::Path) -> (axum::Router, Arc<AppState<Sqlite>>) {
    let store = Sqlite::open(db).unwrap().notifying();
    store
        .put_orders(seed::demo_orders(Utc::now()))
        .await
        .unwrap();
    let state = Arc::new(AppState::new(store, Merchants::parse(TOKEN).unwrap()).unwrap());
    (router(state.clone(), &http()), state)
}

/// An instant as the store writes them.
fn at(t: chrono::DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// Checks an event's signature as a receiver would, and reads its body.
fn checked(headers: &HeaderMap, body: &str) -> Value {
    let signature = headers["aftersale-signature"].to_str().unwrap();
    let t: i64 = signature
        .strip_prefix("t=")
        .and_then(|rest| rest.split(',').next())
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(signature, sign(SECRET.as_bytes(), t, body.as_bytes()));
    assert!((Utc::now().timestamp() - t).abs() < 60, "signed now");
    serde_json::from_str(body).unwrap()
}

#[tokio::test]
async fn each_event_is_sent_signed_and_again_until_the_webhook_takes_it() {
    let (url, got) = receiver(vec![500]).await;
    let hook = Webhook::new(&url, SECRET).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (app, state) = shop(&dir.path().join("shop.db")).await;
    let p = payload(&app, "X-105", changed_mind_return("L2", 1)).await;
    let created = post(&app, "hook-1", &p).await;
    assert_eq!(created.status, 201, "{}", created.body);
    let id = created.body["request_id"].as_str().unwrap().to_owned();

    // The first try answered 500: kept, and not due again for 30 s.
    let now = Utc::now();
    assert_eq!(deliver_due(&state, &hook, now).await, 1);
    assert_eq!(got.lock().unwrap().len(), 1);
    assert_eq!(deliver_due(&state, &hook, now).await, 0);
    assert_eq!(
        deliver_due(&state, &hook, now + Duration::seconds(29)).await,
        0
    );
    assert_eq!(
        deliver_due(&state, &hook, now + Duration::seconds(31)).await,
        1
    );
    // Taken (200): never sent again.
    assert_eq!(deliver_due(&state, &hook, now + Duration::days(1)).await, 0);
    let sent = got.lock().unwrap().clone();
    assert_eq!(sent.len(), 2);
    for (headers, body) in &sent {
        assert_eq!(headers["aftersale-event"], "request.created");
        assert_eq!(headers["aftersale-delivery"], format!("{id}/1").as_str());
        assert_eq!(headers["content-type"], "application/json");
        let event = checked(headers, body);
        assert_eq!(event["id"], format!("{id}/1"));
        assert_eq!(event["type"], "request.created");
        assert_eq!(
            (&event["from"], &event["to"]),
            (&Value::Null, &json!("requested"))
        );
        assert_eq!(event["actor"], "customer");
        assert_eq!(event["request"]["id"], id.as_str());
        assert_eq!(event["request"]["quote"], p["quote"]);
        assert_eq!(event["request"]["payload"]["contact"], p["contact"]);
        assert_eq!(event["request"]["next"], json!(["approved", "rejected"]));
    }
    // A signature under another secret, or of other bytes, is not this one.
    let (headers, body) = &sent[0];
    let t = 1_700_000_000;
    assert_ne!(
        sign(b"another secret of some length", t, body.as_bytes()),
        sign(SECRET.as_bytes(), t, body.as_bytes())
    );
    assert!(
        headers["aftersale-signature"]
            .to_str()
            .unwrap()
            .contains(",v1=")
    );

    // The merchant approves it: the change is an event of its own.
    let approve = merchant(
        &app,
        "POST",
        &format!("/api/merchant/requests/{id}/status"),
        Some(json!({ "to": "approved", "note": "fine" })),
    )
    .await;
    assert_eq!(approve.status, 200, "{}", approve.body);
    assert_eq!(deliver_due(&state, &hook, Utc::now()).await, 1);
    let (headers, body) = got.lock().unwrap().last().cloned().unwrap();
    assert_eq!(headers["aftersale-event"], "request.status_changed");
    let event = checked(&headers, &body);
    assert_eq!(event["id"], format!("{id}/2"));
    assert_eq!(
        (
            &event["from"],
            &event["to"],
            &event["actor"],
            &event["note"]
        ),
        (
            &json!("requested"),
            &json!("approved"),
            &json!("alice"),
            &json!("fine")
        )
    );
    assert_eq!(event["request"]["status"], "approved");
}

#[tokio::test]
async fn an_event_not_yet_sent_is_sent_after_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shop.db");
    let request_id = {
        let (app, _state) = shop(&db).await;
        let p = payload(&app, "X-100", cancel()).await;
        let created = post(&app, "hook-restart", &p).await;
        assert_eq!(created.status, 201, "{}", created.body);
        created.body["request_id"].as_str().unwrap().to_owned()
        // The server stops here, before any webhook was tried.
    };
    let (url, got) = receiver(Vec::new()).await;
    let (_app, state) = shop(&db).await;
    let hook = Webhook::new(&url, SECRET).unwrap();
    assert_eq!(deliver_due(&state, &hook, Utc::now()).await, 1);
    let (headers, body) = got.lock().unwrap()[0].clone();
    assert_eq!(
        checked(&headers, &body)["request"]["id"],
        request_id.as_str()
    );
}

#[tokio::test]
async fn a_url_that_does_not_answer_is_tried_again_and_said_why() {
    // Nothing listens there (a port just freed).
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let hook = Webhook::new(
        &format!("http://127.0.0.1:{port}/hook?token=secret-in-url"),
        SECRET,
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (app, state) = shop(&dir.path().join("shop.db")).await;
    let p = payload(&app, "X-100", cancel()).await;
    assert_eq!(post(&app, "hook-down", &p).await.status, 201);
    let now = Utc::now();
    assert_eq!(deliver_due(&state, &hook, now).await, 1);
    // Kept, tried once, with why: the connection, not the URL's token.
    let (attempts, why): (u32, String) = rusqlite::Connection::open(dir.path().join("shop.db"))
        .unwrap()
        .query_row("SELECT attempts, last_error FROM webhook_outbox", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!(attempts, 1);
    assert!(why.contains("refused"), "{why}");
    assert!(!why.contains("secret-in-url"), "{why}");
    // Tried twice more, the wait doubles: not due 61 s after the second try.
    let second = now + Duration::seconds(31);
    assert_eq!(deliver_due(&state, &hook, second).await, 1);
    assert_eq!(
        deliver_due(&state, &hook, second + Duration::seconds(59)).await,
        0
    );
    assert_eq!(
        deliver_due(&state, &hook, second + Duration::seconds(61)).await,
        1
    );
}

#[tokio::test]
async fn a_store_without_a_webhook_keeps_no_events_for_one() {
    let shop = sqlite_shop().await;
    let p = payload(&shop.app, "X-100", cancel()).await;
    assert_eq!(post(&shop.app, "no-hook", &p).await.status, 201);
    let later = at(Utc::now() + Duration::days(1));
    assert!(
        shop.state
            .store
            .claim_deliveries(later.clone(), later, 10)
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_server_tells_its_webhook_of_a_request_as_it_comes() {
    // The binary as a shop starts it, its background sender included.
    let (url, got) = receiver(Vec::new()).await;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shop.db");
    let (mut server, addr) = binary::start(&[
        "--database".as_ref(),
        db.as_os_str(),
        "--seed-demo".as_ref(),
        "--webhook-url".as_ref(),
        url.as_ref(),
        "--webhook-secret".as_ref(),
        SECRET.as_ref(),
    ]);
    let id = tokio::task::spawn_blocking(move || {
        let (status, text) = binary::http(&addr, "GET", "/api/orders/X-100", &[], "").unwrap();
        assert_eq!(status, 200, "{text}");
        let order: Value = serde_json::from_str(&text).unwrap();
        let policy = aftersale_engine::Policy::preset("xtelary").unwrap();
        let scenario: aftersale_engine::Scenario = serde_json::from_value(
            json!({ "now": Utc::now(), "order": order["order"], "request": cancel() }),
        )
        .unwrap();
        let quote = aftersale_engine::quote(&policy, &scenario).unwrap();
        let body = json!({
            "format": "aftersale.request/1", "order_id": "X-100",
            "policy": { "id": "xtelary", "version": policy.version }, "request": cancel(),
            "quote": quote, "attachments": [], "contact": { "email": "kim@example.com" },
            "locale": "en", "submitted_at": Utc::now(),
        });
        let headers = [
            ("Content-Type", "application/json"),
            ("Idempotency-Key", "hook-binary"),
        ];
        let (status, text) =
            binary::http(&addr, "POST", "/api/requests", &headers, &body.to_string()).unwrap();
        assert_eq!(status, 201, "{text}");
        let created: Value = serde_json::from_str(&text).unwrap();
        created["request_id"].as_str().unwrap().to_owned()
    })
    .await
    .unwrap();
    let started = std::time::Instant::now();
    while got.lock().unwrap().is_empty() && started.elapsed().as_secs() < 10 {
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    server.kill().unwrap();
    server.wait().unwrap();
    let sent = got.lock().unwrap().clone();
    assert_eq!(sent.len(), 1, "one event, within 10 s");
    let event = checked(&sent[0].0, &sent[0].1);
    assert_eq!(event["type"], "request.created");
    assert_eq!(event["request"]["id"], id.as_str());
}

#[test]
fn a_webhook_without_its_secret_or_of_no_http_url_stops_the_server() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shop.db");
    for (args, said) in [
        (
            vec!["--webhook-url", "https://hooks.example/x"],
            "--webhook-secret",
        ),
        (
            vec!["--webhook-secret", "sixteen chars or more"],
            "--webhook-url",
        ),
        (
            vec![
                "--webhook-url",
                "ftp://hooks.example/x",
                "--webhook-secret",
                "sixteen chars or more",
            ],
            "http or https",
        ),
        (
            vec![
                "--webhook-url",
                "https://hooks.example/x",
                "--webhook-secret",
                "too-short",
            ],
            "16 characters",
        ),
    ] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_aftersale-server"))
            .args(["--listen", "127.0.0.1:0", "--database"])
            .arg(&db)
            .args(&args)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            matches!(out.status.code(), Some(1 | 2)),
            "{args:?}: {stderr}"
        );
        assert!(stderr.contains(said), "{args:?}: {stderr}");
        assert!(
            !stderr.contains("sixteen chars") && !stderr.contains("too-short"),
            "{stderr}"
        );
    }
    // An https URL on a machine that trusts no certificate authority (a
    // container without its CA certificates) could never be sent to.
    let empty = dir.path().join("no-roots.pem");
    std::fs::write(&empty, "").unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_aftersale-server"))
        .args(["--listen", "127.0.0.1:0", "--database"])
        .arg(&db)
        .args(["--webhook-url", "https://hooks.example/x?token=t0k3n"])
        .args(["--webhook-secret", "sixteen chars or more"])
        .env("SSL_CERT_FILE", &empty)
        .env("SSL_CERT_DIR", dir.path().join("none"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("trusts no certificate authority"),
        "{stderr}"
    );
    assert!(!stderr.contains("t0k3n"), "{stderr}");
}

#[tokio::test]
async fn the_merchant_sees_what_the_webhook_did_not_take_and_has_it_sent_again_now() {
    let (url, got) = receiver(vec![503, 503]).await;
    let hook = Webhook::new(&url, SECRET).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (_, state) = shop(&dir.path().join("shop.db")).await;
    let state = Arc::new(Arc::into_inner(state).unwrap().with_webhook(hook.host()));
    let app = router(state.clone(), &http());
    let backlog = merchant(&app, "GET", "/api/merchant/webhook", None).await;
    assert_eq!(backlog.status, 200, "{}", backlog.body);
    assert_eq!(
        backlog.body,
        json!({ "webhook": hook.host(), "waiting": 0, "failing": 0, "oldest": [] })
    );
    let p = payload(&app, "X-105", changed_mind_return("L2", 1)).await;
    let created = post(&app, "hook-backlog", &p).await;
    assert_eq!(created.status, 201, "{}", created.body);
    let id = created.body["request_id"].as_str().unwrap().to_owned();
    let backlog = merchant(&app, "GET", "/api/merchant/webhook", None).await;
    assert_eq!(
        (
            backlog.body["waiting"].as_u64(),
            backlog.body["failing"].as_u64()
        ),
        (Some(1), Some(0))
    );

    // Refused twice: failing, with why, its next try 60 s after the second.
    let now = Utc::now();
    assert_eq!(deliver_due(&state, &hook, now).await, 1);
    assert_eq!(
        deliver_due(&state, &hook, now + Duration::seconds(31)).await,
        1
    );
    let backlog = merchant(&app, "GET", "/api/merchant/webhook", None).await;
    assert_eq!(
        (
            backlog.body["waiting"].as_u64(),
            backlog.body["failing"].as_u64()
        ),
        (Some(1), Some(1))
    );
    let oldest = &backlog.body["oldest"][0];
    assert_eq!(oldest["id"], format!("{id}/1"));
    assert_eq!(oldest["order_id"], "X-105");
    assert_eq!(oldest["attempts"], 2);
    assert_eq!(
        oldest["last_error"],
        "the webhook answered 503 Service Unavailable"
    );
    assert_eq!(oldest["next_at"], at(now + Duration::seconds(31 + 60)));

    // Fixed: sent again at once, not a minute later.
    let again = merchant(&app, "POST", "/api/merchant/webhook/send-again", None).await;
    assert_eq!((again.status, &again.body), (200, &json!({ "due": 1 })));
    assert_eq!(deliver_due(&state, &hook, Utc::now()).await, 1);
    assert_eq!(got.lock().unwrap().len(), 3);
    let backlog = merchant(&app, "GET", "/api/merchant/webhook", None).await;
    assert_eq!(
        (
            backlog.body["waiting"].as_u64(),
            backlog.body["failing"].as_u64()
        ),
        (Some(0), Some(0))
    );
    let again = merchant(&app, "POST", "/api/merchant/webhook/send-again", None).await;
    assert_eq!((again.status, &again.body), (200, &json!({ "due": 0 })));

    // Only for merchants; and a server without a webhook says so.
    assert_eq!(get(&app, "/api/merchant/webhook").await.status, 401);
    let (plain, _) = shop(&dir.path().join("plain.db")).await;
    let backlog = merchant(&plain, "GET", "/api/merchant/webhook", None).await;
    assert_eq!(backlog.body["webhook"], Value::Null);
    let again = merchant(&plain, "POST", "/api/merchant/webhook/send-again", None).await;
    assert_eq!(
        (again.status, again.body["field"].as_str()),
        (409, Some("webhook"))
    );
}

#[tokio::test]
async fn events_kept_for_a_webhook_are_named_by_a_server_started_without_one() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shop.db");
    let (app, _) = shop(&db).await;
    let p = payload(&app, "X-105", changed_mind_return("L2", 1)).await;
    assert_eq!(post(&app, "hook-kept", &p).await.status, 201);
    drop(app);
    let (mut server, _, log) = binary::start_logged(&["--database".as_ref(), db.as_os_str()]);
    server.kill().unwrap();
    server.wait().unwrap();
    // (Read by a thread of its own, to the end of the pipe.)
    let wanted = "1 webhook event(s) wait";
    let started = std::time::Instant::now();
    while !log.lock().unwrap().contains(wanted) && started.elapsed().as_secs() < 10 {
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let log = log.lock().unwrap().clone();
    assert!(
        log.contains(
            "1 webhook event(s) wait to be sent; start with --webhook-url and --webhook-secret"
        ),
        "{log}"
    );
}
