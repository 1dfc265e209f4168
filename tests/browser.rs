//! The widget in real headless Chromium: mounting, live figures on input,
//! countdowns crossing a deadline, exchange stock, languages, bad input.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Event, EventInit, HtmlElement, HtmlInputElement, HtmlSelectElement};

wasm_bindgen_test_configure!(run_in_browser);

/// Placed Mon 2026-03-02 14:00Z: L1 2 × 12.50, L2 1 × 89.00 (fingerprint lock), shipping 4.99 → 118.99.
fn page_data(shipped: Option<&str>, delivered: Option<&str>, currency: &str) -> String {
    let opt = |v: Option<&str>| {
        v.map(|s| format!("\"{s}\""))
            .unwrap_or_else(|| "null".into())
    };
    format!(
        r#"{{
          "order": {{
            "id": "T-1", "currency": "{currency}", "placed_at": "2026-03-02T14:00:00Z",
            "shipped_at": {}, "last_tracking_event_at": null, "delivered_at": {},
            "ship_from": "us_warehouse", "shipping_paid": "4.99", "exchanges_used": 0,
            "lines": [
              {{ "id": "L1", "sku": "HTV-RED-12", "title": "Heat transfer vinyl, red", "unit_price": "12.50", "quantity": 2, "tags": [] }},
              {{ "id": "L2", "sku": "WW-FP-01", "title": "Watch winder", "unit_price": "89.00", "quantity": 1, "tags": ["fingerprint-lock"] }}
            ]
          }},
          "exchange_options": [
            {{ "sku": "HTV-GLD-12", "title": "Heat transfer vinyl, gold", "unit_price": "15.00", "stock": 2 }},
            {{ "sku": "HTV-BLK-12", "title": "Heat transfer vinyl, black", "unit_price": "10.00", "stock": 9 }}
          ]
        }}"#,
        opt(shipped),
        opt(delivered)
    )
}

/// A `[data-aftersale]` element with `attrs` and, if given, `json` inside
/// it, appended to the page and mounted, as a shop page would have it.
fn element(attrs: &[(&str, &str)], json: Option<&str>) -> HtmlElement {
    let body = web_sys::window()
        .unwrap()
        .document()
        .unwrap()
        .body()
        .unwrap();
    element_in(&body, "div", attrs, json)
}

/// A `<tag data-aftersale>` as [`element`] makes, in `parent` (in the
/// page), mounted.
fn element_in(
    parent: &web_sys::Element,
    tag: &str,
    attrs: &[(&str, &str)],
    json: Option<&str>,
) -> HtmlElement {
    let document = web_sys::window().unwrap().document().unwrap();
    let el: HtmlElement = document.create_element(tag).unwrap().dyn_into().unwrap();
    el.set_attribute("data-aftersale", "").unwrap();
    for (k, v) in attrs {
        el.set_attribute(k, v).unwrap();
    }
    if let Some(json) = json {
        el.set_inner_html(&format!(
            "<script type=\"application/json\">{json}</script>"
        ));
    }
    parent.append_child(&el).unwrap();
    aftersale_widget::mount_all();
    el
}

fn widget(policy: &str, now: &str, locale: &str, data: &str) -> HtmlElement {
    element(
        &[
            ("data-policy", policy),
            ("data-now", now),
            ("data-locale", locale),
        ],
        Some(data),
    )
}

async fn settle() {
    leptos::task::tick().await;
    sleep(10).await;
}

/// Waits until `done()` says so, looking every 25 ms for at most 3 s (a
/// loaded machine may be slow); the assertions after it say what if not.
async fn until(mut done: impl FnMut() -> bool) {
    for _ in 0..120 {
        if done() {
            return;
        }
        sleep(25).await;
    }
}

async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

/// The shadow root a widget draws in.
fn root(el: &HtmlElement) -> web_sys::ShadowRoot {
    el.shadow_root()
        .expect("the widget draws in its element's shadow root")
}

fn find(el: &HtmlElement, selector: &str) -> HtmlElement {
    root(el)
        .query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no {selector} in {}", root(el).inner_html()))
        .dyn_into()
        .unwrap()
}

/// Whether the widget draws an element matching `selector`.
fn present(el: &HtmlElement, selector: &str) -> bool {
    root(el).query_selector(selector).unwrap().is_some()
}

fn text(el: &HtmlElement, selector: &str) -> String {
    find(el, selector).text_content().unwrap_or_default()
}

fn attr(el: &HtmlElement, selector: &str, name: &str) -> String {
    find(el, selector).get_attribute(name).unwrap_or_default()
}

fn fire(target: &HtmlElement, kind: &str) {
    let init = EventInit::new();
    init.set_bubbles(true);
    target
        .dispatch_event(&Event::new_with_event_init_dict(kind, &init).unwrap())
        .unwrap();
}

async fn choose(el: &HtmlElement, kind: &str, reason: &str) {
    find(
        el,
        &format!("[data-kind='{kind}'][data-reason='{reason}'] .aftersale__choose"),
    )
    .click();
    settle().await;
}

async fn set_value(el: &HtmlElement, selector: &str, value: &str) {
    let input: HtmlInputElement = find(el, selector).dyn_into().unwrap();
    input.set_value(value);
    fire(&input, "input");
    settle().await;
}

async fn select(el: &HtmlElement, selector: &str, value: &str) {
    let s: HtmlSelectElement = find(el, selector).dyn_into().unwrap();
    s.set_value(value);
    fire(&s, "change");
    settle().await;
}

/// The instant of the delivered widgets: the day after delivery.
const DAY_AFTER_DELIVERY: &str = "2026-03-10T00:00:00Z";

/// The page data of an order shipped 2026-03-04 and delivered 2026-03-09.
fn delivered_data() -> String {
    page_data(
        Some("2026-03-04T00:00:00Z"),
        Some("2026-03-09T00:00:00Z"),
        "USD",
    )
}

/// An order delivered the day before `data-now`.
fn delivered_widget(policy: &str) -> HtmlElement {
    widget(policy, DAY_AFTER_DELIVERY, "en-US", &delivered_data())
}

/// Ticks the three condition boxes (unused, original packaging, complete).
async fn confirm_condition(el: &HtmlElement) {
    for i in 0..3 {
        let boxes = root(el)
            .query_selector_all(".aftersale__condition")
            .unwrap();
        let b: HtmlInputElement = boxes.item(i).unwrap().dyn_into().unwrap();
        b.set_checked(true);
        fire(&b, "change");
        settle().await;
    }
}

#[wasm_bindgen_test]
async fn the_overview_shows_what_is_open_with_a_countdown() {
    let el = widget(
        "xtelary",
        "2026-03-02T15:00:00Z",
        "en-US",
        &page_data(None, None, "USD"),
    );
    settle().await;
    assert_eq!(attr(&el, "[data-kind='cancel']", "data-state"), "open");
    let when = text(&el, "[data-kind='cancel'] .aftersale__option-when");
    // 23 hours to go, read a few milliseconds after mounting.
    assert!(when.starts_with("23 hr left · until "), "{when}");
    assert_eq!(attr(&el, "[data-kind='claim']", "data-state"), "closed");
    assert_eq!(
        text(&el, "[data-kind='claim'] .aftersale__option-clause"),
        "xtelary.not_covered"
    );
}

#[wasm_bindgen_test]
async fn the_elements_own_content_shows_until_the_widget_draws_and_not_after() {
    // A shop's words for a page whose widget has not loaded (a slow
    // connection, scripts off): a link to its returns page, beside the JSON.
    let document = web_sys::window().unwrap().document().unwrap();
    let el: HtmlElement = document.create_element("div").unwrap().dyn_into().unwrap();
    for (k, v) in [
        ("data-aftersale", ""),
        ("data-policy", "xtelary"),
        ("data-now", "2026-03-02T15:00:00Z"),
    ] {
        el.set_attribute(k, v).unwrap();
    }
    el.set_inner_html(&format!(
        "<p class=\"fallback\">Returns: see <a href=\"/returns\">our returns page</a>.</p>\
         <script type=\"application/json\">{}</script>",
        page_data(None, None, "USD")
    ));
    document.body().unwrap().append_child(&el).unwrap();
    let fallback: HtmlElement = el
        .query_selector(".fallback")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    assert!(
        fallback.offset_height() > 0,
        "shown before the widget draws"
    );
    aftersale_widget::mount_all();
    settle().await;
    assert!(
        present(&el, "[data-kind='cancel']"),
        "the widget drew from the JSON"
    );
    assert_eq!(fallback.offset_height(), 0, "not shown once it has");
    assert!(
        el.contains(Some(&fallback)),
        "left in place for a later mount"
    );
}

#[wasm_bindgen_test]
async fn an_option_not_open_yet_says_what_it_waits_for() {
    // HTVRont, shipped by global standard delivery on 2 March, tracking
    // silent since 4 March: lost after 25 days without news (not the US
    // warehouse's 10), so not yet on 20 March.
    let data = page_data(Some("2026-03-02T20:00:00Z"), None, "USD")
        .replace("\"us_warehouse\"", "\"global_standard\"")
        .replace(
            "\"last_tracking_event_at\": null",
            "\"last_tracking_event_at\": \"2026-03-04T12:00:00Z\"",
        );
    let el = widget("htvront", "2026-03-20T15:00:00Z", "en-US", &data);
    settle().await;
    let lost = "[data-kind='claim'][data-reason='not_received']";
    assert_eq!(attr(&el, lost, "data-state"), "not-yet");
    assert!(
        text(&el, &format!("{lost} .aftersale__option-when"))
            .starts_with("opens after March 29, 2026"),
        "{}",
        text(&el, lost)
    );
    let why = text(&el, &format!("{lost} .aftersale__option-why"));
    assert!(
        why.starts_with("Tracking was last updated on March 4, 2026")
            && why
                .contains("by global standard delivery counts as lost after 25 days without news"),
        "{why}"
    );
    // A claim about what the parcel holds waits for delivery, an event
    // with no instant yet: not yet, with the clause and what it waits for.
    let damaged = "[data-kind='claim'][data-reason='damaged']";
    assert_eq!(attr(&el, damaged, "data-state"), "not-yet");
    assert_eq!(
        text(&el, &format!("{damaged} .aftersale__option-status")),
        "Not yet"
    );
    assert_eq!(
        text(&el, &format!("{damaged} .aftersale__option-when")),
        "Wrong, damaged or missing products must be reported within 10 days of \
         delivery. The window of 10 days starts with delivery, which has not happened yet."
    );
    assert!(!present(&el, &format!("{damaged} .aftersale__option-why")));
    // Refused whatever comes: not possible.
    let late = "[data-kind='claim'][data-reason='late_for_deadline']";
    assert_eq!(attr(&el, late, "data-state"), "closed");
}

#[wasm_bindgen_test]
async fn choosing_a_cancellation_shows_the_engine_figures() {
    let el = widget(
        "xtelary",
        "2026-03-02T15:00:00Z",
        "en-US",
        &page_data(None, None, "USD"),
    );
    settle().await;
    choose(&el, "cancel", "").await;
    assert_eq!(attr(&el, ".aftersale__refund", "data-amount"), "118.99");
    assert_eq!(text(&el, ".aftersale__refund"), "$118.99");
    assert_eq!(text(&el, ".aftersale__clauses code"), "xtelary.cancel_free");
    assert!(text(&el, ".aftersale__live").contains("Refund: $118.99"));
}

/// An Xtelary order placed at 14:00, drawn at 15:00 in `locale`: the free
/// cancellation open for 23 hours more, returns for 29 days and 23 hours.
async fn xtelary_at_15_00(locale: &str) -> HtmlElement {
    let el = widget(
        "xtelary",
        "2026-03-02T15:00:00Z",
        locale,
        &page_data(None, None, "USD"),
    );
    settle().await;
    el
}

#[wasm_bindgen_test]
async fn countdowns_are_worded_by_the_browser_in_the_customers_language() {
    // 23 hours, then 29 days and 23 hours, to go; the locale's own units
    // where the catalogue is of its language, the catalogue's language's
    // in the locale's region otherwise (French reads English words, as
    // English is written in France).
    let cases = [
        (
            "en-US",
            "23 hr left · until ",
            "29 days, 23 hr left · until ",
        ),
        (
            "en-GB",
            "23 hrs left · until ",
            "29 days, 23 hrs left · until ",
        ),
        (
            "de-DE",
            "noch 23 Std. · bis ",
            "noch 29 Tg., 23 Std. · bis ",
        ),
        ("zh-CN", "还剩23小时 · 截至", "还剩29天23小时 · 截至"),
        (
            "fr-FR",
            "23 hrs left · until ",
            "29 days, 23 hrs left · until ",
        ),
    ];
    for (locale, cancel, window) in cases {
        let el = xtelary_at_15_00(locale).await;
        let when = |kind: &str| {
            text(
                &el,
                &format!("[data-kind='{kind}'] .aftersale__option-when"),
            )
        };
        assert!(
            when("cancel").starts_with(cancel),
            "{locale}: {}",
            when("cancel")
        );
        assert!(
            when("return").starts_with(window),
            "{locale}: {}",
            when("return")
        );
        el.remove();
    }
    // A browser without Intl.DurationFormat (Safari before 16.4, Firefox
    // before 136): the catalogue's own units.
    let intl = js_sys::Reflect::get(&js_sys::global(), &"Intl".into()).unwrap();
    let kept = js_sys::Reflect::get(&intl, &"DurationFormat".into()).unwrap();
    js_sys::Reflect::delete_property(
        intl.unchecked_ref::<js_sys::Object>(),
        &"DurationFormat".into(),
    )
    .unwrap();
    // Locales no other test uses: formatters are kept once made, so a page's
    // first countdown in a locale decides which words it gets.
    let mut seen = Vec::new();
    for locale in ["en-NZ", "de-CH", "zh-SG"] {
        let el = xtelary_at_15_00(locale).await;
        seen.push(text(&el, "[data-kind='return'] .aftersale__option-when"));
        el.remove();
    }
    js_sys::Reflect::set(&intl, &"DurationFormat".into(), &kept).unwrap();
    let starts: Vec<_> = seen
        .iter()
        .map(|w| w.split(" · ").next().unwrap_or(""))
        .collect();
    assert_eq!(
        starts,
        ["29 d 23 h left", "noch 29 Tg. 23 Std.", "还剩29 天 23 小时"],
        "{seen:?}"
    );
}

#[wasm_bindgen_test]
async fn dates_and_money_are_written_in_the_catalogue_s_language_in_the_customer_s_region() {
    let arabic_digits = |s: &str| s.chars().any(|c| ('\u{660}'..='\u{669}').contains(&c));
    // French reads the English catalogue: English months, not "avril".
    let el = xtelary_at_15_00("fr-FR").await;
    let when = text(&el, "[data-kind='return'] .aftersale__option-when");
    assert!(when.contains("April") && !when.contains("avril"), "{when}");
    el.remove();
    // Arabic reads English too: Western digits, not ٣١ among English words.
    let el = xtelary_at_15_00("ar-EG").await;
    let when = text(&el, "[data-kind='return'] .aftersale__option-when");
    assert!(when.contains("April") && !arabic_digits(&when), "{when}");
    choose(&el, "cancel", "").await;
    let refund = text(&el, ".aftersale__refund");
    assert!(refund.contains('$') && !arabic_digits(&refund), "{refund}");
    el.remove();
    // Traditional Chinese reads the Simplified catalogue: its countdown too.
    let el = xtelary_at_15_00("zh-Hant-TW").await;
    let when = text(&el, "[data-kind='return'] .aftersale__option-when");
    assert!(
        when.starts_with("还剩29天23小时") && !when.contains('時'),
        "{when}"
    );
    el.remove();
}

#[wasm_bindgen_test]
async fn without_a_locale_the_widget_speaks_the_page_s_language() {
    let document = web_sys::window().unwrap().document().unwrap();
    let browser = web_sys::window().unwrap().navigator().language().unwrap();
    assert!(
        browser.starts_with("en"),
        "this test wants a browser in English: {browser}"
    );
    let mut seen = Vec::new();
    // A shop's German pages, read in a browser set to English; then a
    // French page (no catalogue: the browser's language, not the English a
    // French page would get), and a `lang` that is no language tag, both
    // passed over for the browser's.
    for page_lang in ["de", "fr-FR", "not a tag!"] {
        let section = document.create_element("section").unwrap();
        section.set_attribute("lang", page_lang).unwrap();
        document.body().unwrap().append_child(&section).unwrap();
        let el = element_in(
            &section,
            "div",
            &[
                ("data-policy", "xtelary"),
                ("data-now", "2026-03-02T15:00:00Z"),
            ],
            Some(&page_data(None, None, "USD")),
        );
        settle().await;
        seen.push((
            attr(&el, ".aftersale", "lang"),
            text(&el, "[data-kind='return'] .aftersale__option-when"),
        ));
        section.remove();
    }
    assert_eq!(seen[0].0, "de");
    assert!(seen[0].1.starts_with("noch 29 Tg., 23 Std."), "{seen:?}");
    for (lang, when) in &seen[1..] {
        assert_eq!(lang, "en");
        // The browser's own en-US, not en-FR's "23 hrs".
        assert!(when.starts_with("29 days, 23 hr left"), "{seen:?}");
    }
}

#[wasm_bindgen_test]
async fn a_locale_is_read_as_shops_write_it_and_one_that_is_none_is_said() {
    // `en_US`, as some shop systems write it: the widget in English.
    let el = xtelary_at_15_00("de_DE").await;
    assert_eq!(attr(&el, ".aftersale", "lang"), "de");
    assert!(
        text(&el, "[data-kind='return'] .aftersale__option-when").starts_with("noch 29 Tg."),
        "{}",
        text(&el, "[data-kind='return'] .aftersale__option-when")
    );
    el.remove();
    // What is no language tag stops the widget with the field named, not
    // with the browser's RangeError.
    let el = xtelary_at_15_00("not a locale").await;
    assert_eq!(
        text(&el, ".aftersale__error"),
        "data-locale: \"not a locale\" is not a BCP 47 language tag (\"de-DE\")"
    );
    el.remove();
    aftersale_widget::install_global();
    let said = js(&format!(
        r#"var el = document.createElement("div");
        document.body.appendChild(el);
        var got = null;
        el.addEventListener("aftersale:error", function (e) {{ got = e.detail.message; }});
        window.Aftersale.mount(el, {{ policy: "xtelary", order: {}, locale: "x" }}).unmount();
        el.remove();
        return got;"#,
        order_json(None)
    ));
    assert_eq!(
        said.as_string().as_deref(),
        Some("locale: \"x\" is not a BCP 47 language tag (\"de-DE\")")
    );
}

#[wasm_bindgen_test]
async fn a_browser_clock_behind_the_shop_s_does_not_make_a_new_order_unplaced() {
    // The page confirming an order placed a moment ago by the shop's clock,
    // in a browser whose clock is two minutes behind, with no fixed clock.
    let at = |secs_ahead: f64| {
        let d = js_sys::Date::new(&(js_sys::Date::now() + secs_ahead * 1000.0).into());
        String::from(d.to_iso_string())
    };
    let data = page_data(None, None, "USD").replace("2026-03-02T14:00:00Z", &at(120.0));
    let el = element(
        &[("data-policy", "xtelary"), ("data-locale", "en-US")],
        Some(&data),
    );
    settle().await;
    assert!(
        !present(&el, ".aftersale__error"),
        "{}",
        text(&el, ".aftersale")
    );
    // The free cancellation is open, for a day from the placement.
    assert_eq!(attr(&el, "[data-kind='cancel']", "data-state"), "open");
    assert_eq!(
        text(&el, "[data-kind='cancel'] .aftersale__option-clause"),
        "xtelary.cancel_free"
    );
    let cancel = text(&el, "[data-kind='cancel'] .aftersale__option-when");
    assert!(cancel.starts_with("1 day left"), "{cancel}");
    el.remove();
    // A page that replaces the order with one placed later still.
    aftersale_widget::install_global();
    let shown = js(&format!(
        r#"var el = document.createElement("div");
        document.body.appendChild(el);
        var order = {};
        var handle = window.Aftersale.mount(el, {{ policy: "xtelary", order: order, locale: "en-US" }});
        order.placed_at = "{}";
        handle.update(order);
        return new Promise(function (done) {{ setTimeout(function () {{
            var text = el.shadowRoot.textContent;
            handle.unmount();
            el.remove();
            done(text);
        }}, 100); }});"#,
        order_json(None).replace("2026-03-02T14:00:00Z", &at(-60.0)),
        at(3600.0)
    ));
    let shown = wasm_bindgen_futures::JsFuture::from(js_sys::Promise::from(shown))
        .await
        .unwrap();
    let shown = shown.as_string().unwrap();
    assert!(!shown.contains("is before"), "{shown}");
    assert!(shown.contains("1 day left"), "{shown}");
}

#[wasm_bindgen_test]
async fn a_shop_page_on_plain_http_makes_keys_and_starts_without_secure_only_apis() {
    use aftersale_widget::kept;
    use aftersale_widget::submit::{self, Photo};
    // What a page on plain http (not localhost) lacks: `crypto.randomUUID`
    // and `window.caches`; taken away here, and put back after.
    let missing = js(r#"
        window.__secure = {
            uuid: Object.getOwnPropertyDescriptor(Crypto.prototype, "randomUUID"),
            caches: Object.getOwnPropertyDescriptor(window, "caches"),
            cachesProto: Object.getOwnPropertyDescriptor(Window.prototype, "caches"),
        };
        delete Crypto.prototype.randomUUID;
        delete window.caches;
        delete Window.prototype.caches;
        return typeof crypto.randomUUID + " " + typeof window.caches;"#);
    // Idempotency keys, the start's sweep of kept photos and keeping some
    // (there is nowhere to: the widget says so), all without throwing.
    let keys: Vec<String> = (0..3).map(|_| submit::new_key()).collect();
    kept::sweep().await;
    let photo = Photo {
        meta: aftersale_engine::Attachment {
            name: "box.jpg".into(),
            media_type: "image/jpeg".into(),
            size: 3,
        },
        file: js("return new Blob([new Uint8Array(3)]);")
            .dyn_into()
            .unwrap(),
    };
    let kept_them = kept::keep(&keys[0], std::slice::from_ref(&photo)).await;
    js(r#"var s = window.__secure;
        if (s.uuid) Object.defineProperty(Crypto.prototype, "randomUUID", s.uuid);
        if (s.caches) Object.defineProperty(window, "caches", s.caches);
        if (s.cachesProto) Object.defineProperty(Window.prototype, "caches", s.cachesProto);"#);
    assert_eq!(missing.as_string().unwrap(), "undefined undefined");
    // The keys are still UUIDs (version 4), each its own.
    for key in &keys {
        let parts: Vec<usize> = key.split('-').map(str::len).collect();
        assert_eq!(parts, [8, 4, 4, 4, 12], "{key}");
        assert!(
            key.bytes().all(|b| b == b'-' || b.is_ascii_hexdigit()),
            "{key}"
        );
        assert_eq!(&key[14..15], "4", "{key}");
        assert!("89ab".contains(&key[19..20]), "{key}");
    }
    assert!(keys[0] != keys[1] && keys[1] != keys[2], "{keys:?}");
    assert!(!kept_them);
}

#[wasm_bindgen_test]
async fn the_countdown_crosses_the_24_hour_deadline_and_the_fee_appears() {
    // Two seconds before the free cancellation ends.
    let el = widget(
        "xtelary",
        "2026-03-03T13:59:58Z",
        "en-US",
        &page_data(None, None, "USD"),
    );
    settle().await;
    choose(&el, "cancel", "").await;
    assert_eq!(text(&el, ".aftersale__clauses code"), "xtelary.cancel_free");
    sleep(3500).await;
    settle().await;
    // 2% of 118.99 = 2.3798 → 2.38; 116.61 back.
    assert_eq!(text(&el, ".aftersale__clauses code"), "xtelary.cancel_fee");
    assert_eq!(attr(&el, ".aftersale__fee", "data-amount"), "2.38");
    assert_eq!(attr(&el, ".aftersale__refund", "data-amount"), "116.61");
    // Open until the order ships, not until an instant: the overview says
    // the terms instead of a countdown.
    let when = text(&el, "[data-kind='cancel'] .aftersale__option-when");
    assert!(when.contains("2%"), "{when}");
}

#[wasm_bindgen_test]
async fn a_return_updates_on_every_answer_and_quantity() {
    let el = delivered_widget("xtelary");
    settle().await;
    choose(&el, "return", "changed_mind").await;
    // Nothing confirmed yet: the condition clause refuses.
    assert_eq!(attr(&el, ".aftersale__result", "data-eligible"), "false");
    assert_eq!(text(&el, ".aftersale__clauses code"), "xtelary.condition");
    confirm_condition(&el).await;
    assert_eq!(attr(&el, ".aftersale__result", "data-eligible"), "true");
    // All units: 25.00 + 89.00 = 114.00; 5% = 5.70; 108.30 back.
    assert_eq!(attr(&el, ".aftersale__fee", "data-amount"), "5.70");
    assert_eq!(attr(&el, ".aftersale__refund", "data-amount"), "108.30");
    assert!(present(&el, "[data-step='fingerprint']"));
    // Only one roll of vinyl: 12.50, 5% = 0.625 → 0.63; 11.87 back, no fingerprint step.
    set_value(&el, "[data-line='L1']", "1").await;
    set_value(&el, "[data-line='L2']", "0").await;
    assert_eq!(attr(&el, ".aftersale__refund", "data-amount"), "11.87");
    assert!(!present(&el, "[data-step='fingerprint']"));
    assert_eq!(attr(&el, ".aftersale__return", "data-required"), "true");
}

#[wasm_bindgen_test]
async fn a_quantity_field_shows_what_the_figures_count() {
    let el = delivered_widget("xtelary");
    settle().await;
    choose(&el, "return", "changed_mind").await;
    confirm_condition(&el).await;
    let field = || {
        find(&el, "[data-line='L1']")
            .dyn_into::<HtmlInputElement>()
            .unwrap()
            .value()
    };
    // Two rolls is all the order holds, and already the request's: the
    // field says 2, not the 5 typed; the figures count 2 (25.00 + 89.00).
    for (typed, shown) in [("5", "2"), ("1.5", "1"), ("99999999999999999999", "2")] {
        set_value(&el, "[data-line='L1']", typed).await;
        assert_eq!(field(), shown, "{typed}");
    }
    assert_eq!(attr(&el, ".aftersale__refund", "data-amount"), "108.30");
}

#[wasm_bindgen_test]
async fn an_emptied_quantity_field_stays_empty_while_the_customer_types() {
    // Selecting "2" and deleting it to type "1" put "0" in the field at
    // once, and the "1" typed after it made "01".
    let el = delivered_widget("xtelary");
    settle().await;
    choose(&el, "exchange", "damaged").await;
    set_value(&el, "[data-line='L1']", "").await;
    assert_eq!(value(&el, "[data-line='L1']"), "");
    // The figures count none of it meanwhile: one new item for the box.
    assert_eq!(value(&el, ".aftersale__exchange-qty"), "1");
    set_value(&el, "[data-line='L1']", "1").await;
    assert_eq!(value(&el, "[data-line='L1']"), "1");
    assert_eq!(value(&el, ".aftersale__exchange-qty"), "2");
    // Left empty, the field says what the figures count.
    set_value(&el, "[data-line='L1']", "").await;
    let field: HtmlInputElement = find(&el, "[data-line='L1']").dyn_into().unwrap();
    fire(&field, "change");
    settle().await;
    assert_eq!(field.value(), "0");
    // The new item's quantity alike: empty while typed, one when left.
    set_value(&el, ".aftersale__exchange-qty", "").await;
    assert_eq!(value(&el, ".aftersale__exchange-qty"), "");
    set_value(&el, ".aftersale__exchange-qty", "3").await;
    assert_eq!(value(&el, ".aftersale__exchange-qty"), "3");
    set_value(&el, ".aftersale__exchange-qty", "").await;
    let wanted: HtmlInputElement = find(&el, ".aftersale__exchange-qty").dyn_into().unwrap();
    fire(&wanted, "change");
    settle().await;
    assert_eq!(wanted.value(), "1");
}

#[wasm_bindgen_test]
async fn an_exchange_respects_the_stock_left() {
    let el = delivered_widget("xtelary");
    settle().await;
    choose(&el, "exchange", "damaged").await;
    assert_eq!(
        text(&el, ".aftersale__hint"),
        "Choose the item you want instead."
    );
    set_value(&el, "[data-line='L1']", "1").await;
    set_value(&el, "[data-line='L2']", "0").await;
    select(&el, ".aftersale__exchange", "0").await;
    // Gold at 15.00 for one red at 12.50: the customer pays 2.50.
    assert_eq!(
        attr(&el, ".aftersale__customer-pays", "data-amount"),
        "2.50"
    );
    set_value(&el, ".aftersale__exchange-qty", "3").await;
    assert_eq!(attr(&el, ".aftersale__result", "data-eligible"), "false");
    assert!(
        text(&el, ".aftersale__explanation").contains("Not enough items available. Only 2 left.")
    );
    // Black at 10.00: 2.50 back.
    select(&el, ".aftersale__exchange", "1").await;
    set_value(&el, ".aftersale__exchange-qty", "1").await;
    assert_eq!(attr(&el, ".aftersale__refund", "data-amount"), "2.50");
}

#[wasm_bindgen_test]
async fn an_exchange_asks_one_new_unit_for_each_unit_given_back_until_told_otherwise() {
    let el = delivered_widget("xtelary");
    settle().await;
    choose(&el, "exchange", "damaged").await;
    let wanted = || value(&el, ".aftersale__exchange-qty");
    // Both rolls of vinyl and the box.
    assert_eq!(wanted(), "3");
    set_value(&el, "[data-line='L2']", "0").await;
    assert_eq!(wanted(), "2");
    select(&el, ".aftersale__exchange", "1").await;
    // Two black at 10.00 for two red at 12.50: 5.00 back.
    assert_eq!(attr(&el, ".aftersale__refund", "data-amount"), "5.00");
    // Said by the customer: it stays.
    set_value(&el, ".aftersale__exchange-qty", "1").await;
    set_value(&el, "[data-line='L2']", "1").await;
    assert_eq!(wanted(), "1");
}

/// A refusal's reasons are the engine's, worded by the customer's catalogue
/// with instants in their time zone, not the engine's English with UTC.
#[wasm_bindgen_test]
async fn refusals_say_why_in_the_customers_language() {
    let placed = page_data(None, None, "EUR");
    let de = widget("xtelary", "2026-03-10T00:00:00Z", "de-DE", &placed);
    let zh = widget("xtelary", "2026-03-10T00:00:00Z", "zh-CN", &placed);
    settle().await;
    for el in [&de, &zh] {
        choose(el, "exchange", "damaged").await;
        set_value(el, "[data-line='L1']", "1").await;
        set_value(el, "[data-line='L2']", "0").await;
        select(el, ".aftersale__exchange", "0").await;
        set_value(el, ".aftersale__exchange-qty", "3").await;
        assert_eq!(attr(el, ".aftersale__result", "data-eligible"), "false");
    }
    let said = text(&de, ".aftersale__explanation");
    assert!(
        said.starts_with("Ein Umtausch innerhalb von 30 Tagen"),
        "{said}"
    );
    assert!(
        said.ends_with("Nicht genügend Artikel verfügbar. Nur noch 2 vorrätig."),
        "{said}"
    );
    let said = text(&zh, ".aftersale__explanation");
    assert!(said.ends_with("库存不足，仅剩 2 件。"), "{said}");
    // Screen readers hear the reason with the verdict.
    assert_eq!(
        text(&de, ".aftersale__live"),
        "Nicht möglich · Nicht genügend Artikel verfügbar. Nur noch 2 vorrätig."
    );

    // Past the 30 days: the overview says when the window closed, in the
    // customer's time zone; the quote, too, once the action is tried.
    let late = widget("xtelary", "2026-04-10T00:00:00Z", "en-US", &placed);
    settle().await;
    let closed_at = chrono::DateTime::parse_from_rfc3339("2026-04-01T14:00:00Z")
        .unwrap()
        .to_utc();
    let local = aftersale_widget::format::instant("en-US", closed_at);
    let entry = "[data-kind='return'][data-reason='changed_mind'] .aftersale__option-when";
    let said = text(&late, entry);
    assert!(
        said.ends_with(&format!("The 30 days from the order ended on {local}.")),
        "{said}"
    );
    assert!(!said.contains("UTC"), "{said}");
}

/// A request open for some lines only says which are not in it, and starts
/// with the others.
#[wasm_bindgen_test]
async fn an_option_open_for_some_lines_names_the_others_and_leaves_them_out() {
    let data = delivered_data().replacen(r#""tags": []"#, r#""tags": ["replacement"]"#, 1);
    let el = widget("htvront", DAY_AFTER_DELIVERY, "en-US", &data);
    settle().await;
    let entry = "[data-kind='claim'][data-reason='wrong_item']";
    assert_eq!(
        text(&el, &format!("{entry} .aftersale__option-except")),
        "Not for: Heat transfer vinyl, red"
    );
    // Damaged replacements are claimed like anything else.
    assert!(!present(
        &el,
        "[data-kind='claim'][data-reason='damaged'] .aftersale__option-except"
    ));
    choose(&el, "claim", "wrong_item").await;
    let qty = |line: &str| -> String {
        find(&el, &format!("[data-line='{line}']"))
            .dyn_into::<HtmlInputElement>()
            .unwrap()
            .value()
    };
    assert_eq!((qty("L1"), qty("L2")), ("0".into(), "1".into()));
    assert_eq!(attr(&el, ".aftersale__result", "data-eligible"), "true");
    // Adding the replacement line is refused, with the reason.
    set_value(&el, "[data-line='L1']", "1").await;
    assert_eq!(attr(&el, ".aftersale__result", "data-eligible"), "false");
    assert!(
        text(&el, ".aftersale__explanation")
            .ends_with("Heat transfer vinyl, red: tagged “replacement”, so not covered."),
        "{}",
        text(&el, ".aftersale__explanation")
    );
}

#[wasm_bindgen_test]
async fn an_htvront_claim_offers_its_resolutions() {
    let el = delivered_widget("htvront");
    settle().await;
    choose(&el, "claim", "damaged").await;
    assert!(
        find(&el, ".aftersale__reship")
            .text_content()
            .unwrap()
            .contains("ship")
    );
    // Nothing is refunded and no "Refund $0.00" says so beside the reshipment.
    assert!(!present(&el, ".aftersale__refund"));
    // The one-line summary (the live region, the review) names the reship.
    assert_eq!(
        text(&el, ".aftersale__live"),
        "Possible · We ship the items to you again"
    );
    let credit: HtmlInputElement = find(&el, ".aftersale__resolution[value='store_credit']")
        .dyn_into()
        .unwrap();
    credit.set_checked(true);
    fire(&credit, "change");
    settle().await;
    assert_eq!(
        attr(&el, ".aftersale__store-credit", "data-amount"),
        "114.00"
    );
    assert_eq!(attr(&el, ".aftersale__return", "data-required"), "false");
    assert!(!present(&el, ".aftersale__refund"));
}

#[wasm_bindgen_test]
async fn several_instances_are_independent() {
    let a = widget(
        "xtelary",
        "2026-03-02T15:00:00Z",
        "en-US",
        &page_data(None, None, "USD"),
    );
    let b = widget(
        "htvront",
        "2026-03-02T15:00:00Z",
        "en-US",
        &page_data(None, None, "USD"),
    );
    settle().await;
    choose(&a, "cancel", "").await;
    assert!(!present(&b, ".aftersale__result"));
    choose(&b, "cancel", "").await;
    assert_eq!(attr(&a, ".aftersale__refund", "data-amount"), "118.99");
    assert_eq!(
        attr(&b, ".aftersale__store-credit", "data-amount"),
        "118.99"
    );
}

#[wasm_bindgen_test]
async fn a_widget_whose_element_leaves_the_page_stops_and_mounts_again_on_return() {
    let body = web_sys::window()
        .unwrap()
        .document()
        .unwrap()
        .body()
        .unwrap();
    let el = widget(
        "xtelary",
        "2026-03-02T15:00:00Z",
        "en-US",
        &page_data(None, None, "USD"),
    );
    let product = product_widget("htvront");
    settle().await;
    let drawn = find(&el, ".aftersale");
    // Moved within the page (taken out and put back in one go): kept as it is.
    body.append_child(&el).unwrap();
    settle().await;
    assert!(drawn.is_connected(), "a moved widget is not drawn anew");
    assert!(el.has_attribute("data-aftersale-mounted"));
    // Taken out of the page (a cart drawer drawn anew, a page left in a
    // single-page shop): unmounted, its view and clock gone with it.
    el.remove();
    product.remove();
    settle().await;
    for gone in [&el, &product] {
        assert!(!gone.has_attribute("data-aftersale-mounted"));
        assert!(!present(gone, ".aftersale"), "{}", root(gone).inner_html());
    }
    assert!(!drawn.is_connected());
    // Back on the page: mountAll mounts it again from its own data.
    body.append_child(&el).unwrap();
    aftersale_widget::mount_all();
    settle().await;
    assert!(el.has_attribute("data-aftersale-mounted"));
    choose(&el, "cancel", "").await;
    assert_eq!(attr(&el, ".aftersale__refund", "data-amount"), "118.99");
}

#[wasm_bindgen_test]
async fn german_and_chinese_catalogues_and_intl_money() {
    let de = widget(
        "xtelary",
        "2026-03-02T15:00:00Z",
        "de-DE",
        &page_data(None, None, "EUR"),
    );
    let zh = widget(
        "xtelary",
        "2026-03-02T15:00:00Z",
        "zh-CN",
        &page_data(None, None, "CNY"),
    );
    settle().await;
    assert_eq!(
        text(&de, ".aftersale__title"),
        "Was Sie mit dieser Bestellung tun können"
    );
    assert_eq!(text(&zh, ".aftersale__title"), "此订单可办理的售后");
    choose(&de, "cancel", "").await;
    choose(&zh, "cancel", "").await;
    assert_eq!(
        text(&de, ".aftersale__refund").replace('\u{a0}', " "),
        "118,99 €"
    );
    assert_eq!(text(&zh, ".aftersale__refund"), "¥118.99");
    assert_eq!(text(&de, ".aftersale__verdict"), "Möglich");
    assert_eq!(
        text(&de, ".aftersale__explanation"),
        "Eine innerhalb von 24 Stunden nach dem Kauf stornierte Bestellung wird voll erstattet."
    );
    assert_eq!(
        text(&zh, ".aftersale__explanation"),
        "购买后 24 小时内取消的订单将全额退款。"
    );
}

#[wasm_bindgen_test]
async fn an_unknown_policy_is_shown_in_place() {
    let el = widget(
        "nosuchshop",
        "2026-03-02T15:00:00Z",
        "en-US",
        &page_data(None, None, "USD"),
    );
    settle().await;
    assert!(text(&el, ".aftersale__error").contains("unknown policy \"nosuchshop\""));
    assert_eq!(
        text(&el, ".aftersale__error-title"),
        "The after-sale options cannot be shown"
    );
    // The title in the customer's language; the detail for the shop's
    // developers.
    let de = widget(
        "nosuchshop",
        "2026-03-02T15:00:00Z",
        "de-DE",
        &page_data(None, None, "USD"),
    );
    settle().await;
    assert_eq!(
        text(&de, ".aftersale__error-title"),
        "Die Kundendienst-Optionen können nicht angezeigt werden"
    );
    // Each part read in its own language's voice.
    assert_eq!(attr(&de, ".aftersale--error", "lang"), "de");
    assert_eq!(attr(&de, ".aftersale__error", "lang"), "en");
}

#[wasm_bindgen_test]
async fn an_unsupported_currency_names_the_field() {
    let el = widget(
        "xtelary",
        "2026-03-02T15:00:00Z",
        "en-US",
        &page_data(None, None, "XBT"),
    );
    settle().await;
    let message = text(&el, ".aftersale__error");
    assert!(
        message.contains("order.currency") && message.contains("XBT"),
        "{message}"
    );
}

#[wasm_bindgen_test]
async fn malformed_order_data_names_the_field() {
    let data = page_data(None, None, "USD").replace("\"12.50\"", "\"12.505\"");
    let el = widget("xtelary", "2026-03-02T15:00:00Z", "en-US", &data);
    settle().await;
    let message = text(&el, ".aftersale__error");
    assert!(message.contains("order.lines[0].unit_price"), "{message}");
}

#[wasm_bindgen_test]
async fn text_that_is_not_json_is_shown_in_place() {
    let el = widget("xtelary", "2026-03-02T15:00:00Z", "en-US", "{ not json");
    settle().await;
    assert!(text(&el, ".aftersale__error").starts_with("not JSON"));
}

// ── submission, against an intercepted `fetch` ────────────────────────────

const ENDPOINT: &str = "https://shop.test/api/requests";

/// Replaces `window.fetch`: records each call (url, key, body, method,
/// content type, size; for a photo its `range` and `first` byte) in
/// `window.__calls` and answers from `responses` (a JSON array of
/// `{"status": 201, "body": {...}}` (or `"text"` for a body that is not
/// JSON; `"headers"` for more headers), `"network"` (a failed fetch) or
/// `"silent"` (no answer until aborted); the last one repeats).
fn fake_fetch(responses: &str) {
    let body = format!(
        r#"window.__calls = [];
        window.__responses = {responses};
        window.fetch = function (input, init) {{
          var req = input instanceof Request ? input : new Request(input, init);
          return req.arrayBuffer().then(function (bytes) {{
            var body = new TextDecoder().decode(bytes);
            window.__calls.push({{ url: req.url, key: req.headers.get("Idempotency-Key"), body: body,
              method: req.method, type: req.headers.get("Content-Type"), size: String(bytes.byteLength) }});
            var r = window.__responses.length > 1 ? window.__responses.shift() : window.__responses[0];
            if (r === "network") throw new TypeError("Failed to fetch");
            // A connection gone silent: no answer until the fetch is aborted.
            if (r === "silent") return new Promise(function (_, reject) {{
              req.signal.addEventListener("abort", function () {{ reject(new DOMException("aborted", "AbortError")); }});
            }});
            return new Response(r.text !== undefined ? r.text : JSON.stringify(r.body), {{ status: r.status, headers: Object.assign({{ "Content-Type": "application/json" }}, r.headers || {{}}) }});
          }});
        }};
        // Photos go by XMLHttpRequest (for their upload progress): recorded
        // and answered the same way, half their bytes reported on their way
        // at once, the rest in `window.__xhrSteps` steps `window.__xhrDelay`
        // ms apart, then the answer. "stall" reports the half and then
        // nothing until the request is aborted.
        window.__xhrDelay = 0;
        window.__xhrSteps = 1;
        window.XMLHttpRequest = function () {{
          var x = this;
          x.upload = {{}}; x.status = 0; x.responseText = ""; x.timeout = 0; x.headers = {{}};
          x.open = function (method, url) {{ x.method = method; x.url = new URL(url, location.href).href; }};
          x.setRequestHeader = function (k, v) {{ x.headers[k.toLowerCase()] = v; }};
          x.getResponseHeader = function (k) {{ return x.answerHeaders ? x.answerHeaders.get(k) : null; }};
          x.abort = function () {{
            if (x.done) return;
            x.done = true; x.status = 0;
            if (x.onloadend) x.onloadend(new ProgressEvent("loadend"));
          }};
          x.send = function (body) {{
            var blob = body || new Blob([]);
            blob.arrayBuffer().then(function (bytes) {{
              var size = bytes.byteLength;
              window.__calls.push({{ url: x.url, key: x.headers["idempotency-key"] || "", body: "",
                method: x.method, type: x.headers["content-type"] || "", size: String(size),
                range: x.headers["content-range"] || "", first: size ? String(new Uint8Array(bytes)[0]) : "" }});
              var r = window.__responses.length > 1 ? window.__responses.shift() : window.__responses[0];
              var half = Math.floor(size / 2), steps = window.__xhrSteps, delay = window.__xhrDelay;
              var step = function (n) {{
                if (!x.done && x.upload.onprogress) x.upload.onprogress(new ProgressEvent("progress", {{ loaded: n, total: size }}));
              }};
              step(half);
              if (r === "stall") return;
              var next = function (i) {{
                setTimeout(function () {{
                  if (x.done) return;
                  if (i < steps) {{ step(half + Math.floor((size - half) * i / steps)); next(i + 1); return; }}
                  if (r !== "network" && r !== "silent") step(size);
                  x.done = true;
                  if (r !== "network" && r !== "silent") {{
                    x.status = r.status;
                    x.responseText = r.text !== undefined ? r.text : JSON.stringify(r.body);
                    x.answerHeaders = new Headers(r.headers || {{}});
                  }}
                  if (x.onloadend) x.onloadend(new ProgressEvent("loadend"));
                }}, delay);
              }};
              next(1);
            }});
          }};
        }};
        localStorage.clear();"#
    );
    js_sys::Function::new_no_args(&body)
        .call0(&wasm_bindgen::JsValue::NULL)
        .unwrap();
}

fn calls() -> Vec<(String, String, serde_json_like::Value)> {
    let calls = js_sys::Reflect::get(&web_sys::window().unwrap(), &"__calls".into()).unwrap();
    let calls: js_sys::Array = calls.dyn_into().unwrap();
    calls
        .iter()
        .map(|c| {
            let get = |k: &str| {
                js_sys::Reflect::get(&c, &k.into())
                    .unwrap()
                    .as_string()
                    .unwrap_or_default()
            };
            // A photo's body is its bytes.
            let body = if get("type").contains("json") {
                get("body")
            } else {
                String::new()
            };
            (get("url"), get("key"), serde_json_like::parse(&body))
        })
        .collect()
}

/// Field `k` (`method`, `type`, `size`, …) of each recorded call.
fn calls_field(k: &str) -> Vec<String> {
    let calls = js_sys::Reflect::get(&web_sys::window().unwrap(), &"__calls".into()).unwrap();
    let calls: js_sys::Array = calls.dyn_into().unwrap();
    calls
        .iter()
        .map(|c| {
            js_sys::Reflect::get(&c, &k.into())
                .unwrap()
                .as_string()
                .unwrap_or_default()
        })
        .collect()
}

/// Reads fields of JSON text through the browser's JSON.parse.
mod serde_json_like {
    pub struct Value(wasm_bindgen::JsValue);
    pub fn parse(text: &str) -> Value {
        // A GET has no body; a photo's is not JSON.
        if text.is_empty() {
            return Value(wasm_bindgen::JsValue::NULL);
        }
        Value(js_sys::JSON::parse(text).unwrap())
    }
    impl Value {
        pub fn get(&self, path: &str) -> String {
            let mut v = self.0.clone();
            for k in path.split('.') {
                v = js_sys::Reflect::get(&v, &k.into()).unwrap();
            }
            v.as_string().unwrap_or_else(|| format!("{v:?}"))
        }
        /// Whether `path` leads to something (a missing field's parent may
        /// be missing too).
        pub fn has(&self, path: &str) -> bool {
            let mut v = self.0.clone();
            for k in path.split('.') {
                if v.is_undefined() || v.is_null() {
                    return false;
                }
                v = js_sys::Reflect::get(&v, &k.into()).unwrap();
            }
            !v.is_undefined()
        }
    }
}

/// An xtelary order placed an hour before `now`, posting to `endpoint`.
fn submitting_widget(endpoint: &str) -> HtmlElement {
    submitting_widget_at(
        "2026-03-02T15:00:00Z",
        &page_data(None, None, "USD"),
        endpoint,
    )
}

fn submitting_widget_at(now: &str, data: &str, endpoint: &str) -> HtmlElement {
    element(
        &[
            ("data-policy", "xtelary"),
            ("data-now", now),
            ("data-locale", "en-US"),
            ("data-endpoint", endpoint),
        ],
        Some(data),
    )
}

/// [`submitting_widget`] in German.
fn german_submitting_widget() -> HtmlElement {
    element(
        &[
            ("data-policy", "xtelary"),
            ("data-now", "2026-03-02T15:00:00Z"),
            ("data-locale", "de-DE"),
            ("data-endpoint", ENDPOINT),
        ],
        Some(&page_data(None, None, "USD")),
    )
}

/// [`fill_and_send`], then waits for the shop's answer to be shown: the
/// request made, and the status no longer "sending" (each use answers it).
async fn send_and_wait(el: &HtmlElement) {
    let before = calls().len();
    fill_and_send(el).await;
    until(|| calls().len() > before).await;
    until(|| attr(el, ".aftersale__status", "data-state") != "sending").await;
    settle().await;
}

async fn fill_and_send(el: &HtmlElement) {
    choose(el, "cancel", "").await;
    set_value(el, ".aftersale__email", "ana@example.com").await;
    find(el, ".aftersale__review").click();
    settle().await;
    let send = find(el, ".aftersale__send");
    send.click();
    send.click();
    settle().await;
}

fn local_storage() -> web_sys::Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}

fn pending_in_storage() -> Option<String> {
    local_storage().get_item("aftersale.pending.T-1").unwrap()
}

/// Keeps `pending` (JSON: key, endpoint, body) as a page left before the
/// shop answered would have kept its request for order T-1.
fn left_pending(pending: &str) {
    local_storage()
        .set_item("aftersale.pending.T-1", pending)
        .unwrap();
}

#[wasm_bindgen_test]
async fn a_browser_language_that_is_no_language_tag_is_read_as_intl_reads_it() {
    // A webview saying `en_US`, and one saying what is no tag: the payload's
    // locale is a tag (the shop's schema takes no other), and the widget
    // draws rather than stopping on Intl's RangeError.
    for (browser, sent) in [("en_US", "en-US"), ("not a tag!", "en")] {
        js(&format!(
            r#"Object.defineProperty(navigator, "language", {{ value: "{browser}", configurable: true }});"#
        ));
        fake_fetch(
            r#"[{ "status": 201, "body": { "status": "created", "request_id": "R-1", "rma": null } }]"#,
        );
        let el = element(
            &[
                ("data-policy", "xtelary"),
                ("data-now", "2026-03-02T15:00:00Z"),
                ("data-endpoint", ENDPOINT),
            ],
            Some(&page_data(None, None, "USD")),
        );
        settle().await;
        send_and_wait(&el).await;
        js(r#"delete navigator.language;"#);
        let calls = calls();
        assert_eq!(calls.len(), 1, "{browser}");
        assert_eq!(calls[0].2.get("locale"), sent, "{browser}");
        assert_eq!(attr(&el, ".aftersale__status", "data-state"), "created");
        el.remove();
    }
}

#[wasm_bindgen_test]
async fn a_double_click_submits_once_and_shows_the_confirmation() {
    fake_fetch(
        r#"[{ "status": 201, "body": { "status": "created", "request_id": "R-1", "rma": "RMA-9" } }]"#,
    );
    let el = submitting_widget(ENDPOINT);
    settle().await;
    send_and_wait(&el).await;
    let calls = calls();
    assert_eq!(calls.len(), 1, "one POST for a double click");
    let (url, key, body) = &calls[0];
    assert_eq!(url, ENDPOINT);
    assert_eq!(key.len(), 36, "a UUID: {key}");
    assert_eq!(body.get("format"), "aftersale.request/1");
    assert_eq!(body.get("order_id"), "T-1");
    assert_eq!(body.get("policy.id"), "xtelary");
    assert_eq!(body.get("request.kind"), "cancel");
    assert_eq!(body.get("quote.refund"), "118.99");
    assert_eq!(body.get("contact.email"), "ana@example.com");
    // By the widget's clock (data-now, seconds on), as its figures are.
    let sent = body.get("submitted_at");
    assert!(sent.starts_with("2026-03-02T15:00:0"), "{sent}");
    assert_eq!(attr(&el, ".aftersale__status", "data-state"), "created");
    assert_eq!(text(&el, ".aftersale__request-id"), "R-1");
    assert_eq!(text(&el, ".aftersale__rma"), "RMA-9");
    assert_eq!(pending_in_storage(), None, "forgotten once acknowledged");
}

#[wasm_bindgen_test]
async fn the_email_the_shop_knows_is_filled_in_and_the_customer_may_change_it() {
    fake_fetch(
        r#"[{ "status": 201, "body": { "status": "created", "request_id": "R-1" } },
            { "status": 201, "body": { "status": "created", "request_id": "R-2" } }]"#,
    );
    let email_of = |el: &HtmlElement| {
        find(el, ".aftersale__email")
            .dyn_into::<HtmlInputElement>()
            .unwrap()
            .value()
    };
    // By its element's `data-email`, sent as it is.
    let el = element(
        &[
            ("data-policy", "xtelary"),
            ("data-now", "2026-03-02T15:00:00Z"),
            ("data-locale", "en-US"),
            ("data-endpoint", ENDPOINT),
            ("data-email", "mia.keller@example.com"),
        ],
        Some(&page_data(None, None, "USD")),
    );
    settle().await;
    choose(&el, "cancel", "").await;
    assert_eq!(email_of(&el), "mia.keller@example.com");
    find(&el, ".aftersale__review").click();
    settle().await;
    find(&el, ".aftersale__send").click();
    until(|| calls().len() == 1).await;
    settle().await;
    // By `Aftersale.mount`'s `email`, changed by the customer before sending.
    aftersale_widget::install_global();
    js(&format!(
        r#"var el = document.createElement("div");
        el.id = "email-widget";
        document.body.appendChild(el);
        window.Aftersale.mount(el, {{
          policy: "xtelary", order: {order}, locale: "en-US", now: "2026-03-02T15:00:00Z",
          endpoint: "{ENDPOINT}", email: "old@example.com"
        }});"#,
        order = order_json(None)
    ));
    settle().await;
    let api: HtmlElement = web_sys::window()
        .unwrap()
        .document()
        .unwrap()
        .get_element_by_id("email-widget")
        .unwrap()
        .dyn_into()
        .unwrap();
    choose(&api, "cancel", "").await;
    assert_eq!(email_of(&api), "old@example.com");
    // An address the shop's schema refuses (two `@`) is not sent: Review
    // waits and the hint says why.
    set_value(&api, ".aftersale__email", "new@old@example.com").await;
    assert!(disabled(&api, ".aftersale__review"));
    assert!(!find(&api, "#aftersale-email-hint").has_attribute("hidden"));
    set_value(&api, ".aftersale__email", "new@example.com").await;
    assert!(enabled(&api, ".aftersale__review"));
    find(&api, ".aftersale__review").click();
    settle().await;
    find(&api, ".aftersale__send").click();
    until(|| calls().len() >= 2).await;
    settle().await;
    let sent: Vec<String> = calls()
        .iter()
        .map(|(_, _, body)| body.get("contact.email"))
        .collect();
    assert_eq!(sent, ["mia.keller@example.com", "new@example.com"]);
}

/// Whether there are elements matching `selector` and every one is disabled.
fn disabled(el: &HtmlElement, selector: &str) -> bool {
    let count = |s: &str| root(el).query_selector_all(s).unwrap().length();
    let all = count(selector);
    all > 0 && count(&format!("{selector}:disabled")) == all
}

/// Whether there are elements matching `selector` and none is disabled.
fn enabled(el: &HtmlElement, selector: &str) -> bool {
    present(el, selector) && !present(el, &format!("{selector}:disabled"))
}

#[wasm_bindgen_test]
async fn the_orders_requests_are_listed_with_their_status() {
    let data = delivered_data();
    let data = format!(
        r#"{},
          "requests": [
            {{ "id": "R-9", "kind": "claim", "reason": "damaged", "lines": [{{ "line_id": "L1", "quantity": 1 }}, {{ "line_id": "L2", "quantity": 1 }}],
               "status": "item_received", "created_at": "2026-03-09T15:30:00Z", "rma": "RMA-9" }},
            {{ "id": "R-8", "kind": "cancel", "status": "on_hold", "created_at": "2026-03-03T10:00:00Z" }}
          ]
        }}"#,
        data.trim_end().trim_end_matches('}')
    );
    let el = widget("xtelary", DAY_AFTER_DELIVERY, "de-DE", &data);
    settle().await;
    assert_eq!(
        text(&el, "#aftersale-requests-title"),
        "Ihre Anfragen zu dieser Bestellung"
    );
    assert_eq!(
        text(&el, "[data-id='R-9'] .aftersale__past-status"),
        "Artikel beim Shop eingegangen"
    );
    assert_eq!(
        text(&el, "[data-id='R-9'] .aftersale__past-items"),
        "1 × Heat transfer vinyl, red und 1 × Watch winder"
    );
    assert_eq!(text(&el, "[data-id='R-9'] .aftersale__past-rma"), "RMA-9");
    assert!(
        text(&el, "[data-id='R-9']").contains("Eingegangen 9. März 2026"),
        "{}",
        text(&el, "[data-id='R-9']")
    );
    // A status the catalogue does not know is shown as the shop wrote it;
    // a whole-order request names no items.
    assert_eq!(
        text(&el, "[data-id='R-8'] .aftersale__past-status"),
        "on hold"
    );
    assert!(!present(&el, "[data-id='R-8'] .aftersale__past-items"));
    // Newest first, as the shop gave them, before what can be done now.
    let ids: Vec<String> = (0..2)
        .map(|i| {
            root(&el)
                .query_selector_all(".aftersale__past")
                .unwrap()
                .item(i)
                .unwrap()
                .dyn_into::<web_sys::Element>()
                .unwrap()
                .get_attribute("data-id")
                .unwrap()
        })
        .collect();
    assert_eq!(ids, ["R-9", "R-8"]);
    assert!(present(&el, ".aftersale__requests + .aftersale__overview"));
}

/// Page data for the delivered order with the shop's `requests` (a JSON
/// array's items).
fn delivered_data_with_requests(requests: &str) -> String {
    format!(
        r#"{}, "requests": [{requests}] }}"#,
        delivered_data().trim_end().trim_end_matches('}')
    )
}

fn value(el: &HtmlElement, selector: &str) -> String {
    find(el, selector)
        .dyn_into::<HtmlInputElement>()
        .unwrap()
        .value()
}

#[wasm_bindgen_test]
async fn what_the_orders_requests_hold_is_not_offered_again() {
    // One vinyl roll in a return the shop has; the watch winder's exchange
    // was rejected, which frees it.
    let data = delivered_data_with_requests(
        r#"{ "id": "R-1", "kind": "return", "reason": "changed_mind", "lines": [{ "line_id": "L1", "quantity": 1 }],
             "status": "approved", "created_at": "2026-03-09T15:30:00Z" },
           { "id": "R-2", "kind": "exchange", "reason": "damaged", "lines": [{ "line_id": "L2", "quantity": 1 }],
             "status": "rejected", "created_at": "2026-03-09T16:30:00Z" }"#,
    );
    let el = widget("xtelary", DAY_AFTER_DELIVERY, "en-US", &data);
    settle().await;
    assert_eq!(
        attr(
            &el,
            "[data-kind='return'][data-reason='changed_mind']",
            "data-state"
        ),
        "open"
    );
    choose(&el, "return", "changed_mind").await;
    assert_eq!(value(&el, "[data-line='L1']"), "1", "the roll left");
    assert_eq!(attr(&el, "[data-line='L1']", "max"), "1");
    assert_eq!(
        text(&el, "#aftersale-held-L1"),
        "1 already in your requests"
    );
    assert_eq!(
        attr(&el, "[data-line='L1']", "aria-describedby"),
        "aftersale-held-L1"
    );
    assert_eq!(
        value(&el, "[data-line='L2']"),
        "1",
        "a rejected request holds nothing"
    );
    assert!(!present(&el, "#aftersale-held-L2"));
    // Typing more than is left is capped, as the shop would refuse it.
    set_value(&el, "[data-line='L1']", "2").await;
    assert_eq!(value(&el, "[data-line='L1']"), "1");
    confirm_condition(&el).await;
    // 12.50 + 89.00 = 101.50; 5% = 5.075 → 5.08; 96.42 back.
    assert_eq!(attr(&el, ".aftersale__refund", "data-amount"), "96.42");

    // Everything in open requests: no return or exchange is offered, and
    // each says why, in the customer's language.
    let data = delivered_data_with_requests(
        r#"{ "id": "R-3", "kind": "return", "reason": "damaged",
             "lines": [{ "line_id": "L1", "quantity": 2 }, { "line_id": "L2", "quantity": 1 }],
             "status": "refunded", "created_at": "2026-03-09T15:30:00Z" }"#,
    );
    let el = widget("xtelary", DAY_AFTER_DELIVERY, "de-DE", &data);
    settle().await;
    for (kind, reason) in [("return", "changed_mind"), ("exchange", "damaged")] {
        let option = format!("[data-kind='{kind}'][data-reason='{reason}']");
        assert_eq!(attr(&el, &option, "data-state"), "requested", "{option}");
        assert_eq!(
            text(&el, &format!("{option} .aftersale__option-status")),
            "Bereits angefragt"
        );
        assert!(
            text(&el, &format!("{option} .aftersale__option-when"))
                .starts_with("Alle Artikel, für die das möglich wäre"),
            "{}",
            text(&el, &option)
        );
        assert!(!present(&el, &format!("{option} .aftersale__choose")));
    }

    // An open cancellation: nothing else is offered beside it.
    let data = format!(
        r#"{}, "requests": [{{ "id": "R-4", "kind": "cancel", "status": "requested", "created_at": "2026-03-02T15:00:00Z" }}] }}"#,
        page_data(None, None, "USD")
            .trim_end()
            .trim_end_matches('}')
    );
    let el = widget("xtelary", "2026-03-02T16:00:00Z", "en-US", &data);
    settle().await;
    assert_eq!(attr(&el, "[data-kind='cancel']", "data-state"), "requested");
    assert_eq!(
        text(&el, "[data-kind='cancel'] .aftersale__option-when"),
        "The same request for this order is already open."
    );
    assert!(!present(&el, ".aftersale__choose"), "nothing to choose");
}

#[wasm_bindgen_test]
async fn a_request_received_is_locked_and_another_can_be_started() {
    fake_fetch(
        r#"[{ "status": 201, "body": { "status": "created", "request_id": "R-5", "rma": "RMA-77" } }]"#,
    );
    let el = submitting_widget_at(DAY_AFTER_DELIVERY, &delivered_data(), ENDPOINT);
    assert!(
        !present(&el, ".aftersale__requests"),
        "no requests yet, no list"
    );
    settle().await;
    choose(&el, "return", "changed_mind").await;
    set_value(&el, "[data-line='L2']", "0").await;
    confirm_condition(&el).await;
    pick_photos(&el, &[("box.jpg", "image/jpeg", 2048)]).await;
    set_value(&el, ".aftersale__email", "ana@example.com").await;
    find(&el, ".aftersale__review").click();
    settle().await;
    assert!(
        !present(&el, "[data-step][data-done]"),
        "nothing is done before the shop has it"
    );
    find(&el, ".aftersale__send").click();
    until(|| present(&el, ".aftersale__request-id")).await;
    settle().await;
    assert_eq!(text(&el, ".aftersale__request-id"), "R-5");
    // The order's list of requests has it, as the shop received it.
    let past = "[data-id='R-5']";
    assert_eq!(attr(&el, past, "data-status"), "requested");
    assert_eq!(
        text(&el, &format!("{past} .aftersale__past-status")),
        "Waiting for the shop"
    );
    assert_eq!(
        text(&el, &format!("{past} .aftersale__past-items")),
        "2 × Heat transfer vinyl, red"
    );
    assert_eq!(text(&el, &format!("{past} .aftersale__past-rma")), "RMA-77");
    // Received by the widget's clock (data-now), not the browser's.
    let row = text(&el, past);
    assert!(row.contains("Received March 10, 2026"), "{row}");
    // The steps the shop's receipt did are marked done: the RMA code it
    // gave, the photos that went with the request; the others still wait.
    assert_eq!(
        text(&el, "[data-step='rma']"),
        "Done: the shop gave your RMA code, RMA-77. Give it whenever you write to the shop, and write it on the parcel."
    );
    assert_eq!(attr(&el, "[data-step='rma']", "data-done"), "true");
    assert_eq!(
        text(&el, "[data-step='photos']"),
        "Done: your photo (box.jpg) was sent with your request."
    );
    assert!(!present(&el, "[data-step='packaging'][data-done]"));
    // What the shop received cannot be edited any more: the review shows
    // it, without its buttons; the quantities and options are locked.
    assert!(text(&el, ".aftersale__review-list").contains("2 × Heat transfer vinyl, red"));
    assert_eq!(
        text(&el, ".aftersale__review-title"),
        "Your request as the shop received it"
    );
    assert!(find(&el, ".aftersale__actions").hidden());
    assert_eq!(
        find(&el, ".aftersale__send").offset_height(),
        0,
        "the send button is not drawn (its row's display does not undo hidden)"
    );
    assert!(disabled(&el, "[data-line='L1']"));
    assert!(disabled(&el, ".aftersale__condition"));
    assert!(
        disabled(&el, ".aftersale__choose"),
        "every option waits for 'Start another request'"
    );
    find(&el, ".aftersale__again").click();
    settle().await;
    assert!(!present(&el, ".aftersale__status"));
    assert!(!present(&el, ".aftersale__editor"));
    assert!(enabled(&el, ".aftersale__choose"));
    assert_eq!(
        root(&el).active_element().unwrap().id(),
        "aftersale-overview-title",
        "the focus moves to the overview"
    );
    assert!(
        present(&el, "[data-id='R-5']"),
        "the list keeps the request"
    );
    // The next request starts afresh (the email stays) and gets its own key;
    // the units sent are not offered again.
    choose(&el, "return", "changed_mind").await;
    assert_eq!(value(&el, "[data-line='L2']"), "1");
    assert_eq!(value(&el, "[data-line='L1']"), "0");
    assert!(disabled(&el, "[data-line='L1']"));
    confirm_condition(&el).await;
    assert!(
        !present(&el, ".aftersale__photo-list li"),
        "the photos went with the first request"
    );
    pick_photos(&el, &[("box.jpg", "image/jpeg", 2048)]).await;
    find(&el, ".aftersale__review").click();
    settle().await;
    find(&el, ".aftersale__send").click();
    until(|| calls().len() >= 4).await;
    settle().await;
    // Each request with its photo after it.
    assert_eq!(calls_field("method"), ["POST", "PUT", "POST", "PUT"]);
    let calls = calls();
    assert_ne!(calls[0].1, calls[2].1, "another request, another key");
    assert_eq!(calls[2].2.get("request.lines.0.line_id"), "L2");
    assert!(
        !calls[2].2.has("request.lines.1"),
        "the vinyl went with the first"
    );
    assert_eq!(calls[2].2.get("contact.email"), "ana@example.com");
}

#[wasm_bindgen_test]
async fn a_failed_request_is_kept_and_retried_with_the_same_key() {
    fake_fetch(
        r#"["network", { "status": 503, "body": {} }, { "status": 201, "body": { "status": "created", "request_id": "R-2", "rma": null } }]"#,
    );
    let el = submitting_widget(ENDPOINT);
    settle().await;
    fill_and_send(&el).await;
    sleep(50).await;
    assert_eq!(attr(&el, ".aftersale__status", "data-state"), "retrying");
    assert!(
        pending_in_storage().is_some(),
        "kept while the shop has not answered"
    );
    // Retries after 1 s, then 2 s more; a loaded machine may be late.
    sleep(4500).await;
    settle().await;
    let calls = calls();
    assert_eq!(calls.len(), 3);
    assert!(
        calls.iter().all(|c| c.1 == calls[0].1),
        "every attempt carries the same key"
    );
    assert!(
        calls
            .iter()
            .all(|c| c.2.get("submitted_at") == calls[0].2.get("submitted_at")),
        "and the same body"
    );
    assert_eq!(text(&el, ".aftersale__request-id"), "R-2");
    assert_eq!(pending_in_storage(), None);
}

#[wasm_bindgen_test]
async fn a_shop_that_says_retry_after_is_left_alone_that_long() {
    // A rate limiter's 429 (or a 503 for maintenance) says when to come back.
    fake_fetch(
        r#"[{ "status": 429, "body": {}, "headers": { "Retry-After": "7" } }, { "status": 201, "body": { "status": "created", "request_id": "R-7", "rma": null } }]"#,
    );
    let el = submitting_widget(ENDPOINT);
    settle().await;
    fill_and_send(&el).await;
    until(|| attr(&el, ".aftersale__status", "data-state") == "retrying").await;
    assert_eq!(attr(&el, ".aftersale__status", "data-state"), "retrying");
    assert!(
        text(&el, ".aftersale__status").contains("7\u{a0}s"),
        "{}",
        text(&el, ".aftersale__status")
    );
    // Not after 1 s and 2 s, as without it.
    sleep(3200).await;
    assert_eq!(calls().len(), 1);
    // (Back online: sent at once, as ever.)
    js("window.dispatchEvent(new Event('online'));");
    sleep(300).await;
    settle().await;
    assert_eq!(calls().len(), 2);
    assert_eq!(text(&el, ".aftersale__request-id"), "R-7");
}

#[wasm_bindgen_test]
async fn a_photo_the_shop_says_to_send_later_waits_its_retry_after() {
    fake_fetch(
        r#"[{ "status": 201, "body": { "status": "created", "request_id": "R-9", "rma": null } },
            { "status": 503, "body": {}, "headers": { "Retry-After": "9" } },
            { "status": 201, "body": { "status": "stored" } }]"#,
    );
    let el = return_with_photos(&[("box.jpg", "image/jpeg", 2048)]).await;
    until(|| text(&el, "[data-step='photos']").contains("Trying again")).await;
    assert_eq!(calls_field("method"), ["POST", "PUT"]);
    assert!(
        text(&el, "[data-step='photos']").contains("Trying again in 9\u{a0}s"),
        "{}",
        text(&el, "[data-step='photos']")
    );
    // Finished here (back online: sent at once), not in a later test.
    js("window.dispatchEvent(new Event('online'));");
    until(|| present(&el, "[data-step='photos'][data-done]")).await;
    assert_eq!(calls_field("method"), ["POST", "PUT", "PUT"]);
    assert!(present(&el, "[data-step='photos'][data-done]"));
}

#[wasm_bindgen_test]
fn retry_after_is_read_in_seconds_or_as_a_date() {
    use aftersale_widget::net::retry_after;
    assert_eq!(retry_after(Some("120".into())), Some(120));
    assert_eq!(retry_after(Some(" 0 ".into())), Some(0));
    assert_eq!(retry_after(None), None);
    assert_eq!(retry_after(Some("soon".into())), None);
    assert_eq!(retry_after(Some("-5".into())), None);
    // An HTTP date 90 s from now; one past is now.
    let at = js_sys::Date::new(&(js_sys::Date::now() + 90_000.0).into()).to_utc_string();
    let secs = retry_after(Some(at.into())).unwrap();
    assert!((89..=91).contains(&secs), "{secs}");
    assert_eq!(
        retry_after(Some("Wed, 21 Oct 2015 07:28:00 GMT".into())),
        Some(0)
    );
}

#[wasm_bindgen_test]
async fn a_request_waiting_to_be_sent_again_goes_as_soon_as_the_browser_is_online() {
    fake_fetch(
        r#"["network", "network", { "status": 201, "body": { "status": "created", "request_id": "R-5", "rma": null } }]"#,
    );
    let el = submitting_widget(ENDPOINT);
    settle().await;
    fill_and_send(&el).await;
    // Sent, failed, sent again after 1 s, failed: the next in 2 s.
    sleep(1500).await;
    assert_eq!(calls().len(), 2);
    js("window.dispatchEvent(new Event('online'));");
    sleep(300).await;
    settle().await;
    assert_eq!(calls().len(), 3, "sent at once, not 2 s later");
    assert_eq!(text(&el, ".aftersale__request-id"), "R-5");
}

#[wasm_bindgen_test]
async fn a_browser_that_cannot_keep_the_request_says_to_keep_the_page_open() {
    fake_fetch(
        r#"["network", { "status": 201, "body": { "status": "created", "request_id": "R-3", "rma": null } }]"#,
    );
    // Storage disabled or full: setItem throws (as in some private modes).
    js(
        "window.__setItem = Storage.prototype.setItem; Storage.prototype.setItem = function () { throw new DOMException('full', 'QuotaExceededError'); };",
    );
    let el = submitting_widget(ENDPOINT);
    settle().await;
    fill_and_send(&el).await;
    sleep(50).await;
    let status = text(&el, ".aftersale__status");
    js("Storage.prototype.setItem = window.__setItem;");
    assert_eq!(attr(&el, ".aftersale__status", "data-state"), "retrying");
    assert!(
        status.contains("cannot keep your request, so keep this page open"),
        "{status}"
    );
    assert!(!status.contains("is kept in this browser"), "{status}");
    assert_eq!(pending_in_storage(), None);
    // Sent again all the same.
    sleep(2500).await;
    settle().await;
    assert_eq!(calls().len(), 2);
    assert_eq!(text(&el, ".aftersale__request-id"), "R-3");
}

#[wasm_bindgen_test]
async fn a_request_the_shop_cannot_take_can_be_stopped_and_changed() {
    fake_fetch(r#"["network", "network", "network", "network"]"#);
    let el = submitting_widget(ENDPOINT);
    settle().await;
    fill_and_send(&el).await;
    sleep(50).await;
    assert_eq!(attr(&el, ".aftersale__status", "data-state"), "retrying");
    assert!(disabled(&el, ".aftersale__send"));
    find(&el, ".aftersale__stop").click();
    settle().await;
    assert!(!present(&el, ".aftersale__status"), "nothing on its way");
    assert_eq!(pending_in_storage(), None, "forgotten");
    assert!(enabled(&el, ".aftersale__send"), "it can be sent again");
    assert!(enabled(&el, ".aftersale__edit"), "or changed");
    assert_eq!(
        root(&el).active_element().unwrap().class_name(),
        "aftersale__send"
    );
    // No attempt after the stop, where the next would have come after 1 s.
    sleep(1500).await;
    assert_eq!(calls().len(), 1);
    assert!(!present(&el, ".aftersale__status"));
}

#[wasm_bindgen_test]
async fn a_refusal_from_the_shop_is_shown_with_its_clause() {
    fake_fetch(
        r#"[{ "status": 422, "body": { "status": "refused", "clause": "xtelary.cancel_shipped", "explanation": "We do not accept a cancellation once the order has shipped." } }]"#,
    );
    let el = submitting_widget(ENDPOINT);
    settle().await;
    send_and_wait(&el).await;
    assert_eq!(attr(&el, ".aftersale__status", "data-state"), "refused");
    assert!(text(&el, ".aftersale__status").contains("xtelary.cancel_shipped"));
    assert_eq!(calls().len(), 1, "a refusal is not retried");
    // The same request is not sent again, but it can be changed; the
    // refusal goes with the request it answered.
    assert!(disabled(&el, ".aftersale__send"));
    assert!(enabled(&el, ".aftersale__edit"));
    assert!(enabled(&el, ".aftersale__choose"));
    choose(&el, "cancel", "").await;
    assert!(!present(&el, ".aftersale__status"));
    assert!(enabled(&el, ".aftersale__review"));
}

#[wasm_bindgen_test]
async fn an_answer_that_is_no_decision_says_so_in_the_customers_language() {
    fake_fetch(
        r#"[{ "status": 400, "body": { "status": "invalid", "field": "contact.email", "message": "not an email address" } },
            { "status": 405, "text": "" }]"#,
    );
    record_request_events();
    let el = german_submitting_widget();
    settle().await;
    send_and_wait(&el).await;
    assert_eq!(attr(&el, ".aftersale__status", "data-state"), "invalid");
    // What happened, in German; the shop's own words below it.
    assert_eq!(
        text(&el, ".aftersale__status .aftersale__verdict"),
        "Der Shop hat diese Anfrage nicht angenommen. Versuchen Sie es später noch einmal oder wenden Sie sich mit der Meldung unten an den Shop."
    );
    assert_eq!(
        text(&el, ".aftersale__status .aftersale__error"),
        "contact.email: not an email address"
    );
    assert_eq!(calls().len(), 1, "not retried");
    assert_eq!(pending_in_storage(), None, "nothing left to send");
    // It may be sent again; an answer with no body says only its status.
    send_and_wait(&el).await;
    assert_eq!(calls().len(), 2);
    assert_eq!(
        text(&el, ".aftersale__status .aftersale__error"),
        "the shop answered 405"
    );
    assert_eq!(
        request_events(),
        [
            r#"aftersale:submitted {"status":"invalid","message":"contact.email: not an email address"}"#,
            r#"aftersale:submitted {"status":"invalid","message":"the shop answered 405"}"#
        ]
    );
}

#[wasm_bindgen_test]
async fn a_refusal_is_worded_in_the_customers_language() {
    fake_fetch(
        r#"[{ "status": 422, "body": { "status": "refused", "clause": "server.already_requested", "conflict": "order_cancelled", "field": "request.lines", "explanation": "the order is being cancelled (an open request): nothing of it can be asked for besides" } },
            { "status": 422, "body": { "status": "refused", "clause": "xtelary.cancel_shipped", "explanation": "Not eligible: the order shipped." } }]"#,
    );
    js(r#"window.__refusals = [];
        document.addEventListener("aftersale:submitted", function (e) { window.__refusals.push(e.detail.conflict || ""); });"#);
    let el = german_submitting_widget();
    settle().await;
    send_and_wait(&el).await;
    // A conflict with the order's other requests, by the server's code; the
    // server's own words stay with it for developers.
    assert_eq!(
        text(&el, ".aftersale__status .aftersale__explanation"),
        "Diese Bestellung wird mit einer offenen Anfrage storniert; weitere Anfragen dazu sind nicht möglich."
    );
    assert!(
        attr(
            &el,
            ".aftersale__status .aftersale__explanation",
            "data-why"
        )
        .contains("being cancelled")
    );
    assert!(text(&el, ".aftersale__status").contains("server.already_requested"));
    // A policy clause: its German text, not the engine's English.
    send_and_wait(&el).await;
    assert_eq!(calls().len(), 2);
    assert_eq!(
        text(&el, ".aftersale__status .aftersale__explanation"),
        "Nach dem Versand nehmen wir keine Stornierung mehr an."
    );
    assert_eq!(
        js("return window.__refusals.join('|');")
            .as_string()
            .unwrap(),
        "order_cancelled|",
        "the event carries the conflict"
    );
}

#[wasm_bindgen_test]
async fn a_changed_quote_is_shown_and_can_be_accepted() {
    fake_fetch(
        r#"[{ "status": 409, "body": { "status": "quote_changed", "quote": { "eligible": true, "clauses": ["xtelary.cancel_fee"], "refund": "116.61", "fee": "2.38", "store_credit": "0.00", "compensation": "0.00", "customer_pays": "0.00" } } },
            { "status": 201, "body": { "status": "created", "request_id": "R-3", "rma": null } }]"#,
    );
    let el = submitting_widget(ENDPOINT);
    settle().await;
    send_and_wait(&el).await;
    assert_eq!(attr(&el, ".aftersale__status", "data-state"), "changed");
    assert_eq!(attr(&el, "[data-field='fee']", "data-amount"), "2.38");
    find(&el, ".aftersale__accept").click();
    until(|| calls().len() >= 2).await;
    settle().await;
    let calls = calls();
    assert_eq!(calls.len(), 2);
    assert_ne!(calls[0].1, calls[1].1, "a new body gets a new key");
    assert_eq!(
        calls[1].2.get("quote.fee"),
        "2.38",
        "the accepted quote is the shop's"
    );
    assert_eq!(text(&el, ".aftersale__request-id"), "R-3");
}

#[wasm_bindgen_test]
async fn a_pending_request_is_resumed_after_a_reload() {
    fake_fetch(
        r#"["network", { "status": 201, "body": { "status": "created", "request_id": "R-4", "rma": null } }]"#,
    );
    let pending = format!(
        r#"{{"key":"k-123","endpoint":"{ENDPOINT}","body":"{{\"order_id\":\"T-1\",\"request\":{{\"kind\":\"cancel\",\"reason\":null}}}}"}}"#
    );
    left_pending(&pending);
    let el = submitting_widget(ENDPOINT);
    sleep(100).await;
    settle().await;
    // The shop cannot be reached: the page says which request waits, and
    // that it is kept (the network error is not the customer's business).
    assert_eq!(attr(&el, ".aftersale__status", "data-state"), "retrying");
    assert_eq!(
        text(&el, ".aftersale__pending"),
        "Your request: Cancel the order"
    );
    let status = text(&el, ".aftersale__status");
    assert!(status.contains("kept in this browser"), "{status}");
    assert!(!status.contains("Failed to fetch"), "{status}");
    assert!(
        disabled(&el, ".aftersale__choose"),
        "no other request meanwhile"
    );
    sleep(1500).await;
    settle().await;
    let calls = calls();
    assert_eq!(calls.len(), 2);
    assert_eq!(calls[1].1, "k-123", "the same key as before the reload");
    assert_eq!(calls[0].2.get("order_id"), "T-1");
    assert_eq!(text(&el, ".aftersale__request-id"), "R-4");
    assert_eq!(pending_in_storage(), None);
    // The order's list has the resumed request, named from what was kept.
    assert_eq!(
        text(&el, "[data-id='R-4'] .aftersale__option-label"),
        "Cancel the order"
    );
    assert!(!present(&el, ".aftersale__photos-lost"), "it had no photos");
}

#[wasm_bindgen_test]
async fn photos_left_behind_by_a_reload_are_named_with_what_to_do() {
    fake_fetch(
        r#"[{ "status": 201, "body": { "status": "created", "request_id": "R-6", "rma": "RMA-6" } }]"#,
    );
    let pending = format!(
        r#"{{"key":"k-456","endpoint":"{ENDPOINT}","body":"{{\"order_id\":\"T-1\",\"request\":{{\"kind\":\"return\",\"reason\":\"damaged\"}},\"attachments\":[{{\"name\":\"a.jpg\",\"type\":\"image/jpeg\",\"size\":10}},{{\"name\":\"b.jpg\",\"type\":\"image/jpeg\",\"size\":20}}]}}"}}"#
    );
    left_pending(&pending);
    record_request_events();
    let el = submitting_widget(ENDPOINT);
    sleep(100).await;
    settle().await;
    // The request is sent again; its files were not kept, so none is sent,
    // and the customer is told what to do with them.
    assert_eq!(calls_field("method"), ["POST"]);
    assert_eq!(text(&el, ".aftersale__request-id"), "R-6");
    assert_eq!(
        text(&el, ".aftersale__photos-lost"),
        "The 2 photos you picked stayed in the page you left and did not reach the shop. Please email them to its support and name your request."
    );
    assert_eq!(
        request_events(),
        [
            r#"aftersale:submitted {"status":"created","request_id":"R-6","rma":"RMA-6","photos":0}"#,
            r#"aftersale:photos {"status":"lost","request_id":"R-6","count":2}"#
        ]
    );
}

#[wasm_bindgen_test]
async fn photos_kept_before_a_reload_follow_the_request_sent_again() {
    use aftersale_widget::kept;
    use aftersale_widget::submit::Photo;
    fake_fetch(
        r#"[{ "status": 201, "body": { "status": "created", "request_id": "R-5", "rma": "RMA-5" } }]"#,
    );
    // The page that was left kept the request and its two photos.
    let key = "k-kept-5";
    let declared = [
        ("box.jpg", "image/jpeg", 2048),
        ("lid.png", "image/png", 10),
    ];
    let photos: Vec<Photo> = declared
        .iter()
        .map(|&(name, media_type, size)| Photo {
            meta: aftersale_engine::Attachment {
                name: name.into(),
                media_type: media_type.into(),
                size,
            },
            file: js(&format!(
                "return new Blob([new Uint8Array({size}).fill(7)]);"
            ))
            .dyn_into()
            .unwrap(),
        })
        .collect();
    let attachments = r#"[{\"name\":\"box.jpg\",\"type\":\"image/jpeg\",\"size\":2048},{\"name\":\"lid.png\",\"type\":\"image/png\",\"size\":10}]"#;
    // An endpoint with a query (a shop's signed URL): the photos go beside
    // its path, with the same query.
    let endpoint = "https://shop.test/api/requests?shop=s-1&sig=a%2Fb";
    left_pending(&format!(
        r#"{{"key":"{key}","endpoint":"{endpoint}","body":"{{\"order_id\":\"T-1\",\"request\":{{\"kind\":\"return\",\"reason\":\"damaged\"}},\"attachments\":{attachments}}}"}}"#
    ));
    assert!(kept::keep(key, &photos).await, "Cache Storage keeps them");
    record_request_events();
    let el = submitting_widget(endpoint);
    sleep(300).await;
    settle().await;
    // The request sent again with its key, then each photo kept, as
    // declared, every byte of it.
    assert_eq!(calls_field("method"), ["POST", "PUT", "PUT"]);
    assert!(calls().iter().all(|c| c.1 == key));
    assert_eq!(
        calls_field("url"),
        [
            endpoint,
            "https://shop.test/api/requests/R-5/photos/0?shop=s-1&sig=a%2Fb",
            "https://shop.test/api/requests/R-5/photos/1?shop=s-1&sig=a%2Fb"
        ]
    );
    assert_eq!(calls_field("type")[1..], ["image/jpeg", "image/png"]);
    assert_eq!(calls_field("size")[1..], ["2048", "10"]);
    // No steps show on the page opened again: the confirmation says it.
    assert_eq!(
        text(&el, ".aftersale__photos-progress"),
        "Done: your photos (box.jpg and lid.png) were sent with your request."
    );
    assert!(!present(&el, ".aftersale__photos-lost"));
    assert_eq!(
        request_events(),
        [
            r#"aftersale:submitted {"status":"created","request_id":"R-5","rma":"RMA-5","photos":2}"#,
            r#"aftersale:photos {"status":"sent","request_id":"R-5"}"#
        ]
    );
    // Once the shop has them, nothing is kept: neither the request nor its photos.
    assert_eq!(pending_in_storage(), None);
    let metas = photos.into_iter().map(|p| p.meta).collect();
    assert!(kept::kept(key, metas).await.is_none());
}

#[wasm_bindgen_test]
async fn a_request_kept_is_sent_again_by_one_page_at_a_time() {
    use aftersale_widget::kept;
    use aftersale_widget::submit::Photo;
    // The shop answers slowly, so both widgets are up while it is sent.
    fake_fetch(
        r#"[{ "status": 201, "body": { "status": "created", "request_id": "R-6", "rma": "RMA-6" } }]"#,
    );
    js("var f = window.fetch; window.fetch = function (i, o) {
          return new Promise(function (r) { setTimeout(r, 100); }).then(function () { return f(i, o); });
        };");
    let key = "k-kept-6";
    let photo = Photo {
        meta: aftersale_engine::Attachment {
            name: "box.jpg".into(),
            media_type: "image/jpeg".into(),
            size: 64,
        },
        file: js("return new Blob([new Uint8Array(64)]);")
            .dyn_into()
            .unwrap(),
    };
    left_pending(&format!(
        r#"{{"key":"{key}","endpoint":"{ENDPOINT}","body":"{{\"order_id\":\"T-1\",\"request\":{{\"kind\":\"return\",\"reason\":\"damaged\"}},\"attachments\":[{{\"name\":\"box.jpg\",\"type\":\"image/jpeg\",\"size\":64}}]}}"}}"#
    ));
    assert!(kept::keep(key, std::slice::from_ref(&photo)).await);
    record_request_events();
    // Two widgets for the order (as two tabs would be) find it kept.
    let first = submitting_widget(ENDPOINT);
    let second = submitting_widget(ENDPOINT);
    settle().await;
    assert_eq!(attr(&first, ".aftersale__status", "data-state"), "sending");
    assert_eq!(attr(&second, ".aftersale__status", "data-state"), "sending");
    sleep(600).await;
    settle().await;
    // One sent it, with its photo, once; the other waited, found it
    // finished, and went back to the order.
    assert_eq!(calls_field("method"), ["POST", "PUT"]);
    assert_eq!(attr(&first, ".aftersale__status", "data-state"), "created");
    assert_eq!(
        text(&first, ".aftersale__photos-progress"),
        "Done: your photo (box.jpg) was sent with your request."
    );
    assert!(!present(&second, ".aftersale__status"));
    assert!(!present(&second, ".aftersale__photos-lost"));
    assert!(enabled(&second, ".aftersale__choose"));
    assert_eq!(
        request_events(),
        [
            r#"aftersale:submitted {"status":"created","request_id":"R-6","rma":"RMA-6","photos":1}"#,
            r#"aftersale:photos {"status":"sent","request_id":"R-6"}"#
        ]
    );
    assert_eq!(pending_in_storage(), None);
}

#[wasm_bindgen_test]
async fn photos_kept_for_no_pending_request_are_let_go_of() {
    use aftersale_widget::kept;
    use aftersale_widget::submit::Photo;
    let photo = |name: &str| Photo {
        meta: aftersale_engine::Attachment {
            name: name.into(),
            media_type: "image/png".into(),
            size: 3,
        },
        file: js("return new Blob([new Uint8Array(3)]);")
            .dyn_into()
            .unwrap(),
    };
    let metas = |name: &str| vec![photo(name).meta];
    // One request still pending (for order T-1), one whose page closed
    // after forgetting it but before letting go of its photo.
    left_pending(&format!(
        r#"{{"key":"k-still","endpoint":"{ENDPOINT}","body":"{{}}"}}"#
    ));
    assert!(kept::keep("k-still", &[photo("a.png")]).await);
    assert!(kept::keep("k-done/1", &[photo("b.png")]).await);
    kept::sweep().await;
    assert!(kept::kept("k-still", metas("a.png")).await.is_some());
    assert!(kept::kept("k-done/1", metas("b.png")).await.is_none());
    local_storage()
        .remove_item("aftersale.pending.T-1")
        .unwrap();
    kept::sweep().await;
    assert!(kept::kept("k-still", metas("a.png")).await.is_none());
}

#[wasm_bindgen_test]
async fn an_endpoint_that_is_not_http_is_shown_in_place() {
    fake_fetch("[]");
    let el = submitting_widget("ftp://shop.test/requests");
    settle().await;
    assert!(text(&el, ".aftersale__error").contains("must be http or https, not ftp"));
}

// ── the JS API and events ─────────────────────────────────────────────────

fn js(body: &str) -> wasm_bindgen::JsValue {
    js_sys::Function::new_no_args(body)
        .call0(&wasm_bindgen::JsValue::NULL)
        .unwrap()
}

fn order_json(shipped: Option<&str>) -> String {
    let data = page_data(shipped, None, "USD");
    let start = data.find("\"order\":").unwrap() + "\"order\":".len();
    let end = data.find(",\n          \"exchange_options\"").unwrap();
    data[start..end].to_string()
}

#[wasm_bindgen_test]
async fn the_js_api_mounts_updates_and_unmounts() {
    aftersale_widget::install_global();
    js(&format!(
        r#"window.__events = [];
        ["aftersale:quote", "aftersale:error"].forEach(function (name) {{
          document.addEventListener(name, function (e) {{ window.__events.push([name, e.detail, e.bubbles, e.composed]); }});
        }});
        var el = document.createElement("div");
        el.id = "api-widget";
        document.body.appendChild(el);
        window.__handle = window.Aftersale.mount(el, {{
          policy: "xtelary", order: {order}, locale: "en-US", now: "2026-03-02T15:00:00Z"
        }});"#,
        order = order_json(None)
    ));
    settle().await;
    let el: HtmlElement = web_sys::window()
        .unwrap()
        .document()
        .unwrap()
        .get_element_by_id("api-widget")
        .unwrap()
        .dyn_into()
        .unwrap();
    assert_eq!(attr(&el, "[data-kind='cancel']", "data-state"), "open");
    choose(&el, "cancel", "").await;
    // The quote reached the page as a composed, bubbling event with the contract's JSON.
    let last = js(
        "var q = window.__events.filter(function (e) { return e[0] === 'aftersale:quote'; }).pop(); return [q[1].refund, q[1].clauses[0], q[2], q[3]].join('|');",
    );
    assert_eq!(
        last.as_string().unwrap(),
        "118.99|xtelary.cancel_free|true|true"
    );
    // The order shipped: the page says so, the widget follows.
    js(&format!(
        "window.__handle.update({});",
        order_json(Some("2026-03-02T14:30:00Z"))
    ));
    settle().await;
    assert_eq!(attr(&el, "[data-kind='cancel']", "data-state"), "closed");
    assert_eq!(
        text(&el, ".aftersale__clauses code"),
        "xtelary.cancel_shipped"
    );
    // A broken order is refused with the field at fault, and nothing changes.
    let thrown = js(
        "try { window.__handle.update({ id: 'T-1' }); return 'no error'; } catch (e) { return String(e); }",
    );
    assert!(
        thrown.as_string().unwrap().contains("missing field"),
        "{thrown:?}"
    );
    js("window.__handle.unmount();");
    settle().await;
    assert!(
        !present(&el, ".aftersale"),
        "unmounted: {}",
        root(&el).inner_html()
    );
    // Afterwards an update is refused, and unmounting again does nothing.
    let thrown = js(&format!(
        "try {{ window.__handle.update({}); return 'no error'; }} catch (e) {{ return String(e); }}",
        order_json(None)
    ));
    assert_eq!(thrown.as_string().unwrap(), "this widget is unmounted");
    js("window.__handle.unmount();");
}

#[wasm_bindgen_test]
async fn mount_on_something_other_than_an_element_is_a_type_error_that_says_so() {
    aftersale_widget::install_global();
    let thrown = |call: &str| {
        js(&format!(
            "try {{ {call}; return 'no error'; }} catch (e) {{ return (e instanceof TypeError) + ' ' + e.message; }}"
        ))
        .as_string()
        .unwrap()
    };
    for call in [
        "window.Aftersale.mount(null, { policy: 'xtelary' })",
        "window.Aftersale.mount()",
        "window.Aftersale.mount('#returns', {})",
        "window.Aftersale.mount(document.createElementNS('http://www.w3.org/2000/svg', 'svg'))",
    ] {
        assert_eq!(
            thrown(call),
            "true Aftersale.mount: the first argument must be an HTML element",
            "{call}"
        );
    }
}

#[wasm_bindgen_test]
async fn a_bad_configuration_is_an_error_event_and_a_message_in_place() {
    aftersale_widget::install_global();
    let detail = js(r#"var got = null;
        var el = document.createElement("div");
        document.body.appendChild(el);
        el.addEventListener("aftersale:error", function (e) { got = e.detail.message; });
        window.Aftersale.mount(el, { policy: "nosuchshop", order: { id: "x" } });
        return got;"#);
    let message = detail.as_string().expect("an aftersale:error event");
    // The options are read first: the order lacks its currency.
    assert!(
        message.starts_with("order: missing field `currency`"),
        "{message}"
    );
    // Titled in the options' language.
    let title = js(r#"var el = document.createElement("div");
        document.body.appendChild(el);
        window.Aftersale.mount(el, { policy: "xtelary", order: { id: "x" }, locale: "zh-CN" });
        return el.shadowRoot.querySelector(".aftersale__error-title").textContent;"#);
    assert_eq!(title.as_string().unwrap(), "无法显示售后选项");
}

#[wasm_bindgen_test]
async fn mounting_again_on_one_element_replaces_the_widget_there() {
    aftersale_widget::install_global();
    // A page that mounts twice on one element (a framework's effect run
    // again, a new order shown in place) gets one widget: the last.
    js(&format!(
        r#"var el = document.createElement("div");
        document.body.appendChild(el);
        window.__twice = el;
        window.__first = window.Aftersale.mount(el, {{
          policy: "xtelary", order: {order}, locale: "en-US", now: "2026-03-02T15:00:00Z"
        }});
        window.__second = window.Aftersale.mount(el, {{
          policy: "xtelary", order: {order}, locale: "de-DE", now: "2026-03-02T15:00:00Z"
        }});"#,
        order = order_json(None)
    ));
    settle().await;
    let el: HtmlElement = js("return window.__twice;").dyn_into().unwrap();
    let widgets = root(&el).query_selector_all(".aftersale").unwrap().length();
    assert_eq!(widgets, 1, "{}", root(&el).inner_html());
    assert_eq!(attr(&el, ".aftersale", "lang"), "de");
    // The first is gone, not running unseen: it takes no order any more.
    let thrown = js(&format!(
        "try {{ window.__first.update({}); return 'no error'; }} catch (e) {{ return String(e); }}",
        order_json(None)
    ));
    assert_eq!(thrown.as_string().unwrap(), "this widget is unmounted");
    // Unmounting the first leaves the second in place.
    js("window.__first.unmount();");
    settle().await;
    assert_eq!(attr(&el, "[data-kind='cancel']", "data-state"), "open");
    js("window.__second.unmount();");
    settle().await;
    assert!(!present(&el, ".aftersale"), "{}", root(&el).inner_html());
    el.remove();
}

#[wasm_bindgen_test]
async fn a_widget_mounted_from_javascript_stays_when_the_page_lets_go_of_its_handle() {
    aftersale_widget::install_global();
    // `Aftersale.mount(el, options);` with the handle not kept, as a shop
    // that never unmounts writes it. The browser may collect the handle at
    // any time; the widget must stay.
    js(&format!(
        r#"var el = document.createElement("div");
        document.body.appendChild(el);
        window.__unheld = el;
        window.Aftersale.mount(el, {{
          policy: "xtelary", order: {order}, locale: "en-US", now: "2026-03-02T15:00:00Z"
        }});"#,
        order = order_json(None)
    ));
    settle().await;
    let el: HtmlElement = js("return window.__unheld;").dyn_into().unwrap();
    assert_eq!(attr(&el, "[data-kind='cancel']", "data-state"), "open");
    // Collect everything unreachable, the handle with it, and let the
    // finalizers run: a registry's own object shows that they did.
    js(
        r#"if (typeof gc !== "function") throw new Error("Chromium runs without --js-flags=--expose-gc (webdriver.json)");
        window.__finalized = false;
        window.__registry = new FinalizationRegistry(function () { window.__finalized = true; });
        window.__registry.register({}, "probe");"#,
    );
    for _ in 0..20 {
        js("gc();");
        sleep(50).await;
        if js("return window.__finalized;").as_bool() == Some(true) {
            break;
        }
    }
    assert_eq!(
        js("return window.__finalized;").as_bool(),
        Some(true),
        "no finalizer ran"
    );
    sleep(50).await;
    assert_eq!(attr(&el, "[data-kind='cancel']", "data-state"), "open");
    choose(&el, "cancel", "").await;
    assert!(
        present(&el, ".aftersale__refund"),
        "{}",
        root(&el).inner_html()
    );
    el.remove();
}

#[wasm_bindgen_test]
async fn the_js_api_takes_a_policy_object() {
    aftersale_widget::install_global();
    // A single-page shop that fetched its own policy file: the object itself.
    let mounted = js(&format!(
        r#"var el = document.createElement("div");
        document.body.appendChild(el);
        var got = null;
        el.addEventListener("aftersale:error", function (e) {{ got = e.detail.message; }});
        window.__own = el;
        window.Aftersale.mount(el, {{
          policy: {policy}, order: {order}, locale: "en-US", now: "2026-03-02T15:00:00Z"
        }});
        return got;"#,
        policy = xtelary_edition(""),
        order = order_json(Some("2026-03-02T14:30:00Z"))
    ));
    assert!(mounted.is_null(), "{mounted:?}");
    settle().await;
    let el: HtmlElement = js("return window.__own;").dyn_into().unwrap();
    let cancel = text(&el, "[data-kind='cancel'] .aftersale__option-when");
    assert!(
        cancel.starts_with("We cannot cancel an order once it has left our warehouse."),
        "{cancel}"
    );
    // One that does not check is named field by field, under `policy`.
    let broken =
        xtelary_edition("").replacen("\"fee_percent\": \"2\"", "\"fee_percent\": \"150\"", 1);
    let message = js(&format!(
        r#"var el = document.createElement("div");
        document.body.appendChild(el);
        var got = null;
        el.addEventListener("aftersale:error", function (e) {{ got = e.detail.message; }});
        window.Aftersale.mount(el, {{ policy: {broken}, order: {order} }});
        return got;"#,
        order = order_json(None)
    ));
    let message = message.as_string().expect("an aftersale:error event");
    assert!(
        message.starts_with("policy.clauses[2].effect.grant.fee_percent: 150 is more than 100"),
        "{message}"
    );
    let message = js(&format!(
        r#"var el = document.createElement("div");
        document.body.appendChild(el);
        var got = null;
        el.addEventListener("aftersale:error", function (e) {{ got = e.detail.message; }});
        window.Aftersale.mount(el, {{ policy: 7, order: {order} }});
        return got;"#,
        order = order_json(None)
    ));
    assert_eq!(
        message.as_string().unwrap(),
        "policy: give a preset's name or a policy object"
    );
}

// ── product and cart pages ────────────────────────────────────────────────

fn product_widget(policy: &str) -> HtmlElement {
    product_widget_in(policy, "en-US")
}

fn product_widget_in(policy: &str, locale: &str) -> HtmlElement {
    element(
        &[
            ("data-mode", "product"),
            ("data-policy", policy),
            ("data-now", "2026-03-02T14:00:00Z"),
            ("data-locale", locale),
        ],
        Some(
            r#"{ "currency": "USD", "shipping_paid": "4.99",
            "items": [{ "id": "P1", "sku": "HTV-RED-12", "title": "Heat transfer vinyl, red", "unit_price": "12.50", "quantity": 2, "tags": [] }] }"#,
        ),
    )
}

#[wasm_bindgen_test]
async fn a_product_page_shows_the_cancellation_schedule_if_ordered_now() {
    let el = product_widget("xtelary");
    settle().await;
    let phases = root(&el).query_selector_all(".aftersale__phase").unwrap();
    assert_eq!(phases.length(), 3, "{}", root(&el).inner_html());
    let phase = |i: u32, a: &str| {
        phases
            .item(i)
            .unwrap()
            .dyn_into::<web_sys::Element>()
            .unwrap()
            .get_attribute(a)
            .unwrap()
    };
    assert_eq!(phase(0, "data-clause"), "xtelary.cancel_free");
    // 2% of 29.99 = 0.5998 → 0.60 after the first 24 hours.
    assert_eq!(
        (phase(1, "data-clause"), phase(1, "data-fee")),
        ("xtelary.cancel_fee".into(), "0.60".into())
    );
    assert_eq!(
        (phase(2, "data-clause"), phase(2, "data-eligible")),
        ("xtelary.cancel_shipped".into(), "false".into())
    );
    let first = text(&el, ".aftersale__phase .aftersale__option-label");
    assert!(
        first.starts_with("until ") && first.ends_with("(1 day)"),
        "{first}"
    );
    assert_eq!(
        attr(
            &el,
            "[data-kind='return'][data-clause='xtelary.personal_reason']",
            "data-state"
        ),
        "open"
    );
    // The return window (it counts from the order, so a slow delivery
    // shortens it) and who pays the postage, per reason.
    assert_eq!(
        text(
            &el,
            "[data-clause='xtelary.personal_reason'] .aftersale__option-terms"
        ),
        "within 30 days of the order · return shipping paid by you"
    );
    assert_eq!(
        text(
            &el,
            "[data-clause='xtelary.merchant_fault'] .aftersale__option-terms"
        ),
        "within 30 days of the order · return shipping paid by the shop"
    );
}

#[wasm_bindgen_test]
async fn a_product_page_speaks_the_customers_language_and_says_which() {
    for (locale, tag, title, free_until, terms) in [
        (
            "de-AT",
            "de",
            "Wenn Sie jetzt bestellen",
            " (1 Tg.)",
            "innerhalb von 30 Tagen nach der Bestellung · Rückversand auf Ihre Kosten",
        ),
        (
            "zh-CN",
            "zh-Hans",
            "如果现在下单",
            // Chinese parentheses are full-width, with no space before
            // (the time before them is the machine's time zone's).
            "（1天）",
            "下单后 30 天内 · 退货运费由您承担",
        ),
    ] {
        let el = product_widget_in("xtelary", locale);
        settle().await;
        // A screen reader reads it in that language, whatever the page's.
        assert_eq!(attr(&el, ".aftersale--terms", "lang"), tag);
        assert_eq!(text(&el, ".aftersale--terms .aftersale__title"), title);
        let personal = text(
            &el,
            "[data-clause='xtelary.personal_reason'] .aftersale__option-terms",
        );
        assert_eq!(personal, terms);
        let free = text(&el, ".aftersale__phase .aftersale__option-label");
        assert!(
            free.ends_with(free_until) && !free.contains(" （"),
            "{free}"
        );
    }
}

#[wasm_bindgen_test]
async fn a_cart_that_breaks_the_contract_is_shown_in_place_like_any_bad_input() {
    js("window.__cart_errors = [];
        document.addEventListener('aftersale:error', function (e) {
          window.__cart_errors.push(e.detail.message);
        });");
    let el = element(
        &[
            ("data-mode", "product"),
            ("data-policy", "xtelary"),
            ("data-now", "2026-03-02T14:00:00Z"),
            ("data-locale", "de-DE"),
        ],
        Some(
            r#"{ "currency": "USD", "items": [{ "id": "P1", "sku": "WW-1", "title": "Watch winder", "unit_price": "89.00", "quantity": 0, "tags": [] }] }"#,
        ),
    );
    settle().await;
    // As for an order: titled in the customer's language, the field named
    // as the page's JSON names it, and told to the page.
    assert_eq!(
        text(&el, ".aftersale__error-title"),
        "Die Kundendienst-Optionen können nicht angezeigt werden"
    );
    assert_eq!(
        text(&el, ".aftersale__error"),
        "items[0].quantity: must be at least 1"
    );
    assert_eq!(attr(&el, ".aftersale--error", "lang"), "de");
    let told = js("return window.__cart_errors.join('|');");
    assert_eq!(
        told.as_string().unwrap(),
        "items[0].quantity: must be at least 1"
    );
}

#[wasm_bindgen_test]
async fn a_right_to_left_shop_page_keeps_the_widgets_sentences_left_to_right() {
    let order = widget(
        "xtelary",
        "2026-03-02T15:00:00Z",
        "ar-EG",
        &page_data(None, None, "USD"),
    );
    let product = product_widget_in("xtelary", "he-IL");
    let broken = widget(
        "nosuchshop",
        "2026-03-02T15:00:00Z",
        "ar-EG",
        &page_data(None, None, "USD"),
    );
    settle().await;
    for (el, part) in [
        (&order, ".aftersale"),
        (&product, ".aftersale--terms"),
        (&broken, ".aftersale--error"),
    ] {
        // The page is right to left, and so is the element the shop gave.
        el.set_attribute("dir", "rtl").unwrap();
        let node = root(el).query_selector(part).unwrap().unwrap();
        let direction = web_sys::window()
            .unwrap()
            .get_computed_style(&node)
            .unwrap()
            .unwrap()
            .get_property_value("direction")
            .unwrap();
        // No catalogue for Arabic or Hebrew: English, left to right.
        assert_eq!(
            (attr(el, part, "lang"), direction),
            ("en".into(), "ltr".into())
        );
    }
}

#[wasm_bindgen_test]
async fn a_title_with_nowhere_to_break_stays_inside_a_narrow_widget() {
    let long = "HeattransfervinylrollULTRAPREMIUMSUPERSTRETCHMETALLICGOLD12inx50ftSKUHTVGLD1250";
    let data = page_data(
        Some("2026-03-03T10:00:00Z"),
        Some("2026-03-05T10:00:00Z"),
        "USD",
    )
    .replace("Heat transfer vinyl, red", long);
    let el = widget("xtelary", "2026-03-06T10:00:00Z", "en-US", &data);
    el.style().set_property("width", "320px").unwrap();
    settle().await;
    choose(&el, "return", "changed_mind").await;
    assert!(text(&el, ".aftersale__lines").contains(long));
    let widget = find(&el, ".aftersale");
    assert!(
        widget.scroll_width() <= widget.client_width(),
        "{} px of content in {} px",
        widget.scroll_width(),
        widget.client_width()
    );
}

#[wasm_bindgen_test]
async fn a_product_page_under_htvront_says_store_credit_and_no_refund_once_shipped() {
    let el = product_widget("htvront");
    settle().await;
    assert!(
        text(
            &el,
            "[data-clause='htvront.cancel_before_shipment'] .aftersale__option-status"
        )
        .contains("Store credit $29.99")
    );
    assert_eq!(
        attr(
            &el,
            "[data-clause='htvront.cancel_after_shipment']",
            "data-eligible"
        ),
        "false"
    );
    assert_eq!(
        attr(&el, "[data-clause='htvront.slow_logistics']", "data-state"),
        "closed"
    );
    // A claim window counts from delivery.
    assert_eq!(
        text(
            &el,
            "[data-clause='htvront.damaged'] .aftersale__option-terms"
        ),
        "within 10 days of delivery"
    );
    // While it is on its way: the compensations for a slow shop or a lost
    // parcel, with when they open and what they pay (20% of 29.99 = 6.00),
    // not "not offered" after delivery.
    let late = text(
        &el,
        ".aftersale__on-its-way [data-clause='htvront.not_shipped_in_time']",
    );
    assert!(
        late.contains("opens after March 9, 2026") && late.contains("Compensation $6.00"),
        "{late}"
    );
    let lost = text(
        &el,
        ".aftersale__on-its-way [data-clause='htvront.not_received']",
    );
    assert!(
        lost.contains("after 10 days without tracking news")
            && lost.contains("Compensation $6.00 · We ship the items to you again"),
        "{lost}"
    );
    assert_eq!(
        root(&el)
            .query_selector_all("[data-clause='htvront.not_received']")
            .unwrap()
            .length(),
        1,
        "listed once, on the way"
    );
    // The exchange is only before the order is sent: said so, not only
    // "not offered" after delivery.
    let before = text(&el, ".aftersale__before-shipment [data-kind='exchange']");
    assert!(
        before.contains("Possible") && before.contains("until it ships"),
        "{before}"
    );
    assert_eq!(
        attr(
            &el,
            "[data-state='closed'][data-kind='exchange']",
            "data-clause"
        ),
        "htvront.exchange"
    );
}

// ── order and policy from URLs ─────────────────────────────────────────────

fn url_widget(attrs: &[(&str, &str)]) -> HtmlElement {
    let mut all = vec![
        ("data-now", "2026-03-02T15:00:00Z"),
        ("data-locale", "en-US"),
    ];
    all.extend_from_slice(attrs);
    element(&all, None)
}

#[wasm_bindgen_test]
async fn the_order_is_fetched_from_its_url() {
    fake_fetch(&format!(
        r#"[{{ "status": 200, "body": {} }}]"#,
        page_data(None, None, "USD")
    ));
    let el = url_widget(&[
        ("data-policy", "xtelary"),
        ("data-order-url", "/api/orders/T-1"),
    ]);
    sleep(50).await;
    settle().await;
    let called = calls();
    assert_eq!(called.len(), 1);
    assert!(called[0].0.ends_with("/api/orders/T-1"), "{}", called[0].0);
    assert!(
        text(&el, ".aftersale").contains("Cancel"),
        "{}",
        root(&el).text_content().unwrap_or_default()
    );
    assert!(el.get_attribute("aria-busy").is_none());
}

#[wasm_bindgen_test]
async fn the_widget_keeps_the_shops_clock_where_the_browsers_is_off() {
    // Placed 23 hours ago by this browser's clock: a free cancellation
    // here, 2% at the shop, whose clock (the answer's Date) is 2 hours
    // ahead. Then a shop 1 s ahead (no more than Date can tell), and a
    // Date an hour old from a cache that says so (Age).
    let page = js(r#"var h = 3600 * 1000, now = Date.now();
        window.__placed = new Date(now - 23 * h).toISOString().replace(/\.\d+Z$/, "Z");
        return [new Date(now + 2 * h).toUTCString(), new Date(now + 1000).toUTCString(),
                new Date(now + h).toUTCString()].join("|");"#)
    .as_string()
    .unwrap();
    let dates: Vec<&str> = page.split('|').collect();
    let placed = js("return window.__placed;").as_string().unwrap();
    let data = page_data(None, None, "USD").replace("2026-03-02T14:00:00Z", &placed);
    fake_fetch(&format!(
        r#"[{{ "status": 200, "body": {data}, "headers": {{ "Date": "{}" }} }},
            {{ "status": 200, "body": {data}, "headers": {{ "Date": "{}" }} }},
            {{ "status": 200, "body": {data}, "headers": {{ "Date": "{}", "Age": "3600" }} }}]"#,
        dates[0], dates[1], dates[2]
    ));
    let mut clauses = Vec::new();
    for _ in 0..3 {
        // The browser's clock: no data-now.
        let el = element(
            &[
                ("data-policy", "xtelary"),
                ("data-locale", "en-US"),
                ("data-order-url", "/api/orders/T-1"),
            ],
            None,
        );
        sleep(50).await;
        settle().await;
        choose(&el, "cancel", "").await;
        clauses.push(text(&el, ".aftersale__clauses code"));
    }
    assert_eq!(
        clauses,
        [
            "xtelary.cancel_fee",
            "xtelary.cancel_free",
            "xtelary.cancel_fee"
        ]
    );
}

/// Hides or shows the page as a browser does when the customer switches
/// tabs (`document.hidden` and a `visibilitychange` event).
fn set_hidden(hidden: bool) {
    js(&format!(
        "Object.defineProperty(document, 'hidden', {{ configurable: true, get: () => {hidden} }});
         document.dispatchEvent(new Event('visibilitychange', {{ bubbles: true }}));"
    ));
}

#[wasm_bindgen_test]
async fn a_page_back_from_a_background_tab_reads_the_order_again() {
    fake_fetch(&format!(
        r#"[{{ "status": 200, "body": {} }}, {{ "status": 200, "body": {} }}]"#,
        page_data(None, None, "USD"),
        page_data(Some("2026-03-02T14:30:00Z"), None, "USD")
    ));
    let el = url_widget(&[
        ("data-policy", "xtelary"),
        ("data-order-url", "/api/orders/T-1?tab"),
    ]);
    sleep(50).await;
    settle().await;
    assert_eq!(attr(&el, "[data-kind='cancel']", "data-state"), "open");
    // A glance at another tab: nothing read again.
    set_hidden(true);
    set_hidden(false);
    sleep(50).await;
    // (Widgets of earlier tests on this page read theirs too.)
    let reads = || {
        calls()
            .iter()
            // As given: gloo-net 0.6 added a "&" to a query.
            .filter(|c| c.0.ends_with("/api/orders/T-1?tab"))
            .count()
    };
    assert_eq!(reads(), 1);
    // Away for over a minute (the page's clock moved on meanwhile): the
    // order has shipped since, and the cancellation is closed.
    set_hidden(true);
    js("window.__now = Date.now; Date.now = () => window.__now.call(Date) + 61000;");
    set_hidden(false);
    js("Date.now = window.__now; delete document.hidden;");
    sleep(50).await;
    settle().await;
    assert_eq!(reads(), 2);
    assert_eq!(attr(&el, "[data-kind='cancel']", "data-state"), "closed");
    assert_eq!(
        text(&el, "[data-kind='cancel'] .aftersale__option-clause"),
        "xtelary.cancel_shipped"
    );
}

#[wasm_bindgen_test]
async fn an_order_url_that_fails_is_shown_in_place() {
    fake_fetch(
        r#"[{ "status": 404, "body": { "status": "invalid", "field": "id", "message": "no order" } }]"#,
    );
    let el = url_widget(&[
        ("data-policy", "xtelary"),
        ("data-order-url", "/api/orders/NOPE"),
    ]);
    sleep(50).await;
    settle().await;
    let message = text(&el, ".aftersale__error");
    assert!(message.contains("data-order-url"), "{message}");
    assert!(message.contains("404"), "{message}");
}

#[wasm_bindgen_test]
async fn an_order_the_shop_cannot_serve_yet_is_read_again_until_it_can() {
    fake_fetch(&format!(
        r#"["network", {{ "status": 503, "body": {{}} }}, {{ "status": 200, "body": {} }}]"#,
        page_data(None, None, "USD")
    ));
    let el = element(
        &[
            ("data-policy", "xtelary"),
            ("data-now", "2026-03-02T15:00:00Z"),
            ("data-locale", "de-DE"),
            ("data-order-url", "/api/orders/T-1?flaky"),
        ],
        None,
    );
    js("window.__retrying = [];
        document.body.lastElementChild.addEventListener('aftersale:error', function (e) {
          window.__retrying.push(e.detail.retrying + ' ' + e.detail.message);
        });");
    sleep(50).await;
    // Said in the customer's language, in place of the widget.
    assert_eq!(
        text(&el, ".aftersale--waiting"),
        "Keine Verbindung zum Shop, daher kann Ihre Bestellung noch nicht angezeigt werden. Neuer Versuch in 1\u{a0}s."
    );
    assert_eq!(attr(&el, ".aftersale--waiting", "role"), "status");
    assert_eq!(attr(&el, ".aftersale--waiting", "lang"), "de");
    assert_eq!(el.get_attribute("aria-busy").as_deref(), Some("true"));
    // 1 s, then the 503, then 2 s; back online sooner.
    sleep(1200).await;
    assert!(text(&el, ".aftersale--waiting").ends_with("in 2\u{a0}s."));
    js("window.dispatchEvent(new Event('online'));");
    sleep(100).await;
    settle().await;
    let reads = calls().iter().filter(|c| c.0.ends_with("?flaky")).count();
    assert_eq!(reads, 3);
    assert!(present(&el, "[data-kind='cancel']"));
    assert!(!present(&el, ".aftersale--waiting"));
    assert!(el.get_attribute("aria-busy").is_none());
    let told = js("return window.__retrying.join('|');")
        .as_string()
        .unwrap();
    assert!(
        told.starts_with("true data-order-url: /api/orders/T-1?flaky cannot be fetched")
            && told.ends_with("|true data-order-url: /api/orders/T-1?flaky answered 503"),
        "{told}"
    );
}

#[wasm_bindgen_test]
async fn a_host_taken_away_while_the_shop_is_waited_for_mounts_again_when_it_returns() {
    fake_fetch(&format!(
        r#"["network", {{ "status": 200, "body": {} }}]"#,
        page_data(None, None, "USD")
    ));
    let el = url_widget(&[
        ("data-policy", "xtelary"),
        ("data-order-url", "/api/orders/T-1?away"),
    ]);
    sleep(50).await;
    assert!(present(&el, ".aftersale--waiting"));
    // Taken out while waiting for the next attempt; it stops there.
    el.remove();
    sleep(1200).await;
    assert!(!el.has_attribute("data-aftersale-mounted"));
    assert!(!el.has_attribute("aria-busy"));
    // Back on the page: mounted again, and this time the shop answers.
    web_sys::window()
        .unwrap()
        .document()
        .unwrap()
        .body()
        .unwrap()
        .append_child(&el)
        .unwrap();
    aftersale_widget::mount_all();
    sleep(50).await;
    settle().await;
    assert!(present(&el, "[data-kind='cancel']"));
}

#[wasm_bindgen_test]
async fn a_shop_that_goes_silent_is_given_up_on_at_the_deadline() {
    use aftersale_widget::net::Deadline;
    fake_fetch(r#"["silent"]"#);
    let deadline = Deadline::start(1);
    let asked = deadline.apply(gloo_net::http::Request::get("/api/orders/T-1"));
    // (Were the deadline not kept, this would hang and the runner fail.)
    let failed = asked.send().await.expect_err("aborted at the deadline");
    assert_eq!(deadline.why(&failed), "no answer within 1 s");
    // A deadline dropped in time stops its clock.
    let kept = Deadline::start(1);
    let signal = kept.signal().unwrap();
    drop(kept);
    sleep(1200).await;
    assert!(!signal.aborted());
}

#[wasm_bindgen_test]
async fn an_upload_is_given_up_only_when_nothing_moves() {
    use aftersale_widget::net::put;
    let blob = || {
        let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(&[7u8; 4000][..]));
        web_sys::Blob::new_with_u8_array_sequence(&parts).unwrap()
    };
    let headers = [("Content-Type", "image/jpeg")];
    // Slow but moving: 2.4 s in all, never 1 s without a byte moving.
    fake_fetch(r#"[{"status": 201, "body": {}}]"#);
    js("window.__xhrDelay = 400; window.__xhrSteps = 6;");
    let heard = std::rc::Rc::new(std::cell::RefCell::new(Vec::new()));
    let seen = heard.clone();
    let started = js_sys::Date::now();
    let moving = put("/p/0", &headers, &blob(), 1, move |n| {
        seen.borrow_mut().push(n)
    })
    .await;
    assert_eq!(moving, Ok((201, "{}".into(), None)));
    assert!(js_sys::Date::now() - started >= 2400.0);
    assert_eq!(heard.borrow().first(), Some(&2000));
    assert_eq!(heard.borrow().last(), Some(&4000));
    // Stalled half way: given up once a second has passed with nothing.
    fake_fetch(r#"["stall"]"#);
    let started = js_sys::Date::now();
    let stalled = put("/p/0", &headers, &blob(), 1, |_| ()).await;
    assert_eq!(stalled, Err("nothing moved for 1 s".into()));
    assert!(js_sys::Date::now() - started >= 1000.0);
    // A connection lost at once is no stall.
    fake_fetch(r#"["network"]"#);
    let lost = put("/p/0", &headers, &blob(), 1, |_| ()).await;
    assert_eq!(lost, Err("no connection to the shop".into()));
}

#[wasm_bindgen_test]
async fn a_policy_file_that_fails_validation_names_the_field() {
    let broken = aftersale_engine::presets::source("xtelary")
        .unwrap()
        .replacen("\"version\"", "\"versionx\"", 1);
    fake_fetch(&format!(r#"[{{ "status": 200, "body": {broken} }}]"#));
    let el = url_widget(&[("data-policy-url", "/policies/shop.json")]);
    el.set_inner_html(&format!(
        "<script type=\"application/json\">{}</script>",
        page_data(None, None, "USD")
    ));
    sleep(50).await;
    settle().await;
    let message = text(&el, ".aftersale__error");
    assert!(message.contains("data-policy-url"), "{message}");
    assert!(message.contains("version"), "{message}");
}

// ── photos, review, refund dates ───────────────────────────────────────────

/// The first bytes of a file of `media_type`, as a JS array: what the
/// widget reads a photo's type from (anything else: a PDF's).
fn magic(media_type: &str) -> &'static str {
    match media_type {
        "image/jpeg" => "[255, 216, 255, 224]",
        "image/png" => "[137, 80, 78, 71, 13, 10, 26, 10]",
        "image/gif" => "[71, 73, 70, 56, 57, 97]",
        // An iPhone's: an ftyp box of brand heic.
        "image/heic" => {
            "[0, 0, 0, 24, 102, 116, 121, 112, 104, 101, 105, 99, 0, 0, 0, 0, 109, 105, 102, 49, 104, 101, 105, 99]"
        }
        _ => "[37, 80, 68, 70, 45]",
    }
}

/// Xtelary's next edition, as a shop would serve it by URL: one clause
/// and one step reworded, and `more` (fields, each followed by a comma)
/// before its version.
fn xtelary_edition(more: &str) -> String {
    aftersale_engine::presets::source("xtelary")
        .unwrap()
        .replacen(
            "We do not accept a cancellation once the order has shipped.",
            "We cannot cancel an order once it has left our warehouse.",
            1,
        )
        .replacen(
            "Email support@xtelary.com to get your RMA code first.",
            "Ask for your RMA code in your account first.",
            1,
        )
        .replacen("\"version\"", &format!("{more} \"version\""), 1)
}

/// A widget in `locale` for an order delivered the day before, with the
/// policy file `policy` at `data-policy-url`, drawn.
async fn policy_file_widget(policy: &str, locale: &str) -> HtmlElement {
    fake_fetch(&format!(r#"[{{ "status": 200, "body": {policy} }}]"#));
    let el = element(
        &[
            ("data-policy-url", "/policies/shop.json"),
            ("data-now", DAY_AFTER_DELIVERY),
            ("data-locale", locale),
            ("data-endpoint", ENDPOINT),
        ],
        Some(&delivered_data()),
    );
    sleep(50).await;
    settle().await;
    el
}

#[wasm_bindgen_test]
async fn a_shop_s_own_edition_of_a_preset_keeps_the_words_it_changed() {
    let el = policy_file_widget(&xtelary_edition(""), "de-DE").await;
    // The German catalogue translates the preset's words, not these.
    let cancel = text(&el, "[data-kind='cancel']");
    assert!(
        cancel.contains("We cannot cancel an order once it has left our warehouse."),
        "{cancel}"
    );
    assert!(!cancel.contains("Nach dem Versand"), "{cancel}");
    // Its own words say they are English (the policy's `language`), for a
    // screen reader reading German around them; the reasons are German.
    let own = "[data-kind='cancel'] .aftersale__option-when [lang]";
    assert_eq!(
        (text(&el, own).as_str(), attr(&el, own, "lang").as_str()),
        (
            "We cannot cancel an order once it has left our warehouse.",
            "en"
        )
    );
    assert!(
        cancel.contains("Die Bestellung wurde bereits versandt."),
        "{cancel}"
    );
    choose(&el, "return", "changed_mind").await;
    confirm_condition(&el).await;
    assert_eq!(
        text(&el, "[data-step='rma']"),
        "Ask for your RMA code in your account first."
    );
    assert_eq!(attr(&el, "[data-step='rma']", "lang"), "en");
    // What it did not change is still in German, and says nothing.
    assert_eq!(
        text(&el, "[data-step='packaging']"),
        "Prüfen Sie, ob Sie die Originalverpackung noch haben, und verpacken Sie die Artikel darin."
    );
    assert!(!present(&el, "[data-step='packaging'] [lang]"));
    assert!(
        !present(&el, ".aftersale__explanation [lang]"),
        "the preset's clause, in German"
    );
    assert_eq!(
        text(&el, "[data-kind='cancel'] .aftersale__option-label"),
        "Bestellung stornieren"
    );
}

#[wasm_bindgen_test]
async fn a_policy_s_own_translations_are_shown_in_their_language() {
    // The edition says its changed clause and step in German itself, with
    // its own first thing to do when a refund is late.
    let policy = xtelary_edition(
        r#""translations": { "de": {
            "clauses": { "xtelary.cancel_shipped": "Hat die Bestellung unser Lager verlassen, können wir sie nicht mehr stornieren." },
            "steps": { "rma": "Fordern Sie Ihren RMA-Code zuerst in Ihrem Konto an." },
            "if_late": ["Sehen Sie in Ihrem Kundenkonto nach."] } },"#,
    );
    let el = policy_file_widget(&policy, "de-DE").await;
    let cancel = text(&el, "[data-kind='cancel'] .aftersale__option-when");
    assert!(
        cancel.starts_with("Hat die Bestellung unser Lager verlassen"),
        "{cancel}"
    );
    choose(&el, "return", "changed_mind").await;
    confirm_condition(&el).await;
    assert_eq!(
        text(&el, "[data-step='rma']"),
        "Fordern Sie Ihren RMA-Code zuerst in Ihrem Konto an."
    );
    let late = root(&el)
        .query_selector_all(".aftersale__if-late li")
        .unwrap();
    let late: Vec<String> = (0..late.length())
        .map(|i| late.item(i).unwrap().text_content().unwrap())
        .collect();
    assert_eq!(late.len(), 4);
    assert_eq!(late[0], "Sehen Sie in Ihrem Kundenkonto nach.");
    // The lines it did not translate are the preset's, unchanged: the
    // catalogue's German.
    assert_eq!(
        late[1],
        "Wenden Sie sich an Ihre Kredit- oder Debitkartengesellschaft: Eine Erstattung kann einige Zeit brauchen, bis sie gebucht ist."
    );
    // Its translations are German like the rest: nothing says otherwise.
    assert!(!present(&el, ".aftersale [lang]"));
    // In English, the policy's own words, in the widget's language.
    let el = policy_file_widget(&policy, "en-US").await;
    let cancel = text(&el, "[data-kind='cancel'] .aftersale__option-when");
    assert!(
        cancel.starts_with("We cannot cancel an order once it has left our warehouse."),
        "{cancel}"
    );
    assert!(!present(&el, ".aftersale [lang]"));
}

#[wasm_bindgen_test]
async fn a_product_page_reads_a_policy_file_by_url() {
    fake_fetch(&format!(
        r#"[{{ "status": 503, "body": {{}} }}, {{ "status": 200, "body": {} }}]"#,
        xtelary_edition("")
    ));
    let el = element(
        &[
            ("data-mode", "product"),
            ("data-policy-url", "/policies/shop.json"),
            ("data-now", "2026-03-02T14:00:00Z"),
            ("data-locale", "en-US"),
        ],
        Some(
            r#"{ "currency": "USD", "items": [{ "id": "P1", "sku": "WW-1", "title": "Watch winder", "unit_price": "89.00", "quantity": 1, "tags": [] }] }"#,
        ),
    );
    // (Nothing mounted yet, so no Leptos tick to wait for.)
    sleep(50).await;
    // The shop does not answer at first: said in place, then tried again.
    assert!(text(&el, ".aftersale--waiting").contains("Trying again in 1"));
    until(|| present(&el, ".aftersale__phase")).await;
    let summary = text(&el, ".aftersale");
    assert!(
        summary.contains("We cannot cancel an order once it has left our warehouse."),
        "{summary}"
    );
    assert!(!present(&el, ".aftersale [lang]"), "English in English");
}

#[wasm_bindgen_test]
async fn a_relative_url_is_read_against_the_page_s_base_as_a_link_is() {
    // A single-page shop's `<base href>`: the policy file's relative URL is
    // where a link or a `fetch` on that page would go.
    let document = web_sys::window().unwrap().document().unwrap();
    let base = document.create_element("base").unwrap();
    base.set_attribute("href", "/shop/app/").unwrap();
    document.head().unwrap().append_child(&base).unwrap();
    fake_fetch(&format!(
        r#"[{{ "status": 200, "body": {} }}]"#,
        xtelary_edition("")
    ));
    let el = element(
        &[
            ("data-policy-url", "policies/shop.json"),
            ("data-now", DAY_AFTER_DELIVERY),
            ("data-locale", "en-US"),
        ],
        Some(&delivered_data()),
    );
    sleep(50).await;
    settle().await;
    base.remove();
    let origin = web_sys::window().unwrap().location().origin().unwrap();
    let urls: Vec<String> = calls().into_iter().map(|(url, _, _)| url).collect();
    assert_eq!(urls, [format!("{origin}/shop/app/policies/shop.json")]);
    assert!(
        present(&el, "[data-kind='cancel']"),
        "drawn from the policy read there"
    );
    el.remove();
}

#[wasm_bindgen_test]
async fn a_product_page_in_german_says_which_words_are_the_policy_s_english() {
    fake_fetch(&format!(
        r#"[{{ "status": 200, "body": {} }}]"#,
        xtelary_edition("")
    ));
    let el = element(
        &[
            ("data-mode", "product"),
            ("data-policy-url", "/policies/shop.json"),
            ("data-now", "2026-03-02T14:00:00Z"),
            ("data-locale", "de-DE"),
        ],
        Some(
            r#"{ "currency": "USD", "items": [{ "id": "P1", "sku": "WW-1", "title": "Watch winder", "unit_price": "89.00", "quantity": 1, "tags": [] }] }"#,
        ),
    );
    sleep(50).await;
    until(|| present(&el, ".aftersale__phase")).await;
    let own = "[data-clause='xtelary.cancel_shipped'] [lang]";
    assert_eq!(
        (text(&el, own).as_str(), attr(&el, own, "lang").as_str()),
        (
            "We cannot cancel an order once it has left our warehouse.",
            "en"
        )
    );
    // The preset's words it kept are the catalogue's German.
    let free = text(
        &el,
        "[data-clause='xtelary.cancel_free'] .aftersale__option-when",
    );
    assert!(
        !present(&el, "[data-clause='xtelary.cancel_free'] [lang]"),
        "{free}"
    );
}

#[wasm_bindgen_test]
async fn the_photos_asked_for_are_the_policy_s_own_rule() {
    // A shop's policy file: two photos exactly, JPEG or PNG, 5 MB each.
    let policy = aftersale_engine::presets::source("xtelary")
        .unwrap()
        .replacen(
            "\"version\"",
            r#""photos": { "min": 2, "max": 2, "max_bytes": 5000000, "types": ["image/jpeg", "image/png"] }, "version""#,
            1,
        );
    let el = policy_file_widget(&policy, "en-US").await;
    choose(&el, "return", "wrong_item").await;
    let hint = text(&el, ".aftersale__photos");
    assert!(
        hint.contains("Attach 2 photos: JPEG or PNG, up to 5 MB each."),
        "{hint}"
    );
    assert_eq!(
        text(&el, ".aftersale__photo-problem"),
        "Attach at least 2 photos."
    );
    // HEIC, which the presets take, is not among this shop's types.
    pick_photos(
        &el,
        &[
            ("front.heic", "image/heic", 100),
            ("back.png", "image/png", 100),
        ],
    )
    .await;
    assert_eq!(
        text(&el, ".aftersale__photo-problem"),
        "front.heic: the shop takes JPEG or PNG images."
    );
    pick_photos(&el, &[("side.jpg", "image/jpeg", 100)]).await;
    assert_eq!(
        text(&el, ".aftersale__photo-problem"),
        "Attach at most 2 photos."
    );
}

/// Puts files (`name`, `type`, size in bytes) on the photo input, as a
/// customer picking them would, and fires `change`; each file's bytes
/// begin as a file of its type does.
async fn pick_photos(el: &HtmlElement, files: &[(&str, &str, usize)]) {
    let files: Vec<_> = files
        .iter()
        .map(|&(n, t, size)| (n, t, magic(t), size))
        .collect();
    pick_files(el, &files).await;
}

/// Puts files (`name`, the browser's `type`, first bytes as a JS array,
/// size in bytes) on the photo input and fires `change`.
async fn pick_files(el: &HtmlElement, files: &[(&str, &str, &str, usize)]) {
    let input = find(el, ".aftersale__photo-input");
    let list = files
        .iter()
        .map(|(n, t, head, size)| {
            format!(
                "(() => {{ const b = new Uint8Array({size}); b.set({head}); return new File([b], {n:?}, {{ type: {t:?} }}); }})()"
            )
        })
        .collect::<Vec<_>>()
        .join(", ");
    let f = js_sys::Function::new_with_args(
        "input",
        &format!(
            "const dt = new DataTransfer(); [{list}].forEach(f => dt.items.add(f)); input.files = dt.files;"
        ),
    );
    f.call1(&wasm_bindgen::JsValue::NULL, &input).unwrap();
    fire(&input, "change");
    settle().await;
    // The widget reads each file's first bytes, the picker busy meanwhile.
    for _ in 0..200 {
        if find(el, ".aftersale__photos")
            .get_attribute("aria-busy")
            .is_none()
        {
            return settle().await;
        }
        sleep(10).await;
    }
    panic!("the picked files were not read in 2 s");
}

#[wasm_bindgen_test]
async fn photos_are_checked_in_the_browser_and_declared_in_the_payload() {
    fake_fetch(
        r#"[{ "status": 201, "body": { "status": "created", "request_id": "R-7", "rma": "RMA-7" } }]"#,
    );
    let el = submitting_widget_at(DAY_AFTER_DELIVERY, &delivered_data(), ENDPOINT);
    settle().await;
    // A wrong item: the steps ask for photos (1 to 5, images, 10 MiB each).
    choose(&el, "return", "wrong_item").await;
    assert!(text(&el, ".aftersale__photos").contains("Attach 1 to 5 photos"));
    assert!(text(&el, ".aftersale__photos").contains("They go to the shop with your request."));
    set_value(&el, ".aftersale__email", "ana@example.com").await;
    let review: web_sys::HtmlButtonElement = find(&el, ".aftersale__review").dyn_into().unwrap();
    assert!(review.disabled(), "no photo yet");
    assert_eq!(
        text(&el, ".aftersale__photo-problem"),
        "Attach at least one photo."
    );
    pick_photos(&el, &[("scan.gif", "image/gif", 10)]).await;
    assert!(text(&el, ".aftersale__photo-problem").contains("scan.gif"));
    assert!(review.disabled());
    // Each photo can be removed on its own.
    find(&el, "[aria-label='Remove scan.gif']").click();
    settle().await;
    assert_eq!(
        root(&el).active_element().unwrap().class_name(),
        "aftersale__photo-input",
        "the focus goes back to the picker"
    );
    assert_eq!(
        text(&el, ".aftersale__photo-problem"),
        "Attach at least one photo."
    );
    // A PDF renamed, which the browser calls a JPEG by its name, is no
    // photo: its bytes say so.
    pick_files(
        &el,
        &[("receipt.jpg", "image/jpeg", magic("application/pdf"), 900)],
    )
    .await;
    assert_eq!(
        text(&el, ".aftersale__photo-problem"),
        "receipt.jpg: the shop takes JPEG, PNG, WebP, or HEIC images."
    );
    assert!(review.disabled());
    find(&el, "[aria-label='Remove receipt.jpg']").click();
    settle().await;
    pick_photos(&el, &[("huge.jpg", "image/jpeg", 11 * 1024 * 1024)]).await;
    let problem = text(&el, ".aftersale__photo-problem");
    assert!(problem.starts_with("huge.jpg is larger than"), "{problem}");
    find(&el, "[aria-label='Remove huge.jpg']").click();
    settle().await;
    // Each pick adds to the photos (a phone's camera gives one at a time);
    // the same file picked again is still one photo.
    pick_photos(&el, &[("front.jpg", "image/jpeg", 2048)]).await;
    pick_photos(
        &el,
        &[
            ("label.png", "image/png", 512),
            ("front.jpg", "image/jpeg", 2048),
        ],
    )
    .await;
    // A phone's HEIC photo, which this browser has no type for: its bytes
    // say it is one.
    pick_files(&el, &[("IMG_0042.HEIC", "", magic("image/heic"), 4096)]).await;
    assert_eq!(text(&el, ".aftersale__photo-problem"), "");
    let listed = root(&el)
        .query_selector_all(".aftersale__photo-list li")
        .unwrap()
        .length();
    assert_eq!(listed, 3, "{}", text(&el, ".aftersale__photo-list"));
    assert!(text(&el, ".aftersale__photo-list").contains("front.jpg · 2 kB"));
    assert!(text(&el, ".aftersale__photo-list").contains("label.png · 512 bytes"));
    assert!(!review.disabled());
    // A new quantity changes the quote; the form, its picked files and the
    // typed email stay as they are, and what is sent is the new quote.
    let input: HtmlInputElement = find(&el, ".aftersale__photo-input").dyn_into().unwrap();
    let refund_before = attr(&el, ".aftersale__refund", "data-amount");
    set_value(&el, "[data-line='L2']", "0").await;
    let refund = attr(&el, ".aftersale__refund", "data-amount");
    assert_ne!(refund, refund_before);
    assert!(find(&el, ".aftersale__photo-input").is_same_node(Some(&input)));
    assert_eq!(
        root(&el)
            .query_selector_all(".aftersale__photo-list li")
            .unwrap()
            .length(),
        3
    );
    assert!(find(&el, ".aftersale__review").is_same_node(Some(&review)));
    assert!(!review.disabled());
    review.click();
    settle().await;
    let listed = text(&el, ".aftersale__review-list");
    assert!(
        listed.contains("front.jpg, label.png, and IMG_0042.HEIC"),
        "{listed}"
    );
    find(&el, ".aftersale__send").click();
    until(|| calls_field("method").len() >= 4).await;
    settle().await;
    let calls = calls();
    // The request, then each photo's file, as the type its bytes show.
    assert_eq!(calls_field("method"), ["POST", "PUT", "PUT", "PUT"]);
    assert_eq!(calls[0].2.get("attachments.0.name"), "front.jpg");
    assert_eq!(calls[0].2.get("attachments.1.type"), "image/png");
    assert_eq!(calls[0].2.get("attachments.2.type"), "image/heic");
    assert_eq!(
        calls_field("type")[1..],
        ["image/jpeg", "image/png", "image/heic"]
    );
    assert_eq!(calls[0].2.get("quote.refund"), refund);
    assert_eq!(text(&el, ".aftersale__request-id"), "R-7");
}

#[wasm_bindgen_test]
async fn the_review_shows_the_whole_request_and_can_be_left() {
    fake_fetch("[]");
    let el = submitting_widget(ENDPOINT);
    settle().await;
    choose(&el, "cancel", "").await;
    set_value(&el, ".aftersale__email", "ana@example.com").await;
    find(&el, ".aftersale__review").click();
    settle().await;
    let review = text(&el, ".aftersale__review-panel");
    assert!(review.contains("Cancel the order"), "{review}");
    assert!(review.contains("ana@example.com"), "{review}");
    assert!(
        text(&el, ".aftersale__review-figures").contains("$118.99"),
        "{review}"
    );
    let focused = root(&el).active_element().unwrap();
    assert_eq!(
        focused.class_name(),
        "aftersale__subtitle aftersale__review-title",
        "the focus moves to the review"
    );
    find(&el, ".aftersale__edit").click();
    settle().await;
    assert!(!present(&el, ".aftersale__review-panel"));
    assert!(
        calls().is_empty(),
        "nothing is sent without the send button"
    );
}

#[wasm_bindgen_test]
async fn the_refund_timeline_is_shown_as_dates() {
    let el = delivered_widget("xtelary");
    settle().await;
    choose(&el, "return", "changed_mind").await;
    confirm_condition(&el).await;
    let input: HtmlInputElement = find(&el, ".aftersale__received-on").dyn_into().unwrap();
    // It counts from today by the widget's clock (data-now), in the
    // customer's time zone, not from the computer's date.
    let now = js_sys::Date::new(&DAY_AFTER_DELIVERY.into());
    let today = format!(
        "{}-{:02}-{:02}",
        now.get_full_year(),
        now.get_month() + 1,
        now.get_date()
    );
    assert_eq!(input.value(), today);
    assert_eq!(input.min(), today, "no day before today is offered");
    let from_today = attr(&el, ".aftersale__processed-by", "data-date");
    input.set_value("2026-03-11");
    fire(&input, "change");
    settle().await;
    // 14 business days of processing, then 7 to 10 for the bank.
    assert_eq!(
        attr(&el, ".aftersale__processed-by", "data-date"),
        "2026-03-31"
    );
    assert_eq!(attr(&el, ".aftersale__credited", "data-from"), "2026-04-09");
    assert_eq!(attr(&el, ".aftersale__credited", "data-by"), "2026-04-14");
    assert!(text(&el, ".aftersale__processed-by").contains("March 31, 2026"));
    assert!(text(&el, ".aftersale__if-late").contains("Double-check your bank account"));
    // A day before today (typed past the field's min: the day of delivery,
    // a year ago) counts from today, and the field says so.
    input.set_value("2025-03-09");
    fire(&input, "change");
    settle().await;
    assert_eq!(input.value(), today);
    assert_eq!(
        attr(&el, ".aftersale__processed-by", "data-date"),
        from_today
    );
}

#[wasm_bindgen_test]
async fn host_page_styles_and_widget_styles_stay_apart() {
    let document = web_sys::window().unwrap().document().unwrap();
    // A hostile host stylesheet, and an element of the page that happens to
    // use the widget's class name.
    let style = document.create_element("style").unwrap();
    style.set_text_content(Some(
        "button { display: none !important; } .aftersale__choose { visibility: hidden !important; } \
         [data-aftersale] { --aftersale-accent: rgb(1, 2, 3); } \
         body { text-transform: uppercase; letter-spacing: 4px; word-spacing: 9px; text-indent: 30px; \
                white-space: nowrap; font-style: italic; color-scheme: dark; } \
         html { font-size: 62.5%; }",
    ));
    document.head().unwrap().append_child(&style).unwrap();
    let outsider: HtmlElement = document.create_element("p").unwrap().dyn_into().unwrap();
    outsider.set_class_name("aftersale");
    document.body().unwrap().append_child(&outsider).unwrap();

    let el = widget(
        "xtelary",
        "2026-03-02T15:00:00Z",
        "en-US",
        &page_data(None, None, "USD"),
    );
    settle().await;
    let window = web_sys::window().unwrap();
    let choose = find(&el, "[data-kind='cancel'] .aftersale__choose");
    let css = window.get_computed_style(&choose).unwrap().unwrap();
    assert_ne!(css.get_property_value("display").unwrap(), "none");
    assert_eq!(css.get_property_value("visibility").unwrap(), "visible");
    // The theme's custom property crosses into the widget …
    assert_eq!(
        css.get_property_value("background-color").unwrap(),
        "rgb(1, 2, 3)"
    );
    // What the page's text inherits stops at the widget.
    let label = find(&el, "[data-kind='cancel'] .aftersale__option-label");
    let css = window.get_computed_style(&label).unwrap().unwrap();
    let text_style: Vec<String> = [
        "text-transform",
        "letter-spacing",
        "word-spacing",
        "text-indent",
        "white-space",
        "font-style",
        "color-scheme",
    ]
    .iter()
    .map(|p| css.get_property_value(p).unwrap())
    .collect();
    assert_eq!(
        text_style,
        ["none", "normal", "0px", "0px", "normal", "normal", "light"]
    );
    // Nor does the page's root font size (rem): the widget's lengths are
    // its own.
    let root_css = window
        .get_computed_style(&find(&el, ".aftersale"))
        .unwrap()
        .unwrap();
    assert_eq!(
        (
            root_css.get_property_value("max-width").unwrap(),
            root_css.get_property_value("padding-top").unwrap()
        ),
        ("640px".into(), "12px".into())
    );
    // A host hidden by visibility hides its widget.
    el.style().set_property("visibility", "hidden").unwrap();
    let css = window.get_computed_style(&label).unwrap().unwrap();
    assert_eq!(css.get_property_value("visibility").unwrap(), "hidden");
    el.style().remove_property("visibility").unwrap();
    // … and the widget's rules do not reach the page.
    let outside = window.get_computed_style(&outsider).unwrap().unwrap();
    assert_eq!(
        outside.get_property_value("border-top-style").unwrap(),
        "none"
    );
    style.remove();
    outsider.remove();
}

#[wasm_bindgen_test]
async fn a_widget_on_an_element_without_a_shadow_root_is_styled_from_the_page() {
    let document = web_sys::window().unwrap().document().unwrap();
    let list = document.create_element("ul").unwrap();
    document.body().unwrap().append_child(&list).unwrap();
    // An <li> cannot have a shadow root: the widget draws in it instead.
    let mut items = Vec::new();
    for _ in 0..2 {
        items.push(element_in(
            &list,
            "li",
            &[
                ("data-policy", "xtelary"),
                ("data-now", "2026-03-02T15:00:00Z"),
            ],
            Some(&page_data(None, None, "USD")),
        ));
    }
    settle().await;
    let window = web_sys::window().unwrap();
    for li in &items {
        assert!(li.shadow_root().is_none());
        let choose = li
            .query_selector("[data-kind='cancel'] .aftersale__choose")
            .unwrap()
            .expect("drawn in the element");
        let css = window.get_computed_style(&choose).unwrap().unwrap();
        assert_ne!(
            css.get_property_value("border-top-left-radius").unwrap(),
            "0px"
        );
    }
    // The page was given the styles once, for both.
    assert_eq!(document.adopted_style_sheets().length(), 1);
    list.remove();
    document.set_adopted_style_sheets(&js_sys::Array::new());
}

#[wasm_bindgen_test]
async fn focus_stays_on_the_reason_when_it_reshapes_the_editor() {
    let el = delivered_widget("xtelary");
    settle().await;
    choose(&el, "return", "changed_mind").await;
    let before: HtmlSelectElement = find(&el, ".aftersale__reason").dyn_into().unwrap();
    before.focus().unwrap();
    let other = (0..before.length())
        .filter_map(|i| before.item(i))
        .map(|o| o.get_attribute("value").unwrap_or_default())
        .find(|v| v != "changed_mind")
        .expect("a second reason");
    before.set_value(&other);
    fire(&before, "change");
    settle().await;
    let after: HtmlSelectElement = find(&el, ".aftersale__reason").dyn_into().unwrap();
    // The editor was drawn anew for the new reason...
    assert!(!after.is_same_node(Some(&before)));
    assert_eq!(after.value(), other);
    // ...and the keyboard user is still on the reason.
    let active = root(&el).active_element().expect("something focused");
    assert!(active.is_same_node(Some(&after)));
}

/// An xtelary changed-mind return with `photos`, sent (its steps ask for photos).
/// Starts recording the `aftersale:submitted` and `aftersale:photos` events
/// the page gets (each as its name and its `detail` as JSON), forgetting
/// those before.
fn record_request_events() {
    js(r#"if (!window.__photo_listening) {
            window.__photo_listening = true;
            ["aftersale:submitted", "aftersale:photos"].forEach(function (name) {
              document.addEventListener(name, function (e) {
                window.__photo_events.push(name + " " + JSON.stringify(e.detail));
              });
            });
          }
          window.__photo_events = [];"#);
}

/// The events since [`record_request_events`].
fn request_events() -> Vec<String> {
    let events: js_sys::Array = js("return window.__photo_events;").dyn_into().unwrap();
    events.iter().filter_map(|e| e.as_string()).collect()
}

#[wasm_bindgen_test]
async fn photos_dropped_on_the_box_are_added_and_the_page_is_not_left_for_them() {
    let el = submitting_widget_at(DAY_AFTER_DELIVERY, &delivered_data(), ENDPOINT);
    settle().await;
    choose(&el, "return", "changed_mind").await;
    confirm_condition(&el).await;
    let drag = js_sys::Function::new_with_args(
        "target, kind",
        &format!(
            "const dt = new DataTransfer();
             if (kind === 'drop') {{
               const b = new Uint8Array(2048); b.set({});
               dt.items.add(new File([b], 'box.jpg', {{ type: 'image/jpeg' }}));
             }}
             const e = new DragEvent(kind, {{ dataTransfer: dt, bubbles: true, cancelable: true }});
             target.dispatchEvent(e);
             return e.defaultPrevented;",
            magic("image/jpeg")
        ),
    );
    let drag = |kind: &str| {
        // Onto the hint inside the box, a little off the button.
        let hint = find(&el, ".aftersale__photos .aftersale__hint");
        drag.call2(&wasm_bindgen::JsValue::NULL, &hint, &kind.into())
            .unwrap()
            .as_bool()
            .unwrap()
    };
    assert!(drag("dragover"), "the box takes the drop");
    settle().await;
    assert!(find(&el, ".aftersale__photos").has_attribute("data-dragging"));
    drag("dragleave");
    settle().await;
    assert!(!find(&el, ".aftersale__photos").has_attribute("data-dragging"));
    assert!(drag("drop"), "the browser does not open the file instead");
    for _ in 0..200 {
        if text(&el, ".aftersale__photo-list").contains("box.jpg") {
            break;
        }
        sleep(10).await;
    }
    assert_eq!(text(&el, ".aftersale__photo-list"), "box.jpg · 2 kB Remove");
    assert_eq!(text(&el, ".aftersale__photo-problem"), "");
}

async fn return_with_photos(photos: &[(&str, &str, usize)]) -> HtmlElement {
    let el = submitting_widget_at(DAY_AFTER_DELIVERY, &delivered_data(), ENDPOINT);
    settle().await;
    choose(&el, "return", "changed_mind").await;
    confirm_condition(&el).await;
    pick_photos(&el, photos).await;
    set_value(&el, ".aftersale__email", "ana@example.com").await;
    find(&el, ".aftersale__review").click();
    settle().await;
    find(&el, ".aftersale__send").click();
    el
}

#[wasm_bindgen_test]
async fn the_photos_follow_the_request_to_the_shop_and_are_retried_until_it_has_them() {
    fake_fetch(
        r#"[{ "status": 201, "body": { "status": "created", "request_id": "R/8", "rma": "RMA-8" } },
            "network",
            { "status": 201, "body": { "status": "stored" } }]"#,
    );
    record_request_events();
    let el = return_with_photos(&[
        ("box.jpg", "image/jpeg", 2048),
        ("lid.png", "image/png", 10),
    ])
    .await;
    let step = "[data-step='photos']";
    until(|| {
        calls_field("method").len() >= 2
            && present(&el, step)
            && text(&el, step).contains("Trying again")
    })
    .await;
    settle().await;
    // The request first, then its first photo, which got no answer: the
    // step says so and waits; it is not done.
    assert_eq!(calls_field("method"), ["POST", "PUT"]);
    assert_eq!(text(&el, ".aftersale__request-id"), "R/8");
    assert_eq!(
        text(&el, step),
        "Your photos have not reached the shop yet (0 of 2 there). Trying again in 1\u{a0}s; please keep this page open."
    );
    assert!(!present(&el, "[data-step='photos'][data-done]"));
    // Until the shop has the photos, the request and its photos are kept
    // for a page opened after a reload.
    let key = calls()[0].1.clone();
    let declared: Vec<aftersale_engine::Attachment> = [
        ("box.jpg", "image/jpeg", 2048),
        ("lid.png", "image/png", 10),
    ]
    .iter()
    .map(|&(name, media_type, size)| aftersale_engine::Attachment {
        name: name.into(),
        media_type: media_type.into(),
        size,
    })
    .collect();
    assert!(pending_in_storage().is_some_and(|p| p.contains(&key)));
    let kept = aftersale_widget::kept::kept(&key, declared.clone()).await;
    assert_eq!(kept.map(|k| k.len()), Some(2));
    // The page learns the request is created and that two photos follow.
    let created =
        r#"aftersale:submitted {"status":"created","request_id":"R/8","rma":"RMA-8","photos":2}"#;
    assert_eq!(request_events(), [created]);
    sleep(1300).await;
    settle().await;
    let calls = calls();
    assert_eq!(calls_field("method"), ["POST", "PUT", "PUT", "PUT"]);
    let key = calls[0].1.clone();
    let photo = |i: usize| format!("{ENDPOINT}/R%2F8/photos/{i}");
    // Each photo beside the endpoint, by its index in the payload, with the
    // request's key (the shop takes photos from its sender only), as its
    // own type, every byte of it.
    assert_eq!(calls[0].2.get("attachments.0.name"), "box.jpg");
    assert_eq!(calls[0].2.get("attachments.1.name"), "lid.png");
    assert_eq!(
        calls.iter().map(|c| c.0.clone()).collect::<Vec<_>>(),
        [ENDPOINT.to_owned(), photo(0), photo(0), photo(1)]
    );
    assert!(calls.iter().all(|c| c.1 == key), "one key for all");
    assert_eq!(calls_field("type")[2..], ["image/jpeg", "image/png"]);
    assert_eq!(calls_field("size")[2..], ["2048", "10"]);
    assert_eq!(
        text(&el, step),
        "Done: your photos (box.jpg and lid.png) were sent with your request."
    );
    assert_eq!(attr(&el, step, "data-done"), "true");
    // Then nothing is kept.
    assert_eq!(pending_in_storage(), None);
    assert!(aftersale_widget::kept::kept(&key, declared).await.is_none());
    // The page learns it once, when the shop has them all.
    assert_eq!(
        request_events(),
        [
            created,
            r#"aftersale:photos {"status":"sent","request_id":"R/8"}"#
        ]
    );
}

#[wasm_bindgen_test]
async fn a_bar_shows_how_far_the_photos_bytes_are_on_their_way() {
    fake_fetch(
        r#"[{ "status": 201, "body": { "status": "created", "request_id": "R-10", "rma": "RMA-10" } },
            { "status": 201, "body": { "status": "stored" } }]"#,
    );
    js("window.__xhrDelay = 600;");
    let el = return_with_photos(&[
        ("box.jpg", "image/jpeg", 3000),
        ("lid.png", "image/png", 1000),
    ])
    .await;
    sleep(300).await;
    settle().await;
    // Half of the first photo's 3000 bytes of 4000 are on their way.
    let bar = "[data-step='photos'] .aftersale__photos-bar";
    assert_eq!(attr(&el, bar, "value"), "37");
    assert_eq!(attr(&el, bar, "max"), "100");
    assert_eq!(attr(&el, bar, "aria-label"), "Photos sent so far");
    assert!(text(&el, "[data-step='photos']").contains("0 of 2"));
    sleep(600).await;
    settle().await;
    // The first is with the shop, half of the second on its way: 3500 of 4000.
    assert_eq!(attr(&el, bar, "value"), "87");
    assert!(text(&el, "[data-step='photos']").contains("1 of 2"));
    sleep(800).await;
    settle().await;
    assert_eq!(attr(&el, "[data-step='photos']", "data-done"), "true");
    assert!(!present(&el, bar));
    assert_eq!(calls_field("method"), ["POST", "PUT", "PUT"]);
}

/// The size of the parts a large photo is sent in.
const PART: usize = aftersale_widget::submit::PHOTO_PART_BYTES as usize;

#[wasm_bindgen_test]
async fn a_large_photo_goes_in_parts_and_a_lost_part_costs_only_itself() {
    let part = PART;
    let size = 2 * part + part / 2;
    fake_fetch(&format!(
        r#"[{{ "status": 201, "body": {{ "status": "created", "request_id": "R-11", "rma": "RMA-11" }} }},
            {{ "status": 202, "body": {{ "status": "partial", "received": 0 }} }},
            {{ "status": 202, "body": {{ "status": "partial", "received": {part} }} }},
            "network",
            {{ "status": 202, "body": {{ "status": "partial", "received": {} }} }},
            {{ "status": 201, "body": {{ "status": "stored" }} }}]"#,
        2 * part
    ));
    // Each answer 400 ms after its request: the probe at 0.4 s, the first
    // part at 0.8 s, the second lost at 1.2 s, then 1 s of backoff, the
    // probe again at 2.6 s, the last part at 3.0 s.
    js("window.__xhrDelay = 400;");
    let el = return_with_photos(&[("box.jpg", "image/jpeg", size)]).await;
    let bar = "[data-step='photos'] .aftersale__photos-bar";
    sleep(1000).await;
    settle().await;
    // Half the second part on its way: 1.5 of 2.5 MiB.
    assert_eq!(attr(&el, bar, "value"), "60");
    sleep(1400).await;
    settle().await;
    // Asking again, the bar stands where the shop last said it was (1 of
    // 2.5 MiB), not at the photo's start.
    assert_eq!(attr(&el, bar, "value"), "40");
    sleep(1000).await;
    settle().await;
    // It asks how much the shop has, sends the first part, and the second,
    // which gets no answer; then asks again: the second part got in (its
    // answer was what got lost), so only the last is sent.
    let (a, b, c) = (part - 1, 2 * part - 1, size - 1);
    assert_eq!(
        calls_field("range"),
        [
            String::new(),
            format!("bytes */{size}"),
            format!("bytes 0-{a}/{size}"),
            format!("bytes {part}-{b}/{size}"),
            format!("bytes */{size}"),
            format!("bytes {}-{c}/{size}", 2 * part),
        ]
    );
    let sizes = [0, part, part, 0, part / 2].map(|n| n.to_string());
    assert_eq!(calls_field("size")[1..], sizes);
    // Each part is the file's own bytes from its place: the JPEG's first
    // byte begins the first part only.
    assert_eq!(calls_field("first")[2..], ["255", "0", "", "0"]);
    assert_eq!(attr(&el, "[data-step='photos']", "data-done"), "true");
}

#[wasm_bindgen_test]
async fn a_shop_that_takes_no_parts_gets_a_large_photo_whole() {
    let size = PART + 1;
    fake_fetch(&format!(
        r#"[{{ "status": 201, "body": {{ "status": "created", "request_id": "R-12", "rma": "RMA-12" }} }},
            {{ "status": 400, "body": {{ "status": "invalid", "field": "body", "message": "declared as {size} bytes; 0 came" }} }},
            {{ "status": 201, "body": {{ "status": "stored" }} }}]"#
    ));
    let el = return_with_photos(&[("box.jpg", "image/jpeg", size)]).await;
    sleep(300).await;
    settle().await;
    assert_eq!(
        calls_field("range"),
        ["".into(), format!("bytes */{size}"), String::new()]
    );
    assert_eq!(calls_field("size")[1..], ["0".into(), size.to_string()]);
    assert_eq!(attr(&el, "[data-step='photos']", "data-done"), "true");
}

#[wasm_bindgen_test]
async fn a_photo_the_shop_does_not_take_is_named_with_what_to_do_instead() {
    fake_fetch(
        r#"[{ "status": 201, "body": { "status": "created", "request_id": "R-9", "rma": "RMA-9" } },
            { "status": 415, "body": { "status": "invalid", "field": "Content-Type", "message": "declared as image/jpeg" } }]"#,
    );
    record_request_events();
    let el =
        return_with_photos(&[("box.jpg", "image/jpeg", 20), ("lid.png", "image/png", 10)]).await;
    sleep(1500).await;
    settle().await;
    // Not retried, and the photo after it not sent: the shop said no.
    assert_eq!(calls_field("method"), ["POST", "PUT"]);
    assert_eq!(
        text(&el, "[data-step='photos']"),
        "The shop did not take box.jpg: Content-Type: declared as image/jpeg. Please email your photos to its support and name your request."
    );
    assert!(!present(&el, "[data-step='photos'][data-done]"));
    // The request itself stands.
    assert_eq!(attr(&el, ".aftersale__status", "data-state"), "created");
    assert_eq!(
        request_events(),
        [
            r#"aftersale:submitted {"status":"created","request_id":"R-9","rma":"RMA-9","photos":2}"#,
            r#"aftersale:photos {"status":"refused","request_id":"R-9","name":"box.jpg","message":"Content-Type: declared as image/jpeg"}"#
        ]
    );
}

/// `change` (JS, on `p`) made to a copy of `json`, read back as a JS value.
fn changed(json: &str, change: &str) -> wasm_bindgen::JsValue {
    let _ = js_sys::Reflect::set(&js_sys::global(), &"__json".into(), &json.into());
    js(&format!(
        "var p = JSON.parse(window.__json); {change}; return p;"
    ))
}

/// The widget's reader names the field at fault as the engine does natively
/// (serde_json and serde_path_to_error: `aftersale check-policy` prints the
/// same words), at every kind of place: a struct's field, an item of a list,
/// an enum's variant, a map's key, an unknown field.
#[wasm_bindgen_test]
fn bad_input_read_in_the_browser_is_named_field_by_field_as_natively() {
    let preset = aftersale_engine::presets::source("xtelary").unwrap();
    for (change, said) in [
        (
            "p.clauses[1].effect.grant.fee_percent = 5",
            "clauses[1].effect.grant.fee_percent: invalid type: integer `5`, expected a decimal string such as \"12.50\"",
        ),
        (
            "p.clauses[1].effect.grant.fee_percnt = '5'",
            "clauses[1].effect.grant.fee_percnt: unknown field `fee_percnt`, expected one of `base`, `fee_percent`, `compensation_percent`, `resolutions`, `return_shipping`, `steps`",
        ),
        (
            "p.clauses[1].applies_to[0].reasons = ['changed_mnd']",
            "clauses[1].applies_to[0].reasons[0]: unknown variant `changed_mnd`, expected one of `changed_mind`, `wrong_item`, `damaged`, `missing_items`, `not_shipped_in_time`, `not_received`, `late_for_deadline`",
        ),
        (
            "p.calendar.holidays = ['2026-02-30']",
            "calendar.holidays[0]: \"2026-02-30\" is not a date (expected \"2026-12-25\")",
        ),
        (
            "p.translations = { de: { steps: { rma: -1 } } }",
            "translations.de.steps.rma: invalid type: integer `-1`, expected a string",
        ),
        (
            "p.clauses[0].when = [{ paid: true }]",
            "clauses[0].when[0]: unknown variant `paid`, expected one of `shipped`, `delivered`, `within`, `untracked_after`, `tracking_stale`, `item_condition`, `no_line_tagged`, `exchanges_used_below`",
        ),
        (
            "p.clauses[4].require[0].within.length = -1",
            "clauses[4].require[0].within.length: invalid value: integer `-1`, expected u32",
        ),
        (
            "p.clauses[4].require[0].within.length = 1.5",
            "clauses[4].require[0].within.length: invalid type: floating point `1.5`, expected u32",
        ),
        (
            "p.clauses[1].effect.grant.fee_percent = -2.5",
            "clauses[1].effect.grant.fee_percent: invalid type: floating point `-2.5`, expected a decimal string such as \"12.50\"",
        ),
        // A struct is read from an object only, as natively (serde_json
        // alone would also take an array of its fields in order, a form the
        // format does not have; engine/tests/errors.rs).
        (
            "p.calendar = ['+08:00']",
            "calendar: invalid type: sequence, expected struct BusinessCalendar",
        ),
        ("delete p.clauses", "missing field `clauses`"),
        (
            "p.clauses = null",
            "clauses: invalid type: null, expected a sequence",
        ),
    ] {
        let got = aftersale_widget::read_policy(changed(preset, change))
            .map(|_| ())
            .unwrap_err()
            .to_string();
        assert_eq!(got, said, "{change}");
    }
    let page = page_data(None, None, "USD");
    for (change, said) in [
        ("delete p.order.currency", "order: missing field `currency`"),
        (
            "p.order.lines[1].quantity = -2",
            "order.lines[1].quantity: invalid value: integer `-2`, expected u32",
        ),
        (
            "p.order.placed_at = '2026-03-02 14:00'",
            "order.placed_at: premature end of input",
        ),
        (
            "p.exchange_options[1].stock = '9'",
            "exchange_options[1].stock: invalid type: string \"9\", expected u32",
        ),
        (
            "p.order = []",
            "order: invalid type: sequence, expected struct Order",
        ),
    ] {
        let text = js_sys::JSON::stringify(&changed(&page, change)).unwrap();
        let got = aftersale_widget::from_json::<aftersale_engine::scenario::PageData>(
            &String::from(text),
        )
        .map(|_| ())
        .unwrap_err();
        assert_eq!(got, said, "{change}");
    }
}

#[path = "support/mistakes.rs"]
mod mistakes;

/// The widget's reader against the engine's native one (the server's and
/// the CLI's) on every one-mistake change of the shipped policies and of a
/// full order page: at every place, dropped, given a field it does not
/// have, or replaced by each of `mistakes::replacements()`. Both take the
/// same documents, read them to the same values, and refuse the others in
/// the same words, so a policy file or an order the server takes is one
/// the widget draws, and one the widget refuses is refused at the server's
/// start or put too.
#[wasm_bindgen_test]
fn the_widget_reads_exactly_what_the_engine_reads_natively_one_mistake_at_a_time() {
    use aftersale_engine::Policy;
    use aftersale_engine::scenario::{PageData, deserialize_with_path};
    use serde_json::Value;

    let started = js_sys::Date::now();
    // Every change of `document`, with where it was made.
    let changes = |document: &Value| -> Vec<(String, Value)> {
        let puts = mistakes::replacements();
        let mut out = Vec::new();
        for at in mistakes::pointers(document) {
            for how in 0..3u8 {
                let values: &[Value] = if how == 1 { &puts } else { &puts[..1] };
                for put in values {
                    let mut changed = document.clone();
                    mistakes::mutate(&mut changed, &at, how, put.clone());
                    out.push((format!("{at} ({how}, {put})"), changed));
                }
            }
        }
        out
    };
    let errors = |e: aftersale_engine::PolicyErrors| -> Vec<String> {
        e.0.iter().map(ToString::to_string).collect()
    };
    // One error in the same words. The one place the two name a field
    // apart: under a map keyed by names (a clause's `by_reason`), the widget
    // names the entry (`by_reason.changed_mind`); natively,
    // serde_path_to_error names the map, as it keeps no key that is read
    // as a name.
    let same = |widget: &str, native: &str| {
        let (w_field, w_message) = widget.split_once(": ").unwrap_or(("", widget));
        let (n_field, n_message) = native.split_once(": ").unwrap_or(("", native));
        w_message == n_message
            && (w_field == n_field
                || n_field.ends_with(".by_reason")
                    && w_field
                        .rsplit_once('.')
                        .is_some_and(|(map, _)| map == n_field))
    };
    let alike =
        |widget: &Result<(), Vec<String>>, native: &Result<(), Vec<String>>| match (widget, native)
        {
            (Ok(()), Ok(())) => true,
            (Err(w), Err(n)) => w.len() == n.len() && w.iter().zip(n).all(|(w, n)| same(w, n)),
            _ => false,
        };
    let (mut cases, mut refused) = (0, 0);
    for text in [
        aftersale_engine::presets::source("htvront").unwrap(),
        aftersale_engine::presets::source("xtelary").unwrap(),
        include_str!("../demo/acme.json"),
    ] {
        let policy: Value = serde_json::from_str(text).unwrap();
        for (what, changed) in changes(&policy) {
            let native = Policy::from_deserializer(&changed).map_err(errors);
            let parsed = js_sys::JSON::parse(&changed.to_string()).unwrap();
            let widget = aftersale_widget::read_policy(parsed).map_err(errors);
            if let (Ok(w), Ok(n)) = (&widget, &native) {
                assert_eq!(w, n, "policy {what}");
            }
            let (w, n) = (
                widget.map(drop),
                native.as_ref().map(drop).map_err(Clone::clone),
            );
            assert!(
                alike(&w, &n),
                "policy {what}:\n  widget {w:?}\n  native {n:?}"
            );
            cases += 1;
            refused += usize::from(native.is_err());
        }
    }
    let orders: Value = serde_json::from_str(include_str!("../demo/acme-orders.json")).unwrap();
    let mut page = orders[0]["data"].clone();
    page["exchange_options"] = serde_json::json!([{
        "sku": "TENT-3P", "title": "Three-person tent", "unit_price": "229.00", "stock": 2
    }]);
    page["requests"] = serde_json::json!([{
        "id": "r-1", "kind": "return", "reason": "changed_mind",
        "lines": [{ "line_id": "L1", "quantity": 1 }],
        "status": "approved", "created_at": "2026-11-21T10:00:00Z", "rma": "RMA-1"
    }]);
    for (what, changed) in changes(&page) {
        let native = deserialize_with_path::<PageData, _>(&changed).map_err(|e| e.to_string());
        let widget = aftersale_widget::from_json::<PageData>(&changed.to_string());
        if let (Ok(w), Ok(n)) = (&widget, &native) {
            assert_eq!(w, n, "page data {what}");
        }
        let (w, n) = (
            widget.map(drop).map_err(|e| vec![e]),
            native.as_ref().map(drop).map_err(|e| vec![e.clone()]),
        );
        assert!(
            alike(&w, &n),
            "page data {what}:\n  widget {w:?}\n  native {n:?}"
        );
        cases += 1;
        refused += usize::from(native.is_err());
    }
    console_log!(
        "{cases} changes read alike, {refused} refused by both, in {:.1} s",
        (js_sys::Date::now() - started) / 1000.0
    );
    // Most changes are mistakes, and some are still good documents.
    assert!(
        refused > cases / 2 && refused < cases,
        "{refused} of {cases}"
    );
}
