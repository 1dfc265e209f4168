//! SQLite storage: one file, WAL journal with `synchronous = FULL`, so a
//! transaction is on disk before its answer leaves the server.

use std::path::Path;
use std::sync::{Arc, Mutex};

use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

use super::{
    Attempts, Backlog, Changed, Created, Delivery, Dialect, Event, Expect, MIGRATIONS, NewRequest,
    ORDER_COLUMNS, OrderRequest, PHOTO_COLUMNS, PartStored, Photo, PhotoStored, Put,
    REQUEST_COLUMNS, Received, RequestData, RequestPage, RequestQuery, RequestRecord, Storage,
    StoreError, StoredAnswer, StoredOrder, Transition, Undelivered, backlog_sql, contact_email,
    count_find_sql, into_page, json_column, keeps, migration, of_requests, outbox_sql,
    page_requests, put_by, send_again_sql, uncount_find_sql, unfinished_photos_sql,
};
use aftersale_engine::capacity::{self, Holding};

/// SQLite's words in the migrations: its JSON functions read the payload;
/// its `lower` lowers ASCII letters only, as [`contact_email`] does.
const DIALECT: Dialect = Dialect {
    bytes: "BLOB",
    payload_email: "lower(json_extract(payload, '$.contact.email'))",
};

/// A SQLite database file. One connection: SQLite has one writer anyway.
#[derive(Clone)]
pub struct Sqlite {
    conn: Arc<Mutex<Connection>>,
    notify: bool,
}

fn err(e: impl std::fmt::Display) -> StoreError {
    StoreError(format!("sqlite: {e}"))
}

impl Sqlite {
    /// Opens (creating if need be) and migrates the database file.
    pub fn open(path: &Path) -> Result<Sqlite, StoreError> {
        let mut conn = Connection::open(path).map_err(err)?;
        // First: another server starting on the file may hold it a moment.
        conn.busy_timeout(std::time::Duration::from_secs(5))
            .map_err(err)?;
        wal(&conn).map_err(err)?;
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(err)?;
        conn.pragma_update(None, "foreign_keys", "ON")
            .map_err(err)?;
        let mode: String = conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .map_err(err)?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(StoreError(format!(
                "sqlite: {} cannot use the WAL journal (got {mode})",
                path.display()
            )));
        }
        migrate(&mut conn)?;
        Ok(Sqlite {
            conn: Arc::new(Mutex::new(conn)),
            notify: false,
        })
    }

    /// The same store, keeping each new event for a webhook
    /// ([`crate::webhook`]) in the transaction that makes it.
    pub fn notifying(self) -> Sqlite {
        Sqlite {
            notify: true,
            ..self
        }
    }

    async fn with<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Connection) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        let conn = self.conn.clone();
        tokio::task::spawn_blocking(move || {
            let mut guard = conn
                .lock()
                .map_err(|_| StoreError("sqlite: a writer panicked".into()))?;
            f(&mut guard)
        })
        .await
        .map_err(err)?
    }
}

/// Switches the file to the WAL journal. That takes the file to itself, and
/// SQLite answers "database is locked" at once, without waiting, while
/// another server starting on it has it: tried again for up to 5 s.
fn wal(conn: &Connection) -> rusqlite::Result<()> {
    let started = std::time::Instant::now();
    loop {
        match conn.pragma_update(None, "journal_mode", "WAL") {
            Err(rusqlite::Error::SqliteFailure(e, _))
                if e.code == rusqlite::ErrorCode::DatabaseBusy
                    && started.elapsed() < std::time::Duration::from_secs(5) =>
            {
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
            done => return done,
        }
    }
}

/// Runs the migrations the file lacks, each in its own transaction. The
/// version is read inside the transaction that writes it, so servers
/// started at once on a new file take turns rather than both making its
/// tables.
fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    loop {
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(err)?;
        let done: i64 = tx
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(err)?;
        let Some(sql) = usize::try_from(done).ok().and_then(|d| MIGRATIONS.get(d)) else {
            return Ok(());
        };
        tx.execute_batch(&migration(sql, &DIALECT)).map_err(err)?;
        tx.pragma_update(None, "user_version", done + 1)
            .map_err(err)?;
        tx.commit().map_err(err)?;
    }
}

fn read_order(r: &rusqlite::Row) -> rusqlite::Result<StoredOrder> {
    let data: String = r.get(3)?;
    Ok(StoredOrder {
        id: r.get(0)?,
        policy_id: r.get(1)?,
        label: r.get(2)?,
        data: json_column(&data),
        email: r.get(4)?,
        put: put_by(r.get(5)?, r.get(6)?),
    })
}

fn read_request(r: &rusqlite::Row) -> rusqlite::Result<RequestRecord> {
    let text = |i: usize| -> rusqlite::Result<serde_json::Value> {
        Ok(json_column(&r.get::<_, String>(i)?))
    };
    Ok(RequestRecord {
        data: RequestData {
            id: r.get(0)?,
            order_id: r.get(1)?,
            kind: r.get(2)?,
            policy_id: r.get(4)?,
            policy_version: r.get(5)?,
            rma: r.get(6)?,
            request: text(7)?,
            quote: text(8)?,
            payload: text(9)?,
            order_snapshot: text(10)?,
            created_at: r.get(11)?,
        },
        status: r.get(3)?,
        events: Vec::new(),
        photos: Vec::new(),
    })
}

/// A photo from its columns ([`PHOTO_COLUMNS`]) from column `at` on.
fn read_photo(r: &rusqlite::Row, at: usize) -> rusqlite::Result<Photo> {
    Ok(Photo {
        index: r.get(at)?,
        name: r.get(at + 1)?,
        media_type: r.get(at + 2)?,
        size: r.get(at + 3)?,
        sha256: r.get(at + 4)?,
        received_at: r.get(at + 5)?,
    })
}

/// An event from its columns (from, to, actor, note, at) from column `at` on.
fn read_event(r: &rusqlite::Row, at: usize) -> rusqlite::Result<Event> {
    Ok(Event {
        from: r.get(at)?,
        to: r.get(at + 1)?,
        actor: r.get(at + 2)?,
        note: r.get(at + 3)?,
        at: r.get(at + 4)?,
    })
}

/// The answer kept under an idempotency key.
fn stored_answer(conn: &Connection, key: &str) -> Result<Option<StoredAnswer>, StoreError> {
    conn.query_row(
        "SELECT body_sha256, status, response FROM idempotency WHERE key = ?1",
        [key],
        |r| {
            Ok(StoredAnswer {
                body_sha256: r.get(0)?,
                status: r.get(1)?,
                body: r.get(2)?,
            })
        },
    )
    .optional()
    .map_err(err)
}

/// Every row `sql` selects with `params`, each read by `read`.
fn all<T>(
    conn: &Connection,
    sql: &str,
    params: impl rusqlite::Params,
    read: impl FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
) -> Result<Vec<T>, StoreError> {
    conn.prepare_cached(sql)
        .map_err(err)?
        .query_map(params, read)
        .map_err(err)?
        .collect::<Result<_, _>>()
        .map_err(err)
}

/// The order's requests, newest first.
fn requests_of(conn: &Connection, order_id: &str) -> Result<Vec<OrderRequest>, StoreError> {
    all(
        conn,
        "SELECT id, status, created_at, rma, request FROM requests
         WHERE order_id = ?1 ORDER BY created_at DESC, id",
        [order_id],
        |r| {
            Ok(OrderRequest {
                id: r.get(0)?,
                status: r.get(1)?,
                created_at: r.get(2)?,
                rma: r.get(3)?,
                request: r.get(4)?,
            })
        },
    )
}

/// What the order's requests hold (the engine's rule on the listed requests).
fn open_holdings(conn: &Connection, order_id: &str) -> Result<Vec<Holding>, StoreError> {
    Ok(super::open_holdings(&page_requests(&requests_of(
        conn, order_id,
    )?)))
}

fn events(conn: &Connection, id: &str) -> Result<Vec<Event>, StoreError> {
    all(
        conn,
        "SELECT from_status, to_status, actor, note, at FROM events
         WHERE request_id = ?1 ORDER BY seq",
        [id],
        |r| read_event(r, 0),
    )
}

fn photos(conn: &Connection, id: &str) -> Result<Vec<Photo>, StoreError> {
    all(
        conn,
        &format!("SELECT {PHOTO_COLUMNS} FROM photos WHERE request_id = ?1 ORDER BY idx"),
        [id],
        |r| read_photo(r, 0),
    )
}

/// Inserts an order or replaces the one under its id.
fn put_one(conn: &Connection, o: &StoredOrder) -> Result<(), StoreError> {
    conn.execute(
        "INSERT INTO orders (id, policy_id, label, data, email, put_by, put_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (id) DO UPDATE SET policy_id = excluded.policy_id,
            label = excluded.label, data = excluded.data, email = excluded.email,
            put_by = excluded.put_by, put_at = excluded.put_at",
        params![
            o.id,
            o.policy_id,
            o.label,
            o.data.to_string(),
            o.email,
            o.put.as_ref().map(|p| &p.by),
            o.put.as_ref().map(|p| &p.at),
        ],
    )
    .map(drop)
    .map_err(err)
}

/// The order stored under `id`.
fn stored_order(conn: &Connection, id: &str) -> Result<Option<StoredOrder>, StoreError> {
    conn.query_row(
        &format!("SELECT {ORDER_COLUMNS} FROM orders WHERE id = ?1"),
        [id],
        read_order,
    )
    .optional()
    .map_err(err)
}

/// A request with its history and photos.
fn complete(conn: &Connection, mut r: RequestRecord) -> Result<RequestRecord, StoreError> {
    r.events = events(conn, &r.data.id)?;
    r.photos = photos(conn, &r.data.id)?;
    Ok(r)
}

impl Storage for Sqlite {
    async fn put_orders(&self, orders: Vec<StoredOrder>) -> Result<(), StoreError> {
        self.with(move |conn| {
            let tx = conn.transaction().map_err(err)?;
            for o in &orders {
                put_one(&tx, o)?;
            }
            tx.commit().map_err(err)
        })
        .await
    }

    async fn put_order(&self, order: StoredOrder, expect: Expect) -> Result<Put, StoreError> {
        self.with(move |conn| {
            // Immediate: no request is stored for the order between reading
            // its requests and writing it.
            let tx = conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(err)?;
            let before = stored_order(&tx, &order.id)?;
            if !expect.met(before.as_ref()) {
                return Ok(Put::Unmet(before.map(|o| o.etag())));
            }
            if let Err(named) = keeps(&order, &requests_of(&tx, &order.id)?) {
                return Ok(Put::Named(named));
            }
            put_one(&tx, &order)?;
            tx.commit().map_err(err)?;
            Ok(match before {
                Some(_) => Put::Replaced,
                None => Put::Created,
            })
        })
        .await
    }

    async fn count_find(
        &self,
        subjects: Vec<String>,
        now: String,
        window: String,
    ) -> Result<Vec<Attempts>, StoreError> {
        self.with(move |conn| {
            let tx = conn.transaction().map_err(err)?;
            tx.execute("DELETE FROM find_attempts WHERE since <= ?1", [&window])
                .map_err(err)?;
            let mut counted = Vec::with_capacity(subjects.len());
            for subject in &subjects {
                counted.push(
                    tx.query_row(
                        &count_find_sql("?1", "?2", "?3"),
                        params![subject, now, window],
                        |r| {
                            Ok(Attempts {
                                count: r.get(0)?,
                                since: r.get(1)?,
                            })
                        },
                    )
                    .map_err(err)?,
                );
            }
            tx.commit().map_err(err)?;
            Ok(counted)
        })
        .await
    }

    async fn uncount_find(&self, subjects: Vec<String>) -> Result<(), StoreError> {
        self.with(move |conn| {
            let tx = conn.transaction().map_err(err)?;
            for subject in &subjects {
                tx.execute(&uncount_find_sql("?1"), [subject])
                    .map_err(err)?;
            }
            tx.commit().map_err(err)
        })
        .await
    }

    async fn ping(&self) -> Result<(), StoreError> {
        self.with(|conn| {
            (conn.prepare_cached("SELECT 1 FROM orders LIMIT 1"))
                .and_then(|mut read| read.exists([]))
                .map(|_| ())
                .map_err(err)
        })
        .await
    }

    async fn orders(&self) -> Result<Vec<StoredOrder>, StoreError> {
        self.with(|conn| {
            all(
                conn,
                &format!("SELECT {ORDER_COLUMNS} FROM orders ORDER BY id"),
                [],
                read_order,
            )
        })
        .await
    }

    async fn order(&self, id: String) -> Result<Option<StoredOrder>, StoreError> {
        self.with(move |conn| stored_order(conn, &id)).await
    }

    async fn order_requests(&self, order_id: String) -> Result<Vec<OrderRequest>, StoreError> {
        self.with(move |conn| requests_of(conn, &order_id)).await
    }

    async fn answer(&self, key: String) -> Result<Option<StoredAnswer>, StoreError> {
        self.with(move |conn| stored_answer(conn, &key)).await
    }

    async fn create(
        &self,
        new: NewRequest,
        order_lines: Vec<(String, u32)>,
    ) -> Result<Created, StoreError> {
        let notify = self.notify;
        self.with(move |conn| {
            let tx = conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(err)?;
            let taken = stored_answer(&tx, &new.idempotency_key)?;
            if let Some(answer) = taken {
                return Ok(Created::Replay(answer));
            }
            let order = stored_order(&tx, &new.data.order_id)?;
            if !new.quoted_against(order.as_ref()) {
                return Ok(Created::OrderChanged);
            }
            if let Err(over) = capacity::check(
                &open_holdings(&tx, &new.data.order_id)?,
                &new.holding,
                &order_lines,
                new.exchanges_quoted,
            ) {
                return Ok(Created::Overdrawn(over));
            }
            tx.execute(
                "INSERT INTO requests (id, order_id, kind, status, policy_id, policy_version, rma,
                    request, quote, payload, order_snapshot, idempotency_key, created_at,
                    contact_email)
                 VALUES (?1, ?2, ?3, 'requested', ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
                params![
                    new.data.id,
                    new.data.order_id,
                    new.data.kind,
                    new.data.policy_id,
                    new.data.policy_version,
                    new.data.rma,
                    new.data.request.to_string(),
                    new.data.quote.to_string(),
                    new.data.payload.to_string(),
                    new.data.order_snapshot.to_string(),
                    new.idempotency_key,
                    new.data.created_at,
                    contact_email(&new.data.payload),
                ],
            )
            .map_err(err)?;
            tx.execute(
                "INSERT INTO idempotency (key, body_sha256, status, response) VALUES (?1, ?2, ?3, ?4)",
                params![
                    new.idempotency_key,
                    new.answer.body_sha256,
                    new.answer.status,
                    new.answer.body
                ],
            )
            .map_err(err)?;
            tx.execute(
                "INSERT INTO events (request_id, seq, from_status, to_status, actor, note, at)
                 VALUES (?1, 1, NULL, 'requested', 'customer', NULL, ?2)",
                params![new.data.id, new.data.created_at],
            )
            .map_err(err)?;
            if notify {
                tx.execute(
                    &outbox_sql("?1", "?2"),
                    params![new.data.id, new.data.created_at],
                )
                .map_err(err)?;
            }
            tx.commit().map_err(err)?;
            Ok(Created::Stored)
        })
        .await
    }

    async fn requests(&self, query: RequestQuery) -> Result<RequestPage, StoreError> {
        self.with(move |conn| {
            let (sql, params) = query.sql(|n| format!("?{n}"));
            let rows = all(
                conn,
                &sql,
                rusqlite::params_from_iter(&params),
                read_request,
            )?;
            let ids: Vec<&str> = rows.iter().map(|r| r.data.id.as_str()).collect();
            let (mut events, mut photos) = (Vec::new(), Vec::new());
            if !ids.is_empty() {
                let of = |columns, table, order| {
                    of_requests(columns, table, order, ids.len(), |n| format!("?{n}"))
                };
                events = all(
                    conn,
                    &of("from_status, to_status, actor, note, at", "events", "seq"),
                    rusqlite::params_from_iter(&ids),
                    |r| Ok((r.get(0)?, read_event(r, 1)?)),
                )?;
                photos = all(
                    conn,
                    &of(PHOTO_COLUMNS, "photos", "idx"),
                    rusqlite::params_from_iter(&ids),
                    |r| Ok((r.get(0)?, read_photo(r, 1)?)),
                )?;
            }
            Ok(into_page(rows, query.limit, events, photos))
        })
        .await
    }

    async fn request(&self, id: String) -> Result<Option<RequestRecord>, StoreError> {
        self.with(move |conn| {
            let found = conn
                .query_row(
                    &format!("SELECT {REQUEST_COLUMNS} FROM requests WHERE id = ?1"),
                    [&id],
                    read_request,
                )
                .optional()
                .map_err(err)?;
            found.map(|r| complete(conn, r)).transpose()
        })
        .await
    }

    async fn transition(&self, change: Transition) -> Result<Changed, StoreError> {
        let notify = self.notify;
        self.with(move |conn| {
            let tx = conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(err)?;
            let status: Option<String> = tx
                .query_row(
                    "SELECT status FROM requests WHERE id = ?1",
                    [&change.request_id],
                    |r| r.get(0),
                )
                .optional()
                .map_err(err)?;
            let Some(status) = status else {
                return Ok(Changed::NotFound);
            };
            if status != change.from {
                return Ok(Changed::Moved(status));
            }
            tx.execute(
                "UPDATE requests SET status = ?1 WHERE id = ?2",
                params![change.to, change.request_id],
            )
            .map_err(err)?;
            tx.execute(
                "INSERT INTO events (request_id, seq, from_status, to_status, actor, note, at)
                 SELECT ?1, COALESCE(MAX(seq), 0) + 1, ?2, ?3, ?4, ?5, ?6 FROM events WHERE request_id = ?1",
                params![
                    change.request_id,
                    change.from,
                    change.to,
                    change.actor,
                    change.note,
                    change.at
                ],
            )
            .map_err(err)?;
            if notify {
                tx.execute(
                    &outbox_sql("?1", "?2"),
                    params![change.request_id, change.at],
                )
                .map_err(err)?;
            }
            tx.commit().map_err(err)?;
            Ok(Changed::Done)
        })
        .await
    }

    async fn claim_deliveries(
        &self,
        now: String,
        until: String,
        limit: u32,
    ) -> Result<Vec<Delivery>, StoreError> {
        self.with(move |conn| {
            let tx = conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(err)?;
            let due = all(
                &tx,
                "SELECT request_id, seq, attempts FROM webhook_outbox WHERE next_at <= ?1
                 ORDER BY next_at, request_id, seq LIMIT ?2",
                params![now, limit],
                |r| {
                    Ok(Delivery {
                        request_id: r.get(0)?,
                        seq: r.get(1)?,
                        attempts: r.get(2)?,
                    })
                },
            )?;
            for d in &due {
                tx.execute(
                    "UPDATE webhook_outbox SET next_at = ?3 WHERE request_id = ?1 AND seq = ?2",
                    params![d.request_id, d.seq, until],
                )
                .map_err(err)?;
            }
            tx.commit().map_err(err)?;
            Ok(due)
        })
        .await
    }

    async fn delivered(&self, request_id: String, seq: u32) -> Result<(), StoreError> {
        self.with(move |conn| {
            conn.execute(
                "DELETE FROM webhook_outbox WHERE request_id = ?1 AND seq = ?2",
                params![request_id, seq],
            )
            .map(drop)
            .map_err(err)
        })
        .await
    }

    async fn webhook_backlog(&self, limit: u32) -> Result<Backlog, StoreError> {
        self.with(move |conn| {
            let [counts, oldest] = backlog_sql("?1");
            let (waiting, failing): (i64, i64) = conn
                .query_row(&counts, [], |r| Ok((r.get(0)?, r.get(1)?)))
                .map_err(err)?;
            let oldest = all(conn, &oldest, [limit], |r| {
                Ok(Undelivered {
                    request_id: r.get(0)?,
                    seq: r.get(1)?,
                    at: r.get(2)?,
                    attempts: r.get(3)?,
                    next_at: r.get(4)?,
                    last_error: r.get(5)?,
                    order_id: r.get(6)?,
                })
            })?;
            Ok(Backlog {
                waiting: waiting.try_into().unwrap_or(0),
                failing: failing.try_into().unwrap_or(0),
                oldest,
            })
        })
        .await
    }

    async fn send_again(&self, now: String) -> Result<u64, StoreError> {
        self.with(move |conn| {
            conn.execute(&send_again_sql("?1"), [now])
                .map(|n| n as u64)
                .map_err(err)
        })
        .await
    }

    async fn delivery_failed(
        &self,
        request_id: String,
        seq: u32,
        next_at: String,
        error: String,
    ) -> Result<(), StoreError> {
        self.with(move |conn| {
            conn.execute(
                "UPDATE webhook_outbox SET attempts = attempts + 1, next_at = ?3, last_error = ?4
                 WHERE request_id = ?1 AND seq = ?2",
                params![request_id, seq, next_at, error],
            )
            .map(drop)
            .map_err(err)
        })
        .await
    }

    async fn put_photo(
        &self,
        request_id: String,
        photo: Photo,
        bytes: Vec<u8>,
    ) -> Result<PhotoStored, StoreError> {
        self.with(move |conn| {
            let tx = conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(err)?;
            if !has_request(&tx, &request_id)? {
                return Ok(PhotoStored::NoRequest);
            }
            let stored: Option<String> = tx
                .query_row(
                    "SELECT sha256 FROM photos WHERE request_id = ?1 AND idx = ?2",
                    params![request_id, photo.index],
                    |r| r.get(0),
                )
                .optional()
                .map_err(err)?;
            if let Some(sha) = stored {
                return Ok(if sha == photo.sha256 {
                    PhotoStored::Same
                } else {
                    PhotoStored::Different
                });
            }
            tx.execute(
                "INSERT INTO photos (request_id, idx, name, media_type, size, sha256, received_at, bytes)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![
                    request_id,
                    photo.index,
                    photo.name,
                    photo.media_type,
                    photo.size,
                    photo.sha256,
                    photo.received_at,
                    bytes
                ],
            )
            .map_err(err)?;
            tx.execute(
                "DELETE FROM photo_parts WHERE request_id = ?1 AND idx = ?2",
                params![request_id, photo.index],
            )
            .map_err(err)?;
            tx.commit().map_err(err)?;
            Ok(PhotoStored::Stored)
        })
        .await
    }

    async fn put_photo_part(
        &self,
        request_id: String,
        index: u32,
        start: u64,
        bytes: Vec<u8>,
        at: String,
    ) -> Result<PartStored, StoreError> {
        self.with(move |conn| {
            let tx = conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(err)?;
            if !has_request(&tx, &request_id)? {
                return Ok(PartStored::NoRequest);
            }
            let received = match received(&tx, &request_id, index)? {
                Received::Whole => return Ok(PartStored::Whole),
                Received::Bytes(n) if n != start => return Ok(PartStored::Elsewhere(n)),
                Received::Bytes(n) => n,
            };
            let len = bytes.len() as u64;
            tx.execute(
                "INSERT INTO photo_parts (request_id, idx, first_byte, bytes, received_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![request_id, index, start, bytes, at],
            )
            .map_err(err)?;
            tx.commit().map_err(err)?;
            Ok(PartStored::Appended(received + len))
        })
        .await
    }

    async fn photo_received(&self, request_id: String, index: u32) -> Result<Received, StoreError> {
        self.with(move |conn| received(conn, &request_id, index))
            .await
    }

    async fn photo_parts(&self, request_id: String, index: u32) -> Result<Vec<u8>, StoreError> {
        self.with(move |conn| {
            let mut statement = conn
                .prepare(
                    "SELECT bytes FROM photo_parts WHERE request_id = ?1 AND idx = ?2 ORDER BY first_byte",
                )
                .map_err(err)?;
            let mut joined = Vec::new();
            for part in statement
                .query_map(params![request_id, index], |r| r.get::<_, Vec<u8>>(0))
                .map_err(err)?
            {
                joined.extend(part.map_err(err)?);
            }
            Ok(joined)
        })
        .await
    }

    async fn drop_photo_parts(&self, request_id: String, index: u32) -> Result<(), StoreError> {
        self.with(move |conn| {
            conn.execute(
                "DELETE FROM photo_parts WHERE request_id = ?1 AND idx = ?2",
                params![request_id, index],
            )
            .map(|_| ())
            .map_err(err)
        })
        .await
    }

    async fn drop_unfinished_photos(&self, before: String) -> Result<u64, StoreError> {
        self.with(move |conn| {
            // One writer at a time: no part comes between the choice and
            // the drop.
            let tx = conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(err)?;
            let unfinished = tx
                .prepare(&unfinished_photos_sql("?1"))
                .and_then(|mut s| {
                    s.query_map([&before], |r| {
                        Ok((r.get::<_, String>(0)?, r.get::<_, u32>(1)?))
                    })?
                    .collect::<Result<Vec<_>, _>>()
                })
                .map_err(err)?;
            for (request_id, index) in &unfinished {
                tx.execute(
                    "DELETE FROM photo_parts WHERE request_id = ?1 AND idx = ?2",
                    params![request_id, index],
                )
                .map_err(err)?;
            }
            tx.commit().map_err(err)?;
            Ok(unfinished.len() as u64)
        })
        .await
    }

    async fn photo(
        &self,
        request_id: String,
        index: u32,
    ) -> Result<Option<(Photo, Vec<u8>)>, StoreError> {
        self.with(move |conn| {
            conn.query_row(
                &format!(
                    "SELECT {PHOTO_COLUMNS}, bytes FROM photos WHERE request_id = ?1 AND idx = ?2"
                ),
                params![request_id, index],
                |r| Ok((read_photo(r, 0)?, r.get(6)?)),
            )
            .optional()
            .map_err(err)
        })
        .await
    }
}

/// How much of photo `index` of request `request_id` is in.
fn received(conn: &Connection, request_id: &str, index: u32) -> Result<Received, StoreError> {
    let whole = conn
        .query_row(
            "SELECT 1 FROM photos WHERE request_id = ?1 AND idx = ?2",
            params![request_id, index],
            |_| Ok(()),
        )
        .optional()
        .map_err(err)?;
    if whole.is_some() {
        return Ok(Received::Whole);
    }
    conn.query_row(
        "SELECT COALESCE(SUM(LENGTH(bytes)), 0) FROM photo_parts WHERE request_id = ?1 AND idx = ?2",
        params![request_id, index],
        |r| r.get::<_, i64>(0),
    )
    .map(|n| Received::Bytes(n.unsigned_abs()))
    .map_err(err)
}

/// Whether request `request_id` is stored.
fn has_request(conn: &Connection, request_id: &str) -> Result<bool, StoreError> {
    conn.query_row("SELECT 1 FROM requests WHERE id = ?1", [request_id], |_| {
        Ok(())
    })
    .optional()
    .map(|found| found.is_some())
    .map_err(err)
}
