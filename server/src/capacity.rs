//! Units already asked for. The engine quotes one request against one order;
//! the server also knows the order's other open requests, and refuses to let
//! two of them claim the same units (or two whole-order requests of a kind).

use serde::Deserialize;

/// An open (not rejected) request of the order, as far as capacity goes.
#[derive(Clone, Debug, PartialEq)]
pub struct Existing {
    /// Its kind.
    pub kind: String,
    /// The units it names per order line (empty: the whole order).
    pub lines: Vec<(String, u32)>,
}

#[derive(Deserialize)]
struct Lines {
    #[serde(default)]
    lines: Vec<Line>,
}

#[derive(Deserialize)]
struct Line {
    line_id: String,
    quantity: u32,
}

impl Existing {
    /// Reads a stored request's JSON (written by the server itself).
    pub fn from_request_json(kind: &str, request: &str) -> Existing {
        let lines = serde_json::from_str::<Lines>(request)
            .map(|l| {
                l.lines
                    .into_iter()
                    .map(|l| (l.line_id, l.quantity))
                    .collect()
            })
            .unwrap_or_default();
        Existing {
            kind: kind.to_owned(),
            lines,
        }
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

/// Checks a new request (`kind`, units per line) against the order's line
/// quantities and its open requests.
pub fn check(
    existing: &[Existing],
    kind: &str,
    lines: &[(String, u32)],
    order_lines: &[(String, u32)],
) -> Result<(), Overdrawn> {
    if lines.is_empty() {
        if existing
            .iter()
            .any(|e| e.kind == kind && e.lines.is_empty())
        {
            return Err(Overdrawn {
                field: "request.kind".into(),
                message: format!("a {kind} request for this order is already open"),
            });
        }
        return Ok(());
    }
    for (i, (line_id, quantity)) in lines.iter().enumerate() {
        let ordered = order_lines
            .iter()
            .find(|(id, _)| id == line_id)
            .map_or(0, |(_, q)| *q);
        let held: u32 = existing
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

    fn l(id: &str, q: u32) -> (String, u32) {
        (id.to_owned(), q)
    }

    #[test]
    fn units_held_by_open_requests_are_not_available() {
        let order = [l("L1", 3), l("L2", 1)];
        let open = [Existing {
            kind: "return".into(),
            lines: vec![l("L1", 2)],
        }];
        assert_eq!(check(&open, "return", &[l("L1", 1)], &order), Ok(()));
        let err = check(&open, "exchange", &[l("L2", 1), l("L1", 2)], &order).unwrap_err();
        assert_eq!(err.field, "request.lines[1].quantity");
        assert!(
            err.message.starts_with("only 1 of line L1 left"),
            "{}",
            err.message
        );
    }

    #[test]
    fn one_open_whole_order_request_per_kind() {
        let open = [Existing {
            kind: "cancel".into(),
            lines: vec![],
        }];
        assert!(check(&open, "cancel", &[], &[]).is_err());
        assert_eq!(check(&open, "claim", &[], &[]), Ok(()));
    }

    #[test]
    fn reads_stored_request_json() {
        let e = Existing::from_request_json(
            "return",
            r#"{"kind":"return","lines":[{"line_id":"L1","quantity":2}]}"#,
        );
        assert_eq!(e.lines, vec![l("L1", 2)]);
    }
}
