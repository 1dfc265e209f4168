//! `schema/policy.schema.json` and `schema/page-data.schema.json`: what
//! `aftersale schema` prints, taken by what the project ships, flagging what
//! an editor should flag, and reading one format with the engine.

use std::process::Command;
use std::sync::OnceLock;

use aftersale_engine::Policy;
use aftersale_engine::scenario::{PageData, deserialize_with_path};
use proptest::prelude::*;
use serde_json::{Value, json};

#[path = "../../tests/support/mistakes.rs"]
mod mistakes;

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/..");

fn read(path: &str) -> String {
    std::fs::read_to_string(format!("{ROOT}/{path}")).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// A published schema, compiled once into `cell`.
fn compiled(
    cell: &'static OnceLock<jsonschema::Validator>,
    path: &str,
) -> &'static jsonschema::Validator {
    cell.get_or_init(|| {
        let schema: Value = serde_json::from_str(&read(path)).unwrap();
        jsonschema::options()
            .should_validate_formats(true)
            .build(&schema)
            .expect("the published schema compiles")
    })
}

/// Where a schema finds the first problem (`/clauses/2/effect`), or `None`.
fn first_error(schema: &jsonschema::Validator, value: &Value) -> Option<String> {
    schema
        .iter_errors(value)
        .next()
        .map(|e| format!("{} ({e})", e.instance_path()))
}

/// Where the policy schema finds the first problem, or `None`.
fn schema_error(policy: &Value) -> Option<String> {
    static SCHEMA: OnceLock<jsonschema::Validator> = OnceLock::new();
    first_error(compiled(&SCHEMA, "schema/policy.schema.json"), policy)
}

/// Where the page data schema finds the first problem, or `None`.
fn page_schema_error(data: &Value) -> Option<String> {
    static SCHEMA: OnceLock<jsonschema::Validator> = OnceLock::new();
    first_error(compiled(&SCHEMA, "schema/page-data.schema.json"), data)
}

const SHIPPED: [&str; 3] = [
    "engine/policies/htvront.json",
    "engine/policies/xtelary.json",
    "demo/acme.json",
];

#[test]
fn the_published_schemas_are_what_the_engine_prints() {
    let formats = [
        ("policy", aftersale_engine::schema::policy()),
        ("page-data", aftersale_engine::schema::page_data()),
    ];
    for (format, from_engine) in formats {
        let out = Command::new(env!("CARGO_BIN_EXE_aftersale"))
            .args(["schema", format])
            .output()
            .unwrap();
        assert!(out.status.success());
        let printed = String::from_utf8(out.stdout).unwrap();
        assert_eq!(printed, from_engine);
        let path = format!("schema/{format}.schema.json");
        assert!(
            printed == read(&path),
            "{path} is out of date with the engine's types: \
             cargo run -p aftersale-cli -- schema {format} > {path}"
        );
    }
}

/// An order's page data with every part: Acme's order, an item offered in
/// exchange, a request the shop has.
fn page_data() -> Value {
    let orders: Value = serde_json::from_str(&read("demo/acme-orders.json")).unwrap();
    let mut data = orders[0]["data"].clone();
    data["exchange_options"] = json!([{ "sku": "TENT-3P", "title": "Three-person tent", "unit_price": "229.00", "stock": 2 }]);
    data["requests"] = json!([{
        "id": "r-1", "kind": "return", "reason": "changed_mind",
        "lines": [{ "line_id": "L1", "quantity": 1 }],
        "status": "approved", "created_at": "2026-11-21T10:00:00Z", "rma": "RMA-1"
    }]);
    data
}

#[test]
fn page_data_with_every_part_is_valid_by_its_schema_and_read_by_the_engine() {
    let data = page_data();
    assert_eq!(page_schema_error(&data), None);
    serde_json::from_value::<PageData>(data).unwrap();
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

/// The forms of a decimal string and of an instant: the schemas take
/// exactly those the engine reads, in a policy and in an order page's data.
#[test]
fn the_schemas_take_the_decimals_and_instants_the_engine_reads() {
    let preset: Value = serde_json::from_str(&read("engine/policies/xtelary.json")).unwrap();
    for (decimal, read) in [
        ("2", true),
        ("12.50", true),
        ("0.5", true),
        ("-0", true),
        (".5", false),
        ("5.", false),
        ("+5", false),
        ("5e1", false),
        ("1,5", false),
        (" 5", false),
        ("", false),
    ] {
        let mut policy = preset.clone();
        policy["clauses"][1]["effect"]["grant"]["fee_percent"] = json!(decimal);
        let engine = Policy::from_json(&policy.to_string());
        assert_eq!(engine.is_ok(), read, "{decimal:?} in a policy: {engine:?}");
        assert_eq!(
            schema_error(&policy).is_none(),
            read,
            "{decimal:?} in the policy schema"
        );

        let mut data = page_data();
        data["order"]["lines"][0]["unit_price"] = json!(decimal);
        let engine = serde_json::from_value::<PageData>(data.clone());
        assert_eq!(
            engine.is_ok(),
            read,
            "{decimal:?} in page data: {:?}",
            engine.err()
        );
        assert_eq!(
            page_schema_error(&data).is_none(),
            read,
            "{decimal:?} in the page-data schema"
        );
    }
    // The schema says `date-time` (RFC 3339), which a JSON Schema validator
    // need not check; the engine does. Both take RFC 3339's forms.
    for instant in ["2026-11-20T10:00:00Z", "2026-11-20T18:00:00.5+08:00"] {
        let mut data = page_data();
        data["order"]["placed_at"] = json!(instant);
        assert_eq!(page_schema_error(&data), None, "{instant}");
        serde_json::from_value::<PageData>(data).unwrap_or_else(|e| panic!("{instant}: {e}"));
    }
}

/// The schema and the engine on one value: what the schema takes, the
/// engine can read; what the engine takes (read and checked), the schema
/// takes. (Between the two are the engine's own checks.)
fn agree(
    what: &str,
    value: &Value,
    flagged: Option<String>,
    read: Result<(), String>,
    taken: bool,
) -> Result<(), TestCaseError> {
    if flagged.is_none() {
        prop_assert!(
            read.is_ok(),
            "{what}: the schema took what the engine cannot read: {}",
            read.unwrap_err()
        );
    }
    if taken {
        prop_assert!(
            flagged.is_none(),
            "{what}: the schema flags what the engine takes: {} in {value}",
            flagged.unwrap()
        );
    }
    Ok(())
}

/// `value` with one random mistake made at one of its places, and where.
/// (An array put where an object was is one: serde alone would read a struct
/// from an array of its fields in order, `"bank_business_days": [7, 10]`,
/// which the engine's readers refuse, as the schemas and the widget do.)
fn with_mistake(
    mut value: Value,
    place: prop::sample::Index,
    how: u8,
    put: Value,
) -> (Value, String) {
    let at = place.get(&mistakes::pointers(&value)).clone();
    mistakes::mutate(&mut value, &at, how, put);
    (value, at)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1500))]

    /// 1,500 policies with one random mistake each.
    #[test]
    fn the_policy_schema_and_the_engine_agree_on_any_one_mistake(
        file in prop::sample::select(SHIPPED.to_vec()),
        place in any::<prop::sample::Index>(),
        how in any::<u8>(),
        put in prop::sample::select(mistakes::replacements()),
    ) {
        let (policy, at) =
            with_mistake(serde_json::from_str(&read(file)).unwrap(), place, how, put);
        let read = deserialize_with_path::<Policy, _>(&policy).map(drop).map_err(|e| e.to_string());
        let taken = Policy::from_json(&policy.to_string()).is_ok();
        agree(&format!("{file} {at}"), &policy, schema_error(&policy), read, taken)?;
    }

    /// 1,500 order pages with one random mistake each. The engine reads an
    /// order page with its reader alone, no checks after, so the two must
    /// agree both ways.
    #[test]
    fn the_page_data_schema_and_the_engine_agree_on_any_one_mistake(
        place in any::<prop::sample::Index>(),
        how in any::<u8>(),
        put in prop::sample::select(mistakes::replacements()),
    ) {
        let (data, at) = with_mistake(page_data(), place, how, put);
        let read = deserialize_with_path::<PageData, _>(&data).map(drop).map_err(|e| e.to_string());
        let taken = read.is_ok();
        agree(&at, &data, page_schema_error(&data), read, taken)?;
    }
}
