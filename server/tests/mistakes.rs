//! Every one-mistake change of a good payload, posted to `POST
//! /api/requests` on a real SQLite file: each is answered with a status
//! the payload doc lists and words that say what is wrong and where, never
//! a 5xx; each that is taken is stored as sent; nothing else is stored.
//! The same for an order put by the shop's systems (`PUT
//! /api/merchant/orders/{id}`): named where it is wrong, or served as put,
//! as page data the widget reads.

mod common;

#[path = "../../tests/support/mistakes.rs"]
mod mistakes;

use common::*;
use serde_json::{Value, json};

/// A field as the server names it (`request.lines[0].quantity`), as a
/// JSON pointer (`/request/lines/0/quantity`); `body` is the document.
fn pointer_of(field: &str) -> String {
    if field == "body" {
        return String::new();
    }
    let mut out = String::new();
    for part in field.split('.') {
        let (name, indices) = part.split_once('[').unwrap_or((part, ""));
        out.push('/');
        out.push_str(name);
        for index in indices.split('[').filter(|i| !i.is_empty()) {
            out.push('/');
            out.push_str(index.trim_end_matches(']'));
        }
    }
    out
}

/// Whether a field named for a change at `site` is about it: the place
/// itself, one that holds it or one within it, or a field beside it that
/// the change no longer agrees with (a return's `exchange_for`).
fn related(named: &str, site: &str) -> bool {
    let within =
        |inner: &str, outer: &str| inner == outer || inner.starts_with(&format!("{outer}/"));
    let parent = |p: &str| {
        p.rsplit_once('/')
            .map_or("", |(parent, _)| parent)
            .to_owned()
    };
    within(named, site) || within(site, named) || parent(named) == parent(site)
}

/// Asserts `a` is an `invalid` answer that names the field changed at
/// `site`, one holding it or one within it (or one beside it: [`related`]).
fn named_where_changed(a: &Answer, site: &str, said: &str) {
    assert_eq!(a.body["status"], "invalid", "{said}");
    assert_ne!(a.body["message"].as_str().unwrap_or(""), "", "{said}");
    let field = a.body["field"].as_str().expect(said);
    assert!(related(&pointer_of(field), site), "named elsewhere: {said}");
}

/// A pointer with its positions left out (`/quote/steps/N/id`).
fn place(at: &str) -> String {
    at.split('/')
        .map(|p| if p.parse::<usize>().is_ok() { "N" } else { p })
        .collect::<Vec<_>>()
        .join("/")
}

/// Whether the server may take the change at `at` to `value`, and why: it
/// changes nothing the server decides by.
fn harmless(at: &str, value: &Value) -> bool {
    let text = value.as_str().unwrap_or_default();
    match place(at).as_str() {
        // The server quotes by its own version of the policy; a page's
        // older version is answered with the current figures, and equal
        // figures are taken (docs/payload.md).
        "/policy/version" => true,
        // The customer's file's name, and a size within the limit.
        "/attachments/N/name" => true,
        "/attachments/N/size" => value == &json!(5),
        // The widget's clock; the server decides by its own.
        "/submitted_at" => text.starts_with("2026-11-21T"),
        // A language tag's form, whatever the language.
        "/locale" => text.bytes().all(|b| b.is_ascii_alphabetic()) && (2..=8).contains(&text.len()),
        // The clause's default said out loud.
        "/request/resolution" => text == "refund",
        // The server takes the stock from its own offer.
        "/request/exchange_for/stock" => value.is_u64(),
        _ => false,
    }
}

/// One change of a good document: the place changed (a pointer; a field
/// added goes beside the place it was added at), how (as
/// [`mistakes::mutate`] takes it), the value put, and the document.
struct Change {
    site: String,
    how: u8,
    value: Value,
    changed: Value,
}

/// Every distinct one-mistake change of `good`, none that leaves it as it
/// is: each place dropped, replaced by each of [`mistakes::replacements`],
/// and given a field it does not have.
fn changes(good: &Value) -> Vec<Change> {
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for at in mistakes::pointers(good) {
        for how in 0..3u8 {
            let values = if how == 1 {
                mistakes::replacements()
            } else {
                vec![json!(1)]
            };
            for value in values {
                let mut changed = good.clone();
                mistakes::mutate(&mut changed, &at, how, value.clone());
                if changed == *good || !seen.insert(changed.to_string()) {
                    continue;
                }
                let site = match (how, at.rsplit_once('/')) {
                    (2, Some((parent, _))) => format!("{parent}/unheard_of"),
                    _ => at.clone(),
                };
                out.push(Change {
                    site,
                    how,
                    value,
                    changed,
                });
            }
        }
    }
    out
}

#[tokio::test]
async fn every_one_mistake_change_of_a_payload_is_answered_by_name_and_only_whole_ones_are_stored()
{
    let shop = sqlite_shop().await;
    let documents = [
        (
            "an Xtelary return",
            payload(&shop.app, "X-105", changed_mind_return("L2", 1)).await,
        ),
        (
            "an Xtelary exchange",
            payload(&shop.app, "X-105", exchange_box()).await,
        ),
        (
            "an HTVRont claim with a photo",
            payload(
                &shop.app,
                "H-105",
                claim(
                    "damaged",
                    json!([{ "line_id": "L2", "quantity": 1 }]),
                    Some("store_credit"),
                ),
            )
            .await,
        ),
    ];
    let mut counts = std::collections::BTreeMap::<u16, usize>::new();
    let mut taken = 0;
    let mut sent = 0;
    for (what, good) in &documents {
        assert!(good["attachments"].as_array().is_some(), "{what}: {good}");
        for Change {
            site,
            how,
            value,
            changed,
        } in changes(good)
        {
            sent += 1;
            let a = post(&shop.app, &format!("mistake-{sent}"), &changed).await;
            let said = format!("{what}, {site} ({how}, {value}): {} {}", a.status, a.body);
            *counts.entry(a.status).or_default() += 1;
            assert!(
                [201, 400, 404, 409, 422].contains(&a.status),
                "an answer the payload doc does not list: {said}"
            );
            match a.status {
                201 => {
                    // Taken: stored as sent, then rejected by the
                    // merchant so that its units may be asked for again.
                    assert_eq!(a.body["status"], "created", "{said}");
                    let id = a.body["request_id"].as_str().expect(&said).to_owned();
                    let row = merchant(
                        &shop.app,
                        "GET",
                        &format!("/api/merchant/requests?find={id}"),
                        None,
                    )
                    .await;
                    assert_eq!(row.body["requests"][0]["payload"], changed, "{said}");
                    let path = format!("/api/merchant/requests/{id}/status");
                    let moved =
                        merchant(&shop.app, "POST", &path, Some(json!({ "to": "rejected" }))).await;
                    assert_eq!(moved.status, 200, "{said}: {}", moved.body);
                    assert!(harmless(&site, &value), "taken: {said}");
                    taken += 1;
                }
                409 => {
                    // The quote the customer saw is not the server's:
                    // the server's own, to show.
                    assert_eq!(a.body["status"], "quote_changed", "{said}");
                    assert_eq!(a.body["quote"]["eligible"], true, "{said}");
                    assert!(
                        site.starts_with("/quote") || site.starts_with("/request"),
                        "{said}"
                    );
                }
                422 => {
                    assert_eq!(a.body["status"], "refused", "{said}");
                    assert!(a.body["clause"].is_string(), "{said}");
                    assert_ne!(a.body["explanation"].as_str().unwrap_or(""), "", "{said}");
                    assert!(site.starts_with("/request"), "{said}");
                }
                _ => {
                    named_where_changed(&a, &site, &said);
                }
            }
        }
    }
    eprintln!("{sent} changes, answered {counts:?}");
    assert_eq!(rows(&shop.db) as usize, taken);
    // Each kind of answer was met: the changes reach every check.
    assert_eq!(
        counts.keys().copied().collect::<Vec<_>>(),
        [201, 400, 404, 409, 422]
    );
}

/// `PUT /api/merchant/orders/{id}` as the merchant.
async fn put(app: &axum::Router, id: &str, body: &Value) -> Answer {
    let request = axum::http::Request::put(format!("/api/merchant/orders/{id}"))
        .header("authorization", "Bearer alice-secret")
        .header("content-type", "application/json")
        .body(axum::body::Body::from(body.to_string()))
        .unwrap();
    call(app, request).await
}

#[tokio::test]
async fn every_one_mistake_change_of_an_order_put_is_answered_by_name() {
    let shop = sqlite_shop().await;
    let mut good = merchant(&shop.app, "GET", "/api/merchant/orders/X-105", None)
        .await
        .body;
    good.as_object_mut().unwrap().remove("put");
    good["email"] = json!("mia.keller@example.com");
    let schema = PageDataSchema::new();
    let mut counts = std::collections::BTreeMap::<u16, usize>::new();
    for Change {
        site,
        how,
        value,
        changed,
    } in changes(&good)
    {
        let a = put(&shop.app, "X-105", &changed).await;
        let said = format!("{site} ({how}, {value}): {} {}", a.status, a.body);
        *counts.entry(a.status).or_default() += 1;
        match a.status {
            200 => {
                // Taken: served as put, the record of the put aside.
                let mut now = merchant(&shop.app, "GET", "/api/merchant/orders/X-105", None)
                    .await
                    .body;
                now.as_object_mut().unwrap().remove("put");
                let mut expected = changed.clone();
                let object = expected.as_object_mut().unwrap();
                // An id or a label left out or null is the order's id;
                // an email, none.
                object.insert("id".into(), json!("X-105"));
                if object.get("label").is_none_or(Value::is_null) {
                    object.insert("label".into(), json!("X-105"));
                }
                if object.get("email").is_some_and(Value::is_null) {
                    object.remove("email");
                }
                assert_eq!(now, expected, "{said}");
                // ... and what the widget reads of it is page data by
                // the published schema, which the widget draws.
                let page = order_data(&shop.app, "X-105").await;
                let errors = schema.errors(&page);
                assert!(errors.is_empty(), "{said}: {errors:?}");
            }
            _ => {
                assert_eq!(a.status, 400, "{said}");
                named_where_changed(&a, &site, &said);
            }
        }
    }
    eprintln!("answered {counts:?}");
    assert_eq!(counts.keys().copied().collect::<Vec<_>>(), [200, 400]);
}
