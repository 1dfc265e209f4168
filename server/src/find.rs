//! A returns page for customers without an account: they give the order
//! number and the email they ordered with, as Shopify's, Loop's and
//! AfterShip's return portals ask, and get the order's page.
//!
//! `POST /api/find-order` takes `{"order": "X-102", "email": "…"}` and
//! answers 200 `{"status": "found", "id", "policy", "key"}`: the order's
//! id as stored, its policy (a preset for `data-policy`, else a file at
//! `/api/policies/{id}`) and its key under `--order-secret` ([`access`];
//! null when orders are open), which the page puts in the widget's URLs.
//! The order's email is the one the shop's systems gave with the order
//! (`email` of an `--orders` entry or of a put); an order without one is
//! found by no email.
//!
//! An unknown number, a wrong email and an order without an email get the
//! same 404, so that the answer does not tell which orders exist.
//!
//! Guessing is slowed by counting the finds that fail, in the database,
//! each count lasting a [`WINDOW`] from its first find:
//!
//! - by the number and by the email, from one client (its address:
//!   [`client_of`]): after [`LIMIT`], that client is answered 429 for
//!   them, with `Retry-After`, without looking;
//! - by the client alone: after [`CLIENT_LIMIT`], whatever it asks;
//! - by the number and by the email, from all clients together: after
//!   [`SHARED_LIMIT`], every client is answered 429 for them.
//!
//! So one client guesses at most 5 emails of an order, or 5 orders of an
//! email, and 20 in all, and many clients together 30. A client that fails
//! on purpose locks itself out, not the order's customer. Only many
//! clients together can keep a customer from their order: 30 failures
//! within the window, from at least 6 addresses, for each order number.
//!
//! Finds are counted before the server looks, in one transaction for all
//! their counts, so finds sent at once are each counted. A find that the
//! counts refuse is taken back from them, and so is one that succeeds:
//! only finds that were looked at and failed count. So a client that keeps
//! asking once refused does not use up the shared counts. (The shop's own
//! order page and its link in the order's email open an order whatever
//! the counts.)
//!
//! [`access`]: crate::access

use std::net::IpAddr;

use aftersale_engine::contact::plausible_email;
use chrono::{DateTime, SecondsFormat, TimeDelta, Utc};
use serde::Deserialize;
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::AppState;
use crate::intake::Reply;
use crate::store::Storage;

/// Finds from one client that failed within a [`WINDOW`], for one number
/// or one email, after which the server stops looking for that client.
pub const LIMIT: u32 = 5;

/// Finds from one client that failed within a [`WINDOW`], whatever they
/// asked for, after which the server stops looking for that client.
pub const CLIENT_LIMIT: u32 = 20;

/// Finds from all clients together that failed within a [`WINDOW`], for
/// one number or one email, after which the server stops looking for
/// anyone.
pub const SHARED_LIMIT: u32 = 30;

/// How long a count of finds lasts from the first of them.
pub const WINDOW: TimeDelta = TimeDelta::minutes(15);

/// The longest email (RFC 5321's path limit) and order number taken.
const LONGEST: usize = 254;

/// The body of a find.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Ask {
    #[serde(default)]
    order: Option<String>,
    #[serde(default)]
    email: Option<String>,
}

/// An order number as a customer types it: spaces around it and a leading
/// `#` (as confirmation emails often write it) left out.
pub fn order_number(typed: &str) -> &str {
    let typed = typed.trim();
    typed.strip_prefix('#').unwrap_or(typed).trim_start()
}

/// Whether two emails are the same address, as customers type them:
/// spaces around them left out, letters in any case.
pub fn same_email(stored: &str, typed: &str) -> bool {
    stored.trim().to_lowercase() == typed.trim().to_lowercase()
}

/// Whether `email` looks like an address, as the widget and the payload
/// schema read a contact email ([`plausible_email`]), of at most 254
/// characters.
pub fn looks_like_email(email: &str) -> bool {
    email.len() <= LONGEST && plausible_email(email)
}

/// The client a find is counted for: its IP address, or, for IPv6, its
/// /64 network (one host is often given a whole /64, and picks addresses
/// in it at will). `forwarded` is the value of the header a trusted proxy
/// names the client in (`--client-ip-header`), whose last address is the
/// one that proxy saw; without one the peer's address counts. `unknown`
/// when there is neither.
pub fn client_of(peer: Option<IpAddr>, forwarded: Option<&str>) -> String {
    let named = forwarded
        .and_then(|value| value.rsplit(',').next())
        .and_then(|last| last.trim().parse::<IpAddr>().ok());
    match named.or(peer) {
        Some(IpAddr::V4(v4)) => v4.to_string(),
        Some(IpAddr::V6(v6)) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
        None => "unknown".to_owned(),
    }
}

/// What failures are counted under, each with its limit: the number and
/// the email asked for from this client, the client, and the number and
/// the email from every client, each hashed, so that the table keeps no
/// address.
fn subjects(order: &str, email: &str, client: &str) -> Vec<(String, u32)> {
    let hash = |text: String| hex::encode(Sha256::digest(text.as_bytes()));
    let email = email.trim().to_lowercase();
    vec![
        (hash(format!("order:{order}|client:{client}")), LIMIT),
        (hash(format!("email:{email}|client:{client}")), LIMIT),
        (hash(format!("client:{client}")), CLIENT_LIMIT),
        (hash(format!("order:{order}")), SHARED_LIMIT),
        (hash(format!("email:{email}")), SHARED_LIMIT),
    ]
}

/// The answer to a find from `client` ([`client_of`]) at `now`: the
/// order's id, policy and key, or why not. A 429 carries `retry_after`
/// (seconds) for the `Retry-After` header.
pub async fn find<S: Storage>(
    state: &AppState<S>,
    body: &[u8],
    client: &str,
    now: DateTime<Utc>,
) -> Reply {
    let ask: Ask = match Reply::read_json(body, r#"send {"order", "email"}"#) {
        Ok(ask) => ask,
        Err(r) => return r,
    };
    let (typed, email) = (ask.order.unwrap_or_default(), ask.email.unwrap_or_default());
    let order = order_number(&typed);
    if order.is_empty() || order.len() > LONGEST {
        return Reply::invalid(
            400,
            "order",
            "give the order number, as the order's confirmation says it",
        );
    }
    if !looks_like_email(email.trim()) {
        return Reply::invalid(
            400,
            "email",
            "give the email address the order was placed with",
        );
    }
    let (subjects, limits): (Vec<String>, Vec<u32>) =
        subjects(order, &email, client).into_iter().unzip();
    let stamp = |t: DateTime<Utc>| t.to_rfc3339_opts(SecondsFormat::Millis, true);
    // Counted before looking, in one transaction: finds sent at once are
    // each counted before any is answered.
    let counted = state
        .store
        .count_find(subjects.clone(), stamp(now), stamp(now - WINDOW))
        .await;
    let counted = match counted {
        Ok(c) => c,
        Err(e) => return Reply::unavailable(e),
    };
    let wait = (counted.iter().zip(&limits))
        .filter(|(a, limit)| a.count > **limit)
        .filter_map(|(a, _)| DateTime::parse_from_rfc3339(&a.since).ok())
        .map(|since| {
            (since.with_timezone(&Utc) + WINDOW - now)
                .num_seconds()
                .max(1)
        })
        .max();
    if let Some(secs) = wait {
        // Refused without looking: it counts for nothing, so that a client
        // that keeps asking does not use up the counts shared by all.
        if let Err(e) = state.store.uncount_find(subjects).await {
            return Reply::unavailable(e);
        }
        let minutes = (secs + 59) / 60;
        return Reply {
            status: 429,
            body: json!({
                "status": "invalid",
                "field": "order",
                "message": format!(
                    "too many tries for this order or email: try again in {minutes} min, \
                     or open the link in the order's confirmation email"
                ),
                "retry_after": secs,
            }),
        };
    }
    let stored = match state.store.order(order.to_owned()).await {
        Ok(o) => o,
        Err(e) => return Reply::unavailable(e),
    };
    let found = stored.filter(|o| {
        o.email
            .as_deref()
            .is_some_and(|stored| same_email(stored, &email))
    });
    match found {
        Some(o) => {
            // A find that succeeds counts for nothing.
            if let Err(e) = state.store.uncount_find(subjects).await {
                return Reply::unavailable(e);
            }
            Reply {
                status: 200,
                body: json!({
                    "status": "found",
                    "id": o.id,
                    "policy": o.policy_id,
                    "key": state.order_keys.key(&o.id),
                }),
            }
        }
        None => Reply::invalid(
            404,
            "order",
            "no order has this number with this email: check both against the order's \
             confirmation email",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    #[test]
    fn order_numbers_as_typed() {
        assert_eq!(order_number(" #X-102 "), "X-102");
        assert_eq!(order_number("# X-102"), "X-102");
        assert_eq!(order_number("X-102"), "X-102");
        assert_eq!(order_number(" # "), "");
    }

    #[test]
    fn emails_compared_as_typed() {
        assert!(same_email(
            "Mia.Keller@Example.com",
            " mia.keller@example.COM "
        ));
        assert!(same_email("émile@example.fr", "ÉMILE@example.fr"));
        assert!(!same_email("mia@example.com", "mia@example.co"));
    }

    #[test]
    fn what_looks_like_an_email() {
        assert!(looks_like_email("mia@example.com"));
        assert!(!looks_like_email("mia@example"));
        assert!(!looks_like_email("mia example@example.com"));
        assert!(!looks_like_email("@example.com"));
        assert!(!looks_like_email("mia@@example.com"));
        assert!(!looks_like_email("mia@.com"));
        assert!(!looks_like_email(&format!(
            "{}@example.com",
            "m".repeat(250)
        )));
    }

    /// The payload schema's `contact.email` pattern, run by the schema
    /// validator the server checks payloads with, takes what
    /// [`plausible_email`] takes, and only that.
    #[test]
    fn the_engine_s_email_rule_is_the_schema_s() {
        let schema: Value = serde_json::from_str(crate::schema::SOURCE).unwrap();
        let email = &schema["properties"]["contact"]["properties"]["email"];
        assert!(email["pattern"].is_string(), "{email}");
        let validator = jsonschema::validator_for(email).unwrap();
        for text in [
            "mia@example.com",
            "a@b.c",
            "a@.b.c",
            "a@b.c.",
            "a.b@c.d",
            "émile@exemple.fr",
            "",
            "mia",
            "mia@example",
            "@example.com",
            "mia@",
            "mia@.com",
            "mia@example.",
            "a@b..",
            "a@..",
            "a@b@c.d",
            "mia example@example.com",
            "mia@exa mple.com",
            " mia@example.com",
            "mia@example.com\n",
        ] {
            assert_eq!(
                plausible_email(text),
                validator.is_valid(&json!(text)),
                "{text:?}"
            );
        }
    }

    #[test]
    fn subjects_keep_no_address_and_ignore_case() {
        let one = subjects("X-102", "Mia@Example.com", "192.0.2.1");
        assert_eq!(one, subjects("X-102", " mia@example.com", "192.0.2.1"));
        assert!(one.iter().all(|(s, _)| s.len() == 64 && !s.contains('@')));
        let other_order = subjects("X-103", "mia@example.com", "192.0.2.1");
        let other_client = subjects("X-102", "mia@example.com", "192.0.2.2");
        // The number's and the email's counts for this client, then the
        // client's, then the shared ones.
        let differ = |a: &[(String, u32)], b: &[(String, u32)]| {
            a.iter().zip(b).map(|(x, y)| x.0 != y.0).collect::<Vec<_>>()
        };
        assert_eq!(
            differ(&one, &other_order),
            [true, false, false, true, false]
        );
        assert_eq!(
            differ(&one, &other_client),
            [true, true, true, false, false]
        );
        let limits: Vec<u32> = one.iter().map(|(_, l)| *l).collect();
        assert_eq!(
            limits,
            [LIMIT, LIMIT, CLIENT_LIMIT, SHARED_LIMIT, SHARED_LIMIT]
        );
    }

    #[test]
    fn clients_by_address_an_ipv6_network_and_a_trusted_header() {
        let peer = |s: &str| Some(s.parse::<IpAddr>().unwrap());
        assert_eq!(client_of(peer("192.0.2.7"), None), "192.0.2.7");
        // One host's IPv6 addresses are one client; an IPv4 in IPv6 is itself.
        assert_eq!(
            client_of(peer("2001:db8:1:2:aaaa::1"), None),
            client_of(peer("2001:db8:1:2:bbbb::9"), None)
        );
        assert_eq!(
            client_of(peer("2001:db8:1:2::1"), None),
            "2001:db8:1:2::/64"
        );
        assert_ne!(
            client_of(peer("2001:db8:1:2::1"), None),
            client_of(peer("2001:db8:1:3::1"), None)
        );
        assert_eq!(client_of(peer("::ffff:192.0.2.7"), None), "192.0.2.7");
        // The last address of the trusted header: the one its proxy saw
        // (what the client wrote before it is the client's to forge).
        assert_eq!(
            client_of(peer("10.0.0.1"), Some("203.0.113.9, 198.51.100.4")),
            "198.51.100.4"
        );
        assert_eq!(
            client_of(peer("10.0.0.1"), Some(" 198.51.100.4 ")),
            "198.51.100.4"
        );
        // A header that names no address: the peer.
        assert_eq!(client_of(peer("10.0.0.1"), Some("unknown")), "10.0.0.1");
        assert_eq!(client_of(None, None), "unknown");
    }
}
