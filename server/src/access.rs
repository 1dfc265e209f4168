//! Who may read an order and send requests for it. The shop's order page
//! knows its order; a stranger who guesses an order number must not see it
//! or file a return against it.
//!
//! With a secret (`--order-secret`), each order has a key: HMAC-SHA256 of
//! the order id under the secret, its first 16 bytes in lowercase hex (32
//! characters). The shop's page puts it in the widget's URLs (`?key=`), and
//! `GET /api/orders/{id}` and `POST /api/requests` want it; the list of all
//! orders is not served. The shop's own backend makes the key the same way,
//! or asks `aftersale-server --print-order-key ID`. Without a secret, as in
//! the demo, anyone who knows an order id may read it.

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use crate::intake::Reply;

/// Bytes of the HMAC kept in a key (128 bits).
const KEY_BYTES: usize = 16;

/// The shortest secret taken.
const SECRET_CHARS: usize = 16;

/// Whether orders need their keys, and the secret they are made with.
#[derive(Clone, Debug, Default)]
pub struct OrderKeys(Option<Vec<u8>>);

impl OrderKeys {
    /// Orders open to anyone who knows an id (the demo).
    pub fn open() -> OrderKeys {
        OrderKeys(None)
    }

    /// Orders that need their keys, made with `secret` (16 characters or
    /// more).
    pub fn with_secret(secret: &str) -> Result<OrderKeys, String> {
        if secret.chars().count() < SECRET_CHARS {
            return Err(format!(
                "the order secret is shorter than {SECRET_CHARS} characters"
            ));
        }
        Ok(OrderKeys(Some(secret.as_bytes().to_vec())))
    }

    /// Whether anyone who knows an order id may read it.
    pub fn is_open(&self) -> bool {
        self.0.is_none()
    }

    /// The key of `order_id` (none when orders are open).
    pub fn key(&self, order_id: &str) -> Option<String> {
        let mac = self.mac(order_id)?;
        Some(hex::encode(&mac.finalize().into_bytes()[..KEY_BYTES]))
    }

    /// Whether `given` (the `key` of the query) opens `order_id`: a 403
    /// naming `key` if not, the same whether or not the order exists.
    pub fn check(&self, order_id: &str, given: Option<&str>) -> Result<(), Reply> {
        let Some(mac) = self.mac(order_id) else {
            return Ok(());
        };
        let Some(given) = given else {
            return Err(Reply::invalid(
                403,
                "key",
                "this order needs its key (?key=…), which the shop's order page gives",
            ));
        };
        let tag = hex::decode(given).ok().filter(|t| t.len() == KEY_BYTES);
        match tag.map(|t| mac.verify_truncated_left(&t)) {
            Some(Ok(())) => Ok(()),
            _ => Err(Reply::invalid(
                403,
                "key",
                format!("the key given does not open order {order_id:?}"),
            )),
        }
    }

    fn mac(&self, order_id: &str) -> Option<Hmac<Sha256>> {
        let secret = self.0.as_ref()?;
        let mut mac = Hmac::<Sha256>::new_from_slice(secret).ok()?;
        mac.update(order_id.as_bytes());
        Some(mac)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_opens_its_own_order_only() {
        let keys = OrderKeys::with_secret("a secret of some length").unwrap();
        let key = keys.key("X-105").unwrap();
        // Python: hmac.new(b"a secret of some length", b"X-105",
        // hashlib.sha256).hexdigest()[:32]
        assert_eq!(key, "2c7c99fa9520505019ba58cbf2690951");
        assert!(keys.check("X-105", Some(&key)).is_ok());
        assert!(keys.check("X-105", Some(&key.to_uppercase())).is_ok());
        let refused = |order: &str, given: Option<&str>| {
            keys.check(order, given)
                .err()
                .map(|r| (r.status, r.body["field"].clone()))
        };
        let forbidden = Some((403, serde_json::json!("key")));
        assert_eq!(refused("X-106", Some(&key)), forbidden);
        assert_eq!(refused("X-105", None), forbidden);
        assert_eq!(refused("X-105", Some(&key[..30])), forbidden);
        assert_eq!(refused("X-105", Some(&format!("{key}00"))), forbidden);
        assert_eq!(refused("X-105", Some("zz")), forbidden);
        // The same bytes spelt with a sign are no key.
        let signed = format!("+{}", &key[1..]);
        assert_eq!(refused("X-105", Some(&signed)), forbidden);
        assert_eq!(refused("X-105", Some("é1")), forbidden);
        // Another secret makes other keys.
        let other = OrderKeys::with_secret("another secret, as long").unwrap();
        assert_ne!(other.key("X-105").unwrap(), key);
        assert!(other.check("X-105", Some(&key)).is_err());
    }

    #[test]
    fn open_orders_need_no_key_and_a_short_secret_is_refused() {
        let open = OrderKeys::open();
        assert!(open.is_open());
        assert_eq!(open.key("X-105"), None);
        assert!(open.check("X-105", None).is_ok());
        assert!(open.check("X-105", Some("anything")).is_ok());
        let err = OrderKeys::with_secret("short").unwrap_err();
        assert!(err.contains("shorter than 16"), "{err}");
    }
}
