//! Money, dates and durations in the customer's locale, through the
//! browser's `Intl` (no formatting tables in the bundle). Money is passed to
//! `Intl.NumberFormat` as its decimal string, never as a float.

use chrono::{DateTime, Utc};
use std::cell::RefCell;

use js_sys::{Array, Date, Function, Intl, Object, Reflect};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};

use crate::i18n::{Key, Lang, t};

fn options(pairs: &[(&str, &str)]) -> Object {
    let o = Object::new();
    for (k, v) in pairs {
        let _ = Reflect::set(&o, &JsValue::from_str(k), &JsValue::from_str(v));
    }
    o
}

fn locales(locale: &str) -> Array {
    Array::of1(&JsValue::from_str(locale))
}

fn call(format: &Function, arg: &JsValue) -> Option<String> {
    format.call1(&JsValue::NULL, arg).ok()?.as_string()
}

thread_local! {
    /// The formatters made so far, by what each was made for. Making one is
    /// what costs (0.1 to 0.3 ms each in Chromium, where formatting with it
    /// is a few microseconds), and countdowns format every second.
    static MADE: RefCell<Vec<(String, JsValue)>> = const { RefCell::new(Vec::new()) };
}

/// The formatter made for `key`, made by `make` the first time.
fn made(key: String, make: &dyn Fn() -> JsValue) -> JsValue {
    MADE.with(|all| {
        if let Some((_, f)) = all.borrow().iter().find(|(k, _)| *k == key) {
            return f.clone();
        }
        let f = make();
        all.borrow_mut().push((key, f.clone()));
        f
    })
}

/// The `format` function of an `Intl.DateTimeFormat` for `locale` in
/// `style`, named `what`.
fn date_format(locale: &str, what: &str, style: &[(&str, &str)]) -> Function {
    made(format!("{what} {locale}"), &|| {
        Intl::DateTimeFormat::new(&locales(locale), &options(style))
            .format()
            .into()
    })
    .into()
}

/// `"12.50"` in `currency` as the locale writes it: `$12.50`, `12,50 $`, `US$12.50`.
pub fn money(locale: &str, currency: &str, amount: &str) -> String {
    let f: Function = made(format!("money {locale} {currency}"), &|| {
        Intl::NumberFormat::new(
            &locales(locale),
            &options(&[("style", "currency"), ("currency", currency)]),
        )
        .format()
        .into()
    })
    .into();
    call(&f, &JsValue::from_str(amount)).unwrap_or_else(|| format!("{amount} {currency}"))
}

/// An instant as a date and time in the customer's time zone.
pub fn instant(locale: &str, at: DateTime<Utc>) -> String {
    let f = date_format(
        locale,
        "instant",
        &[("dateStyle", "long"), ("timeStyle", "short")],
    );
    let date = Date::new(&JsValue::from_f64(at.timestamp_millis() as f64));
    call(&f, &date).unwrap_or_else(|| at.to_rfc3339())
}

/// A date (no time) in the locale.
pub fn date(locale: &str, day: chrono::NaiveDate) -> String {
    let f = date_format(
        locale,
        "date",
        &[("dateStyle", "long"), ("timeZone", "UTC")],
    );
    let midnight = day
        .and_hms_opt(12, 0, 0)
        .map(|d| d.and_utc().timestamp_millis())
        .unwrap_or(0);
    call(&f, &Date::new(&JsValue::from_f64(midnight as f64))).unwrap_or_else(|| day.to_string())
}

/// The time from `now` to `until` as a countdown reads it: its two largest
/// units, zeros left out (`29 days, 22 hr`, `22 hr, 57 min`, `23 hr`,
/// `5 sec`, `0 sec`; `de-DE`: `22 Std., 57 Min.`; `zh-CN`: `22小时57分钟`),
/// written by `Intl.DurationFormat` in `locale`, which is of the catalogue
/// `lang`'s language ([`Lang::intl_locale`]: `en-GB` reads `22 hrs`). A
/// browser without it gets the catalogue's units: `29 d 22 h`.
pub fn countdown(locale: &str, lang: Lang, now: DateTime<Utc>, until: DateTime<Utc>) -> String {
    // Rounded up: the deadline itself still counts, so 22:59:59.4 left reads 23 h.
    let millis = (until - now).num_milliseconds().max(0);
    let secs = (millis + 999) / 1000;
    let (d, h, m, s) = (
        secs / 86_400,
        secs % 86_400 / 3600,
        secs % 3600 / 60,
        secs % 60,
    );
    let two = if d > 0 {
        [(d, Key::Days), (h, Key::Hours)]
    } else if h > 0 {
        [(h, Key::Hours), (m, Key::Minutes)]
    } else {
        [(m, Key::Minutes), (s, Key::Seconds)]
    };
    // Zeros are left out, unless a zero is all there is: `0 sec`.
    let parts = match two {
        [(0, _), (0, _)] => [(0, Key::Seconds), (0, Key::Seconds)],
        [(0, _), small] => [small, small],
        [big, (0, _)] => [big, big],
        both => both,
    };
    let display = if secs == 0 { "always" } else { "auto" };
    // Absent (an older browser) is kept as `undefined`: the catalogue's units.
    let f = made(format!("duration {locale} {display}"), &|| {
        DurationFormat::new(
            &locales(locale),
            &options(&[("style", "short"), ("secondsDisplay", display)]),
        )
        .map_or(JsValue::UNDEFINED, JsValue::from)
    });
    let by_intl = f.dyn_into::<DurationFormat>().ok().map(|f| {
        let duration = Object::new();
        for (n, unit) in parts {
            let name = match unit {
                Key::Days => "days",
                Key::Hours => "hours",
                Key::Minutes => "minutes",
                _ => "seconds",
            };
            let _ = Reflect::set(
                &duration,
                &JsValue::from_str(name),
                &JsValue::from_f64(n as f64),
            );
        }
        f.format(&duration)
    });
    by_intl.unwrap_or_else(|| match parts {
        [one, other] if one == other => format!("{} {}", one.0, t(lang, one.1)),
        [(a, x), (b, y)] => format!("{a} {} {b} {}", t(lang, x), t(lang, y)),
    })
}

#[wasm_bindgen]
extern "C" {
    /// `Intl.DurationFormat`, which not every browser has yet: its
    /// constructor is then an error, not a panic.
    #[wasm_bindgen(js_namespace = Intl)]
    type DurationFormat;

    #[wasm_bindgen(constructor, js_namespace = Intl, catch)]
    fn new(locales: &Array, options: &Object) -> Result<DurationFormat, JsValue>;

    #[wasm_bindgen(method)]
    fn format(this: &DurationFormat, duration: &Object) -> String;
}

/// A file size as the locale writes it, in bytes, kB or MB (`512 bytes`,
/// `2.4 MB`, `2,4 MB`).
pub fn file_size(locale: &str, bytes: u64) -> String {
    // Bytes are written out ("287 bytes"): short, English has "287 byte".
    let (value, unit, display) = if bytes >= 1_000_000 {
        (bytes as f64 / 1_000_000.0, "megabyte", "short")
    } else if bytes >= 1_000 {
        (bytes as f64 / 1_000.0, "kilobyte", "short")
    } else {
        (bytes as f64, "byte", "long")
    };
    let f = Intl::NumberFormat::new(
        &locales(locale),
        &options(&[
            ("style", "unit"),
            ("unit", unit),
            ("unitDisplay", display),
            ("maximumFractionDigits", "1"),
        ]),
    );
    call(&f.format(), &JsValue::from_f64(value)).unwrap_or_else(|| format!("{bytes} B"))
}

/// The calendar day `at` falls on in the customer's time zone.
pub fn local_date(at: DateTime<Utc>) -> Option<chrono::NaiveDate> {
    let d = Date::new(&JsValue::from_f64(at.timestamp_millis() as f64));
    chrono::NaiveDate::from_ymd_opt(d.get_full_year() as i32, d.get_month() + 1, d.get_date())
}
