//! Input that breaks the contract is an error naming the field, never a
//! panic and never a quote; an invalid policy is rejected field by field.

mod common;

use aftersale_engine::{InputError, Policy, Scenario, quote};
use common::*;
use serde_json::{Value, json};

fn error_of(scenario: &Value) -> InputError {
    match Scenario::from_json(&scenario.to_string()) {
        Err(e) => e,
        Ok(s) => quote(&preset("xtelary"), &s).expect_err("an input error, not a quote"),
    }
}

fn assert_error(scenario: Value, field: &str, words: &str) {
    let e = error_of(&scenario);
    assert_eq!(e.field, field, "{e}");
    assert!(e.message.contains(words), "{e:?} should mention {words:?}");
}

fn return_of(lines: &[(&str, u32)]) -> Value {
    scenario(
        "2026-03-05T00:00:00Z",
        order(),
        request("return", Some("damaged"), lines),
    )
}

#[test]
fn unknown_line_names_the_line() {
    assert_error(
        return_of(&[("L9", 1)]),
        "request.lines[0].line_id",
        "no line \"L9\" in order T-1",
    );
}

#[test]
fn quantity_zero_is_an_error() {
    assert_error(
        return_of(&[("L1", 0)]),
        "request.lines[0].quantity",
        "must be from 1 to 2",
    );
}

#[test]
fn quantity_above_the_order_is_an_error() {
    assert_error(
        return_of(&[("L1", 3)]),
        "request.lines[0].quantity",
        "got 3",
    );
}

#[test]
fn a_line_requested_twice_is_an_error() {
    assert_error(
        return_of(&[("L1", 1), ("L1", 1)]),
        "request.lines[1].line_id",
        "requested twice",
    );
}

#[test]
fn a_return_without_lines_is_an_error() {
    assert_error(return_of(&[]), "request.lines", "names the lines");
}

#[test]
fn money_with_too_many_digits_is_an_error() {
    let mut s = return_of(&[("L1", 1)]);
    s["order"]["lines"][0]["unit_price"] = json!("12.505");
    assert_error(
        s,
        "order.lines[0].unit_price",
        "more decimal places than USD allows (2)",
    );
}

#[test]
fn money_as_a_json_number_is_an_error() {
    let mut s = return_of(&[("L1", 1)]);
    s["order"]["shipping_paid"] = json!(4.99);
    assert_error(s, "order.shipping_paid", "decimal string");
}

#[test]
fn negative_money_is_an_error() {
    let mut s = return_of(&[("L1", 1)]);
    s["order"]["lines"][1]["unit_price"] = json!("-1.00");
    assert_error(s, "order.lines[1].unit_price", "negative");
}

#[test]
fn an_unsupported_currency_is_an_error() {
    let mut s = return_of(&[("L1", 1)]);
    s["order"]["currency"] = json!("XBT");
    assert_error(s, "order.currency", "unsupported currency \"XBT\"");
}

#[test]
fn an_unknown_reason_is_an_error() {
    let mut s = return_of(&[("L1", 1)]);
    s["request"]["reason"] = json!("bored");
    assert_error(s, "request.reason", "unknown variant `bored`");
}

#[test]
fn an_unknown_request_field_is_an_error() {
    let mut s = return_of(&[("L1", 1)]);
    s["request"]["resolutoin"] = json!("refund");
    assert_error(s, "request.resolutoin", "unknown field");
}

#[test]
fn a_missing_field_is_an_error() {
    let mut s = return_of(&[("L1", 1)]);
    s["order"].as_object_mut().unwrap().remove("placed_at");
    assert_error(s, "order", "missing field `placed_at`");
}

#[test]
fn a_bad_date_is_an_error() {
    let mut s = return_of(&[("L1", 1)]);
    s["order"]["placed_at"] = json!("yesterday");
    assert_error(s, "order.placed_at", "");
}

#[test]
fn an_instant_without_the_colon_in_its_offset_is_an_error() {
    // RFC 3339 (and JSON Schema's `date-time`) write "+08:00", never "+0800".
    let mut s = return_of(&[("L1", 1)]);
    s["order"]["delivered_at"] = json!("2026-03-03T10:00:00+0800");
    assert_error(s, "order.delivered_at", "");
}

#[test]
fn now_before_placement_is_an_error() {
    assert_error(
        scenario(
            "2026-03-01T00:00:00Z",
            order(),
            request("cancel", None, &[]),
        ),
        "now",
        "before order.placed_at",
    );
}

#[test]
fn delivery_before_shipment_is_an_error() {
    let o = patch(
        order(),
        json!({ "shipped_at": "2026-03-05T00:00:00Z", "delivered_at": "2026-03-04T00:00:00Z" }),
    );
    assert_error(
        scenario("2026-03-06T00:00:00Z", o, request("cancel", None, &[])),
        "order.delivered_at",
        "before",
    );
}

#[test]
fn delivery_without_shipment_is_an_error() {
    let o = patch(order(), json!({ "delivered_at": "2026-03-04T00:00:00Z" }));
    assert_error(
        scenario("2026-03-06T00:00:00Z", o, request("cancel", None, &[])),
        "order.delivered_at",
        "shipped_at is not",
    );
}

#[test]
fn an_exchange_without_a_target_is_an_error() {
    assert_error(
        scenario(
            "2026-03-05T00:00:00Z",
            order(),
            request("exchange", Some("damaged"), &[("L1", 1)]),
        ),
        "request.exchange_for",
        "names the item",
    );
}

#[test]
fn an_exchange_target_in_fractions_of_a_cent_is_an_error() {
    let mut s = scenario(
        "2026-03-05T00:00:00Z",
        order(),
        request("exchange", Some("damaged"), &[("L1", 1)]),
    );
    s["request"]["exchange_for"] = target("9.999", 1, 1);
    assert_error(s, "request.exchange_for.unit_price", "more decimal places");
}

#[test]
fn an_order_without_lines_is_an_error() {
    let o = patch(order(), json!({ "lines": [] }));
    assert_error(
        scenario("2026-03-05T00:00:00Z", o, request("cancel", None, &[])),
        "order.lines",
        "at least one line",
    );
}

#[test]
fn duplicate_order_line_ids_are_an_error() {
    let mut o = order();
    o["lines"][1]["id"] = json!("L1");
    assert_error(
        scenario("2026-03-05T00:00:00Z", o, request("cancel", None, &[])),
        "order.lines[1].id",
        "duplicate",
    );
}

#[test]
fn the_first_line_to_repeat_an_id_is_named_with_the_line_it_repeats() {
    let line = |id: &str| json!({ "id": id, "sku": "S", "title": "Item", "unit_price": "1.00", "quantity": 1, "tags": [] });
    for (ids, field, also) in [
        (
            ["C", "B", "A", "B", "C", "B"],
            "order.lines[3].id",
            "\"B\" (also order.lines[1])",
        ),
        (
            ["A", "B", "C", "D", "B", "A"],
            "order.lines[4].id",
            "\"B\" (also order.lines[1])",
        ),
        (
            ["Z", "Y", "Z", "Y", "Y", "Y"],
            "order.lines[2].id",
            "\"Z\" (also order.lines[0])",
        ),
    ] {
        let mut o = order();
        o["lines"] = json!(ids.map(line));
        assert_error(
            scenario("2026-03-05T00:00:00Z", o, request("cancel", None, &[])),
            field,
            also,
        );
    }
}

#[test]
fn json_that_does_not_parse_is_an_error() {
    for text in ["", "{", "[]", "{\"now\": }", "null"] {
        let e = Scenario::from_json(text).expect_err(text);
        assert!(!e.to_string().is_empty());
    }
    let e = Scenario::from_json("{} trailing").expect_err("trailing");
    assert!(!e.to_string().is_empty());
}

#[test]
fn text_that_ends_inside_an_object_names_the_object_not_a_question_mark() {
    for (text, field) in [
        ("{\"now\": \"2026-03-05T00:00:00Z\", ", ""),
        ("{\"now\": \"2026-03-05T00:00:00Z\", \"order\": {", "order"),
        (
            "{\"order\": {\"lines\": [{\"id\": \"L1\", ",
            "order.lines[0]",
        ),
    ] {
        let e = Scenario::from_json(text).expect_err(text);
        assert_eq!(e.field, field, "{text}: {e}");
        assert!(e.message.contains("EOF while parsing"), "{text}: {e}");
    }
    let e = Policy::from_json("{\"id\": \"x\", \"clauses\": [{\"id\": \"a\", ").expect_err("cut");
    assert_eq!(e.0[0].field, "clauses[0]", "{e}");
}

#[test]
fn amounts_too_large_to_compute_are_an_error_not_a_panic() {
    let mut s = scenario(
        "2026-03-05T00:00:00Z",
        order_in("JPY", "79228162514264337593543950335"),
        request("cancel", None, &[]),
    );
    s["order"]["lines"][0]["quantity"] = json!(2);
    assert_error(s, "order.lines", "too large");
}

// ── policies ────────────────────────────────────────────────────────────────

fn xtelary_json() -> Value {
    serde_json::from_str(aftersale_engine::presets::source("xtelary").unwrap()).unwrap()
}

fn policy_errors(policy: &Value) -> Vec<String> {
    match Policy::from_json(&policy.to_string()) {
        Ok(_) => Vec::new(),
        Err(e) => e.0.iter().map(|e| e.to_string()).collect(),
    }
}

fn assert_policy_error(policy: Value, wanted: &str) {
    let errors = policy_errors(&policy);
    assert!(
        errors.iter().any(|e| e.contains(wanted)),
        "{errors:?} should contain {wanted:?}"
    );
}

#[test]
fn both_presets_are_valid() {
    for name in aftersale_engine::presets::NAMES {
        let text = aftersale_engine::presets::source(name).unwrap();
        let policy = Policy::from_json(text).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(policy.id, name);
    }
}

#[test]
fn an_unknown_reason_in_a_policy_names_the_field() {
    let mut p = xtelary_json();
    p["clauses"][5]["applies_to"][0]["reasons"][0] = json!("bored");
    assert_policy_error(
        p,
        "clauses[5].applies_to[0].reasons[0]: unknown variant `bored`",
    );
}

#[test]
fn a_negative_percentage_names_the_field() {
    let mut p = xtelary_json();
    p["clauses"][2]["effect"]["grant"]["fee_percent"] = json!("-2");
    assert_policy_error(p, "clauses[2].effect.grant.fee_percent: -2 is negative");
}

#[test]
fn a_percentage_above_100_names_the_field() {
    let mut p = xtelary_json();
    p["clauses"][7]["effect"]["grant"]["fee_percent"] = json!("120");
    assert_policy_error(
        p,
        "clauses[7].effect.grant.fee_percent: 120 is more than 100",
    );
}

#[test]
fn a_zero_length_window_names_the_field() {
    let mut p = xtelary_json();
    p["clauses"][4]["require"][0]["within"]["length"] = json!(0);
    assert_policy_error(
        p,
        "clauses[4].require[0].within.length: a window must be longer than zero",
    );
}

#[test]
fn a_duplicate_clause_id_names_both_places() {
    let mut p = xtelary_json();
    p["clauses"][3]["id"] = json!("xtelary.window");
    assert_policy_error(
        p,
        "clauses[4].id: duplicate clause id \"xtelary.window\" (first at clauses[3].id)",
    );
}

#[test]
fn every_problem_is_reported_not_just_the_first() {
    let mut p = xtelary_json();
    p["clauses"][2]["effect"]["grant"]["fee_percent"] = json!("101");
    p["clauses"][4]["require"][0]["within"]["length"] = json!(0);
    p["clauses"][6]["effect"]["grant"]["steps"][0] = json!("nope");
    assert_eq!(policy_errors(&p).len(), 3, "{:?}", policy_errors(&p));
}

#[test]
fn clause_ids_carry_the_policy_prefix() {
    let mut p = xtelary_json();
    p["clauses"][0]["id"] = json!("cancel_shipped");
    assert_policy_error(
        p,
        "clauses[0].id: \"cancel_shipped\" must be \"xtelary.<name>\"",
    );
}

#[test]
fn unknown_policy_fields_are_rejected() {
    let mut p = xtelary_json();
    p["clauses"][2]["effect"]["grant"]["fee_percnt"] = json!("2");
    assert_policy_error(p, "clauses[2].effect.grant.fee_percnt: unknown field");
}

/// A struct is read from an object only, as the widget's reader and the
/// schemas read it (serde_json alone would take an array of its fields in
/// order); in the same words as the widget's reader (`tests/browser.rs`).
#[test]
fn a_struct_given_as_an_array_of_its_fields_is_refused() {
    let mut p = xtelary_json();
    p["calendar"] = json!(["+08:00"]);
    assert_policy_error(
        p,
        "calendar: invalid type: sequence, expected struct BusinessCalendar",
    );
    let mut p = xtelary_json();
    let grant = p["clauses"][2]["effect"]["grant"].clone();
    let fields: Vec<Value> = ["base", "fee_percent"]
        .iter()
        .map(|f| grant[f].clone())
        .collect();
    p["clauses"][2]["effect"]["grant"] = json!(fields);
    assert_policy_error(
        p,
        "clauses[2].effect.grant: invalid type: sequence, expected struct",
    );
    let mut s = return_of(&[("L1", 1)]);
    s["order"]["lines"][0] = json!(["L1", "SKU-1", "A line", "10.00", 2]);
    assert_error(
        s,
        "order.lines[0]",
        "invalid type: sequence, expected struct OrderLine",
    );
}

#[test]
fn a_policy_carries_its_own_translations_of_known_texts() {
    let mut p = xtelary_json();
    p["translations"] = json!({
        "de": {
            "clauses": { "xtelary.cancel_free": "Innerhalb von 24 Stunden kostenlos.",
                         "xtelary.not_offered": "Nicht vorgesehen." },
            "steps": { "rma": "Fragen Sie zuerst nach Ihrem RMA-Code." },
            "if_late": ["Prüfen Sie Ihr Konto."]
        }
    });
    let policy = Policy::from_json(&p.to_string()).unwrap();
    let de = policy.translations.get("de").unwrap();
    assert_eq!(
        de.clauses.get("xtelary.cancel_free").unwrap(),
        "Innerhalb von 24 Stunden kostenlos."
    );
    assert_eq!(de.if_late, ["Prüfen Sie Ihr Konto."]);
    // Written out again as read.
    let again = Policy::from_json(&serde_json::to_string(&policy).unwrap()).unwrap();
    assert_eq!(again, policy);
}

#[test]
fn a_policy_names_the_language_of_its_own_texts_as_a_subtag() {
    let policy = Policy::from_json(&xtelary_json().to_string()).unwrap();
    assert_eq!(policy.language.as_deref(), Some("en"));
    let mut p = xtelary_json();
    p.as_object_mut().unwrap().remove("language");
    let unsaid = Policy::from_json(&p.to_string()).unwrap();
    assert_eq!(unsaid.language, None, "saying it is optional");
    for (language, wanted) in [
        ("EN", "language: \"EN\" is not a language subtag"),
        ("english", "language: \"english\" is not a language subtag"),
        ("", "language: \"\" is not a language subtag"),
    ] {
        let mut p = xtelary_json();
        p["language"] = json!(language);
        assert_policy_error(p, wanted);
    }
}

#[test]
fn a_translation_must_name_texts_the_policy_has() {
    let bad = [
        (
            json!({ "DE": {} }),
            "translations.DE: \"DE\" is not a language subtag",
        ),
        (
            json!({ "german": {} }),
            "translations.german: \"german\" is not a language subtag",
        ),
        (
            json!({ "de": { "clauses": { "xtelary.cancel_later": "…" } } }),
            "translations.de.clauses.xtelary.cancel_later: no clause has this id",
        ),
        (
            json!({ "de": { "clauses": { "xtelary.cancel_free": " " } } }),
            "translations.de.clauses.xtelary.cancel_free: must not be empty",
        ),
        (
            json!({ "de": { "steps": { "label": "…" } } }),
            "translations.de.steps.label: no step has this id",
        ),
        (
            json!({ "de": { "if_late": ["a", "b", "c", "d", "e"] } }),
            "translations.de.if_late: 5 texts for the refund timeline's 4",
        ),
        (
            json!({ "de": { "if_late": [""] } }),
            "translations.de.if_late[0]: must not be empty",
        ),
        (
            json!({ "de": { "notes": {} } }),
            "translations.de.notes: unknown field",
        ),
    ];
    for (translations, wanted) in bad {
        let mut p = xtelary_json();
        p["translations"] = translations;
        assert_policy_error(p, wanted);
    }
    // A JSON object may say a key twice; a translation may not.
    let mut p = xtelary_json();
    p["translations"] = json!("HERE");
    let text = p.to_string().replace(
        "\"HERE\"",
        r#"{ "de": { "steps": { "rma": "a", "rma": "b" } }, "de": {} }"#,
    );
    let errors: Vec<String> = Policy::from_json(&text)
        .unwrap_err()
        .0
        .iter()
        .map(|e| e.to_string())
        .collect();
    assert_eq!(
        errors,
        [
            "translations.de.steps.rma: this id is given twice",
            "translations.de: this language is given twice"
        ]
    );
}

#[test]
fn a_calendar_without_business_days_is_rejected() {
    let mut p = xtelary_json();
    p["calendar"]["weekend"] = json!(["mon", "tue", "wed", "thu", "fri", "sat", "sun"]);
    assert_policy_error(p, "calendar.weekend: at least one day");
}

#[test]
fn a_third_policy_needs_no_rust() {
    // A shop with a 14-day free return window and a 10% restocking fee, from
    // delivery, counted in business days in Berlin, with no claims.
    let policy = json!({
        "id": "acme",
        "version": "1",
        "name": "ACME returns",
        "calendar": { "utc_offset": "+01:00", "holidays": ["2026-04-03"] },
        "clauses": [
            { "id": "acme.window", "text": "Returns within 10 business days of delivery.",
              "applies_to": [{ "kinds": ["return"] }],
              "require": [{ "within": { "length": 10, "unit": "business_days", "from": "delivered" } }],
              "effect": "gate" },
            { "id": "acme.restocking", "text": "Returns carry a 10% restocking fee; we pay postage.",
              "applies_to": [{ "kinds": ["return"], "reasons": ["changed_mind"] }],
              "effect": { "grant": { "base": "requested_value", "fee_percent": "10", "resolutions": ["refund", "store_credit"],
                                     "return_shipping": { "paid_by": "merchant" } } } }
        ],
        "otherwise": { "id": "acme.other", "text": "Please contact us." }
    });
    let policy = Policy::from_json(&policy.to_string()).expect("valid");
    let o = patch(
        order(),
        json!({ "shipped_at": "2026-03-04T00:00:00Z", "delivered_at": "2026-03-09T00:00:00Z" }),
    );
    let s = Scenario::from_json(
        &scenario(
            "2026-03-20T00:00:00Z",
            o,
            request("return", Some("changed_mind"), &[("L2", 1)]),
        )
        .to_string(),
    )
    .unwrap();
    let q = quote(&policy, &s).unwrap();
    assert!(q.eligible);
    assert_eq!(q.clauses, ["acme.restocking", "acme.window"]);
    assert_eq!(
        (q.fee.to_string(), q.refund.to_string()),
        ("8.90".into(), "80.10".into())
    );
    // Mon 2026-03-09 01:00 at +01:00 + 10 business days = Mon 2026-03-23 01:00 = 00:00Z.
    assert_eq!(
        q.deadline.unwrap().to_rfc3339(),
        "2026-03-23T00:00:00+00:00"
    );
}
