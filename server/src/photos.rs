//! `PUT /api/requests/{id}/photos/{index}`: the files of the photos a request
//! declared in its payload's `attachments`, sent by the widget once the
//! request is stored. Only the request's sender may send them (it proves so
//! with the request's `Idempotency-Key`), each must be the file declared
//! (its media type and size, and bytes that show that type), and a photo
//! once stored is not replaced. A large photo may come in parts
//! (`Content-Range`, [`Part`]), kept until the last one completes it.

use aftersale_engine::{HEAD_BYTES, image_type};
use axum::http::HeaderMap;
use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::json;

use crate::AppState;
use crate::intake::{Reply, check_key, digest};
use crate::store::{PartStored, Photo, PhotoStored, Received, Storage, StoreError};
use headers::{ContentRange, HeaderMapExt};

/// Handles one photo, or part of one: `index` as it came in the path;
/// from `headers`, the `Idempotency-Key`, the `Content-Type` and the
/// `Content-Range` ([`Part`]).
pub async fn receive<S: Storage>(
    state: &AppState<S>,
    request_id: &str,
    index: &str,
    headers: &HeaderMap,
    body: &[u8],
    now: DateTime<Utc>,
) -> Reply {
    let header = |name| headers.get(name).and_then(|v| v.to_str().ok());
    let (key, media_type) = (header("idempotency-key"), header("content-type"));
    let part = match Part::of(headers) {
        Ok(p) => p,
        Err(r) => return r,
    };
    let key = match check_key(key) {
        Ok(k) => k,
        Err(r) => return r,
    };
    // The key's stored answer names the request it created.
    match state.store.answer(key.to_owned()).await {
        Ok(Some(answer))
            if serde_json::from_str::<serde_json::Value>(&answer.body)
                .is_ok_and(|b| b["request_id"] == request_id) => {}
        Ok(_) => {
            return Reply::invalid(
                403,
                "Idempotency-Key",
                format!("send the key request {request_id:?} was created with"),
            );
        }
        Err(e) => return Reply::internal(e),
    }
    let record = match state.store.request(request_id.to_owned()).await {
        Ok(Some(r)) => r,
        Ok(None) => return Reply::invalid(404, "id", format!("no request {request_id:?}")),
        Err(e) => return Reply::internal(e),
    };
    let declared = record.data.payload["attachments"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let Some((index, photo)) = index
        .parse::<u32>()
        .ok()
        .and_then(|i| Some((i, declared.get(i as usize)?)))
    else {
        return Reply::invalid(
            404,
            "index",
            format!(
                "the request declared {} photo(s), numbered from 0; {index:?} is not one of them",
                declared.len()
            ),
        );
    };
    let name = photo["name"].as_str().unwrap_or_default().to_owned();
    let declared_type = photo["type"].as_str().unwrap_or_default().to_owned();
    let size = photo["size"].as_u64().unwrap_or_default();
    let sent_type = media_type
        .and_then(|m| m.split(';').next())
        .map(str::trim)
        .unwrap_or_default();
    if !sent_type.eq_ignore_ascii_case(&declared_type) {
        return Reply::invalid(
            415,
            "Content-Type",
            format!("{name:?} was declared as {declared_type}; send it as that, not {sent_type:?}"),
        );
    }
    let declared = Declared {
        request_id,
        index,
        name,
        media_type: declared_type,
        size,
    };
    match part {
        Part::Whole => store_whole(state, &declared, body.to_vec(), now).await,
        Part::Status { total } | Part::Bytes { total, .. } if total != size => Reply::invalid(
            400,
            "Content-Range",
            format!(
                "{:?} was declared as {size} bytes, not {total}",
                declared.name
            ),
        ),
        Part::Status { .. } if !body.is_empty() => Reply::invalid(
            400,
            "body",
            "a Content-Range of bytes */TOTAL asks how much is in; it carries no bytes",
        ),
        Part::Status { .. } => match state
            .store
            .photo_received(request_id.to_owned(), index)
            .await
        {
            Ok(Received::Whole) => stored(index),
            Ok(Received::Bytes(n)) => partial(index, n),
            Err(e) => Reply::internal(e),
        },
        Part::Bytes { first, last, .. } => {
            store_part(state, &declared, first, last, body, now).await
        }
    }
}

/// Which bytes of a photo one `PUT` carries: its `Content-Range`, read by
/// [`Part::of`]. A large photo goes in parts, so that a connection lost
/// half way costs a part and not the photo: the sender asks how much is
/// in (`bytes */TOTAL`, no body) and sends the rest from there.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Part {
    /// No `Content-Range`: the whole file.
    Whole,
    /// `bytes */TOTAL` with no body: how much of the photo is in?
    Status {
        /// The file's size.
        total: u64,
    },
    /// `bytes FIRST-LAST/TOTAL`: bytes `first..=last` of a file of `total`.
    Bytes {
        /// The part's first byte, from 0.
        first: u64,
        /// The part's last byte.
        last: u64,
        /// The file's size.
        total: u64,
    },
}

impl Part {
    /// Reads a `PUT`'s `Content-Range`, or the answer to one that is not
    /// `bytes FIRST-LAST/TOTAL` or `bytes */TOTAL`.
    pub fn of(headers: &HeaderMap) -> Result<Part, Reply> {
        let wrong = || {
            Reply::invalid(
                400,
                "Content-Range",
                "write it as bytes FIRST-LAST/TOTAL (a part) or bytes */TOTAL (how much is in?)",
            )
        };
        let range = headers
            .typed_try_get::<ContentRange>()
            .map_err(|_| wrong())?;
        let Some(range) = range else {
            return Ok(Part::Whole);
        };
        let total = range.bytes_len().ok_or_else(wrong)?;
        Ok(match range.bytes_range() {
            None => Part::Status { total },
            Some((first, last)) => Part::Bytes { first, last, total },
        })
    }
}

/// The photo of a request's payload that a `PUT` is for.
struct Declared<'a> {
    request_id: &'a str,
    index: u32,
    name: String,
    media_type: String,
    size: u64,
}

/// `{"status": "stored", "index": ...}`: the photo is in, whole.
fn stored(index: u32) -> Reply {
    Reply {
        status: 200,
        body: json!({ "status": "stored", "index": index }),
    }
}

/// 202 `{"status": "partial", "index": ..., "received": ...}`: the first
/// `received` bytes of the photo are in; send the rest from there.
fn partial(index: u32, received: u64) -> Reply {
    Reply {
        status: 202,
        body: json!({ "status": "partial", "index": index, "received": received }),
    }
}

/// Appends bytes `first..=last` of a photo (`body`); stores the photo once
/// they are all in.
async fn store_part<S: Storage>(
    state: &AppState<S>,
    photo: &Declared<'_>,
    first: u64,
    last: u64,
    body: &[u8],
    now: DateTime<Utc>,
) -> Reply {
    let Declared {
        request_id,
        index,
        size,
        ..
    } = *photo;
    if last >= size {
        return Reply::invalid(
            400,
            "Content-Range",
            format!("bytes {first}-{last} end past the file's {size} bytes"),
        );
    }
    let expected = last - first + 1;
    if body.len() as u64 != expected {
        return Reply::invalid(
            400,
            "body",
            format!(
                "bytes {first}-{last} of {:?} are {expected}; {} came",
                photo.name,
                body.len()
            ),
        );
    }
    // A first part long enough to tell shows whether the file is the image
    // declared, before the rest is sent.
    if first == 0
        && body.len() >= HEAD_BYTES.min(size as usize)
        && let Err(r) = check_type(photo, body)
    {
        return r;
    }
    let appended = state
        .store
        .put_photo_part(
            request_id.to_owned(),
            index,
            first,
            body.to_vec(),
            now.to_rfc3339_opts(SecondsFormat::Millis, true),
        )
        .await;
    match appended {
        Ok(PartStored::Appended(n)) if n < size => partial(index, n),
        Ok(PartStored::Appended(_)) => {
            let bytes = match state.store.photo_parts(request_id.to_owned(), index).await {
                Ok(b) => b,
                Err(e) => return Reply::internal(e),
            };
            let reply = store_whole(state, photo, bytes, now).await;
            if (400..500).contains(&reply.status) {
                // Not the photo declared: its parts are let go of, and
                // the sender is told why.
                if let Err(e) = state
                    .store
                    .drop_photo_parts(request_id.to_owned(), index)
                    .await
                {
                    return Reply::internal(e);
                }
            }
            reply
        }
        Ok(PartStored::Elsewhere(n)) => {
            let mut reply = Reply::invalid(
                409,
                "Content-Range",
                format!(
                    "{n} bytes of {:?} are in; send the rest from byte {n}",
                    photo.name
                ),
            );
            reply.body["received"] = n.into();
            reply
        }
        Ok(PartStored::Whole) => stored(index),
        Ok(PartStored::NoRequest) => {
            Reply::invalid(404, "id", format!("no request {request_id:?}"))
        }
        Err(e) => Reply::internal(e),
    }
}

/// Whether the first bytes of `body` show the media type declared.
fn check_type(photo: &Declared<'_>, body: &[u8]) -> Result<(), Reply> {
    let shown = image_type(&body[..body.len().min(HEAD_BYTES)]);
    if shown == Some(photo.media_type.as_str()) {
        return Ok(());
    }
    let shown = shown.unwrap_or("no image type the shop takes");
    Err(Reply::invalid(
        415,
        "body",
        format!(
            "{:?} was declared as {}, but its bytes are {shown}",
            photo.name, photo.media_type
        ),
    ))
}

/// Stores a photo's whole file, if it is the file declared.
async fn store_whole<S: Storage>(
    state: &AppState<S>,
    declared: &Declared<'_>,
    body: Vec<u8>,
    now: DateTime<Utc>,
) -> Reply {
    let Declared {
        request_id,
        index,
        size,
        ..
    } = *declared;
    if body.len() as u64 != size {
        return Reply::invalid(
            400,
            "body",
            format!(
                "{:?} was declared as {size} bytes; {} came",
                declared.name,
                body.len()
            ),
        );
    }
    // The bytes must be the image declared, whatever the sender says.
    if let Err(r) = check_type(declared, &body) {
        return r;
    }
    let sha256 = digest(&body);
    let photo = Photo {
        index,
        name: declared.name.clone(),
        media_type: declared.media_type.clone(),
        size,
        sha256: sha256.clone(),
        received_at: now.to_rfc3339_opts(SecondsFormat::Millis, true),
    };
    let stored = state
        .store
        .put_photo(request_id.to_owned(), photo, body)
        .await;
    let status = match stored {
        Ok(PhotoStored::Stored) => 201,
        Ok(PhotoStored::Same) => 200,
        Ok(PhotoStored::Different) => {
            return Reply::invalid(
                409,
                "body",
                format!("another file is already stored as photo {index} of this request"),
            );
        }
        Ok(PhotoStored::NoRequest) => {
            return Reply::invalid(404, "id", format!("no request {request_id:?}"));
        }
        Err(e) => return Reply::internal(e),
    };
    Reply {
        status,
        body: json!({ "status": "stored", "index": index, "sha256": sha256 }),
    }
}

/// Lets go of the parts of photos begun and not finished within `kept` of
/// `now` (their last part came earlier): how many photos. A customer coming
/// back later starts such a photo again from its first byte.
pub async fn drop_unfinished<S: Storage>(
    store: &S,
    now: DateTime<Utc>,
    kept: chrono::Duration,
) -> Result<u64, StoreError> {
    let before = (now - kept).to_rfc3339_opts(SecondsFormat::Millis, true);
    store.drop_unfinished_photos(before).await
}

/// Runs [`drop_unfinished`] now and then `every` while the server runs,
/// saying on standard error what it dropped or why it could not.
pub async fn keep_dropping_unfinished<S: Storage>(
    state: std::sync::Arc<AppState<S>>,
    kept: chrono::Duration,
    every: std::time::Duration,
) {
    let mut ticks = tokio::time::interval(every);
    loop {
        ticks.tick().await;
        match drop_unfinished(&state.store, Utc::now(), kept).await {
            Ok(0) => {}
            Ok(n) => eprintln!(
                "aftersale-server: dropped the parts of {n} photo(s) unfinished for {} day(s)",
                kept.num_days()
            ),
            Err(e) => eprintln!("aftersale-server: unfinished photos not dropped: {e}"),
        }
    }
}
