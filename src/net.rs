//! Waiting on the network: timers, the backoff between attempts, and a
//! deadline for an answer, shared by reading the order and sending a
//! request.

use wasm_bindgen::{JsCast, JsValue};

/// How long the shop may take to answer a read of the order or the policy
/// before the widget gives up on that attempt and tries again.
pub const READ_TIMEOUT_SECS: u32 = 20;

/// How long the shop may take to answer a request sent; a request whose
/// answer never came is sent again with its idempotency key, so the shop
/// stores it once however many times it arrived.
pub const SEND_TIMEOUT_SECS: u32 = 30;

/// How long a photo's upload may go with no byte moving, or once all are
/// sent with no answer, before the attempt is given up and the photo sent
/// again: a connection gone dead is found out in a minute, and a slow one
/// that still moves is never cut, however large the photo (a limit on the
/// whole upload would abort, and send again from the start, every large
/// photo on a slow connection, forever).
pub const PHOTO_SILENCE_SECS: u32 = 60;

/// The wait before the next attempt: 1 s, 2 s, 4 s … 30 s.
fn next_backoff(secs: u32) -> u32 {
    (secs * 2).min(30)
}

/// The longest wait a shop's `Retry-After` sets (one that says an hour is
/// asked again after this).
const MOST_RETRY_AFTER_SECS: u32 = 600;

/// Why an attempt failed, and how long the shop asked to be left alone
/// before the next one (its `Retry-After`), where it said.
pub struct Failure {
    /// Why, in words for the widget to show.
    pub why: String,
    /// The shop's `Retry-After`, in seconds.
    pub after: Option<u32>,
}

impl From<String> for Failure {
    fn from(why: String) -> Failure {
        Failure { why, after: None }
    }
}

/// A `Retry-After` header's value in seconds from now: delay-seconds
/// (`120`) or an HTTP date (`Wed, 21 Oct 2015 07:28:00 GMT`; one past is
/// 0); `None` without one, or for anything else.
pub fn retry_after(value: Option<String>) -> Option<u32> {
    let value = value?;
    let value = value.trim();
    if let Ok(secs) = value.parse() {
        return Some(secs);
    }
    // (`Date.parse` takes nearly anything: "-5" is a year.)
    if !value.ends_with(" GMT") {
        return None;
    }
    let at = js_sys::Date::parse(value);
    // (A float to an int saturates: a date centuries on is u32::MAX.)
    (!at.is_nan()).then(|| ((at - js_sys::Date::now()) / 1000.0).ceil().max(0.0) as u32)
}

/// Resolves after `ms` milliseconds.
pub async fn sleep(ms: i32) {
    wait(ms, None).await;
}

/// Resolves after `secs` seconds, or at once when the browser says it is
/// back online (a customer on a train need not wait out the backoff).
pub async fn backoff(secs: u32) {
    wait(secs as i32 * 1000, Some("online")).await;
}

/// Calls `attempt` until it gives an answer. After each failure (`Err`
/// with why) it tells `failed` the seconds until the next attempt and why,
/// waits them ([`backoff`]: 1 s, 2 s, 4 s … 30 s, or longer where the shop
/// said `Retry-After`, up to 10 minutes; less if the browser comes back
/// online), and goes on if `go_on()` still says so; `None` when it did
/// not. The one retry loop of the widget: reading the order, sending a
/// request, sending its photos.
pub async fn retry<T, Fut>(
    mut attempt: impl FnMut() -> Fut,
    mut failed: impl FnMut(u32, String),
    go_on: impl Fn() -> bool,
) -> Option<T>
where
    Fut: std::future::Future<Output = Result<T, Failure>>,
{
    let mut wait = 1;
    loop {
        match attempt().await {
            Ok(answer) => return Some(answer),
            Err(Failure { why, after }) => {
                let pause = after.map_or(wait, |after| after.min(MOST_RETRY_AFTER_SECS).max(wait));
                failed(pause, why);
                backoff(pause).await;
                if !go_on() {
                    return None;
                }
                wait = next_backoff(wait);
            }
        }
    }
}

/// Resolves after `ms` milliseconds, or at the window's `event` if sooner.
async fn wait(ms: i32, event: Option<&str>) {
    let mut wake = None;
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w
                .set_timeout_with_callback_and_timeout_and_arguments_0(resolve.unchecked_ref(), ms);
            if let Some(event) = event {
                let _ = w.add_event_listener_with_callback(event, &resolve);
            }
        }
        wake = Some(resolve);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
    if let (Some(w), Some(event), Some(resolve)) = (web_sys::window(), event, wake) {
        let _ = w.remove_event_listener_with_callback(event, &resolve);
    }
}

/// A call of a function once some seconds have passed since it was set or
/// last [`restart`](Alarm::restart)ed; none once the alarm is dropped.
struct Alarm {
    f: js_sys::Function,
    ms: i32,
    timer: std::cell::Cell<Option<i32>>,
    /// When it is due, by `Date.now()`.
    due: std::cell::Cell<f64>,
}

impl Alarm {
    /// Calls `f` after `secs` seconds; `None` without a window to time it.
    fn set(f: js_sys::Function, secs: u32) -> Option<Alarm> {
        web_sys::window()?;
        let alarm = Alarm {
            f,
            ms: i32::try_from(u64::from(secs) * 1000).unwrap_or(i32::MAX),
            timer: Default::default(),
            due: Default::default(),
        };
        alarm.restart();
        Some(alarm)
    }

    /// Starts the wait again from now.
    fn restart(&self) {
        let Some(w) = web_sys::window() else { return };
        if let Some(timer) = self.timer.take() {
            w.clear_timeout_with_handle(timer);
        }
        self.due.set(js_sys::Date::now() + f64::from(self.ms));
        self.timer.set(
            w.set_timeout_with_callback_and_timeout_and_arguments_0(&self.f, self.ms)
                .ok(),
        );
    }

    /// Whether the time has run out (and `f` been called, or about to be);
    /// within 50 ms of it counts, as a timer's clock and `Date.now()` may
    /// round apart.
    fn rang(&self) -> bool {
        js_sys::Date::now() + 50.0 >= self.due.get()
    }
}

impl Drop for Alarm {
    fn drop(&mut self) {
        if let (Some(w), Some(timer)) = (web_sys::window(), self.timer.take()) {
            w.clear_timeout_with_handle(timer);
        }
    }
}

/// `object`'s method `name`, bound to it: a function to call with no
/// closure to keep alive.
pub(crate) fn bound(object: &JsValue, name: &str) -> Option<js_sys::Function> {
    js_sys::Reflect::get(object, &name.into())
        .ok()?
        .dyn_into::<js_sys::Function>()
        .ok()
        .map(|f| f.bind0(object))
}

/// A limit on how long a fetch may wait for its answer: it is aborted when
/// `secs` have passed instead of waiting on a connection that went silent
/// (the browser's own limit is minutes). The timer stops when this is
/// dropped.
pub struct Deadline {
    /// None where the browser has no `AbortController`: no limit then.
    controller: Option<web_sys::AbortController>,
    _alarm: Option<Alarm>,
    secs: u32,
}

impl Deadline {
    /// Starts the clock.
    pub fn start(secs: u32) -> Deadline {
        let controller = web_sys::AbortController::new().ok();
        let alarm = controller
            .as_ref()
            .and_then(|c| Alarm::set(bound(c, "abort")?, secs));
        Deadline {
            controller,
            _alarm: alarm,
            secs,
        }
    }

    /// `request`, aborted at the deadline.
    pub fn apply(&self, request: gloo_net::http::RequestBuilder) -> gloo_net::http::RequestBuilder {
        request.abort_signal(self.signal().as_ref())
    }

    /// The signal that fires at the deadline.
    pub fn signal(&self) -> Option<web_sys::AbortSignal> {
        self.controller.as_ref().map(|c| c.signal())
    }

    /// Why a fetch under this deadline failed: "no answer within 20 s"
    /// when the time ran out, else the browser's error.
    pub fn why(&self, error: &gloo_net::Error) -> String {
        match self.signal() {
            Some(s) if s.aborted() => format!("no answer within {} s", self.secs),
            _ => error.to_string(),
        }
    }
}

/// Sends `body` to `url` by `PUT` with `headers`, telling `loaded` how many
/// of its bytes are on their way as they go: an `XMLHttpRequest`, because a
/// fetch says nothing of its body until the answer. It is given up when
/// `silence_secs` pass with no byte moving and, once all are sent, no
/// answer. The answer's status, text and `Retry-After` ([`retry_after`]),
/// or why there was none.
pub async fn put(
    url: &str,
    headers: &[(&str, &str)],
    body: &web_sys::Blob,
    silence_secs: u32,
    loaded: impl Fn(u64) + 'static,
) -> Result<(u16, String, Option<u32>), String> {
    let failed = |e: JsValue| {
        e.as_string()
            .unwrap_or_else(|| "the browser could not send it".into())
    };
    let xhr = web_sys::XmlHttpRequest::new().map_err(failed)?;
    xhr.open_with_async("PUT", url, true).map_err(failed)?;
    for (name, value) in headers {
        xhr.set_request_header(name, value).map_err(failed)?;
    }
    let alarm = bound(&xhr, "abort")
        .and_then(|abort| Alarm::set(abort, silence_secs))
        .map(std::rc::Rc::new);
    let heard = alarm.clone();
    let progress = wasm_bindgen::closure::Closure::<dyn Fn(web_sys::ProgressEvent)>::new(
        move |e: web_sys::ProgressEvent| {
            if let Some(alarm) = &heard {
                alarm.restart();
            }
            loaded(e.loaded() as u64)
        },
    );
    let upload = xhr.upload().ok();
    if let Some(upload) = &upload {
        upload.set_onprogress(Some(progress.as_ref().unchecked_ref()));
    }
    // Settles once the request ends, however it ends.
    let mut sent = Ok(());
    let ended = js_sys::Promise::new(&mut |resolve, _| {
        xhr.set_onloadend(Some(&resolve));
        sent = xhr.send_with_opt_blob(Some(body));
    });
    sent.map_err(failed)?;
    let _ = wasm_bindgen_futures::JsFuture::from(ended).await;
    if let Some(upload) = &upload {
        upload.set_onprogress(None);
    }
    match xhr.status().unwrap_or(0) {
        0 if alarm.is_some_and(|a| a.rang()) => Err(format!("nothing moved for {silence_secs} s")),
        0 => Err("no connection to the shop".into()),
        status => Ok((
            status,
            xhr.response_text().ok().flatten().unwrap_or_default(),
            retry_after(xhr.get_response_header("retry-after").ok().flatten()),
        )),
    }
}

/// Whether an HTTP status says the shop may answer better later: its own
/// failure (5xx), a timeout (408) or too many requests (429).
pub fn transient(status: u16) -> bool {
    status >= 500 || status == 408 || status == 429
}
