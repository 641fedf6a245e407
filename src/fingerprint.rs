//! Fingerprints of what a file is made from: a value's serde form written as a tagged byte
//! stream (each item a tag byte; strings and bytes with their length; a sequence or map closed by
//! an end tag) and hashed, without making its JSON text (escaping, number formatting) first.
//! Two values with different JSON forms give different streams. Stable within one carebook
//! binary; the build cache is dropped when the binary changes.

use std::hash::Hasher;

use serde::ser::{self, Serialize};

/// The fingerprint of `value`, after `seed`.
pub(crate) fn of(seed: u64, value: &(impl Serialize + ?Sized)) -> u64 {
    let mut stream = Stream { hasher: hasher(), buf: Vec::with_capacity(BUFFER) };
    stream.hasher.write_u64(seed);
    // Serialising into the stream cannot fail (it refuses nothing); if it ever did, the partial
    // stream still differs from the complete one.
    let _ = value.serialize(&mut stream);
    stream.flush();
    stream.hasher.finish()
}

/// The hash the stream goes through: aHash with fixed keys (the same in every run of one binary).
/// It hashes long pieces several times faster than SipHash (`std`'s `DefaultHasher`, which this
/// was): a build fingerprints every page's context, a guide's body HTML included, twice (its page
/// and its print article).
pub(crate) fn hasher() -> ahash::AHasher {
    use std::hash::BuildHasher;
    const KEYS: ahash::RandomState = ahash::RandomState::with_seeds(
        0x6361_7265_626f_6f6b,
        0x6669_6e67_6572_7072,
        0x696e_7473_2f76_3031,
        0x5f73_7461_626c_6521,
    );
    KEYS.build_hasher()
}

/// The hash of `value` by [`hasher`]: for the keys the build cache and serve compare within one
/// binary.
pub(crate) fn hash_of(value: &(impl std::hash::Hash + ?Sized)) -> u64 {
    let mut h = hasher();
    value.hash(&mut h);
    h.finish()
}

/// Bytes gathered before they are hashed: the hasher is fastest on large pieces.
const BUFFER: usize = 16 * 1024;

/// The tags of the stream.
mod tag {
    pub(super) const UNIT: u8 = 0;
    pub(super) const FALSE: u8 = 1;
    pub(super) const TRUE: u8 = 2;
    pub(super) const INT: u8 = 3;
    pub(super) const UINT: u8 = 4;
    pub(super) const FLOAT: u8 = 5;
    pub(super) const STR: u8 = 6;
    pub(super) const BYTES: u8 = 7;
    pub(super) const NONE: u8 = 8;
    pub(super) const SOME: u8 = 9;
    pub(super) const SEQ: u8 = 10;
    pub(super) const MAP: u8 = 11;
    pub(super) const END: u8 = 12;
    pub(super) const VARIANT: u8 = 13;
    pub(super) const CHAR: u8 = 14;
}

struct Stream {
    hasher: ahash::AHasher,
    buf: Vec<u8>,
}

impl Stream {
    fn flush(&mut self) {
        self.hasher.write(&self.buf);
        self.buf.clear();
    }

    fn put(&mut self, bytes: &[u8]) {
        if self.buf.len() + bytes.len() > BUFFER {
            self.flush();
            if bytes.len() > BUFFER {
                self.hasher.write(bytes);
                return;
            }
        }
        self.buf.extend_from_slice(bytes);
    }

    fn tag(&mut self, tag: u8) {
        self.put(&[tag]);
    }

    fn tagged(&mut self, tag: u8, bytes: &[u8]) {
        self.tag(tag);
        self.put(&bytes.len().to_le_bytes());
        self.put(bytes);
    }
}

/// Never made: the stream refuses nothing.
#[derive(Debug)]
pub(crate) struct Never;

impl std::fmt::Display for Never {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("fingerprint")
    }
}

impl std::error::Error for Never {}

impl ser::Error for Never {
    fn custom<T: std::fmt::Display>(_: T) -> Self {
        Never
    }
}

impl ser::Serializer for &mut Stream {
    type Ok = ();
    type Error = Never;
    type SerializeSeq = Self;
    type SerializeTuple = Self;
    type SerializeTupleStruct = Self;
    type SerializeTupleVariant = Self;
    type SerializeMap = Self;
    type SerializeStruct = Self;
    type SerializeStructVariant = Self;

    fn serialize_bool(self, v: bool) -> Result<(), Never> {
        self.tag(if v { tag::TRUE } else { tag::FALSE });
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> Result<(), Never> {
        self.serialize_i64(i64::from(v))
    }
    fn serialize_i16(self, v: i16) -> Result<(), Never> {
        self.serialize_i64(i64::from(v))
    }
    fn serialize_i32(self, v: i32) -> Result<(), Never> {
        self.serialize_i64(i64::from(v))
    }
    fn serialize_i64(self, v: i64) -> Result<(), Never> {
        self.tag(tag::INT);
        self.put(&v.to_le_bytes());
        Ok(())
    }
    fn serialize_u8(self, v: u8) -> Result<(), Never> {
        self.serialize_u64(u64::from(v))
    }
    fn serialize_u16(self, v: u16) -> Result<(), Never> {
        self.serialize_u64(u64::from(v))
    }
    fn serialize_u32(self, v: u32) -> Result<(), Never> {
        self.serialize_u64(u64::from(v))
    }
    fn serialize_u64(self, v: u64) -> Result<(), Never> {
        self.tag(tag::UINT);
        self.put(&v.to_le_bytes());
        Ok(())
    }
    fn serialize_f32(self, v: f32) -> Result<(), Never> {
        self.serialize_f64(f64::from(v))
    }
    fn serialize_f64(self, v: f64) -> Result<(), Never> {
        self.tag(tag::FLOAT);
        self.put(&v.to_bits().to_le_bytes());
        Ok(())
    }
    fn serialize_char(self, v: char) -> Result<(), Never> {
        self.tag(tag::CHAR);
        self.put(&u32::from(v).to_le_bytes());
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Result<(), Never> {
        self.tagged(tag::STR, v.as_bytes());
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), Never> {
        self.tagged(tag::BYTES, v);
        Ok(())
    }
    fn serialize_none(self) -> Result<(), Never> {
        self.tag(tag::NONE);
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Never> {
        self.tag(tag::SOME);
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Never> {
        self.tag(tag::UNIT);
        Ok(())
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), Never> {
        self.serialize_unit()
    }
    fn serialize_unit_variant(self, _name: &'static str, _index: u32, variant: &'static str) -> Result<(), Never> {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _name: &'static str, value: &T) -> Result<(), Never> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Never> {
        self.tagged(tag::VARIANT, variant.as_bytes());
        value.serialize(self)
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Self, Never> {
        self.tag(tag::SEQ);
        Ok(self)
    }
    fn serialize_tuple(self, len: usize) -> Result<Self, Never> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _name: &'static str, len: usize) -> Result<Self, Never> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self, Never> {
        self.tagged(tag::VARIANT, variant.as_bytes());
        self.serialize_seq(Some(len))
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Self, Never> {
        self.tag(tag::MAP);
        Ok(self)
    }
    fn serialize_struct(self, _name: &'static str, len: usize) -> Result<Self, Never> {
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self, Never> {
        self.tagged(tag::VARIANT, variant.as_bytes());
        self.serialize_map(Some(len))
    }
}

/// Sequences and maps: their items in order, then the end tag.
macro_rules! items {
    ($($trait:ident :: $method:ident),*) => {$(
        impl ser::$trait for &mut Stream {
            type Ok = ();
            type Error = Never;
            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Never> {
                value.serialize(&mut **self)
            }
            fn end(self) -> Result<(), Never> {
                self.tag(tag::END);
                Ok(())
            }
        }
    )*};
}
items!(SerializeSeq::serialize_element, SerializeTuple::serialize_element, SerializeTupleStruct::serialize_field);
items!(SerializeTupleVariant::serialize_field);

impl ser::SerializeMap for &mut Stream {
    type Ok = ();
    type Error = Never;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Never> {
        key.serialize(&mut **self)
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Never> {
        value.serialize(&mut **self)
    }
    fn end(self) -> Result<(), Never> {
        self.tag(tag::END);
        Ok(())
    }
}

/// Structs: each field's name, then its value (as a map), then the end tag.
macro_rules! fields {
    ($($trait:ident),*) => {$(
        impl ser::$trait for &mut Stream {
            type Ok = ();
            type Error = Never;
            fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), Never> {
                self.tagged(tag::STR, key.as_bytes());
                value.serialize(&mut **self)
            }
            fn skip_field(&mut self, key: &'static str) -> Result<(), Never> {
                // Skipped fields are absent from the JSON form too.
                let _ = key;
                Ok(())
            }
            fn end(self) -> Result<(), Never> {
                self.tag(tag::END);
                Ok(())
            }
        }
    )*};
}
fields!(SerializeStruct, SerializeStructVariant);

#[cfg(test)]
mod tests {
    use serde_json::json;

    /// Values whose JSON forms differ, some only in where one string ends and the next begins
    /// or how items nest.
    fn values() -> Vec<serde_json::Value> {
        vec![
            json!(null),
            json!(false),
            json!(true),
            json!(0),
            json!(1),
            json!(-1),
            json!(1.5),
            json!(""),
            json!("0"),
            json!("a"),
            json!(["ab", ""]),
            json!(["a", "b"]),
            json!(["", "ab"]),
            json!([["a"], "b"]),
            json!(["a", ["b"]]),
            json!([]),
            json!([[]]),
            json!({}),
            json!({"a": "b"}),
            json!({"ab": ""}),
            json!({"a": {"b": null}}),
            json!({"a": {}, "b": null}),
            json!({"a": [1, 2]}),
            json!({"a": [12]}),
            json!([{"t": "x"}, {"t": "y"}]),
            json!([{"t": "xy"}, {}]),
        ]
    }

    #[test]
    fn values_that_differ_in_json_have_different_fingerprints() {
        let values = values();
        for (i, a) in values.iter().enumerate() {
            for b in &values[i + 1..] {
                assert_ne!(a, b, "two samples are the same");
                assert_ne!(super::of(0, a), super::of(0, b), "{a} and {b}");
            }
        }
    }

    /// A context as render makes them: a struct with optional fields, nested lists and a
    /// flattened part; its fingerprint follows what its JSON form follows.
    #[test]
    fn a_context_fingerprints_as_its_json_form_does() {
        #[derive(serde::Serialize, Clone)]
        struct Item<'a> {
            title: &'a str,
            #[serde(skip_serializing_if = "Option::is_none")]
            summary: Option<&'a str>,
            tags: Vec<&'a str>,
        }
        #[derive(serde::Serialize, Clone)]
        struct Ctx<'a> {
            root: &'a str,
            items: Vec<Item<'a>>,
            #[serde(flatten)]
            extra: Item<'a>,
            count: usize,
        }
        let item = Item { title: "Mastitis", summary: Some("Hot, red"), tags: vec!["a", "b"] };
        let base = Ctx { root: "../", items: vec![item.clone(), item.clone()], extra: item.clone(), count: 2 };
        let mut variants = vec![base.clone()];
        let mut v = base.clone();
        v.root = "";
        variants.push(v);
        let mut v = base.clone();
        v.items[1].summary = None;
        variants.push(v);
        let mut v = base.clone();
        v.items[0].tags = vec!["ab"];
        variants.push(v);
        let mut v = base.clone();
        v.extra.title = "Mastitis ";
        variants.push(v);
        let mut v = base.clone();
        v.count = 3;
        variants.push(v);
        let mut v = base.clone();
        v.items.pop();
        variants.push(v);
        for (i, a) in variants.iter().enumerate() {
            for (j, b) in variants.iter().enumerate() {
                let json_same = serde_json::to_string(a).ok() == serde_json::to_string(b).ok();
                assert_eq!(super::of(7, a) == super::of(7, b), json_same, "variants {i} and {j}");
            }
        }
        assert_ne!(super::of(1, &base), super::of(2, &base), "the seed is part of it");
    }
}
