//! Posting the finished request to the shop's backend: the payload of
//! `schema/request-payload.schema.json`, an idempotency key made once per
//! request, `localStorage` until the backend decides, retries with backoff.
//! See `docs/payload.md` for the answers the backend gives.

use crate::net;
use aftersale_engine::scenario::{PastRequest, RequestLine};
use aftersale_engine::{Attachment, HEAD_BYTES, Kind, Quote, Reason, Request, image_type};
use chrono::{DateTime, Utc};
use js_sys::{JSON, Reflect};
use leptos::prelude::*;
use serde::Serialize;
use wasm_bindgen::{JsCast, JsValue};

/// A photo the customer picked.
#[derive(Clone, Debug, PartialEq)]
pub struct Photo {
    /// What the payload declares of it (name, type, size).
    pub meta: Attachment,
    /// The file's bytes, sent once the shop has the request.
    pub file: web_sys::Blob,
}

impl Photo {
    /// A picked file as the payload declares it: its name, its size, and the
    /// type its first bytes show, not its name's (a renamed PDF is no
    /// JPEG; a HEIC the browser has no type for is one); bytes that show no
    /// image the engine knows are declared `application/octet-stream`, which
    /// no policy takes. The browser's type stands only if the file cannot be
    /// read.
    pub async fn read(file: web_sys::File) -> Photo {
        let head = match file.slice_with_f64_and_f64(0.0, HEAD_BYTES as f64) {
            Ok(blob) => wasm_bindgen_futures::JsFuture::from(blob.array_buffer())
                .await
                .ok()
                .map(|b| js_sys::Uint8Array::new(&b).to_vec()),
            Err(_) => None,
        };
        let media_type = match head {
            Some(head) => image_type(&head)
                .unwrap_or("application/octet-stream")
                .to_owned(),
            None => file.type_(),
        };
        let meta = Attachment {
            name: file.name(),
            media_type,
            size: file.size() as u64,
        };
        Photo {
            meta,
            file: file.into(),
        }
    }
}

/// Where a request stands.
#[derive(Clone, Debug, PartialEq)]
pub enum Submission {
    /// Nothing sent.
    Idle,
    /// A POST is under way.
    Sending,
    /// The last attempt failed (no answer, none in time, 5xx, 408, 429);
    /// the next one starts soon.
    Retrying {
        /// Seconds until the next attempt.
        in_secs: u32,
        /// What went wrong.
        why: String,
        /// The request is kept in `localStorage` (a reload resumes it);
        /// false where the browser refuses storage (disabled, full).
        kept: bool,
    },
    /// The backend stored it.
    Created {
        /// The backend's request id.
        request_id: String,
        /// The RMA code, where the policy uses one.
        rma: Option<String>,
    },
    /// The backend refused it.
    Refused {
        /// The deciding clause.
        clause: String,
        /// Why, in the backend's words.
        explanation: String,
        /// With `server.already_requested`: which conflict with the order's
        /// other open requests (`units_taken`, `order_cancelled`, …).
        conflict: Option<String>,
    },
    /// The backend's quote differs from the one shown: its figures, to accept or not.
    Changed {
        /// The backend's quote as JSON text.
        quote: String,
    },
    /// The backend rejected the payload itself.
    Invalid {
        /// Its message.
        message: String,
    },
}

impl Submission {
    /// The id of the request the shop received, once it has.
    pub fn created(&self) -> Option<&str> {
        match self {
            Submission::Created { request_id, .. } => Some(request_id),
            _ => None,
        }
    }

    /// The request was sent and the customer cannot take it back: it is on
    /// its way or the shop received it. It can no longer be edited.
    pub fn holds_request(&self) -> bool {
        matches!(
            self,
            Submission::Sending | Submission::Retrying { .. } | Submission::Created { .. }
        )
    }

    /// The current request may be sent as it stands: nothing was sent, or
    /// the shop could not read what was (a refused or re-quoted request is
    /// changed or accepted first).
    pub fn may_send(&self) -> bool {
        matches!(self, Submission::Idle | Submission::Invalid { .. })
    }

    /// The shop's answer is about a request the customer may still change
    /// (refused, re-quoted, unreadable): it no longer applies once they do.
    pub fn answers_a_draft(&self) -> bool {
        matches!(
            self,
            Submission::Refused { .. } | Submission::Changed { .. } | Submission::Invalid { .. }
        )
    }
}

/// Where the photos of a request the shop received stand: they are sent
/// after it, one by one, to `{endpoint}/{request_id}/photos/{index}` (the
/// endpoint's query after that).
#[derive(Clone, Debug, PartialEq)]
pub enum Uploads {
    /// No photos on their way (none asked for, or nothing received yet).
    None,
    /// `sent` of `total` photos are with the shop; the next is on its way,
    /// or after a failure waits `retry_in` seconds.
    Sending {
        /// Photos the shop has.
        sent: usize,
        /// Photos to send.
        total: usize,
        /// Seconds until the next attempt, after a failed one.
        retry_in: Option<u32>,
        /// Of all the photos' bytes, the percentage the shop has or that is
        /// on its way (0 to 100).
        percent: u8,
    },
    /// Every photo is with the shop: their names.
    Sent(Vec<String>),
    /// The request declared `count` photos whose files were in a page that
    /// was left before they were sent, and the browser did not keep them
    /// (it was sent again after a reload).
    Lost {
        /// Photos declared.
        count: usize,
    },
    /// The shop did not take a photo (it answered 4xx): the others after it
    /// are not sent either.
    Refused {
        /// The file's name.
        name: String,
        /// The shop's words.
        message: String,
    },
}

/// A request on its way: kept in `localStorage` until the backend decides.
#[derive(Clone, Debug, PartialEq)]
pub struct Pending {
    /// The `Idempotency-Key`, the same for every attempt.
    pub key: String,
    /// Where to POST.
    pub endpoint: String,
    /// The JSON body, the same for every attempt.
    pub body: String,
}

impl Pending {
    /// The kind and reason of the request in the body, to name it (after a
    /// reload, nothing else on the page says what is being sent).
    pub fn action(&self) -> Option<(Kind, Option<Reason>)> {
        action_of(&self.request()?)
    }

    /// The photos the body declares in `attachments` (none if they do not
    /// read as the payload's).
    pub fn attachments(&self) -> Vec<Attachment> {
        JSON::parse(&self.body)
            .ok()
            .and_then(|b| Reflect::get(&b, &"attachments".into()).ok())
            .and_then(|a| aftersale_js_read::read(a).ok())
            .unwrap_or_default()
    }

    /// The body's `request`, as JS.
    fn request(&self) -> Option<JsValue> {
        let body = JSON::parse(&self.body).ok()?;
        Reflect::get(&body, &"request".into()).ok()
    }

    /// The request in the body as the order's list shows it once the shop
    /// received it as `id` at `at`.
    pub fn received(
        &self,
        id: String,
        rma: Option<String>,
        at: DateTime<Utc>,
    ) -> Option<PastRequest> {
        let request = self.request()?;
        let (kind, reason) = action_of(&request)?;
        let lines = Reflect::get(&request, &"lines".into())
            .ok()
            .and_then(|l| l.dyn_into::<js_sys::Array>().ok())
            .unwrap_or_default();
        let lines = lines
            .iter()
            .filter_map(|l| {
                let quantity = Reflect::get(&l, &"quantity".into()).ok()?.as_f64()?;
                Some(RequestLine {
                    line_id: field(&l, "line_id")?,
                    quantity: quantity as u32,
                })
            })
            .filter(|_| kind.names_units(reason))
            .collect();
        Some(PastRequest {
            id,
            kind,
            reason,
            lines,
            status: "requested".into(),
            created_at: at,
            rma,
        })
    }
}

/// The kind and reason of a request (JS, as posted).
fn action_of(request: &JsValue) -> Option<(Kind, Option<Reason>)> {
    let kind = Kind::parse(&field(request, "kind")?)?;
    let reason = field(request, "reason").and_then(|r| Reason::parse(&r));
    Some((kind, reason))
}

#[derive(Serialize)]
struct PolicyRef<'a> {
    id: &'a str,
    version: &'a str,
}

#[derive(Serialize)]
struct Contact<'a> {
    email: &'a str,
}

#[derive(Serialize)]
struct Payload<'a> {
    format: &'static str,
    order_id: &'a str,
    policy: PolicyRef<'a>,
    request: &'a Request,
    quote: &'a Quote,
    attachments: &'a [Attachment],
    contact: Contact<'a>,
    locale: &'a str,
    submitted_at: DateTime<Utc>,
}

/// Everything a payload is made of.
pub struct Draft<'a> {
    /// The order's id.
    pub order_id: &'a str,
    /// The policy's id and version.
    pub policy: (&'a str, &'a str),
    /// The request.
    pub request: &'a Request,
    /// The quote the customer saw.
    pub quote: &'a Quote,
    /// The photos' metadata.
    pub attachments: &'a [Attachment],
    /// The customer's email.
    pub email: &'a str,
    /// The customer's locale.
    pub locale: &'a str,
    /// When it is sent, by the widget's clock: the shop's where the widget
    /// read it, the one its deadlines and countdowns are shown by.
    pub submitted_at: DateTime<Utc>,
}

/// The payload as JSON text, with `quote` replaced by `accepted` when the
/// customer accepted the backend's own quote.
pub fn payload(d: &Draft, accepted: Option<&str>) -> Result<String, String> {
    let p = Payload {
        format: "aftersale.request/1",
        order_id: d.order_id,
        policy: PolicyRef {
            id: d.policy.0,
            version: d.policy.1,
        },
        request: d.request,
        quote: d.quote,
        attachments: d.attachments,
        contact: Contact { email: d.email },
        locale: d.locale,
        submitted_at: d.submitted_at,
    };
    let value = p
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| e.to_string())?;
    if let Some(quote) = accepted {
        let quote =
            JSON::parse(quote).map_err(|_| "the backend's quote is not JSON".to_string())?;
        Reflect::set(&value, &"quote".into(), &quote)
            .map_err(|_| "cannot set the quote".to_string())?;
    }
    JSON::stringify(&value)
        .map(String::from)
        .map_err(|_| "cannot write the payload".to_string())
}

/// A fresh UUID v4 for the `Idempotency-Key` header, from
/// `crypto.getRandomValues`: `crypto.randomUUID` exists only on secure
/// pages (https, localhost), and a shop's page on plain http (a staging
/// server on the local network) must be able to send too.
pub fn new_key() -> String {
    let mut b = [0u8; 16];
    let random = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .is_some_and(|c| c.get_random_values_with_u8_array(&mut b).is_ok());
    if !random {
        for byte in &mut b {
            *byte = (js_sys::Math::random() * 256.0) as u8;
        }
    }
    // Version 4, variant 10.
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let mut key = String::with_capacity(36);
    for (i, byte) in b.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            key.push('-');
        }
        for nibble in [byte >> 4, byte & 0x0f] {
            key.push(char::from_digit(u32::from(nibble), 16).unwrap_or('0'));
        }
    }
    key
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// Where the request pending for an order is kept in `localStorage`.
const STORAGE_PREFIX: &str = "aftersale.pending.";

fn storage_key(order_id: &str) -> String {
    format!("{STORAGE_PREFIX}{order_id}")
}

/// Keeps `pending` until the backend decides; false when the browser
/// cannot keep it (storage disabled or full): only this page holds it then.
pub fn save(order_id: &str, pending: &Pending) -> bool {
    let o = js_sys::Object::new();
    for (k, v) in [
        ("key", &pending.key),
        ("endpoint", &pending.endpoint),
        ("body", &pending.body),
    ] {
        let _ = Reflect::set(&o, &k.into(), &v.into());
    }
    match (storage(), JSON::stringify(&o)) {
        (Some(s), Ok(text)) => s
            .set_item(&storage_key(order_id), &String::from(text))
            .is_ok(),
        _ => false,
    }
}

/// The request still pending for this order, if any.
pub fn load(order_id: &str) -> Option<Pending> {
    let text = storage()?.get_item(&storage_key(order_id)).ok()??;
    let o = JSON::parse(&text).ok()?;
    let get = |k: &str| Reflect::get(&o, &k.into()).ok()?.as_string();
    Some(Pending {
        key: get("key")?,
        endpoint: get("endpoint")?,
        body: get("body")?,
    })
}

/// The idempotency keys of the requests pending for every order.
pub fn pending_keys() -> Vec<String> {
    let Some(s) = storage() else {
        return Vec::new();
    };
    (0..s.length().unwrap_or(0))
        .filter_map(|i| s.key(i).ok().flatten())
        .filter_map(|k| load(k.strip_prefix(STORAGE_PREFIX)?))
        .map(|p| p.key)
        .collect()
}

/// Done with `pending`: forgets it as the request pending for this order
/// (unless another has been started since) at once, and lets go of the
/// photos kept with it.
pub fn let_go(order_id: &str, pending: &Pending) -> impl Future<Output = ()> + use<> {
    if load(order_id).is_some_and(|p| p.key == pending.key)
        && let Some(s) = storage()
    {
        let _ = s.remove_item(&storage_key(order_id));
    }
    let (key, count) = (pending.key.clone(), pending.attachments().len());
    async move {
        if count > 0 {
            crate::kept::release(&key, count).await;
        }
    }
}

fn field(o: &JsValue, k: &str) -> Option<String> {
    Reflect::get(o, &k.into()).ok()?.as_string()
}

/// The shop's words in a JSON error body (`{field, message}`), else its
/// status and the text.
fn shop_message(status: u16, text: &str) -> String {
    let body = JSON::parse(text).unwrap_or(JsValue::NULL);
    match (field(&body, "field"), field(&body, "message")) {
        (Some(f), Some(m)) if !f.is_empty() => format!("{f}: {m}"),
        (_, Some(m)) => m,
        _ if text.trim().is_empty() => format!("the shop answered {status}"),
        _ => format!("the shop answered {status}: {}", text.trim()),
    }
}

/// A 5xx, 408 or 429 ([`net::transient`]): tried again, after the shop's
/// `Retry-After` where it gave one.
fn busy(status: u16, after: Option<u32>) -> net::Failure {
    net::Failure {
        why: format!("the shop answered {status}"),
        after,
    }
}

/// One attempt: the backend's decision, or `Err` when it should be retried.
async fn attempt(p: &Pending) -> Result<Submission, net::Failure> {
    let deadline = net::Deadline::start(net::SEND_TIMEOUT_SECS);
    let failed = |e: gloo_net::Error| deadline.why(&e);
    let request = gloo_net::http::Request::post(&p.endpoint)
        .header("Content-Type", "application/json")
        .header("Idempotency-Key", &p.key);
    let request = deadline
        .apply(request)
        .body(p.body.as_str())
        .map_err(|e| e.to_string())?;
    let response = request.send().await.map_err(failed)?;
    let status = response.status();
    if net::transient(status) {
        return Err(busy(
            status,
            net::retry_after(response.headers().get("retry-after")),
        ));
    }
    let text = response.text().await.map_err(failed)?;
    let body = JSON::parse(&text).unwrap_or(JsValue::NULL);
    Ok(match status {
        200..=299 => Submission::Created {
            request_id: field(&body, "request_id").unwrap_or_default(),
            rma: field(&body, "rma"),
        },
        409 => match Reflect::get(&body, &"quote".into())
            .ok()
            .and_then(|q| JSON::stringify(&q).ok())
        {
            Some(quote) => Submission::Changed {
                quote: quote.into(),
            },
            None => Submission::Invalid { message: text },
        },
        422 => Submission::Refused {
            clause: field(&body, "clause").unwrap_or_default(),
            explanation: field(&body, "explanation").unwrap_or(text),
            conflict: field(&body, "conflict"),
        },
        _ => Submission::Invalid {
            message: shop_message(status, &text),
        },
    })
}

/// Where photo `index` of request `id` goes: beside the endpoint's path,
/// with its query (a shop's signed endpoint signs its photos too).
fn photo_url(endpoint: &str, id: &str, index: usize) -> String {
    let id = String::from(js_sys::encode_uri_component(id));
    // (A fragment stays after the query: the browser does not send it.)
    let (path, query) = endpoint.split_at(endpoint.find(['?', '#']).unwrap_or(endpoint.len()));
    format!("{}/{id}/photos/{index}{query}", path.trim_end_matches('/'))
}

/// Photos larger than this go in parts of this size (`Content-Range`), so
/// that a connection lost half way costs a part, not the photo.
pub const PHOTO_PART_BYTES: u64 = 1 << 20;

/// What the next `PUT` of a photo sent in parts is, as far as the widget
/// knows between attempts.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Resume {
    /// Ask the shop how much is in (at first, and after a failed attempt,
    /// whose part may or may not have got in); it last said this much.
    Ask(u64),
    /// Send the part from this byte.
    From(u64),
    /// Send the whole file: the shop takes no parts.
    Whole,
}

impl Resume {
    /// How many of the photo's bytes the shop last said it has.
    fn confirmed(self) -> u64 {
        match self {
            Resume::Ask(n) | Resume::From(n) => n,
            Resume::Whole => 0,
        }
    }
}

/// The `received` of a shop's answer to a part: how many of the photo's
/// first bytes it has.
fn received(text: &str) -> Option<u64> {
    let body = JSON::parse(text).ok()?;
    let n = Reflect::get(&body, &"received".into()).ok()?.as_f64()?;
    (n >= 0.0 && n.fract() == 0.0).then_some(n as u64)
}

/// One attempt at sending a photo: `Ok(Err(message))` when the shop refused
/// it, `Err` when it should be retried. `loaded` hears how many of its bytes
/// are on their way as they go. A photo larger than [`PHOTO_PART_BYTES`]
/// goes in parts from where the shop's bytes end (`resume`, kept from one
/// attempt to the next); a shop that answers the question with a refusal
/// takes it whole.
async fn put_photo(
    url: &str,
    key: &str,
    photo: &Photo,
    resume: &std::cell::Cell<Resume>,
    loaded: impl Fn(u64) + 'static,
) -> Result<Result<(), String>, net::Failure> {
    let size = photo.meta.size;
    let loaded = std::rc::Rc::new(loaded);
    let failed = |e: JsValue| {
        e.as_string()
            .unwrap_or_else(|| "the browser could not read the photo".into())
    };
    if size <= PHOTO_PART_BYTES {
        resume.set(Resume::Whole);
    }
    loop {
        let asked = resume.get();
        let (range, body, first) = match asked {
            Resume::Whole => (None, photo.file.clone(), 0),
            Resume::Ask(confirmed) => (
                Some(format!("bytes */{size}")),
                web_sys::Blob::new().map_err(failed)?,
                confirmed,
            ),
            Resume::From(first) => {
                let end = first.saturating_add(PHOTO_PART_BYTES).min(size);
                let part = photo
                    .file
                    .slice_with_f64_and_f64(first as f64, end as f64)
                    .map_err(failed)?;
                (
                    Some(format!("bytes {first}-{}/{size}", end - 1)),
                    part,
                    first,
                )
            }
        };
        let mut headers = vec![
            ("Content-Type", photo.meta.media_type.as_str()),
            ("Idempotency-Key", key),
        ];
        if let Some(range) = &range {
            headers.push(("Content-Range", range.as_str()));
        }
        // Until the shop answers, how much of the photo it has is unknown.
        if asked != Resume::Whole {
            resume.set(Resume::Ask(asked.confirmed()));
        }
        let heard = loaded.clone();
        let (status, text, after) =
            net::put(url, &headers, &body, net::PHOTO_SILENCE_SECS, move |n| {
                heard(first + n)
            })
            .await?;
        if net::transient(status) {
            return Err(busy(status, after));
        }
        // How much the shop has, where it says so and that is news: any
        // place for an answer to the question, further on for a part taken,
        // elsewhere for a part not.
        let news = received(&text).filter(|&n| {
            n < size
                && match (asked, status) {
                    (Resume::Ask(_), 202) => true,
                    (Resume::From(first), 202) => n > first,
                    (Resume::From(first), 409) => n != first,
                    _ => false,
                }
        });
        match (news, status) {
            (Some(n), _) => resume.set(Resume::From(n)),
            (None, 200..=299) => return Ok(Ok(())),
            (None, _) if matches!(asked, Resume::Ask(_)) => resume.set(Resume::Whole),
            (None, _) => return Ok(Err(shop_message(status, &text))),
        }
    }
}

/// `part` of `whole` in whole percent, rounded down.
fn percent(part: u64, whole: u64) -> u8 {
    u8::try_from(part.saturating_mul(100) / whole.max(1)).unwrap_or(100)
}

/// Tells `uploads` where the photos of request `id` stand, `u`, while the
/// widget still shows that request (`state`) and when it is news (the bytes
/// of a photo on its way report many times the same percentage).
fn show_photos(state: RwSignal<Submission>, uploads: RwSignal<Uploads>, id: &str, u: Uploads) {
    let shown = state
        .try_with_untracked(|s| s.created() == Some(id))
        .unwrap_or(false);
    if shown && uploads.try_with_untracked(|now| *now != u).unwrap_or(false) {
        let _ = uploads.try_set(u);
    }
}

/// Sends the photos of request `id`, the one `pending` created, one by one
/// until the shop has them all or refuses one, retrying each with backoff;
/// `uploads` follows along while the widget still shows that request
/// (`state`). The page asks before it is left meanwhile: the files are only
/// in it.
async fn send_photos(
    pending: &Pending,
    id: &str,
    photos: Vec<Photo>,
    state: RwSignal<Submission>,
    uploads: RwSignal<Uploads>,
) {
    let show = |u: Uploads| show_photos(state, uploads, id, u);
    let _guard = LeaveGuard::new();
    let total = photos.len();
    let all_bytes = photos.iter().map(|p| p.meta.size).sum::<u64>().max(1);
    let mut before = 0;
    for (index, photo) in photos.iter().enumerate() {
        let url = photo_url(&pending.endpoint, id, index);
        let size = photo.meta.size;
        let sending = move |retry_in, loaded: u64| Uploads::Sending {
            sent: index,
            total,
            retry_in,
            percent: percent(before + loaded.min(size), all_bytes),
        };
        let resume = std::cell::Cell::new(Resume::Ask(0));
        let answer = net::retry(
            || {
                // A photo in parts takes up where the shop last said it was.
                show(sending(None, resume.get().confirmed()));
                let id = id.to_owned();
                let loaded = move |bytes| show_photos(state, uploads, &id, sending(None, bytes));
                put_photo(&url, &pending.key, photo, &resume, loaded)
            },
            |secs, _| show(sending(Some(secs), 0)),
            || true,
        )
        .await;
        before += photo.meta.size;
        if let Some(Err(message)) = answer {
            show(Uploads::Refused {
                name: photo.meta.name.clone(),
                message,
            });
            return;
        }
    }
    show(Uploads::Sent(
        photos.iter().map(|p| p.meta.name.clone()).collect(),
    ));
}

/// While it lives, leaving the page asks the customer first (the browser's
/// own "Leave site?" question).
struct LeaveGuard(Option<wasm_bindgen::closure::Closure<dyn Fn(web_sys::Event)>>);

impl LeaveGuard {
    fn new() -> LeaveGuard {
        let ask =
            wasm_bindgen::closure::Closure::<dyn Fn(web_sys::Event)>::new(|e: web_sys::Event| {
                e.prevent_default()
            });
        let added = web_sys::window().is_some_and(|w| {
            w.add_event_listener_with_callback("beforeunload", ask.as_ref().unchecked_ref())
                .is_ok()
        });
        LeaveGuard(added.then_some(ask))
    }
}

impl Drop for LeaveGuard {
    fn drop(&mut self) {
        if let (Some(w), Some(ask)) = (web_sys::window(), &self.0) {
            let _ =
                w.remove_event_listener_with_callback("beforeunload", ask.as_ref().unchecked_ref());
        }
    }
}

/// Stops retrying the request pending for this order, at the customer's
/// word, and forgets it: the request can be changed and sent again (with a
/// new key; should the shop have received the first after all, it holds the
/// same units and the shop refuses the second). Only between attempts.
pub fn stop(order_id: &str, state: RwSignal<Submission>) {
    if state.with_untracked(|s| matches!(s, Submission::Retrying { .. })) {
        if let Some(p) = load(order_id) {
            leptos::task::spawn_local(let_go(order_id, &p));
        }
        state.set(Submission::Idle);
    }
}

/// The signals a request's sending follows: where it stands, the order's
/// requests it joins once received (at the widget's clock `now`), where its
/// photos stand.
#[derive(Clone, Copy)]
pub struct Progress {
    /// Where the request stands.
    pub state: RwSignal<Submission>,
    /// The order's requests.
    pub requests: RwSignal<Vec<PastRequest>>,
    /// The widget's clock.
    pub now: RwSignal<DateTime<Utc>>,
    /// Where its photos stand.
    pub uploads: RwSignal<Uploads>,
}

/// Sends `pending` until the backend decides, retrying with backoff (1 s,
/// 2 s, 4 s … 30 s, or as soon as the browser is back online) with the same
/// key, then the `photos`' files once the shop received it; `progress`
/// follows along. The request is kept in `localStorage`, and its photos in
/// Cache Storage ([`crate::kept`]), until the shop has both: a widget that
/// opens after a reload [`resume`]s it.
pub fn send(order_id: String, pending: Pending, photos: Vec<Photo>, progress: Progress) {
    let kept = save(&order_id, &pending);
    deliver(order_id, pending, photos, progress, kept, None);
}

/// Sends again the request `pending` found kept for the order (a page with
/// it was left before the shop had it and its photos), then the photos
/// kept with it, as [`send`] does. Should another page (a tab, a widget)
/// be sending it, this one waits ([`crate::lock`]); if that page finished
/// or stopped it meanwhile, this one sends nothing, goes back to
/// [`Submission::Idle`] and calls `elsewhere` (to read the order's requests
/// again, say).
pub fn resume(
    order_id: String,
    pending: Pending,
    progress: Progress,
    elsewhere: impl FnOnce() + 'static,
) {
    deliver(
        order_id,
        pending,
        Vec::new(),
        progress,
        true,
        Some(Box::new(elsewhere)),
    );
}

fn deliver(
    order_id: String,
    pending: Pending,
    photos: Vec<Photo>,
    progress: Progress,
    kept: bool,
    elsewhere: Option<Box<dyn FnOnce()>>,
) {
    let Progress {
        state,
        requests,
        now,
        uploads,
    } = progress;
    state.set(Submission::Sending);
    leptos::task::spawn_local(async move {
        // One page sends an order's request at a time; a request this page
        // kept but another finished or stopped meanwhile is not sent again.
        let _held = crate::lock::hold(&storage_key(&order_id)).await;
        if kept && load(&order_id).is_none_or(|p| p.key != pending.key) {
            let _ = state.try_set(Submission::Idle);
            if let Some(elsewhere) = elsewhere {
                elsewhere();
            }
            return;
        }
        let declared = pending.attachments();
        // The customer may stop it between attempts ([`stop`]). A widget
        // that is gone cannot have: its request is still delivered.
        let retrying = move || {
            state
                .try_with_untracked(|s| matches!(s, Submission::Retrying { .. }))
                .unwrap_or(true)
        };
        let sending = net::retry(
            || {
                if retrying() {
                    let _ = state.try_set(Submission::Sending);
                }
                attempt(&pending)
            },
            |in_secs, why| {
                let _ = state.try_set(Submission::Retrying { in_secs, why, kept });
            },
            retrying,
        );
        // The photos are kept while the request goes (9 MB take 40 ms).
        let keeping = async {
            if !photos.is_empty() {
                crate::kept::keep(&pending.key, &photos).await;
            }
        };
        let ((), decided) = futures::future::join(keeping, sending).await;
        let Some(decision) = decided else {
            return;
        };
        if let Submission::Created { request_id, rma } = &decision {
            // A widget that is gone lists nothing.
            if let Some(r) = now
                .try_get_untracked()
                .and_then(|at| pending.received(request_id.clone(), rma.clone(), at))
            {
                let _ = requests.try_update(|list| {
                    if !list.iter().any(|x| x.id == r.id) {
                        list.insert(0, r);
                    }
                });
            }
        }
        // A backend that gave no id has nowhere to take photos.
        let created = decision
            .created()
            .filter(|id| !id.is_empty())
            .map(str::to_owned);
        // The photos to send: this page's, or those kept before a reload.
        let photos = match created {
            Some(_) if !photos.is_empty() => Some(photos),
            Some(_) if !declared.is_empty() => {
                crate::kept::kept(&pending.key, declared.clone()).await
            }
            _ => None,
        };
        if let Some(photos) = &photos {
            // Set first, so that whoever sees the request created knows
            // photos follow.
            let _ = uploads.try_set(Uploads::Sending {
                sent: 0,
                total: photos.len(),
                retry_in: None,
                percent: 0,
            });
        }
        // The widget may be gone; the request was still delivered.
        let _ = state.try_set(decision);
        match (created, photos) {
            (Some(id), Some(photos)) => send_photos(&pending, &id, photos, state, uploads).await,
            // Sent again after a reload, its files not kept.
            (Some(_), None) if !declared.is_empty() => {
                let count = declared.len();
                let _ = uploads.try_set(Uploads::Lost { count });
            }
            _ => {}
        }
        let_go(&order_id, &pending).await;
    });
}
