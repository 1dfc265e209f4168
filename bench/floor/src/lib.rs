//! The engine alone, compiled to WASM the way the widget is (opt-level z,
//! LTO, wasm-opt -Oz), with what the widget does with it but no view: parse a
//! preset and a scenario with the browser's `JSON.parse` + serde (field paths
//! on error), then the overview, the quote, the product terms and the refund
//! timeline, the quote handed back as a JS value. The size of this module is
//! the floor under the widget's bundle before any Leptos code; with the
//! `leptos` feature it also mounts a bare Leptos counter (the one in
//! `bench/counter`), which is the floor with Leptos's runtime, measured as
//! one module rather than added up (the two share the allocator, the
//! standard library and wasm-bindgen's glue).

use aftersale_engine::{
    Basket, Policy, Scenario, overview, presets, quote, refund_timeline, terms,
};
use wasm_bindgen::prelude::*;

fn parse(text: &str) -> Result<JsValue, JsValue> {
    js_sys::JSON::parse(text)
}

/// Quotes `scenario` (the engine's scenario JSON) under a built-in preset.
#[wasm_bindgen]
pub fn run(preset: &str, scenario: &str) -> Result<JsValue, JsValue> {
    let text = presets::source(preset).ok_or_else(|| JsValue::from_str("unknown preset"))?;
    // As the widget's `read_policy` does.
    let policy = Policy::checked(aftersale_js_read::read(parse(text)?).map_err(|e| {
        aftersale_engine::PolicyError {
            field: e.field(),
            message: e.message().to_owned(),
        }
    }))
    .map_err(|e| JsValue::from_str(&e.to_string()))?;
    let scenario: Scenario =
        aftersale_js_read::read(parse(scenario)?).map_err(|e| JsValue::from_str(&e.to_string()))?;
    let open = overview(&policy, &scenario.order, scenario.now)
        .map_err(|e| JsValue::from_str(&e.to_string()))?;
    let basket = Basket {
        currency: scenario.order.currency,
        lines: scenario.order.lines.clone(),
        shipping_paid: scenario.order.shipping_paid,
        ship_from: scenario.order.ship_from,
    };
    let terms =
        terms(&policy, &basket, scenario.now).map_err(|e| JsValue::from_str(&e.to_string()))?;
    let timeline = refund_timeline(&policy, scenario.now.date_naive());
    let q = quote(&policy, &scenario).map_err(|e| JsValue::from_str(&e.to_string()))?;
    let out = js_sys::Array::new();
    let ser = serde_wasm_bindgen::Serializer::json_compatible();
    for v in [
        serde::Serialize::serialize(&q, &ser),
        serde::Serialize::serialize(&open, &ser),
        serde::Serialize::serialize(&terms, &ser),
        serde::Serialize::serialize(&timeline, &ser),
    ] {
        out.push(&v?);
    }
    Ok(out.into())
}

/// With the `leptos` feature: the bare Leptos counter (`bench/counter`),
/// mounted on `<body>` beside the engine.
#[cfg(feature = "leptos")]
#[wasm_bindgen(start)]
pub fn start() {
    bench_counter::mount();
}
