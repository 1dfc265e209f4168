//! `schema/policy.schema.json`: what `aftersale policy-schema` prints, taken
//! by every policy the project ships, and refusing what an editor should flag.

use std::process::Command;

use aftersale_engine::Policy;
use serde_json::{Value, json};

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/..");

fn read(path: &str) -> String {
    std::fs::read_to_string(format!("{ROOT}/{path}")).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn validator() -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(&read("schema/policy.schema.json")).unwrap();
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the published schema compiles")
}

/// Where the schema finds the first problem (`/clauses/2/effect`), or `None`.
fn schema_error(policy: &Value) -> Option<String> {
    validator()
        .iter_errors(policy)
        .next()
        .map(|e| format!("{} ({e})", e.instance_path()))
}

const SHIPPED: [&str; 3] = [
    "engine/policies/htvront.json",
    "engine/policies/xtelary.json",
    "demo/acme.json",
];

#[test]
fn the_published_schema_is_what_the_engine_prints() {
    let out = Command::new(env!("CARGO_BIN_EXE_aftersale"))
        .arg("policy-schema")
        .output()
        .unwrap();
    assert!(out.status.success());
    let printed = String::from_utf8(out.stdout).unwrap();
    assert_eq!(printed, Policy::json_schema());
    assert!(
        printed == read("schema/policy.schema.json"),
        "schema/policy.schema.json is out of date with the engine's types: \
         cargo run -p aftersale-cli -- policy-schema > schema/policy.schema.json"
    );
}

#[test]
fn every_shipped_policy_is_valid_by_the_schema() {
    for path in SHIPPED {
        let policy: Value = serde_json::from_str(&read(path)).unwrap();
        assert_eq!(schema_error(&policy), None, "{path}");
    }
}

#[test]
fn a_policy_naming_the_schema_reads_the_same_and_is_written_without_it() {
    let mut acme: Value = serde_json::from_str(&read("demo/acme.json")).unwrap();
    assert_eq!(acme["$schema"], "../schema/policy.schema.json");
    let with = Policy::from_json(&acme.to_string()).unwrap();
    acme.as_object_mut().unwrap().remove("$schema");
    let without = Policy::from_json(&acme.to_string()).unwrap();
    assert_eq!(with.schema.as_deref(), Some("../schema/policy.schema.json"));
    assert_eq!(serde_json::to_value(&with).unwrap(), acme);
    assert_eq!(
        Policy {
            schema: None,
            ..with
        },
        without
    );
}

/// A mistake: what it is, how it is made in a policy, where the schema
/// flags it and where `check-policy` does (the engine's path, in its own
/// notation).
type Mistake = (&'static str, fn(&mut Value), &'static str, &'static str);

/// Each mistake made in Xtelary's preset is flagged by both, at one field.
#[test]
fn the_schema_flags_what_the_engine_refuses_at_the_same_field() {
    let cases: [Mistake; 8] = [
        (
            "a misspelt field",
            |p| p["clauses"][1]["effect"]["grant"]["fee_percnt"] = json!("5"),
            "/clauses/1/effect",
            "clauses[1].effect.grant",
        ),
        (
            "a percentage as a JSON number",
            |p| p["clauses"][1]["effect"]["grant"]["fee_percent"] = json!(5),
            "/clauses/1/effect",
            "clauses[1].effect.grant.fee_percent",
        ),
        (
            "an unknown reason",
            |p| p["clauses"][1]["applies_to"][0]["reasons"] = json!(["changed_mnd"]),
            "/clauses/1/applies_to/0/reasons/0",
            "clauses[1].applies_to[0].reasons[0]",
        ),
        (
            "an unknown condition",
            |p| p["clauses"][0]["when"] = json!([{ "paid": true }]),
            "/clauses/0/when/0",
            "clauses[0].when[0]",
        ),
        (
            "an offset that is not one",
            |p| p["calendar"]["utc_offset"] = json!("+8"),
            "/calendar/utc_offset",
            "calendar.utc_offset",
        ),
        (
            "a holiday that is not a date",
            |p| p["calendar"]["holidays"] = json!(["2026-13-01"]),
            "/calendar/holidays/0",
            "calendar.holidays[0]",
        ),
        (
            "a language that is not a subtag",
            |p| p["translations"] = json!({ "german": {} }),
            "/translations",
            "translations.german",
        ),
        (
            "a weekday misspelt",
            |p| p["calendar"]["weekend"] = json!(["saturday"]),
            "/calendar/weekend/0",
            "calendar.weekend[0]",
        ),
    ];
    let preset: Value = serde_json::from_str(&read("engine/policies/xtelary.json")).unwrap();
    for (what, change, schema_at, engine_at) in cases {
        let mut policy = preset.clone();
        change(&mut policy);
        let flagged = schema_error(&policy).unwrap_or_else(|| panic!("{what}: the schema took it"));
        assert!(flagged.starts_with(schema_at), "{what}: {flagged}");
        let refused = Policy::from_json(&policy.to_string())
            .expect_err(what)
            .to_string();
        assert!(refused.starts_with(engine_at), "{what}: {refused}");
    }
}
