//! Units already asked for. The engine quotes one request against one order;
//! the server also knows the order's other open (not rejected) requests, and
//! keeps them from contradicting each other:
//!
//! - two requests cannot claim the same units;
//! - a cancellation takes back every unit of the order, so it cannot be open
//!   beside a request for units of it (else the units would be paid back
//!   twice: once with the order, once with their return);
//! - two whole-order requests of the same kind and reason cannot be open at once;
//! - the order's open exchanges count as exchanges used ([`exchanges`]), so a
//!   policy's limit on exchanges (`htvront.exchange`: one per order) sees them;
//!   a request quoted while another exchange came in is refused, not stored
//!   against a count that no longer holds.

use aftersale_engine::{Kind, Order, Request};

/// What an open (not rejected) request holds.
#[derive(Clone, Debug, PartialEq)]
pub struct Holding {
    /// Its kind and reason (`claim/not_received`; `cancel` has no reason).
    pub what: String,
    /// Its kind; `None` for a stored row that no longer reads as a request.
    pub kind: Option<Kind>,
    /// The units it names per order line; empty for a whole-order request
    /// (a cancellation, a claim that the order never came).
    pub lines: Vec<(String, u32)>,
}

impl Holding {
    /// What a request holds: its lines only when its kind and reason name
    /// units ([`aftersale_engine::Kind::names_units`]).
    pub fn of(request: &Request) -> Holding {
        let what = match request.reason {
            Some(r) => format!("{}/{}", request.kind.as_str(), r.as_str()),
            None => request.kind.as_str().to_owned(),
        };
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
            what,
            kind: Some(request.kind),
            lines,
        }
    }

    /// Reads a stored request's JSON (written by the server from a
    /// [`Request`]); an unreadable row holds nothing.
    pub fn from_request_json(request: &str) -> Holding {
        serde_json::from_str::<Request>(request)
            .map(|r| Holding::of(&r))
            .unwrap_or(Holding {
                what: String::new(),
                kind: None,
                lines: Vec::new(),
            })
    }

    fn is(&self, kind: Kind) -> bool {
        self.kind == Some(kind)
    }
}

/// How many of the open requests are exchanges.
pub fn exchanges(open: &[Holding]) -> u32 {
    let n = open.iter().filter(|h| h.is(Kind::Exchange)).count();
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The order as its open requests left it, for quoting a new request and for
/// the page the widget reads: its open exchanges count as exchanges used.
pub fn apply(order: &mut Order, open: &[Holding]) {
    order.exchanges_used = order.exchanges_used.saturating_add(exchanges(open));
}

/// The kinds of conflict with the order's open requests, named in the
/// refusal's `conflict` field.
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

/// Checks a new request's holding against the order's line quantities and
/// what its open requests hold. `exchanges_quoted` is the number of open
/// exchanges the new request was quoted with ([`exchanges`] when it was
/// quoted); for a new exchange it must still be the number now.
pub fn check(
    open: &[Holding],
    new: &Holding,
    order_lines: &[(String, u32)],
    exchanges_quoted: u32,
) -> Result<(), Overdrawn> {
    if new.is(Kind::Exchange) && exchanges(open) != exchanges_quoted {
        return Err(Overdrawn {
            conflict: Conflict::ExchangeMeanwhile,
            field: "request.kind".into(),
            message: "another exchange of this order was requested meanwhile; \
                      quote this one again"
                .into(),
        });
    }
    if new.lines.is_empty()
        && open
            .iter()
            .any(|e| e.what == new.what && e.lines.is_empty())
    {
        return Err(Overdrawn {
            conflict: Conflict::AlreadyOpen,
            field: "request.kind".into(),
            message: format!(
                "a request ({}) for this order is already open",
                new.what.replace('/', ", ")
            ),
        });
    }
    if new.is(Kind::Cancel) {
        let held: u32 = open.iter().flat_map(|e| &e.lines).map(|(_, q)| *q).sum();
        if held > 0 {
            return Err(Overdrawn {
                conflict: Conflict::UnitsInRequests,
                field: "request.kind".into(),
                message: format!(
                    "the order cannot be cancelled whole: {held} of its units are in other open requests"
                ),
            });
        }
        return Ok(());
    }
    if !new.lines.is_empty() && open.iter().any(|e| e.is(Kind::Cancel)) {
        return Err(Overdrawn {
            conflict: Conflict::OrderCancelled,
            field: "request.lines".into(),
            message: "the order is being cancelled (an open request): nothing of it \
                      can be asked for besides"
                .into(),
        });
    }
    for (i, (line_id, quantity)) in new.lines.iter().enumerate() {
        let ordered = order_lines
            .iter()
            .find(|(id, _)| id == line_id)
            .map_or(0, |(_, q)| *q);
        let held: u32 = open
            .iter()
            .flat_map(|e| &e.lines)
            .filter(|(id, _)| id == line_id)
            .map(|(_, q)| *q)
            .sum();
        let left = ordered.saturating_sub(held);
        if *quantity > left {
            return Err(Overdrawn {
                conflict: Conflict::UnitsTaken,
                field: format!("request.lines[{i}].quantity"),
                message: format!(
                    "only {left} of line {line_id} left to request: {held} of {ordered} are in other open requests"
                ),
            });
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

    fn holding(what: &str, lines: Vec<(String, u32)>) -> Holding {
        let kind = what
            .split('/')
            .next()
            .and_then(|k| Kind::ALL.into_iter().find(|kind| kind.as_str() == k));
        Holding {
            what: what.into(),
            kind,
            lines,
        }
    }

    #[test]
    fn units_held_by_open_requests_are_not_available() {
        let order = [l("L1", 3), l("L2", 1)];
        let open = [holding("return/changed_mind", vec![l("L1", 2)])];
        let one = holding("return/changed_mind", vec![l("L1", 1)]);
        assert_eq!(check(&open, &one, &order, 0), Ok(()));
        let two = holding("exchange/damaged", vec![l("L2", 1), l("L1", 2)]);
        let err = check(&open, &two, &order, 0).unwrap_err();
        assert_eq!(err.field, "request.lines[1].quantity");
        assert!(
            err.message.starts_with("only 1 of line L1 left"),
            "{}",
            err.message
        );
    }

    #[test]
    fn one_open_whole_order_request_per_kind_and_reason() {
        let open = [holding("claim/not_shipped_in_time", vec![])];
        assert!(check(&open, &holding("claim/not_shipped_in_time", vec![]), &[], 0).is_err());
        assert_eq!(
            check(&open, &holding("claim/not_received", vec![]), &[], 0),
            Ok(())
        );
        assert_eq!(check(&open, &holding("cancel", vec![]), &[], 0), Ok(()));
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
        assert_eq!(h.what, "claim/not_received");
        assert!(h.lines.is_empty());
        let stored = Holding::from_request_json(&serde_json::to_string(&request).unwrap());
        assert_eq!(stored, h);
    }

    #[test]
    fn a_cancellation_and_requests_for_units_exclude_each_other() {
        let order = [l("L1", 3), l("L2", 1)];
        let cancel = holding("cancel", vec![]);
        let ret = holding("return/changed_mind", vec![l("L2", 1)]);
        let err = check(std::slice::from_ref(&cancel), &ret, &order, 0).unwrap_err();
        assert_eq!(err.field, "request.lines");
        assert_eq!(err.conflict, Conflict::OrderCancelled);
        let err = check(std::slice::from_ref(&ret), &cancel, &order, 0).unwrap_err();
        assert_eq!(err.field, "request.kind");
        assert_eq!(err.conflict, Conflict::UnitsInRequests);
        assert!(err.message.contains("1 of its units"), "{}", err.message);
        // A claim that names no units (the order never came) holds none.
        let late = holding("claim/not_shipped_in_time", vec![]);
        assert_eq!(check(&[late], &cancel, &order, 0), Ok(()));
    }

    #[test]
    fn an_exchange_quoted_against_another_count_of_exchanges_is_refused() {
        let order = [l("L1", 3), l("L2", 1)];
        let open = [holding("exchange/changed_mind", vec![l("L1", 1)])];
        assert_eq!(exchanges(&open), 1);
        let new = holding("exchange/changed_mind", vec![l("L2", 1)]);
        let err = check(&open, &new, &order, 0).unwrap_err();
        assert_eq!(err.conflict, Conflict::ExchangeMeanwhile);
        assert_eq!(check(&open, &new, &order, 1), Ok(()));
        // Other kinds are not quoted with the count.
        let ret = holding("return/changed_mind", vec![l("L2", 1)]);
        assert_eq!(check(&open, &ret, &order, 0), Ok(()));
    }
}
