//! `schema/policy.schema.json`: what `aftersale policy-schema` prints, taken
//! by every policy the project ships, and refusing what an editor should flag.

use std::process::Command;
use std::sync::OnceLock;

use aftersale_engine::Policy;
use proptest::prelude::*;
use serde_json::{Value, json};

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/..");

fn read(path: &str) -> String {
    std::fs::read_to_string(format!("{ROOT}/{path}")).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The published schema, compiled once.
fn validator() -> &'static jsonschema::Validator {
    static VALIDATOR: OnceLock<jsonschema::Validator> = OnceLock::new();
    VALIDATOR.get_or_init(|| {
        let schema: Value = serde_json::from_str(&read("schema/policy.schema.json")).unwrap();
        jsonschema::options()
            .should_validate_formats(true)
            .build(&schema)
            .expect("the published schema compiles")
    })
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
    let cases: [Mistake; 9] = [
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
            "a window of no length",
            |p| p["clauses"][4]["require"][0]["within"]["length"] = json!(0),
            "/clauses/4/require/0",
            "clauses[4].require[0].within.length",
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

/// Every place in a JSON value, as a JSON pointer (`/clauses/0/when`).
fn pointers(value: &Value, at: String, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => map.iter().for_each(|(k, v)| {
            pointers(
                v,
                format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")),
                out,
            )
        }),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .for_each(|(i, v)| pointers(v, format!("{at}/{i}"), out)),
        _ => {}
    }
    out.push(at);
}

/// Values a mistake may put anywhere: wrong types, and names the format
/// uses elsewhere (so that some changes are still good policies).
fn replacement() -> impl Strategy<Value = Value> {
    prop::sample::select(vec![
        json!(null),
        json!(true),
        json!(0),
        json!(5),
        json!("5"),
        json!("x"),
        json!([]),
        json!({}),
        json!(["return"]),
        json!("return"),
        json!("changed_mind"),
        json!("days"),
        json!("business_days"),
        json!("delivered"),
        json!("customer"),
        json!("refund"),
        json!("sun"),
        json!("refuse"),
        json!("gate"),
        json!("+01:00"),
        json!("2026-12-25"),
        json!({ "shipped": true }),
        json!({ "length": 3, "unit": "days", "from": "placed" }),
    ])
}

/// One mistake: at a place, drop it, put a value there, or give an object
/// a field it does not have.
fn mutate(policy: &mut Value, at: &str, how: u8, value: Value) {
    let Some((parent, last)) = at.rsplit_once('/') else {
        return;
    };
    let Some(target) = policy.pointer_mut(parent) else {
        return;
    };
    let last = last.replace("~1", "/").replace("~0", "~");
    match (how % 3, target) {
        (0, Value::Object(map)) => {
            map.remove(&last);
        }
        (0, Value::Array(items)) => {
            items.remove(last.parse::<usize>().unwrap());
        }
        (1, Value::Object(map)) => {
            map.insert(last, value);
        }
        (1, Value::Array(items)) => items[last.parse::<usize>().unwrap()] = value,
        (_, Value::Object(map)) => {
            map.insert("unheard_of".into(), value);
        }
        _ => {}
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1500))]

    /// The schema and the engine read one format: what the schema takes,
    /// the engine can read; what the engine takes (read and checked), the
    /// schema takes. (Between the two are the engine's own checks.)
    #[test]
    fn the_schema_and_the_engine_agree_on_any_one_mistake(
        file in prop::sample::select(SHIPPED.to_vec()),
        place in any::<prop::sample::Index>(),
        how in any::<u8>(),
        value in replacement(),
    ) {
        let mut policy: Value = serde_json::from_str(&read(file)).unwrap();
        let mut places = Vec::new();
        pointers(&policy, String::new(), &mut places);
        let at = place.get(&places).clone();
        mutate(&mut policy, &at, how, value);
        let by_schema = schema_error(&policy);
        let read_by_engine = serde_json::from_value::<Policy>(policy.clone());
        if by_schema.is_none() {
            prop_assert!(read_by_engine.is_ok(), "{file} {at}: the schema took what the engine cannot read: {}", read_by_engine.unwrap_err());
        }
        if let Ok(()) = Policy::from_json(&policy.to_string()).map(drop) {
            prop_assert!(by_schema.is_none(), "{file} {at}: the schema flags what the engine takes: {}", by_schema.unwrap());
        }
    }
}
