//! The engine's native reading held to the format the widget reads.
//!
//! serde_json takes two forms the format does not have, which the widget's
//! reader (`js-read`) and the published JSON Schemas refuse, so a server
//! reading natively would accept, store and serve what the widget then
//! refuses:
//!
//! - a struct as an array of its fields in order (`["HTV-GLD-12", "Gold",
//!   "15.00", 2]` for an exchange option; serde issue 1587), refused here
//!   in serde's words: "invalid type: sequence, expected struct
//!   ExchangeOption";
//! - a unit variant as an object with a null value (`{"delivered": null}`
//!   for `"delivered"`), refused in the widget's reader's words: "invalid
//!   type: null, expected a name alone".
//!
//! [`Strict`] wraps a deserializer, and everything it hands on (elements,
//! map values, options, variants). `tests/browser.rs` holds the two
//! readers to one another on every one-mistake change of the shipped
//! policies and of an order page.

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, Unexpected, Visitor};

/// A deserializer, a seed or an access that hands on only `Strict` ones.
pub(crate) struct Strict<T>(pub(crate) T);

/// A visitor handed to the inner deserializer: forwards every value,
/// wrapping what it reads further; refuses a sequence where a struct is
/// read (`structure`).
struct Wrap<V> {
    visitor: V,
    structure: bool,
}

impl<V> Wrap<V> {
    fn any(visitor: V) -> Wrap<V> {
        Wrap {
            visitor,
            structure: false,
        }
    }

    fn structure(visitor: V) -> Wrap<V> {
        Wrap {
            visitor,
            structure: true,
        }
    }
}

macro_rules! forward_deserialize {
    ($($method:ident),* $(,)?) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
            self.0.$method(Wrap::any(visitor))
        }
    )*};
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for Strict<D> {
    type Error = D::Error;

    forward_deserialize!(
        deserialize_any,
        deserialize_bool,
        deserialize_i8,
        deserialize_i16,
        deserialize_i32,
        deserialize_i64,
        deserialize_i128,
        deserialize_u8,
        deserialize_u16,
        deserialize_u32,
        deserialize_u64,
        deserialize_u128,
        deserialize_f32,
        deserialize_f64,
        deserialize_char,
        deserialize_str,
        deserialize_string,
        deserialize_bytes,
        deserialize_byte_buf,
        deserialize_option,
        deserialize_unit,
        deserialize_seq,
        deserialize_map,
        deserialize_identifier,
        deserialize_ignored_any,
    );

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_unit_struct(name, Wrap::any(visitor))
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_newtype_struct(name, Wrap::any(visitor))
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_tuple(len, Wrap::any(visitor))
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0
            .deserialize_tuple_struct(name, len, Wrap::any(visitor))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0
            .deserialize_struct(name, fields, Wrap::structure(visitor))
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_enum(name, variants, Wrap::any(visitor))
    }

    fn is_human_readable(&self) -> bool {
        self.0.is_human_readable()
    }
}

macro_rules! forward_visit {
    ($($method:ident($ty:ty)),* $(,)?) => {$(
        fn $method<E: de::Error>(self, v: $ty) -> Result<V::Value, E> {
            self.visitor.$method(v)
        }
    )*};
}

impl<'de, V: Visitor<'de>> Visitor<'de> for Wrap<V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.visitor.expecting(f)
    }

    forward_visit!(
        visit_bool(bool),
        visit_i8(i8),
        visit_i16(i16),
        visit_i32(i32),
        visit_i64(i64),
        visit_i128(i128),
        visit_u8(u8),
        visit_u16(u16),
        visit_u32(u32),
        visit_u64(u64),
        visit_u128(u128),
        visit_f32(f32),
        visit_f64(f64),
        visit_char(char),
        visit_str(&str),
        visit_borrowed_str(&'de str),
        visit_string(String),
        visit_bytes(&[u8]),
        visit_borrowed_bytes(&'de [u8]),
        visit_byte_buf(Vec<u8>),
    );

    fn visit_none<E: de::Error>(self) -> Result<V::Value, E> {
        self.visitor.visit_none()
    }

    fn visit_unit<E: de::Error>(self) -> Result<V::Value, E> {
        self.visitor.visit_unit()
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<V::Value, D::Error> {
        self.visitor.visit_some(Strict(d))
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<V::Value, D::Error> {
        self.visitor.visit_newtype_struct(Strict(d))
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<V::Value, A::Error> {
        if self.structure {
            return Err(de::Error::invalid_type(Unexpected::Seq, &self));
        }
        self.visitor.visit_seq(Strict(seq))
    }

    fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        self.visitor.visit_map(Strict(map))
    }

    fn visit_enum<A: de::EnumAccess<'de>>(self, data: A) -> Result<V::Value, A::Error> {
        self.visitor.visit_enum(Strict(data))
    }
}

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for Strict<S> {
    type Value = S::Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<S::Value, D::Error> {
        self.0.deserialize(Strict(d))
    }
}

impl<'de, A: de::SeqAccess<'de>> de::SeqAccess<'de> for Strict<A> {
    type Error = A::Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, A::Error> {
        self.0.next_element_seed(Strict(seed))
    }

    fn size_hint(&self) -> Option<usize> {
        self.0.size_hint()
    }
}

impl<'de, A: de::MapAccess<'de>> de::MapAccess<'de> for Strict<A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        self.0.next_key_seed(Strict(seed))
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, A::Error> {
        self.0.next_value_seed(Strict(seed))
    }

    fn size_hint(&self) -> Option<usize> {
        self.0.size_hint()
    }
}

impl<'de, A: de::EnumAccess<'de>> de::EnumAccess<'de> for Strict<A> {
    type Error = A::Error;
    type Variant = Strict<A::Variant>;

    fn variant_seed<T: DeserializeSeed<'de>>(
        self,
        seed: T,
    ) -> Result<(T::Value, Strict<A::Variant>), A::Error> {
        let (value, variant) = self.0.variant_seed(Strict(seed))?;
        Ok((value, Strict(variant)))
    }
}

impl<'de, A: de::VariantAccess<'de>> de::VariantAccess<'de> for Strict<A> {
    type Error = A::Error;

    /// A unit variant is its name alone: `"delivered"`, not
    /// `{"delivered": null}`, which serde_json also takes (it reads the
    /// value as `()`). The variant is asked for a value: one there is
    /// refused, in the words of the widget's reader.
    fn unit_variant(self) -> Result<(), A::Error> {
        let mut present = false;
        match self.0.newtype_variant_seed(NameAlone(&mut present)) {
            Ok(never) => match never {},
            Err(e) if present => Err(e),
            // No value: the name alone.
            Err(_) => Ok(()),
        }
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, A::Error> {
        self.0.newtype_variant_seed(Strict(seed))
    }

    fn tuple_variant<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value, A::Error> {
        self.0.tuple_variant(len, Wrap::any(visitor))
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, A::Error> {
        self.0.struct_variant(fields, Wrap::structure(visitor))
    }
}

/// Reads a unit variant's value, which it should not have: always an error,
/// and marks that there was one.
struct NameAlone<'a>(&'a mut bool);

impl<'de> DeserializeSeed<'de> for NameAlone<'_> {
    type Value = std::convert::Infallible;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        *self.0 = true;
        d.deserialize_any(NameAloneVisitor)
    }
}

struct NameAloneVisitor;

impl NameAloneVisitor {
    fn refuse<T, E: de::Error>(&self, unexpected: Unexpected<'_>) -> Result<T, E> {
        Err(E::invalid_type(unexpected, self))
    }
}

impl<'de> Visitor<'de> for NameAloneVisitor {
    type Value = std::convert::Infallible;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a name alone")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        self.refuse(Unexpected::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        self.refuse(Unexpected::Signed(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        self.refuse(Unexpected::Unsigned(v))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        self.refuse(Unexpected::Float(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        self.refuse(Unexpected::Str(v))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        self.refuse(Unexpected::Other("null"))
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        self.refuse(Unexpected::Other("null"))
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, _: A) -> Result<Self::Value, A::Error> {
        self.refuse(Unexpected::Seq)
    }

    fn visit_map<A: de::MapAccess<'de>>(self, _: A) -> Result<Self::Value, A::Error> {
        self.refuse(Unexpected::Map)
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;
    use serde_json::json;

    use super::Strict;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Choice {
        sku: String,
        stock: u32,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    enum Kind {
        Unit,
        Pair(u32, u32),
        Named { stock: u32 },
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Page {
        options: Vec<Choice>,
        first: Option<Choice>,
        kinds: Vec<Kind>,
        pair: (u32, String),
    }

    fn read(value: serde_json::Value) -> Result<Page, String> {
        Page::deserialize(Strict(&value)).map_err(|e| e.to_string())
    }

    #[test]
    fn objects_are_read_as_serde_json_reads_them() {
        let page = json!({
            "options": [{ "sku": "A", "stock": 2 }],
            "first": { "sku": "B", "stock": 0 },
            "kinds": ["Unit", { "Pair": [1, 2] }, { "Named": { "stock": 3 } }],
            "pair": [7, "seven"],
        });
        let strict = read(page.clone()).unwrap();
        assert_eq!(strict, serde_json::from_value::<Page>(page).unwrap());
        assert_eq!(strict.kinds[1], Kind::Pair(1, 2));
    }

    #[test]
    fn a_struct_given_as_an_array_is_refused_at_every_depth() {
        let page = |options, first, kinds| json!({ "options": options, "first": first, "kinds": kinds, "pair": [7, "seven"] });
        let ok = json!({ "sku": "A", "stock": 2 });
        let cases = [
            json!(["A", 2]),
            json!([[json!(["A", 2])], null, [], [7, "seven"]]),
            page(json!([ok, ["A", 2]]), json!(null), json!([])),
            page(json!([]), json!(["A", 2]), json!([])),
            page(json!([]), json!(null), json!([{ "Named": [3] }])),
        ];
        for (i, value) in cases.into_iter().enumerate() {
            // serde_json alone takes each of them but the first.
            let err = read(value).expect_err(&format!("case {i}"));
            // "struct Choice", "struct Page", "struct variant Kind::Named"
            assert!(
                err.starts_with("invalid type: sequence, expected struct"),
                "case {i}: {err}"
            );
        }
        assert!(
            serde_json::from_value::<Page>(page(json!([["A", 2]]), json!(null), json!([]))).is_ok()
        );
    }

    #[test]
    fn a_unit_variant_is_its_name_alone() {
        let page =
            |kinds| json!({ "options": [], "first": null, "kinds": kinds, "pair": [7, "x"] });
        assert_eq!(read(page(json!(["Unit"]))).unwrap().kinds, [Kind::Unit]);
        for (value, said) in [
            (json!(null), "invalid type: null, expected a name alone"),
            (
                json!(true),
                "invalid type: boolean `true`, expected a name alone",
            ),
            (json!({}), "invalid type: map, expected a name alone"),
        ] {
            let kinds = json!([{ "Unit": value }]);
            // serde_json alone takes `{"Unit": null}`.
            assert_eq!(
                serde_json::from_value::<Page>(page(kinds.clone())).is_ok(),
                value.is_null()
            );
            assert_eq!(read(page(kinds)).unwrap_err(), said);
        }
        // From text as well.
        let text = r#"{"options": [], "first": null, "kinds": [{"Unit": null}], "pair": [7, "x"]}"#;
        let mut de = serde_json::Deserializer::from_str(text);
        let err = Page::deserialize(Strict(&mut de)).unwrap_err().to_string();
        assert!(
            err.starts_with("invalid type: null, expected a name alone"),
            "{err}"
        );
        let text = r#"{"options": [], "first": null, "kinds": ["Unit"], "pair": [7, "x"]}"#;
        let mut de = serde_json::Deserializer::from_str(text);
        assert_eq!(
            Page::deserialize(Strict(&mut de)).unwrap().kinds,
            [Kind::Unit]
        );
    }
}
