//! The merchant's side: who may act (token → name), and which status a
//! request may move to, by the state machine and by what its quote settled.

use rust_decimal::Decimal;
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::store::RequestRecord;

/// Every status a request can have.
pub const STATUSES: [&str; 7] = [
    "requested",
    "approved",
    "item_received",
    "refunded",
    "credited",
    "reshipped",
    "rejected",
];

/// The merchants allowed to act, by token. Tokens are kept as SHA-256
/// digests and compared digest to digest.
#[derive(Clone, Debug, Default)]
pub struct Merchants(Vec<(String, [u8; 32])>);

impl Merchants {
    /// Reads `name:token,name:token`; a bare `token` is named `merchant`.
    /// One name may have several tokens (one replacing another), but a
    /// token has one name, which every change made with it records: a
    /// nameless token, or one given to two names, is an error.
    pub fn parse(spec: &str) -> Result<Merchants, String> {
        let mut list: Vec<(String, [u8; 32])> = Vec::new();
        for (i, item) in (spec.split(',').map(str::trim))
            .filter(|s| !s.is_empty())
            .enumerate()
        {
            let (name, token) = item.split_once(':').unwrap_or(("merchant", item));
            let name = name.trim();
            if name.is_empty() {
                // (Named by its place: a secret is not written out.)
                return Err(format!(
                    "merchant token {} has no name before its ':' (name:token)",
                    i + 1
                ));
            }
            if token.len() < 8 {
                return Err(format!(
                    "merchant token for {name:?} is shorter than 8 characters"
                ));
            }
            let digest: [u8; 32] = Sha256::digest(token.as_bytes()).into();
            if let Some((other, _)) = list.iter().find(|(n, d)| *d == digest && n != name) {
                return Err(format!(
                    "merchants {other:?} and {name:?} have the same token: each change records who made it"
                ));
            }
            list.push((name.to_owned(), digest));
        }
        Ok(Merchants(list))
    }

    /// The name of the merchant a bearer token belongs to.
    pub fn who(&self, token: &str) -> Option<&str> {
        let digest: [u8; 32] = Sha256::digest(token.as_bytes()).into();
        self.0
            .iter()
            .find(|(_, d)| *d == digest)
            .map(|(n, _)| n.as_str())
    }

    /// Whether any merchant can log in.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Why a change is not allowed.
#[derive(Debug, PartialEq)]
pub enum Refusal {
    /// Not a status at all.
    Unknown(String),
    /// The state machine does not go there from here.
    Order(String),
    /// The policy settled this request otherwise.
    Policy(String),
}

/// Whether the quote's figure `field` is more than zero.
fn pays(quote: &Value, field: &str) -> bool {
    quote[field]
        .as_str()
        .and_then(|s| s.parse::<Decimal>().ok())
        .is_some_and(|d| !d.is_zero())
}

/// Checks moving `r` to `to`: `requested → approved | rejected`;
/// `approved → item_received | refunded | credited | reshipped | rejected`;
/// `item_received → refunded | credited | reshipped | rejected`; the rest
/// are final. Then what the quote settled: `item_received` only when the
/// item comes back, and before any settlement if it does; `refunded` only
/// for money back to the payment method (refund or compensation, not an
/// exchange); `credited` only for store credit; `reshipped` only for a
/// reship or an exchange.
pub fn check(r: &RequestRecord, to: &str) -> Result<(), Refusal> {
    if !STATUSES.contains(&to) {
        return Err(Refusal::Unknown(format!(
            "{to:?} is not a status (one of {})",
            STATUSES.join(", ")
        )));
    }
    let from = r.status.as_str();
    let next: &[&str] = match from {
        "requested" => &["approved", "rejected"],
        "approved" => &[
            "item_received",
            "refunded",
            "credited",
            "reshipped",
            "rejected",
        ],
        "item_received" => &["refunded", "credited", "reshipped", "rejected"],
        _ => &[],
    };
    if !next.contains(&to) {
        return Err(Refusal::Order(if next.is_empty() {
            format!("the request is {from}, which is final")
        } else {
            format!(
                "a request that is {from} can become {}, not {to}",
                next.join(" or ")
            )
        }));
    }
    let q = &r.data.quote;
    let clause = q["clauses"][0].as_str().unwrap_or("the policy");
    let return_required = q["return_required"].as_bool().unwrap_or(false);
    let settles = matches!(to, "refunded" | "credited" | "reshipped");
    let policy = |why: String| Err(Refusal::Policy(format!("{why} ({clause})")));
    if to == "item_received" && !return_required {
        return policy("nothing is sent back for this request".into());
    }
    if settles && return_required && from != "item_received" {
        return policy("the item must be received back first".into());
    }
    let money_back = pays(q, "refund") || pays(q, "compensation");
    let credit = pays(q, "store_credit");
    let reship = q["reship"].as_bool().unwrap_or(false) || r.data.kind == "exchange";
    match to {
        "refunded" if reship => policy(format!(
            "the policy settles this {} by shipping an item, not by a refund",
            r.data.kind
        )),
        "refunded" if !money_back && credit => policy(format!(
            "the policy settles this {} with store credit, not a refund",
            r.data.kind
        )),
        "refunded" if !money_back => policy("there is no money to refund".into()),
        "credited" if !credit => policy(format!(
            "the policy gives no store credit for this {}",
            r.data.kind
        )),
        "reshipped" if !reship => policy(format!(
            "the policy settles this {} with money, not by shipping an item",
            r.data.kind
        )),
        _ => Ok(()),
    }
}

/// The statuses `r` may move to now, by the state machine and its quote:
/// what the merchant view offers.
pub fn next(r: &RequestRecord) -> Vec<&'static str> {
    STATUSES
        .into_iter()
        .filter(|to| check(r, to).is_ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::RequestData;
    use serde_json::json;

    fn record(kind: &str, status: &str, quote: Value) -> RequestRecord {
        RequestRecord {
            data: RequestData {
                id: "r".into(),
                order_id: "o".into(),
                kind: kind.into(),
                policy_id: "p".into(),
                policy_version: "1".into(),
                rma: None,
                request: Value::Null,
                quote,
                payload: Value::Null,
                order_snapshot: Value::Null,
                created_at: String::new(),
            },
            status: status.into(),
            events: vec![],
            photos: vec![],
        }
    }

    fn quote(refund: &str, credit: &str, reship: bool, ret: bool) -> Value {
        json!({ "clauses": ["x.clause"], "refund": refund, "store_credit": credit,
                "compensation": "0.00", "reship": reship, "return_required": ret })
    }

    #[test]
    fn a_store_credit_claim_cannot_be_refunded() {
        let r = record("claim", "approved", quote("0.00", "12.50", false, false));
        assert_eq!(
            check(&r, "refunded"),
            Err(Refusal::Policy(
                "the policy settles this claim with store credit, not a refund (x.clause)".into()
            ))
        );
        assert_eq!(check(&r, "credited"), Ok(()));
        assert!(matches!(
            check(&r, "item_received"),
            Err(Refusal::Policy(_))
        ));
    }

    #[test]
    fn a_return_is_settled_only_after_the_item_is_back() {
        let mut r = record("return", "approved", quote("179.55", "0.00", false, true));
        assert!(matches!(check(&r, "refunded"), Err(Refusal::Policy(_))));
        assert_eq!(check(&r, "item_received"), Ok(()));
        r.status = "item_received".into();
        assert_eq!(check(&r, "refunded"), Ok(()));
        assert!(matches!(check(&r, "reshipped"), Err(Refusal::Policy(_))));
    }

    #[test]
    fn the_order_of_states_holds() {
        let r = record("cancel", "requested", quote("10.00", "0.00", false, false));
        assert!(matches!(check(&r, "refunded"), Err(Refusal::Order(_))));
        assert!(matches!(check(&r, "shipped"), Err(Refusal::Unknown(_))));
        let done = record("cancel", "refunded", quote("10.00", "0.00", false, false));
        assert!(matches!(check(&done, "rejected"), Err(Refusal::Order(_))));
    }

    #[test]
    fn tokens_name_merchants() {
        let m = Merchants::parse("alice:secret-one, bob:secret-two").unwrap();
        assert_eq!(m.who("secret-two"), Some("bob"));
        assert_eq!(m.who("secret"), None);
        assert!(Merchants::parse("eve:short").is_err());
        // A name may have two tokens (one replacing the other) ...
        let m = Merchants::parse("alice:secret-one,alice:secret-new").unwrap();
        assert_eq!(m.who("secret-new"), Some("alice"));
        // ... but a token names one merchant, and has a name.
        assert_eq!(
            Merchants::parse("alice:secret-one,bob:secret-one").unwrap_err(),
            "merchants \"alice\" and \"bob\" have the same token: each change records who made it"
        );
        assert_eq!(
            Merchants::parse("alice:secret-one, :secret-two").unwrap_err(),
            "merchant token 2 has no name before its ':' (name:token)"
        );
    }
}
