//! Money, dates and durations in the customer's locale, through the
//! browser's `Intl` (no formatting tables in the bundle). Money is passed to
//! `Intl.NumberFormat` as its decimal string, never as a float.

use chrono::{DateTime, Utc};
use js_sys::{Array, Date, Function, Intl, Object, Reflect};
use wasm_bindgen::JsValue;

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

fn call(format: Function, arg: &JsValue) -> Option<String> {
    format.call1(&JsValue::NULL, arg).ok()?.as_string()
}

/// `"12.50"` in `currency` as the locale writes it: `$12.50`, `12,50 $`, `US$12.50`.
pub fn money(locale: &str, currency: &str, amount: &str) -> String {
    let f = Intl::NumberFormat::new(
        &locales(locale),
        &options(&[("style", "currency"), ("currency", currency)]),
    );
    call(f.format(), &JsValue::from_str(amount)).unwrap_or_else(|| format!("{amount} {currency}"))
}

/// An instant as a date and time in the customer's time zone.
pub fn instant(locale: &str, at: DateTime<Utc>) -> String {
    let f = Intl::DateTimeFormat::new(
        &locales(locale),
        &options(&[("dateStyle", "long"), ("timeStyle", "short")]),
    );
    let date = Date::new(&JsValue::from_f64(at.timestamp_millis() as f64));
    call(f.format(), &date).unwrap_or_else(|| at.to_rfc3339())
}

/// A date (no time) in the locale.
pub fn date(locale: &str, day: chrono::NaiveDate) -> String {
    let f = Intl::DateTimeFormat::new(
        &locales(locale),
        &options(&[("dateStyle", "long"), ("timeZone", "UTC")]),
    );
    let midnight = day
        .and_hms_opt(12, 0, 0)
        .map(|d| d.and_utc().timestamp_millis())
        .unwrap_or(0);
    call(f.format(), &Date::new(&JsValue::from_f64(midnight as f64)))
        .unwrap_or_else(|| day.to_string())
}

/// The time from `now` to `until`, in its two largest units: `3 d 4 h`,
/// `2 h 12 min`, `4 min 5 s`.
pub fn countdown(lang: Lang, now: DateTime<Utc>, until: DateTime<Utc>) -> String {
    // Rounded up: the deadline itself still counts, so 22:59:59.4 left reads 23 h 0 min.
    let millis = (until - now).num_milliseconds().max(0);
    let secs = (millis + 999) / 1000;
    let (d, h, m, s) = (
        secs / 86_400,
        secs % 86_400 / 3600,
        secs % 3600 / 60,
        secs % 60,
    );
    let unit = |k| t(lang, k);
    if d > 0 {
        format!("{d} {} {h} {}", unit(Key::Days), unit(Key::Hours))
    } else if h > 0 {
        format!("{h} {} {m} {}", unit(Key::Hours), unit(Key::Minutes))
    } else {
        format!("{m} {} {s} {}", unit(Key::Minutes), unit(Key::Seconds))
    }
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
    call(f.format(), &JsValue::from_f64(value)).unwrap_or_else(|| format!("{bytes} B"))
}

/// The calendar day `at` falls on in the customer's time zone.
pub fn local_date(at: DateTime<Utc>) -> Option<chrono::NaiveDate> {
    let d = Date::new(&JsValue::from_f64(at.timestamp_millis() as f64));
    chrono::NaiveDate::from_ymd_opt(d.get_full_year() as i32, d.get_month() + 1, d.get_date())
}
