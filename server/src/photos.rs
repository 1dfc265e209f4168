//! `PUT /api/requests/{id}/photos/{index}`: the files of the photos a request
//! declared in its payload's `attachments`, sent by the widget once the
//! request is stored. Only the request's sender may send them (it proves so
//! with the request's `Idempotency-Key`), each must be the file declared
//! (its media type and size, and bytes that show that type), and a photo
//! once stored is not replaced.

use aftersale_engine::{HEAD_BYTES, image_type};
use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::json;

use crate::AppState;
use crate::intake::{Reply, check_key, digest};
use crate::store::{Photo, PhotoStored, Storage};

/// Handles one photo: `index` as it came in the path, `key` the
/// `Idempotency-Key` header, `media_type` the `Content-Type` header.
pub async fn receive<S: Storage>(
    state: &AppState<S>,
    request_id: &str,
    index: &str,
    key: Option<&str>,
    media_type: Option<&str>,
    body: &[u8],
    now: DateTime<Utc>,
) -> Reply {
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
    if body.len() as u64 != size {
        return Reply::invalid(
            400,
            "body",
            format!("{name:?} was declared as {size} bytes; {} came", body.len()),
        );
    }
    // The bytes must be the image declared, whatever the sender says.
    let shown = image_type(&body[..body.len().min(HEAD_BYTES)]);
    if shown != Some(declared_type.as_str()) {
        let shown = shown.unwrap_or("no image type the shop takes");
        return Reply::invalid(
            415,
            "body",
            format!("{name:?} was declared as {declared_type}, but its bytes are {shown}"),
        );
    }
    let sha256 = digest(body);
    let photo = Photo {
        index,
        name,
        media_type: declared_type,
        size,
        sha256: sha256.clone(),
        received_at: now.to_rfc3339_opts(SecondsFormat::Millis, true),
    };
    let stored = state
        .store
        .put_photo(request_id.to_owned(), photo, body.to_vec())
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
