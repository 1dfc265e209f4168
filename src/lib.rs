//! The aftersale widget: a shop's after-sale policy, live in the customer's
//! browser.
//!
//! Each `[data-aftersale]` element of a page becomes one independent widget:
//! the overview of what the order allows now (with live countdowns), an
//! editor for the customer's request, and the engine's quote for it,
//! recomputed on every change and every second. Every figure shown comes from
//! the engine ([`aftersale_engine`]); components display and edit only.

#![warn(missing_docs)]

pub mod components;
pub mod events;
pub mod format;
pub mod i18n;
pub mod kept;
pub mod lock;
pub mod net;
pub mod state;
pub mod submit;
pub mod swap;

#[cfg(feature = "orders")]
use aftersale_engine::Order;
use aftersale_engine::{Policy, presets};
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use serde::Deserialize;
use std::sync::Arc;
use swap::{Swap, swap};
use wasm_bindgen::prelude::*;

use aftersale_engine::scenario::PageData;
#[cfg(feature = "orders")]
use aftersale_engine::scenario::PastRequest;
pub use components::app::{App, Config};
#[cfg(feature = "orders")]
use state::ExchangeOption;

/// Parses JSON text with the browser's `JSON.parse` and reads it with serde,
/// naming the field at fault on error (no serde_json in the bundle).
pub fn from_json<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, String> {
    let value = js_sys::JSON::parse(text).map_err(|e| {
        let message = js_sys::Error::from(e).message();
        format!("not JSON: {}", String::from(message))
    })?;
    read(value)
}

/// Reads a JS value with serde, naming the field at fault.
fn read<T: serde::de::DeserializeOwned>(value: JsValue) -> Result<T, String> {
    aftersale_js_read::read(value).map_err(|e| e.to_string())
}

/// Reads a policy from a JS value and validates it, naming each field at
/// fault.
pub fn read_policy(value: JsValue) -> Result<Policy, aftersale_engine::PolicyErrors> {
    Policy::checked(
        aftersale_js_read::read(value).map_err(|e| aftersale_engine::PolicyError {
            field: e.field(),
            message: e.message().to_owned(),
        }),
    )
}

/// A built-in preset by name (`htvront`, `xtelary`).
pub fn preset(name: &str) -> Result<Arc<Policy>, String> {
    built_in(name).ok_or_else(|| {
        format!(
            "unknown policy {name:?} (built in: {})",
            presets::NAMES.join(", ")
        )
    })
}

thread_local! {
    /// The built-in presets read so far on this page.
    static PRESETS: std::cell::RefCell<Vec<(&'static str, Arc<Policy>)>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

/// The built-in preset called `name`, read once per page when first asked
/// for (None: no preset has that name).
pub(crate) fn built_in(name: &str) -> Option<Arc<Policy>> {
    PRESETS.with_borrow_mut(|read| {
        if let Some((_, p)) = read.iter().find(|(n, _)| *n == name) {
            return Some(p.clone());
        }
        let name = presets::NAMES.into_iter().find(|n| *n == name)?;
        let value = js_sys::JSON::parse(presets::source(name)?).ok()?;
        let policy = read_policy(value);
        let policy = Arc::new(policy.ok()?);
        read.push((name, policy.clone()));
        Some(policy)
    })
}

/// The options of `window.Aftersale.mount(element, options)`.
#[cfg(feature = "orders")]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MountOptions {
    /// A preset's name or a policy, read by [`options_policy`].
    #[allow(dead_code)]
    policy: serde::de::IgnoredAny,
    order: Order,
    #[serde(default)]
    exchange_options: Vec<ExchangeOption>,
    #[serde(default)]
    requests: Vec<PastRequest>,
    #[serde(default)]
    endpoint: Option<String>,
    #[serde(default)]
    locale: Option<String>,
    #[serde(
        default,
        deserialize_with = "aftersale_engine::calendar::read::instant_or_null"
    )]
    now: Option<DateTime<Utc>>,
    #[serde(default)]
    email: String,
}

/// The browser's language as `Intl` writes it (`en_US` from a webview read
/// as `en-US`), English where it gives none or no language tag: it is the
/// locale `Intl` formats in and the payload's `locale`.
fn browser_locale() -> String {
    web_sys::window()
        .and_then(|w| w.navigator().language())
        .and_then(|l| canonical(&l))
        .unwrap_or_else(|| "en".into())
}

#[wasm_bindgen]
extern "C" {
    /// `Intl.getCanonicalLocales`, which throws a `RangeError` for what is
    /// not a language tag.
    #[wasm_bindgen(js_namespace = Intl, js_name = getCanonicalLocales, catch)]
    fn canonical_locales(tag: &str) -> Result<js_sys::Array, JsValue>;
}

/// The customer's locale: `given` (the page's `data-locale` or the
/// `locale` option, named `field`) as a BCP 47 tag, else
/// [`default_locale`] for the element `el`. An empty one is unsaid, and
/// `en_US`, as some shop systems write it, reads as `en-US`; what is no
/// language tag at all is an error naming the field, where the browser's
/// `Intl` would stop the widget with a `RangeError`.
fn customer_locale(
    field: &str,
    given: Option<String>,
    el: &web_sys::Element,
) -> Result<String, String> {
    let Some(given) = given.filter(|l| !l.trim().is_empty()) else {
        return Ok(default_locale(el));
    };
    canonical(&given)
        .ok_or_else(|| format!("{field}: {given:?} is not a BCP 47 language tag (\"de-DE\")"))
}

/// `tag` as `Intl` writes it, if it is a language tag (`en_US` read as
/// `en-US`).
fn canonical(tag: &str) -> Option<String> {
    canonical_locales(&tag.trim().replace('_', "-"))
        .ok()?
        .get(0)
        .as_string()
}

/// The locale where none is given: the page's language where the element
/// or an ancestor names one the widget has a catalogue for (`<html
/// lang="de">`: a shop's German pages, read in a browser set to English),
/// unless the browser's is of that language too (it says the region:
/// `de-AT`); else the browser's (a French page read in a German browser
/// gets German, not the English a French page would). A `lang` that is no
/// language tag is passed over.
fn default_locale(el: &web_sys::Element) -> String {
    let browser = browser_locale();
    let page = el
        .closest("[lang]")
        .ok()
        .flatten()
        .and_then(|e| e.get_attribute("lang"))
        .and_then(|l| canonical(&l));
    let language = i18n::language_of;
    match page {
        Some(page)
            if i18n::Lang::of_language(&page).is_some()
                && !language(&page).eq_ignore_ascii_case(language(&browser)) =>
        {
            page
        }
        _ => browser,
    }
}

#[cfg(feature = "orders")]
fn from_js<T: serde::de::DeserializeOwned>(value: JsValue) -> Result<T, String> {
    read(value)
}

/// Reads an element's configuration: `data-policy` (a preset), `data-locale`
/// (default: the page's `lang`, else the browser's), `data-now` (a fixed start for the
/// clock), `data-endpoint` (where to post), `data-email` (the contact email filled
/// in), and the JSON inside it:
/// `{"order": ..., "exchange_options": [...]}`. For `data-order-url` and
/// `data-policy-url`, see [`load_config`].
pub fn config_from_element(el: &web_sys::HtmlElement) -> Result<Config, String> {
    let policy = preset(&el.get_attribute("data-policy").unwrap_or_default())?;
    let data: PageData = from_json(&embedded_json(el, "{\"order\": ...}")?)?;
    config_with(el, policy, data)
}

/// Like [`config_from_element`], fetching what the element names by URL:
/// `data-order-url` (the page data, `{"order": ..., "exchange_options":
/// [...]}`, as the reference backend's `GET /api/orders/{id}` serves it) and
/// `data-policy-url` (a policy file, validated like a preset).
pub async fn load_config(el: &web_sys::HtmlElement) -> Result<Config, LoadError> {
    let policy = load_policy(el).await?;
    let order_url = el.get_attribute("data-order-url");
    let (data, shop_now) = match &order_url {
        Some(url) => fetch_page(url).await?,
        None => (from_json(&embedded_json(el, "{\"order\": ...}")?)?, None),
    };
    let mut config = config_with(el, policy, data)?;
    config.order_url = order_url;
    // The shop's backend decides by its own clock: where the browser's is
    // off from it, the widget keeps the shop's time (`data-now` still wins).
    config.now = config.now.or(shop_now);
    Ok(config)
}

/// The policy the element names: the file at `data-policy-url` (validated
/// like a preset), else the preset `data-policy`.
async fn load_policy(el: &web_sys::HtmlElement) -> Result<Arc<Policy>, LoadError> {
    let Some(url) = el.get_attribute("data-policy-url") else {
        return Ok(preset(
            &el.get_attribute("data-policy").unwrap_or_default(),
        )?);
    };
    let text = fetch_text("data-policy-url", &url, web_sys::RequestCache::NoCache)
        .await?
        .text;
    let value =
        js_sys::JSON::parse(&text).map_err(|_| format!("data-policy-url: {url} is not JSON"))?;
    Ok(read_policy(value)
        .map(Arc::new)
        .map_err(|e| format!("data-policy-url: {url}: {e}"))?)
}

/// Why the widget cannot start from what its element names.
#[derive(Debug)]
pub struct LoadError {
    /// What is wrong, naming the attribute (and URL) at fault.
    pub message: String,
    /// Whether another attempt may succeed: the shop did not answer (no
    /// connection, nothing within [`net::READ_TIMEOUT_SECS`]) or answered
    /// 5xx, 408 or 429. A bad URL, a 404 or bad data will not mend itself.
    pub transient: bool,
    /// How long the shop asked to be left alone first (`Retry-After`).
    pub after: Option<u32>,
}

impl From<String> for LoadError {
    fn from(message: String) -> LoadError {
        LoadError {
            message,
            transient: false,
            after: None,
        }
    }
}

/// The page data at `url` (`data-order-url`), and the shop's time where
/// the browser's clock is more than 3 s off from it (its `Date` and `Age`).
pub async fn fetch_page(url: &str) -> Result<(PageData, Option<DateTime<Utc>>), LoadError> {
    let page = fetch_text("data-order-url", url, web_sys::RequestCache::NoStore).await?;
    Ok((from_json(&page.text)?, page.shop_now))
}

/// A fetched body, and the shop's clock when the browser's is off from it.
struct Fetched {
    text: String,
    /// The shop's time now, read from the answer's `Date` (and `Age`)
    /// headers, when the browser's clock is more than [`CLOCK_TOLERANCE_MS`]
    /// away from it; None when it agrees or the headers cannot be read (a
    /// cross-origin answer must expose them).
    shop_now: Option<DateTime<Utc>>,
}

/// How far the browser's clock may be from the shop's before the widget
/// keeps the shop's: `Date` has whole seconds and the answer takes a moment
/// to arrive, so a difference of a second or two says nothing.
const CLOCK_TOLERANCE_MS: f64 = 3000.0;

/// The shop's time now from an answer's `Date` (whole seconds, so the
/// middle of that second) and `Age` (seconds it waited in a cache), if the
/// browser's clock is off from it by more than [`CLOCK_TOLERANCE_MS`].
fn shop_clock(date: Option<String>, age: Option<String>) -> Option<DateTime<Utc>> {
    let sent = js_sys::Date::parse(&date?);
    if sent.is_nan() {
        return None;
    }
    // Whole seconds (an f64 parse would bring float parsing into the bundle).
    let age: u32 = age.and_then(|a| a.trim().parse().ok()).unwrap_or(0);
    let shop = sent + 500.0 + f64::from(age) * 1000.0;
    let local = js_sys::Date::now();
    ((shop - local).abs() > CLOCK_TOLERANCE_MS)
        .then(|| DateTime::from_timestamp_millis(shop as i64))
        .flatten()
}

fn config_with(
    el: &web_sys::HtmlElement,
    policy: Arc<Policy>,
    data: PageData,
) -> Result<Config, String> {
    let now = fixed_now(el)?;
    let endpoint = match el.get_attribute("data-endpoint") {
        Some(raw) => Some(absolute_url("data-endpoint", &raw)?),
        None => None,
    };
    Ok(Config {
        policy,
        order: RwSignal::new(data.order),
        exchange_options: data.exchange_options,
        requests: data.requests,
        order_url: None,
        locale: customer_locale("data-locale", el.get_attribute("data-locale"), el)?,
        now,
        endpoint,
        host: Some(el.clone()),
        email: el.get_attribute("data-email").unwrap_or_default(),
    })
}

/// GETs `url` (relative to the page's base URL; http or https) and returns its text
/// and the shop's clock; `what` names the attribute in errors. `cache`:
/// `NoStore` for what must be as it is now (an order, and the shop's clock
/// with it), `NoCache` for what the browser may keep while the shop says
/// it is the same (a policy file, asked again with its `ETag`).
async fn fetch_text(
    what: &str,
    url: &str,
    cache: web_sys::RequestCache,
) -> Result<Fetched, LoadError> {
    let absolute = absolute_url(what, url)?;
    let deadline = net::Deadline::start(net::READ_TIMEOUT_SECS);
    // No answer, or none in time: another attempt may get one.
    let failed = |doing: &str, e: gloo_net::Error| LoadError {
        message: format!("{what}: {url} cannot be {doing} ({})", deadline.why(&e)),
        transient: true,
        after: None,
    };
    let request = gloo_net::http::Request::get(&absolute)
        .header("Accept", "application/json")
        .cache(cache);
    let response = deadline
        .apply(request)
        .send()
        .await
        .map_err(|e| failed("fetched", e))?;
    let status = response.status();
    if !response.ok() {
        return Err(LoadError {
            message: format!("{what}: {url} answered {status}"),
            transient: net::transient(status),
            after: net::retry_after(response.headers().get("retry-after")),
        });
    }
    let headers = response.headers();
    let shop_now = shop_clock(headers.get("date"), headers.get("age"));
    let text = response.text().await.map_err(|e| failed("read", e))?;
    Ok(Fetched { text, shop_now })
}

/// The text of the `<script type="application/json">` inside `el`; `shape`
/// says what it should hold, for the error.
fn embedded_json(el: &web_sys::HtmlElement, shape: &str) -> Result<String, String> {
    el.query_selector("script[type='application/json']")
        .ok()
        .flatten()
        .and_then(|s| s.text_content())
        .ok_or_else(|| {
            format!(
                "no data: put {shape} in a <script type=\"application/json\"> inside the element"
            )
        })
}

/// `data-now`, a fixed instant to start the clock from, if given.
fn fixed_now(el: &web_sys::HtmlElement) -> Result<Option<DateTime<Utc>>, String> {
    el.get_attribute("data-now")
        .map(|s| {
            aftersale_engine::calendar::parse_instant(&s)
                .map_err(|e| format!("data-now: {s:?} is not an RFC 3339 instant ({e})"))
        })
        .transpose()
}

/// The options' `policy`: a preset's name (`"xtelary"`), or a policy as a
/// policy file holds it (an object the page fetched or wrote itself),
/// validated, its problems named under `policy.`.
#[cfg(feature = "orders")]
fn options_policy(options: &JsValue) -> Result<Arc<Policy>, String> {
    let value = js_sys::Reflect::get(options, &"policy".into()).unwrap_or(JsValue::UNDEFINED);
    if let Some(name) = value.as_string() {
        return preset(&name);
    }
    if !value.is_object() {
        return Err("policy: give a preset's name or a policy object".into());
    }
    read_policy(value).map(Arc::new).map_err(|errors| {
        let each: Vec<String> = errors
            .0
            .iter()
            .map(|e| match e.field.as_str() {
                "" => format!("policy: {}", e.message),
                field => format!("policy.{field}: {}", e.message),
            })
            .collect();
        each.join("; ")
    })
}

#[cfg(feature = "orders")]
fn config_from_options(el: &web_sys::HtmlElement, options: JsValue) -> Result<Config, String> {
    let o: MountOptions = from_js(options.clone())?;
    Ok(Config {
        policy: options_policy(&options)?,
        order: RwSignal::new(o.order),
        exchange_options: o.exchange_options,
        requests: o.requests,
        order_url: None,
        locale: customer_locale("locale", o.locale, el)?,
        now: o.now,
        endpoint: o
            .endpoint
            .as_deref()
            .map(|e| absolute_url("endpoint", e))
            .transpose()?,
        host: Some(el.clone()),
        email: o.email,
    })
}

/// `raw` as an absolute http(s) URL (relative ones resolve against the
/// page's base URL); `what` names the attribute or option in errors.
fn absolute_url(what: &str, raw: &str) -> Result<String, String> {
    // The document's base URL, as a link or a `fetch` of the page resolves
    // it (a page with `<base href="/shop/">`, as single-page shops have).
    let base = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.base_uri().ok().flatten())
        .unwrap_or_default();
    let url = web_sys::Url::new_with_base(raw, &base)
        .map_err(|_| format!("{what}: {raw:?} is not a URL"))?;
    match url.protocol().as_str() {
        "http:" | "https:" => Ok(url.href()),
        other => Err(format!(
            "{what}: {raw:?} must be http or https, not {}",
            other.trim_end_matches(':')
        )),
    }
}

/// Shown in a widget's place when it cannot start, or when what it was
/// given breaks the contract.
#[component]
pub(crate) fn ErrorView(lang: i18n::Lang, message: String) -> impl IntoView {
    view! {
        <div class="aftersale aftersale--error" role="alert" lang=lang.tag() dir=lang.dir()>
            <p class="aftersale__error-title">{i18n::t(lang, i18n::Key::ErrorTitle)}</p>
            // For the shop's developers, in the engine's English.
            <p class="aftersale__error" lang="en">{message}</p>
        </div>
    }
}

/// A mounted widget, as the host page holds it. The widget stays until
/// [`WidgetHandle::unmount`], whether the page keeps its handle or not: the
/// browser collects a handle the page let go of whenever it likes, and a
/// widget must not vanish then.
#[wasm_bindgen]
pub struct WidgetHandle {
    #[cfg(feature = "orders")]
    order: Option<RwSignal<Order>>,
    /// Its widget's [`Kept::handle`].
    id: u32,
}

/// A mounted widget, kept for as long as it should be: dropping it unmounts
/// it.
struct Kept {
    /// The element it draws in.
    host: web_sys::Element,
    /// Mounted from JavaScript: its handle's id; it is kept until the page
    /// calls `unmount()` or mounts another widget on its host. Mounted from
    /// data attributes: `None`; it is kept while its host is in the document.
    handle: Option<u32>,
    /// Held only to be dropped.
    _widget: Box<dyn std::any::Any>,
}

thread_local! {
    /// Every widget mounted on the page.
    static KEPT: std::cell::RefCell<Vec<Kept>> = const { std::cell::RefCell::new(Vec::new()) };
    static NEXT_ID: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

/// Takes the kept widgets `which` picks out of the list; dropping them,
/// outside the list's borrow, unmounts them (their cleanups may mount or
/// unmount others).
fn let_go(which: impl Fn(&Kept) -> bool) -> Vec<Kept> {
    KEPT.with_borrow_mut(|kept| {
        let mut gone = Vec::new();
        let mut i = 0;
        while i < kept.len() {
            if which(&kept[i]) {
                gone.push(kept.swap_remove(i));
            } else {
                i += 1;
            }
        }
        gone
    })
}

#[wasm_bindgen]
impl WidgetHandle {
    /// Replaces the order (after it shipped, say); every figure follows.
    /// Throws a message naming the field when the order breaks the contract.
    #[cfg(feature = "orders")]
    pub fn update(&self, order: JsValue) -> Result<(), JsValue> {
        let signal = self
            .order
            .ok_or_else(|| JsValue::from_str("this widget did not start"))?;
        let order: Order = from_js(order).map_err(|e| JsValue::from_str(&e))?;
        // Unmounting disposes of the order ([`Mounted`]).
        signal.try_set(order).map_or(Ok(()), |_| {
            Err(JsValue::from_str("this widget is unmounted"))
        })
    }

    /// Throws: the terms build ([`ORDERS_ELSEWHERE`]) mounts no order.
    #[cfg(not(feature = "orders"))]
    pub fn update(&self, _order: JsValue) -> Result<(), JsValue> {
        Err(JsValue::from_str(ORDERS_ELSEWHERE))
    }

    /// Removes the widget and stops its clock; calling it again does
    /// nothing.
    pub fn unmount(&self) {
        drop(let_go(|k| k.handle == Some(self.id)));
    }
}

/// A mounted order widget: unmounted when dropped, its order with it.
#[cfg(feature = "orders")]
struct Mounted {
    view: Option<leptos::mount::UnmountHandle<swap::SwapState>>,
    /// Made before the widget's own signals, so not disposed with them.
    order: Option<RwSignal<Order>>,
}

#[cfg(feature = "orders")]
impl Drop for Mounted {
    fn drop(&mut self) {
        // The view first: its cleanups may still read the order.
        drop(self.view.take());
        if let Some(order) = self.order {
            order.dispose();
        }
    }
}

/// The widget's styles, drawn inside each widget's shadow root
/// (`style/widget.css`, minified by `build.rs`).
#[cfg(feature = "orders")]
const STYLES: &str = include_str!(concat!(env!("OUT_DIR"), "/widget.css"));
/// The terms bundle's: the same without the parts only the order widget's
/// elements use (marked `orders` in `style/widget.css`).
#[cfg(not(feature = "orders"))]
const STYLES: &str = include_str!(concat!(env!("OUT_DIR"), "/terms.css"));

thread_local! {
    /// The widget's styles as one constructed stylesheet, shared by every
    /// widget of the page (parsed once), or `None` where the browser cannot
    /// construct one.
    static SHEET: Option<web_sys::CssStyleSheet> = web_sys::CssStyleSheet::new()
        .ok()
        .filter(|sheet| sheet.replace_sync(STYLES).is_ok());
}

/// Gives `root` the widget's styles. A constructed stylesheet is adopted,
/// which a shop's Content-Security-Policy allows even without
/// `style-src 'unsafe-inline'` (an inline `<style>` it blocks, leaving the
/// widget unstyled); a `<style>` is the fallback for a browser without
/// constructed stylesheets or a host in another document.
fn add_styles(document: &web_sys::Document, root: &web_sys::Node) {
    let own_document = web_sys::window()
        .and_then(|w| w.document())
        .is_some_and(|d| &d == document);
    let adopted = own_document
        && SHEET.with(|sheet| {
            let Some(sheet) = sheet else {
                return false;
            };
            match root.dyn_ref::<web_sys::ShadowRoot>() {
                Some(shadow) => {
                    shadow.set_adopted_style_sheets(&js_sys::Array::of1(sheet));
                    true
                }
                // Without a shadow root the styles go to the page, once.
                None => {
                    let sheets = document.adopted_style_sheets();
                    if !sheets.includes(sheet, 0) {
                        sheets.push(sheet);
                        document.set_adopted_style_sheets(&sheets);
                    }
                    true
                }
            }
        });
    if !adopted && let Ok(style) = document.create_element("style") {
        style.set_text_content(Some(STYLES));
        let _ = root.append_child(&style);
    }
}

/// Where a widget draws: a fresh container in `host`'s open shadow root,
/// which has the widget's styles ([`add_styles`]). The shadow root keeps
/// the page's styles out of the widget and the widget's out of the page
/// (custom properties, fonts and colours still inherit, which is how a shop
/// themes it). An element that cannot have a shadow root gets the container
/// as a child instead, and the page the styles.
fn shadow_container(host: &web_sys::HtmlElement) -> web_sys::HtmlElement {
    let document = host
        .owner_document()
        .or_else(|| web_sys::window().and_then(|w| w.document()));
    let root: web_sys::Node = match host.shadow_root() {
        // Emptied by text, not `innerHTML`, which a page enforcing Trusted
        // Types refuses.
        Some(root) => {
            root.set_text_content(None);
            root.into()
        }
        None => host
            .attach_shadow(&web_sys::ShadowRootInit::new(web_sys::ShadowRootMode::Open))
            .map(Into::into)
            .unwrap_or_else(|_| host.clone().into()),
    };
    let Some(document) = document else {
        return host.clone();
    };
    add_styles(&document, &root);
    document
        .create_element("div")
        .ok()
        .and_then(|d| d.dyn_into::<web_sys::HtmlElement>().ok())
        .inspect(|div| {
            let _ = root.append_child(div);
        })
        .unwrap_or_else(|| host.clone())
}

/// Mounts `view(config)` into `element`, or, when the configuration is bad,
/// the message in its place (titled in `lang`) plus an `aftersale:error`
/// event.
fn mount_or_error<C: 'static>(
    element: web_sys::HtmlElement,
    lang: i18n::Lang,
    config: Result<C, String>,
    view: impl FnOnce(C) -> Swap + 'static,
) -> leptos::mount::UnmountHandle<swap::SwapState> {
    if let Err(message) = &config {
        events::emit(
            &element,
            "aftersale:error",
            &events::object(&[("message", Some(message))]),
        );
    }
    let container = shadow_container(&element);
    leptos::mount::mount_to(container, move || match config {
        Ok(config) => view(config),
        Err(message) => swap(view! { <ErrorView lang=lang message=message /> }),
    })
}

/// Mounts the order widget (or its error) into `element`: its order, and
/// what unmounts it when dropped.
#[cfg(feature = "orders")]
fn mount_with(
    element: web_sys::HtmlElement,
    lang: i18n::Lang,
    config: Result<Config, String>,
) -> (Option<RwSignal<Order>>, Box<dyn std::any::Any>) {
    let order = config.as_ref().ok().map(|c| c.order);
    let view = mount_or_error(element, lang, config, |config| {
        swap(view! { <App config=config /> })
    });
    (
        order,
        Box::new(Mounted {
            view: Some(view),
            order,
        }),
    )
}

/// `window.Aftersale.mount(element, options)`: mounts a widget configured by
/// `options` (`{policy, order, exchange_options?, endpoint?, locale?, now?}`;
/// `policy` a preset's name or a policy object) and returns its handle. A bad configuration is shown in place and sent
/// as an `aftersale:error` event, never thrown. The terms build (without the `orders` feature)
/// mounts no order: it says so in place and in the event.
#[wasm_bindgen]
pub fn mount(element: web_sys::HtmlElement, options: JsValue) -> WidgetHandle {
    // An error's title in the options' language, read before the options.
    let lang = js_sys::Reflect::get(&options, &"locale".into())
        .ok()
        .and_then(|l| l.as_string())
        .map_or_else(|| element_lang(&element), |l| i18n::Lang::for_locale(&l));
    #[cfg(feature = "orders")]
    let config = config_from_options(&element, options);
    // Whatever widget the element has, from JavaScript or from its data
    // attributes, goes: the new one is its only one (a page mounting twice
    // on one element, a framework's effect run twice), not one drawn over
    // another still running unseen.
    let host: web_sys::Element = element.clone().into();
    drop(let_go(|k| k.host == host));
    #[cfg(feature = "orders")]
    let (order, widget) = mount_with(element, lang, config);
    #[cfg(not(feature = "orders"))]
    let widget = {
        let _ = options;
        orders_elsewhere(element, lang)
    };
    let id = NEXT_ID.replace(NEXT_ID.get().wrapping_add(1));
    KEPT.with_borrow_mut(|kept| {
        kept.push(Kept {
            host,
            handle: Some(id),
            _widget: widget,
        })
    });
    WidgetHandle {
        #[cfg(feature = "orders")]
        order,
        id,
    }
}

/// What a product or cart page gives the summary in its JSON.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BasketData {
    currency: aftersale_engine::Currency,
    items: Vec<aftersale_engine::scenario::OrderLine>,
    #[serde(default)]
    shipping_paid: aftersale_engine::Amount,
    #[serde(default = "default_ship_from")]
    ship_from: aftersale_engine::scenario::ShipFrom,
}

/// An error of the engine's about a basket, with the field named as the
/// page's JSON names it: the engine checks the basket as the order it would
/// be (`order.lines[0].quantity`), which the page gave as `items[0].quantity`.
pub(crate) fn basket_error(e: &aftersale_engine::InputError) -> String {
    let field = match e.field.strip_prefix("order.") {
        Some(rest) => match rest.strip_prefix("lines") {
            Some(line) => format!("items{line}"),
            None => rest.to_owned(),
        },
        None => e.field.clone(),
    };
    aftersale_engine::InputError {
        field,
        message: e.message.clone(),
    }
    .to_string()
}

fn default_ship_from() -> aftersale_engine::scenario::ShipFrom {
    aftersale_engine::scenario::ShipFrom::UsWarehouse
}

/// The product summary's configuration: the policy the element names
/// ([`load_policy`]) and the basket in its JSON.
async fn load_terms_config(
    el: &web_sys::HtmlElement,
) -> Result<components::terms::TermsConfig, LoadError> {
    let policy = load_policy(el).await?;
    Ok(terms_config(el, policy)?)
}

fn terms_config(
    el: &web_sys::HtmlElement,
    policy: Arc<Policy>,
) -> Result<components::terms::TermsConfig, String> {
    let data: BasketData = from_json(&embedded_json(el, "{\"currency\": ..., \"items\": [...]}")?)?;
    let now = fixed_now(el)?;
    Ok(components::terms::TermsConfig {
        policy,
        basket: aftersale_engine::Basket {
            currency: data.currency,
            lines: data.items,
            shipping_paid: data.shipping_paid,
            ship_from: data.ship_from,
        },
        locale: customer_locale("data-locale", el.get_attribute("data-locale"), el)?,
        now,
        host: el.clone(),
    })
}

thread_local! {
    /// Watches the document for hosts taken out of it.
    static OBSERVER: std::cell::OnceCell<Option<web_sys::MutationObserver>> =
        const { std::cell::OnceCell::new() };
}

/// Keeps a widget mounted from data attributes for as long as `host` is in
/// the document. A page that takes the host out (a cart drawer drawn anew,
/// a single-page shop moving on) stops the widget with it: its clock, its
/// figures and its view, as `unmount()` does for one mounted from
/// JavaScript. `mountAll()` mounts the host again if it comes back.
fn keep_while_attached(host: web_sys::HtmlElement, handle: Box<dyn std::any::Any>) {
    if !host.is_connected() {
        unmarked(&host);
        return;
    }
    KEPT.with_borrow_mut(|kept| {
        kept.push(Kept {
            host: host.into(),
            handle: None,
            _widget: handle,
        })
    });
    OBSERVER.with(|observer| {
        observer.get_or_init(|| {
            let document = web_sys::window()?.document()?;
            let sweep = Closure::<dyn Fn()>::new(unmount_detached);
            let observer = web_sys::MutationObserver::new(sweep.as_ref().unchecked_ref()).ok()?;
            sweep.forget();
            let init = web_sys::MutationObserverInit::new();
            init.set_child_list(true);
            init.set_subtree(true);
            observer.observe_with_options(&document, &init).ok()?;
            Some(observer)
        });
    });
}

/// Takes away the mark [`mount_all`] skips a host by: a host with no
/// widget any more is mounted again if it comes back to the page.
fn unmarked(host: &web_sys::Element) {
    let _ = host.remove_attribute("data-aftersale-mounted");
}

/// Unmounts the widgets whose hosts have left the document. Runs after the
/// page's changes of a task are done, so a host moved elsewhere stays.
fn unmount_detached() {
    for gone in let_go(|k| k.handle.is_none() && !k.host.is_connected()) {
        unmarked(&gone.host);
    }
}

/// Mounts one widget into `element` from its data attributes and keeps it
/// while the element is in the document. `data-mode="product"` shows the terms an order of the
/// items would have (product and cart pages); otherwise the order widget (which the terms
/// build, without the `orders` feature, does not hold: it says so in the element's place).
#[wasm_bindgen]
pub fn mount_element(element: web_sys::HtmlElement) {
    let by_url = element.has_attribute("data-policy-url");
    if element.get_attribute("data-mode").as_deref() == Some("product") {
        let mount = |element: web_sys::HtmlElement, config| -> Box<dyn std::any::Any> {
            let lang = element_lang(&element);
            Box::new(mount_or_error(element, lang, config, |config| {
                swap(view! { <components::terms::TermsSummary config=config /> })
            }))
        };
        if by_url {
            load_then_mount(
                element,
                |el| async move { load_terms_config(&el).await },
                mount,
            );
        } else {
            let config = preset(&element.get_attribute("data-policy").unwrap_or_default())
                .and_then(|policy| terms_config(&element, policy));
            let handle = mount(element.clone(), config);
            keep_while_attached(element, handle);
        }
        return;
    }
    #[cfg(not(feature = "orders"))]
    {
        let lang = element_lang(&element);
        let handle = orders_elsewhere(element.clone(), lang);
        keep_while_attached(element, handle);
    }
    #[cfg(feature = "orders")]
    if element.has_attribute("data-order-url") || by_url {
        load_then_mount(
            element,
            |el| async move { load_config(&el).await },
            |element, config| {
                let lang = element_lang(&element);
                mount_with(element, lang, config).1
            },
        );
        return;
    }
    // The JSON stays in the element (the shadow root does not show it), so
    // a host that leaves the page and comes back is mounted again from it.
    #[cfg(feature = "orders")]
    {
        let config = config_from_element(&element);
        let (_, handle) = mount_with(element.clone(), element_lang(&element), config);
        keep_while_attached(element, handle);
    }
}

/// What the terms build (the crate without its `orders` feature: a product
/// or cart page's bundle, `aftersale-terms.js`) says in the place of an
/// order widget, and throws from [`WidgetHandle::update`].
#[cfg(not(feature = "orders"))]
pub const ORDERS_ELSEWHERE: &str = "this page loads aftersale-terms.js, which shows the terms of \
     product and cart pages (data-mode=\"product\") only: an order page loads aftersale-widget.js";

/// The terms build's answer to an order widget: [`ORDERS_ELSEWHERE`] in
/// its place, and as an `aftersale:error` event.
#[cfg(not(feature = "orders"))]
fn orders_elsewhere(element: web_sys::HtmlElement, lang: i18n::Lang) -> Box<dyn std::any::Any> {
    Box::new(mount_or_error::<std::convert::Infallible>(
        element,
        lang,
        Err(ORDERS_ELSEWHERE.to_owned()),
        |never| match never {},
    ))
}

/// Loads what `element` names by URL with `load`, then mounts it with
/// `mount` and keeps it while the element is on the page. While the shop
/// does not answer, says so in place and tries again (sooner when the
/// browser is back online), for as long as the element is on the page.
fn load_then_mount<C, Load, Loading>(
    element: web_sys::HtmlElement,
    load: Load,
    mount: impl FnOnce(web_sys::HtmlElement, Result<C, String>) -> Box<dyn std::any::Any> + 'static,
) where
    C: 'static,
    Load: Fn(web_sys::HtmlElement) -> Loading + 'static,
    Loading: std::future::Future<Output = Result<C, LoadError>>,
{
    let _ = element.set_attribute("aria-busy", "true");
    // Leptos' executor may not be set up before the first mount.
    wasm_bindgen_futures::spawn_local(async move {
        let loaded = net::retry(
            || {
                let attempt = load(element.clone());
                async move {
                    match attempt.await {
                        Err(e) if e.transient => Err(net::Failure {
                            why: e.message,
                            after: e.after,
                        }),
                        other => Ok(other.map_err(|e| e.message)),
                    }
                }
            },
            |secs, why| waiting(&element, &why, secs),
            || element.is_connected(),
        )
        .await;
        let _ = element.remove_attribute("aria-busy");
        let Some(config) = loaded else {
            // Taken away: nothing mounted, so mountAll() starts it again if
            // it comes back.
            unmarked(&element);
            return;
        };
        let handle = mount(element.clone(), config);
        keep_while_attached(element, handle);
    });
}

/// Says in place, in the customer's language, that the shop cannot be
/// reached and when the next attempt is; tells the host page why
/// (`aftersale:error` with `retrying: true`).
fn waiting(element: &web_sys::HtmlElement, message: &str, secs: u32) {
    let detail = events::object(&[("message", Some(message))]);
    let _ = js_sys::Reflect::set(&detail, &"retrying".into(), &JsValue::TRUE);
    events::emit(element, "aftersale:error", &detail);
    let lang = element_lang(element);
    let notice = shadow_container(element);
    notice.set_class_name("aftersale aftersale--waiting");
    let _ = notice.set_attribute("role", "status");
    let _ = notice.set_attribute("lang", lang.tag());
    let _ = notice.set_attribute("dir", lang.dir());
    notice.set_text_content(Some(
        &i18n::t(lang, i18n::Key::LoadRetrying).replace("{n}", &secs.to_string()),
    ));
}

/// The language of the element's texts before its configuration is read:
/// its `data-locale`, else [`default_locale`].
fn element_lang(element: &web_sys::HtmlElement) -> i18n::Lang {
    i18n::Lang::for_locale(
        &element
            .get_attribute("data-locale")
            .filter(|l| !l.trim().is_empty())
            .unwrap_or_else(|| default_locale(element)),
    )
}

/// Mounts every `[data-aftersale]` element of the page that is not mounted yet.
#[wasm_bindgen]
pub fn mount_all() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Ok(found) = document.query_selector_all("[data-aftersale]:not([data-aftersale-mounted])")
    else {
        return;
    };
    for i in 0..found.length() {
        if let Some(el) = found
            .item(i)
            .and_then(|n| n.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = el.set_attribute("data-aftersale-mounted", "");
            mount_element(el);
        }
    }
}

/// The element `Aftersale.mount` is given; anything else is a `TypeError`:
/// there is no element to show it in.
fn mount_target(target: &JsValue) -> Result<web_sys::HtmlElement, JsValue> {
    target.clone().dyn_into().map_err(|_| {
        js_sys::TypeError::new("Aftersale.mount: the first argument must be an HTML element").into()
    })
}

/// Puts `window.Aftersale = { mount, mountAll }` on the page, and lets go
/// of photos kept for requests no longer pending ([`kept::sweep`]).
pub fn install_global() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let api = js_sys::Object::new();
    let mount = Closure::<dyn Fn(JsValue, JsValue) -> Result<JsValue, JsValue>>::new(
        |target: JsValue, options| {
            mount_target(&target).map(|el| JsValue::from(mount(el, options)))
        },
    );
    let mount_all = Closure::<dyn Fn()>::new(mount_all);
    #[cfg(feature = "orders")]
    wasm_bindgen_futures::spawn_local(kept::sweep());
    let _ = js_sys::Reflect::set(&api, &"mount".into(), mount.as_ref());
    let _ = js_sys::Reflect::set(&api, &"mountAll".into(), mount_all.as_ref());
    mount.forget();
    mount_all.forget();
    let _ = js_sys::Reflect::set(&window, &"Aftersale".into(), &api);
}
