//! The stylesheet's minifier (`style/minify.rs`, run by `build.rs`): what it
//! drops, what it must keep, and the shipped stylesheet rule for rule.
#![cfg(not(target_arch = "wasm32"))]

#[path = "../style/minify.rs"]
mod minify;

use minify::{minify, without_orders};

#[test]
fn comments_and_needless_whitespace_go() {
    let css = "/* head */\n.a  >  .b ,\n.c {\n  color : red ;\n  /* why */ margin: 0 auto;\n}\n";
    assert_eq!(
        minify(css).unwrap(),
        ".a>.b,.c{color : red;margin: 0 auto;}"
    );
}

#[test]
fn what_changes_a_rules_meaning_stays() {
    // A descendant's pseudo-class is not the element's own.
    assert_eq!(
        minify(".a :focus-visible { outline: 0 }").unwrap(),
        ".a :focus-visible{outline: 0}"
    );
    assert_eq!(minify(".a .b{x:y}").unwrap(), ".a .b{x:y}");
    assert_eq!(
        minify("@media (max-width: 40rem) and (hover: none) { .a { x: y } }").unwrap(),
        "@media (max-width: 40rem) and (hover: none){.a{x: y}}"
    );
    // Quoted text as written, comment-like and escaped quotes included.
    assert_eq!(
        minify(r#"a { font: 1em "Segoe  UI", x; content: "/* no */ \" ; { " }"#).unwrap(),
        r#"a{font: 1em "Segoe  UI",x;content: "/* no */ \" ; { "}"#
    );
    assert_eq!(minify("a{content:'it''s'}").unwrap(), "a{content:'it''s'}");
}

#[test]
fn an_unclosed_comment_or_string_is_named() {
    assert_eq!(
        minify("a{x:y}\n/* open").unwrap_err(),
        "unclosed comment at byte 7"
    );
    assert_eq!(
        minify("a{content:\"open}").unwrap_err(),
        "unclosed string at byte 10"
    );
}

#[test]
fn the_shipped_stylesheet_keeps_every_rule() {
    let source =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/style/widget.css")).unwrap();
    let small = minify(&source).unwrap();
    assert!(
        small.len() * 10 < source.len() * 8,
        "{} of {}",
        small.len(),
        source.len()
    );
    // As many rules and declarations, and the same text once all
    // whitespace is taken out of both (comments aside).
    let count = |s: &str, c| s.matches(c).count();
    let mut bare_source = String::new();
    let mut rest = source.as_str();
    while let Some(at) = rest.find("/*") {
        bare_source.push_str(&rest[..at]);
        rest = &rest[at + rest[at..].find("*/").unwrap() + 2..];
    }
    bare_source.push_str(rest);
    for c in ['{', '}', ';', ':', '"'] {
        assert_eq!(count(&small, c), count(&bare_source, c), "{c}");
    }
    let squeeze = |s: &str| s.split_whitespace().collect::<String>();
    assert_eq!(squeeze(&small), squeeze(&bare_source));
}

#[test]
fn the_terms_bundle_leaves_the_order_widget_s_parts_out() {
    // Only the marked lines go, whole, and the rest keeps its order.
    assert_eq!(
        without_orders("a{x:y}\n  /* orders { */\nb{x:y}\n  /* } orders */\nc{x:y}\n").unwrap(),
        "a{x:y}\nc{x:y}\n"
    );
    assert_eq!(
        without_orders("a{}\n/* } orders */\n").unwrap_err(),
        "line 2: orders part closed but not opened"
    );
    assert_eq!(
        without_orders("/* orders { */\n/* orders { */\n").unwrap_err(),
        "line 2: orders part opened in the one opened at line 1"
    );
    assert_eq!(
        without_orders("a{}\n/* orders { */\nb{}\n").unwrap_err(),
        "line 2: orders part opened but not closed"
    );
}

#[test]
fn the_terms_bundle_s_stylesheet_has_what_its_summaries_use() {
    let source =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/style/widget.css")).unwrap();
    let terms = minify(&without_orders(&source).unwrap()).unwrap();
    let all = minify(&source).unwrap();
    // Smaller, its braces balanced, every block it opens closed.
    assert!(
        terms.len() * 2 < all.len(),
        "{} of {}",
        terms.len(),
        all.len()
    );
    assert_eq!(terms.matches('{').count(), terms.matches('}').count());
    assert!(!terms.contains("{}"), "an emptied block: {terms}");
    // The classes a summary and an error draw are styled; the editor's are not.
    for class in [
        ".aftersale{",
        "__title",
        "__subtitle",
        "__options",
        "__option,",
        "__phase",
        "__option-label",
        "__option-status",
        "__option-when",
        "__option-terms",
        "__error-title",
        "__error{",
        "@media (max-width: 30rem)",
        "@media print",
    ] {
        assert!(terms.contains(class), "{class} in {terms}");
    }
    for class in [
        "__choose",
        "__editor",
        "__figures",
        "__photos",
        "__steps{",
        "pointer: coarse",
    ] {
        assert!(!terms.contains(class), "{class} in {terms}");
        assert!(all.contains(class), "{class}");
    }
}
