//! The aftersale widget: a shop's after-sale policy, live in the customer's
//! browser.
//!
//! This first version mounts one quote computed by the engine from a
//! scenario embedded in the page; the full widget (overview, live request
//! editing, submission) builds on it. Every figure shown comes from the
//! engine's [`Quote`]; this crate only parses, displays and mounts.

#![warn(missing_docs)]

use aftersale_engine::{Policy, Quote, Scenario, presets, quote};
use leptos::prelude::*;
use wasm_bindgen::prelude::*;

/// Parses JSON text with the browser's `JSON.parse` and reads it with serde,
/// naming the field at fault on error (no serde_json in the bundle).
fn from_json<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, String> {
    let value = js_sys::JSON::parse(text).map_err(|e| {
        let message = js_sys::Error::from(e).message();
        format!("not JSON: {}", String::from(message))
    })?;
    aftersale_engine::scenario::deserialize_with_path(serde_wasm_bindgen::Deserializer::from(value))
        .map_err(|e| e.to_string())
}

/// A built-in preset by name (`htvront`, `xtelary`).
pub fn preset(name: &str) -> Result<Policy, String> {
    let text = presets::source(name).ok_or_else(|| {
        format!(
            "unknown policy {name:?} (built in: {})",
            presets::NAMES.join(", ")
        )
    })?;
    let value = js_sys::JSON::parse(text).map_err(|_| "a preset is not JSON".to_string())?;
    Policy::from_deserializer(serde_wasm_bindgen::Deserializer::from(value))
        .map_err(|e| e.to_string())
}

/// Quotes a scenario given as JSON text under a preset.
pub fn quote_json(policy: &str, scenario: &str) -> Result<Quote, String> {
    let policy = preset(policy)?;
    let scenario: Scenario = from_json(scenario)?;
    quote(&policy, &scenario).map_err(|e| e.to_string())
}

/// One quote, as the engine computed it.
#[component]
pub fn QuoteView(
    /// The quote, or why there is none.
    quote: Result<Quote, String>,
) -> impl IntoView {
    match quote {
        Err(message) => view! {
            <div class="aftersale aftersale--error" role="alert">
                <p class="aftersale__error">{message}</p>
            </div>
        }
        .into_any(),
        Ok(q) => {
            let verdict = if q.eligible {
                "Possible"
            } else {
                "Not possible"
            };
            let deadline = q
                .deadline
                .map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
            view! {
                <div class="aftersale" data-eligible=q.eligible.to_string()>
                    <p class="aftersale__verdict">{verdict}</p>
                    <dl class="aftersale__figures">
                        <dt>"Refund"</dt>
                        <dd class="aftersale__refund">{q.refund.to_string()}</dd>
                        <dt>"Fee"</dt>
                        <dd class="aftersale__fee">{q.fee.to_string()}</dd>
                        <dt>"Store credit"</dt>
                        <dd class="aftersale__store-credit">{q.store_credit.to_string()}</dd>
                        <dt>"Until"</dt>
                        <dd class="aftersale__deadline">{deadline.unwrap_or_else(|| "no deadline".into())}</dd>
                    </dl>
                    <p class="aftersale__clauses">{q.clauses.join(", ")}</p>
                    <p class="aftersale__explanation">{q.explanation}</p>
                </div>
            }
            .into_any()
        }
    }
}

/// Mounts a quote for `scenario` (JSON) under the preset `policy` into
/// `element`. Errors are shown in place, never thrown.
#[wasm_bindgen]
pub fn mount_quote(element: web_sys::HtmlElement, policy: &str, scenario: &str) {
    let q = quote_json(policy, scenario);
    leptos::mount::mount_to(element, move || view! { <QuoteView quote=q /> }).forget();
}

/// Mounts every `[data-aftersale]` element of the page: its `data-policy`
/// names the preset, the `<script type="application/json">` inside it holds
/// the scenario.
pub fn mount_all() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Ok(found) = document.query_selector_all("[data-aftersale]") else {
        return;
    };
    for i in 0..found.length() {
        let Some(el) = found
            .item(i)
            .and_then(|n| n.dyn_into::<web_sys::HtmlElement>().ok())
        else {
            continue;
        };
        let policy = el.get_attribute("data-policy").unwrap_or_default();
        let scenario = el
            .query_selector("script[type='application/json']")
            .ok()
            .flatten()
            .and_then(|s| s.text_content())
            .unwrap_or_default();
        mount_quote(el, &policy, &scenario);
    }
}
