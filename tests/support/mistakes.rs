//! One mistake at a time in a JSON document (a policy, an order page), for
//! the tests that hold two readers to one format: the published schemas and
//! the engine (`cli/tests/schema.rs`), the widget's reader and the engine's
//! native one (`tests/browser.rs`).

use serde_json::{Value, json};

/// Every place in a JSON value, as a JSON pointer (`/clauses/0/when`), the
/// document itself (`""`) last.
pub fn pointers(value: &Value) -> Vec<String> {
    fn walk(value: &Value, at: String, out: &mut Vec<String>) {
        match value {
            Value::Object(map) => map.iter().for_each(|(k, v)| {
                walk(
                    v,
                    format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")),
                    out,
                )
            }),
            Value::Array(items) => items
                .iter()
                .enumerate()
                .for_each(|(i, v)| walk(v, format!("{at}/{i}"), out)),
            _ => {}
        }
        out.push(at);
    }
    let mut out = Vec::new();
    walk(value, String::new(), &mut out);
    out
}

/// Values a mistake may put anywhere: wrong types, and names the format
/// uses elsewhere (so that some changes are still good documents).
pub fn replacements() -> Vec<Value> {
    vec![
        json!(null),
        json!(true),
        json!(0),
        json!(5),
        json!(-1),
        json!(2.5),
        json!("5"),
        json!("x"),
        json!([]),
        json!({}),
        json!(["return"]),
        json!("return"),
        json!("changed_mind"),
        json!("days"),
        json!("business_days"),
        json!("delivered"),
        json!("customer"),
        json!("refund"),
        json!("sun"),
        json!("refuse"),
        json!("gate"),
        json!("+01:00"),
        json!("2026-12-25"),
        json!({ "shipped": true }),
        json!({ "shipped": true, "delivered": true }),
        json!({ "delivered": null }),
        json!({ "length": 3, "unit": "days", "from": "placed" }),
        json!("12.50"),
        json!("12.5x"),
        json!("USD"),
        json!("usd"),
        json!("2026-11-21T10:00:00Z"),
        json!("2026-11-21 10:00"),
        json!("us_warehouse"),
        json!("cancel"),
        json!([{ "line_id": "L1", "quantity": 1 }]),
    ]
}

/// One mistake at `at` (a pointer from [`pointers`]): `how % 3` is 0 to drop
/// the place, 1 to put `value` there, 2 to give the object there a field it
/// does not have (a place that is no object is left as it is).
pub fn mutate(document: &mut Value, at: &str, how: u8, value: Value) {
    let Some((parent, last)) = at.rsplit_once('/') else {
        return;
    };
    let Some(target) = document.pointer_mut(parent) else {
        return;
    };
    let last = last.replace("~1", "/").replace("~0", "~");
    match (how % 3, target) {
        (0, Value::Object(map)) => {
            map.remove(&last);
        }
        (0, Value::Array(items)) => {
            items.remove(last.parse::<usize>().unwrap());
        }
        (1, Value::Object(map)) => {
            map.insert(last, value);
        }
        (1, Value::Array(items)) => items[last.parse::<usize>().unwrap()] = value,
        (_, Value::Object(map)) => {
            map.insert("unheard_of".into(), value);
        }
        _ => {}
    }
}
