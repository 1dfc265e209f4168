//! The storage interface's contract, run against SQLite (a file) and
//! PostgreSQL (`AFTERSALE_TEST_POSTGRES`, a `postgres://` URL; the test
//! script starts a server on a loopback port and runs the ignored test).

use std::sync::Arc;

use aftersale_engine::capacity::{self, Holding};
use aftersale_server::store::postgres::Postgres;
use aftersale_server::store::sqlite::Sqlite;
use aftersale_server::store::{
    Attempts, Changed, Created, Delivery, Expect, Find, Named, NewRequest, PartStored, Photo,
    PhotoStored, Put, PutBy, Received, RequestData, RequestQuery, RequestRecord, Storage,
    StoredAnswer, StoredOrder, Transition, open_holdings, page_requests,
};
use serde_json::json;

fn order(id: &str, label: &str) -> StoredOrder {
    StoredOrder {
        id: id.into(),
        policy_id: "xtelary".into(),
        label: label.into(),
        data: json!({ "order": { "id": id }, "exchange_options": [] }),
        email: None,
        put: None,
    }
}

fn new_request(
    id: &str,
    order_id: &str,
    key: &str,
    kind: &str,
    lines: &[(&str, u32)],
) -> NewRequest {
    let reason = if kind == "cancel" {
        json!(null)
    } else {
        json!("changed_mind")
    };
    let request = json!({
        "kind": kind, "reason": reason,
        "lines": lines.iter().map(|(l, q)| json!({ "line_id": l, "quantity": q })).collect::<Vec<_>>(),
        "resolution": null, "condition": null, "exchange_for": null,
    });
    let holding = Holding::of(&serde_json::from_value(request.clone()).expect("a request"));
    NewRequest {
        data: RequestData {
            id: id.into(),
            order_id: order_id.into(),
            kind: kind.into(),
            policy_id: "xtelary".into(),
            policy_version: "v1".into(),
            rma: Some("RMA-1".into()),
            request,
            quote: json!({ "eligible": true, "refund": "1.00" }),
            payload: json!({ "format": "aftersale.request/1" }),
            order_snapshot: json!({ "id": order_id }),
            created_at: "2026-11-22T10:00:00.000Z".into(),
        },
        holding,
        idempotency_key: key.into(),
        answer: StoredAnswer {
            body_sha256: format!("sha-of-{key}"),
            status: 201,
            body: json!({ "status": "created", "request_id": id }).to_string(),
        },
        order_data: order(order_id, "").data,
        exchanges_quoted: 0,
    }
}

/// `n` requests of `kind` for one unit of L1 of `order`, sent at once, each
/// quoted against no open exchange; what storing each came to.
async fn at_once<S: Storage + Clone>(
    store: &S,
    n: usize,
    tag: &str,
    order: &str,
    kind: &str,
    run: &str,
    order_lines: &[(String, u32)],
) -> Vec<Created> {
    let tasks: Vec<_> = (0..n)
        .map(|i| {
            let store = store.clone();
            let id = format!("{tag}{i}-{run}");
            let new = new_request(&id, order, &id, kind, &[("L1", 1)]);
            let lines = order_lines.to_vec();
            tokio::spawn(async move { store.create(new, lines).await.unwrap() })
        })
        .collect();
    let mut outcomes = Vec::new();
    for t in tasks {
        outcomes.push(t.await.unwrap());
    }
    outcomes
}

/// Everything a store must do, with names unique to this run so a shared
/// database does not disturb it.
async fn contract<S: Storage + Clone>(store: S) {
    store.ping().await.expect("the database answers");
    let run = uuid::Uuid::new_v4().simple().to_string();
    let o1 = format!("O1-{run}");
    let o2 = format!("O2-{run}");
    let o3 = format!("O3-{run}");
    let key = |k: &str| format!("{k}-{run}");

    store
        .put_orders(vec![
            order(&o1, "first"),
            order(&o2, "second"),
            order(&o3, "third"),
        ])
        .await
        .unwrap();
    store
        .put_orders(vec![order(&o1, "first, relabelled")])
        .await
        .unwrap();
    let got = store.order(o1.clone()).await.unwrap().unwrap();
    assert_eq!(got, order(&o1, "first, relabelled"));
    assert!(store.order(format!("none-{run}")).await.unwrap().is_none());
    let all = store.orders().await.unwrap();
    assert!(all.iter().any(|o| o.id == o2));

    let order_lines = vec![("L1".to_string(), 5u32), ("L2".to_string(), 1)];
    assert!(store.answer(key("k1")).await.unwrap().is_none());
    let r1 = format!("r1-{run}");
    let created = store
        .create(
            new_request(&r1, &o1, &key("k1"), "return", &[("L2", 1)]),
            order_lines.clone(),
        )
        .await
        .unwrap();
    assert!(matches!(created, Created::Stored), "{created:?}");
    let answer = store.answer(key("k1")).await.unwrap().unwrap();
    assert_eq!(answer.status, 201);
    assert_eq!(answer.body_sha256, format!("sha-of-{}", key("k1")));

    // Its photos: each stored once, its bytes kept (who may send one is
    // the HTTP side's to check).
    let photo = |sha: &str| Photo {
        index: 0,
        name: "box.jpg".into(),
        media_type: "image/jpeg".into(),
        size: 4,
        sha256: sha.into(),
        received_at: "2026-11-22T10:01:00.000Z".into(),
    };
    let bytes = vec![0xff, 0xd8, 0x00, 0x01];
    let put = |sha: &str, id: &str| store.put_photo(id.to_owned(), photo(sha), bytes.clone());
    assert_eq!(
        put("a", &format!("none-{run}")).await.unwrap(),
        PhotoStored::NoRequest
    );
    assert!(store.photo(r1.clone(), 0).await.unwrap().is_none());
    assert_eq!(put("a", &r1).await.unwrap(), PhotoStored::Stored);
    assert_eq!(put("a", &r1).await.unwrap(), PhotoStored::Same);
    assert_eq!(put("b", &r1).await.unwrap(), PhotoStored::Different);
    assert_eq!(
        store.photo(r1.clone(), 0).await.unwrap(),
        Some((photo("a"), bytes.clone()))
    );
    assert!(store.photo(r1.clone(), 1).await.unwrap().is_none());
    let record = store.request(r1.clone()).await.unwrap().unwrap();
    assert_eq!(record.photos, vec![photo("a")]);
    // A photo in parts: each appended only where the bytes in end, joined
    // in order, and let go of once the photo is stored whole.
    let part = |start: u64, bytes: &[u8]| {
        store.put_photo_part(
            r1.clone(),
            1,
            start,
            bytes.to_vec(),
            "2026-11-22T10:02:00.000Z".into(),
        )
    };
    assert_eq!(
        store.photo_received(r1.clone(), 1).await.unwrap(),
        Received::Bytes(0)
    );
    assert_eq!(
        store
            .put_photo_part(
                format!("none-{run}"),
                1,
                0,
                vec![1],
                "2026-11-22T10:02:00.000Z".into()
            )
            .await
            .unwrap(),
        PartStored::NoRequest
    );
    assert_eq!(
        part(0, &[0xff, 0xd8]).await.unwrap(),
        PartStored::Appended(2)
    );
    assert_eq!(
        part(0, &[0xff, 0xd8]).await.unwrap(),
        PartStored::Elsewhere(2)
    );
    assert_eq!(part(3, &[9]).await.unwrap(), PartStored::Elsewhere(2));
    assert_eq!(part(2, &[7]).await.unwrap(), PartStored::Appended(3));
    assert_eq!(
        store.photo_received(r1.clone(), 1).await.unwrap(),
        Received::Bytes(3)
    );
    assert_eq!(
        store.photo_parts(r1.clone(), 1).await.unwrap(),
        [0xff, 0xd8, 7]
    );
    assert_eq!(store.photo_parts(r1.clone(), 2).await.unwrap(), [0u8; 0]);
    store.drop_photo_parts(r1.clone(), 1).await.unwrap();
    assert_eq!(
        store.photo_received(r1.clone(), 1).await.unwrap(),
        Received::Bytes(0)
    );
    assert_eq!(
        part(0, &[0xff, 0xd8]).await.unwrap(),
        PartStored::Appended(2)
    );
    let second = Photo {
        index: 1,
        ..photo("c")
    };
    assert_eq!(
        store
            .put_photo(r1.clone(), second, bytes.clone())
            .await
            .unwrap(),
        PhotoStored::Stored
    );
    assert_eq!(
        store.photo_received(r1.clone(), 1).await.unwrap(),
        Received::Whole
    );
    assert_eq!(store.photo_parts(r1.clone(), 1).await.unwrap(), [0u8; 0]);
    assert_eq!(part(2, &[7]).await.unwrap(), PartStored::Whole);
    // Photos begun and never finished are let go of by the time their
    // last part came; whole photos and recent parts stay.
    let part_at = |index: u32, start: u64, bytes: &[u8], at: &str| {
        store.put_photo_part(r1.clone(), index, start, bytes.to_vec(), at.into())
    };
    assert_eq!(
        part_at(2, 0, &[1, 2], "2026-11-01T00:00:00.000Z")
            .await
            .unwrap(),
        PartStored::Appended(2)
    );
    assert_eq!(
        part_at(2, 2, &[3], "2026-11-20T00:00:00.000Z")
            .await
            .unwrap(),
        PartStored::Appended(3)
    );
    assert_eq!(
        part_at(3, 0, &[4], "2026-11-01T00:00:00.000Z")
            .await
            .unwrap(),
        PartStored::Appended(1)
    );
    let drop_before = |at: &str| store.drop_unfinished_photos(at.into());
    assert_eq!(drop_before("2026-11-10T00:00:00.000Z").await.unwrap(), 1);
    assert_eq!(
        store.photo_received(r1.clone(), 3).await.unwrap(),
        Received::Bytes(0)
    );
    assert_eq!(store.photo_parts(r1.clone(), 2).await.unwrap(), [1, 2, 3]);
    assert_eq!(drop_before("2026-11-20T00:00:00.000Z").await.unwrap(), 0);
    assert_eq!(drop_before("2026-11-20T00:00:00.001Z").await.unwrap(), 1);
    for index in [2, 3] {
        assert_eq!(
            store.photo_received(r1.clone(), index).await.unwrap(),
            Received::Bytes(0)
        );
    }
    assert_eq!(
        store.photo_received(r1.clone(), 0).await.unwrap(),
        Received::Whole
    );
    assert_eq!(
        part_at(3, 0, &[4], "2026-11-21T00:00:00.000Z")
            .await
            .unwrap(),
        PartStored::Appended(1)
    );
    store.drop_photo_parts(r1.clone(), 3).await.unwrap();
    // The same key again: the first answer, nothing stored.
    let replay = store
        .create(
            new_request(
                &format!("r1b-{run}"),
                &o1,
                &key("k1"),
                "return",
                &[("L1", 1)],
            ),
            order_lines.clone(),
        )
        .await
        .unwrap();
    assert!(matches!(replay, Created::Replay(a) if a == answer));
    assert!(store.request(format!("r1b-{run}")).await.unwrap().is_none());
    // L2 is taken by r1.
    let over = store
        .create(
            new_request(
                &format!("r2-{run}"),
                &o1,
                &key("k2"),
                "exchange",
                &[("L2", 1)],
            ),
            order_lines.clone(),
        )
        .await
        .unwrap();
    assert!(matches!(over, Created::Overdrawn(_)), "{over:?}");
    assert!(
        store.answer(key("k2")).await.unwrap().is_none(),
        "an overdrawn request keeps no answer"
    );

    // Twenty concurrent requests for one unit each of L1 (5 ordered): five fit.
    let outcomes = at_once(&store, 20, "c", &o1, "return", &run, &order_lines).await;
    let stored = outcomes
        .iter()
        .filter(|c| matches!(c, Created::Stored))
        .count();
    assert_eq!(stored, 5, "exactly the five units left were given out");

    let record = store.request(r1.clone()).await.unwrap().unwrap();
    assert_eq!(record.status, "requested");
    assert_eq!(record.data.rma.as_deref(), Some("RMA-1"));
    assert_eq!(record.data.quote["refund"], "1.00");
    assert_eq!(record.events.len(), 1);
    assert_eq!(record.events[0].actor, "customer");

    let change = |from: &str, to: &str| Transition {
        request_id: r1.clone(),
        from: from.into(),
        to: to.into(),
        actor: "alice".into(),
        note: Some("checked".into()),
        at: "2026-11-22T11:00:00.000Z".into(),
    };
    assert_eq!(
        store
            .transition(change("requested", "approved"))
            .await
            .unwrap(),
        Changed::Done
    );
    assert_eq!(
        store
            .transition(change("requested", "rejected"))
            .await
            .unwrap(),
        Changed::Moved("approved".into())
    );
    let mut ghost = change("requested", "approved");
    ghost.request_id = format!("ghost-{run}");
    assert_eq!(store.transition(ghost).await.unwrap(), Changed::NotFound);
    assert_eq!(
        store
            .transition(change("approved", "rejected"))
            .await
            .unwrap(),
        Changed::Done
    );
    let record = store.request(r1.clone()).await.unwrap().unwrap();
    assert_eq!(record.status, "rejected");
    let trail: Vec<_> = record
        .events
        .iter()
        .map(|e| (e.from.clone(), e.to.clone(), e.actor.clone()))
        .collect();
    assert_eq!(
        trail,
        vec![
            (None, "requested".into(), "customer".into()),
            (Some("requested".into()), "approved".into(), "alice".into()),
            (Some("approved".into()), "rejected".into(), "alice".into()),
        ]
    );
    // A rejected request frees its units.
    let freed = store
        .create(
            new_request(
                &format!("r3-{run}"),
                &o1,
                &key("k3"),
                "exchange",
                &[("L2", 1)],
            ),
            order_lines.clone(),
        )
        .await
        .unwrap();
    assert!(matches!(freed, Created::Stored), "{freed:?}");
    // Whole-order requests: one open per kind.
    let c1 = store
        .create(
            new_request(&format!("w1-{run}"), &o2, &key("w1"), "cancel", &[]),
            vec![],
        )
        .await
        .unwrap();
    assert!(matches!(c1, Created::Stored));
    let c2 = store
        .create(
            new_request(&format!("w2-{run}"), &o2, &key("w2"), "cancel", &[]),
            vec![],
        )
        .await
        .unwrap();
    assert!(matches!(c2, Created::Overdrawn(_)));

    // The open cancellation takes every unit of o2.
    let after_cancel = store
        .create(
            new_request(
                &format!("w3-{run}"),
                &o2,
                &key("w3"),
                "return",
                &[("L1", 1)],
            ),
            order_lines.clone(),
        )
        .await
        .unwrap();
    assert!(
        matches!(after_cancel, Created::Overdrawn(_)),
        "{after_cancel:?}"
    );

    // What the open requests hold: r1 was rejected; five returns and r3.
    let all = store.order_requests(o1.clone()).await.unwrap();
    assert_eq!(all.len(), 7, "{all:?}");
    assert_eq!(
        all.iter().filter(|r| r.status == "rejected").count(),
        1,
        "r1"
    );
    assert!(
        all.windows(2).all(|w| w[0].created_at >= w[1].created_at),
        "newest first"
    );
    let open = open_holdings(&page_requests(&all));
    assert_eq!(open.len(), 6, "{open:?}");
    assert_eq!(capacity::exchanges(&open), 1);
    assert!(store.order_requests(o3.clone()).await.unwrap().is_empty());

    // Five exchanges of o3 quoted at once, each against no open exchange:
    // the first stored changes the count, so the other four are refused.
    let mut stored = 0;
    for outcome in at_once(&store, 5, "x", &o3, "exchange", &run, &order_lines).await {
        match outcome {
            Created::Stored => stored += 1,
            Created::Overdrawn(o) => assert!(o.message.contains("meanwhile"), "{o:?}"),
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(
        stored, 1,
        "one exchange stored against the count it was quoted with"
    );

    let listed = store.requests(RequestQuery::first(u32::MAX)).await.unwrap();
    assert_eq!(listed.next, None);
    let ours: Vec<&RequestRecord> = listed
        .requests
        .iter()
        .filter(|r| r.data.id.ends_with(&run))
        .collect();
    assert_eq!(ours.len(), 1 + 5 + 1 + 1 + 1);
    // Each as its own read gives it: events and photos, in their order.
    for r in &ours {
        assert_eq!(
            Some(*r),
            store.request(r.data.id.clone()).await.unwrap().as_ref()
        );
    }
    assert!(
        ours.iter().any(|r| r.events.len() == 3),
        "r1: approved, then rejected"
    );
    assert!(ours.iter().any(|r| !r.photos.is_empty()), "a photo");

    // Pages of 2, one after the other, give each request once, in the same
    // order (these share one creation time: their ids order them).
    let mut paged = Vec::new();
    let mut query = RequestQuery::first(2);
    let mut pages = 0;
    loop {
        let page = store.requests(query.clone()).await.unwrap();
        assert!(page.requests.len() <= 2);
        pages += 1;
        paged.extend(page.requests);
        match page.next {
            Some(next) => query.after = Some(next),
            None => break,
        }
    }
    assert_eq!(paged, listed.requests);
    assert_eq!(pages, listed.requests.len().div_ceil(2));
    // One status only: r1 is the run's one rejected request.
    let rejected = store
        .requests(RequestQuery {
            status: Some("rejected".into()),
            ..RequestQuery::first(u32::MAX)
        })
        .await
        .unwrap();
    assert!(rejected.requests.iter().all(|r| r.status == "rejected"));
    assert_eq!(
        rejected
            .requests
            .iter()
            .filter(|r| r.data.id.ends_with(&run))
            .map(|r| r.data.id.as_str())
            .collect::<Vec<_>>(),
        [r1.as_str()]
    );
    finds(&store).await;
}

/// A request with `rma`, from a customer at `email`, created at `at`.
fn reached_at(id: &str, order_id: &str, rma: &str, email: &str, at: &str) -> NewRequest {
    let mut new = new_request(id, order_id, &format!("key-{id}"), "return", &[("L1", 1)]);
    new.data.rma = Some(rma.into());
    new.data.payload["contact"] = json!({ "email": email });
    new.data.created_at = at.into();
    new
}

/// A store made to notify keeps each event for the webhook, in the
/// transaction that makes it, until it is delivered; a failed one waits.
async fn outbox<S: Storage + Clone>(store: S) {
    let run = uuid::Uuid::new_v4().simple().to_string();
    let (o, id) = (format!("W-{run}"), format!("w-{run}"));
    store.put_orders(vec![order(&o, "webhook")]).await.unwrap();
    let created = store
        .create(
            reached_at(
                &id,
                &o,
                "RMA-W",
                "w@example.com",
                "2026-11-22T10:00:00.000Z",
            ),
            vec![("L1".into(), 5)],
        )
        .await
        .unwrap();
    assert!(matches!(created, Created::Stored), "{created:?}");
    let ours = |due: Vec<Delivery>| -> Vec<(u32, u32)> {
        due.into_iter()
            .filter(|d| d.request_id == id)
            .map(|d| (d.seq, d.attempts))
            .collect()
    };
    let claim = |now: &'static str, until: &'static str| {
        store.claim_deliveries(now.into(), until.into(), 1000)
    };
    let (t10, t1005, t1010) = (
        "2026-11-22T10:00:00.000Z",
        "2026-11-22T10:05:00.000Z",
        "2026-11-22T10:10:00.000Z",
    );
    assert_eq!(
        ours(claim("2026-11-22T09:59:59.999Z", t1005).await.unwrap()),
        []
    );
    assert_eq!(ours(claim(t10, t1005).await.unwrap()), [(1, 0)]);
    // Claimed: another server asking meanwhile does not get it; once the
    // claim ran out (the first stopped before it said), it does.
    assert_eq!(ours(claim(t10, t1005).await.unwrap()), []);
    assert_eq!(ours(claim(t1005, t1010).await.unwrap()), [(1, 0)]);
    store.delivered(id.clone(), 1).await.unwrap();
    assert_eq!(
        ours(
            claim("2030-01-01T00:00:00.000Z", "2030-01-01T00:05:00.000Z")
                .await
                .unwrap()
        ),
        []
    );
    let changed = store
        .transition(Transition {
            request_id: id.clone(),
            from: "requested".into(),
            to: "approved".into(),
            actor: "alice".into(),
            note: None,
            at: "2026-11-22T11:00:00.000Z".into(),
        })
        .await
        .unwrap();
    assert_eq!(changed, Changed::Done);
    assert_eq!(
        ours(
            claim("2026-11-22T11:00:00.000Z", "2026-11-22T11:05:00.000Z")
                .await
                .unwrap()
        ),
        [(2, 0)]
    );
    (store.delivery_failed(
        id.clone(),
        2,
        "2026-11-22T11:00:30.000Z".into(),
        "500".into(),
    ))
    .await
    .unwrap();
    let later = "2026-11-22T11:05:30.000Z";
    assert_eq!(
        ours(claim("2026-11-22T11:00:29.999Z", later).await.unwrap()),
        []
    );
    assert_eq!(
        ours(claim("2026-11-22T11:00:30.000Z", later).await.unwrap()),
        [(2, 1)]
    );
    // Failed again: the merchant sees it, with why, and has it sent again
    // at once rather than at its next try.
    (store.delivery_failed(
        id.clone(),
        2,
        "2026-11-22T11:06:30.000Z".into(),
        "connection refused".into(),
    ))
    .await
    .unwrap();
    let backlog = store.webhook_backlog(1000).await.unwrap();
    let mine: Vec<_> = backlog
        .oldest
        .iter()
        .filter(|u| u.request_id == id)
        .collect();
    assert_eq!(
        mine.iter()
            .map(|u| (u.seq, u.attempts, u.at.as_str(), u.next_at.as_str()))
            .collect::<Vec<_>>(),
        [(2, 2, "2026-11-22T11:00:00.000Z", "2026-11-22T11:06:30.000Z")]
    );
    assert_eq!(mine[0].last_error.as_deref(), Some("connection refused"));
    assert_eq!(mine[0].order_id, o);
    assert!(backlog.failing >= 1 && backlog.waiting >= backlog.failing);
    let now = "2026-11-22T11:02:00.000Z";
    assert!(store.send_again(now.into()).await.unwrap() >= 1);
    let after = "2026-11-22T11:07:00.000Z";
    assert_eq!(
        ours(claim("2026-11-22T11:01:59.999Z", after).await.unwrap()),
        []
    );
    assert_eq!(ours(claim(now, after).await.unwrap()), [(2, 2)]);
    store.delivered(id.clone(), 2).await.unwrap();
    let backlog = store.webhook_backlog(1000).await.unwrap();
    assert!(backlog.oldest.iter().all(|u| u.request_id != id));

    // Servers claiming at once get each event once.
    let ids: Vec<String> = (0..8).map(|i| format!("w{i}-{run}")).collect();
    for (i, id) in ids.iter().enumerate() {
        let at = format!("2026-11-22T12:00:0{i}.000Z");
        let new = reached_at(id, &o, "RMA-W", "w@example.com", &at);
        store.create(new, vec![("L1".into(), 50)]).await.unwrap();
    }
    let claims: Vec<_> = (0..4)
        .map(|_| {
            let store = store.clone();
            tokio::spawn(async move {
                let (now, until) = ("2026-11-22T12:01:00.000Z", "2026-11-22T12:06:00.000Z");
                store.claim_deliveries(now.into(), until.into(), 3).await
            })
        })
        .collect();
    let mut got = Vec::new();
    for claim in claims {
        got.extend(
            claim
                .await
                .unwrap()
                .unwrap()
                .into_iter()
                .filter(|d| ids.contains(&d.request_id))
                .map(|d| d.request_id),
        );
    }
    // (A claim that found its rows taken by another meanwhile may come
    // back with fewer: the rest are there for the next.)
    let rest = store
        .claim_deliveries(
            "2026-11-22T12:01:00.000Z".into(),
            "2026-11-22T12:06:00.000Z".into(),
            1000,
        )
        .await
        .unwrap();
    got.extend(
        rest.into_iter()
            .filter(|d| ids.contains(&d.request_id))
            .map(|d| d.request_id),
    );
    got.sort();
    let mut unique = got.clone();
    unique.dedup();
    assert_eq!(got, unique, "none claimed twice");
    assert_eq!(got.len(), ids.len(), "each claimed");
}

/// The ids of the requests `text` finds (of `status`, if given), newest
/// first.
async fn found<S: Storage>(store: &S, text: &str, status: Option<&str>) -> Vec<String> {
    let query = RequestQuery {
        find: Find::new(text),
        status: status.map(str::to_owned),
        ..RequestQuery::first(50)
    };
    let page = store.requests(query).await.unwrap();
    page.requests.into_iter().map(|r| r.data.id).collect()
}

/// The merchant view's search: by order id, RMA code, request id or email,
/// newest first, with a status, in pages.
async fn finds<S: Storage>(store: &S) {
    let run = uuid::Uuid::new_v4().simple().to_string()[..10].to_uppercase();
    let (o, other) = (format!("F-{run}"), format!("G-{run}"));
    store
        .put_orders(vec![order(&o, "found"), order(&other, "not found")])
        .await
        .unwrap();
    let lines = vec![("L1".to_string(), 5u32)];
    let ids = [1, 2, 3].map(|n| format!("find{n}-{}", run.to_lowercase()));
    for (id, order_id, rma, email, at) in [
        (
            &ids[0],
            &o,
            format!("RMA-A{run}"),
            format!("Ann.{run}@Example.com"),
            "2026-11-22T10:00:00.000Z",
        ),
        (
            &ids[1],
            &o,
            format!("RMA-B{run}"),
            format!("bob.{run}@example.com"),
            "2026-11-22T11:00:00.000Z",
        ),
        (
            &ids[2],
            &other,
            format!("RMA-C{run}"),
            format!("ann.{run}@example.com"),
            "2026-11-22T12:00:00.000Z",
        ),
    ] {
        let created = store
            .create(reached_at(id, order_id, &rma, &email, at), lines.clone())
            .await
            .unwrap();
        assert!(matches!(created, Created::Stored), "{created:?}");
    }
    assert_eq!(
        found(store, &o, None).await,
        [ids[1].clone(), ids[0].clone()]
    );
    assert_eq!(
        found(store, &format!("rma-b{run}"), None).await,
        [ids[1].clone()]
    );
    assert_eq!(
        found(store, &format!(" c{} ", run.to_lowercase()), None).await,
        [ids[2].clone()]
    );
    assert_eq!(
        found(store, &ids[0].to_uppercase(), None).await,
        [ids[0].clone()]
    );
    assert_eq!(
        found(store, &format!("ANN.{run}@EXAMPLE.COM"), None).await,
        [ids[2].clone(), ids[0].clone()]
    );
    assert_eq!(
        found(store, &o, Some("rejected")).await,
        Vec::<String>::new()
    );
    assert_eq!(
        found(store, &o.to_lowercase(), None).await,
        [ids[1].clone(), ids[0].clone()]
    );
    assert_eq!(Find::new("  "), None);
    let mut query = RequestQuery {
        find: Find::new(&format!("ann.{run}@example.com")),
        ..RequestQuery::first(1)
    };
    let first = store.requests(query.clone()).await.unwrap();
    assert_eq!(first.requests[0].data.id, ids[2]);
    query.after = first.next;
    let second = store.requests(query).await.unwrap();
    assert_eq!(second.requests[0].data.id, ids[0]);
    assert_eq!(second.next, None);
}

/// An order of `id` with lines of these units.
fn order_of(id: &str, label: &str, lines: &[(&str, u32)]) -> StoredOrder {
    let mut o = order(id, label);
    o.data["order"]["lines"] = lines
        .iter()
        .map(|(l, q)| json!({ "id": l, "quantity": q }))
        .collect();
    o
}

/// Orders put one at a time: preconditions, what requests name, and a
/// request quoted against a version put over meanwhile.
async fn puts<S: Storage + Clone>(store: S) {
    let run = uuid::Uuid::new_v4().simple().to_string();
    let id = format!("P-{run}");
    let first = order_of(&id, "first", &[("L1", 2), ("L2", 1)]);
    let tag = first.etag();
    let unmet = |now: Option<&StoredOrder>| Put::Unmet(now.map(StoredOrder::etag));
    let put = |o: &StoredOrder, e: Expect| store.put_order(o.clone(), e);
    assert_eq!(
        put(&first, Expect::Tagged(vec![tag.clone()]))
            .await
            .unwrap(),
        unmet(None)
    );
    assert_eq!(put(&first, Expect::Present).await.unwrap(), unmet(None));
    assert_eq!(put(&first, Expect::Absent).await.unwrap(), Put::Created);
    assert_eq!(
        put(&first, Expect::Absent).await.unwrap(),
        unmet(Some(&first))
    );
    assert_eq!(store.order(id.clone()).await.unwrap(), Some(first.clone()));

    let second = order_of(&id, "second", &[("L1", 2), ("L2", 1)]);
    assert_ne!(second.etag(), tag);
    let stale = Expect::Tagged(vec!["\"other\"".into()]);
    assert_eq!(put(&second, stale).await.unwrap(), unmet(Some(&first)));
    let current = Expect::Tagged(vec!["\"other\"".into(), tag.clone()]);
    assert_eq!(put(&second, current.clone()).await.unwrap(), Put::Replaced);
    assert_eq!(put(&first, current).await.unwrap(), unmet(Some(&second)));
    assert_eq!(put(&second, Expect::Present).await.unwrap(), Put::Replaced);

    // A request for one unit of L1, quoted against the second version.
    let mut new = new_request(
        &format!("p1-{run}"),
        &id,
        &format!("kp1-{run}"),
        "return",
        &[("L1", 1)],
    );
    new.order_data = second.data.clone();
    let lines = vec![("L1".to_owned(), 2), ("L2".to_owned(), 1)];
    assert!(matches!(
        store.create(new, lines.clone()).await.unwrap(),
        Created::Stored
    ));
    let named = |line: &str, held: u32, left: u32| {
        Put::Named(Named {
            line: line.into(),
            held,
            left,
            request: "RMA-1".into(),
        })
    };
    let gone = order_of(&id, "second", &[("L2", 1)]);
    assert_eq!(put(&gone, Expect::Any).await.unwrap(), named("L1", 1, 0));
    let under = order_of(&id, "second", &[("L1", 0), ("L2", 1)]);
    assert_eq!(put(&under, Expect::Any).await.unwrap(), named("L1", 1, 0));
    // L2 is named by no request: it may go; L1 keeps the unit held.
    let third = order_of(&id, "third", &[("L1", 1)]);
    assert_eq!(put(&third, Expect::Any).await.unwrap(), Put::Replaced);

    // A request quoted against the second version is not stored against
    // the third: the order changed.
    let mut late = new_request(
        &format!("p2-{run}"),
        &id,
        &format!("kp2-{run}"),
        "return",
        &[("L1", 1)],
    );
    late.order_data = second.data.clone();
    assert!(matches!(
        store.create(late, lines).await.unwrap(),
        Created::OrderChanged
    ));
    let listed = store.order_requests(id.clone()).await.unwrap();
    assert_eq!(listed.len(), 1);

    // A put and a request at once, each asked first in turn, many times
    // over: never both, so no request is stored naming a line its order
    // no longer has.
    let (mut stored, mut put_first) = (0, 0);
    for round in 0..20 {
        let id = format!("P-{run}-{round}");
        let base = order_of(&id, "round", &[("L1", 1), ("L3", 1)]);
        assert_eq!(put(&base, Expect::Absent).await.unwrap(), Put::Created);
        let mut new = new_request(
            &format!("r{round}-{run}"),
            &id,
            &format!("kr{round}-{run}"),
            "return",
            &[("L3", 1)],
        );
        new.order_data = base.data.clone();
        let without = order_of(&id, "round, L3 gone", &[("L1", 1)]);
        let (a, b) = (store.clone(), store.clone());
        let lines = vec![("L1".to_owned(), 1), ("L3".to_owned(), 1)];
        let create = async move { a.create(new, lines).await.unwrap() };
        let replace = async move { b.put_order(without, Expect::Any).await.unwrap() };
        let (created, replaced) = if round % 2 == 0 {
            let created = tokio::spawn(create);
            (created, tokio::spawn(replace))
        } else {
            let replaced = tokio::spawn(replace);
            (tokio::spawn(create), replaced)
        };
        let (created, replaced) = (created.await.unwrap(), replaced.await.unwrap());
        match (&created, &replaced) {
            (Created::Stored, Put::Named(n)) => {
                assert_eq!((n.line.as_str(), n.held, n.left), ("L3", 1, 0));
                stored += 1;
            }
            (Created::OrderChanged, Put::Replaced) => put_first += 1,
            other => panic!("round {round}: {other:?}"),
        }
        let listed = store.order_requests(id.clone()).await.unwrap();
        assert_eq!(
            listed.len(),
            usize::from(matches!(created, Created::Stored))
        );
    }
    eprintln!("{stored} rounds stored the request first, {put_first} put the order first");
}

#[tokio::test]
async fn sqlite_puts_orders_as_the_shop_s_systems_say() {
    let dir = tempfile::tempdir().unwrap();
    puts(Sqlite::open(&dir.path().join("puts.db")).unwrap()).await;
}

#[tokio::test]
#[ignore = "needs PostgreSQL: scripts/test.sh starts one on loopback and runs it with AFTERSALE_TEST_POSTGRES set"]
async fn postgres_puts_orders_as_the_shop_s_systems_say() {
    let (admin, name, url) = own_database("puts").await;
    puts(Postgres::connect(&url).await.unwrap()).await;
    drop_database(&admin, &name).await;
}

/// An order's customer email and who put it kept, put over and read back; finds counted
/// by subject within a window from the first, taken back, and begun again
/// once the window has ended.
async fn customers_finds<S: Storage>(store: S) {
    let run = uuid::Uuid::new_v4().simple().to_string();
    let id = format!("F-{run}");
    let mut o = order(&id, "with an email");
    o.email = Some("Mia@Example.com".into());
    o.put = Some(PutBy {
        by: "oms".into(),
        at: "2026-11-24T09:12:00.000Z".into(),
    });
    assert_eq!(
        store.put_order(o.clone(), Expect::Any).await.unwrap(),
        Put::Created
    );
    assert_eq!(store.order(id.clone()).await.unwrap(), Some(o.clone()));
    let mut without = o.clone();
    without.email = None;
    assert_ne!(without.etag(), o.etag(), "the email is part of the version");
    let mut unrecorded = o.clone();
    unrecorded.put = None;
    assert_eq!(unrecorded.etag(), o.etag(), "who put it is not");
    store.put_orders(vec![without.clone()]).await.unwrap();
    assert_eq!(store.order(id.clone()).await.unwrap(), Some(without));

    let (a, b) = (format!("a-{run}"), format!("b-{run}"));
    let at = |minute: u32| format!("2026-11-24T10:{minute:02}:00.000Z");
    // Counted at 10:01, 10:02, 10:03 (a), then both at 10:04; each window
    // of 15 minutes.
    let count = |subjects: Vec<&String>, minute: u32| {
        let window = if minute >= 15 { at(minute - 15) } else { at(0) };
        let subjects = subjects.into_iter().cloned().collect();
        store.count_find(subjects, at(minute), window)
    };
    let seen = |count, since: u32| Attempts {
        count,
        since: at(since),
    };
    for minute in [1, 2, 3] {
        let counted = count(vec![&a], minute).await.unwrap();
        assert_eq!(counted, vec![seen(minute, 1)]);
    }
    let counted = count(vec![&b, &a], 4).await.unwrap();
    assert_eq!(
        counted,
        vec![seen(1, 4), seen(4, 1)],
        "in the subjects' order"
    );
    // One that found its order is taken back.
    store.uncount_find(vec![a.clone()]).await.unwrap();
    assert_eq!(count(vec![&a], 5).await.unwrap(), vec![seen(4, 1)]);
    // At 10:16 a's window (from 10:01) has ended: it begins again; b's
    // (from 10:04) goes on.
    let counted = count(vec![&a, &b], 16).await.unwrap();
    assert_eq!(counted, vec![seen(1, 16), seen(2, 4)]);
    // Taken back below nothing, a count stays at nothing.
    for _ in 0..3 {
        store.uncount_find(vec![a.clone()]).await.unwrap();
    }
    assert_eq!(count(vec![&a], 17).await.unwrap(), vec![seen(1, 16)]);

    // Finds of one subject at once: each counted once, none lost.
    let store = std::sync::Arc::new(store);
    let c = format!("c-{run}");
    let mut all = tokio::task::JoinSet::new();
    for _ in 0..20 {
        let (store, c) = (store.clone(), c.clone());
        all.spawn(async move {
            let counted = store.count_find(vec![c], at(30), at(15)).await;
            counted.unwrap()[0].count
        });
    }
    let mut counts = all.join_all().await;
    counts.sort();
    assert_eq!(counts, (1..=20).collect::<Vec<u32>>());
}

#[tokio::test]
async fn sqlite_keeps_customers_emails_and_counts_finds() {
    let dir = tempfile::tempdir().unwrap();
    customers_finds(Sqlite::open(&dir.path().join("finds.db")).unwrap()).await;
}

#[tokio::test]
#[ignore = "needs PostgreSQL: scripts/test.sh starts one on loopback and runs it with AFTERSALE_TEST_POSTGRES set"]
async fn postgres_keeps_customers_emails_and_counts_finds() {
    let (admin, name, url) = own_database("finds").await;
    customers_finds(Postgres::connect(&url).await.unwrap()).await;
    drop_database(&admin, &name).await;
}

#[tokio::test]
async fn sqlite_keeps_the_contract_and_survives_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("contract.db");
    let store = Sqlite::open(&path).unwrap();
    contract(store.clone()).await;
    // Events for a webhook are kept by a store made to notify only.
    let later = "2030-01-01T00:00:00.000Z".to_owned();
    let until = "2030-01-01T00:05:00.000Z".to_owned();
    assert_eq!(
        store.claim_deliveries(later, until, 1000).await.unwrap(),
        []
    );
    outbox(store.notifying()).await;
    let again = Sqlite::open(&path).unwrap();
    let again = again.requests(RequestQuery::first(50)).await.unwrap();
    // The contract's nine, the three it found and the webhook's nine.
    assert_eq!(again.requests.len(), 21);
    let conn = rusqlite::Connection::open(&path).unwrap();
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    // A part stored before parts had a time came when its request did.
    let (request, created): (String, String) = conn
        .query_row("SELECT id, created_at FROM requests LIMIT 1", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    conn.execute(
        "INSERT INTO photo_parts (request_id, idx, first_byte, bytes) VALUES (?1, 7, 0, x'ff')",
        [&request],
    )
    .unwrap();
    let store = Sqlite::open(&path).unwrap();
    assert_eq!(
        store.drop_unfinished_photos(created.clone()).await.unwrap(),
        0
    );
    assert_eq!(
        store.photo_received(request.clone(), 7).await.unwrap(),
        Received::Bytes(1)
    );
    let later = (chrono::DateTime::parse_from_rfc3339(&created).unwrap()
        + chrono::Duration::milliseconds(1))
    .to_utc()
    .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    assert_eq!(store.drop_unfinished_photos(later).await.unwrap(), 1);
    assert_eq!(
        store.photo_received(request, 7).await.unwrap(),
        Received::Bytes(0)
    );
}

#[tokio::test]
async fn sqlite_finds_by_email_the_requests_stored_before_it_could() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("before.db");
    let id = stored_by(Sqlite::open(&path).unwrap()).await;
    // The database as a server before the search left it: no column, and
    // neither that migration nor the webhook's and the finds' after it.
    let conn = rusqlite::Connection::open(&path).unwrap();
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    conn.execute_batch(&format!(
        "DROP TABLE find_attempts; ALTER TABLE orders DROP COLUMN email;
         ALTER TABLE orders DROP COLUMN put_by; ALTER TABLE orders DROP COLUMN put_at;
         DROP TABLE webhook_outbox;
         DROP INDEX requests_contact_newest; DROP INDEX requests_rma;
         ALTER TABLE requests DROP COLUMN contact_email;
         PRAGMA user_version = {};",
        version - 3
    ))
    .unwrap();
    drop(conn);
    found_by_email(Sqlite::open(&path).unwrap(), &id).await;
}

#[tokio::test]
#[ignore = "needs PostgreSQL: scripts/test.sh starts one on loopback and runs it with AFTERSALE_TEST_POSTGRES set"]
async fn postgres_finds_by_email_the_requests_stored_before_it_could() {
    let (admin, name, new) = own_database("before_search").await;
    let id = stored_by(Postgres::connect(&new).await.unwrap()).await;
    let before = self::admin(&new).await;
    before
        .batch_execute(
            "DROP TABLE find_attempts; ALTER TABLE orders DROP COLUMN email;
             ALTER TABLE orders DROP COLUMN put_by; ALTER TABLE orders DROP COLUMN put_at;
             DROP TABLE webhook_outbox;
             DROP INDEX requests_rma;
             ALTER TABLE requests DROP COLUMN contact_email;
             DELETE FROM schema_migrations
              WHERE version >= (SELECT max(version) - 2 FROM schema_migrations);",
        )
        .await
        .unwrap();
    found_by_email(Postgres::connect(&new).await.unwrap(), &id).await;
    drop(before);
    drop_database(&admin, &name).await;
}

/// Stores a request from `Émile.Zola@Example.COM` in `store`; its id.
async fn stored_by<S: Storage>(store: S) -> String {
    store
        .put_orders(vec![order("B-1", "before")])
        .await
        .unwrap();
    let mut new = reached_at(
        "before-1",
        "B-1",
        "RMA-BEFORE1",
        "x",
        "2026-11-22T10:00:00.000Z",
    );
    new.data.payload["contact"]["email"] = json!("Émile.Zola@Example.COM");
    let created = store.create(new, vec![("L1".into(), 1)]).await.unwrap();
    assert!(matches!(created, Created::Stored), "{created:?}");
    "before-1".into()
}

/// The migration read the request's email from its payload, as the server
/// writes it for a new one: ASCII letters in any case, others as written
/// (SQLite's `lower` knows no others; PostgreSQL's would lower `É`).
async fn found_by_email<S: Storage>(store: S, id: &str) {
    for text in [
        "Émile.Zola@Example.COM",
        "Émile.zola@example.com",
        "ÉMILE.ZOLA@EXAMPLE.COM",
    ] {
        assert_eq!(found(&store, text, None).await, [id], "{text}");
    }
    assert_eq!(
        found(&store, "émile.zola@example.com", None).await,
        Vec::<String>::new()
    );
}

#[tokio::test]
async fn a_file_that_is_not_a_database_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("not.db");
    std::fs::write(
        &path,
        b"this is not SQLite, it is a text file of some length......",
    )
    .unwrap();
    let err = Sqlite::open(&path).err().expect("an error");
    assert!(err.to_string().starts_with("sqlite:"), "{err}");
}

#[tokio::test]
#[ignore = "needs PostgreSQL: scripts/test.sh starts one on loopback and runs it with AFTERSALE_TEST_POSTGRES set"]
async fn postgres_keeps_the_contract() {
    let url = test_database();
    let store = Postgres::connect(&url).await.unwrap();
    contract(store.clone()).await;
    outbox(store.notifying()).await;
    // Migrations run once: connecting again changes nothing.
    let again = Postgres::connect(&url).await.unwrap();
    let page = again.requests(RequestQuery::first(1)).await.unwrap();
    assert_eq!(page.requests.len(), 1);
    assert!(page.next.is_some());
    let _ = Arc::new(again);
    // The server's own words, not tokio-postgres's "db error".
    let (base, _) = url.rsplit_once('/').unwrap();
    let missing = Postgres::connect(&format!("{base}/no_such_database"))
        .await
        .err()
        .expect("an error");
    assert!(
        missing
            .to_string()
            .contains("database \"no_such_database\" does not exist"),
        "{missing}"
    );
}

#[tokio::test]
async fn a_postgres_server_that_is_not_there_is_named_with_why() {
    // tokio-postgres writes "error connecting to server" and keeps the why.
    let err = Postgres::connect("postgres://nobody@127.0.0.1:1/db")
        .await
        .err()
        .expect("an error");
    let text = err.to_string();
    assert!(
        text.starts_with("postgres: error connecting to server: "),
        "{text}"
    );
    assert!(
        text.len() > "postgres: error connecting to server: ".len(),
        "{text}"
    );
}

#[tokio::test]
#[ignore = "needs PostgreSQL: scripts/test.sh starts one on loopback and runs it with AFTERSALE_TEST_POSTGRES set"]
async fn postgres_connections_the_database_closed_are_opened_again() {
    // A database restart or failover closes every connection; the store
    // must not answer "connection closed" from then on.
    let url = test_database();
    // Named, so that only its own connections end (the other test runs
    // beside it on the same database).
    let store = Postgres::connect(&named(&url, "reopened")).await.unwrap();
    store.orders().await.unwrap();
    let admin = admin(&url).await;
    // The store's connections end, as in a restart (the call waits until
    // they have).
    let ended = admin
        .query(
            "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity
             WHERE application_name = 'reopened'",
            &[],
        )
        .await
        .unwrap();
    assert!(!ended.is_empty(), "the store's connection was not found");
    // The client learns of the close when it reads the socket: allow it a
    // moment, but the store must answer again without a new `connect`.
    let mut answer = store.orders().await;
    for _ in 0..40 {
        if answer.is_ok() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        answer = store.orders().await;
    }
    answer.expect("answers again");
}

#[tokio::test]
#[ignore = "needs PostgreSQL: scripts/test.sh starts one on loopback and runs it with AFTERSALE_TEST_POSTGRES set"]
async fn postgres_servers_started_at_once_on_a_new_database_all_start() {
    // Two replicas of a deployment, say, on a database no server has
    // migrated yet.
    let (admin, name, new) = own_database("started_at_once").await;
    let starting: Vec<_> = (0..4)
        .map(|_| {
            let url = new.clone();
            tokio::spawn(async move { Postgres::connect(&url).await })
        })
        .collect();
    for start in starting {
        let store = start.await.unwrap().expect("every server starts");
        assert!(store.orders().await.unwrap().is_empty());
    }
    drop_database(&admin, &name).await;
}

#[test]
fn sqlite_servers_started_at_once_on_a_new_file_all_start() {
    // A deployment that starts the new server before stopping the old, or
    // two at once, on a file no server has made yet.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shop.db");
    let barrier = Arc::new(std::sync::Barrier::new(4));
    let starting: Vec<_> = (0..4)
        .map(|_| {
            let (path, barrier) = (path.clone(), barrier.clone());
            std::thread::spawn(move || {
                barrier.wait();
                Sqlite::open(&path)
            })
        })
        .collect();
    for start in starting {
        start.join().unwrap().expect("every server starts");
    }
}

#[tokio::test]
#[ignore = "needs PostgreSQL: scripts/test.sh starts one on loopback and runs it with AFTERSALE_TEST_POSTGRES set"]
async fn postgres_over_tls_reads_sslmode_as_libpq_does() {
    // A managed database takes its users over TLS only: the role
    // `tls_only` here (scripts/postgres.sh). Its certificate names
    // `localhost` only and is signed by the test's own CA.
    let url = test_database();
    let ca = std::env::var("AFTERSALE_TEST_POSTGRES_CA")
        .expect("AFTERSALE_TEST_POSTGRES_CA must name the test server's CA certificate");
    let admin = admin(&url).await;
    admin
        .batch_execute(
            "DO $$ BEGIN CREATE ROLE tls_only LOGIN SUPERUSER;
             EXCEPTION WHEN duplicate_object THEN NULL; END $$",
        )
        .await
        .unwrap();
    let port = url
        .rsplit_once(':')
        .and_then(|(_, rest)| rest.split_once('/'))
        .map(|(port, _)| port.to_owned())
        .unwrap();
    let ca = form_urlencoded::byte_serialize(ca.as_bytes()).collect::<String>();
    let cases = [
        (
            "127.0.0.1",
            "sslmode=disable".to_owned(),
            Err("no encryption"),
        ),
        // libpq's default, `prefer`: TLS where the server has it.
        ("127.0.0.1", String::new(), Ok(())),
        ("127.0.0.1", "sslmode=require".to_owned(), Ok(())),
        // The test's CA is not among the system's.
        (
            "localhost",
            "sslmode=verify-full".to_owned(),
            Err(
                "UnknownIssuer (no root this machine trusts signed the database's certificate: give its CA as sslrootcert=FILE",
            ),
        ),
        (
            "localhost",
            format!("sslmode=verify-full&sslrootcert={ca}"),
            Ok(()),
        ),
        (
            "127.0.0.1",
            format!("sslmode=verify-full&sslrootcert={ca}"),
            Err("not valid for name \"127.0.0.1\""),
        ),
        (
            "127.0.0.1",
            format!("sslmode=verify-ca&sslrootcert={ca}"),
            Ok(()),
        ),
        // A root file makes `require` check the chain, as in libpq.
        (
            "127.0.0.1",
            format!("sslmode=require&sslrootcert={ca}"),
            Ok(()),
        ),
        (
            "127.0.0.1",
            "sslmode=require&sslrootcert=%2Fno%2Fsuch.crt".to_owned(),
            Err("sslrootcert /no/such.crt"),
        ),
    ];
    for (host, query, expected) in cases {
        let at = format!("postgres://tls_only@{host}:{port}/postgres?{query}");
        match (Postgres::connect(&at).await, expected) {
            (Ok(store), Ok(())) => {
                store.orders().await.unwrap();
            }
            (Err(e), Err(said)) => assert!(e.to_string().contains(said), "{at}: {e}"),
            (Ok(_), Err(said)) => panic!("{at}: connected, expected {said}"),
            (Err(e), Ok(())) => panic!("{at}: {e}"),
        }
    }
}

/// The test database's URL (scripts/test.sh starts the server).
fn test_database() -> String {
    std::env::var("AFTERSALE_TEST_POSTGRES")
        .expect("AFTERSALE_TEST_POSTGRES must name the test database (postgres://…)")
}

/// `url` with an `application_name`, by which `pg_stat_activity` finds the
/// connections of one store among the other tests'.
fn named(url: &str, name: &str) -> String {
    let sep = if url.contains('?') { '&' } else { '?' };
    format!("{url}{sep}application_name={name}")
}

/// A new, empty database beside the test database, for a test whose
/// requests would disturb another's listing: the owner's connection (to
/// drop it with), its name and its URL.
async fn own_database(prefix: &str) -> (tokio_postgres::Client, String, String) {
    let url = test_database();
    let admin = admin(&url).await;
    let name = format!("{prefix}_{}", std::process::id());
    for sql in [
        format!("DROP DATABASE IF EXISTS {name}"),
        format!("CREATE DATABASE {name}"),
    ] {
        admin.batch_execute(&sql).await.unwrap();
    }
    let (base, _) = url.rsplit_once('/').unwrap();
    let new = format!("{base}/{name}");
    (admin, name, new)
}

/// Drops a database [`own_database`] made, closing what is still open on it.
async fn drop_database(admin: &tokio_postgres::Client, name: &str) {
    admin
        .batch_execute(&format!("DROP DATABASE {name} WITH (FORCE)"))
        .await
        .unwrap();
}

/// A plain connection of the test database's owner, beside the store's.
async fn admin(url: &str) -> tokio_postgres::Client {
    let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(connection);
    client
}

#[tokio::test]
#[ignore = "needs PostgreSQL: scripts/test.sh starts one on loopback and runs it with AFTERSALE_TEST_POSTGRES set"]
async fn postgres_opens_no_more_connections_than_it_is_given() {
    // A managed database's plan, or pgbouncer's, allows so many: eight
    // requests at once on a store of two take turns on two connections.
    let url = test_database();
    let store = Postgres::connect_with(&named(&url, "two_at_most"), 2)
        .await
        .unwrap();
    let reading: Vec<_> = (0..8)
        .map(|_| {
            let store = store.clone();
            tokio::spawn(async move { store.requests(RequestQuery::first(50)).await })
        })
        .collect();
    for read in reading {
        read.await.unwrap().expect("every request is answered");
    }
    let open: i64 = admin(&url)
        .await
        .query_one(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'two_at_most'",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert!((1..=2).contains(&open), "{open} connections");
}
