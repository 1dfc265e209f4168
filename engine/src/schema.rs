//! The formats a shop writes, as JSON Schemas (draft 2020-12), for editors
//! and for checking what a shop's system produces: a policy file
//! (`schema/policy.schema.json`) and an order page's data
//! (`schema/page-data.schema.json`). Generated from the engine's own types,
//! so they say what the engine reads; only with the `schema` feature.

use schemars::JsonSchema;

use crate::Policy;
use crate::scenario::PageData;

/// The policy format: the fields, their types and names.
/// [`Policy::validate`] checks the rest (percentages within 0 to 100, ids
/// against each other, and so on).
pub fn policy() -> String {
    pretty::<Policy>("aftersale policy")
}

/// An order page's data (`data-order`, or what `data-order-url` answers):
/// the order, the items offered in exchange, the shop's requests. What
/// depends on more than one field (shipment after placement, unique line
/// ids, money within the currency's minor unit) is checked when the widget
/// or the engine reads it.
pub fn page_data() -> String {
    pretty::<PageData>("aftersale order page data")
}

fn pretty<T: JsonSchema>(title: &str) -> String {
    let mut schema = schemars::SchemaGenerator::default().into_root_schema_for::<T>();
    schema.insert("title".into(), title.into());
    let mut text = serde_json::to_string_pretty(&schema).expect("a schema is JSON");
    text.push('\n');
    text
}
