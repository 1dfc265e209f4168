//! The `aftersale` binary, run as a user would.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use serde_json::{Value, json};

fn run(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_aftersale"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    // The program may exit before reading its input (an unknown policy, say):
    // a closed pipe is its answer, not a test failure.
    if let Err(e) = child.stdin.take().unwrap().write_all(stdin.as_bytes()) {
        assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "{e}");
    }
    child.wait_with_output().unwrap()
}

fn example() -> Value {
    json!({
        "now": "2026-03-02T08:00:00Z",
        "order": {
            "id": "A-1001", "currency": "USD", "placed_at": "2026-03-01T09:00:00Z",
            "shipped_at": null, "last_tracking_event_at": null, "delivered_at": null,
            "ship_from": "us_warehouse", "shipping_paid": "4.99", "exchanges_used": 0,
            "lines": [{ "id": "L1", "sku": "HTV-RED-12", "title": "Heat transfer vinyl, red", "unit_price": "12.50", "quantity": 2, "tags": [] }]
        },
        "request": { "kind": "cancel", "reason": null, "lines": [], "resolution": null, "condition": null, "exchange_for": null }
    })
}

fn stdout_json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).expect("JSON on stdout")
}

#[test]
fn quote_answers_the_semantics_example() {
    let out = run(&["quote", "--policy", "xtelary"], &example().to_string());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let q = stdout_json(&out);
    assert_eq!(q["eligible"], true);
    assert_eq!(q["clauses"], json!(["xtelary.cancel_free"]));
    assert_eq!(q["refund"], "29.99");
    assert_eq!(q["deadline"], "2026-03-02T09:00:00Z");
}

#[test]
fn a_refused_quote_still_exits_zero() {
    let mut s = example();
    s["order"]["shipped_at"] = json!("2026-03-01T20:00:00Z");
    let out = run(&["quote", "--policy", "xtelary"], &s.to_string());
    assert!(out.status.success());
    let q = stdout_json(&out);
    assert_eq!(q["eligible"], false);
    assert_eq!(q["clauses"][0], "xtelary.cancel_shipped");
}

#[test]
fn input_breaking_the_contract_exits_nonzero_with_one_line_naming_the_field() {
    let mut s = example();
    s["request"] = json!({ "kind": "return", "reason": "damaged", "lines": [{ "line_id": "L7", "quantity": 1 }] });
    let out = run(&["quote", "--policy", "htvront"], &s.to_string());
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty(), "no quote on stdout");
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("request.lines[0].line_id"), "{err}");
}

#[test]
fn json_that_does_not_parse_is_one_line_on_stderr() {
    let out = run(
        &["quote", "--policy", "xtelary"],
        "{\"now\": \"2026-03-02T08:00:00Z\",\n \"order\": ",
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");
}

#[test]
fn an_unknown_policy_is_named() {
    let out = run(&["quote", "--policy", "nosuchshop"], &example().to_string());
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("nosuchshop") && err.contains("htvront, xtelary"),
        "{err}"
    );
}

#[test]
fn a_policy_file_path_is_accepted() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("xtelary-copy.json");
    std::fs::write(&path, aftersale_engine::presets::source("xtelary").unwrap()).unwrap();
    let out = run(
        &["quote", "--policy", path.to_str().unwrap()],
        &example().to_string(),
    );
    assert!(out.status.success());
    assert_eq!(stdout_json(&out)["refund"], "29.99");
}

#[test]
fn check_policy_accepts_both_presets() {
    for name in ["htvront", "xtelary"] {
        let path = format!(
            "{}/../engine/policies/{name}.json",
            env!("CARGO_MANIFEST_DIR")
        );
        let out = run(&["check-policy", &path], "");
        assert!(
            out.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&out.stdout)
        );
        assert!(
            String::from_utf8(out.stdout)
                .unwrap()
                .starts_with("ok: policy")
        );
    }
}

#[test]
fn check_policy_names_the_languages_a_file_is_translated_into() {
    let path = format!("{}/../demo/acme.json", env!("CARGO_MANIFEST_DIR"));
    let out = run(&["check-policy", &path], "");
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "ok: policy \"acme\" version \"2026-11-23\": 4 clauses, 2 steps, its texts in en, also in de, zh\n"
    );
}

#[test]
fn check_policy_names_the_texts_a_language_leaves_untranslated() {
    let mut policy: Value =
        serde_json::from_str(include_str!("../../engine/policies/xtelary.json")).unwrap();
    policy["translations"] = json!({
        "de": {
            "clauses": { "xtelary.not_offered": "Das bieten wir nicht an." },
            "if_late": ["Prüfen Sie Ihr Konto."]
        }
    });
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("partly-german.json");
    std::fs::write(&path, policy.to_string()).unwrap();
    let out = run(&["check-policy", path.to_str().unwrap()], "");
    assert!(out.status.success(), "untranslated texts are not problems");
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{stdout}");
    assert!(
        lines[0].ends_with(", its texts in en, also in de"),
        "{stdout}"
    );
    // Every clause and step but the one given, and the timeline's other late texts.
    let clauses = policy["clauses"].as_array().unwrap();
    let steps = policy["steps"].as_array().unwrap();
    let late = policy["refund_timeline"]["if_late"].as_array().unwrap();
    let left: Vec<String> = clauses
        .iter()
        .map(|c| format!("clauses.{}", c["id"].as_str().unwrap()))
        .chain(
            steps
                .iter()
                .map(|s| format!("steps.{}", s["id"].as_str().unwrap())),
        )
        .chain((1..late.len()).map(|i| format!("if_late[{i}]")))
        .collect();
    assert!(left.len() > 10, "the preset has texts to leave");
    assert_eq!(
        lines[1],
        format!(
            "  de leaves {} texts in the policy's own words: {}",
            left.len(),
            left.join(", ")
        )
    );
}

#[test]
fn check_policy_rejects_a_broken_file_field_by_field() {
    let mut p: Value =
        serde_json::from_str(aftersale_engine::presets::source("xtelary").unwrap()).unwrap();
    p["clauses"][2]["effect"]["grant"]["fee_percent"] = json!("150");
    p["clauses"][4]["require"][0]["within"]["length"] = json!(0);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("broken.json");
    std::fs::write(&path, p.to_string()).unwrap();
    let out = run(&["check-policy", path.to_str().unwrap()], "");
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("2 problems"), "{text}");
    assert!(
        text.contains("clauses[2].effect.grant.fee_percent: 150 is more than 100"),
        "{text}"
    );
    assert!(
        text.contains("clauses[4].require[0].within.length: a window must be longer than zero"),
        "{text}"
    );
}

#[test]
fn check_policy_reports_a_syntax_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.json");
    std::fs::write(&path, "{ \"id\": \"x\", ").unwrap();
    let out = run(&["check-policy", path.to_str().unwrap()], "");
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.ends_with(": 1 problem\n  EOF while parsing a value at line 1 column 13\n"),
        "{text}"
    );
}

#[test]
fn overview_lists_what_the_order_allows() {
    let s = example();
    let input = json!({ "now": s["now"], "order": s["order"] });
    let out = run(&["overview", "--policy", "xtelary"], &input.to_string());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let o = stdout_json(&out);
    let cancel = &o["entries"][0];
    assert_eq!(
        (cancel["kind"].as_str(), cancel["availability"].as_str()),
        (Some("cancel"), Some("open"))
    );
    assert_eq!(cancel["deadline"], "2026-03-02T09:00:00Z");
}

#[test]
fn timeline_prints_business_day_dates() {
    // Fri 2026-03-06 + 14 business days = Thu 2026-03-26; + 7 = Mon 2026-04-06; + 10 = Thu 2026-04-09.
    let out = run(
        &[
            "timeline",
            "--policy",
            "xtelary",
            "--received",
            "2026-03-06",
        ],
        "",
    );
    assert!(out.status.success());
    let t = stdout_json(&out);
    assert_eq!(t["processed_by"], "2026-03-26");
    assert_eq!(t["credited_from"], "2026-04-06");
    assert_eq!(t["credited_by"], "2026-04-09");
    assert_eq!(t["if_late"].as_array().unwrap().len(), 4);
}

#[test]
fn timeline_takes_days_written_yyyy_mm_dd_and_says_what_it_cannot_give() {
    let timeline = |received: &str, policy: &str| {
        let received_arg = format!("--received={received}");
        let out = run(&["timeline", "--policy", policy, &received_arg], "");
        assert!(!out.status.success(), "{received}: took it");
        assert!(out.stdout.is_empty(), "{received}: printed a timeline");
        String::from_utf8(out.stderr).unwrap()
    };
    // Chrono alone reads these, and printed a timeline for each.
    for odd in ["+262142-12-20", "-0001-01-01", "+2026-11-24"] {
        let said = timeline(odd, "xtelary");
        assert!(said.contains("is not a day (YYYY-MM-DD)"), "{odd}: {said}");
    }
    // Printed dates in year +10000.
    assert!(
        timeline("9999-12-20", "xtelary").contains("ends after 9999-12-31"),
        "9999-12-20"
    );
    // A policy without a timeline says so.
    assert!(timeline("2026-11-24", "htvront").contains("gives no refund timeline"));
}
