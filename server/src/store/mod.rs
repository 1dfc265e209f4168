//! Where the server keeps orders, requests and their history: one interface
//! ([`Storage`]), two implementations: SQLite (the default, one file) and
//! PostgreSQL (selected by a `postgres://` `DATABASE_URL`).

pub mod postgres;
pub mod sqlite;
pub(crate) mod tls;

use std::future::Future;

use serde::{Deserialize, Serialize};

use aftersale_engine::Request;
use aftersale_engine::capacity::{Holding, Overdrawn};
use aftersale_engine::scenario::{PastRequest, RequestLine};

/// An order as the server keeps it: the widget's page data (the order and
/// the exchange options offered for it) and the policy it was sold under.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct StoredOrder {
    /// The order id.
    pub id: String,
    /// The id of the policy the order was sold under (a built-in preset or
    /// one of the shop's own).
    pub policy_id: String,
    /// A short description for the demo's order list.
    pub label: String,
    /// `{"order": ..., "exchange_options": [...]}`, as `GET /api/orders/{id}` serves it.
    pub data: serde_json::Value,
    /// The customer's email, as the shop's systems know it: with the order
    /// number, what finds the order on a returns page (`POST
    /// /api/orders/find`, [`crate::find`]). Never served to the widget.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Who put this version and when, as the store records it (none for
    /// the demo's seed and versions from before the record); read from no
    /// file or body, and not part of the [`StoredOrder::etag`].
    #[serde(skip_deserializing, skip_serializing_if = "Option::is_none")]
    pub put: Option<PutBy>,
}

/// Who put a version of an order, and when.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct PutBy {
    /// The merchant token's name of the system or person that put it
    /// (`oms`), or `--orders` for the file read at start.
    pub by: String,
    /// When (RFC 3339).
    pub at: String,
}

impl PutBy {
    /// `by` at `now`.
    pub fn now(by: impl Into<String>) -> PutBy {
        PutBy {
            by: by.into(),
            at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        }
    }
}

/// The columns of `orders` that [`StoredOrder`] is read from, in its
/// fields' order.
pub(crate) const ORDER_COLUMNS: &str = "id, policy_id, label, data, email, put_by, put_at";

/// An order's `put_by` and `put_at` columns read as its [`PutBy`].
pub(crate) fn put_by(by: Option<String>, at: Option<String>) -> Option<PutBy> {
    Some(PutBy { by: by?, at: at? })
}

impl NewRequest {
    /// Whether `order` (the one stored now) is the one the request was
    /// quoted against.
    pub fn quoted_against(&self, order: Option<&StoredOrder>) -> bool {
        order.is_some_and(|o| o.policy_id == self.data.policy_id && o.data == self.order_data)
    }
}

impl StoredOrder {
    /// The order's entity tag, as HTTP's `ETag` gives it (with its quotes):
    /// the first 16 bytes of the SHA-256 of its policy, label, data and email, in
    /// hex. Equal for equal orders, whichever server computes it.
    pub fn etag(&self) -> String {
        use sha2::{Digest, Sha256};
        // An order without an email keeps the tag it had before orders had
        // one.
        let text = match &self.email {
            None => serde_json::json!([self.policy_id, self.label, self.data]),
            Some(email) => serde_json::json!([self.policy_id, self.label, self.data, email]),
        }
        .to_string();
        format!(
            "\"{}\"",
            hex::encode(&Sha256::digest(text.as_bytes())[..16])
        )
    }

    /// The ids and quantities of the order's lines, as its data has them
    /// (none where the data has no such list).
    pub fn lines(&self) -> Vec<(String, u32)> {
        let lines = self.data["order"]["lines"].as_array();
        lines
            .into_iter()
            .flatten()
            .filter_map(|l| {
                let quantity = u32::try_from(l["quantity"].as_u64()?).ok()?;
                Some((l["id"].as_str()?.to_owned(), quantity))
            })
            .collect()
    }
}

/// What the shop's systems expect of the order stored under the id they
/// put one at (HTTP's `If-Match` and `If-None-Match`).
#[derive(Clone, Debug, PartialEq)]
pub enum Expect {
    /// Nothing: the order is put whether or not one is stored.
    Any,
    /// That none is stored yet (`If-None-Match: *`).
    Absent,
    /// That one is stored (`If-Match: *`).
    Present,
    /// That the one stored has one of these tags ([`StoredOrder::etag`]).
    Tagged(Vec<String>),
}

impl Expect {
    /// Whether the order stored now (if any) is what was expected.
    pub fn met(&self, stored: Option<&StoredOrder>) -> bool {
        match (self, stored) {
            (Expect::Any, _) => true,
            (Expect::Absent, found) => found.is_none(),
            (Expect::Present, found) => found.is_some(),
            (Expect::Tagged(tags), Some(o)) => tags.contains(&o.etag()),
            (Expect::Tagged(_), None) => false,
        }
    }
}

/// What putting one order came to ([`Storage::put_order`]).
#[derive(Clone, Debug, PartialEq)]
pub enum Put {
    /// Stored; none was before.
    Created,
    /// Stored in place of the one before.
    Replaced,
    /// Not stored: the order stored is not what was expected; its tag now
    /// (none: no order is stored).
    Unmet(Option<String>),
    /// Not stored: it would leave out units the order's requests name.
    Named(Named),
}

/// Units of an order that one of its requests names, which a new version
/// of the order would leave out.
#[derive(Clone, Debug, PartialEq)]
pub struct Named {
    /// The order line.
    pub line: String,
    /// How many units of it the order's open requests hold together (0:
    /// the request names the line, but the shop rejected it).
    pub held: u32,
    /// How many the new version has (0: the line is gone).
    pub left: u32,
    /// The request: its RMA code if it has one, else its id.
    pub request: String,
}

/// Whether `order` keeps what its stored `requests` name, as the order's
/// page lists them ([`page_requests`]): every line any of them names (a
/// rejected one too: it is still listed by its lines), with at least the
/// units the open ones hold together; if not, the first line it would leave
/// out and the newest request naming it.
pub fn keeps(order: &StoredOrder, requests: &[OrderRequest]) -> Result<(), Named> {
    let lines = order.lines();
    let listed = page_requests(requests);
    let open = open_holdings(&listed);
    for past in &listed {
        for line in &past.lines {
            let held = aftersale_engine::capacity::held(&open, &line.line_id);
            let left = lines
                .iter()
                .find(|(id, _)| *id == line.line_id)
                .map(|(_, q)| *q);
            if left.is_none_or(|left| left < held) {
                return Err(Named {
                    line: line.line_id.clone(),
                    held,
                    left: left.unwrap_or(0),
                    request: past.rma.clone().unwrap_or_else(|| past.id.clone()),
                });
            }
        }
    }
    Ok(())
}

/// An answer the server gave to a request, kept under its idempotency key.
#[derive(Clone, Debug, PartialEq)]
pub struct StoredAnswer {
    /// SHA-256 of the body the answer was given to, hex.
    pub body_sha256: String,
    /// The HTTP status.
    pub status: u16,
    /// The JSON body.
    pub body: String,
}

/// What is stored of a request when it is accepted, and read back with it.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct RequestData {
    /// The request id.
    pub id: String,
    /// The order it is for.
    pub order_id: String,
    /// `cancel`, `return`, `exchange` or `claim`.
    pub kind: String,
    /// The policy the server quoted with.
    pub policy_id: String,
    /// The version of the policy.
    pub policy_version: String,
    /// The RMA code, when the policy's steps ask for one.
    pub rma: Option<String>,
    /// The request as the engine read it (JSON).
    pub request: serde_json::Value,
    /// The server's quote (equal to the customer's).
    pub quote: serde_json::Value,
    /// The payload as posted.
    pub payload: serde_json::Value,
    /// The order as it was when the request was quoted.
    pub order_snapshot: serde_json::Value,
    /// When the server accepted it (RFC 3339).
    pub created_at: String,
}

/// A request accepted by the server, ready to be stored.
#[derive(Clone, Debug)]
pub struct NewRequest {
    /// What is stored of it.
    pub data: RequestData,
    /// What the request holds of the order (its units, or the whole order).
    pub holding: Holding,
    /// The `Idempotency-Key` it came with, and the answer to keep under it.
    pub idempotency_key: String,
    /// The answer for the key.
    pub answer: StoredAnswer,
    /// The data of the order the request was quoted against
    /// ([`StoredOrder::data`]); it is stored only if that is still the
    /// order's, under the policy it was quoted by.
    pub order_data: serde_json::Value,
    /// How many open exchanges the order had when the request was quoted
    /// ([`aftersale_engine::capacity::exchanges`]); a new exchange is stored only if
    /// that is still the number.
    pub exchanges_quoted: u32,
}

/// What storing a new request came to.
#[derive(Debug)]
pub enum Created {
    /// Stored, in one transaction with its idempotency answer and first event.
    Stored,
    /// Another request with the same key was stored first: its answer.
    Replay(StoredAnswer),
    /// The units are already asked for by other open requests.
    Overdrawn(Overdrawn),
    /// The order is no longer the one quoted (the shop put a new version of
    /// it meanwhile, or it is gone): quote again.
    OrderChanged,
}

/// One change of a request's status.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Event {
    /// The status before (`null` for the request's creation).
    pub from: Option<String>,
    /// The status after.
    pub to: String,
    /// Who made the change (`customer`, or the merchant token's name).
    pub actor: String,
    /// A note given with the change.
    pub note: Option<String>,
    /// When (RFC 3339).
    pub at: String,
}

/// A stored request with its history, as the merchant view lists it.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct RequestRecord {
    /// What was stored when it was accepted.
    #[serde(flatten)]
    pub data: RequestData,
    /// The current status.
    pub status: String,
    /// Every status change, oldest first.
    pub events: Vec<Event>,
    /// The photos received for the payload's `attachments`, by index.
    #[serde(default)]
    pub photos: Vec<Photo>,
}

/// A photo the customer's browser sent for one of the attachments its
/// request declared (`payload.attachments[index]`), without its bytes.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Photo {
    /// Which of the payload's attachments it is, from 0.
    pub index: u32,
    /// The file name, as declared.
    pub name: String,
    /// The media type, as declared and sent.
    #[serde(rename = "type")]
    pub media_type: String,
    /// Its size in bytes.
    pub size: u64,
    /// SHA-256 of its bytes, hex.
    pub sha256: String,
    /// When the server stored it (RFC 3339).
    pub received_at: String,
}

/// What storing a photo came to.
#[derive(Debug, PartialEq)]
pub enum PhotoStored {
    /// Stored.
    Stored,
    /// The same bytes were stored before (a retry): nothing changed.
    Same,
    /// Other bytes are stored for that attachment: nothing changed.
    Different,
    /// No such request.
    NoRequest,
}

/// What storing a part of a photo came to (a large photo is sent in parts,
/// so that a connection lost half way costs a part, not the photo).
#[derive(Debug, PartialEq)]
pub enum PartStored {
    /// Appended: this many of the photo's bytes are in now.
    Appended(u64),
    /// The part does not start where the bytes in end (this many of them):
    /// nothing changed.
    Elsewhere(u64),
    /// The photo is stored whole already: nothing changed.
    Whole,
    /// No such request.
    NoRequest,
}

/// How much of a photo the server has.
#[derive(Debug, PartialEq)]
pub enum Received {
    /// The photo, stored whole.
    Whole,
    /// This many of its first bytes, in parts (0 for none).
    Bytes(u64),
}

/// A request of one order, as its page lists it.
#[derive(Clone, Debug, PartialEq)]
pub struct OrderRequest {
    /// The request id.
    pub id: String,
    /// The current status.
    pub status: String,
    /// When it was accepted (RFC 3339).
    pub created_at: String,
    /// Its RMA code, if it has one.
    pub rma: Option<String>,
    /// The request as stored (JSON text of a [`aftersale_engine::Request`]).
    pub request: String,
}

/// The order's requests as its page lists them ([`PastRequest`]), newest
/// first; a row that no longer reads as a request (written by an older
/// server) is not listed and holds nothing.
pub fn page_requests(requests: &[OrderRequest]) -> Vec<PastRequest> {
    requests
        .iter()
        .filter_map(|r| {
            let request: Request = serde_json::from_str(&r.request).ok()?;
            Some(PastRequest {
                id: r.id.clone(),
                kind: request.kind,
                reason: request.reason,
                lines: Holding::of(&request)
                    .lines
                    .into_iter()
                    .map(|(line_id, quantity)| RequestLine { line_id, quantity })
                    .collect(),
                status: r.status.clone(),
                created_at: r.created_at.parse().ok()?,
                rma: r.rma.clone(),
            })
        })
        .collect()
}

/// What the order's listed requests hold: those the shop has not rejected,
/// by the engine's rule ([`PastRequest::holds`]), as the widget reads the
/// same list.
pub fn open_holdings(listed: &[PastRequest]) -> Vec<Holding> {
    listed.iter().filter_map(Holding::of_past).collect()
}

/// A status change to store, if the request is still in `from`.
#[derive(Clone, Debug)]
pub struct Transition {
    /// The request id.
    pub request_id: String,
    /// The status the change was decided from.
    pub from: String,
    /// The new status.
    pub to: String,
    /// Who.
    pub actor: String,
    /// Why, optionally.
    pub note: Option<String>,
    /// When (RFC 3339).
    pub at: String,
}

/// What a status change came to.
#[derive(Debug, PartialEq)]
pub enum Changed {
    /// Stored.
    Done,
    /// No such request.
    NotFound,
    /// The request's status is no longer `from` (someone else changed it).
    Moved(String),
}

/// A storage failure, worded for the log.
#[derive(Debug)]
pub struct StoreError(pub String);

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for StoreError {}

/// The storage interface. Every method is one transaction.
pub trait Storage: Send + Sync + 'static {
    /// Inserts or replaces orders (the demo's seed).
    fn put_orders(
        &self,
        orders: Vec<StoredOrder>,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Puts one order from the shop's systems, in one transaction: only if
    /// the order stored is what `expect` says, and only if it keeps what the
    /// order's requests name ([`keeps`]).
    fn put_order(
        &self,
        order: StoredOrder,
        expect: Expect,
    ) -> impl Future<Output = Result<Put, StoreError>> + Send;

    /// Counts a find of an order asked at `now` under each of `subjects`,
    /// in one transaction, so that finds asked at once are each counted
    /// before any is answered: a subject whose count began at or before
    /// `window` (now less the window's length: its window has ended), and
    /// one never counted, begins again at 1, from `now`. Subjects whose
    /// window has ended are let go of. Each subject's count and
    /// when it began, in their order.
    fn count_find(
        &self,
        subjects: Vec<String>,
        now: String,
        window: String,
    ) -> impl Future<Output = Result<Vec<Attempts>, StoreError>> + Send;

    /// Takes one find back from each of `subjects`' counts: it found its
    /// order.
    fn uncount_find(
        &self,
        subjects: Vec<String>,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Whether the database answers now (a trivial query; for a load
    /// balancer's readiness check).
    fn ping(&self) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Every order, by id.
    fn orders(&self) -> impl Future<Output = Result<Vec<StoredOrder>, StoreError>> + Send;

    /// One order.
    fn order(
        &self,
        id: String,
    ) -> impl Future<Output = Result<Option<StoredOrder>, StoreError>> + Send;

    /// The order's requests, newest first.
    fn order_requests(
        &self,
        order_id: String,
    ) -> impl Future<Output = Result<Vec<OrderRequest>, StoreError>> + Send;

    /// The answer kept under an idempotency key.
    fn answer(
        &self,
        key: String,
    ) -> impl Future<Output = Result<Option<StoredAnswer>, StoreError>> + Send;

    /// Stores a request, its idempotency answer and its first event in one
    /// transaction, unless the key is taken, the order is no longer the one
    /// quoted ([`NewRequest::order_data`]) or the order's open requests
    /// forbid it ([`aftersale_engine::capacity::check`], inside the transaction).
    fn create(
        &self,
        new: NewRequest,
        order_lines: Vec<(String, u32)>,
    ) -> impl Future<Output = Result<Created, StoreError>> + Send;

    /// One page of requests, newest first, with their events and photos:
    /// three queries however long the page.
    fn requests(
        &self,
        query: RequestQuery,
    ) -> impl Future<Output = Result<RequestPage, StoreError>> + Send;

    /// One request with its events.
    fn request(
        &self,
        id: String,
    ) -> impl Future<Output = Result<Option<RequestRecord>, StoreError>> + Send;

    /// Changes a request's status if it is still `from`, recording the event.
    fn transition(
        &self,
        change: Transition,
    ) -> impl Future<Output = Result<Changed, StoreError>> + Send;

    /// Events a webhook has still to be told of, due at `now` or before,
    /// the longest due first, at most `limit`, each claimed until `until`:
    /// another server on the same database, asking meanwhile, does not get
    /// them (and gets them then, if this one stopped before it said how
    /// the sending went). Only a store made to notify, `notifying()`, keeps
    /// events.
    fn claim_deliveries(
        &self,
        now: String,
        until: String,
        limit: u32,
    ) -> impl Future<Output = Result<Vec<Delivery>, StoreError>> + Send;

    /// The webhook took the event: it is not sent again.
    fn delivered(
        &self,
        request_id: String,
        seq: u32,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// The webhook did not take the event: tried again at `next_at`.
    fn delivery_failed(
        &self,
        request_id: String,
        seq: u32,
        next_at: String,
        error: String,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// What the webhook has still to send: how many events wait, how many
    /// of them failed, and the oldest `limit` of those.
    fn webhook_backlog(
        &self,
        limit: u32,
    ) -> impl Future<Output = Result<Backlog, StoreError>> + Send;

    /// Makes every event that failed due at `now` (the merchant fixed the
    /// receiver and does not want to wait for its next try); how many.
    fn send_again(&self, now: String) -> impl Future<Output = Result<u64, StoreError>> + Send;

    /// Stores a photo of a request, unless other bytes are stored for that
    /// attachment. Who may send it is the caller's to check
    /// ([`crate::photos`]: the request's sender).
    fn put_photo(
        &self,
        request_id: String,
        photo: Photo,
        bytes: Vec<u8>,
    ) -> impl Future<Output = Result<PhotoStored, StoreError>> + Send;

    /// Appends a part of photo `index` of a request that starts at byte
    /// `start`, received `at` (RFC 3339, UTC), if that is where the bytes
    /// received so far end and the photo is not stored whole yet.
    fn put_photo_part(
        &self,
        request_id: String,
        index: u32,
        start: u64,
        bytes: Vec<u8>,
        at: String,
    ) -> impl Future<Output = Result<PartStored, StoreError>> + Send;

    /// How much of photo `index` of a request is in.
    fn photo_received(
        &self,
        request_id: String,
        index: u32,
    ) -> impl Future<Output = Result<Received, StoreError>> + Send;

    /// The parts of photo `index` received so far, joined in order (empty
    /// when there are none).
    fn photo_parts(
        &self,
        request_id: String,
        index: u32,
    ) -> impl Future<Output = Result<Vec<u8>, StoreError>> + Send;

    /// Forgets the parts of photo `index` (they proved not to be the photo
    /// declared). [`Storage::put_photo`] forgets them too, once the photo
    /// is stored whole.
    fn drop_photo_parts(
        &self,
        request_id: String,
        index: u32,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Forgets the parts of every photo whose last part came before
    /// `before` (RFC 3339, UTC; a part stored before parts had a time
    /// counts as coming when its request did): photos a customer began and
    /// never finished. How many photos' parts were dropped.
    fn drop_unfinished_photos(
        &self,
        before: String,
    ) -> impl Future<Output = Result<u64, StoreError>> + Send;

    /// One photo of a request with its bytes.
    fn photo(
        &self,
        request_id: String,
        index: u32,
    ) -> impl Future<Output = Result<Option<(Photo, Vec<u8>)>, StoreError>> + Send;
}

/// The migrations, in order; each runs once, in its own transaction. Plain
/// SQL both databases read alike, but for what each writes its own way
/// ([`Dialect`]): `{bytes}` and `{payload_email}`.
pub(crate) const MIGRATIONS: &[&str] = &[
    "CREATE TABLE orders (
        id TEXT PRIMARY KEY,
        policy_id TEXT NOT NULL,
        label TEXT NOT NULL,
        data TEXT NOT NULL
    );
    CREATE TABLE requests (
        id TEXT PRIMARY KEY,
        order_id TEXT NOT NULL REFERENCES orders (id),
        kind TEXT NOT NULL,
        status TEXT NOT NULL,
        policy_id TEXT NOT NULL,
        policy_version TEXT NOT NULL,
        rma TEXT,
        request TEXT NOT NULL,
        quote TEXT NOT NULL,
        payload TEXT NOT NULL,
        order_snapshot TEXT NOT NULL,
        idempotency_key TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL
    );
    CREATE INDEX requests_order ON requests (order_id);
    CREATE TABLE idempotency (
        key TEXT PRIMARY KEY,
        body_sha256 TEXT NOT NULL,
        status INTEGER NOT NULL,
        response TEXT NOT NULL
    );
    CREATE TABLE events (
        request_id TEXT NOT NULL REFERENCES requests (id),
        seq INTEGER NOT NULL,
        from_status TEXT,
        to_status TEXT NOT NULL,
        actor TEXT NOT NULL,
        note TEXT,
        at TEXT NOT NULL,
        PRIMARY KEY (request_id, seq)
    );",
    "CREATE TABLE photos (
        request_id TEXT NOT NULL REFERENCES requests (id),
        idx INTEGER NOT NULL,
        name TEXT NOT NULL,
        media_type TEXT NOT NULL,
        size BIGINT NOT NULL,
        sha256 TEXT NOT NULL,
        received_at TEXT NOT NULL,
        bytes {bytes} NOT NULL,
        PRIMARY KEY (request_id, idx)
    );",
    // The merchant view's pages: newest first, of every status or one.
    "CREATE INDEX requests_newest ON requests (created_at, id);
    CREATE INDEX requests_status_newest ON requests (status, created_at, id);",
    // A large photo's parts, until the last one comes and the photo is
    // stored whole.
    "CREATE TABLE photo_parts (
        request_id TEXT NOT NULL REFERENCES requests (id),
        idx INTEGER NOT NULL,
        first_byte BIGINT NOT NULL,
        bytes {bytes} NOT NULL,
        PRIMARY KEY (request_id, idx, first_byte)
    );",
    // When each part came, so that the parts of a photo never finished can
    // be let go of (NULL for parts from before: their request's time).
    "ALTER TABLE photo_parts ADD COLUMN received_at TEXT;",
    // The merchant view finds requests by the customer's email (its ASCII
    // letters lowered, as [`contact_email`] writes it) and by RMA code.
    "ALTER TABLE requests ADD COLUMN contact_email TEXT;
    UPDATE requests SET contact_email = {payload_email};
    CREATE INDEX requests_contact_newest ON requests (contact_email, created_at, id);
    CREATE INDEX requests_rma ON requests (rma);",
    // The events a webhook has still to be told of ([`crate::webhook`]):
    // written in the transaction that makes the event, deleted once the
    // webhook took it.
    "CREATE TABLE webhook_outbox (
        request_id TEXT NOT NULL REFERENCES requests (id),
        seq INTEGER NOT NULL,
        attempts INTEGER NOT NULL,
        next_at TEXT NOT NULL,
        last_error TEXT,
        PRIMARY KEY (request_id, seq)
    );
    CREATE INDEX webhook_outbox_due ON webhook_outbox (next_at);",
    // The customer's email of an order, for a returns page to find it by
    // ([`crate::find`]), who put its version and when, and the finds asked, by what they named (the order
    // number, the email: each hashed) and since when, so that guessing is
    // slowed.
    "ALTER TABLE orders ADD COLUMN email TEXT;
    ALTER TABLE orders ADD COLUMN put_by TEXT;
    ALTER TABLE orders ADD COLUMN put_at TEXT;
    CREATE TABLE find_attempts (
        subject TEXT PRIMARY KEY,
        since TEXT NOT NULL,
        count INTEGER NOT NULL
    );
    CREATE INDEX find_attempts_since ON find_attempts (since);",
];

/// The newest event of request `?1` (or `$1`), due for the webhook at once
/// (`p2`: its time): the row a store that notifies adds beside each event.
pub(crate) fn outbox_sql(p1: &str, p2: &str) -> String {
    format!(
        "INSERT INTO webhook_outbox (request_id, seq, attempts, next_at)
         SELECT request_id, MAX(seq), 0, {p2} FROM events WHERE request_id = {p1} GROUP BY request_id"
    )
}

/// The finds of one subject counted in its window ([`Storage::count_find`]).
#[derive(Clone, Debug, PartialEq)]
pub struct Attempts {
    /// How many, this one included.
    pub count: u32,
    /// When the first of them was asked (RFC 3339).
    pub since: String,
}

/// Counts a find of subject `p1` asked at `p2`, beginning again where the
/// count began at or before `p3`; the count and when it began.
pub(crate) fn count_find_sql(p1: &str, p2: &str, p3: &str) -> String {
    format!(
        "INSERT INTO find_attempts (subject, since, count) VALUES ({p1}, {p2}, 1)
         ON CONFLICT (subject) DO UPDATE SET
            count = CASE WHEN find_attempts.since <= {p3} THEN 1 ELSE find_attempts.count + 1 END,
            since = CASE WHEN find_attempts.since <= {p3} THEN excluded.since
                         ELSE find_attempts.since END
         RETURNING count, since"
    )
}

/// Takes one find back from subject `p1`'s count.
pub(crate) fn uncount_find_sql(p1: &str) -> String {
    format!("UPDATE find_attempts SET count = count - 1 WHERE subject = {p1} AND count > 0")
}

/// An event a webhook has still to be told of.
#[derive(Clone, Debug, PartialEq)]
pub struct Delivery {
    /// The request.
    pub request_id: String,
    /// Which of its events (1: its creation).
    pub seq: u32,
    /// How many times it was tried and failed.
    pub attempts: u32,
}

/// An event the webhook has tried to send and not got taken.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Undelivered {
    /// The request.
    pub request_id: String,
    /// The order it is for.
    pub order_id: String,
    /// Which of its events (1: its creation).
    pub seq: u32,
    /// When the event happened (RFC 3339).
    pub at: String,
    /// How many times it was tried.
    pub attempts: u32,
    /// When it is tried next (RFC 3339; a server sending it now has it
    /// until a few minutes ahead).
    pub next_at: String,
    /// Why the last try failed, as the server logged it.
    pub last_error: Option<String>,
}

/// What the webhook has still to send ([`Storage::webhook_backlog`]).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Backlog {
    /// Events not yet taken, tried or not.
    pub waiting: u64,
    /// Those of them tried at least once.
    pub failing: u64,
    /// The oldest of those, oldest event first.
    pub oldest: Vec<Undelivered>,
}

/// The statements of the webhook's backlog, in a database's placeholders:
/// the counts, and the oldest failing events (`p1`: how many).
pub(crate) fn backlog_sql(p1: &str) -> [String; 2] {
    [
        "SELECT count(*), COALESCE(SUM(CASE WHEN attempts > 0 THEN 1 ELSE 0 END), 0)
         FROM webhook_outbox"
            .to_owned(),
        format!(
            "SELECT o.request_id, o.seq, e.at, o.attempts, o.next_at, o.last_error, r.order_id
             FROM webhook_outbox o JOIN events e ON e.request_id = o.request_id AND e.seq = o.seq
             JOIN requests r ON r.id = o.request_id
             WHERE o.attempts > 0 ORDER BY e.at, o.request_id, o.seq LIMIT {p1}"
        ),
    ]
}

/// The statement that makes every failed event due at `p1`, unless it is
/// due sooner.
pub(crate) fn send_again_sql(p1: &str) -> String {
    format!("UPDATE webhook_outbox SET next_at = {p1} WHERE attempts > 0 AND next_at > {p1}")
}

/// What the customer gave to be reached at (the payload's
/// `contact.email`), its ASCII letters lowered, as the merchant view finds
/// it; the same as each database's `payload_email` ([`Dialect`]) reads it
/// from the payloads stored before the column.
pub(crate) fn contact_email(payload: &serde_json::Value) -> Option<String> {
    (payload["contact"]["email"].as_str()).map(|e| e.to_ascii_lowercase())
}

/// The photos (request id, index) whose last part came before the time in
/// placeholder 1, by request id (the order their rows are locked in).
pub(crate) fn unfinished_photos_sql(p1: &str) -> String {
    format!(
        "SELECT p.request_id, p.idx FROM photo_parts p JOIN requests r ON r.id = p.request_id
         GROUP BY p.request_id, p.idx
         HAVING MAX(COALESCE(p.received_at, r.created_at)) < {p1}
         ORDER BY p.request_id, p.idx"
    )
}

/// The columns of a request, as each store's `read_request` reads them.
pub(crate) const REQUEST_COLUMNS: &str = "id, order_id, kind, status, policy_id, policy_version, \
     rma, request, quote, payload, order_snapshot, created_at";

/// Which requests to list: newest first (by `created_at`, then id), at
/// most `limit`, those after `after` (where the page before ended), only
/// those with `status` if it is given, only those `find` finds if it is.
#[derive(Clone, Debug, PartialEq)]
pub struct RequestQuery {
    /// Only requests with this status.
    pub status: Option<String>,
    /// Only requests this finds.
    pub find: Option<Find>,
    /// Where the page before ended.
    pub after: Option<Cursor>,
    /// How many at most (at least 1).
    pub limit: u32,
}

impl RequestQuery {
    /// The first page of every request, `limit` long.
    pub fn first(limit: u32) -> RequestQuery {
        RequestQuery {
            status: None,
            find: None,
            after: None,
            limit,
        }
    }

    /// The SQL that selects this page, and its parameters in order; `p(n)`
    /// writes placeholder `n` (`?1`, `$1`). It asks for one row more than
    /// the limit, to know whether another page follows ([`into_page`]).
    pub(crate) fn sql(&self, p: impl Fn(usize) -> String) -> (String, Vec<String>) {
        let mut params = Vec::new();
        let mut conditions = Vec::new();
        if let Some(status) = &self.status {
            params.push(status.clone());
            conditions.push(format!("status = {}", p(params.len())));
        }
        if let Some(find) = &self.find {
            let first = params.len() + 1;
            params.extend([
                find.text.clone(),
                find.upper.clone(),
                find.lower.clone(),
                find.rma.clone(),
            ]);
            let (text, upper, lower, rma) = (p(first), p(first + 1), p(first + 2), p(first + 3));
            conditions.push(format!(
                "(order_id IN ({text}, {upper}, {lower}) OR rma = {rma} \
                 OR id = {lower} OR contact_email = {lower})"
            ));
        }
        if let Some(after) = &self.after {
            params.extend([after.created_at.clone(), after.id.clone()]);
            conditions.push(format!(
                "(created_at, id) < ({}, {})",
                p(params.len() - 1),
                p(params.len())
            ));
        }
        let filter = if conditions.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", conditions.join(" AND "))
        };
        let limit = u64::from(self.limit.max(1)) + 1;
        let sql = format!(
            "SELECT {REQUEST_COLUMNS} FROM requests {filter} \
             ORDER BY created_at DESC, id DESC LIMIT {limit}"
        );
        (sql, params)
    }
}

/// What the merchant typed to find requests by: an order id (as the shop
/// wrote it, or in capitals, or in small letters: `x-105` finds `X-105`),
/// an RMA code (in any case, with or without its `RMA-`), a request id (in
/// any case) or the customer's email (ASCII letters in any case). A request
/// is found when any of them is its own.
#[derive(Clone, Debug, PartialEq)]
pub struct Find {
    /// The text as typed (spaces around it aside).
    text: String,
    /// Its ASCII letters in capitals.
    upper: String,
    /// Its ASCII letters in small letters: an order id so, a request id,
    /// an email.
    lower: String,
    /// The RMA code it would be.
    rma: String,
}

impl Find {
    /// The longest text searched for: an email address is at most 254
    /// characters (RFC 5321's path less its brackets).
    pub const MAX_CHARS: usize = 254;

    /// What `text` finds, spaces around it aside; `None` for empty text.
    pub fn new(text: &str) -> Option<Find> {
        let text = text.trim();
        let upper = text.to_ascii_uppercase();
        (!text.is_empty()).then(|| Find {
            text: text.to_owned(),
            rma: if upper.starts_with("RMA-") {
                upper.clone()
            } else {
                format!("RMA-{upper}")
            },
            upper,
            lower: text.to_ascii_lowercase(),
        })
    }
}

/// Where a page of requests ended: its last request's creation time and
/// id. As text (`after` in the merchant API) it is both, joined by `,`.
#[derive(Clone, Debug, PartialEq)]
pub struct Cursor {
    /// The last request's `created_at` (RFC 3339).
    pub created_at: String,
    /// The last request's id.
    pub id: String,
}

impl Cursor {
    /// Reads a cursor written by [`Cursor::to_text`]; `None` if `text` is
    /// not one.
    pub fn parse(text: &str) -> Option<Cursor> {
        let (created_at, id) = text.split_once(',')?;
        chrono::DateTime::parse_from_rfc3339(created_at).ok()?;
        (!id.is_empty()).then(|| Cursor {
            created_at: created_at.to_owned(),
            id: id.to_owned(),
        })
    }

    /// The cursor as text.
    pub fn to_text(&self) -> String {
        format!("{},{}", self.created_at, self.id)
    }
}

/// A page of requests, and where the next begins (`None`: this is the last).
#[derive(Clone, Debug, PartialEq)]
pub struct RequestPage {
    /// The requests, newest first.
    pub requests: Vec<RequestRecord>,
    /// Where the next page begins, if there is one.
    pub next: Option<Cursor>,
}

/// A page from `rows` (read by [`RequestQuery::sql`], one more than
/// `limit` when another page follows), with each row's `events` and
/// `photos` (given with their request's id, each in its order).
pub(crate) fn into_page(
    mut rows: Vec<RequestRecord>,
    limit: u32,
    events: Vec<(String, Event)>,
    photos: Vec<(String, Photo)>,
) -> RequestPage {
    let more = rows.len() > limit.max(1) as usize;
    rows.truncate(limit.max(1) as usize);
    let at: std::collections::HashMap<String, usize> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| (r.data.id.clone(), i))
        .collect();
    for (id, event) in events {
        if let Some(&i) = at.get(&id) {
            rows[i].events.push(event);
        }
    }
    for (id, photo) in photos {
        if let Some(&i) = at.get(&id) {
            rows[i].photos.push(photo);
        }
    }
    let next = more.then(|| rows.last()).flatten().map(|r| Cursor {
        created_at: r.data.created_at.clone(),
        id: r.data.id.clone(),
    });
    RequestPage {
        requests: rows,
        next,
    }
}

/// `SELECT {columns} FROM {table} WHERE request_id IN (…)` for `n` ids,
/// ordered by request then `order`; `p(n)` writes placeholder `n`.
pub(crate) fn of_requests(
    columns: &str,
    table: &str,
    order: &str,
    n: usize,
    p: impl Fn(usize) -> String,
) -> String {
    let ids: Vec<String> = (1..=n).map(p).collect();
    format!(
        "SELECT request_id, {columns} FROM {table} WHERE request_id IN ({}) \
         ORDER BY request_id, {order}",
        ids.join(", ")
    )
}

/// A migration in a database's own words.
pub(crate) fn migration(sql: &str, dialect: &Dialect) -> String {
    sql.replace("{bytes}", dialect.bytes)
        .replace("{payload_email}", dialect.payload_email)
}

/// What the two databases write differently in the [`MIGRATIONS`].
pub(crate) struct Dialect {
    /// The type of raw bytes.
    pub bytes: &'static str,
    /// A request row's `contact_email` read from its `payload` column, as
    /// [`contact_email`] writes it.
    pub payload_email: &'static str,
}

/// The columns of a photo without its bytes, as [`Photo`] reads them.
pub(crate) const PHOTO_COLUMNS: &str = "idx, name, media_type, size, sha256, received_at";

/// Reads a JSON column written by the server.
pub(crate) fn json_column(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or(serde_json::Value::String(text.to_owned()))
}
