//! The built-in policies. They are policy files like any shop's: this module
//! only ships their text.

/// The names of the built-in presets.
pub const NAMES: [&str; 2] = ["htvront", "xtelary"];

/// The JSON text of a built-in preset.
pub fn source(name: &str) -> Option<&'static str> {
    match name {
        "htvront" => Some(include_str!("../policies/htvront.json")),
        "xtelary" => Some(include_str!("../policies/xtelary.json")),
        _ => None,
    }
}
