//! Photos: asked for by the `photos` step, checked against the policy's rule.

use aftersale_engine::policy::PhotoRule;
use aftersale_engine::{
    Attachment, AttachmentProblem, Policy, Scenario, check_attachments, photos_asked, quote,
};
use serde_json::json;

fn quote_for(policy: &Policy, kind: &str, reason: &str) -> aftersale_engine::Quote {
    let scenario: Scenario = serde_json::from_value(json!({
        "now": "2026-03-10T00:00:00Z",
        "order": {
            "id": "A-1", "currency": "USD", "placed_at": "2026-03-02T14:00:00Z",
            "shipped_at": "2026-03-04T00:00:00Z", "last_tracking_event_at": null,
            "delivered_at": "2026-03-09T00:00:00Z", "ship_from": "us_warehouse",
            "shipping_paid": "4.99", "exchanges_used": 0,
            "lines": [{ "id": "L1", "sku": "S", "title": "T", "unit_price": "12.50", "quantity": 2, "tags": [] }]
        },
        "request": {
            "kind": kind, "reason": reason, "lines": [{ "line_id": "L1", "quantity": 1 }],
            "resolution": if kind == "claim" { json!("store_credit") } else { json!(null) },
            "condition": { "unused": true, "original_packaging": true, "complete": true },
            "exchange_for": null
        }
    }))
    .unwrap();
    quote(policy, &scenario).unwrap()
}

fn photo(name: &str, media_type: &str, size: u64) -> Attachment {
    Attachment {
        name: name.into(),
        media_type: media_type.into(),
        size,
    }
}

#[test]
fn a_step_asking_for_photos_brings_the_policys_rule() {
    let xtelary = Policy::preset("xtelary").unwrap();
    let q = quote_for(&xtelary, "return", "damaged");
    assert_eq!(photos_asked(&xtelary, &q), Some(&PhotoRule::default()));
    let ok = [
        photo("a.jpg", "image/jpeg", 2_000_000),
        photo("b.png", "image/png", 10),
    ];
    assert_eq!(check_attachments(&xtelary, &q, &ok), Ok(()));
    assert_eq!(
        check_attachments(&xtelary, &q, &[]),
        Err(AttachmentProblem::TooFew { min: 1 })
    );
    let six = vec![photo("a.jpg", "image/jpeg", 1); 6];
    assert_eq!(
        check_attachments(&xtelary, &q, &six),
        Err(AttachmentProblem::TooMany { max: 5 })
    );
    let gif = [ok[0].clone(), photo("c.gif", "image/gif", 10)];
    let problem = check_attachments(&xtelary, &q, &gif).unwrap_err();
    assert_eq!(problem.field(), "attachments[1].type");
    let big = [photo("huge.heic", "image/heic", 10 * 1024 * 1024 + 1)];
    let problem = check_attachments(&xtelary, &q, &big).unwrap_err();
    assert_eq!(problem.field(), "attachments[0].size");
    assert!(problem.to_string().contains("huge.heic"), "{problem}");
}

#[test]
fn without_the_step_nothing_is_attached() {
    let htvront = Policy::preset("htvront").unwrap();
    let q = quote_for(&htvront, "claim", "missing_items");
    assert!(q.eligible, "{}", q.explanation);
    assert_eq!(photos_asked(&htvront, &q), None);
    assert_eq!(check_attachments(&htvront, &q, &[]), Ok(()));
    assert_eq!(
        check_attachments(&htvront, &q, &[photo("a.jpg", "image/jpeg", 1)]),
        Err(AttachmentProblem::NotAsked)
    );
    // A damaged claim asks for photos.
    let damaged = quote_for(&htvront, "claim", "damaged");
    assert!(photos_asked(&htvront, &damaged).is_some());
}

#[test]
fn a_policy_sets_its_own_rule_and_a_bad_one_is_named() {
    let text = aftersale_engine::presets::source("htvront").unwrap().replacen(
        "\"clauses\"",
        r#""photos": { "min": 2, "max": 3, "max_bytes": 1000, "types": ["image/png", "image/gif"] }, "clauses""#,
        1,
    );
    let errors = Policy::from_json(&text).unwrap_err().to_string();
    assert!(errors.contains("photos.types[1]"), "{errors}");
    let text = text.replace(", \"image/gif\"", "");
    let policy = Policy::from_json(&text).unwrap();
    assert_eq!(policy.photos.min, 2);
    let q = quote_for(&policy, "claim", "damaged");
    assert_eq!(
        check_attachments(&policy, &q, &[photo("a.png", "image/png", 5)]),
        Err(AttachmentProblem::TooFew { min: 2 })
    );
}
