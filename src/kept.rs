//! The photos of a request on its way, kept in the browser's Cache Storage
//! under the request's idempotency key until the shop has them, so that a
//! reload, or a phone's browser discarding the tab meanwhile, does not lose
//! them: the widget that opens next sends the request again (the same key:
//! the shop answers as it did) and then the photos it kept.
//!
//! Where the browser offers no Cache Storage (a page not served over https,
//! storage refused or full), the photos are only in the page, and a reload
//! still loses them (the customer is told so).

use aftersale_engine::Attachment;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::submit::Photo;

/// The cache the photos are kept in.
const CACHE: &str = "aftersale-photos";

/// Where photo `index` of the request with `key` is kept: a path of the
/// page's own origin, which nothing is ever fetched from.
fn url(key: &str, index: usize) -> String {
    let key = String::from(js_sys::encode_uri_component(key));
    format!("/.aftersale/photos/{key}/{index}")
}

/// The browser's Cache Storage, which only secure pages (https,
/// localhost) have: on a plain http page `window.caches` is undefined, and
/// using it would throw out of the wasm.
fn caches() -> Option<web_sys::CacheStorage> {
    web_sys::window()?
        .caches()
        .ok()
        .filter(|c| !c.is_undefined())
}

async fn cache() -> Option<web_sys::Cache> {
    let caches = caches()?;
    JsFuture::from(caches.open(CACHE))
        .await
        .ok()?
        .dyn_into()
        .ok()
}

/// Keeps the files of `photos`, the request with `key`'s, in their order;
/// false when the browser would not keep them all.
pub async fn keep(key: &str, photos: &[Photo]) -> bool {
    let Some(cache) = cache().await else {
        return false;
    };
    for (index, photo) in photos.iter().enumerate() {
        let Ok(response) = web_sys::Response::new_with_opt_blob(Some(&photo.file)) else {
            return false;
        };
        if JsFuture::from(cache.put_with_str(&url(key, index), &response))
            .await
            .is_err()
        {
            return false;
        }
    }
    true
}

/// The photos kept for the request with `key`, which declared `declared`:
/// every one of them, of its declared size, or `None`.
pub async fn kept(key: &str, declared: Vec<Attachment>) -> Option<Vec<Photo>> {
    if declared.is_empty() {
        return None;
    }
    let cache = cache().await?;
    let mut photos = Vec::with_capacity(declared.len());
    for (index, meta) in declared.into_iter().enumerate() {
        // Nothing kept there: `undefined`, no response.
        let found: web_sys::Response = JsFuture::from(cache.match_with_str(&url(key, index)))
            .await
            .ok()?
            .dyn_into()
            .ok()?;
        let file: web_sys::Blob = JsFuture::from(found.blob().ok()?)
            .await
            .ok()?
            .dyn_into()
            .ok()?;
        if file.size() as u64 != meta.size {
            return None;
        }
        photos.push(Photo { meta, file });
    }
    Some(photos)
}

/// Lets go of the `count` photos kept for the request with `key`.
pub async fn release(key: &str, count: usize) {
    let Some(cache) = cache().await else {
        return;
    };
    for index in 0..count {
        let _ = JsFuture::from(cache.delete_with_str(&url(key, index))).await;
    }
}

/// Lets go of the photos kept for requests no longer pending anywhere (a
/// page closed between forgetting its request and letting go of its
/// photos). Called once per page; opens nothing on the pages of a customer
/// who never sent photos.
pub async fn sweep() {
    let Some(caches) = caches() else {
        return;
    };
    let exists = JsFuture::from(caches.has(CACHE)).await;
    if !exists.is_ok_and(|v| v.is_truthy()) {
        return;
    }
    let Some(cache) = cache().await else {
        return;
    };
    let Ok(requests) = JsFuture::from(cache.keys()).await else {
        return;
    };
    let pending = crate::submit::pending_keys();
    for request in js_sys::Array::from(&requests).iter() {
        let Some(url) = js_sys::Reflect::get(&request, &"url".into())
            .ok()
            .and_then(|u| u.as_string())
        else {
            continue;
        };
        // …/.aftersale/photos/{key}/{index}
        let key = url
            .rsplit('/')
            .nth(1)
            .and_then(|k| js_sys::decode_uri_component(k).ok())
            .map(String::from);
        if key.is_some_and(|k| !pending.contains(&k)) {
            let _ = JsFuture::from(cache.delete_with_str(&url)).await;
        }
    }
}
