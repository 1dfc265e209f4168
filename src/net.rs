//! Waiting on the network: timers, the backoff between attempts, and a
//! deadline for an answer, shared by reading the order and sending a
//! request.

use wasm_bindgen::JsCast;

/// How long the shop may take to answer a read of the order or the policy
/// before the widget gives up on that attempt and tries again.
pub const READ_TIMEOUT_SECS: u32 = 20;

/// How long the shop may take to answer a request sent; a request whose
/// answer never came is sent again with its idempotency key, so the shop
/// stores it once however many times it arrived.
pub const SEND_TIMEOUT_SECS: u32 = 30;

/// How long one photo of `bytes` may take to reach the shop: a minute, and
/// a second for every 25 kB (a phone's uplink at 200 kbit/s, a slow mobile
/// connection): 7 min 40 s for 10 MB. A fixed limit would abort, and send
/// again from the start, every large photo on a slow connection, forever.
pub fn photo_timeout_secs(bytes: u64) -> u32 {
    let secs = 60 + bytes.div_ceil(25_000);
    u32::try_from(secs).unwrap_or(u32::MAX)
}

/// The wait before the next attempt: 1 s, 2 s, 4 s … 30 s.
fn next_backoff(secs: u32) -> u32 {
    (secs * 2).min(30)
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
/// waits them ([`backoff`]: 1 s, 2 s, 4 s … 30 s, less if the browser comes
/// back online), and goes on if `go_on()` still says so; `None` when it
/// did not. The one retry loop of the widget: reading the order, sending a
/// request, sending its photos.
pub async fn retry<T, Fut>(
    mut attempt: impl FnMut() -> Fut,
    mut failed: impl FnMut(u32, String),
    go_on: impl Fn() -> bool,
) -> Option<T>
where
    Fut: std::future::Future<Output = Result<T, String>>,
{
    let mut wait = 1;
    loop {
        match attempt().await {
            Ok(answer) => return Some(answer),
            Err(why) => {
                failed(wait, why);
                backoff(wait).await;
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

/// A limit on how long a fetch may wait for its answer: it is aborted when
/// `secs` have passed instead of waiting on a connection that went silent
/// (the browser's own limit is minutes). The timer stops when this is
/// dropped.
pub struct Deadline {
    /// None where the browser has no `AbortController`: no limit then.
    controller: Option<web_sys::AbortController>,
    timer: Option<i32>,
    secs: u32,
}

impl Deadline {
    /// Starts the clock.
    pub fn start(secs: u32) -> Deadline {
        let controller = web_sys::AbortController::new().ok();
        // The controller's own abort, bound to it: no closure to keep.
        let abort = controller.as_ref().and_then(|c| {
            js_sys::Reflect::get(c, &"abort".into())
                .ok()?
                .dyn_into::<js_sys::Function>()
                .ok()
                .map(|f| f.bind0(c))
        });
        let timer = abort.and_then(|abort| {
            web_sys::window()?
                .set_timeout_with_callback_and_timeout_and_arguments_0(&abort, secs as i32 * 1000)
                .ok()
        });
        Deadline {
            controller,
            timer,
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

impl Drop for Deadline {
    fn drop(&mut self) {
        if let (Some(w), Some(timer)) = (web_sys::window(), self.timer) {
            w.clear_timeout_with_handle(timer);
        }
    }
}

/// Whether an HTTP status says the shop may answer better later: its own
/// failure (5xx), a timeout (408) or too many requests (429).
pub fn transient(status: u16) -> bool {
    status >= 500 || status == 408 || status == 429
}
