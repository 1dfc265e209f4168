//! Photos: asked for by the `photos` step, checked against the policy's rule.

use aftersale_engine::policy::PhotoRule;
use aftersale_engine::{
    Attachment, AttachmentProblem, HEAD_BYTES, Policy, Scenario, check_attachments, image_type,
    photos_asked, quote,
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
    // Said with the number's own word.
    assert_eq!(
        AttachmentProblem::TooFew { min: 1 }.to_string(),
        "attach at least 1 photo"
    );
    assert_eq!(
        AttachmentProblem::TooMany { max: 5 }.to_string(),
        "attach at most 5 photos"
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

/// An ISO base media file's first box: `ftyp`, its major brand, a minor
/// version and its compatible brands.
fn ftyp(major: &[u8; 4], compatible: &[&[u8; 4]]) -> Vec<u8> {
    let size = 16 + 4 * compatible.len() as u32;
    let mut head = size.to_be_bytes().to_vec();
    head.extend(b"ftyp");
    head.extend(major);
    head.extend([0, 0, 0, 0]);
    for brand in compatible {
        head.extend(*brand);
    }
    head.extend(b"\0\0\0\x0cmeta"); // the next box begins
    head
}

#[test]
fn a_photos_type_is_what_its_first_bytes_show() {
    let jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, b'J', b'F', b'I', b'F', 0];
    let png = [
        0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D,
    ];
    let webp = *b"RIFF\x24\0\0\0WEBPVP8 ";
    assert_eq!(image_type(&jpeg), Some("image/jpeg"));
    assert_eq!(image_type(&png), Some("image/png"));
    assert_eq!(image_type(&webp), Some("image/webp"));
    // An iPhone's photo, and another phone's (major brand mif1, heic among
    // the compatible ones).
    let iphone = ftyp(b"heic", &[b"mif1", b"heic"]);
    assert_eq!(image_type(&iphone), Some("image/heic"));
    assert_eq!(
        image_type(&ftyp(b"mif1", &[b"mif1", b"heic", b"miaf"])),
        Some("image/heic")
    );
    assert!(iphone.len() <= HEAD_BYTES);
    // What is not one of the four: other images, other ISO files (AVIF, a
    // QuickTime video), another RIFF file, a PDF, text, nothing.
    for (what, head) in [
        ("gif", b"GIF89a\x01\0\x01\0".to_vec()),
        ("avif", ftyp(b"avif", &[b"mif1", b"avif"])),
        ("mov", ftyp(b"qt  ", &[b"qt  "])),
        ("wav", b"RIFF\x24\0\0\0WAVEfmt ".to_vec()),
        ("pdf", b"%PDF-1.7\n%\xE2\xE3".to_vec()),
        ("text", b"my receipt, typed".to_vec()),
        ("two bytes of a jpeg", vec![0xFF, 0xD8]),
        ("nothing", vec![]),
    ] {
        assert_eq!(image_type(&head), None, "{what}");
    }
    // An ftyp box that claims to be longer than what was read is not taken
    // on its word.
    let mut cut = iphone.clone();
    cut[3] = 0xF0;
    assert_eq!(image_type(&cut[..24]), None);
}
