//! What an order's other requests leave to ask for. A quote answers one
//! request against one order; an order may already have requests the shop
//! holds open (anything not rejected: a settled return still holds its
//! units). Those requests must not contradict a new one:
//!
//! - two requests cannot claim the same units;
//! - a cancellation takes back every unit of the order, so it cannot stand
//!   beside a request for units of it (the units would be paid back twice:
//!   once with the order, once with their return);
//! - two whole-order requests of the same kind and reason cannot be open at
//!   once;
//! - the order's open exchanges count as exchanges used ([`exchanges`]), so a
//!   policy's limit on exchanges (`htvront.exchange`: one per order) sees
//!   them; an exchange quoted while another came in is refused rather than
//!   stored against a count that no longer holds.
//!
//! This is the shop's bookkeeping, not a policy clause: the same rules decide
//! what the widget offers ([`conflict`], [`left`]) and what the backend stores
//! ([`check`]), so the customer is not offered what the shop would refuse.

use crate::scenario::{Kind, Order, PastRequest, Reason, Request};

/// What an open request holds of its order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Holding {
    /// Its kind.
    pub kind: Kind,
    /// Its reason (`None` for a cancellation).
    pub reason: Option<Reason>,
    /// The units it holds, as (order line id, quantity); empty for a
    /// whole-order request (a cancellation, a claim that the order never
    /// came).
    pub lines: Vec<(String, u32)>,
}

impl Holding {
    /// What a request holds: its lines only when its kind and reason name
    /// units ([`Kind::names_units`]).
    pub fn of(request: &Request) -> Holding {
        let lines = if request.kind.names_units(request.reason) {
            request
                .lines
                .iter()
                .map(|l| (l.line_id.clone(), l.quantity))
                .collect()
        } else {
            Vec::new()
        };
        Holding {
            kind: request.kind,
            reason: request.reason,
            lines,
        }
    }

    /// What one of the order's past requests holds; `None` once the shop
    /// rejected it ([`PastRequest::holds`]).
    pub fn of_past(past: &PastRequest) -> Option<Holding> {
        past.holds().then(|| {
            Holding::of(&Request {
                kind: past.kind,
                reason: past.reason,
                lines: past.lines.clone(),
                resolution: None,
                condition: None,
                exchange_for: None,
            })
        })
    }

    /// "return, changed_mind": the kind and reason as the backend names them.
    fn what(kind: Kind, reason: Option<Reason>) -> String {
        match reason {
            Some(r) => format!("{}, {}", kind.as_str(), r.as_str()),
            None => kind.as_str().to_owned(),
        }
    }
}

impl PastRequest {
    /// Whether it still holds what it asked for: anything the shop did not
    /// reject (a refunded return still holds the units it returned).
    pub fn holds(&self) -> bool {
        self.status != "rejected"
    }
}

/// Why a request conflicts with the order's open requests, as named in the
/// backend's refusal (`conflict`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Conflict {
    /// Units of the request are held by other open requests.
    UnitsTaken,
    /// The same whole-order request (kind and reason) is open.
    AlreadyOpen,
    /// A cancellation is asked for while units are in open requests.
    UnitsInRequests,
    /// Units are asked for while a cancellation is open.
    OrderCancelled,
    /// An exchange was quoted against fewer open exchanges than there are now.
    ExchangeMeanwhile,
}

impl Conflict {
    /// Every conflict.
    pub const ALL: [Conflict; 5] = [
        Conflict::UnitsTaken,
        Conflict::AlreadyOpen,
        Conflict::UnitsInRequests,
        Conflict::OrderCancelled,
        Conflict::ExchangeMeanwhile,
    ];

    /// The name in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Conflict::UnitsTaken => "units_taken",
            Conflict::AlreadyOpen => "already_open",
            Conflict::UnitsInRequests => "units_in_requests",
            Conflict::OrderCancelled => "order_cancelled",
            Conflict::ExchangeMeanwhile => "exchange_meanwhile",
        }
    }

    /// The conflict of a JSON name; `None` for a name it does not know.
    pub fn parse(name: &str) -> Option<Conflict> {
        Conflict::ALL.into_iter().find(|c| c.as_str() == name)
    }
}

/// How many of the open requests are exchanges.
pub fn exchanges(open: &[Holding]) -> u32 {
    let n = open.iter().filter(|h| h.kind == Kind::Exchange).count();
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The order as its open requests left it, for quoting a new request and for
/// the page the widget reads: its open exchanges count as exchanges used.
pub fn apply(order: &mut Order, open: &[Holding]) {
    order.exchanges_used = order.exchanges_used.saturating_add(exchanges(open));
}

/// Units of an order line held by the open requests.
pub fn held(open: &[Holding], line_id: &str) -> u32 {
    open.iter()
        .flat_map(|h| &h.lines)
        .filter(|(id, _)| id == line_id)
        .map(|(_, q)| *q)
        .fold(0, u32::saturating_add)
}

/// Units of an order line of `ordered` units not held by the open requests.
pub fn left(open: &[Holding], line_id: &str, ordered: u32) -> u32 {
    ordered.saturating_sub(held(open, line_id))
}

/// Why no request of this kind and reason can be made beside the open ones,
/// for the lines it could name (`lines`, ids of the order's lines; empty:
/// every line): the same whole-order request is open, a cancellation while
/// units are in requests, units while a cancellation is open, or a request
/// for units when none are [`left`] of those lines. `None`: it can be made,
/// for the units left.
pub fn conflict(
    open: &[Holding],
    order: &Order,
    kind: Kind,
    reason: Option<Reason>,
    lines: &[String],
) -> Option<Conflict> {
    barred(open, kind, reason).or_else(|| {
        let none_left = order
            .lines
            .iter()
            .filter(|l| lines.is_empty() || lines.contains(&l.id))
            .all(|l| left(open, &l.id, l.quantity) == 0);
        (kind.names_units(reason) && none_left).then_some(Conflict::UnitsTaken)
    })
}

/// What keeps any request of this kind and reason from being made beside
/// the open ones, whatever units it names.
fn barred(open: &[Holding], kind: Kind, reason: Option<Reason>) -> Option<Conflict> {
    let names_units = kind.names_units(reason);
    if !names_units
        && open
            .iter()
            .any(|h| h.kind == kind && h.reason == reason && h.lines.is_empty())
    {
        return Some(Conflict::AlreadyOpen);
    }
    if kind == Kind::Cancel && open.iter().any(|h| !h.lines.is_empty()) {
        return Some(Conflict::UnitsInRequests);
    }
    if names_units && open.iter().any(|h| h.kind == Kind::Cancel) {
        return Some(Conflict::OrderCancelled);
    }
    None
}

/// Why a request asks for more than is left.
#[derive(Clone, Debug, PartialEq)]
pub struct Overdrawn {
    /// Which conflict it is, for the widget to word in the customer's language.
    pub conflict: Conflict,
    /// The field at fault.
    pub field: String,
    /// What is left, in words.
    pub message: String,
}

/// Checks a new request's holding against the order's line quantities
/// (`order_lines`: line id and units ordered) and what its open requests
/// hold. `exchanges_quoted` is the number of open exchanges the new request
/// was quoted with ([`exchanges`] when it was quoted); for a new exchange it
/// must still be the number now.
pub fn check(
    open: &[Holding],
    new: &Holding,
    order_lines: &[(String, u32)],
    exchanges_quoted: u32,
) -> Result<(), Overdrawn> {
    let refuse = |conflict, field: &str, message: String| {
        Err(Overdrawn {
            conflict,
            field: field.to_owned(),
            message,
        })
    };
    if new.kind == Kind::Exchange && exchanges(open) != exchanges_quoted {
        return refuse(
            Conflict::ExchangeMeanwhile,
            "request.kind",
            "another exchange of this order was requested meanwhile; quote this one again".into(),
        );
    }
    match barred(open, new.kind, new.reason) {
        Some(Conflict::AlreadyOpen) => {
            return refuse(
                Conflict::AlreadyOpen,
                "request.kind",
                format!(
                    "a request ({}) for this order is already open",
                    Holding::what(new.kind, new.reason)
                ),
            );
        }
        Some(Conflict::UnitsInRequests) => {
            let units: u32 = open
                .iter()
                .flat_map(|h| &h.lines)
                .map(|(_, q)| *q)
                .fold(0, u32::saturating_add);
            return refuse(
                Conflict::UnitsInRequests,
                "request.kind",
                format!(
                    "the order cannot be cancelled whole: {units} of its units are in other open requests"
                ),
            );
        }
        Some(conflict) => {
            return refuse(
                conflict,
                "request.lines",
                "the order is being cancelled (an open request): nothing of it can be asked for besides"
                    .into(),
            );
        }
        None => {}
    }
    for (i, (line_id, quantity)) in new.lines.iter().enumerate() {
        let ordered = order_lines
            .iter()
            .find(|(id, _)| id == line_id)
            .map_or(0, |(_, q)| *q);
        let left = left(open, line_id, ordered);
        if *quantity > left {
            return refuse(
                Conflict::UnitsTaken,
                &format!("request.lines[{i}].quantity"),
                format!(
                    "only {left} of line {line_id} left to request: {} of {ordered} are in other open requests",
                    held(open, line_id)
                ),
            );
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn l(id: &str, q: u32) -> (String, u32) {
        (id.to_owned(), q)
    }

    fn holding(kind: Kind, reason: Option<Reason>, lines: Vec<(String, u32)>) -> Holding {
        Holding {
            kind,
            reason,
            lines,
        }
    }

    fn returned(lines: Vec<(String, u32)>) -> Holding {
        holding(Kind::Return, Some(Reason::ChangedMind), lines)
    }

    fn cancel() -> Holding {
        holding(Kind::Cancel, None, vec![])
    }

    #[test]
    fn units_held_by_open_requests_are_not_available() {
        let order = [l("L1", 3), l("L2", 1)];
        let open = [returned(vec![l("L1", 2)])];
        assert_eq!((held(&open, "L1"), left(&open, "L1", 3)), (2, 1));
        assert_eq!(left(&open, "L2", 1), 1);
        assert_eq!(check(&open, &returned(vec![l("L1", 1)]), &order, 0), Ok(()));
        let two = holding(
            Kind::Exchange,
            Some(Reason::Damaged),
            vec![l("L2", 1), l("L1", 2)],
        );
        let err = check(&open, &two, &order, 0).unwrap_err();
        assert_eq!(err.conflict, Conflict::UnitsTaken);
        assert_eq!(err.field, "request.lines[1].quantity");
        assert!(
            err.message.starts_with("only 1 of line L1 left"),
            "{}",
            err.message
        );
    }

    #[test]
    fn one_open_whole_order_request_per_kind_and_reason() {
        let late = holding(Kind::Claim, Some(Reason::NotShippedInTime), vec![]);
        let open = [late.clone()];
        let err = check(&open, &late, &[], 0).unwrap_err();
        assert_eq!(err.conflict, Conflict::AlreadyOpen);
        assert!(
            err.message.contains("(claim, not_shipped_in_time)"),
            "{}",
            err.message
        );
        let lost = holding(Kind::Claim, Some(Reason::NotReceived), vec![]);
        assert_eq!(check(&open, &lost, &[], 0), Ok(()));
        assert_eq!(check(&open, &cancel(), &[], 0), Ok(()));
        assert_eq!(
            check(&[cancel()], &cancel(), &[], 0).unwrap_err().conflict,
            Conflict::AlreadyOpen
        );
    }

    #[test]
    fn a_claim_that_names_no_units_holds_none() {
        let request: Request = serde_json::from_value(json!({
            "kind": "claim", "reason": "not_received",
            "lines": [{ "line_id": "L1", "quantity": 3 }],
            "resolution": "reship", "condition": null, "exchange_for": null
        }))
        .unwrap();
        let h = Holding::of(&request);
        assert_eq!((h.kind, h.reason), (Kind::Claim, Some(Reason::NotReceived)));
        assert!(h.lines.is_empty());
    }

    #[test]
    fn a_past_request_holds_until_the_shop_rejects_it() {
        let past = |status: &str| -> PastRequest {
            serde_json::from_value(json!({
                "id": "r1", "kind": "return", "reason": "damaged",
                "lines": [{ "line_id": "L1", "quantity": 2 }],
                "status": status, "created_at": "2026-11-20T10:00:00Z"
            }))
            .unwrap()
        };
        for status in [
            "requested",
            "approved",
            "refunded",
            "a_status_of_another_shop",
        ] {
            let h = Holding::of_past(&past(status)).expect(status);
            assert_eq!(h.lines, [l("L1", 2)], "{status}");
        }
        assert_eq!(Holding::of_past(&past("rejected")), None);
    }

    #[test]
    fn a_cancellation_and_requests_for_units_exclude_each_other() {
        let order = [l("L1", 3), l("L2", 1)];
        let ret = returned(vec![l("L2", 1)]);
        let err = check(&[cancel()], &ret, &order, 0).unwrap_err();
        assert_eq!(err.field, "request.lines");
        assert_eq!(err.conflict, Conflict::OrderCancelled);
        let err = check(std::slice::from_ref(&ret), &cancel(), &order, 0).unwrap_err();
        assert_eq!(err.field, "request.kind");
        assert_eq!(err.conflict, Conflict::UnitsInRequests);
        assert!(err.message.contains("1 of its units"), "{}", err.message);
        // A claim that names no units (the order never came) holds none.
        let late = holding(Kind::Claim, Some(Reason::NotShippedInTime), vec![]);
        assert_eq!(check(&[late], &cancel(), &order, 0), Ok(()));
    }

    #[test]
    fn an_exchange_quoted_against_another_count_of_exchanges_is_refused() {
        let order = [l("L1", 3), l("L2", 1)];
        let open = [holding(
            Kind::Exchange,
            Some(Reason::ChangedMind),
            vec![l("L1", 1)],
        )];
        assert_eq!(exchanges(&open), 1);
        let new = holding(Kind::Exchange, Some(Reason::ChangedMind), vec![l("L2", 1)]);
        let err = check(&open, &new, &order, 0).unwrap_err();
        assert_eq!(err.conflict, Conflict::ExchangeMeanwhile);
        assert_eq!(check(&open, &new, &order, 1), Ok(()));
        // Other kinds are not quoted with the count.
        assert_eq!(check(&open, &returned(vec![l("L2", 1)]), &order, 0), Ok(()));
    }

    #[test]
    fn what_is_offered_follows_what_is_held() {
        let order: Order = serde_json::from_value(json!({
            "id": "A-1", "currency": "USD", "placed_at": "2026-11-01T09:00:00Z",
            "shipped_at": null, "last_tracking_event_at": null, "delivered_at": null,
            "ship_from": "us_warehouse", "shipping_paid": "0", "exchanges_used": 0,
            "lines": [
                { "id": "L1", "sku": "A", "title": "A", "unit_price": "1", "quantity": 2, "tags": [] },
                { "id": "L2", "sku": "B", "title": "B", "unit_price": "1", "quantity": 1, "tags": [] }
            ]
        }))
        .unwrap();
        let open = [returned(vec![l("L1", 2)])];
        let (ret, damaged) = (Kind::Return, Some(Reason::Damaged));
        assert_eq!(
            conflict(&open, &order, ret, damaged, &[]),
            None,
            "L2 is left"
        );
        assert_eq!(
            conflict(&open, &order, ret, damaged, &["L1".to_owned()]),
            Some(Conflict::UnitsTaken),
            "for L1 only, nothing is left"
        );
        assert_eq!(
            conflict(&open, &order, Kind::Cancel, None, &[]),
            Some(Conflict::UnitsInRequests)
        );
        assert_eq!(
            conflict(&[cancel()], &order, ret, damaged, &[]),
            Some(Conflict::OrderCancelled)
        );
        // A claim about the whole order stands beside an open cancellation,
        // whatever units are held.
        let lost = (Kind::Claim, Some(Reason::NotReceived));
        let all = [cancel(), returned(vec![l("L1", 2), l("L2", 1)])];
        assert_eq!(conflict(&all, &order, lost.0, lost.1, &[]), None);
        let lost_open = [holding(lost.0, lost.1, vec![])];
        assert_eq!(
            conflict(&lost_open, &order, lost.0, lost.1, &[]),
            Some(Conflict::AlreadyOpen)
        );
        for c in Conflict::ALL {
            assert_eq!(Conflict::parse(c.as_str()), Some(c));
        }
        assert_eq!(Conflict::parse("nope"), None);
    }
}
