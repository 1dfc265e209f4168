//! The server started with a shop's own policies: a policy file that does
//! not check, or an order under a policy the server does not have, stops it
//! before it serves; a good one is served to widgets and decides its orders.

mod binary;

use std::process::Command;

use aftersale_engine::Policy;
use serde_json::json;

/// Acme: Xtelary's terms under another name, with `fee` percent for a
/// cancellation after 24 hours.
fn acme(fee: &str) -> String {
    aftersale_engine::presets::source("xtelary")
        .unwrap()
        .replace("xtelary.", "acme.")
        .replacen("\"id\": \"xtelary\"", "\"id\": \"acme\"", 1)
        .replacen(
            "\"fee_percent\": \"2\"",
            &format!("\"fee_percent\": \"{fee}\""),
            1,
        )
}

/// An orders file with one order, A-1, under `policy`.
fn orders(dir: &std::path::Path, policy: &str) -> std::path::PathBuf {
    let path = dir.join("orders.json");
    let order = json!({
        "id": "A-1", "currency": "USD", "placed_at": chrono::Utc::now() - chrono::Duration::hours(30),
        "shipped_at": null, "last_tracking_event_at": null, "delivered_at": null,
        "ship_from": "us_warehouse", "shipping_paid": "0.00", "exchanges_used": 0,
        "lines": [{ "id": "L1", "sku": "AC-BOX-6", "title": "Acrylic display box", "unit_price": "39.90",
                    "quantity": 1, "tags": [] }]
    });
    let list = json!([{ "id": "A-1", "policy_id": policy, "label": "acme",
                        "data": { "order": order, "exchange_options": [] } }]);
    std::fs::write(&path, list.to_string()).unwrap();
    path
}

#[test]
fn an_orders_file_given_again_unchanged_keeps_who_put_each_order_and_when() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shop.db");
    let file = orders(dir.path(), "xtelary");
    let put_of_a1 = || {
        let (mut server, addr) = binary::start(&[
            "--database".as_ref(),
            db.as_os_str(),
            "--orders".as_ref(),
            file.as_os_str(),
        ]);
        let auth = [("Authorization", "Bearer ops-token-1")];
        let (status, body) =
            binary::http(&addr, "GET", "/api/merchant/orders/A-1", &auth, "").unwrap();
        server.kill().unwrap();
        server.wait().unwrap();
        assert_eq!(status, 200, "{body}");
        serde_json::from_str::<serde_json::Value>(&body).unwrap()
    };
    let first = put_of_a1();
    assert_eq!(first["put"]["by"], "--orders", "{first}");
    // The same file again: the version stays as it was put, and when.
    let again = put_of_a1();
    assert_eq!(again["put"], first["put"]);
    // A changed order in it is a new version, put by the file now.
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        text.replace("\"label\":\"acme\"", "\"label\":\"acme #1\""),
    )
    .unwrap();
    let changed = put_of_a1();
    assert_eq!(changed["label"], "acme #1", "{changed}");
    assert_eq!(changed["put"]["by"], "--orders");
    assert!(
        changed["put"]["at"].as_str() > first["put"]["at"].as_str(),
        "{changed} after {first}"
    );
}

#[test]
fn a_policy_file_that_does_not_check_stops_the_server_naming_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let (db, bad) = (dir.path().join("shop.db"), dir.path().join("acme.json"));
    std::fs::write(&bad, acme("150")).unwrap();
    let (code, stderr) = stopped(&[
        "--database".as_ref(),
        db.as_os_str(),
        "--policy".as_ref(),
        bad.as_os_str(),
    ]);
    assert_eq!(code, Some(1), "{stderr}");
    let wanted = format!(
        "--policy {}: clauses[2].effect.grant.fee_percent: 150 is more than 100",
        bad.display()
    );
    assert!(stderr.contains(&wanted), "{stderr}");
    assert!(!db.exists(), "stopped before the database was made");
}

#[test]
fn two_policy_files_with_one_id_stop_the_server() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shop.db");
    let (a, b) = (dir.path().join("a.json"), dir.path().join("b.json"));
    std::fs::write(&a, acme("3")).unwrap();
    std::fs::write(&b, acme("4")).unwrap();
    let (code, stderr) = stopped(&[
        "--database".as_ref(),
        db.as_os_str(),
        "--policy".as_ref(),
        a.as_os_str(),
        "--policy".as_ref(),
        b.as_os_str(),
    ]);
    assert_eq!(code, Some(1), "{stderr}");
    let wanted = format!(
        "--policy {}: policy \"acme\" is also given by {}",
        b.display(),
        a.display()
    );
    assert!(stderr.contains(&wanted), "{stderr}");
}

#[test]
fn an_order_under_a_policy_the_server_lacks_stops_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shop.db");
    let orders = orders(dir.path(), "acme");
    let (code, stderr) = stopped(&[
        "--database".as_ref(),
        db.as_os_str(),
        "--orders".as_ref(),
        orders.as_os_str(),
    ]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains(
            "order A-1: policy_id: \"acme\" is neither a preset nor one of this server's --policy files"
        ),
        "{stderr}"
    );
}

#[test]
fn a_shop_s_policy_file_is_served_and_its_orders_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let (db, file) = (dir.path().join("shop.db"), dir.path().join("acme.json"));
    std::fs::write(&file, acme("3")).unwrap();
    let orders = orders(dir.path(), "acme");
    let (mut server, addr) = binary::start(&[
        "--database".as_ref(),
        db.as_os_str(),
        "--orders".as_ref(),
        orders.as_os_str(),
        "--policy".as_ref(),
        file.as_os_str(),
    ]);
    let (status, body) = binary::http(&addr, "GET", "/api/policies/acme", &[], "").unwrap();
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        Policy::from_json(&body).unwrap(),
        Policy::from_json(&acme("3")).unwrap()
    );
    let (status, body) = binary::http(&addr, "GET", "/api/orders/A-1", &[], "").unwrap();
    assert_eq!(status, 200, "{body}");
    // The merchant sees that the file put this version.
    let auth = [("Authorization", "Bearer ops-token-1")];
    let (status, body) = binary::http(&addr, "GET", "/api/merchant/orders/A-1", &auth, "").unwrap();
    assert_eq!(status, 200, "{body}");
    let stored: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(stored["put"]["by"], "--orders", "{body}");
    server.kill().unwrap();
    server.wait().unwrap();

    // Started again without the file, it says what its stored orders lack.
    let mut again = Command::new(env!("CARGO_BIN_EXE_aftersale-server"))
        .args([
            "--listen",
            "127.0.0.1:0",
            "--merchant-tokens",
            "ops:ops-token-1",
        ])
        .arg("--database")
        .arg(&db)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(again.stderr.take().unwrap()),
        &mut line,
    )
    .unwrap();
    again.kill().unwrap();
    again.wait().unwrap();
    assert_eq!(
        line.trim_end(),
        "aftersale-server: 1 stored order(s) are under policy \"acme\", which is neither a \
         preset nor given by --policy: no request for them is taken"
    );
}

/// Runs the server with `args`, killed after 10 s if it has not stopped
/// (a server that took them would serve on): its exit code and stderr.
fn stopped(args: &[&std::ffi::OsStr]) -> (Option<i32>, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_aftersale-server"))
        .args(["--listen", "127.0.0.1:0"])
        .args(args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the server runs");
    let started = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() && started.elapsed().as_secs() < 10 {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let _ = child.kill();
    let out = child.wait_with_output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn an_origin_no_browser_sends_stops_the_server_saying_how_to_write_it() {
    // A host alone, or a page's URL, would match no page's `Origin`: the
    // shop would see its widget blocked, with nothing said here.
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shop.db");
    for (given, said) in [
        (
            "shop.example",
            "is not an origin: write it as scheme://host[:port]",
        ),
        ("https://shop.example/returns", "is a page, not an origin"),
    ] {
        let (code, stderr) = stopped(&[
            "--database".as_ref(),
            db.as_os_str(),
            "--allow-origin".as_ref(),
            given.as_ref(),
        ]);
        assert_eq!(code, Some(2), "{given}: {stderr}");
        assert!(stderr.contains("--allow-origin"), "{stderr}");
        assert!(stderr.contains(said), "{stderr}");
    }
    assert!(!db.exists(), "nothing made before the arguments are read");
}

#[test]
fn a_static_dir_that_is_no_folder_and_merchant_tokens_that_name_no_one_stop_the_server() {
    // `--static-dir dist` from the wrong working directory would serve 404s;
    // a token without a name, or one for two names, would record changes
    // under no one or the wrong one.
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shop.db");
    let file = dir.path().join("index.html");
    std::fs::write(&file, "<p>hello</p>").unwrap();
    let missing = dir.path().join("dist");
    let cases: [(&[&std::ffi::OsStr], &str); 4] = [
        (
            &["--static-dir".as_ref(), missing.as_os_str()],
            "No such file or directory",
        ),
        (
            &["--static-dir".as_ref(), file.as_os_str()],
            "is a file, not a folder",
        ),
        (
            &["--merchant-tokens".as_ref(), ":long-secret".as_ref()],
            "has no name",
        ),
        (
            &[
                "--merchant-tokens".as_ref(),
                "ana:long-secret,bo:long-secret".as_ref(),
            ],
            "have the same token",
        ),
    ];
    for (args, said) in cases {
        let (code, stderr) = stopped(&[&["--database".as_ref(), db.as_os_str()], args].concat());
        assert!(matches!(code, Some(1 | 2)), "{args:?}: {code:?} {stderr}");
        assert!(stderr.contains(said), "{args:?}: {stderr}");
        assert!(
            !stderr.contains("long-secret"),
            "no secret written out: {stderr}"
        );
    }
}

#[test]
fn a_body_limit_no_request_fits_in_stops_the_server() {
    // `--body-limit 0` (or 100) started a server that refused every
    // request as too large.
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shop.db");
    for given in ["0", "100"] {
        let (code, stderr) = stopped(&[
            "--database".as_ref(),
            db.as_os_str(),
            "--body-limit".as_ref(),
            given.as_ref(),
        ]);
        assert_eq!(code, Some(2), "{given}: {stderr}");
        assert!(stderr.contains("--body-limit"), "{stderr}");
        assert!(stderr.contains("4096"), "{stderr}");
    }
}

#[test]
fn a_returns_page_s_finds_are_counted_by_the_client_s_address() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shop.db");
    let find = |from: &str, addr: &str, headers: &[(&str, &str)], email: &str| {
        let mut headers = headers.to_vec();
        headers.push(("Content-Type", "application/json"));
        let body = format!(r#"{{"order": "X-103", "email": "{email}"}}"#);
        let local = from.parse().unwrap();
        binary::http_from(local, addr, "POST", "/api/find-order", &headers, &body)
            .unwrap()
            .0
    };
    let (mut server, addr) = binary::start(&[
        "--database".as_ref(),
        db.as_os_str(),
        "--seed-demo".as_ref(),
    ]);
    for i in 0..5 {
        assert_eq!(
            find("127.0.0.1", &addr, &[], &format!("g{i}@example.com")),
            404
        );
    }
    assert_eq!(find("127.0.0.1", &addr, &[], "mia.keller@example.com"), 429);
    // Another client of the same server: its own counts.
    assert_eq!(find("127.0.0.2", &addr, &[], "mia.keller@example.com"), 200);
    server.kill().unwrap();
    server.wait().unwrap();

    // Behind a proxy: the header it sets names the client.
    let db = dir.path().join("proxied.db");
    let (mut server, addr) = binary::start(&[
        "--database".as_ref(),
        db.as_os_str(),
        "--seed-demo".as_ref(),
        "--client-ip-header".as_ref(),
        "X-Forwarded-For".as_ref(),
    ]);
    let first = [("X-Forwarded-For", "203.0.113.1")];
    for i in 0..5 {
        assert_eq!(
            find("127.0.0.1", &addr, &first, &format!("g{i}@example.com")),
            404
        );
    }
    assert_eq!(
        find("127.0.0.1", &addr, &first, "mia.keller@example.com"),
        429
    );
    let second = [("X-Forwarded-For", "203.0.113.2")];
    assert_eq!(
        find("127.0.0.1", &addr, &second, "mia.keller@example.com"),
        200
    );
    server.kill().unwrap();
    server.wait().unwrap();

    let (code, stderr) = stopped(&[
        "--database".as_ref(),
        db.as_os_str(),
        "--client-ip-header".as_ref(),
        "X Forwarded For".as_ref(),
    ]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("is not a header name"), "{stderr}");
}

#[test]
fn database_connections_are_for_postgres_and_at_least_one() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shop.db");
    for (n, said) in [
        ("4", "--database-connections is for a PostgreSQL database"),
        ("0", "--database-connections"),
    ] {
        let (code, stderr) = stopped(&[
            "--database".as_ref(),
            db.as_os_str(),
            "--database-connections".as_ref(),
            n.as_ref(),
        ]);
        assert!(matches!(code, Some(1 | 2)), "{n}: {code:?} {stderr}");
        assert!(stderr.contains(said), "{n}: {stderr}");
    }
}

#[test]
fn an_orders_file_the_widget_could_not_read_stops_the_server_naming_the_order_and_field() {
    // Each would have started, and failed only on the order's page (or on
    // every request for it): a price that is no amount, an order given
    // twice (one hiding the other), data of another order than its entry
    // says, dates out of order, and an id the demo's orders have.
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shop.db");
    let good: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(orders(dir.path(), "xtelary")).unwrap())
            .unwrap();
    let changed = |f: &dyn Fn(&mut serde_json::Value)| {
        let mut list = good.clone();
        f(&mut list);
        list
    };
    let cases = [
        (
            changed(&|l| l[0]["data"]["order"]["lines"][0]["unit_price"] = json!("abc")),
            "order A-1: data.order.lines[0].unit_price: \"abc\" is not a decimal amount",
        ),
        (
            changed(&|l| {
                let again = l[0].clone();
                l.as_array_mut().unwrap().push(again)
            }),
            "order A-1 is given twice",
        ),
        (
            changed(&|l| l[0]["data"]["order"]["id"] = json!("A-2")),
            "order A-1: data.order.id: is \"A-2\": the widget would send requests for that order",
        ),
        (
            changed(&|l| l[0]["data"]["order"]["shipped_at"] = json!("2000-01-01T00:00:00Z")),
            "order A-1: data.order.shipped_at: is before order.placed_at",
        ),
        (
            changed(&|l| {
                l[0]["id"] = json!("X-105");
                l[0]["data"]["order"]["id"] = json!("X-105")
            }),
            "order X-105 is given twice (--seed-demo has it too)",
        ),
        // Read as a put's body is: a misspelt field would have left the
        // order without the email its returns page finds it by.
        (
            changed(&|l| l[0]["emial"] = json!("mia@example.com")),
            "order A-1: emial: unknown field `emial`, expected one of",
        ),
        (
            changed(&|l| l[0]["email"] = json!("mia at example.com")),
            "order A-1: email: \"mia at example.com\" is not an email address",
        ),
        (
            changed(&|l| {
                l[0].as_object_mut().unwrap().remove("id");
            }),
            "[0].id: each order needs its id, a string",
        ),
        (
            changed(&|l| *l = json!({ "A-1": l[0].clone() })),
            "invalid type: map, expected a sequence",
        ),
    ];
    let file = dir.path().join("orders.json");
    for (list, said) in cases {
        std::fs::write(&file, list.to_string()).unwrap();
        let (code, stderr) = stopped(&[
            "--database".as_ref(),
            db.as_os_str(),
            "--seed-demo".as_ref(),
            "--orders".as_ref(),
            file.as_os_str(),
        ]);
        assert_eq!(code, Some(1), "{said}: {stderr}");
        let wanted = format!("--orders {}: {said}", file.display());
        assert!(stderr.contains(&wanted), "{wanted}\n{stderr}");
    }
    // Placed by a clock ahead of this one: no error.
    std::fs::write(
        &file,
        changed(&|l| l[0]["data"]["order"]["placed_at"] = json!("2099-01-01T00:00:00Z"))
            .to_string(),
    )
    .unwrap();
    let (mut server, addr) = binary::start(&[
        "--database".as_ref(),
        db.as_os_str(),
        "--orders".as_ref(),
        file.as_os_str(),
    ]);
    let (status, body) = binary::http(&addr, "GET", "/api/orders/A-1", &[], "").unwrap();
    server.kill().unwrap();
    server.wait().unwrap();
    assert_eq!(status, 200, "{body}");
}

#[cfg(unix)]
#[test]
fn sigterm_lets_the_request_under_way_finish_then_the_server_exits() {
    use std::io::{Read, Write};
    // SIGTERM is what `docker stop`, systemd and `kill` send.
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shop.db");
    let (mut server, addr) = binary::start(&["--database".as_ref(), db.as_os_str()]);
    // A request under way: its head and half its body arrived.
    let body = r#"{"order_id": "nothing here"}"#;
    let mut stream = std::net::TcpStream::connect(&addr).unwrap();
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "POST /api/requests HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n\
         Idempotency-Key: sigterm-1\r\nConnection: close\r\nContent-Length: {}\r\n\r\n{}",
        body.len(),
        &body[..10]
    )
    .unwrap();
    stream.flush().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(200));
    let term = Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .unwrap();
    assert!(term.success());
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert!(
        server.try_wait().unwrap().is_none(),
        "still there while a request is under way"
    );
    // The rest of the body: the request is answered, then the server goes.
    stream.write_all(&body.as_bytes()[10..]).unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 4"), "{answer}");
    let started = std::time::Instant::now();
    let status = loop {
        if let Some(status) = server.try_wait().unwrap() {
            break status;
        }
        assert!(started.elapsed().as_secs() < 10, "still running");
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    assert_eq!(status.code(), Some(0), "{status}");
}

#[test]
fn a_database_url_is_a_sqlite_file_or_postgres_and_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    // As sqlx and others write a SQLite file: the file is made.
    let file = dir.path().join("shop.db");
    let (mut server, _) =
        binary::start(&[format!("--database=sqlite:{}", file.display()).as_ref()]);
    server.kill().unwrap();
    server.wait().unwrap();
    assert!(file.exists());
    // Another scheme stops it, its URL (and any password in it) not written out.
    let (code, stderr) = stopped(&["--database".as_ref(), "mysql://ana:s3cret@db/shop".as_ref()]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("--database: mysql:// is no database this server takes"),
        "{stderr}"
    );
    assert!(!stderr.contains("s3cret"), "{stderr}");
    let stray = std::path::Path::new("mysql:");
    assert!(!stray.exists(), "no file made from the URL");
}

#[test]
fn help_writes_no_secret_from_the_environment() {
    let out = Command::new(env!("CARGO_BIN_EXE_aftersale-server"))
        .arg("--help")
        .env("DATABASE_URL", "postgres://ana:db-s3cret@db/shop")
        .env("AFTERSALE_MERCHANT_TOKENS", "ana:token-s3cret")
        .env("AFTERSALE_ORDER_SECRET", "order-secret-s3cret")
        .output()
        .unwrap();
    let help = String::from_utf8_lossy(&out.stdout);
    assert!(help.contains("[env: DATABASE_URL]"), "{help}");
    assert!(!help.contains("s3cret"), "{help}");
}

#[test]
fn an_orders_file_that_leaves_out_a_line_a_request_names_stops_the_server() {
    // The file is the shop's word on its orders at each start, as a put
    // without a precondition is: and as a put, it keeps what requests name.
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shop.db");
    let file = dir.path().join("orders.json");
    let now = chrono::Utc::now();
    let delivered = json!({
        "id": "A-1", "currency": "USD", "placed_at": now - chrono::Duration::days(5),
        "shipped_at": now - chrono::Duration::days(4), "last_tracking_event_at": null,
        "delivered_at": now - chrono::Duration::days(1),
        "ship_from": "us_warehouse", "shipping_paid": "0.00", "exchanges_used": 0,
        "lines": [
            { "id": "L1", "sku": "AC-BOX-6", "title": "Acrylic display box", "unit_price": "39.90",
              "quantity": 1, "tags": [] },
            { "id": "L2", "sku": "AC-BOX-12", "title": "Acrylic display box, 12 slots",
              "unit_price": "59.90", "quantity": 1, "tags": [] }
        ]
    });
    let entry = |order: &serde_json::Value| {
        json!([{ "id": "A-1", "policy_id": "xtelary", "label": "acme",
                 "data": { "order": order, "exchange_options": [] } }])
        .to_string()
    };
    std::fs::write(&file, entry(&delivered)).unwrap();
    let args = [
        "--database".as_ref(),
        db.as_os_str(),
        "--orders".as_ref(),
        file.as_os_str(),
    ];
    let (mut server, addr) = binary::start(&args);
    // A return of L1, quoted as the widget quotes it.
    let policy = Policy::preset("xtelary").unwrap();
    let request = json!({ "kind": "return", "reason": "changed_mind",
        "lines": [{ "line_id": "L1", "quantity": 1 }], "resolution": null,
        "condition": { "unused": true, "original_packaging": true, "complete": true },
        "exchange_for": null });
    let scenario: aftersale_engine::Scenario =
        serde_json::from_value(json!({ "now": now, "order": delivered, "request": request }))
            .unwrap();
    let quote = aftersale_engine::quote(&policy, &scenario).unwrap();
    assert!(quote.eligible, "{quote:?}");
    let attachments = match aftersale_engine::photos_asked(&policy, &quote) {
        Some(_) => json!([{ "name": "box.jpg", "type": "image/jpeg", "size": 2048 }]),
        None => json!([]),
    };
    let body = json!({
        "format": "aftersale.request/1", "order_id": "A-1",
        "policy": { "id": "xtelary", "version": policy.version }, "request": request,
        "quote": quote, "attachments": attachments, "contact": { "email": "kim@example.com" },
        "locale": "en", "submitted_at": now,
    });
    let headers = [
        ("Content-Type", "application/json"),
        ("Idempotency-Key", "orders-file-return"),
    ];
    let answer = binary::http(&addr, "POST", "/api/requests", &headers, &body.to_string());
    server.kill().unwrap();
    server.wait().unwrap();
    let (status, text) = answer.unwrap();
    assert_eq!(status, 201, "{text}");

    // The file without L1: refused, naming the line and the request.
    let mut without = delivered.clone();
    without["lines"].as_array_mut().unwrap().remove(0);
    std::fs::write(&file, entry(&without)).unwrap();
    let (code, stderr) = stopped(&args);
    assert_eq!(code, Some(1), "{stderr}");
    let rma: serde_json::Value = serde_json::from_str(&text).unwrap();
    let wanted = format!(
        "--orders {}: order A-1: data.order.lines: line \"L1\" is gone, but open requests hold 1 \
         of its units ({})",
        file.display(),
        rma["rma"].as_str().unwrap()
    );
    assert!(stderr.contains(&wanted), "{wanted}\n{stderr}");
    // Without L2, which no request names: taken.
    let mut fewer = delivered.clone();
    fewer["lines"].as_array_mut().unwrap().remove(1);
    std::fs::write(&file, entry(&fewer)).unwrap();
    let (mut server, addr) = binary::start(&args);
    let (status, body) = binary::http(&addr, "GET", "/api/orders/A-1", &[], "").unwrap();
    server.kill().unwrap();
    server.wait().unwrap();
    assert_eq!(status, 200, "{body}");
    let served: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(served["order"]["lines"].as_array().unwrap().len(), 1);
}
