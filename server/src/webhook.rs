//! Tells the shop's own systems (a helpdesk, an ERP, a chat channel) of
//! each request as it comes and of each change of its status, by POSTing
//! an event to one URL (`--webhook-url`), signed with a shared secret.
//!
//! Nothing is lost between the two: the store keeps each event for the
//! webhook in the transaction that makes it (`webhook_outbox`), and it is
//! deleted only once the URL answers 2xx. An event the URL does not take
//! (no answer within [`TIMEOUT`], a 5xx, a 4xx) is sent again after 30 s,
//! 1 min, 2 min … up to every 6 h, also after a restart. So an event may
//! come more than once (its `Aftersale-Delivery` header, the same each
//! time, tells), and events of different requests in any order; each
//! event's `seq` orders a request's own. Servers sharing one database
//! each claim the events they send ([`crate::store::Storage::claim_deliveries`]),
//! so that one is not sent by two at once.
//!
//! The body (JSON): `{"id": "REQUEST/SEQ", "type": "request.created" or
//! "request.status_changed", "at", "from", "to", "actor", "note",
//! "request"}`, where `request` is the request as the merchant API gives it
//! when the event is sent (its status may have moved on since). Headers:
//! `Aftersale-Event` (the type), `Aftersale-Delivery` (the id) and
//! `Aftersale-Signature: t=UNIX,v1=HEX`, HMAC-SHA256 of `"UNIX.BODY"` under
//! the secret, for the receiver to check before it trusts the body.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, SecondsFormat, Utc};
use hmac::{Hmac, KeyInit, Mac};
use serde_json::json;
use sha2::Sha256;

use crate::AppState;
use crate::store::{Delivery, Storage};

/// How long the URL has to answer one event.
pub const TIMEOUT: Duration = Duration::from_secs(10);

/// How many events are sent at a time, one after the other.
pub const BATCH: u32 = 20;

/// The longest wait between two tries of one event.
const MOST_BACKOFF_SECS: i64 = 6 * 60 * 60;

/// Where events go and how they are signed.
pub struct Webhook {
    url: reqwest::Url,
    secret: Vec<u8>,
    client: reqwest::Client,
}

impl Webhook {
    /// A webhook to `url` (http or https), signed with `secret` (16
    /// characters or more).
    pub fn new(url: &str, secret: &str) -> Result<Webhook, String> {
        let url = reqwest::Url::parse(url).map_err(|e| format!("{url:?}: {e}"))?;
        if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
            return Err(format!("{url}: give an http or https URL"));
        }
        if secret.chars().count() < 16 {
            return Err("the secret must be 16 characters or more".into());
        }
        let roots = match crate::store::tls::system_roots() {
            Some(roots) => roots,
            None if url.scheme() == "https" => {
                return Err(format!(
                    "{}: this machine trusts no certificate authority to check it by \
                     (install its CA certificates: ca-certificates on Debian)",
                    url.origin().ascii_serialization()
                ));
            }
            None => rustls::RootCertStore::empty(),
        };
        let tls = rustls::ClientConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .with_root_certificates(roots)
        .with_no_client_auth();
        let client = reqwest::Client::builder()
            .tls_backend_preconfigured(tls)
            .timeout(TIMEOUT)
            // A redirect would turn the POST into a GET, without the event.
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("aftersale-server/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| e.to_string())?;
        Ok(Webhook {
            url,
            secret: secret.as_bytes().to_vec(),
            client,
        })
    }

    /// Where events go, without the URL's path and query (which may hold
    /// a token): `https://hooks.example`.
    pub fn host(&self) -> String {
        self.url.origin().ascii_serialization()
    }

    /// The `Aftersale-Signature` of `body` sent at `t` (Unix seconds).
    pub fn signature(&self, t: i64, body: &[u8]) -> String {
        sign(&self.secret, t, body)
    }
}

/// `t=UNIX,v1=HEX`: HMAC-SHA256 of `"UNIX.BODY"` under `secret`.
pub fn sign(secret: &[u8], t: i64, body: &[u8]) -> String {
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(secret).expect("any key length");
    mac.update(format!("{t}.").as_bytes());
    mac.update(body);
    format!("t={t},v1={}", hex::encode(mac.finalize().into_bytes()))
}

/// The wait before try `attempts + 1` of an event tried `attempts` times.
fn backoff(attempts: u32) -> chrono::Duration {
    chrono::Duration::seconds((30_i64 << attempts.min(20)).min(MOST_BACKOFF_SECS))
}

/// Sends the events due, then waits for more (woken by the state's
/// `events` when one is made, or after 5 s, for those waiting to be tried
/// again), for as long as the server runs.
pub async fn keep_delivering<S: Storage>(state: Arc<AppState<S>>, hook: Webhook) {
    loop {
        let sent = deliver_due(&state, &hook, Utc::now()).await;
        if sent < BATCH as usize {
            tokio::select! {
                _ = state.events.notified() => {}
                _ = tokio::time::sleep(Duration::from_secs(5)) => {}
            }
        }
    }
}

/// Sends the events due at `now`, at most [`BATCH`]; how many it tried.
pub async fn deliver_due<S: Storage>(
    state: &AppState<S>,
    hook: &Webhook,
    now: DateTime<Utc>,
) -> usize {
    let at = |t: DateTime<Utc>| t.to_rfc3339_opts(SecondsFormat::Millis, true);
    // Claimed for as long as sending them all could take, and some.
    let until = now + chrono::Duration::from_std(TIMEOUT * (BATCH + 10)).unwrap_or_default();
    let due = match state
        .store
        .claim_deliveries(at(now), at(until), BATCH)
        .await
    {
        Ok(due) => due,
        Err(e) => {
            eprintln!("aftersale-server: webhook: storage failed: {e}");
            return 0;
        }
    };
    for d in &due {
        let outcome = match state.store.request(d.request_id.clone()).await {
            Ok(Some(record)) => send(hook, d, record).await,
            Ok(None) => Err("the request is gone".into()),
            Err(e) => {
                eprintln!("aftersale-server: webhook: storage failed: {e}");
                return due.len();
            }
        };
        let done = match outcome {
            Ok(()) => state.store.delivered(d.request_id.clone(), d.seq).await,
            Err(why) => {
                let wait = backoff(d.attempts);
                eprintln!(
                    "aftersale-server: webhook {}/{}: {why} (try {}; again in {} s)",
                    d.request_id,
                    d.seq,
                    d.attempts + 1,
                    wait.num_seconds()
                );
                (state.store)
                    .delivery_failed(d.request_id.clone(), d.seq, at(now + wait), why)
                    .await
            }
        };
        if let Err(e) = done {
            eprintln!("aftersale-server: webhook: storage failed: {e}");
        }
    }
    due.len()
}

/// One event, POSTed and signed: `Ok` once the URL answered 2xx.
async fn send(
    hook: &Webhook,
    d: &Delivery,
    record: crate::store::RequestRecord,
) -> Result<(), String> {
    let Some(event) = record.events.get((d.seq as usize).wrapping_sub(1)).cloned() else {
        return Err(format!("the request has no event {}", d.seq));
    };
    let kind = if event.from.is_none() {
        "request.created"
    } else {
        "request.status_changed"
    };
    let id = format!("{}/{}", d.request_id, d.seq);
    let body = json!({
        "id": id,
        "type": kind,
        "at": event.at,
        "from": event.from,
        "to": event.to,
        "actor": event.actor,
        "note": event.note,
        "request": crate::with_next(record),
    })
    .to_string();
    let t = Utc::now().timestamp();
    let answer = hook
        .client
        .post(hook.url.clone())
        .header("content-type", "application/json")
        .header("aftersale-event", kind)
        .header("aftersale-delivery", &id)
        .header("aftersale-signature", hook.signature(t, body.as_bytes()))
        .body(body)
        .send()
        .await
        .map_err(without_url)?;
    match answer.status() {
        s if s.is_success() => Ok(()),
        s => Err(format!("the webhook answered {s}")),
    }
}

/// A send error's words without its URL, which may carry a token.
fn without_url(e: reqwest::Error) -> String {
    let e = e.without_url();
    let mut words = e.to_string();
    let mut source = std::error::Error::source(&e);
    while let Some(s) = source {
        words.push_str(": ");
        words.push_str(&s.to_string());
        source = s.source();
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_is_hmac_sha256_of_time_dot_body() {
        // Python: hmac.new(b"a secret of some length", b"1700000000.{}",
        //                  hashlib.sha256).hexdigest()
        assert_eq!(
            sign(b"a secret of some length", 1_700_000_000, b"{}"),
            "t=1700000000,v1=9008b8e96ac884fb56cbbbb39d8c4b578c2c6de7951cbcce7f1f18311f3cd9f2"
        );
    }

    #[test]
    fn an_event_not_taken_is_tried_again_later_and_later_up_to_six_hours() {
        let waits: Vec<i64> = (0..12).map(|n| backoff(n).num_seconds()).collect();
        assert_eq!(&waits[..5], [30, 60, 120, 240, 480]);
        assert_eq!(waits[10], MOST_BACKOFF_SECS);
        assert_eq!(backoff(u32::MAX).num_seconds(), MOST_BACKOFF_SECS);
    }

    #[test]
    fn a_webhook_is_an_http_url_with_a_secret_of_16_or_more() {
        assert!(Webhook::new("https://hooks.example/x", "sixteen chars ok").is_ok());
        for (url, secret, says) in [
            ("ftp://hooks.example/x", "sixteen chars ok", "http or https"),
            ("not a url", "sixteen chars ok", "not a url"),
            ("https://hooks.example/x", "short", "16 characters"),
        ] {
            let e = Webhook::new(url, secret).err().expect("an error");
            assert!(e.contains(says), "{e}");
        }
    }
}
