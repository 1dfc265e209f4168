//! Reads a JS value, as `JSON.parse` gives it, into a serde type, and names
//! the field at fault when it cannot (`clauses[2].effect.grant.fee_percent`).
//!
//! serde-wasm-bindgen reads JS values and serde_path_to_error names the
//! field; together they cost the widget 10.7 KB (brotli), since the second
//! wraps every reader the first calls. This reader does both in one pass,
//! for JSON's values only (no `Map`, `BigInt` or bytes), and builds the
//! path on an error's way out: each level adds its key or index, so reading
//! costs nothing for it. A struct is read from an object only, never from
//! an array of its fields, as the engine reads natively.
//!
//! Its messages are serde's (and so the engine's native ones), with one
//! change of means: a float in a message is written by JavaScript, not by
//! Rust's float formatting, which would cost the bundle 6.4 KB for this
//! one use.

#![warn(missing_docs)]

use std::fmt;

use js_sys::{Array, Number, Object};
use serde::de::value::StrDeserializer;
use serde::de::{self, DeserializeSeed, IntoDeserializer, Unexpected, Visitor};
use wasm_bindgen::{JsCast, JsValue};

/// Reads a `T` from `value`.
pub fn read<T: de::DeserializeOwned>(value: JsValue) -> Result<T, Error> {
    T::deserialize(Value(value))
}

/// Why a value could not be read, and where.
#[derive(Debug)]
pub struct Error {
    /// The path from the field at fault out, innermost first.
    path: Vec<Segment>,
    message: String,
}

#[derive(Debug)]
enum Segment {
    Key(String),
    Index(u32),
}

impl Error {
    fn at(mut self, segment: Segment) -> Error {
        self.path.push(segment);
        self
    }

    /// The field at fault, `clauses[2].effect.grant.fee_percent` (empty:
    /// the value itself).
    pub fn field(&self) -> String {
        let mut out = String::new();
        for segment in self.path.iter().rev() {
            match segment {
                Segment::Key(k) if out.is_empty() => out.push_str(k),
                Segment::Key(k) => {
                    out.push('.');
                    out.push_str(k);
                }
                Segment::Index(i) => {
                    out.push('[');
                    out.push_str(&i.to_string());
                    out.push(']');
                }
            }
        }
        out
    }

    /// What is wrong there.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.field() {
            field if field.is_empty() => f.write_str(&self.message),
            field => write!(f, "{field}: {}", self.message),
        }
    }
}

impl std::error::Error for Error {}

impl de::Error for Error {
    fn custom<T: fmt::Display>(message: T) -> Error {
        Error {
            path: Vec::new(),
            message: message.to_string(),
        }
    }

    // serde's own wording, with the value named by `unexpected` below: its
    // `Display` for `Unexpected` prints a float with Rust's float
    // formatting (about 13 KB of code), which a reader of JSON numbers
    // gets from the browser instead.
    fn invalid_type(found: Unexpected<'_>, expected: &dyn de::Expected) -> Error {
        de::Error::custom(format_args!(
            "invalid type: {}, expected {expected}",
            unexpected(found)
        ))
    }

    fn invalid_value(found: Unexpected<'_>, expected: &dyn de::Expected) -> Error {
        de::Error::custom(format_args!(
            "invalid value: {}, expected {expected}",
            unexpected(found)
        ))
    }
}

/// A value as serde's `Unexpected` names it ("integer `5`", "string
/// \"x\"", "floating point `2.5`"), the float written by JavaScript.
fn unexpected(found: Unexpected<'_>) -> String {
    match found {
        Unexpected::Float(n) => {
            let text = String::from(
                Number::from(n)
                    .to_string_with_radix(10)
                    .unwrap_or_else(|_| "NaN".into()),
            );
            // As serde: a whole float with its point (`3.0`; one the
            // reader meets is beyond 2^53). Past 1e21 JavaScript writes an
            // exponent (`1e+21`) where serde writes every digit.
            let point = if text.contains(['.', 'e', 'N', 'I']) {
                ""
            } else {
                ".0"
            };
            format!("floating point `{text}{point}`")
        }
        other => other.to_string(),
    }
}

/// One JS value being read.
struct Value(JsValue);

impl Value {
    /// The value as serde names its kind in an error.
    #[cold]
    fn invalid_type(&self, expected: &dyn de::Expected) -> Error {
        let v = &self.0;
        let text;
        let unexpected = if v.is_null() || v.is_undefined() {
            // As serde_json names it: "invalid type: null".
            Unexpected::Other("null")
        } else if let Some(b) = v.as_bool() {
            Unexpected::Bool(b)
        } else if let Some(i) = self.integer() {
            // As serde_json names it: "integer `5`", not "floating point `5.0`".
            if i < 0.0 {
                Unexpected::Signed(i as i64)
            } else {
                Unexpected::Unsigned(i as u64)
            }
        } else if let Some(n) = v.as_f64() {
            Unexpected::Float(n)
        } else if let Some(s) = v.as_string() {
            text = s;
            Unexpected::Str(&text)
        } else if Array::is_array(v) {
            Unexpected::Seq
        } else {
            Unexpected::Map
        };
        de::Error::invalid_type(unexpected, expected)
    }

    fn is_object(&self) -> bool {
        self.0.is_object() && !Array::is_array(&self.0)
    }

    fn integer(&self) -> Option<f64> {
        Number::is_safe_integer(&self.0).then(|| self.0.unchecked_ref::<Number>().value_of())
    }
}

impl<'de> de::Deserializer<'de> for Value {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        if self.0.is_null() || self.0.is_undefined() {
            visitor.visit_unit()
        } else if let Some(b) = self.0.as_bool() {
            visitor.visit_bool(b)
        } else if let Some(i) = self.integer() {
            if i < 0.0 {
                visitor.visit_i64(i as i64)
            } else {
                visitor.visit_u64(i as u64)
            }
        } else if let Some(n) = self.0.as_f64() {
            visitor.visit_f64(n)
        } else if let Some(s) = self.0.as_string() {
            visitor.visit_string(s)
        } else if Array::is_array(&self.0) {
            self.deserialize_seq(visitor)
        } else {
            self.deserialize_map(visitor)
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0.as_bool() {
            Some(b) => visitor.visit_bool(b),
            None => Err(self.invalid_type(&visitor)),
        }
    }

    fn deserialize_i64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.integer() {
            Some(i) => visitor.visit_i64(i as i64),
            None => Err(self.invalid_type(&visitor)),
        }
    }

    fn deserialize_u64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.integer() {
            Some(i) if i >= 0.0 => visitor.visit_u64(i as u64),
            // A negative integer: the visitor says it is out of range.
            Some(i) => visitor.visit_i64(i as i64),
            None => Err(self.invalid_type(&visitor)),
        }
    }

    fn deserialize_i8<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_i64(visitor)
    }

    fn deserialize_i16<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_i64(visitor)
    }

    fn deserialize_i32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_i64(visitor)
    }

    fn deserialize_u8<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_u64(visitor)
    }

    fn deserialize_u16<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_u64(visitor)
    }

    fn deserialize_u32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_u64(visitor)
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0.as_f64() {
            Some(n) => visitor.visit_f64(n),
            None => Err(self.invalid_type(&visitor)),
        }
    }

    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_f64(visitor)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0.as_string() {
            Some(s) => visitor.visit_string(s),
            None => Err(self.invalid_type(&visitor)),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        if self.0.is_null() || self.0.is_undefined() {
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        if self.0.is_null() || self.0.is_undefined() {
            visitor.visit_unit()
        } else {
            Err(self.invalid_type(&visitor))
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0.dyn_ref::<Array>() {
            // `dyn_ref` asks `Array.isArray`.
            Some(items) => visitor.visit_seq(Items {
                items: items.clone(),
                next: 0,
            }),
            _ => Err(self.invalid_type(&visitor)),
        }
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        if self.is_object() {
            visitor.visit_map(Entries {
                entries: Object::entries(self.0.unchecked_ref()),
                next: 0,
                key: String::new(),
                value: JsValue::UNDEFINED,
            })
        } else {
            Err(self.invalid_type(&visitor))
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_map(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        if let Some(tag) = self.0.as_string() {
            return visitor.visit_enum(Variant { tag, value: None });
        }
        if !self.is_object() {
            // serde_json's words, as natively.
            return Err(self.invalid_type(&"string or map"));
        }
        let entries = Object::entries(self.0.unchecked_ref());
        if entries.length() != 1 {
            return Err(de::Error::invalid_value(
                Unexpected::Map,
                &"map with a single key",
            ));
        }
        let entry: Array = entries.get(0).unchecked_into();
        let tag = entry.get(0).as_string().unwrap_or_default();
        visitor.visit_enum(Variant {
            tag,
            value: Some(entry.get(1)),
        })
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        Err(self.invalid_type(&visitor))
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        Err(self.invalid_type(&visitor))
    }
}

/// An array's items, each error naming its index.
struct Items {
    items: Array,
    next: u32,
}

impl<'de> de::SeqAccess<'de> for Items {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        let Some(item) = self.advance() else {
            return Ok(None);
        };
        seed.deserialize(Value(item))
            .map(Some)
            .map_err(|e| self.index_error(e))
    }

    fn size_hint(&self) -> Option<usize> {
        Some((self.items.length() - self.next) as usize)
    }
}

// What does not depend on the type being read is kept out of line (here
// and in `Entries`): the readers above are compiled once per type read,
// and inlined there these few lines were compiled into each of them (the
// policy's reader alone reads dozens of types). Out of line, 2.0 KB
// (brotli) less in the widget and 1.3 KB in the terms bundle; moving more
// (the object and enum checks) made both larger again.
impl Items {
    /// The next item, if any.
    #[inline(never)]
    fn advance(&mut self) -> Option<JsValue> {
        if self.next >= self.items.length() {
            return None;
        }
        self.next += 1;
        Some(self.items.get(self.next - 1))
    }

    /// `e`, under the index of the item just read.
    #[inline(never)]
    #[cold]
    fn index_error(&self, e: Error) -> Error {
        e.at(Segment::Index(self.next - 1))
    }
}

/// An object's entries, each value's error naming its key.
struct Entries {
    entries: Array,
    next: u32,
    key: String,
    value: JsValue,
}

impl<'de> de::MapAccess<'de> for Entries {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        if !self.advance() {
            return Ok(None);
        }
        let key: StrDeserializer<Error> = self.key.as_str().into_deserializer();
        // An unknown field is named with its key, as serde_path_to_error does.
        seed.deserialize(key)
            .map(Some)
            .map_err(|e| self.key_error(e, false))
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, Error> {
        let value = std::mem::replace(&mut self.value, JsValue::UNDEFINED);
        seed.deserialize(Value(value))
            .map_err(|e| self.key_error(e, true))
    }

    fn size_hint(&self) -> Option<usize> {
        Some((self.entries.length() - self.next) as usize)
    }
}

impl Entries {
    /// Moves to the next entry, its key and value; false when there is none.
    #[inline(never)]
    fn advance(&mut self) -> bool {
        if self.next >= self.entries.length() {
            return false;
        }
        let entry: Array = self.entries.get(self.next).unchecked_into();
        self.next += 1;
        self.key = entry.get(0).as_string().unwrap_or_default();
        self.value = entry.get(1);
        true
    }

    /// `e`, under the current entry's key (taken once its value is read).
    #[inline(never)]
    #[cold]
    fn key_error(&mut self, e: Error, take: bool) -> Error {
        let key = if take {
            std::mem::take(&mut self.key)
        } else {
            self.key.clone()
        };
        e.at(Segment::Key(key))
    }
}

/// An enum's variant: a name alone, or a name and its value.
struct Variant {
    tag: String,
    value: Option<JsValue>,
}

impl<'de> de::EnumAccess<'de> for Variant {
    type Error = Error;
    type Variant = Variant;

    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, Variant), Error> {
        let tag: StrDeserializer<Error> = self.tag.as_str().into_deserializer();
        Ok((seed.deserialize(tag)?, self))
    }
}

impl Variant {
    /// The variant's value (`kind`: "newtype variant", as serde_json says
    /// it lacks), its errors named under the variant, as natively.
    fn read<T>(
        self,
        kind: &'static str,
        f: impl FnOnce(Value) -> Result<T, Error>,
    ) -> Result<T, Error> {
        match self.value {
            Some(value) => f(Value(value)),
            None => Err(de::Error::invalid_type(Unexpected::UnitVariant, &kind)),
        }
        .map_err(|e| e.at(Segment::Key(self.tag)))
    }
}

impl<'de> de::VariantAccess<'de> for Variant {
    type Error = Error;

    fn unit_variant(self) -> Result<(), Error> {
        match self.value {
            None => Ok(()),
            // The engine's native reader words it so too (its `strict`).
            Some(value) => Err(Value(value)
                .invalid_type(&"a name alone")
                .at(Segment::Key(self.tag))),
        }
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, Error> {
        self.read("newtype variant", |v| seed.deserialize(v))
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, Error> {
        self.read("tuple variant", |v| {
            de::Deserializer::deserialize_seq(v, visitor)
        })
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.read("struct variant", |v| {
            de::Deserializer::deserialize_map(v, visitor)
        })
    }
}
