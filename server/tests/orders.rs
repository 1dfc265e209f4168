//! Orders put by the shop's own systems (`PUT /api/merchant/orders/{id}`)
//! against a real SQLite file: a new version is served and decides the
//! next request, `If-Match` keeps two writers from undoing each other,
//! what the order's requests name is kept, a request quoted against the
//! version before is quoted again, and bad bodies are named.

mod common;

use std::future::Future;
use std::sync::{Arc, Mutex};

use aftersale_server::merchant::Merchants;
use aftersale_server::store::sqlite::Sqlite;
use aftersale_server::store::{
    Attempts, Backlog, Changed, Created, Delivery, Expect, NewRequest, OrderRequest, PartStored,
    Photo, PhotoStored, Put, Received, RequestPage, RequestQuery, RequestRecord, Storage,
    StoreError, StoredAnswer, StoredOrder, Transition,
};
use aftersale_server::{AppState, router, seed};
use axum::body::Body;
use axum::http::Request;
use common::*;
use serde_json::{Value, json};

/// `PUT /api/merchant/orders/{id}` as the merchant, with extra headers.
async fn put(app: &axum::Router, id: &str, body: &Value, headers: &[(&str, &str)]) -> Answer {
    let mut request = Request::put(format!("/api/merchant/orders/{id}"))
        .header("authorization", "Bearer alice-secret")
        .header("content-type", "application/json");
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let mut a = call(app, request.body(Body::from(body.to_string())).unwrap()).await;
    if a.status < 300 {
        put_by_alice(&mut a.body);
    }
    a
}

/// Takes an order's `put` out of `body` (the version's record, not its
/// content), checking that it says alice put it a moment ago.
fn put_by_alice(body: &mut Value) {
    let put = body.as_object_mut().unwrap().remove("put");
    let put = put.unwrap_or_else(|| panic!("no put in {body}"));
    assert_eq!(put["by"], "alice", "{put}");
    let at: chrono::DateTime<chrono::Utc> = put["at"].as_str().unwrap().parse().unwrap();
    let ago = chrono::Utc::now() - at;
    assert!(
        ago >= chrono::TimeDelta::zero() && ago < chrono::TimeDelta::minutes(1),
        "{put}"
    );
}

/// The order as stored (its content: who put it, if a put did, taken out
/// and checked to be alice), and its `ETag`.
async fn stored(app: &axum::Router, id: &str) -> (Value, String) {
    let mut a = merchant(app, "GET", &format!("/api/merchant/orders/{id}"), None).await;
    assert_eq!(a.status, 200, "{}", a.body);
    if a.body.get("put").is_some() {
        put_by_alice(&mut a.body);
    }
    let tag = a.headers["etag"].to_str().unwrap().to_owned();
    (a.body, tag)
}

fn hours_ago(h: i64) -> String {
    (chrono::Utc::now() - chrono::Duration::hours(h)).to_rfc3339()
}

#[tokio::test]
async fn a_new_version_of_an_order_is_served_and_decides_the_next_request() {
    let shop = sqlite_shop().await;
    let (mut order, tag) = stored(&shop.app, "X-101").await;
    assert_eq!(order["policy_id"], "xtelary");
    let seeded = merchant(&shop.app, "GET", "/api/merchant/orders/X-101", None).await;
    assert_eq!(
        seeded.body.get("put"),
        None,
        "the demo's seed records no put"
    );
    assert!(tag.starts_with('"') && tag.ends_with('"'), "{tag}");
    // Before: placed 30 hours ago, not shipped: cancelled for a 2% fee.
    let before = payload(&shop.app, "X-101", cancel()).await;
    assert_eq!(before["quote"]["eligible"], true);

    // The warehouse ships it.
    order["data"]["order"]["shipped_at"] = json!(hours_ago(2));
    let a = put(&shop.app, "X-101", &order, &[("if-match", &tag)]).await;
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!(a.body, order);
    let new_tag = a.headers["etag"].to_str().unwrap().to_owned();
    assert_ne!(new_tag, tag);
    assert_eq!(stored(&shop.app, "X-101").await, (order.clone(), new_tag));
    // Who put it is recorded (checked by `stored`) and is no part of it:
    // the GET's body, put back as it is, is the same version.
    let read = merchant(&shop.app, "GET", "/api/merchant/orders/X-101", None).await;
    assert!(read.body["put"].is_object(), "{}", read.body);
    let a = put(&shop.app, "X-101", &read.body, &[]).await;
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!(a.headers["etag"], read.headers["etag"]);
    let served = order_data(&shop.app, "X-101").await;
    let instant = |v: &Value| {
        v.as_str()
            .unwrap()
            .parse::<chrono::DateTime<chrono::Utc>>()
            .unwrap()
    };
    assert_eq!(
        instant(&served["order"]["shipped_at"]),
        instant(&order["data"]["order"]["shipped_at"])
    );

    // The page that still shows the unshipped order is refused by the
    // server's quote, naming the clause that closed cancellation.
    let a = post(&shop.app, "k-after-shipping", &before).await;
    assert_eq!(a.status, 422, "{}", a.body);
    assert_eq!(a.body["clause"], "xtelary.cancel_shipped");
    let fresh = payload(&shop.app, "X-101", cancel()).await;
    assert_eq!(fresh["quote"]["eligible"], false);
}

#[tokio::test]
async fn a_version_read_before_another_writer_s_is_not_put() {
    let shop = sqlite_shop().await;
    let (order, tag) = stored(&shop.app, "X-102").await;
    let mut shipped = order.clone();
    shipped["data"]["order"]["shipped_at"] = json!(hours_ago(3));
    let a = put(&shop.app, "X-102", &shipped, &[("if-match", &tag)]).await;
    assert_eq!(a.status, 200, "{}", a.body);

    // A second system read the order before and puts its own change.
    let mut relabelled = order.clone();
    relabelled["label"] = json!("VIP customer");
    let a = put(&shop.app, "X-102", &relabelled, &[("if-match", &tag)]).await;
    assert_eq!(a.status, 412, "{}", a.body);
    assert_eq!(a.body["field"], "If-Match");
    let now = stored(&shop.app, "X-102").await;
    assert!(
        a.body["message"].as_str().unwrap().contains(&now.1),
        "{}",
        a.body
    );
    assert_eq!(now.0, shipped, "the first writer's change is kept");

    // A list of tags, one of them current; `*` for any stored version.
    let list = format!("\"0000\", {}", now.1);
    let a = put(&shop.app, "X-102", &relabelled, &[("if-match", &list)]).await;
    assert_eq!(a.status, 200, "{}", a.body);
    let a = put(&shop.app, "X-102", &shipped, &[("if-match", "*")]).await;
    assert_eq!(a.status, 200, "{}", a.body);
    // A weak tag never matches for a write.
    let weak = format!("W/{}", stored(&shop.app, "X-102").await.1);
    let a = put(&shop.app, "X-102", &relabelled, &[("if-match", &weak)]).await;
    assert_eq!(a.status, 412, "{}", a.body);
    // Without a precondition, the last put wins.
    let a = put(&shop.app, "X-102", &relabelled, &[]).await;
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!(stored(&shop.app, "X-102").await.0, relabelled);
}

#[tokio::test]
async fn a_new_order_is_created_once() {
    let shop = sqlite_shop().await;
    let (mut order, _) = stored(&shop.app, "X-100").await;
    order["data"]["order"]["id"] = json!("X 200/b");
    order["data"]["order"]["placed_at"] = json!(hours_ago(1));
    order.as_object_mut().unwrap().remove("id");
    order.as_object_mut().unwrap().remove("label");
    let path = "X%20200%2Fb";
    let a = put(&shop.app, path, &order, &[("if-none-match", "*")]).await;
    assert_eq!(a.status, 201, "{}", a.body);
    assert_eq!(a.headers["location"], "/api/merchant/orders/X%20200%2Fb");
    assert_eq!(a.body["id"], "X 200/b");
    assert_eq!(
        a.body["label"], "X 200/b",
        "the label is the id unless given"
    );
    let tag = a.headers["etag"].to_str().unwrap().to_owned();
    assert_eq!(stored(&shop.app, path).await.1, tag);
    let list = get(&shop.app, "/api/orders").await;
    assert!(
        list.body
            .as_array()
            .unwrap()
            .iter()
            .any(|o| o["id"] == "X 200/b")
    );
    // The widget's page data, and a request for it.
    let mut p = payload(&shop.app, path, cancel()).await;
    p["order_id"] = json!("X 200/b");
    assert_eq!(p["quote"]["fee"], "0.00", "{}", p["quote"]);
    let a = post(&shop.app, "k-new-order", &p).await;
    assert_eq!(a.status, 201, "{}", a.body);

    let a = put(&shop.app, path, &order, &[("if-none-match", "*")]).await;
    assert_eq!(a.status, 412, "{}", a.body);
    assert_eq!(a.body["field"], "If-None-Match");
    order["data"]["order"]["id"] = json!("X-999");
    let a = put(&shop.app, "X-999", &order, &[("if-match", &tag)]).await;
    assert_eq!(a.status, 412, "{}", a.body);
    assert!(a.body["message"].as_str().unwrap().contains("no order"));
    let a = merchant(&shop.app, "GET", "/api/merchant/orders/X-999", None).await;
    assert_eq!(a.status, 404, "{}", a.body);
}

#[tokio::test]
async fn what_the_order_s_requests_name_is_kept() {
    let shop = sqlite_shop().await;
    // X-105, delivered: a return of one unit of L2 (of 2).
    let p = payload(&shop.app, "X-105", changed_mind_return("L2", 1)).await;
    let a = post(&shop.app, "k-return", &p).await;
    assert_eq!(a.status, 201, "{}", a.body);
    let rma = a.body["rma"].as_str().unwrap().to_owned();
    let request_id = a.body["request_id"].as_str().unwrap().to_owned();
    let (order, _) = stored(&shop.app, "X-105").await;
    let lines = order["data"]["order"]["lines"].as_array().unwrap().clone();
    let at = lines.iter().position(|l| l["id"] == "L2").unwrap();

    let mut without = order.clone();
    without["data"]["order"]["lines"]
        .as_array_mut()
        .unwrap()
        .remove(at);
    let a = put(&shop.app, "X-105", &without, &[]).await;
    assert_eq!(a.status, 409, "{}", a.body);
    assert_eq!(a.body["field"], "data.order.lines");
    let message = a.body["message"].as_str().unwrap();
    assert!(
        message.contains("\"L2\"") && message.contains(&rma),
        "{message}"
    );

    let mut fewer = order.clone();
    fewer["data"]["order"]["lines"][at]["quantity"] = json!(0);
    let a = put(&shop.app, "X-105", &fewer, &[]).await;
    assert_eq!(a.status, 400, "no line of 0 units: {}", a.body);
    let ordered = lines[at]["quantity"].as_u64().unwrap();
    assert!(ordered >= 2, "{ordered}");
    // Down to the unit the return holds: kept.
    fewer["data"]["order"]["lines"][at]["quantity"] = json!(1);
    let a = put(&shop.app, "X-105", &fewer, &[]).await;
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!(stored(&shop.app, "X-105").await.0, fewer);

    // Rejected, the request holds nothing but is still listed by its line.
    let a = merchant(
        &shop.app,
        "POST",
        &format!("/api/merchant/requests/{request_id}/status"),
        Some(json!({ "to": "rejected" })),
    )
    .await;
    assert_eq!(a.status, 200, "{}", a.body);
    let a = put(&shop.app, "X-105", &without, &[]).await;
    assert_eq!(a.status, 409, "{}", a.body);
    assert!(
        a.body["message"]
            .as_str()
            .unwrap()
            .contains("named by request")
    );
    assert_eq!(stored(&shop.app, "X-105").await.0, fewer, "nothing was put");
}

#[tokio::test]
async fn a_bad_put_is_named_and_nothing_is_stored() {
    let shop = sqlite_shop().await;
    let (order, tag) = stored(&shop.app, "H-101").await;
    let with = |f: &dyn Fn(&mut Value)| {
        let mut o = order.clone();
        f(&mut o);
        o
    };
    let cases: Vec<(Value, u16, &str)> = vec![
        (
            with(&|o| o["data"]["order"]["lines"][0]["unit_price"] = json!(12.5)),
            400,
            "data.order.lines[0].unit_price",
        ),
        (with(&|o| o["policy_id"] = json!("acme")), 400, "policy_id"),
        (with(&|o| o["id"] = json!("H-102")), 400, "id"),
        (
            with(&|o| o["data"]["order"]["id"] = json!("H-102")),
            400,
            "data.order.id",
        ),
        (
            with(&|o| o["data"]["requests"] = json!([{}])),
            400,
            "data.requests",
        ),
        (with(&|o| o["colour"] = json!("red")), 400, "colour"),
        (
            with(&|o| {
                o.as_object_mut().unwrap().remove("data");
            }),
            400,
            "body",
        ),
        (
            with(&|o| o["data"]["order"]["currency"] = json!("XXX")),
            400,
            "data.order.currency",
        ),
        (
            // An exchange option as its fields in order, which serde alone
            // reads natively and the widget's reader does not.
            with(&|o| {
                let option = o["data"]["exchange_options"][0].clone();
                o["data"]["exchange_options"][0] = json!([
                    option["sku"],
                    option["title"],
                    option["unit_price"],
                    option["stock"]
                ]);
            }),
            400,
            "data.exchange_options[0]",
        ),
        (
            // The fields in order, as serde alone would read them.
            json!(["H-101", order["policy_id"], order["label"], order["data"]]),
            400,
            "body",
        ),
    ];
    for (body, status, field) in cases {
        let a = put(&shop.app, "H-101", &body, &[]).await;
        assert_eq!(
            (a.status, a.body["field"].as_str()),
            (status, Some(field)),
            "{}",
            a.body
        );
    }
    let a = put(&shop.app, "H-101", &order, &[("if-match", "abc")]).await;
    assert_eq!(
        (a.status, a.body["field"].as_str()),
        (400, Some("If-Match"))
    );
    let a = put(
        &shop.app,
        "H-101",
        &order,
        &[("if-match", &tag), ("if-none-match", "*")],
    )
    .await;
    assert_eq!(a.status, 400, "{}", a.body);
    let a = put(&shop.app, "H-101", &order, &[("if-none-match", &tag)]).await;
    assert_eq!(
        (a.status, a.body["field"].as_str()),
        (400, Some("If-None-Match"))
    );

    let text = Request::put("/api/merchant/orders/H-101")
        .header("authorization", "Bearer alice-secret")
        .header("content-type", "text/plain")
        .body(Body::from(order.to_string()))
        .unwrap();
    assert_eq!(call(&shop.app, text).await.status, 415);
    let a = put(&shop.app, "H-101", &json!("{"), &[]).await;
    assert_eq!(a.status, 400, "{}", a.body);
    let stranger = Request::put("/api/merchant/orders/H-101")
        .header("content-type", "application/json")
        .body(Body::from(order.to_string()))
        .unwrap();
    assert_eq!(call(&shop.app, stranger).await.status, 401);
    assert_eq!(
        get(&shop.app, "/api/merchant/orders/H-101").await.status,
        401
    );

    assert_eq!(stored(&shop.app, "H-101").await, (order, tag));
}

/// A store that puts a new version of an order just before it stores the
/// next request: the shop's systems putting the order while a request for
/// it is between its quote and the transaction that stores it.
struct PutMeanwhile {
    inner: Sqlite,
    /// Versions put one by one, each just before a request is stored.
    next: Mutex<Vec<StoredOrder>>,
}

impl Storage for PutMeanwhile {
    async fn create(
        &self,
        new: NewRequest,
        order_lines: Vec<(String, u32)>,
    ) -> Result<Created, StoreError> {
        let next = self.next.lock().unwrap().pop();
        if let Some(order) = next {
            self.inner.put_order(order, Expect::Any).await?;
        }
        self.inner.create(new, order_lines).await
    }

    fn put_orders(
        &self,
        orders: Vec<StoredOrder>,
    ) -> impl Future<Output = Result<(), StoreError>> + Send {
        self.inner.put_orders(orders)
    }

    fn put_order(
        &self,
        order: StoredOrder,
        expect: Expect,
    ) -> impl Future<Output = Result<Put, StoreError>> + Send {
        self.inner.put_order(order, expect)
    }

    fn count_find(
        &self,
        subjects: Vec<String>,
        now: String,
        window: String,
    ) -> impl Future<Output = Result<Vec<Attempts>, StoreError>> + Send {
        self.inner.count_find(subjects, now, window)
    }

    fn uncount_find(
        &self,
        subjects: Vec<String>,
    ) -> impl Future<Output = Result<(), StoreError>> + Send {
        self.inner.uncount_find(subjects)
    }

    fn ping(&self) -> impl Future<Output = Result<(), StoreError>> + Send {
        self.inner.ping()
    }

    fn orders(&self) -> impl Future<Output = Result<Vec<StoredOrder>, StoreError>> + Send {
        self.inner.orders()
    }

    fn order(
        &self,
        id: String,
    ) -> impl Future<Output = Result<Option<StoredOrder>, StoreError>> + Send {
        self.inner.order(id)
    }

    fn order_requests(
        &self,
        order_id: String,
    ) -> impl Future<Output = Result<Vec<OrderRequest>, StoreError>> + Send {
        self.inner.order_requests(order_id)
    }

    fn answer(
        &self,
        key: String,
    ) -> impl Future<Output = Result<Option<StoredAnswer>, StoreError>> + Send {
        self.inner.answer(key)
    }

    fn requests(
        &self,
        query: RequestQuery,
    ) -> impl Future<Output = Result<RequestPage, StoreError>> + Send {
        self.inner.requests(query)
    }

    fn request(
        &self,
        id: String,
    ) -> impl Future<Output = Result<Option<RequestRecord>, StoreError>> + Send {
        self.inner.request(id)
    }

    fn transition(
        &self,
        change: Transition,
    ) -> impl Future<Output = Result<Changed, StoreError>> + Send {
        self.inner.transition(change)
    }

    fn claim_deliveries(
        &self,
        now: String,
        until: String,
        limit: u32,
    ) -> impl Future<Output = Result<Vec<Delivery>, StoreError>> + Send {
        self.inner.claim_deliveries(now, until, limit)
    }

    fn delivered(
        &self,
        request_id: String,
        seq: u32,
    ) -> impl Future<Output = Result<(), StoreError>> + Send {
        self.inner.delivered(request_id, seq)
    }

    fn delivery_failed(
        &self,
        request_id: String,
        seq: u32,
        next_at: String,
        error: String,
    ) -> impl Future<Output = Result<(), StoreError>> + Send {
        self.inner.delivery_failed(request_id, seq, next_at, error)
    }

    fn webhook_backlog(
        &self,
        limit: u32,
    ) -> impl Future<Output = Result<Backlog, StoreError>> + Send {
        self.inner.webhook_backlog(limit)
    }

    fn send_again(&self, now: String) -> impl Future<Output = Result<u64, StoreError>> + Send {
        self.inner.send_again(now)
    }

    fn put_photo(
        &self,
        request_id: String,
        photo: Photo,
        bytes: Vec<u8>,
    ) -> impl Future<Output = Result<PhotoStored, StoreError>> + Send {
        self.inner.put_photo(request_id, photo, bytes)
    }

    fn put_photo_part(
        &self,
        request_id: String,
        index: u32,
        start: u64,
        bytes: Vec<u8>,
        at: String,
    ) -> impl Future<Output = Result<PartStored, StoreError>> + Send {
        self.inner
            .put_photo_part(request_id, index, start, bytes, at)
    }

    fn photo_received(
        &self,
        request_id: String,
        index: u32,
    ) -> impl Future<Output = Result<Received, StoreError>> + Send {
        self.inner.photo_received(request_id, index)
    }

    fn photo_parts(
        &self,
        request_id: String,
        index: u32,
    ) -> impl Future<Output = Result<Vec<u8>, StoreError>> + Send {
        self.inner.photo_parts(request_id, index)
    }

    fn drop_photo_parts(
        &self,
        request_id: String,
        index: u32,
    ) -> impl Future<Output = Result<(), StoreError>> + Send {
        self.inner.drop_photo_parts(request_id, index)
    }

    fn drop_unfinished_photos(
        &self,
        before: String,
    ) -> impl Future<Output = Result<u64, StoreError>> + Send {
        self.inner.drop_unfinished_photos(before)
    }

    fn photo(
        &self,
        request_id: String,
        index: u32,
    ) -> impl Future<Output = Result<Option<(Photo, Vec<u8>)>, StoreError>> + Send {
        self.inner.photo(request_id, index)
    }
}

/// The demo shop on [`PutMeanwhile`], and its store.
async fn shop_put_meanwhile(dir: &std::path::Path) -> (axum::Router, Arc<AppState<PutMeanwhile>>) {
    let inner = Sqlite::open(&dir.join("shop.db")).unwrap();
    inner
        .put_orders(seed::demo_orders(chrono::Utc::now()))
        .await
        .unwrap();
    let store = PutMeanwhile {
        inner,
        next: Mutex::new(Vec::new()),
    };
    let state = Arc::new(AppState::new(store, Merchants::parse(TOKEN).unwrap()).unwrap());
    (router(state.clone(), &http()), state)
}

#[tokio::test]
async fn a_request_quoted_against_the_version_before_is_quoted_again() {
    let dir = tempfile::tempdir().unwrap();
    let (app, state) = shop_put_meanwhile(dir.path()).await;
    let (order, _) = stored(&app, "X-101").await;
    let order: StoredOrder = serde_json::from_value(order).unwrap();

    // Shipped meanwhile: quoted again, the cancellation is refused, as the
    // shipped order's page would have said; nothing is stored.
    let mut shipped = order.clone();
    shipped.data["order"]["shipped_at"] = json!(hours_ago(1));
    *state.store.next.lock().unwrap() = vec![shipped];
    let p = payload(&app, "X-101", cancel()).await;
    assert_eq!(p["quote"]["eligible"], true);
    let a = post(&app, "k-meanwhile", &p).await;
    assert_eq!(a.status, 422, "{}", a.body);
    assert_eq!(a.body["clause"], "xtelary.cancel_shipped");
    assert!(state.store.next.lock().unwrap().is_empty(), "put meanwhile");
    assert!(
        state
            .store
            .order_requests("X-101".into())
            .await
            .unwrap()
            .is_empty()
    );

    // A change that does not change the quote (a line's title): quoted
    // again, the same, and stored against the new version.
    let (order, _) = stored(&app, "X-100").await;
    let mut renamed: StoredOrder = serde_json::from_value(order).unwrap();
    renamed.data["order"]["lines"][0]["title"] = json!("Renamed by the shop");
    *state.store.next.lock().unwrap() = vec![renamed];
    let p = payload(&app, "X-100", cancel()).await;
    let a = post(&app, "k-meanwhile-2", &p).await;
    assert_eq!(a.status, 201, "{}", a.body);
    let id = a.body["request_id"].as_str().unwrap();
    let kept = merchant(&app, "GET", &format!("/api/merchant/requests/{id}"), None).await;
    assert_eq!(
        kept.body["order_snapshot"]["lines"][0]["title"],
        "Renamed by the shop"
    );

    // An order put again before each of three quotes (a shop's system
    // in a loop): 503 saying so, for the widget to send again with its
    // key, and nothing stored.
    let (order, _) = stored(&app, "X-105").await;
    let order: StoredOrder = serde_json::from_value(order).unwrap();
    *state.store.next.lock().unwrap() = (1..=3)
        .map(|i| {
            let mut o = order.clone();
            o.data["order"]["lines"][0]["title"] = json!(format!("Version {i}"));
            o
        })
        .collect();
    let p = payload(&app, "X-105", changed_mind_return("L1", 1)).await;
    let a = post(&app, "k-meanwhile-3", &p).await;
    assert_eq!(a.status, 503, "{}", a.body);
    assert_eq!(a.headers["retry-after"], "5");
    let said = a.body["message"].as_str().unwrap();
    assert!(
        said.contains("order X-105 changed each of the 3 times") && said.contains("same key"),
        "{said}"
    );
    assert!(state.store.next.lock().unwrap().is_empty());
    assert!(
        (state.store.order_requests("X-105".into()).await)
            .unwrap()
            .is_empty()
    );
    // Once it stops changing, the same key stores the request, quoted
    // against the version now.
    let a = post(&app, "k-meanwhile-3", &p).await;
    assert_eq!(a.status, 201, "{}", a.body);
}
