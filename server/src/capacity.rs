//! Units already asked for. The engine quotes one request against one order;
//! the server also knows the order's other open requests, and refuses to let
//! two of them claim the same units, or two whole-order requests of the same
//! kind and reason be open at once.

use aftersale_engine::Request;

/// What an open (not rejected) request holds.
#[derive(Clone, Debug, PartialEq)]
pub struct Holding {
    /// Its kind and reason (`claim/not_received`; `cancel` has no reason).
    pub what: String,
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
        Holding { what, lines }
    }

    /// Reads a stored request's JSON (written by the server from a
    /// [`Request`]); an unreadable row holds nothing.
    pub fn from_request_json(request: &str) -> Holding {
        serde_json::from_str::<Request>(request)
            .map(|r| Holding::of(&r))
            .unwrap_or(Holding {
                what: String::new(),
                lines: Vec::new(),
            })
    }
}

/// Why a request asks for more than is left.
#[derive(Clone, Debug, PartialEq)]
pub struct Overdrawn {
    /// The field at fault.
    pub field: String,
    /// What is left, in words.
    pub message: String,
}

/// Checks a new request's holding against the order's line quantities and
/// what its open requests hold.
pub fn check(
    open: &[Holding],
    new: &Holding,
    order_lines: &[(String, u32)],
) -> Result<(), Overdrawn> {
    if new.lines.is_empty() {
        if open
            .iter()
            .any(|e| e.what == new.what && e.lines.is_empty())
        {
            return Err(Overdrawn {
                field: "request.kind".into(),
                message: format!(
                    "a request ({}) for this order is already open",
                    new.what.replace('/', ", ")
                ),
            });
        }
        return Ok(());
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
        Holding {
            what: what.into(),
            lines,
        }
    }

    #[test]
    fn units_held_by_open_requests_are_not_available() {
        let order = [l("L1", 3), l("L2", 1)];
        let open = [holding("return/changed_mind", vec![l("L1", 2)])];
        let one = holding("return/changed_mind", vec![l("L1", 1)]);
        assert_eq!(check(&open, &one, &order), Ok(()));
        let two = holding("exchange/damaged", vec![l("L2", 1), l("L1", 2)]);
        let err = check(&open, &two, &order).unwrap_err();
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
        assert!(check(&open, &holding("claim/not_shipped_in_time", vec![]), &[]).is_err());
        assert_eq!(
            check(&open, &holding("claim/not_received", vec![]), &[]),
            Ok(())
        );
        assert_eq!(check(&open, &holding("cancel", vec![]), &[]), Ok(()));
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
}
