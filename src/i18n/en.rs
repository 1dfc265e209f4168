//! English: the complete catalogue.

use super::{At, Key, Lang, PhotoCount};
use aftersale_engine::policy::{Anchor, ConditionAnswer, Party, Span, Window};
use aftersale_engine::scenario::ShipFrom;
use aftersale_engine::{Availability, Kind, Reason, Resolution, Why};

pub fn text(key: Key) -> &'static str {
    match key {
        Key::Kind(Kind::Cancel) => "Cancel the order",
        Key::Kind(Kind::Return) => "Return items",
        Key::Kind(Kind::Exchange) => "Exchange items",
        Key::Kind(Kind::Claim) => "Report a problem",
        Key::Reason(None) => "Any reason",
        Key::Reason(Some(Reason::ChangedMind)) => "I changed my mind",
        Key::Reason(Some(Reason::WrongItem)) => "Wrong item sent",
        Key::Reason(Some(Reason::Damaged)) => "Item arrived damaged",
        Key::Reason(Some(Reason::MissingItems)) => "Items missing from the parcel",
        Key::Reason(Some(Reason::NotShippedInTime)) => "Not shipped in time",
        Key::Reason(Some(Reason::NotReceived)) => "Parcel never arrived",
        Key::Reason(Some(Reason::LateForDeadline)) => "Arrived too late for my deadline",
        Key::Colon => ": ",
        Key::Aside => " ({t})",
        Key::Until => "until",
        Key::OpensAfter => "opens after",
        Key::Possible => "Possible",
        Key::NotPossible => "Not possible",
        Key::Refund => "Refund",
        Key::StoreCredit => "Store credit",
        Key::Compensation => "Compensation",
        Key::Fee => "Fee",
        Key::Reship => "We ship the items to you again",
        Key::PaidBy(Party::Customer) => "return shipping paid by you",
        Key::PaidBy(Party::Merchant) => "return shipping paid by the shop",
        Key::Days => "d",
        Key::Hours => "h",
        Key::Minutes => "min",
        Key::Seconds => "s",
        Key::ErrorTitle => "The after-sale options cannot be shown",
        Key::NotOffered => "Not offered",
        Key::IfYouOrderNow => "If you order now",
        Key::UntilItShips => "until it ships",
        Key::OnceShipped => "once it has shipped",
        Key::BeforeShipment => "Before it ships",
        Key::OnItsWay => "While it is on its way",
        Key::AfterDelivery => "After delivery",
        Key::LoadRetrying => {
            "No connection to the shop, so your order cannot be shown yet. Trying again in {n}\u{a0}s."
        }
        // Above: the texts the summaries of product and cart pages show.
        // The terms bundle (built without `orders`) stops here: its guard
        // is a constant, so the arms below, the order widget's texts, are
        // compiled out of it (4.2 KB of its wasm, brotli). A text a summary
        // shows goes above; the e2e product flow reads the summaries for
        // [`NOT_IN_TERMS_BUNDLE`](super::NOT_IN_TERMS_BUNDLE).
        _ if !cfg!(feature = "orders") => super::NOT_IN_TERMS_BUNDLE,
        Key::WhatYouCanDo => "What you can do with this order",
        Key::Availability(Availability::Open) => "Possible",
        Key::Availability(Availability::NotYet) => "Not yet",
        Key::Availability(Availability::Closed) => "Not possible",
        Key::TimeLeft => "{t} left",
        Key::Choose => "Choose",
        Key::Items => "Items",
        Key::Quantity => "Quantity",
        Key::Question(ConditionAnswer::Unused) => "The items are unused",
        Key::Question(ConditionAnswer::OriginalPackaging) => "They are in their original packaging",
        Key::Question(ConditionAnswer::Complete) => "Nothing is missing from the package",
        Key::ConditionLegend => "State of the items",
        Key::ResolutionLegend => "How would you like it settled?",
        Key::Resolution(Resolution::Refund) => "Refund",
        Key::Resolution(Resolution::StoreCredit) => "Store credit",
        Key::Resolution(Resolution::Reship) => "Ship again",
        Key::ExchangeFor => "Exchange for",
        Key::NewItem => "New item",
        Key::ExchangeNone => "Choose an item",
        Key::InStock => "in stock",
        Key::CustomerPays => "You pay",
        Key::SendBack => "Send the items back",
        Key::NothingToSendBack => "Nothing to send back",
        Key::NextSteps => "What to do next",
        Key::Why => "Why",
        Key::ClauseLabel => "Policy clause",
        Key::PickItems => "Choose the items and quantities this concerns.",
        Key::PickExchange => "Choose the item you want instead.",
        Key::NotFor => "Not for",
        Key::Email => "Your email",
        Key::Submit => "Submit request",
        Key::Sending => "Sending your request…",
        Key::RetryingIn => {
            "No connection to the shop. Your request is kept in this browser and sent again in {n}\u{a0}s."
        }
        Key::RetryingNotKept => {
            "No connection to the shop. This browser cannot keep your request, so keep this page open: it is sent again in {n}\u{a0}s."
        }
        Key::PendingRequest => "Your request",
        Key::Created => "Request received",
        Key::RequestId => "Request",
        Key::Rma => "RMA code",
        Key::StepRmaDone => {
            "Done: the shop gave your RMA code, {rma}. Give it whenever you write to the shop, and write it on the parcel."
        }
        Key::StepPhotosDone => "Done: your photos ({files}) were sent with your request.",
        Key::StepPhotoDone => "Done: your photo ({files}) was sent with your request.",
        Key::StepPhotosSending => {
            "Sending your photos: {sent} of {total} with the shop so far. Please keep this page open."
        }
        Key::StepPhotosRetrying => {
            "Your photos have not reached the shop yet ({sent} of {total} there). Trying again in {n}\u{a0}s; please keep this page open."
        }
        Key::PhotosBar => "Photos sent so far",
        Key::StepPhotosRefused => {
            "The shop did not take {name}: {message}. Please email your photos to its support and name your request."
        }
        Key::RefusedByShop => "The shop cannot accept this request",
        Key::NotTaken => {
            "The shop did not take this request. Try again later, or contact the shop with the message below."
        }
        Key::YourRequests => "Your requests for this order",
        Key::ReceivedAt => "Received",
        Key::StatusRequested => "Waiting for the shop",
        Key::StatusApproved => "Approved",
        Key::StatusItemReceived => "Item received by the shop",
        Key::StatusRefunded => "Refunded",
        Key::StatusCredited => "Store credit issued",
        Key::StatusReshipped => "Sent again",
        Key::StatusRejected => "Declined by the shop",
        Key::ConflictUnitsTaken => {
            "Some of these items are already in another open request for this order."
        }
        Key::ConflictAlreadyOpen => "The same request for this order is already open.",
        Key::ConflictUnitsInRequests => {
            "The order cannot be cancelled as a whole: some of its items are in other open requests."
        }
        Key::ConflictOrderCancelled => {
            "This order is being cancelled by an open request, so nothing else can be asked for it."
        }
        Key::ConflictExchangeMeanwhile => {
            "Another exchange for this order came in meanwhile. Reload the page to see what is still possible."
        }
        Key::AlreadyRequested => "Already requested",
        Key::AllUnitsRequested => {
            "Every item it could be for is already in your requests for this order."
        }
        Key::UnitsInYourRequests => "{n} already in your requests",
        Key::ConflictOther => "Another open request for this order conflicts with this one.",
        Key::QuoteChanged => "The shop's figures differ from those shown",
        Key::AcceptNewQuote => "Accept and submit",
        Key::StartAnother => "Start another request",
        Key::StopSending => "Stop sending",
        Key::Remove => "Remove",
        Key::PhotoRemove => "Remove {name}",
        Key::InvalidEmail => "Enter an email address the shop can answer.",
        Key::Photos => "Photos",
        Key::AddPhotos => "Add photos",
        Key::PhotosHint => {
            "{wanted}: {types}, up to {size} each. They go to the shop with your request."
        }
        Key::PhotoType => "{name}: the shop takes {types} images.",
        Key::PhotoTooLarge => "{name} is larger than {size}.",
        Key::PhotoNotAsked => "This request takes no photos.",
        Key::Review => "Review request",
        Key::ReviewTitle => "Check your request before sending it",
        Key::ReviewSentTitle => "Your request as the shop received it",
        Key::Change => "Change",
        Key::Request => "Request",
        Key::Email2 => "Email",
        Key::RefundWhen => "When the money arrives",
        Key::ReceivedOn => "If the shop receives the items on",
        Key::ProcessedBy => "Refund processed by",
        Key::CreditedBetween => "In your account between",
        Key::IfLateAfter => "Not there after",
    }
}

/// "24 hours", "1 day", "5 business days": the engine's own English.
fn span(s: Span) -> String {
    aftersale_engine::rules::describe_span(s)
}

fn anchor(a: Anchor) -> &'static str {
    match a {
        Anchor::Placed => "the order",
        Anchor::Shipped => "shipment",
        Anchor::Delivered => "delivery",
        Anchor::LastTracking => "the last tracking update",
    }
}

fn route(s: ShipFrom) -> &'static str {
    match s {
        ShipFrom::UsWarehouse => "from the US warehouse",
        ShipFrom::GlobalStandard => "by global standard delivery",
    }
}

fn state(a: ConditionAnswer) -> &'static str {
    match a {
        ConditionAnswer::Unused => "unused",
        ConditionAnswer::OriginalPackaging => "in their original packaging",
        ConditionAnswer::Complete => "complete",
    }
}

/// A window as the terms before buying show it: "within 30 days of the order".
pub fn window(w: Window) -> String {
    format!("within {} of {}", span(w.span()), anchor(w.from))
}

/// When an option on the way opens: "after 10 days without tracking news".
pub fn photo_count(count: PhotoCount) -> String {
    let photos = |n: u32| match n {
        1 => "one photo".to_owned(),
        n => format!("{n} photos"),
    };
    match count {
        PhotoCount::Wanted { min: 0, max } => format!("Attach up to {}", photos(max)),
        PhotoCount::Wanted { min, max } if min == max => format!("Attach {}", photos(max)),
        PhotoCount::Wanted { min, max } => format!("Attach {min} to {max} photos"),
        PhotoCount::TooFew(n) => format!("Attach at least {}.", photos(n)),
        PhotoCount::TooMany(n) => format!("Attach at most {}.", photos(n)),
        PhotoCount::Lost(1) => "The photo you picked stayed in the page you left and did not reach the shop. Please email it to its support and name your request.".to_owned(),
        PhotoCount::Lost(n) => format!(
            "The {n} photos you picked stayed in the page you left and did not reach the shop. Please email them to its support and name your request."
        ),
    }
}

pub fn silence(s: Span) -> String {
    format!("after {} without tracking news", span(s))
}

/// A reason of the engine as a sentence.
pub fn why(why: &Why, at: At) -> String {
    match why {
        Why::Shipped => "The order has shipped.".to_owned(),
        Why::NotShipped => "The order has not shipped yet.".to_owned(),
        Why::Delivered => "The order has been delivered.".to_owned(),
        Why::NotDelivered => "The order has not been delivered yet.".to_owned(),
        Why::WindowNotStarted { span: s, from } => format!(
            "The window of {} starts with {}, which has not happened yet.",
            span(*s),
            anchor(*from)
        ),
        Why::Within {
            span: s,
            from,
            until,
        } => match until {
            Some(t) => format!(
                "Within {} of {}, until {}.",
                span(*s),
                anchor(*from),
                at(*t)
            ),
            None => format!("Within {} of {}.", span(*s), anchor(*from)),
        },
        Why::WindowClosed {
            span: s,
            from,
            closed,
        } => format!(
            "The {} from {} ended on {}.",
            span(*s),
            anchor(*from),
            at(*closed)
        ),
        Why::PromiseNotStarted { span: s } => {
            format!("The {} shipping promise has not started.", span(*s))
        }
        Why::TrackedInTime { span: s, due } => format!(
            "The order got a tracking number within {} (by {}).",
            span(*s),
            at(*due)
        ),
        Why::AwaitingTracking { span: s, due } => format!(
            "The order still has until {} ({}) to get a tracking number.",
            at(*due),
            span(*s)
        ),
        Why::Untracked { span: s, due } => format!(
            "The order had no tracking number {} after it was placed ({}).",
            span(*s),
            at(*due)
        ),
        Why::TrackingRecent => "Tracking was updated recently.".to_owned(),
        Why::TrackingStale {
            span: s,
            last,
            ship_from,
        } => format!(
            "Tracking has not moved for more than {} (last update {}) on an order shipped {}.",
            span(*s),
            at(*last),
            route(*ship_from)
        ),
        Why::TrackingMoving {
            span: s,
            last,
            ship_from,
            lost_after,
        } => format!(
            "Tracking was last updated on {}; an order shipped {} counts as lost after {} without news, so after {}.",
            at(*last),
            route(*ship_from),
            span(*s),
            at(*lost_after)
        ),
        Why::ConditionUnanswered => {
            "Confirm that the items are unused, in their original packaging and complete."
                .to_owned()
        }
        Why::ConditionMet => {
            "The items are unused, in their original packaging and complete.".to_owned()
        }
        Why::ConditionMissing(missing) => format!(
            "The items must be {}.",
            super::list(Lang::En, missing.iter().map(|a| state(*a)))
        ),
        Why::NoneTagged { tag } => format!("No requested item is tagged “{tag}”."),
        Why::Tagged { titles, tag } => {
            format!(
                "{}: tagged “{tag}”, so not covered.",
                super::list(Lang::En, titles)
            )
        }
        Why::ExchangesLeft { used, limit } => {
            format!("{used} of {limit} exchanges used on this order.")
        }
        Why::ExchangesUsedUp { limit: 1 } => {
            "This order has already been exchanged once, the most allowed.".to_owned()
        }
        Why::ExchangesUsedUp { limit } => {
            format!("This order has already used all {limit} of its exchanges.")
        }
        Why::NotAChoice(r) => format!(
            "“{}” is not a choice here: this is settled as described.",
            text(Key::Resolution(*r))
        ),
        Why::NotOffered { asked, offered } => format!(
            "“{}” is not offered; the choices are: {}.",
            text(Key::Resolution(*asked)),
            offered
                .iter()
                .map(|r| text(Key::Resolution(*r)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Why::NotEnoughStock { stock } => {
            format!("Not enough items available. Only {stock} left.")
        }
    }
}
