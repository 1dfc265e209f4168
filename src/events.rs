//! Events to the host page: composed, bubbling `CustomEvent`s dispatched on
//! the widget's element.
//!
//! | event | `detail` |
//! | --- | --- |
//! | `aftersale:quote` | the quote (the contract's JSON) each time it changes |
//! | `aftersale:submitted` | `{status, request_id, rma, photos, clause, explanation, conflict, message}` once the backend decides (`photos`: how many follow a created request) |
//! | `aftersale:photos` | `{status: "sent", request_id}` once the shop has every photo of the request shown; `{status: "refused", request_id, name, message}` when it did not take one; `{status: "lost", request_id, count}` when a reload left them behind |
//! | `aftersale:error` | `{message}` when the widget cannot start or the order (or a product page's items) is invalid; `{message, retrying: true}` while the shop does not answer a read of the order or policy |

use js_sys::{Object, Reflect};
use serde::Serialize;
use wasm_bindgen::JsValue;
use web_sys::{CustomEvent, CustomEventInit, HtmlElement};

/// Dispatches `name` with `detail` on `host`, bubbling and crossing shadow roots.
pub fn emit(host: &HtmlElement, name: &str, detail: &JsValue) {
    let init = CustomEventInit::new();
    init.set_bubbles(true);
    init.set_composed(true);
    init.set_detail(detail);
    if let Ok(event) = CustomEvent::new_with_event_init_dict(name, &init) {
        let _ = host.dispatch_event(&event);
    }
}

/// `value` as a plain JS object (maps as objects, `None` as null).
pub fn to_js<T: Serialize>(value: &T) -> JsValue {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .unwrap_or(JsValue::NULL)
}

/// A JS object of string fields (absent when `None`).
pub fn object(fields: &[(&str, Option<&str>)]) -> JsValue {
    let o = Object::new();
    for (k, v) in fields {
        let v = v.map(JsValue::from_str).unwrap_or(JsValue::NULL);
        let _ = Reflect::set(&o, &JsValue::from_str(k), &v);
    }
    o.into()
}
