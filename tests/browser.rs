//! The widget in real headless Chromium: mount, read the quote from the DOM.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::HtmlElement;

wasm_bindgen_test_configure!(run_in_browser);

const EXAMPLE: &str = r#"{
  "now": "2026-03-02T08:00:00Z",
  "order": {
    "id": "A-1001", "currency": "USD", "placed_at": "2026-03-01T09:00:00Z",
    "shipped_at": null, "last_tracking_event_at": null, "delivered_at": null,
    "ship_from": "us_warehouse", "shipping_paid": "4.99", "exchanges_used": 0,
    "lines": [{ "id": "L1", "sku": "HTV-RED-12", "title": "Heat transfer vinyl, red",
                "unit_price": "12.50", "quantity": 2, "tags": [] }]
  },
  "request": { "kind": "cancel", "reason": null, "lines": [], "resolution": null,
               "condition": null, "exchange_for": null }
}"#;

fn container() -> HtmlElement {
    let document = web_sys::window().unwrap().document().unwrap();
    let el: HtmlElement = document.create_element("div").unwrap().dyn_into().unwrap();
    document.body().unwrap().append_child(&el).unwrap();
    el
}

fn text(el: &HtmlElement, selector: &str) -> String {
    el.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no {selector} in {}", el.inner_html()))
        .text_content()
        .unwrap_or_default()
}

#[wasm_bindgen_test]
async fn mounts_and_shows_the_engine_quote() {
    let el = container();
    aftersale_widget::mount_quote(el.clone(), "xtelary", EXAMPLE);
    leptos::task::tick().await;
    assert_eq!(text(&el, ".aftersale__refund"), "29.99");
    assert_eq!(text(&el, ".aftersale__fee"), "0.00");
    assert_eq!(text(&el, ".aftersale__deadline"), "2026-03-02T09:00:00Z");
    assert_eq!(text(&el, ".aftersale__clauses"), "xtelary.cancel_free");
}

#[wasm_bindgen_test]
async fn the_same_order_under_htvront_is_store_credit() {
    let el = container();
    aftersale_widget::mount_quote(el.clone(), "htvront", EXAMPLE);
    leptos::task::tick().await;
    assert_eq!(text(&el, ".aftersale__refund"), "0.00");
    assert_eq!(text(&el, ".aftersale__store-credit"), "29.99");
}

#[wasm_bindgen_test]
async fn mount_all_reads_the_page_configuration() {
    let el = container();
    el.set_attribute("data-aftersale", "").unwrap();
    el.set_attribute("data-policy", "xtelary").unwrap();
    el.set_inner_html(&format!(
        "<script type=\"application/json\">{EXAMPLE}</script>"
    ));
    aftersale_widget::mount_all();
    leptos::task::tick().await;
    assert_eq!(text(&el, ".aftersale__refund"), "29.99");
}

#[wasm_bindgen_test]
async fn an_unknown_policy_is_shown_in_place() {
    let el = container();
    aftersale_widget::mount_quote(el.clone(), "nosuchshop", EXAMPLE);
    leptos::task::tick().await;
    assert!(text(&el, ".aftersale__error").contains("unknown policy \"nosuchshop\""));
}

#[wasm_bindgen_test]
async fn bad_order_data_names_the_field() {
    let el = container();
    aftersale_widget::mount_quote(
        el.clone(),
        "xtelary",
        &EXAMPLE.replace("\"12.50\"", "\"12.505\""),
    );
    leptos::task::tick().await;
    let message = text(&el, ".aftersale__error");
    assert!(message.contains("order.lines[0].unit_price"), "{message}");
}

#[wasm_bindgen_test]
async fn text_that_is_not_json_is_shown_in_place() {
    let el = container();
    aftersale_widget::mount_quote(el.clone(), "xtelary", "{ not json");
    leptos::task::tick().await;
    assert!(text(&el, ".aftersale__error").starts_with("not JSON"));
}
