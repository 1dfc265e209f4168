//! `aftersale-server`: the reference backend and the demo's server.

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use aftersale_engine::Policy;
use aftersale_engine::scenario::deserialize_json;
use aftersale_server::access::OrderKeys;
use aftersale_server::merchant::Merchants;
use aftersale_server::store::postgres::Postgres;
use aftersale_server::store::sqlite::Sqlite;
use aftersale_server::store::{Expect, Put, PutBy, Storage, StoredOrder};
use aftersale_server::webhook::{self, Webhook};
use aftersale_server::{AppState, HttpConfig, photos, router, seed};
use axum::http::HeaderName;
use clap::Parser;

/// A folder that is there (a path that is not, such as `dist` from the
/// wrong working directory, would serve nothing but 404s).
fn folder(text: &str) -> Result<PathBuf, String> {
    let path = PathBuf::from(text);
    match std::fs::metadata(&path) {
        Ok(m) if m.is_dir() => Ok(path),
        Ok(_) => Err(format!("{text} is a file, not a folder")),
        Err(e) => Err(format!("{text}: {e}")),
    }
}

/// A payload limit a request fits in: 4096 bytes or more (a request for
/// one line is about 2 KB; `0` would refuse every one as too large).
fn body_limit(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(n) if n >= 4096 => Ok(n),
        Ok(n) => Err(format!(
            "{n} bytes is too small: a request for one line is about 2 KB; give 4096 or more"
        )),
        Err(e) => Err(format!("{text} is not a number of bytes: {e}")),
    }
}

/// A header's name, as HTTP writes them (`X-Forwarded-For`).
fn client_header(text: &str) -> Result<HeaderName, String> {
    HeaderName::from_bytes(text.trim().as_bytes()).map_err(|_| {
        format!(
            "{text:?} is not a header name; give the one your proxy sets, such as X-Forwarded-For"
        )
    })
}

/// The aftersale reference backend: serves orders to the widget, re-quotes
/// and stores requests, and gives the merchant a view of them.
#[derive(Parser)]
#[command(name = "aftersale-server", version)]
struct Args {
    /// Address to listen on (port 0: any free port; the address is printed).
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// A SQLite file (created and migrated on first start; also
    /// `sqlite:FILE`) or a `postgres://` URL (TLS as its `sslmode` says,
    /// read as libpq reads it; `sslrootcert=FILE` for a provider's CA).
    #[arg(
        long,
        env = "DATABASE_URL",
        hide_env_values = true,
        default_value = "aftersale.db"
    )]
    database: String,
    /// PostgreSQL: the most connections this server opens (1 to 1000;
    /// default 16). Each request holds one for its transaction; keep the
    /// servers' sum under the database's `max_connections`.
    #[arg(
        long,
        env = "AFTERSALE_DATABASE_CONNECTIONS",
        value_parser = clap::value_parser!(u16).range(1..=1000)
    )]
    database_connections: Option<u16>,
    /// Serve this folder (the Trunk build: widget and demo shop) at `/`; a
    /// file's `.br` or `.gz` beside it goes to a client that takes it.
    #[arg(long, value_parser = folder)]
    static_dir: Option<PathBuf>,
    /// An origin (`https://shop.example`) whose pages may call the API, and
    /// load the widget's files from `--static-dir`, across origins
    /// (repeatable; `*` for any).
    #[arg(
        long = "allow-origin",
        env = "AFTERSALE_ALLOWED_ORIGINS",
        value_delimiter = ',',
        value_parser = aftersale_server::origin
    )]
    allowed_origins: Vec<String>,
    /// Merchant tokens, `name:token,name:token`. Without any, one is made at
    /// start and printed.
    #[arg(long, env = "AFTERSALE_MERCHANT_TOKENS", hide_env_values = true)]
    merchant_tokens: Option<String>,
    /// (Re)seed the demo orders, dated relative to now.
    #[arg(long)]
    seed_demo: bool,
    /// Load orders from a JSON file (`[{id, policy_id, label, data}]`).
    #[arg(long)]
    orders: Option<PathBuf>,
    /// A policy file of the shop's (repeatable; `docs/policy-format.md`),
    /// checked at start. One with a preset's id takes the preset's place.
    /// Widgets read it from `/api/policies/{id}`.
    #[arg(long = "policy", value_name = "FILE")]
    policies: Vec<PathBuf>,
    /// The largest request payload accepted, in bytes (a photo may be as
    /// large as the policies' `photos.max_bytes`); at least 4096, as a
    /// request for one line is about 2 KB.
    #[arg(long, default_value_t = 64 * 1024, value_parser = body_limit)]
    body_limit: usize,
    /// Days the parts of a large photo are kept after the last one came,
    /// while the customer may still come back to finish it; then they are
    /// dropped (checked at start and every hour).
    #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u16).range(1..))]
    unfinished_photo_days: u16,
    /// A secret (16 characters or more) that gives each order a key: then
    /// an order is read, and requests for it are taken, only with its key
    /// (`?key=`), and orders are not listed. Without one, anyone who knows
    /// an order id may read it (the demo).
    #[arg(long, env = "AFTERSALE_ORDER_SECRET", hide_env_values = true)]
    order_secret: Option<String>,
    /// A URL the server POSTs each event to (a request stored, a status
    /// changed), signed, and sent again until it answers 2xx, restarts
    /// included (`server/src/webhook.rs` says the body and signature).
    #[arg(
        long,
        env = "AFTERSALE_WEBHOOK_URL",
        hide_env_values = true,
        requires = "webhook_secret"
    )]
    webhook_url: Option<String>,
    /// The secret (16 characters or more) the webhook's events are signed
    /// with (`Aftersale-Signature`: HMAC-SHA256), shared with the receiver.
    #[arg(
        long,
        env = "AFTERSALE_WEBHOOK_SECRET",
        hide_env_values = true,
        requires = "webhook_url"
    )]
    webhook_secret: Option<String>,
    /// The header a proxy in front of the server names the client's address
    /// in (`X-Forwarded-For`, `X-Real-IP`), its last address being the one
    /// the proxy saw: the returns page's finds are counted by client. Give
    /// it only behind such a proxy (clients can write the header
    /// themselves); without it, the peer's address counts.
    #[arg(long, env = "AFTERSALE_CLIENT_IP_HEADER", value_parser = client_header)]
    client_ip_header: Option<HeaderName>,
    /// Print the key of this order (under --order-secret) and exit.
    #[arg(long, value_name = "ORDER_ID", requires = "order_secret")]
    print_order_key: Option<String>,
}

#[tokio::main]
async fn main() {
    let args = Args::parse();
    if let Err(e) = run(args).await {
        eprintln!("aftersale-server: {e}");
        std::process::exit(1);
    }
}

async fn run(args: Args) -> Result<(), String> {
    // The shop's policies first: a file that does not check stops the
    // server before it touches the database.
    let policies = args
        .policies
        .iter()
        .map(|path| {
            let text = std::fs::read_to_string(path)
                .map_err(|e| format!("--policy {}: {e}", path.display()))?;
            Policy::from_json(&text).map_err(|e| format!("--policy {}: {e}", path.display()))
        })
        .collect::<Result<Vec<Policy>, String>>()?;
    for (i, p) in policies.iter().enumerate() {
        if let Some(j) = policies[..i].iter().position(|q| q.id == p.id) {
            return Err(format!(
                "--policy {}: policy {:?} is also given by {}",
                args.policies[i].display(),
                p.id,
                args.policies[j].display()
            ));
        }
    }
    let order_keys = match &args.order_secret {
        Some(secret) => {
            OrderKeys::with_secret(secret).map_err(|e| format!("--order-secret: {e}"))?
        }
        None => OrderKeys::open(),
    };
    if let Some(id) = &args.print_order_key {
        println!("{}", order_keys.key(id).unwrap_or_default());
        return Ok(());
    }
    let webhook = match (&args.webhook_url, &args.webhook_secret) {
        (Some(url), Some(secret)) => {
            Some(Webhook::new(url, secret).map_err(|e| format!("--webhook-url: {e}"))?)
        }
        _ => None,
    };
    let db = args.database.clone();
    if db.starts_with("postgres://") || db.starts_with("postgresql://") {
        let connections = args
            .database_connections
            .map_or(aftersale_server::store::postgres::CONNECTIONS, usize::from);
        let mut store = Postgres::connect_with(&db, connections)
            .await
            .map_err(|e| e.to_string())?;
        if webhook.is_some() {
            store = store.notifying();
        }
        let db = "postgresql".into();
        serve(store, args, policies, order_keys, webhook, db).await
    } else {
        // A path, or a SQLite URL as other tools write it (`sqlite://x.db`,
        // `sqlite:x.db`); another scheme is not a file name (and its URL,
        // which may hold a password, is not written out).
        let file = (db.strip_prefix("sqlite://"))
            .or_else(|| db.strip_prefix("sqlite:"))
            .unwrap_or(&db);
        if args.database_connections.is_some() {
            return Err("--database-connections is for a PostgreSQL database; \
                        SQLite has one writer"
                .into());
        }
        if let Some((scheme, _)) = file.split_once("://") {
            return Err(format!(
                "--database: {scheme}:// is no database this server takes (a SQLite file, or a postgres:// URL)"
            ));
        }
        let path = PathBuf::from(file);
        let mut store = Sqlite::open(&path).map_err(|e| e.to_string())?;
        if webhook.is_some() {
            store = store.notifying();
        }
        let db = format!("sqlite {}", path.display());
        serve(store, args, policies, order_keys, webhook, db).await
    }
}

async fn serve<S: Storage>(
    store: S,
    args: Args,
    policies: Vec<Policy>,
    order_keys: OrderKeys,
    webhook: Option<Webhook>,
    db: String,
) -> Result<(), String> {
    let mut orders: Vec<StoredOrder> = Vec::new();
    if args.seed_demo {
        orders.extend(seed::demo_orders(chrono::Utc::now()));
    }
    let seeded = orders.len();
    // The file's entries, each read as the body of a put of its order once
    // the server knows its policies.
    let mut entries: Vec<serde_json::Value> = Vec::new();
    if let Some(path) = &args.orders {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("--orders {}: {e}", path.display()))?;
        entries = deserialize_json(&text).map_err(|e| {
            let e = if e.field.is_empty() {
                e.message
            } else {
                e.to_string()
            };
            format!(
                "--orders {}: {e}; the file is a list of orders",
                path.display()
            )
        })?;
    }
    let (merchants, shown_token) = match &args.merchant_tokens {
        Some(spec) => (Merchants::parse(spec)?, None),
        None => {
            let token = uuid::Uuid::new_v4().simple().to_string();
            (Merchants::parse(&token)?, Some(token))
        }
    };
    let open = order_keys.is_open();
    let own: Vec<String> = policies
        .iter()
        .map(|p| format!("{} {}", p.id, p.version))
        .collect();
    let mut state = AppState::new(store, merchants)?.with_order_keys(order_keys);
    if let Some(header) = &args.client_ip_header {
        state = state.with_client_header(header.clone());
    }
    for policy in policies {
        state = state.with_policy(policy);
    }
    // The policies the server decides by are the state's: the presets and
    // the shop's own.
    let known = |id: &str| state.policies.contains_key(id);
    let file = args
        .orders
        .as_deref()
        .unwrap_or(std::path::Path::new(""))
        .display();
    // The file's orders as the widget will read them, each checked as a put
    // of it would be (`orders::read`), before any is stored.
    for (i, entry) in entries.iter().enumerate() {
        let Some(id) = entry.get("id").and_then(|id| id.as_str()) else {
            return Err(format!(
                "--orders {file}: [{i}].id: each order needs its id, a string"
            ));
        };
        let order =
            aftersale_server::orders::read(id, entry.to_string().as_bytes(), &state.policies)
                .map_err(|r| {
                    let said = |k: &str| r.body[k].as_str().unwrap_or_default().to_owned();
                    format!(
                        "--orders {file}: order {id}: {}: {}",
                        said("field"),
                        said("message")
                    )
                })?;
        orders.push(order);
    }
    for (i, o) in orders.iter().enumerate().skip(seeded) {
        if let Some(j) = orders[..i].iter().position(|other| other.id == o.id) {
            let also = if j < seeded {
                " (--seed-demo has it too)"
            } else {
                ""
            };
            return Err(format!(
                "--orders {file}: order {} is given twice{also}",
                o.id
            ));
        }
    }
    let from_file = orders.split_off(seeded);
    if !orders.is_empty() {
        state
            .store
            .put_orders(orders)
            .await
            .map_err(|e| e.to_string())?;
    }
    // The file's word replaces the stored version, as a put without a
    // precondition would, and keeps what the order's requests name. A
    // version the file gives unchanged stays as it was put, by whom and when.
    for mut o in from_file {
        let id = o.id.clone();
        let stored = state
            .store
            .order(id.clone())
            .await
            .map_err(|e| e.to_string())?;
        if stored.is_some_and(|s| s.etag() == o.etag()) {
            continue;
        }
        o.put = Some(PutBy::now("--orders"));
        match state.store.put_order(o, Expect::Any).await {
            Ok(Put::Named(named)) => {
                return Err(format!(
                    "--orders {file}: order {id}: data.order.lines: {}",
                    aftersale_server::orders::kept(&named)
                ));
            }
            Ok(_) => {}
            Err(e) => return Err(e.to_string()),
        }
    }
    // Orders stored by an earlier start may be under a policy no longer
    // given: they are still served, but no request for them is taken.
    let stored = state.store.orders().await.map_err(|e| e.to_string())?;
    let mut lacking: Vec<&str> = stored
        .iter()
        .map(|o| o.policy_id.as_str())
        .filter(|id| !known(id))
        .collect();
    lacking.sort_unstable();
    lacking.dedup();
    for id in lacking {
        let n = stored.iter().filter(|o| o.policy_id == id).count();
        eprintln!(
            "aftersale-server: {n} stored order(s) are under policy {id:?}, which is neither a \
             preset nor given by --policy: no request for them is taken"
        );
    }
    let hook_host = webhook.as_ref().map(Webhook::host);
    match &hook_host {
        Some(host) => state = state.with_webhook(host.clone()),
        // Kept by a start that had a webhook: sent by the next that has.
        None => match state.store.webhook_backlog(0).await {
            Ok(backlog) if backlog.waiting > 0 => eprintln!(
                "aftersale-server: {} webhook event(s) wait to be sent; start with --webhook-url \
                 and --webhook-secret to send them",
                backlog.waiting
            ),
            Ok(_) => {}
            Err(e) => return Err(e.to_string()),
        },
    }
    let state = Arc::new(state);
    tokio::spawn(photos::keep_dropping_unfinished(
        state.clone(),
        chrono::Duration::days(args.unfinished_photo_days.into()),
        std::time::Duration::from_secs(60 * 60),
    ));
    if let Some(hook) = webhook {
        tokio::spawn(webhook::keep_delivering(state.clone(), hook));
    }
    let config = HttpConfig {
        allowed_origins: args.allowed_origins.clone(),
        body_limit: args.body_limit,
        static_dir: args.static_dir.clone(),
    };
    let app = router(state, &config);
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", args.listen))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    // Whoever started the server may have stopped reading its output; that
    // is no reason to stop serving (println! would panic on a closed pipe).
    let mut banner = format!("aftersale-server: listening on http://{addr} (database: {db})\n");
    if let Some(dir) = &args.static_dir {
        banner.push_str(&format!("  shop demo:     http://{addr}/\n"));
        if dir.join("returns.html").is_file() {
            banner.push_str(&format!(
                "  returns page:  http://{addr}/returns.html (an order by its number and email)\n"
            ));
        }
    }
    match shown_token {
        Some(token) => banner.push_str(&format!(
            "  merchant view: http://{addr}/merchant (token: {token})\n"
        )),
        None => banner.push_str(&format!("  merchant view: http://{addr}/merchant\n")),
    }
    if !own.is_empty() {
        banner.push_str(&format!(
            "  policies:      {} (http://{addr}/api/policies/ID)\n",
            own.join(", ")
        ));
    }
    if let Some(host) = hook_host {
        banner.push_str(&format!(
            "  webhook:       each request and status change to {host}, signed\n"
        ));
    }
    if open {
        banner.push_str(
            "  orders:        open to anyone who knows an order id \
             (--order-secret gives each order a key)\n",
        );
    }
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(banner.as_bytes()).and_then(|()| out.flush());
    drop(out);
    // Each connection's peer address, for counting a returns page's finds
    // by client.
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(stop_asked())
    .await
    .map_err(|e| e.to_string())
}

/// Resolves when the server is asked to stop: Ctrl-C (SIGINT), or SIGTERM,
/// which `docker stop`, systemd and `kill` send. It then takes no new
/// connection, finishes the requests under way and exits 0; a request cut
/// off by a harder stop is sent again by the widget under its key.
async fn stop_asked() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}
