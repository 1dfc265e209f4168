//! Orders from the shop's own systems. An order changes after it is
//! placed: it ships, its tracking moves, it is delivered, and each change
//! opens or closes what the policy allows. `PUT /api/merchant/orders/{id}`
//! puts the order as it is now, checked as `--orders` checks a file's, so
//! the widget and the server decide by today's facts without a restart;
//! `GET` reads it back. Both want a merchant's bearer token.
//!
//! Each version has an `ETag` ([`StoredOrder::etag`]). A put with
//! `If-Match` is made only if the stored order still has that tag, and one
//! with `If-None-Match: *` only if there is none yet; otherwise 412, and
//! nothing is written. So two systems that read, change and put an order
//! (one recording the shipment, one a tracking event) do not undo each
//! other's change.
//!
//! A new version must keep what the order's requests name: every line any
//! of them names, with at least the units the open ones hold (409
//! otherwise, naming the line and the request). A request quoted against
//! the version before and stored after is quoted again against the new one
//! ([`crate::intake`]).

use std::collections::HashMap;

use aftersale_engine::scenario::{InputError, PageData, deserialize_with_path};
use aftersale_engine::{Policy, overview};
use axum::http::{HeaderMap, header};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::find;
use crate::intake::Reply;
use crate::store::{Expect, Named, Put, StoredOrder};

/// Checks an order as the widget reads it: its data is page data, of the
/// order it is stored as, and the engine takes the order (its lines,
/// prices, currency and dates; checked at its latest date or now, whichever
/// is later, so an order from a clock ahead is no error). The field at
/// fault is named from the entry (`data.order.lines[0].unit_price`). The
/// customer's email, if given, must look like one ([`find::looks_like_email`]).
pub fn check(o: &StoredOrder, policy: &Policy) -> Result<(), InputError> {
    if let Some(email) = o.email.as_deref().filter(|e| !find::looks_like_email(e)) {
        return Err(InputError {
            field: "email".into(),
            message: format!(
                "{email:?} is not an email address; it is what a returns page finds the order by"
            ),
        });
    }
    let at = |e: InputError| InputError {
        field: match e.field.as_str() {
            "" => "data".to_owned(),
            field => format!("data.{field}"),
        },
        message: e.message,
    };
    let data: PageData = deserialize_with_path(&o.data).map_err(at)?;
    if data.order.id != o.id {
        return Err(InputError {
            field: "data.order.id".into(),
            message: format!(
                "is {:?}: the widget would send requests for that order",
                data.order.id
            ),
        });
    }
    let order = &data.order;
    let latest = [
        order.shipped_at,
        order.last_tracking_event_at,
        order.delivered_at,
    ]
    .into_iter()
    .flatten()
    .fold(order.placed_at.max(chrono::Utc::now()), std::cmp::max);
    overview(policy, order, latest).map(drop).map_err(at)
}

/// The body of `PUT /api/merchant/orders/{id}`: an entry as `--orders`
/// takes it, its `id` the path's (and may be left out).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    #[serde(default)]
    id: Option<String>,
    policy_id: String,
    #[serde(default)]
    label: Option<String>,
    data: Value,
    #[serde(default)]
    email: Option<String>,
    /// Who put the version read (`GET` gives it): the server records its
    /// own, so a body read, changed and put back may keep it.
    #[serde(default, rename = "put")]
    _put: Option<serde::de::IgnoredAny>,
}

/// Reads and checks the body of a put of order `id` against the policies
/// the server has, by id: the order to store, or the answer naming the
/// field at fault.
pub fn read(
    id: &str,
    body: &[u8],
    policies: &HashMap<String, Policy>,
) -> Result<StoredOrder, Reply> {
    let entry: Entry = Reply::read_json(
        body,
        r#"send {"policy_id", "label"?, "email"?, "data": {"order", "exchange_options"}}"#,
    )?;
    if let Some(given) = entry.id.filter(|given| given != id) {
        return Err(Reply::invalid(
            400,
            "id",
            format!("is {given:?}, but the order is put at {id:?}"),
        ));
    }
    let Some(policy) = policies.get(&entry.policy_id) else {
        return Err(Reply::invalid(
            400,
            "policy_id",
            format!(
                "{:?} is neither a preset nor one of this server's --policy files",
                entry.policy_id
            ),
        ));
    };
    if entry.data["requests"]
        .as_array()
        .is_some_and(|list| !list.is_empty())
    {
        return Err(Reply::invalid(
            400,
            "data.requests",
            "the server lists an order's requests itself, from those it stored: leave it out",
        ));
    }
    let order = StoredOrder {
        id: id.to_owned(),
        policy_id: entry.policy_id,
        label: entry.label.unwrap_or_else(|| id.to_owned()),
        data: entry.data,
        email: entry.email,
        put: None,
    };
    check(&order, policy).map_err(|e| Reply::invalid(400, &e.field, e.message))?;
    Ok(order)
}

/// What the headers expect of the order stored now: `If-Match` (a list of
/// tags, or `*`) or `If-None-Match: *`. A weak tag (`W/"…"`) matches no
/// order, as HTTP compares tags for a write.
pub fn expect(headers: &HeaderMap) -> Result<Expect, Reply> {
    let text = |name: header::HeaderName| -> Result<Option<String>, Reply> {
        let values: Vec<&str> = headers
            .get_all(&name)
            .iter()
            .map(|v| v.to_str())
            .collect::<Result<_, _>>()
            .map_err(|_| Reply::invalid(400, name.as_str(), "not ASCII"))?;
        Ok((!values.is_empty()).then(|| values.join(",")))
    };
    let if_match = text(header::IF_MATCH)?;
    let if_none_match = text(header::IF_NONE_MATCH)?;
    match (if_match, if_none_match) {
        (Some(_), Some(_)) => Err(Reply::invalid(
            400,
            "If-None-Match",
            "give If-Match (replace that version) or If-None-Match: * (create), not both",
        )),
        (None, None) => Ok(Expect::Any),
        (None, Some(none)) if none.trim() == "*" => Ok(Expect::Absent),
        (None, Some(_)) => Err(Reply::invalid(
            400,
            "If-None-Match",
            "only * is taken here (put the order only if there is none yet)",
        )),
        (Some(tags), None) if tags.trim() == "*" => Ok(Expect::Present),
        (Some(tags), None) => {
            let tags: Vec<String> = tags
                .split(',')
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(str::to_owned)
                .collect();
            let quoted = |t: &String| {
                let t = t.strip_prefix("W/").unwrap_or(t);
                t.len() >= 2 && t.starts_with('"') && t.ends_with('"')
            };
            if tags.is_empty() || !tags.iter().all(quoted) {
                return Err(Reply::invalid(
                    400,
                    "If-Match",
                    "give the ETag the order was read with, in its quotes, or *",
                ));
            }
            Ok(Expect::Tagged(tags))
        }
    }
}

/// The answer to a put that came to `put`, with the stored order if it was
/// stored.
pub fn answer(order: &StoredOrder, expect: &Expect, put: Put) -> Reply {
    match put {
        Put::Created => Reply {
            status: 201,
            body: json!(order),
        },
        Put::Replaced => Reply {
            status: 200,
            body: json!(order),
        },
        Put::Unmet(now) => {
            let message = match (expect, now) {
                (Expect::Absent, Some(tag)) => {
                    format!("order {:?} is already stored (its ETag is {tag})", order.id)
                }
                (_, Some(tag)) => format!(
                    "order {:?} changed since it was read: its ETag is now {tag}; read it again, \
                     change that and put it",
                    order.id
                ),
                (_, None) => format!("no order {:?} is stored", order.id),
            };
            let field = match expect {
                Expect::Absent => "If-None-Match",
                _ => "If-Match",
            };
            Reply::invalid(412, field, message)
        }
        Put::Named(named) => Reply::invalid(409, "data.order.lines", kept(&named)),
    }
}

/// Why a version of an order that leaves out what a request names is not
/// put.
pub fn kept(named: &Named) -> String {
    let Named {
        line,
        held,
        left,
        request,
    } = named;
    if *left == 0 && *held == 0 {
        format!("line {line:?} is named by request {request}; the order must keep it")
    } else if *left == 0 {
        format!(
            "line {line:?} is gone, but open requests hold {held} of its units ({request}); \
             the order must keep it"
        )
    } else {
        format!(
            "line {line:?} has {left} units, but open requests hold {held} ({request}); \
             keep the units as ordered"
        )
    }
}
