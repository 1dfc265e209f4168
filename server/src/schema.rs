//! The payload's JSON Schema (`schema/request-payload.schema.json`, the same
//! file the docs publish), compiled once; errors name the field at fault.

use jsonschema::error::ValidationErrorKind;
use jsonschema::paths::LocationSegment;
use serde_json::Value;

use crate::intake::Reply;

/// The schema text, as published.
pub const SOURCE: &str = include_str!("../../schema/request-payload.schema.json");

/// The compiled payload schema.
pub struct PayloadSchema(jsonschema::Validator);

impl PayloadSchema {
    /// Compiles the published schema, checking formats (`date-time`).
    pub fn new() -> Result<PayloadSchema, String> {
        let schema: Value =
            serde_json::from_str(SOURCE).map_err(|e| format!("the payload schema: {e}"))?;
        jsonschema::options()
            .should_validate_formats(true)
            .build(&schema)
            .map(PayloadSchema)
            .map_err(|e| format!("the payload schema: {e}"))
    }

    /// Checks a payload: the first error, as a 400 naming the field.
    pub fn check(&self, payload: &Value) -> Result<(), Reply> {
        let Some(error) = self.0.iter_errors(payload).next() else {
            return Ok(());
        };
        let mut field = String::new();
        for segment in error.instance_path().iter() {
            match segment {
                LocationSegment::Property(p) => {
                    if !field.is_empty() {
                        field.push('.');
                    }
                    field.push_str(&p);
                }
                LocationSegment::Index(i) => field.push_str(&format!("[{i}]")),
            }
        }
        let child = match error.kind() {
            ValidationErrorKind::Required { property } => property.as_str().map(str::to_owned),
            ValidationErrorKind::AdditionalProperties { unexpected } => unexpected.first().cloned(),
            _ => None,
        };
        if let Some(child) = child {
            if !field.is_empty() {
                field.push('.');
            }
            field.push_str(&child);
        }
        if field.is_empty() {
            field.push_str("body");
        }
        Err(Reply::invalid(400, &field, error.to_string()))
    }
}
