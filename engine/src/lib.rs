//! The aftersale policy engine.
//!
//! One function answers, for one order, one customer request and one instant,
//! an exact and explained [`Quote`] under a shop's [`Policy`]:
//!
//! ```
//! use aftersale_engine::{Policy, Scenario, quote};
//!
//! let policy = Policy::preset("xtelary").unwrap();
//! let scenario = Scenario::from_json(r#"{
//!   "now": "2026-03-02T08:00:00Z",
//!   "order": {
//!     "id": "A-1001", "currency": "USD", "placed_at": "2026-03-01T09:00:00Z",
//!     "shipped_at": null, "last_tracking_event_at": null, "delivered_at": null,
//!     "ship_from": "us_warehouse", "shipping_paid": "4.99", "exchanges_used": 0,
//!     "lines": [{ "id": "L1", "sku": "HTV-RED-12", "title": "Heat transfer vinyl, red",
//!                 "unit_price": "12.50", "quantity": 2, "tags": [] }]
//!   },
//!   "request": { "kind": "cancel", "reason": null, "lines": [], "resolution": null,
//!                "condition": null, "exchange_for": null }
//! }"#).unwrap();
//!
//! let q = quote(&policy, &scenario).unwrap();
//! assert!(q.eligible);
//! assert_eq!(q.clauses, ["xtelary.cancel_free"]);
//! assert_eq!(q.refund.to_string(), "29.99");
//! assert_eq!(q.deadline.unwrap().to_rfc3339(), "2026-03-02T09:00:00+00:00");
//! ```
//!
//! The crate has no web or IO dependency and compiles to WebAssembly (the
//! widget) and natively (the CLI, the backend). Money is decimal
//! ([`money`]), business days follow the policy's [`calendar`], a policy is
//! data ([`policy`]) whose conditions are the named [`rules`].

#![warn(missing_docs)]

pub mod attachments;
pub mod calendar;
pub mod capacity;
pub mod contact;
mod decide;
pub mod money;
pub mod overview;
pub mod policy;
pub mod presets;
pub mod quote;
pub mod rules;
pub mod scenario;
#[cfg(feature = "schema")]
pub mod schema;
mod strict;
pub mod terms;
pub mod timeline;
pub mod why;

pub use attachments::{
    Attachment, AttachmentProblem, HEAD_BYTES, check_attachments, image_type, photos_asked,
};
pub use money::{Amount, Currency, Money, MoneyError};
pub use overview::{Availability, Overview, OverviewEntry, overview};
pub use policy::{Policy, PolicyError, PolicyErrors};
pub use quote::{Assessment, Quote, Step, assess, quote};
pub use scenario::{Facts, InputError, Kind, Order, Reason, Request, Resolution, Scenario};
pub use terms::{AfterDelivery, Basket, CancellationPhase, InTransit, Terms, terms};
pub use timeline::{RefundTimeline, refund_timeline};
pub use why::Why;
