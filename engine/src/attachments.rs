//! Photos attached to a request: when the quote's steps ask for photos (step
//! id `photos`), the policy's [`PhotoRule`] says how many, of which types and
//! up to which size. The widget checks the files the customer picks, the
//! backend checks the metadata posted, with this one function.
//!
//! A file's media type is what its first bytes show ([`image_type`]), not
//! what its name suggests: the widget declares that type, and the backend
//! takes a photo's file only if its bytes show the type declared.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::policy::{PhotoRule, Policy};
use crate::quote::Quote;

/// What the payload says of one attached file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Attachment {
    /// The file's name.
    pub name: String,
    /// Its media type (`image/jpeg`).
    #[serde(rename = "type")]
    pub media_type: String,
    /// Its size in bytes.
    pub size: u64,
}

/// Why the attachments do not do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AttachmentProblem {
    /// Fewer photos than the policy asks for.
    TooFew {
        /// The least accepted.
        min: u32,
    },
    /// More than the policy takes.
    TooMany {
        /// The most accepted.
        max: u32,
    },
    /// A file of a type the policy does not take.
    Type {
        /// Its position.
        index: usize,
        /// Its name.
        name: String,
    },
    /// A file larger than the policy takes.
    TooLarge {
        /// Its position.
        index: usize,
        /// Its name.
        name: String,
        /// The limit in bytes.
        max_bytes: u64,
    },
    /// Files attached to a request whose steps ask for none.
    NotAsked,
}

impl AttachmentProblem {
    /// The payload field at fault.
    pub fn field(&self) -> String {
        match self {
            AttachmentProblem::Type { index, .. } => format!("attachments[{index}].type"),
            AttachmentProblem::TooLarge { index, .. } => format!("attachments[{index}].size"),
            _ => "attachments".into(),
        }
    }
}

impl fmt::Display for AttachmentProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AttachmentProblem::TooFew { min } => write!(f, "attach at least {}", photos(*min)),
            AttachmentProblem::TooMany { max } => write!(f, "attach at most {}", photos(*max)),
            AttachmentProblem::Type { name, .. } => {
                write!(f, "{name:?} is not an image type the shop takes")
            }
            AttachmentProblem::TooLarge {
                name, max_bytes, ..
            } => write!(f, "{name:?} is larger than {max_bytes} bytes"),
            AttachmentProblem::NotAsked => f.write_str("this request takes no attachments"),
        }
    }
}

/// "1 photo", "2 photos".
fn photos(n: u32) -> String {
    format!("{n} photo{}", if n == 1 { "" } else { "s" })
}

/// How many of a file's first bytes [`image_type`] needs to tell its type
/// (a HEIC file names its brands in a box of up to a few dozen bytes).
pub const HEAD_BYTES: usize = 256;

/// The media type a photo's first bytes show, among
/// [`PHOTO_TYPES`](crate::policy::PHOTO_TYPES): `image/jpeg`, `image/png`,
/// `image/webp` or `image/heic`; `None` for anything else (another image
/// format, a PDF, text), or too few bytes to tell. `head` is the start of
/// the file, [`HEAD_BYTES`] of it or the whole file if shorter.
pub fn image_type(head: &[u8]) -> Option<&'static str> {
    use infer::image;
    if image::is_jpeg(head) {
        Some("image/jpeg")
    } else if image::is_png(head) {
        Some("image/png")
    } else if head.starts_with(b"RIFF") && image::is_webp(head) {
        Some("image/webp")
    } else if image::is_heif(head) {
        Some("image/heic")
    } else {
        None
    }
}

/// The photo rule in force for a quote: the policy's, when the quote is
/// eligible and one of its steps is `photos`.
pub fn photos_asked<'p>(policy: &'p Policy, quote: &Quote) -> Option<&'p PhotoRule> {
    (quote.eligible && quote.steps.iter().any(|s| s.id == "photos")).then_some(&policy.photos)
}

/// Checks the attachments of a request with this quote: count first, then
/// each file's type and size, in order.
pub fn check_attachments(
    policy: &Policy,
    quote: &Quote,
    files: &[Attachment],
) -> Result<(), AttachmentProblem> {
    let Some(rule) = photos_asked(policy, quote) else {
        return if files.is_empty() {
            Ok(())
        } else {
            Err(AttachmentProblem::NotAsked)
        };
    };
    let count = files.len() as u64;
    if count < u64::from(rule.min) {
        return Err(AttachmentProblem::TooFew { min: rule.min });
    }
    if count > u64::from(rule.max) {
        return Err(AttachmentProblem::TooMany { max: rule.max });
    }
    for (index, file) in files.iter().enumerate() {
        if !rule.types.contains(&file.media_type) {
            return Err(AttachmentProblem::Type {
                index,
                name: file.name.clone(),
            });
        }
        if file.size > rule.max_bytes {
            return Err(AttachmentProblem::TooLarge {
                index,
                name: file.name.clone(),
                max_bytes: rule.max_bytes,
            });
        }
    }
    Ok(())
}
