//! One sender at a time for an order's pending request, across the widgets
//! of a page and the browser's tabs: the Web Locks API
//! (`navigator.locks`). A second tab opened on the order while the first is
//! still sending its request (or its photos) waits for the first to finish,
//! rather than sending everything a second time, or telling the customer
//! that photos the first is still keeping were lost.

use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::prelude::JsValue;
use wasm_bindgen_futures::JsFuture;

/// A lock held until dropped. It holds nothing where the browser has no Web
/// Locks (before Safari 15.4, a page that is not a secure context) or
/// refused the lock: the widget then sends as if it were alone.
pub struct Held(Option<Function>);

impl Drop for Held {
    fn drop(&mut self) {
        if let Some(release) = &self.0 {
            let _ = release.call0(&JsValue::NULL);
        }
    }
}

/// Waits for the exclusive lock `name`, for this page's origin.
pub async fn hold(name: &str) -> Held {
    let locks = web_sys::window()
        .and_then(|w| Reflect::get(&w.navigator(), &"locks".into()).ok())
        .filter(JsValue::is_object);
    let Some(request) = locks.and_then(|l| crate::net::bound(&l, "request")) else {
        return Held(None);
    };
    // Resolves with the function that releases the lock once it is granted
    // (the lock lasts as long as the promise given back to the browser), or
    // with nothing if the browser refuses it.
    let mut asked = None;
    let granted = Promise::new(&mut |resolve, _| {
        let grant = resolve.clone();
        let on_grant = Closure::once_into_js(move |_lock: JsValue| {
            Promise::new(&mut |release, _| {
                let _ = grant.call1(&JsValue::NULL, &release);
            })
        });
        asked = Some((
            request.call2(&JsValue::NULL, &name.into(), &on_grant),
            resolve,
        ));
    });
    if let Some((asked, resolve)) = asked {
        wasm_bindgen_futures::spawn_local(async move {
            let refused = match asked {
                Ok(p) => JsFuture::from(p.unchecked_into::<Promise>()).await.is_err(),
                Err(_) => true,
            };
            if refused {
                let _ = resolve.call1(&JsValue::NULL, &JsValue::NULL);
            }
        });
    }
    Held(
        JsFuture::from(granted)
            .await
            .ok()
            .and_then(|r| r.dyn_into::<Function>().ok()),
    )
}
