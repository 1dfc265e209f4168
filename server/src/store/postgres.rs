//! PostgreSQL storage, selected by a `postgres://` `DATABASE_URL`: the same
//! tables and the same transactions as SQLite, over a pool of connections.
//! Requests for one order are serialised by locking the order's row
//! (`SELECT … FOR UPDATE`), a request's changes and photos by locking its
//! row, so connections (and servers) may work side by side.

use std::time::Duration;

use deadpool_postgres::{Manager, ManagerConfig, Pool, PoolError, RecyclingMethod, Runtime};
use tokio_postgres::{Client, Row, error::SqlState};

use super::{
    Attempts, Backlog, Changed, Created, Delivery, Dialect, Event, Expect, MIGRATIONS, NewRequest,
    ORDER_COLUMNS, OrderRequest, PHOTO_COLUMNS, PartStored, Photo, PhotoStored, Put,
    REQUEST_COLUMNS, Received, RequestData, RequestPage, RequestQuery, RequestRecord, Storage,
    StoreError, StoredAnswer, StoredOrder, Transition, Undelivered, backlog_sql, contact_email,
    count_find_sql, into_page, json_column, keeps, migration, of_requests, outbox_sql,
    page_requests, put_by, send_again_sql, uncount_find_sql, unfinished_photos_sql,
};
use aftersale_engine::capacity::{self, Holding};

/// PostgreSQL's words in the migrations: the payload read as JSON, and
/// its ASCII letters lowered by `translate`, as [`contact_email`] does
/// (its `lower` lowers every letter the locale knows).
const DIALECT: Dialect = Dialect {
    bytes: "BYTEA",
    payload_email: "translate(payload::json -> 'contact' ->> 'email', \
        'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')",
};

/// A PostgreSQL database: a pool of up to [`CONNECTIONS`] connections (or
/// as many as [`Postgres::connect_with`] is given), opened as needed. A
/// connection the database closed (a restart, a failover, an idle timeout)
/// is dropped when it is next taken and a new one is opened, so the server
/// is back as soon as the database is.
#[derive(Clone)]
pub struct Postgres {
    pool: Pool,
    notify: bool,
}

/// The most connections one server opens unless told otherwise. Each
/// request holds one for its transaction; PostgreSQL's default
/// `max_connections` is 100.
pub const CONNECTIONS: usize = 16;

/// How long a request waits for a connection (all taken, or the database
/// not answering) before it fails as storage unavailable (503).
const WAIT: Duration = Duration::from_secs(5);

/// A store error with the whole chain of causes: tokio-postgres writes
/// only what kind of error it was ("db error", "error connecting to
/// server") and keeps the why (the server's message, "Connection refused")
/// as its source.
fn err(e: impl std::error::Error) -> StoreError {
    let mut text = format!("postgres: {e}");
    let mut cause = e.source();
    while let Some(c) = cause {
        text.push_str(&format!(": {c}"));
        cause = c.source();
    }
    StoreError(text)
}

impl Postgres {
    /// Connects with up to [`CONNECTIONS`] connections (a database that
    /// cannot be reached now is an error, not a server that fails later)
    /// and migrates.
    pub async fn connect(url: &str) -> Result<Postgres, StoreError> {
        Postgres::connect_with(url, CONNECTIONS).await
    }

    /// Connects with up to `connections` connections (at least one) and
    /// migrates.
    pub async fn connect_with(url: &str, connections: usize) -> Result<Postgres, StoreError> {
        let (url, tls) =
            super::tls::connector(url).map_err(|e| StoreError(format!("postgres: {e}")))?;
        let mut config: tokio_postgres::Config = url.parse().map_err(err)?;
        dead_peers_found(&mut config, &url);
        let manager = Manager::from_config(
            config,
            tls,
            ManagerConfig {
                // Whether the connection is closed, without a round trip.
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(connections.max(1))
            .runtime(Runtime::Tokio1)
            .wait_timeout(Some(WAIT))
            .create_timeout(Some(WAIT))
            .recycle_timeout(Some(WAIT))
            .build()
            .map_err(err)?;
        let store = Postgres {
            pool,
            notify: false,
        };
        let mut conn = store.connection().await.map_err(|StoreError(e)| {
            StoreError(if e.contains("UnknownIssuer") {
                format!(
                    "{e} (no root this machine trusts signed the database's certificate: \
                     give its CA as sslrootcert=FILE in the URL)"
                )
            } else {
                e
            })
        })?;
        migrate(&mut conn).await?;
        Ok(store)
    }

    /// The same store, keeping each new event for a webhook
    /// ([`crate::webhook`]) in the transaction that makes it.
    pub fn notifying(self) -> Postgres {
        Postgres {
            notify: true,
            ..self
        }
    }

    /// A connection from the pool, opened if none is free.
    async fn connection(&self) -> Result<deadpool_postgres::Object, StoreError> {
        self.pool.get().await.map_err(|e| match e {
            // Opening one failed: why, without the pool's preamble.
            PoolError::Backend(e) => err(e),
            e => err(e),
        })
    }
}

/// The advisory lock that makes the migrations table one server at a time
/// (any number; this one is "aftersale" in ASCII, truncated).
const MIGRATION_LOCK: i64 = 0x6166_7465_7273_616c;

/// A database that is gone without closing its connections (a failover to
/// another address, a host lost) would hold each pooled connection for as
/// long as Linux retries a send (about 15 minutes) or, idle, for 2 hours
/// before a keepalive: 30 s each here, unless the URL says otherwise.
fn dead_peers_found(config: &mut tokio_postgres::Config, url: &str) {
    const GONE: Duration = Duration::from_secs(30);
    if config.get_tcp_user_timeout().is_none() {
        config.tcp_user_timeout(GONE);
    }
    if !url.contains("keepalives_idle=") {
        config.keepalives_idle(GONE);
    }
}

async fn migrate(client: &mut Client) -> Result<(), StoreError> {
    // Servers started at once on a new database would race to make the
    // table (`IF NOT EXISTS` does not cover that): one at a time.
    let tx = client.transaction().await.map_err(err)?;
    tx.batch_execute(&format!(
        "SELECT pg_advisory_xact_lock({MIGRATION_LOCK});
         CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY)"
    ))
    .await
    .map_err(err)?;
    tx.commit().await.map_err(err)?;
    for (i, sql) in MIGRATIONS.iter().enumerate() {
        let version = (i + 1) as i32;
        let tx = client.transaction().await.map_err(err)?;
        tx.batch_execute("LOCK TABLE schema_migrations IN EXCLUSIVE MODE")
            .await
            .map_err(err)?;
        let done = tx
            .query_opt(
                "SELECT version FROM schema_migrations WHERE version = $1",
                &[&version],
            )
            .await
            .map_err(err)?;
        if done.is_none() {
            tx.batch_execute(&migration(sql, &DIALECT))
                .await
                .map_err(err)?;
            tx.execute(
                "INSERT INTO schema_migrations (version) VALUES ($1)",
                &[&version],
            )
            .await
            .map_err(err)?;
        }
        tx.commit().await.map_err(err)?;
    }
    Ok(())
}

fn read_order(r: &Row) -> StoredOrder {
    StoredOrder {
        id: r.get(0),
        policy_id: r.get(1),
        label: r.get(2),
        data: json_column(r.get(3)),
        email: r.get(4),
        put: put_by(r.get(5), r.get(6)),
    }
}

fn read_request(r: &Row) -> RequestRecord {
    RequestRecord {
        data: RequestData {
            id: r.get(0),
            order_id: r.get(1),
            kind: r.get(2),
            policy_id: r.get(4),
            policy_version: r.get(5),
            rma: r.get(6),
            request: json_column(r.get(7)),
            quote: json_column(r.get(8)),
            payload: json_column(r.get(9)),
            order_snapshot: json_column(r.get(10)),
            created_at: r.get(11),
        },
        status: r.get(3),
        events: Vec::new(),
        photos: Vec::new(),
    }
}

/// A photo from its columns ([`PHOTO_COLUMNS`]) from column `at` on.
fn read_photo(r: &Row, at: usize) -> Photo {
    Photo {
        index: r.get::<_, i32>(at) as u32,
        name: r.get(at + 1),
        media_type: r.get(at + 2),
        size: r.get::<_, i64>(at + 3) as u64,
        sha256: r.get(at + 4),
        received_at: r.get(at + 5),
    }
}

/// An event from its columns (from, to, actor, note, at) from column `at` on.
fn read_event(r: &Row, at: usize) -> Event {
    Event {
        from: r.get(at),
        to: r.get(at + 1),
        actor: r.get(at + 2),
        note: r.get(at + 3),
        at: r.get(at + 4),
    }
}

/// The answer kept under an idempotency key (`$1`).
const ANSWER_SQL: &str = "SELECT body_sha256, status, response FROM idempotency WHERE key = $1";

fn read_answer(r: &Row) -> StoredAnswer {
    StoredAnswer {
        body_sha256: r.get(0),
        status: r.get::<_, i32>(1) as u16,
        body: r.get(2),
    }
}

/// Every row `sql` gives, each read by `read`.
async fn all<T>(
    client: &impl tokio_postgres::GenericClient,
    sql: &str,
    params: &[&(dyn tokio_postgres::types::ToSql + Sync)],
    read: impl Fn(&Row) -> T,
) -> Result<Vec<T>, StoreError> {
    let rows = client.query(sql, params).await.map_err(err)?;
    Ok(rows.iter().map(read).collect())
}

/// The order's requests, newest first.
async fn requests_of(
    client: &impl tokio_postgres::GenericClient,
    order_id: &str,
) -> Result<Vec<OrderRequest>, StoreError> {
    all(
        client,
        "SELECT id, status, created_at, rma, request FROM requests
         WHERE order_id = $1 ORDER BY created_at DESC, id",
        &[&order_id],
        |r| OrderRequest {
            id: r.get(0),
            status: r.get(1),
            created_at: r.get(2),
            rma: r.get(3),
            request: r.get(4),
        },
    )
    .await
}

/// What the order's requests hold (the engine's rule on the listed requests).
async fn open_holdings(
    client: &impl tokio_postgres::GenericClient,
    order_id: &str,
) -> Result<Vec<Holding>, StoreError> {
    let listed = page_requests(&requests_of(client, order_id).await?);
    Ok(super::open_holdings(&listed))
}

async fn events(
    client: &impl tokio_postgres::GenericClient,
    id: &str,
) -> Result<Vec<Event>, StoreError> {
    all(
        client,
        "SELECT from_status, to_status, actor, note, at FROM events
         WHERE request_id = $1 ORDER BY seq",
        &[&id],
        |r| read_event(r, 0),
    )
    .await
}

/// A request with its history and photos.
async fn complete(
    client: &impl tokio_postgres::GenericClient,
    mut r: RequestRecord,
) -> Result<RequestRecord, StoreError> {
    r.events = events(client, &r.data.id).await?;
    r.photos = all(
        client,
        &format!("SELECT {PHOTO_COLUMNS} FROM photos WHERE request_id = $1 ORDER BY idx"),
        &[&r.data.id],
        |r| read_photo(r, 0),
    )
    .await?;
    Ok(r)
}

/// Column `i` of `r`, an `INTEGER` that counts (a sequence number, tries).
fn whole(r: &Row, i: usize) -> Result<u32, StoreError> {
    r.try_get::<_, i32>(i)
        .map_err(err)
        .and_then(|n| u32::try_from(n).map_err(err))
}

/// Inserts an order or replaces the one under its id.
const PUT_ORDER: &str = "INSERT INTO orders (id, policy_id, label, data, email, put_by, put_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (id) DO UPDATE SET policy_id = excluded.policy_id,
        label = excluded.label, data = excluded.data, email = excluded.email,
        put_by = excluded.put_by, put_at = excluded.put_at";

/// Inserts an order under an id none has yet (0 rows if one has).
const NEW_ORDER: &str = "INSERT INTO orders (id, policy_id, label, data, email, put_by, put_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (id) DO NOTHING";

impl Storage for Postgres {
    async fn put_orders(&self, orders: Vec<StoredOrder>) -> Result<(), StoreError> {
        let mut conn = self.connection().await?;
        let client: &mut Client = &mut conn;
        let tx = client.transaction().await.map_err(err)?;
        for o in &orders {
            tx.execute(
                PUT_ORDER,
                &[
                    &o.id,
                    &o.policy_id,
                    &o.label,
                    &o.data.to_string(),
                    &o.email,
                    &o.put.as_ref().map(|p| &p.by),
                    &o.put.as_ref().map(|p| &p.at),
                ],
            )
            .await
            .map_err(err)?;
        }
        tx.commit().await.map_err(err)
    }

    async fn put_order(&self, order: StoredOrder, expect: Expect) -> Result<Put, StoreError> {
        let mut conn = self.connection().await?;
        let client: &mut Client = &mut conn;
        let data = order.data.to_string();
        // Twice at most: an id that is new is not locked by reading it, and
        // another server may put an order under it meanwhile; then this one
        // reads that order, locked, as it would have.
        for _ in 0..2 {
            let tx = client.transaction().await.map_err(err)?;
            // The row locked, as `create` locks it: no request is stored for
            // the order between reading its requests and writing it.
            let before = tx
                .query_opt(
                    &format!("SELECT {ORDER_COLUMNS} FROM orders WHERE id = $1 FOR UPDATE"),
                    &[&order.id],
                )
                .await
                .map_err(err)?
                .as_ref()
                .map(read_order);
            if !expect.met(before.as_ref()) {
                return Ok(Put::Unmet(before.map(|o| o.etag())));
            }
            if let Err(named) = keeps(&order, &requests_of(&tx, &order.id).await?) {
                return Ok(Put::Named(named));
            }
            let sql = if before.is_some() {
                PUT_ORDER
            } else {
                NEW_ORDER
            };
            let written = tx
                .execute(
                    sql,
                    &[
                        &order.id,
                        &order.policy_id,
                        &order.label,
                        &data,
                        &order.email,
                        &order.put.as_ref().map(|p| &p.by),
                        &order.put.as_ref().map(|p| &p.at),
                    ],
                )
                .await
                .map_err(err)?;
            if written == 1 {
                tx.commit().await.map_err(err)?;
                return Ok(match before {
                    Some(_) => Put::Replaced,
                    None => Put::Created,
                });
            }
        }
        Err(StoreError(format!(
            "order {:?} was put by others twice while this server put it",
            order.id
        )))
    }

    async fn count_find(
        &self,
        subjects: Vec<String>,
        now: String,
        window: String,
    ) -> Result<Vec<Attempts>, StoreError> {
        let mut conn = self.connection().await?;
        let client: &mut Client = &mut conn;
        let tx = client.transaction().await.map_err(err)?;
        tx.execute("DELETE FROM find_attempts WHERE since <= $1", &[&window])
            .await
            .map_err(err)?;
        // Subjects in one order, so that two finds naming the same two lock
        // their rows in the same order.
        let mut order: Vec<usize> = (0..subjects.len()).collect();
        order.sort_by(|&a, &b| subjects[a].cmp(&subjects[b]));
        let mut found = vec![None; subjects.len()];
        for i in order {
            let row = tx
                .query_one(
                    &count_find_sql("$1", "$2", "$3"),
                    &[&subjects[i], &now, &window],
                )
                .await
                .map_err(err)?;
            found[i] = Some(Attempts {
                count: whole(&row, 0)?,
                since: row.try_get(1).map_err(err)?,
            });
        }
        tx.commit().await.map_err(err)?;
        Ok(found.into_iter().flatten().collect())
    }

    async fn uncount_find(&self, subjects: Vec<String>) -> Result<(), StoreError> {
        let mut conn = self.connection().await?;
        let client: &mut Client = &mut conn;
        let tx = client.transaction().await.map_err(err)?;
        let mut sorted = subjects;
        sorted.sort();
        for subject in &sorted {
            tx.execute(&uncount_find_sql("$1"), &[subject])
                .await
                .map_err(err)?;
        }
        tx.commit().await.map_err(err)
    }

    async fn ping(&self) -> Result<(), StoreError> {
        let conn = self.connection().await?;
        conn.simple_query("SELECT 1").await.map(|_| ()).map_err(err)
    }

    async fn orders(&self) -> Result<Vec<StoredOrder>, StoreError> {
        let conn = self.connection().await?;
        let client: &Client = &conn;
        all(
            client,
            &format!("SELECT {ORDER_COLUMNS} FROM orders ORDER BY id"),
            &[],
            read_order,
        )
        .await
    }

    async fn order(&self, id: String) -> Result<Option<StoredOrder>, StoreError> {
        let conn = self.connection().await?;
        let client: &Client = &conn;
        let row = client
            .query_opt(
                &format!("SELECT {ORDER_COLUMNS} FROM orders WHERE id = $1"),
                &[&id],
            )
            .await
            .map_err(err)?;
        Ok(row.as_ref().map(read_order))
    }

    async fn order_requests(&self, order_id: String) -> Result<Vec<OrderRequest>, StoreError> {
        let conn = self.connection().await?;
        let client: &Client = &conn;
        requests_of(client, &order_id).await
    }

    async fn answer(&self, key: String) -> Result<Option<StoredAnswer>, StoreError> {
        let conn = self.connection().await?;
        let client: &Client = &conn;
        let row = client.query_opt(ANSWER_SQL, &[&key]).await.map_err(err)?;
        Ok(row.as_ref().map(read_answer))
    }

    async fn create(
        &self,
        new: NewRequest,
        order_lines: Vec<(String, u32)>,
    ) -> Result<Created, StoreError> {
        let mut conn = self.connection().await?;
        let client: &mut Client = &mut conn;
        let tx = client.transaction().await.map_err(err)?;
        let order = tx
            .query_opt(
                &format!("SELECT {ORDER_COLUMNS} FROM orders WHERE id = $1 FOR UPDATE"),
                &[&new.data.order_id],
            )
            .await
            .map_err(err)?;
        if let Some(row) = tx
            .query_opt(ANSWER_SQL, &[&new.idempotency_key])
            .await
            .map_err(err)?
        {
            return Ok(Created::Replay(read_answer(&row)));
        }
        if !new.quoted_against(order.map(|o| read_order(&o)).as_ref()) {
            return Ok(Created::OrderChanged);
        }
        let open = open_holdings(&tx, &new.data.order_id).await?;
        if let Err(over) = capacity::check(&open, &new.holding, &order_lines, new.exchanges_quoted)
        {
            return Ok(Created::Overdrawn(over));
        }
        let inserted = tx
            .execute(
                "INSERT INTO idempotency (key, body_sha256, status, response) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (key) DO NOTHING",
                &[
                    &new.idempotency_key,
                    &new.answer.body_sha256,
                    &i32::from(new.answer.status),
                    &new.answer.body,
                ],
            )
            .await
            .map_err(err)?;
        if inserted == 0 {
            // The same key was stored for another order meanwhile.
            drop(tx);
            let row = client
                .query_one(ANSWER_SQL, &[&new.idempotency_key])
                .await
                .map_err(err)?;
            return Ok(Created::Replay(read_answer(&row)));
        }
        tx.execute(
            "INSERT INTO requests (id, order_id, kind, status, policy_id, policy_version, rma,
                request, quote, payload, order_snapshot, idempotency_key, created_at,
                contact_email)
             VALUES ($1, $2, $3, 'requested', $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
            &[
                &new.data.id,
                &new.data.order_id,
                &new.data.kind,
                &new.data.policy_id,
                &new.data.policy_version,
                &new.data.rma,
                &new.data.request.to_string(),
                &new.data.quote.to_string(),
                &new.data.payload.to_string(),
                &new.data.order_snapshot.to_string(),
                &new.idempotency_key,
                &new.data.created_at,
                &contact_email(&new.data.payload),
            ],
        )
        .await
        .map_err(err)?;
        tx.execute(
            "INSERT INTO events (request_id, seq, from_status, to_status, actor, note, at)
             VALUES ($1, 1, NULL, 'requested', 'customer', NULL, $2)",
            &[&new.data.id, &new.data.created_at],
        )
        .await
        .map_err(err)?;
        if self.notify {
            tx.execute(
                &outbox_sql("$1", "$2"),
                &[&new.data.id, &new.data.created_at],
            )
            .await
            .map_err(err)?;
        }
        tx.commit().await.map_err(|e| {
            if e.code() == Some(&SqlState::UNIQUE_VIOLATION) {
                StoreError(format!("postgres: a concurrent request took the key: {e}"))
            } else {
                err(e)
            }
        })?;
        Ok(Created::Stored)
    }

    async fn requests(&self, query: RequestQuery) -> Result<RequestPage, StoreError> {
        let conn = self.connection().await?;
        let client: &Client = &conn;
        let (sql, params) = query.sql(|n| format!("${n}"));
        let params: Vec<&(dyn tokio_postgres::types::ToSql + Sync)> =
            params.iter().map(|p| p as _).collect();
        let rows = all(client, &sql, &params, read_request).await?;
        let ids: Vec<&(dyn tokio_postgres::types::ToSql + Sync)> =
            rows.iter().map(|r| &r.data.id as _).collect();
        let (mut events, mut photos) = (Vec::new(), Vec::new());
        if !ids.is_empty() {
            let of = |columns, table, order| {
                of_requests(columns, table, order, ids.len(), |n| format!("${n}"))
            };
            events = all(
                client,
                &of("from_status, to_status, actor, note, at", "events", "seq"),
                &ids,
                |r| (r.get(0), read_event(r, 1)),
            )
            .await?;
            photos = all(client, &of(PHOTO_COLUMNS, "photos", "idx"), &ids, |r| {
                (r.get(0), read_photo(r, 1))
            })
            .await?;
        }
        Ok(into_page(rows, query.limit, events, photos))
    }

    async fn request(&self, id: String) -> Result<Option<RequestRecord>, StoreError> {
        let conn = self.connection().await?;
        let client: &Client = &conn;
        let row = client
            .query_opt(
                &format!("SELECT {REQUEST_COLUMNS} FROM requests WHERE id = $1"),
                &[&id],
            )
            .await
            .map_err(err)?;
        match row {
            Some(row) => Ok(Some(complete(client, read_request(&row)).await?)),
            None => Ok(None),
        }
    }

    async fn transition(&self, change: Transition) -> Result<Changed, StoreError> {
        let mut conn = self.connection().await?;
        let client: &mut Client = &mut conn;
        let tx = client.transaction().await.map_err(err)?;
        let row = tx
            .query_opt(
                "SELECT status FROM requests WHERE id = $1 FOR UPDATE",
                &[&change.request_id],
            )
            .await
            .map_err(err)?;
        let Some(row) = row else {
            return Ok(Changed::NotFound);
        };
        let status: String = row.get(0);
        if status != change.from {
            return Ok(Changed::Moved(status));
        }
        tx.execute(
            "UPDATE requests SET status = $1 WHERE id = $2",
            &[&change.to, &change.request_id],
        )
        .await
        .map_err(err)?;
        tx.execute(
            "INSERT INTO events (request_id, seq, from_status, to_status, actor, note, at)
             SELECT $1, COALESCE(MAX(seq), 0) + 1, $2, $3, $4, $5, $6 FROM events WHERE request_id = $1",
            &[
                &change.request_id,
                &change.from,
                &change.to,
                &change.actor,
                &change.note,
                &change.at,
            ],
        )
        .await
        .map_err(err)?;
        if self.notify {
            tx.execute(&outbox_sql("$1", "$2"), &[&change.request_id, &change.at])
                .await
                .map_err(err)?;
        }
        tx.commit().await.map_err(err)?;
        Ok(Changed::Done)
    }

    async fn claim_deliveries(
        &self,
        now: String,
        until: String,
        limit: u32,
    ) -> Result<Vec<Delivery>, StoreError> {
        let conn = self.connection().await?;
        let client: &Client = &conn;
        // Rows another server is claiming at this moment are skipped, not
        // waited for.
        let rows = client
            .query(
                "UPDATE webhook_outbox o SET next_at = $2 FROM (
                     SELECT request_id, seq FROM webhook_outbox WHERE next_at <= $1
                     ORDER BY next_at, request_id, seq LIMIT $3 FOR UPDATE SKIP LOCKED
                 ) due
                 WHERE o.request_id = due.request_id AND o.seq = due.seq
                 RETURNING o.request_id, o.seq, o.attempts",
                &[&now, &until, &i64::from(limit)],
            )
            .await
            .map_err(err)?;
        let mut due = rows
            .iter()
            .map(|r| {
                Ok(Delivery {
                    request_id: r.try_get(0).map_err(err)?,
                    seq: whole(r, 1)?,
                    attempts: whole(r, 2)?,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        // (RETURNING keeps no order.)
        due.sort_by(|a, b| (&a.request_id, a.seq).cmp(&(&b.request_id, b.seq)));
        Ok(due)
    }

    async fn webhook_backlog(&self, limit: u32) -> Result<Backlog, StoreError> {
        let conn = self.connection().await?;
        let client: &Client = &conn;
        let [counts, oldest] = backlog_sql("$1");
        let row = client.query_one(&counts, &[]).await.map_err(err)?;
        let count = |i: usize| {
            row.try_get::<_, i64>(i)
                .map_err(err)
                .map(|n| u64::try_from(n).unwrap_or(0))
        };
        let (waiting, failing) = (count(0)?, count(1)?);
        let rows = client
            .query(&oldest, &[&i64::from(limit)])
            .await
            .map_err(err)?;
        let oldest = rows
            .iter()
            .map(|r| {
                Ok(Undelivered {
                    request_id: r.try_get(0).map_err(err)?,
                    seq: whole(r, 1)?,
                    at: r.try_get(2).map_err(err)?,
                    attempts: whole(r, 3)?,
                    next_at: r.try_get(4).map_err(err)?,
                    last_error: r.try_get(5).map_err(err)?,
                    order_id: r.try_get(6).map_err(err)?,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        Ok(Backlog {
            waiting,
            failing,
            oldest,
        })
    }

    async fn send_again(&self, now: String) -> Result<u64, StoreError> {
        let conn = self.connection().await?;
        conn.execute(&send_again_sql("$1"), &[&now])
            .await
            .map_err(err)
    }

    async fn delivered(&self, request_id: String, seq: u32) -> Result<(), StoreError> {
        let conn = self.connection().await?;
        conn.execute(
            "DELETE FROM webhook_outbox WHERE request_id = $1 AND seq = $2",
            &[&request_id, &(seq as i32)],
        )
        .await
        .map(drop)
        .map_err(err)
    }

    async fn delivery_failed(
        &self,
        request_id: String,
        seq: u32,
        next_at: String,
        error: String,
    ) -> Result<(), StoreError> {
        let conn = self.connection().await?;
        conn.execute(
            "UPDATE webhook_outbox SET attempts = attempts + 1, next_at = $3, last_error = $4
             WHERE request_id = $1 AND seq = $2",
            &[&request_id, &(seq as i32), &next_at, &error],
        )
        .await
        .map(drop)
        .map_err(err)
    }

    async fn put_photo(
        &self,
        request_id: String,
        photo: Photo,
        bytes: Vec<u8>,
    ) -> Result<PhotoStored, StoreError> {
        let mut conn = self.connection().await?;
        let client: &mut Client = &mut conn;
        let tx = client.transaction().await.map_err(err)?;
        // Locked: two sendings of one photo at once store it once.
        if !lock_request(&tx, &request_id).await? {
            return Ok(PhotoStored::NoRequest);
        }
        let index = photo.index as i32;
        let stored = tx
            .query_opt(
                "SELECT sha256 FROM photos WHERE request_id = $1 AND idx = $2",
                &[&request_id, &index],
            )
            .await
            .map_err(err)?;
        if let Some(row) = stored {
            let sha: String = row.get(0);
            return Ok(if sha == photo.sha256 {
                PhotoStored::Same
            } else {
                PhotoStored::Different
            });
        }
        tx.execute(
            "INSERT INTO photos (request_id, idx, name, media_type, size, sha256, received_at, bytes)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            &[
                &request_id,
                &index,
                &photo.name,
                &photo.media_type,
                &(photo.size as i64),
                &photo.sha256,
                &photo.received_at,
                &bytes,
            ],
        )
        .await
        .map_err(err)?;
        tx.execute(
            "DELETE FROM photo_parts WHERE request_id = $1 AND idx = $2",
            &[&request_id, &index],
        )
        .await
        .map_err(err)?;
        tx.commit().await.map_err(err)?;
        Ok(PhotoStored::Stored)
    }

    async fn put_photo_part(
        &self,
        request_id: String,
        index: u32,
        start: u64,
        bytes: Vec<u8>,
        at: String,
    ) -> Result<PartStored, StoreError> {
        let mut conn = self.connection().await?;
        let client: &mut Client = &mut conn;
        let tx = client.transaction().await.map_err(err)?;
        // Locked, as for a whole photo: two parts at once append one.
        if !lock_request(&tx, &request_id).await? {
            return Ok(PartStored::NoRequest);
        }
        let received = match received(&tx, &request_id, index).await? {
            Received::Whole => return Ok(PartStored::Whole),
            Received::Bytes(n) if n != start => return Ok(PartStored::Elsewhere(n)),
            Received::Bytes(n) => n,
        };
        let len = bytes.len() as u64;
        tx.execute(
            "INSERT INTO photo_parts (request_id, idx, first_byte, bytes, received_at)
             VALUES ($1, $2, $3, $4, $5)",
            &[&request_id, &(index as i32), &(start as i64), &bytes, &at],
        )
        .await
        .map_err(err)?;
        tx.commit().await.map_err(err)?;
        Ok(PartStored::Appended(received + len))
    }

    async fn photo_received(&self, request_id: String, index: u32) -> Result<Received, StoreError> {
        let conn = self.connection().await?;
        let client: &Client = &conn;
        received(client, &request_id, index).await
    }

    async fn photo_parts(&self, request_id: String, index: u32) -> Result<Vec<u8>, StoreError> {
        let conn = self.connection().await?;
        let client: &Client = &conn;
        let rows = client
            .query(
                "SELECT bytes FROM photo_parts WHERE request_id = $1 AND idx = $2 ORDER BY first_byte",
                &[&request_id, &(index as i32)],
            )
            .await
            .map_err(err)?;
        Ok(rows.iter().flat_map(|r| r.get::<_, Vec<u8>>(0)).collect())
    }

    async fn drop_photo_parts(&self, request_id: String, index: u32) -> Result<(), StoreError> {
        let conn = self.connection().await?;
        let client: &Client = &conn;
        client
            .execute(
                "DELETE FROM photo_parts WHERE request_id = $1 AND idx = $2",
                &[&request_id, &(index as i32)],
            )
            .await
            .map(|_| ())
            .map_err(err)
    }

    async fn drop_unfinished_photos(&self, before: String) -> Result<u64, StoreError> {
        let mut conn = self.connection().await?;
        let client: &mut Client = &mut conn;
        let tx = client.transaction().await.map_err(err)?;
        let unfinished = tx
            .query(&unfinished_photos_sql("$1"), &[&before])
            .await
            .map_err(err)?;
        let mut dropped = 0;
        for row in &unfinished {
            let (request_id, index): (String, i32) = (row.get(0), row.get(1));
            // Another server may be appending a part: with the request's
            // row locked (as a part locks it), look again and drop.
            lock_request(&tx, &request_id).await?;
            let parts = tx
                .execute(
                    "DELETE FROM photo_parts WHERE request_id = $1 AND idx = $2
                     AND NOT EXISTS (SELECT 1 FROM photo_parts q
                         WHERE q.request_id = $1 AND q.idx = $2 AND q.received_at >= $3)",
                    &[&request_id, &index, &before],
                )
                .await
                .map_err(err)?;
            dropped += u64::from(parts > 0);
        }
        tx.commit().await.map_err(err)?;
        Ok(dropped)
    }

    async fn photo(
        &self,
        request_id: String,
        index: u32,
    ) -> Result<Option<(Photo, Vec<u8>)>, StoreError> {
        let conn = self.connection().await?;
        let client: &Client = &conn;
        let row = client
            .query_opt(
                &format!(
                    "SELECT {PHOTO_COLUMNS}, bytes FROM photos WHERE request_id = $1 AND idx = $2"
                ),
                &[&request_id, &(index as i32)],
            )
            .await
            .map_err(err)?;
        Ok(row.map(|r| (read_photo(&r, 0), r.get(6))))
    }
}

/// How much of photo `index` of request `request_id` is in.
async fn received(
    client: &impl tokio_postgres::GenericClient,
    request_id: &str,
    index: u32,
) -> Result<Received, StoreError> {
    let index = index as i32;
    let whole = client
        .query_opt(
            "SELECT 1 FROM photos WHERE request_id = $1 AND idx = $2",
            &[&request_id, &index],
        )
        .await
        .map_err(err)?;
    if whole.is_some() {
        return Ok(Received::Whole);
    }
    let row = client
        .query_one(
            "SELECT COALESCE(SUM(LENGTH(bytes)), 0)::BIGINT FROM photo_parts WHERE request_id = $1 AND idx = $2",
            &[&request_id, &index],
        )
        .await
        .map_err(err)?;
    Ok(Received::Bytes(row.get::<_, i64>(0).unsigned_abs()))
}

/// Locks request `request_id`'s row until the transaction ends; whether it
/// is stored.
async fn lock_request(
    tx: &tokio_postgres::Transaction<'_>,
    request_id: &str,
) -> Result<bool, StoreError> {
    tx.query_opt(
        "SELECT id FROM requests WHERE id = $1 FOR UPDATE",
        &[&request_id],
    )
    .await
    .map(|found| found.is_some())
    .map_err(err)
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::dead_peers_found;

    #[test]
    fn a_connection_to_a_database_gone_silent_ends_within_30_s_unless_the_url_says() {
        let at = |url: &str| {
            let mut config: tokio_postgres::Config = url.parse().unwrap();
            dead_peers_found(&mut config, url);
            (
                config.get_tcp_user_timeout().copied(),
                config.get_keepalives_idle(),
            )
        };
        let s = Duration::from_secs;
        assert_eq!(at("postgres://db/shop"), (Some(s(30)), s(30)));
        assert_eq!(
            at("postgres://db/shop?tcp_user_timeout=5&keepalives_idle=600"),
            (Some(s(5)), s(600))
        );
    }
}
