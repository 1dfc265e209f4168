//! The aftersale reference backend: it serves the shop's orders to the
//! widget, re-quotes every posted request with the same engine at its own
//! clock, stores what it accepts durably (with its idempotency key, quote,
//! policy version and payload, in one transaction), and gives the merchant a
//! token-protected view to move requests through their states.
//!
//! The HTTP surface is [`router`]; storage is the [`store::Storage`]
//! interface, with SQLite and PostgreSQL behind it.

#![warn(missing_docs)]

pub mod access;
pub mod export;
pub mod find;
pub mod intake;
pub mod merchant;
pub mod orders;
pub mod photos;
pub mod schema;
pub mod seed;
pub mod store;
pub mod webhook;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;

use aftersale_engine::capacity;
use aftersale_engine::scenario::PageData;
use aftersale_engine::{Policy, presets};
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{ConnectInfo, DefaultBodyLimit, Path, Query, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Extension, Json, Router};
use chrono::{SecondsFormat, Utc};
use serde::Deserialize;
use serde_json::json;
use tower_http::compression::CompressionLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::set_header::{SetResponseHeader, SetResponseHeaderLayer};

use access::OrderKeys;
use intake::Reply;
use merchant::{Merchants, Refusal};
use schema::PayloadSchema;
use store::{Changed, Storage, Transition};

/// What every handler shares.
pub struct AppState<S> {
    /// The database.
    pub store: S,
    /// The policies orders can be under, by id: the built-in presets and
    /// the shop's own ([`AppState::with_policy`]).
    pub policies: HashMap<String, Policy>,
    /// The payload schema.
    pub schema: PayloadSchema,
    /// Who may use the merchant view.
    pub merchants: Merchants,
    /// Whether orders need their keys ([`access`]).
    pub order_keys: OrderKeys,
    /// Woken when a request is stored or its status changes, for the
    /// webhook ([`webhook::keep_delivering`]) to send the event at once.
    pub events: Arc<tokio::sync::Notify>,
    /// Where the webhook sends events, without its path and query
    /// (`https://hooks.example`), if this server has one.
    pub webhook: Option<String>,
    /// The header a trusted proxy in front of the server names the client
    /// in (`X-Forwarded-For`), for counting a returns page's finds by
    /// client ([`find::client_of`]); none: the peer's address.
    pub client_header: Option<HeaderName>,
}

impl<S: Storage> AppState<S> {
    /// The state with the built-in policies and the published schema.
    pub fn new(store: S, merchants: Merchants) -> Result<AppState<S>, String> {
        let mut policies = HashMap::new();
        for name in presets::NAMES {
            let policy = Policy::preset(name).ok_or_else(|| format!("preset {name} is broken"))?;
            policies.insert(policy.id.clone(), policy);
        }
        Ok(AppState {
            store,
            policies,
            schema: PayloadSchema::new()?,
            merchants,
            order_keys: OrderKeys::open(),
            events: Arc::new(tokio::sync::Notify::new()),
            webhook: None,
            client_header: None,
        })
    }

    /// The same state, reading the client's address from `header`, set by
    /// a proxy the server trusts (see [`AppState::client_header`]).
    pub fn with_client_header(self, header: HeaderName) -> AppState<S> {
        AppState {
            client_header: Some(header),
            ..self
        }
    }

    /// The same state, sending events to a webhook at `host` (its origin,
    /// for the merchant view; [`webhook::keep_delivering`] sends them).
    pub fn with_webhook(self, host: String) -> AppState<S> {
        AppState {
            webhook: Some(host),
            ..self
        }
    }

    /// The same state, with orders that need their keys (or not).
    pub fn with_order_keys(self, order_keys: OrderKeys) -> AppState<S> {
        AppState { order_keys, ..self }
    }

    /// The same state with the shop's own `policy` (validated, as
    /// [`Policy::from_json`] reads it); one with the id of a preset (the
    /// shop's own edition of it) takes its place.
    pub fn with_policy(mut self, policy: Policy) -> AppState<S> {
        self.policies.insert(policy.id.clone(), policy);
        self
    }
}

/// How the HTTP side is set up.
#[derive(Clone, Debug)]
pub struct HttpConfig {
    /// Origins (`https://shop.example`, as [`origin`] writes them) whose
    /// pages may call the public API, and load the static files (the
    /// widget's module and wasm), across origins; `*` for any. Same-origin
    /// pages need no entry.
    pub allowed_origins: Vec<String>,
    /// The largest request payload accepted, in bytes (a photo may be as
    /// large as the policies' `photos.max_bytes`).
    pub body_limit: usize,
    /// A folder of static files served for every other path (the built widget
    /// and the demo shop), if any; a file's `.br` or `.gz` copy beside it is
    /// sent instead to a client that takes that encoding.
    pub static_dir: Option<std::path::PathBuf>,
}

/// Reads an origin as a browser sends it in `Origin`, for
/// [`HttpConfig::allowed_origins`]: `scheme://host[:port]`, http or https,
/// lowercase, without the scheme's default port (`HTTPS://Shop.Example:443/`
/// is `https://shop.example`); `*` stands for any origin. What no browser
/// would send (no scheme, a path, a query, a user) is an error saying so,
/// not an origin that matches nothing. An empty one (an environment
/// variable set to nothing) is none, and stays empty.
pub fn origin(text: &str) -> Result<String, String> {
    let text = text.trim();
    if text.is_empty() || text == "*" {
        return Ok(text.to_owned());
    }
    let example = "write it as scheme://host[:port], such as https://shop.example";
    let uri: axum::http::Uri = text
        .parse()
        .map_err(|_| format!("{text:?} is not an origin: {example}"))?;
    let (Some(scheme), Some(authority)) = (uri.scheme_str(), uri.authority()) else {
        return Err(format!("{text:?} is not an origin: {example}"));
    };
    let scheme = scheme.to_ascii_lowercase();
    let default_port = match scheme.as_str() {
        "https" => 443,
        "http" => 80,
        _ => return Err(format!("{text:?} is not an http(s) origin: {example}")),
    };
    if authority.as_str().contains('@') {
        return Err(format!("{text:?} has a user name: {example}"));
    }
    if !matches!(uri.path(), "" | "/") || uri.query().is_some() {
        return Err(format!(
            "{text:?} is a page, not an origin: an origin is scheme://host[:port] alone ({scheme}://{})",
            authority.as_str().to_ascii_lowercase()
        ));
    }
    let host = authority.host().to_ascii_lowercase();
    Ok(match authority.port_u16() {
        Some(port) if port != default_port => format!("{scheme}://{host}:{port}"),
        _ => format!("{scheme}://{host}"),
    })
}

/// The `Retry-After` of a 503 (storage unavailable), in seconds: as long
/// as the PostgreSQL pool waits for a connection, and long enough that
/// the widgets of an outage do not all ask again within its first second.
pub const RETRY_AFTER_SECS: u32 = 5;

fn reply(r: Reply) -> Response {
    let status = StatusCode::from_u16(r.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = (status, Json(r.body)).into_response();
    if status == StatusCode::SERVICE_UNAVAILABLE {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(RETRY_AFTER_SECS));
    }
    response
}

/// The whole HTTP surface, every answer compressed for a client that takes
/// it (but photos and tiny ones):
///
/// | route | what |
/// | --- | --- |
/// | `GET /api/health` | `{"status":"ok"}`, touching nothing (the benchmark's baseline) |
/// | `GET /api/ready` | `{"status":"ok"}` when the database answers, else 503 `{"status":"unavailable"}` (a load balancer's readiness check) |
/// | `GET /api/policies/{id}` | a policy as this server decides by it, for a widget's `data-policy-url` (`no-cache`, with an `ETag`: 304 while unchanged) |
/// | `GET /api/orders` | the orders, `[{id, policy, label}]` (the demo's list; not served when orders need keys) |
/// | `GET /api/orders/{id}?key=` | one order's page data, `{order, exchange_options, requests}`, its open exchanges counted in `exchanges_used` (`key`: the order's, when orders need keys, [`access`]) |
/// | `POST /api/find-order` | `{"order", "email"}`: the order with that number and customer's email, `{id, policy, key}`, for a returns page ([`find`]); the same 404 for an unknown number or a wrong email; 429 with `Retry-After` after 5 failures in 15 min (from the first) from one client for the number or the email, 20 from one client, or 30 from all for the number or the email |
/// | `POST /api/requests?key=` | a widget payload (`docs/payload.md`; `key` as above) |
/// | `PUT /api/requests/{id}/photos/{index}` | the file of a photo the payload declared (its sender's `Idempotency-Key`), whole or in parts (`Content-Range`, [`photos::Part`]) |
/// | `GET /merchant` | the merchant view (a page) |
/// | `GET /api/merchant/requests?status=&find=&after=&limit=` | a page of requests, newest first, with quotes, history and the statuses each may move to, and `next`, where the next page begins; `find`: those of an order id, an RMA code, a request id or a customer's email ([`store::Find`]) (bearer token) |
/// | `GET /api/merchant/requests.csv?status=&find=&decimal=` | every request the list gives, as one CSV file ([`export`]; `decimal=comma`: `5,57`, split by `;`) (bearer token) |
/// | `GET /api/merchant/requests/{id}` | one request, as the list gives it (bearer token) |
/// | `GET /api/merchant/webhook` | what the webhook has still to send: `{webhook, waiting, failing, oldest}` (bearer token) |
/// | `POST /api/merchant/webhook/send-again` | every event that failed sent again now, `{due}` (bearer token) |
/// | `GET /api/merchant/orders/{id}` | an order as stored, `{id, policy_id, label, email?, data, put?: {by, at}}` (who put this version: a merchant token's name, or `--orders`), with its `ETag` (bearer token) |
/// | `PUT /api/merchant/orders/{id}` | the order as it is now, from the shop's systems ([`orders`]; `If-Match`, `If-None-Match: *`) (bearer token) |
/// | `GET /api/merchant/requests/{id}/photos/{index}` | a photo's file (bearer token) |
/// | `POST /api/merchant/requests/{id}/status` | `{"to": status, "note"?}` (bearer token) |
pub fn router<S: Storage>(state: Arc<AppState<S>>, config: &HttpConfig) -> Router {
    let origins = if config.allowed_origins.iter().any(|o| o == "*") {
        AllowOrigin::any()
    } else {
        AllowOrigin::list(
            (config.allowed_origins.iter())
                .filter(|o| !o.is_empty())
                .filter_map(|o| HeaderValue::from_str(o.trim_end_matches('/')).ok()),
        )
    };
    let cors = CorsLayer::new()
        .allow_origin(origins)
        .allow_methods([Method::GET, Method::POST, Method::PUT])
        .allow_headers([
            header::CONTENT_TYPE,
            header::CONTENT_RANGE,
            "idempotency-key".parse().unwrap(),
        ])
        // The widget on a shop's page keeps this server's clock where the
        // browser's is off (the server decides by its own), and waits as
        // long as a 503's `Retry-After` says.
        .expose_headers([header::DATE, header::AGE, header::RETRY_AFTER])
        .max_age(std::time::Duration::from_secs(600));
    // A photo may be as large as the largest the policies take.
    let photo_limit = state
        .policies
        .values()
        .map(|p| usize::try_from(p.photos.max_bytes).unwrap_or(usize::MAX))
        .max()
        .unwrap_or(0)
        .max(config.body_limit);
    let public = Router::new()
        .route("/api/policies/{id}", get(get_policy::<S>))
        .route("/api/orders", get(list_orders::<S>))
        .route("/api/find-order", post(find_order::<S>))
        .route("/api/orders/{id}", get(get_order::<S>))
        .route("/api/requests", post(post_request::<S>))
        .route(
            "/api/requests/{id}/photos/{index}",
            put(put_photo::<S>).layer(DefaultBodyLimit::max(photo_limit)),
        )
        .layer(cors.clone());
    let merchant = Router::new()
        .route("/api/merchant/requests", get(merchant_list::<S>))
        .route("/api/merchant/requests.csv", get(merchant_csv::<S>))
        .route("/api/merchant/requests/{id}", get(merchant_one::<S>))
        .route("/api/merchant/webhook", get(merchant_webhook::<S>))
        .route(
            "/api/merchant/webhook/send-again",
            post(merchant_send_again::<S>),
        )
        .route(
            "/api/merchant/orders/{id}",
            get(merchant_order::<S>).put(put_order::<S>),
        )
        .route(
            "/api/merchant/requests/{id}/photos/{index}",
            get(merchant_photo::<S>),
        )
        .route(
            "/api/merchant/requests/{id}/status",
            post(merchant_status::<S>),
        )
        // Customers' emails, orders and photos: kept by no cache, the
        // browser's included, once the merchant has seen them.
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ));
    let mut app = Router::new()
        .route(
            "/api/health",
            get(|| async { Json(json!({ "status": "ok" })) }),
        )
        .route("/api/ready", get(ready::<S>))
        .route(
            "/merchant",
            get(|| async { (MERCHANT_PAGE_HEADERS, Html(MERCHANT_PAGE)) }),
        )
        .merge(public)
        .merge(merchant)
        .layer(DefaultBodyLimit::max(config.body_limit))
        .with_state(state);
    if let Some(dir) = &config.static_dir {
        // A file compressed beside it (`x.wasm.br`, `x.wasm.gz`, as Trunk's
        // build writes them with `brotli -q 11`) goes as it is to a client
        // that takes it: 219 KB of the widget's wasm rather than the 265 KB
        // compressing it on the fly gives.
        let files = tower_http::services::ServeDir::new(dir)
            .precompressed_br()
            .precompressed_gzip();
        // The widget's files keep their names from build to build (a shop
        // embeds them by name), so a browser asks again on every load (a
        // 304 while unchanged) rather than guessing how long its copy stays
        // fresh: the JS glue of one build and the wasm of another do not
        // work together. A shop's page on an allowed origin may load them
        // from here: a module script and the wasm it fetches are asked for
        // in CORS mode, and without the header the browser runs neither.
        let files = Router::new()
            .fallback_service(SetResponseHeader::if_not_present(
                files,
                header::CACHE_CONTROL,
                HeaderValue::from_static("no-cache"),
            ))
            .layer(cors);
        app = app.fallback_service(files);
    }
    // Brotli or gzip where the client takes it: a page of the merchant
    // list is mostly the same words again, and a static file with no
    // compressed copy beside it is compressed as it goes. Photos, small
    // answers and what is compressed already go as they are.
    app.layer(CompressionLayer::new())
}

/// The merchant view's page.
const MERCHANT_PAGE: &str = include_str!("../assets/merchant.html");

/// The merchant view is drawn in no other site's frame, where its buttons
/// (approve, refund) could be clicked through a page laid over them, and
/// sends no address on to the sites its links lead to.
const MERCHANT_PAGE_HEADERS: [(header::HeaderName, &str); 3] = [
    (header::CONTENT_SECURITY_POLICY, "frame-ancestors 'none'"),
    (header::X_FRAME_OPTIONS, "DENY"),
    (header::REFERRER_POLICY, "no-referrer"),
];

async fn get_policy<S: Storage>(
    State(state): State<Arc<AppState<S>>>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let Some(policy) = state.policies.get(&id) else {
        return reply(Reply::invalid(404, "id", format!("no policy {id:?}")));
    };
    let body = match serde_json::to_vec(policy) {
        Ok(body) => body,
        Err(e) => return reply(Reply::internal(e.to_string())),
    };
    // Not kept by the browser without asking (the shop may publish a new
    // version, and a widget quoting by the old one would see its requests
    // answered 409); asking again costs a 304 while it is the same. Weak,
    // as the same policy goes out compressed or not.
    let etag = format!("W/\"{}\"", &intake::digest(&body)[..32]);
    let cached = [
        (header::CACHE_CONTROL, "no-cache".to_owned()),
        (header::ETAG, etag.clone()),
    ];
    let same = headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|tag| tag.trim() == etag || tag.trim() == "*");
    if same {
        return (StatusCode::NOT_MODIFIED, cached).into_response();
    }
    (
        cached,
        [(header::CONTENT_TYPE, "application/json".to_owned())],
        body,
    )
        .into_response()
}

async fn ready<S: Storage>(State(state): State<Arc<AppState<S>>>) -> Response {
    match state.store.ping().await {
        Ok(()) => Json(json!({ "status": "ok" })).into_response(),
        Err(e) => reply(Reply::unavailable(e)),
    }
}

async fn list_orders<S: Storage>(State(state): State<Arc<AppState<S>>>) -> Response {
    if !state.order_keys.is_open() {
        return reply(Reply::invalid(
            403,
            "key",
            "orders are read one at a time with their keys here, not listed",
        ));
    }
    match state.store.orders().await {
        Ok(orders) => Json(
            orders
                .into_iter()
                .map(|o| json!({ "id": o.id, "policy": o.policy_id, "label": o.label }))
                .collect::<Vec<_>>(),
        )
        .into_response(),
        Err(e) => reply(Reply::unavailable(e)),
    }
}

async fn get_order<S: Storage>(
    State(state): State<Arc<AppState<S>>>,
    Path(id): Path<String>,
    Query(query): Query<Vec<(String, String)>>,
) -> Response {
    if let Err(r) = state.order_keys.check(&id, key_of(&query)) {
        return reply(r);
    }
    let order = match state.store.order(id.clone()).await {
        Ok(Some(o)) => o,
        Ok(None) => return reply(Reply::invalid(404, "id", format!("no order {id:?}"))),
        Err(e) => return reply(Reply::unavailable(e)),
    };
    let requests = match state.store.order_requests(id).await {
        Ok(list) => list,
        Err(e) => return reply(Reply::unavailable(e)),
    };
    // The order as its open requests left it, as a new request is quoted
    // against it (`intake`), and its requests for the page to list; data that
    // does not read is served as stored, for the widget to name what is wrong
    // with it.
    match serde_json::from_value::<PageData>(order.data.clone()) {
        Ok(mut data) => {
            data.requests = store::page_requests(&requests);
            capacity::apply(&mut data.order, &store::open_holdings(&data.requests));
            Json(data).into_response()
        }
        Err(_) => Json(order.data).into_response(),
    }
}

async fn find_order<S: Storage>(
    State(state): State<Arc<AppState<S>>>,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let body = match read_body(body).and_then(|b| json_body(&headers).map(|()| b)) {
        Ok(b) => b,
        Err(r) => return reply(r),
    };
    let forwarded = (state.client_header.as_ref())
        .and_then(|name| headers.get(name))
        .and_then(|v| v.to_str().ok());
    let client = find::client_of(peer.map(|Extension(ConnectInfo(a))| a.ip()), forwarded);
    let answer = find::find(&state, &body, &client, Utc::now()).await;
    let wait = answer.body["retry_after"].as_u64();
    let mut response = reply(answer);
    if let Some(secs) = wait {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(secs));
    }
    // What the customer typed is answered for them alone.
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// The order's key in a query (`?key=`), if given.
fn key_of(query: &[(String, String)]) -> Option<&str> {
    query
        .iter()
        .find(|(k, _)| k == "key")
        .map(|(_, v)| v.as_str())
}

async fn post_request<S: Storage>(
    State(state): State<Arc<AppState<S>>>,
    headers: HeaderMap,
    Query(query): Query<Vec<(String, String)>>,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let body = match read_body(body) {
        Ok(b) => b,
        Err(r) => return reply(r),
    };
    if let Err(r) = json_body(&headers) {
        return reply(r);
    }
    let key = headers.get("idempotency-key").and_then(|v| v.to_str().ok());
    let order_key = key_of(&query);
    reply(intake::submit(&state, key, order_key, &body, Utc::now()).await)
}

/// The body, or the answer to a body that could not be read.
fn read_body(body: Result<Bytes, BytesRejection>) -> Result<Bytes, Reply> {
    match body {
        Ok(b) => Ok(b),
        Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => Err(Reply::invalid(
            413,
            "body",
            "the request body is larger than this server accepts",
        )),
        Err(e) => Err(Reply::invalid(400, "body", e.body_text())),
    }
}

async fn put_photo<S: Storage>(
    State(state): State<Arc<AppState<S>>>,
    Path((id, index)): Path<(String, String)>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let body = match read_body(body) {
        Ok(b) => b,
        Err(r) => return reply(r),
    };
    reply(photos::receive(&state, &id, &index, &headers, &body, Utc::now()).await)
}

async fn merchant_photo<S: Storage>(
    State(state): State<Arc<AppState<S>>>,
    headers: HeaderMap,
    Path((id, index)): Path<(String, String)>,
) -> Response {
    if let Err(r) = merchant_name(&state, &headers) {
        return reply(r);
    }
    let missing = || {
        reply(Reply::invalid(
            404,
            "index",
            format!("no photo {index:?} of request {id:?}"),
        ))
    };
    let Ok(i) = index.parse::<u32>() else {
        return missing();
    };
    match state.store.photo(id.clone(), i).await {
        Ok(Some((photo, bytes))) => (
            [
                (header::CONTENT_TYPE, photo.media_type),
                // What was declared, never what a browser would guess; and
                // opened on its own, it runs nothing.
                (header::X_CONTENT_TYPE_OPTIONS, "nosniff".into()),
                (
                    header::CONTENT_SECURITY_POLICY,
                    "default-src 'none'; sandbox".into(),
                ),
                (header::CACHE_CONTROL, "private, no-store".into()),
            ],
            bytes,
        )
            .into_response(),
        Ok(None) => missing(),
        Err(e) => reply(Reply::unavailable(e)),
    }
}

/// How many of the failing events the merchant view is shown.
const BACKLOG_SHOWN: u32 = 10;

/// What the webhook has still to send: where it sends (null: this server
/// has no webhook; events kept from a start that had one wait for the next
/// such start), how many events wait, how many of them failed, and the
/// oldest of those with why.
async fn merchant_webhook<S: Storage>(
    State(state): State<Arc<AppState<S>>>,
    headers: HeaderMap,
) -> Response {
    if let Err(r) = merchant_name(&state, &headers) {
        return reply(r);
    }
    match state.store.webhook_backlog(BACKLOG_SHOWN).await {
        Ok(backlog) => Json(json!({
            "webhook": state.webhook,
            "waiting": backlog.waiting,
            "failing": backlog.failing,
            "oldest": backlog.oldest.iter().map(|u| {
                let mut value = json!(u);
                value["id"] = json!(format!("{}/{}", u.request_id, u.seq));
                value
            }).collect::<Vec<_>>(),
        }))
        .into_response(),
        Err(e) => reply(Reply::unavailable(e)),
    }
}

/// Every event that failed made due now, and the sender woken: for a
/// merchant who fixed the receiver and would otherwise wait up to 6 h.
async fn merchant_send_again<S: Storage>(
    State(state): State<Arc<AppState<S>>>,
    headers: HeaderMap,
) -> Response {
    let name = match merchant_name(&state, &headers) {
        Ok(name) => name,
        Err(r) => return reply(r),
    };
    if state.webhook.is_none() {
        return reply(Reply::invalid(
            409,
            "webhook",
            "this server sends no webhook: start it with --webhook-url and --webhook-secret",
        ));
    }
    let now = Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true);
    match state.store.send_again(now).await {
        Ok(due) => {
            eprintln!(
                "aftersale-server: webhook: {name} asked for the {due} failed event(s) to be sent again now"
            );
            state.events.notify_one();
            Json(json!({ "due": due })).into_response()
        }
        Err(e) => reply(Reply::unavailable(e)),
    }
}

/// An order as stored, with its `ETag`.
async fn merchant_order<S: Storage>(
    State(state): State<Arc<AppState<S>>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    if let Err(r) = merchant_name(&state, &headers) {
        return reply(r);
    }
    match state.store.order(id.clone()).await {
        Ok(Some(order)) => with_etag(Json(&order).into_response(), &order),
        Ok(None) => reply(Reply::invalid(404, "id", format!("no order {id:?}"))),
        Err(e) => reply(Reply::unavailable(e)),
    }
}

/// Puts the order as the shop's systems say it is now ([`orders`]).
async fn put_order<S: Storage>(
    State(state): State<Arc<AppState<S>>>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let checked = merchant_name(&state, &headers).and_then(|name| {
        let body = read_body(body)?;
        json_body(&headers)?;
        let expect = orders::expect(&headers)?;
        let mut order = orders::read(&id, &body, &state.policies)?;
        order.put = Some(store::PutBy::now(name));
        Ok((order, expect))
    });
    let (order, expect) = match checked {
        Ok(put) => put,
        Err(r) => return reply(r),
    };
    match state.store.put_order(order.clone(), expect.clone()).await {
        Ok(put @ (store::Put::Created | store::Put::Replaced)) => {
            let created = put == store::Put::Created;
            let mut response = with_etag(reply(orders::answer(&order, &expect, put)), &order);
            if created {
                let location = format!("/api/merchant/orders/{}", path_segment(&id));
                if let Ok(value) = HeaderValue::from_str(&location) {
                    response.headers_mut().insert(header::LOCATION, value);
                }
            }
            response
        }
        Ok(put) => reply(orders::answer(&order, &expect, put)),
        Err(e) => reply(Reply::unavailable(e)),
    }
}

/// `text` as one segment of a URL's path: every byte but an unreserved
/// one (RFC 3986: letters, digits, `-._~`) percent-encoded.
fn path_segment(text: &str) -> String {
    const RESERVED: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~');
    percent_encoding::utf8_percent_encode(text, RESERVED).to_string()
}

/// A response with the order's `ETag`.
fn with_etag(mut response: Response, order: &store::StoredOrder) -> Response {
    if let Ok(tag) = HeaderValue::from_str(&order.etag()) {
        response.headers_mut().insert(header::ETAG, tag);
    }
    response
}

/// Whether the body is sent as JSON (`application/json`, any parameters).
fn json_body(headers: &HeaderMap) -> Result<(), Reply> {
    let json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(';')
                .next()
                .is_some_and(|m| m.trim().eq_ignore_ascii_case("application/json"))
        });
    if json {
        Ok(())
    } else {
        Err(Reply::invalid(
            415,
            "Content-Type",
            "send the body as application/json",
        ))
    }
}

fn merchant_name<S>(state: &AppState<S>, headers: &HeaderMap) -> Result<String, Reply> {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    match token.and_then(|t| state.merchants.who(t.trim())) {
        Some(name) => Ok(name.to_owned()),
        None => Err(Reply::invalid(
            401,
            "Authorization",
            "send the merchant token as `Authorization: Bearer <token>`",
        )),
    }
}

/// How many requests a page of the merchant list has unless `limit` says.
pub const PAGE_DEFAULT: u32 = 50;

/// The most a page of the merchant list may have.
pub const PAGE_MAX: u32 = 200;

/// Reads the merchant list's query, `status`, `after` and `limit`, each
/// checked, with a clear error naming the part at fault.
fn request_query(params: &[(String, String)]) -> Result<store::RequestQuery, Reply> {
    let mut query = store::RequestQuery::first(PAGE_DEFAULT);
    for (i, (name, value)) in params.iter().enumerate() {
        // `status=requested&status=approved` would show the approved ones
        // alone, as if the list had no requested ones.
        if params[..i].iter().any(|(seen, _)| seen == name) {
            return Err(Reply::invalid(
                400,
                name,
                "given twice: the list takes one of each (one status at a time)",
            ));
        }
        match name.as_str() {
            "status" if value.is_empty() => {}
            "status" if merchant::STATUSES.contains(&value.as_str()) => {
                query.status = Some(value.clone())
            }
            "status" => {
                return Err(Reply::invalid(
                    400,
                    "status",
                    format!(
                        "{value:?} is not a status (one of {})",
                        merchant::STATUSES.join(", ")
                    ),
                ));
            }
            "find" if value.trim().chars().count() > store::Find::MAX_CHARS => {
                return Err(Reply::invalid(
                    400,
                    "find",
                    format!(
                        "longer than {} characters: give an order id, an RMA code, a request id or an email",
                        store::Find::MAX_CHARS
                    ),
                ));
            }
            "find" => query.find = store::Find::new(value),
            "after" => {
                query.after = Some(store::Cursor::parse(value).ok_or_else(|| {
                    Reply::invalid(
                        400,
                        "after",
                        "not where a page ended: give the `next` of the page before",
                    )
                })?)
            }
            "limit" => {
                query.limit = value
                    .parse()
                    .ok()
                    .filter(|n| (1..=PAGE_MAX).contains(n))
                    .ok_or_else(|| {
                        Reply::invalid(
                            400,
                            "limit",
                            format!("{value:?} is not a whole number from 1 to {PAGE_MAX}"),
                        )
                    })?
            }
            _ => {
                return Err(Reply::invalid(
                    400,
                    name,
                    "not a parameter of this list (status, find, after, limit)",
                ));
            }
        }
    }
    Ok(query)
}

async fn merchant_list<S: Storage>(
    State(state): State<Arc<AppState<S>>>,
    headers: HeaderMap,
    Query(params): Query<Vec<(String, String)>>,
) -> Response {
    let query = match merchant_name(&state, &headers).and_then(|_| request_query(&params)) {
        Ok(query) => query,
        Err(r) => return reply(r),
    };
    match state.store.requests(query).await {
        Ok(page) => Json(json!({
            "requests": page.requests.into_iter().map(with_next).collect::<Vec<_>>(),
            "next": page.next.map(|c| c.to_text()),
        }))
        .into_response(),
        Err(e) => reply(Reply::unavailable(e)),
    }
}

/// Every request the list's `status` and `find` give, newest first, as
/// one CSV file ([`export`]), read from the store a page at a time.
async fn merchant_csv<S: Storage>(
    State(state): State<Arc<AppState<S>>>,
    headers: HeaderMap,
    Query(params): Query<Vec<(String, String)>>,
) -> Response {
    let whole = |params: &[(String, String)]| {
        if let Some((name, _)) = params.iter().find(|(n, _)| n == "after" || n == "limit") {
            return Err(Reply::invalid(
                400,
                name,
                "the file holds every request the list would: give only status, find and decimal",
            ));
        }
        let (decimal, list): (Vec<_>, Vec<_>) =
            params.iter().cloned().partition(|(n, _)| n == "decimal");
        let decimal = match decimal.as_slice() {
            [] => export::Decimal::Point,
            [(_, text)] => export::Decimal::parse(text).ok_or_else(|| {
                Reply::invalid(
                    400,
                    "decimal",
                    format!("{text:?} is neither point (5.57, split by commas) nor comma (5,57, split by semicolons)"),
                )
            })?,
            _ => return Err(Reply::invalid(400, "decimal", "given twice")),
        };
        Ok((request_query(&list)?, decimal))
    };
    let (mut query, decimal) = match merchant_name(&state, &headers).and_then(|_| whole(&params)) {
        Ok(asked) => asked,
        Err(r) => return reply(r),
    };
    query.limit = PAGE_MAX;
    let mut file = Vec::new();
    let mut written = export::begin(&mut file, decimal);
    while written.is_ok() {
        let page = match state.store.requests(query.clone()).await {
            Ok(page) => page,
            Err(e) => return reply(Reply::unavailable(e)),
        };
        written = export::rows(&mut file, &page.requests, decimal);
        match page.next {
            Some(next) => query.after = Some(next),
            None => break,
        }
    }
    if let Err(e) = written {
        eprintln!("aftersale-server: the CSV file could not be written: {e}");
        return reply(Reply::invalid(
            500,
            "file",
            "the CSV file could not be written",
        ));
    }
    let name = format!("aftersale-requests-{}.csv", Utc::now().format("%Y-%m-%d"));
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        file,
    )
        .into_response()
}

async fn merchant_one<S: Storage>(
    State(state): State<Arc<AppState<S>>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    if let Err(r) = merchant_name(&state, &headers) {
        return reply(r);
    }
    match state.store.request(id.clone()).await {
        Ok(Some(r)) => Json(with_next(r)).into_response(),
        Ok(None) => reply(Reply::invalid(404, "id", format!("no request {id:?}"))),
        Err(e) => reply(Reply::unavailable(e)),
    }
}

/// A request as the merchant API gives it: the record and `next`, the
/// statuses it may move to now (so the page offers only those).
pub(crate) fn with_next(r: store::RequestRecord) -> serde_json::Value {
    let next = merchant::next(&r);
    let mut value = serde_json::to_value(r).unwrap_or_default();
    value["next"] = json!(next);
    value
}

/// The body of `POST /api/merchant/requests/{id}/status`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StatusChange {
    to: String,
    #[serde(default)]
    note: Option<String>,
}

async fn merchant_status<S: Storage>(
    State(state): State<Arc<AppState<S>>>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let actor = match merchant_name(&state, &headers) {
        Ok(a) => a,
        Err(r) => return reply(r),
    };
    let change: StatusChange =
        match Reply::read_json(&body, r#"send {"to": status, "note"?: text}"#) {
            Ok(c) => c,
            Err(r) => return reply(r),
        };
    let record = match state.store.request(id.clone()).await {
        Ok(Some(r)) => r,
        Ok(None) => return reply(Reply::invalid(404, "id", format!("no request {id:?}"))),
        Err(e) => return reply(Reply::unavailable(e)),
    };
    match merchant::check(&record, &change.to) {
        Ok(()) => {}
        Err(Refusal::Unknown(m) | Refusal::Order(m)) => {
            return reply(Reply::invalid(400, "to", m));
        }
        Err(Refusal::Policy(m)) => {
            return reply(Reply {
                status: 422,
                body: json!({ "status": "refused", "field": "to", "message": m }),
            });
        }
    }
    let transition = Transition {
        request_id: id.clone(),
        from: record.status.clone(),
        to: change.to,
        actor,
        note: change.note.filter(|n| !n.trim().is_empty()),
        at: Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true),
    };
    let changed = state.store.transition(transition).await;
    if let Ok(Changed::Done) = changed {
        state.events.notify_one();
    }
    match changed {
        Ok(Changed::Done) => match state.store.request(id).await {
            Ok(Some(r)) => Json(with_next(r)).into_response(),
            Ok(None) => reply(Reply::invalid(404, "id", "the request vanished")),
            Err(e) => reply(Reply::unavailable(e)),
        },
        Ok(Changed::NotFound) => reply(Reply::invalid(404, "id", format!("no request {id:?}"))),
        Ok(Changed::Moved(now)) => reply(Reply::invalid(
            409,
            "to",
            format!("the request became {now} meanwhile; reload and decide again"),
        )),
        Err(e) => reply(Reply::unavailable(e)),
    }
}

#[cfg(test)]
mod tests {
    use super::origin;

    #[test]
    fn an_origin_is_read_as_a_browser_sends_it_and_anything_else_is_named() {
        let read = [
            ("https://shop.example", "https://shop.example"),
            ("https://shop.example/", "https://shop.example"),
            (" HTTPS://Shop.Example:443/ ", "https://shop.example"),
            ("http://shop.example:80", "http://shop.example"),
            ("http://localhost:8097", "http://localhost:8097"),
            ("https://shop.example:8443", "https://shop.example:8443"),
            ("http://[::1]:8080", "http://[::1]:8080"),
            ("*", "*"),
            ("", ""),
        ];
        for (text, wanted) in read {
            assert_eq!(origin(text).as_deref(), Ok(wanted), "{text:?}");
        }
        let refused = [
            ("shop.example", "is not an origin"),
            ("https://", "is not an origin"),
            ("ftp://shop.example", "is not an http(s) origin"),
            ("https://ana@shop.example", "has a user name"),
            ("https://shop.example/returns", "is a page, not an origin"),
            ("https://shop.example?x=1", "is a page, not an origin"),
            (
                "https://shop.example, https://b.example",
                "is not an origin",
            ),
        ];
        for (text, wanted) in refused {
            let error = origin(text).expect_err(text);
            assert!(error.contains(wanted), "{text:?}: {error}");
            assert!(error.contains(&format!("{text:?}")), "{error}");
        }
    }
}
