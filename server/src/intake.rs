//! `POST /api/requests`: the widget's payload, re-quoted by the server with
//! the engine, at the server's clock, for the order in the server's store.
//! The customer's quote is accepted only if it equals the server's own.

use aftersale_engine::scenario::{ExchangeTarget, PageData, deserialize_with_path};
use aftersale_engine::{Request, Scenario};
use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::AppState;
use crate::store::{Created, NewRequest, RequestData, Storage, StoredAnswer};

/// An answer: HTTP status and JSON body.
#[derive(Clone, Debug, PartialEq)]
pub struct Reply {
    /// The HTTP status.
    pub status: u16,
    /// The JSON body.
    pub body: Value,
}

impl Reply {
    /// `{"status": "invalid", "field": ..., "message": ...}` with an HTTP status.
    pub fn invalid(status: u16, field: &str, message: impl Into<String>) -> Reply {
        Reply {
            status,
            body: json!({ "status": "invalid", "field": field, "message": message.into() }),
        }
    }

    fn from_stored(answer: &StoredAnswer) -> Reply {
        Reply {
            status: answer.status,
            body: serde_json::from_str(&answer.body).unwrap_or(Value::Null),
        }
    }

    /// Storage failed while reading: the why goes to standard error for
    /// whoever runs the server, the client gets a 503 to try again (the
    /// database's words name its tables and constraints, which are not
    /// the client's business).
    pub(crate) fn unavailable(e: impl std::fmt::Display) -> Reply {
        Reply::storage_failed(e, "storage is unavailable; try again shortly")
    }

    /// Storage failed while taking a request or a photo: as
    /// [`Reply::unavailable`], the client to send it again with its key.
    pub(crate) fn internal(e: impl std::fmt::Display) -> Reply {
        Reply::storage_failed(e, "storage is unavailable; retry with the same key")
    }

    /// A JSON object body read as `T`: a 400 naming the field at fault
    /// (`body` for the body as a whole: no JSON, no object, a field
    /// missing), its message followed by `shape`, what to send
    /// (`send {"order", "email"}`).
    pub(crate) fn read_json<T: serde::de::DeserializeOwned>(
        body: &[u8],
        shape: &str,
    ) -> Result<T, Reply> {
        let value: Value = serde_json::from_slice(body)
            .map_err(|e| Reply::invalid(400, "body", format!("not JSON: {e}")))?;
        // Said before the reader's own words ("expected struct
        // StatusChange"), which name a type of ours rather than the body's.
        if !value.is_object() {
            return Err(Reply::invalid(
                400,
                "body",
                format!("expected a JSON object; {shape}"),
            ));
        }
        deserialize_with_path(&value).map_err(|e| {
            let field = if e.field.is_empty() { "body" } else { &e.field };
            Reply::invalid(400, field, format!("{}; {shape}", e.message))
        })
    }

    fn storage_failed(e: impl std::fmt::Display, message: &str) -> Reply {
        eprintln!("aftersale-server: storage failed: {e}");
        Reply {
            status: 503,
            body: json!({ "status": "unavailable", "message": message }),
        }
    }
}

/// The clause id of the server's own refusal: the units (or the whole order)
/// are already in another open request.
pub const ALREADY_REQUESTED: &str = "server.already_requested";

/// The longest `Idempotency-Key` accepted.
const MAX_KEY: usize = 200;

pub(crate) fn check_key(key: Option<&str>) -> Result<&str, Reply> {
    let key = key.ok_or_else(|| {
        Reply::invalid(
            400,
            "Idempotency-Key",
            "missing: send a key made once per request (a UUID) and the same key on every retry",
        )
    })?;
    if key.is_empty() || key.len() > MAX_KEY || !key.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(Reply::invalid(
            400,
            "Idempotency-Key",
            format!("must be 1 to {MAX_KEY} visible ASCII characters (a UUID)"),
        ));
    }
    Ok(key)
}

/// Hex SHA-256 of the body, to tell a replay from another body under the same key.
pub(crate) fn digest(body: &[u8]) -> String {
    hex::encode(Sha256::digest(body))
}

fn replay(answer: &StoredAnswer, sha: &str) -> Reply {
    if answer.body_sha256 == sha {
        Reply::from_stored(answer)
    } else {
        Reply::invalid(
            400,
            "Idempotency-Key",
            "this key was already used for another request body; make a new key for a new request",
        )
    }
}

/// Handles one posted body; `key` is the `Idempotency-Key` header,
/// `order_key` the order's key from the query ([`crate::access`]).
pub async fn submit<S: Storage>(
    state: &AppState<S>,
    key: Option<&str>,
    order_key: Option<&str>,
    body: &[u8],
    now: DateTime<Utc>,
) -> Reply {
    let key = match check_key(key) {
        Ok(k) => k,
        Err(reply) => return reply,
    };
    let sha = digest(body);
    match state.store.answer(key.to_owned()).await {
        Ok(Some(answer)) => return replay(&answer, &sha),
        Ok(None) => {}
        Err(e) => return Reply::internal(e),
    }
    let payload: Value = match serde_json::from_slice(body) {
        Ok(v) => v,
        Err(e) => return Reply::invalid(400, "body", format!("not JSON: {e}")),
    };
    if let Err(reply) = state.schema.check(&payload) {
        return reply;
    }
    let order_id = payload["order_id"].as_str().unwrap_or_default().to_owned();
    if let Err(reply) = state.order_keys.check(&order_id, order_key) {
        return reply;
    }
    // The order may change between quoting against it and storing the
    // request (the shop's systems put a new version: shipped, delivered);
    // then the request is quoted again against the new one.
    for _ in 0..QUOTES {
        if let Ok(reply) = quote_and_store(state, key, &sha, &payload, &order_id, now).await {
            return reply;
        }
    }
    // Not storage failing: the shop's systems putting the order again and
    // again (a retry loop of theirs). The widget sends again with its key.
    eprintln!(
        "aftersale-server: order {order_id} changed each of the {QUOTES} times a request \
         for it was quoted; answered 503"
    );
    Reply {
        status: 503,
        body: json!({
            "status": "unavailable",
            "message": format!(
                "order {order_id} changed each of the {QUOTES} times this request was quoted \
                 against it; retry with the same key"
            ),
        }),
    }
}

/// The most times a request is quoted against an order that keeps changing.
const QUOTES: usize = 3;

/// The order changed between quoting a request against it and storing it.
struct OrderChanged;

/// Quotes the request against the order as stored now and stores it if
/// everything holds: the answer, unless the order changed meanwhile.
async fn quote_and_store<S: Storage>(
    state: &AppState<S>,
    key: &str,
    sha: &str,
    payload: &Value,
    order_id: &str,
    now: DateTime<Utc>,
) -> Result<Reply, OrderChanged> {
    let order_id = order_id.to_owned();
    let stored = match state.store.order(order_id.clone()).await {
        Ok(Some(o)) => o,
        Ok(None) => {
            return Ok(Reply::invalid(
                404,
                "order_id",
                format!("no order {order_id:?}"),
            ));
        }
        Err(e) => return Ok(Reply::internal(e)),
    };
    let policy_id = payload["policy"]["id"].as_str().unwrap_or_default();
    if policy_id != stored.policy_id {
        return Ok(Reply::invalid(
            400,
            "policy.id",
            format!(
                "order {order_id} is under policy {:?}, not {policy_id:?}",
                stored.policy_id
            ),
        ));
    }
    let Some(policy) = state.policies.get(&stored.policy_id) else {
        return Ok(Reply::internal(format!(
            "order {order_id} names unknown policy {:?}",
            stored.policy_id
        )));
    };
    let mut data: PageData = match serde_json::from_value(stored.data.clone()) {
        Ok(d) => d,
        Err(e) => {
            return Ok(Reply::internal(format!(
                "order {order_id} is unreadable: {e}"
            )));
        }
    };
    // The order as its open requests left it (their exchanges count as used);
    // the transaction that stores the request checks that this still holds.
    let open = match state.store.order_requests(order_id.clone()).await {
        Ok(list) => crate::store::open_holdings(&crate::store::page_requests(&list)),
        Err(e) => return Ok(Reply::internal(e)),
    };
    aftersale_engine::capacity::apply(&mut data.order, &open);
    let mut request: Request = match deserialize_with_path(&payload["request"]) {
        Ok(r) => r,
        Err(e) => {
            let field = if e.field.is_empty() {
                "request".to_owned()
            } else {
                format!("request.{}", e.field)
            };
            return Ok(Reply::invalid(400, &field, e.message));
        }
    };
    if let Some(target) = &request.exchange_for {
        let Some(option) = data.exchange_options.iter().find(|o| o.sku == target.sku) else {
            return Ok(Reply::invalid(
                400,
                "request.exchange_for.sku",
                format!("{:?} is not offered in exchange for this order", target.sku),
            ));
        };
        // The field that differs is named: the price, else the title.
        let differs = if target.unit_price != option.unit_price {
            Some("request.exchange_for.unit_price")
        } else if target.title != option.title {
            Some("request.exchange_for.title")
        } else {
            None
        };
        if let Some(field) = differs {
            return Ok(Reply::invalid(
                400,
                field,
                format!(
                    "{} is offered as {:?} at {} a unit",
                    option.sku, option.title, option.unit_price
                ),
            ));
        }
        // Stock is the shop's, as of now: fewer left than the page showed
        // changes the quote, which the comparison below reports.
        request.exchange_for = Some(ExchangeTarget {
            sku: option.sku.clone(),
            title: option.title.clone(),
            unit_price: option.unit_price,
            quantity: target.quantity,
            stock: option.stock,
        });
    }
    let scenario = Scenario {
        now,
        order: data.order,
        request,
    };
    let quote = match aftersale_engine::quote(policy, &scenario) {
        Ok(q) => q,
        Err(e) => {
            let field = if e.field.is_empty() {
                "request"
            } else {
                &e.field
            };
            return Ok(Reply::invalid(400, field, e.message));
        }
    };
    let server_quote = serde_json::to_value(&quote).unwrap_or(Value::Null);
    if !quote.eligible {
        return Ok(Reply {
            status: 422,
            body: json!({
                "status": "refused",
                "clause": quote.clauses.first(),
                "explanation": quote.explanation,
                "quote": server_quote,
            }),
        });
    }
    if server_quote != payload["quote"] {
        return Ok(Reply {
            status: 409,
            body: json!({
                "status": "quote_changed",
                "policy": { "id": policy.id, "version": policy.version },
                "quote": server_quote,
            }),
        });
    }
    let files: Vec<aftersale_engine::Attachment> =
        match deserialize_with_path(&payload["attachments"]) {
            Ok(f) => f,
            Err(e) => {
                return Ok(Reply::invalid(
                    400,
                    &format!("attachments{}", e.field),
                    e.message,
                ));
            }
        };
    if let Err(problem) = aftersale_engine::check_attachments(policy, &quote, &files) {
        return Ok(Reply::invalid(400, &problem.field(), problem.to_string()));
    }
    let request_id = uuid::Uuid::new_v4().to_string();
    let rma = quote.steps.iter().any(|s| s.id == "rma").then(|| {
        let hex = uuid::Uuid::new_v4().simple().to_string().to_uppercase();
        format!("RMA-{}", &hex[..10])
    });
    let reply = Reply {
        status: 201,
        body: json!({ "status": "created", "request_id": request_id, "rma": rma }),
    };
    let order_lines = scenario
        .order
        .lines
        .iter()
        .map(|l| (l.id.clone(), l.quantity))
        .collect();
    let new = NewRequest {
        data: RequestData {
            id: request_id,
            order_id,
            kind: scenario.request.kind.as_str().to_owned(),
            policy_id: policy.id.clone(),
            policy_version: policy.version.clone(),
            rma,
            request: serde_json::to_value(&scenario.request).unwrap_or(Value::Null),
            quote: server_quote,
            payload: payload.clone(),
            order_snapshot: serde_json::to_value(&scenario.order).unwrap_or(Value::Null),
            created_at: now.to_rfc3339_opts(SecondsFormat::Millis, true),
        },
        holding: aftersale_engine::capacity::Holding::of(&scenario.request),
        idempotency_key: key.to_owned(),
        answer: StoredAnswer {
            body_sha256: sha.to_owned(),
            status: reply.status,
            body: reply.body.to_string(),
        },
        order_data: stored.data.clone(),
        exchanges_quoted: aftersale_engine::capacity::exchanges(&open),
    };
    Ok(match state.store.create(new, order_lines).await {
        Ok(Created::Stored) => {
            state.events.notify_one();
            reply
        }
        Ok(Created::Replay(answer)) => replay(&answer, sha),
        Ok(Created::OrderChanged) => return Err(OrderChanged),
        Ok(Created::Overdrawn(over)) => Reply {
            status: 422,
            body: json!({
                "status": "refused",
                "clause": ALREADY_REQUESTED,
                "conflict": over.conflict.as_str(),
                "field": over.field,
                "explanation": over.message,
            }),
        },
        Err(e) => Reply::internal(e),
    })
}
