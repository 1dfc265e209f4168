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
//! same 404, so that the answer does not tell which orders exist. Finds
//! are counted in the database, by the number and by the email asked for
//! (each hashed), before the server looks, so that finds sent at once are
//! each counted; one that succeeds is taken back. After [`LIMIT`] in a
//! [`WINDOW`] that begins with the first for either, the server answers 429
//! with `Retry-After` (until that window ends) without looking, so neither
//! guessing the emails of one order nor the orders of one email gets far.
//! (Someone who knows an order number can so keep its customer from
//! finding it for a while; the shop's own order page and its link in the
//! order's email still open it.)
//!
//! [`access`]: crate::access

use aftersale_engine::contact::plausible_email;
use chrono::{DateTime, SecondsFormat, TimeDelta, Utc};
use serde::Deserialize;
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::AppState;
use crate::intake::Reply;
use crate::store::Storage;

/// Finds that failed within a [`WINDOW`], for one number or one email,
/// after which the server stops looking.
pub const LIMIT: u32 = 5;

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

/// What failures are counted under: the number and the email asked for,
/// each hashed, so that the table keeps no address.
fn subjects(order: &str, email: &str) -> Vec<String> {
    let hash = |text: String| hex::encode(Sha256::digest(text.as_bytes()));
    vec![
        hash(format!("order:{order}")),
        hash(format!("email:{}", email.trim().to_lowercase())),
    ]
}

/// The answer to a find at `now`: the order's id, policy and key, or why
/// not. A 429 carries `retry_after` (seconds) for the `Retry-After` header.
pub async fn find<S: Storage>(state: &AppState<S>, body: &[u8], now: DateTime<Utc>) -> Reply {
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
    let subjects = subjects(order, &email);
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
    let wait = (counted.iter())
        .filter(|a| a.count > LIMIT)
        .filter_map(|a| DateTime::parse_from_rfc3339(&a.since).ok())
        .map(|since| {
            (since.with_timezone(&Utc) + WINDOW - now)
                .num_seconds()
                .max(1)
        })
        .max();
    if let Some(secs) = wait {
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
        let one = subjects("X-102", "Mia@Example.com");
        assert_eq!(one, subjects("X-102", " mia@example.com"));
        assert!(one.iter().all(|s| s.len() == 64 && !s.contains('@')));
        assert_ne!(one[0], subjects("X-103", "mia@example.com")[0]);
    }
}
