//! Values as bytes, for what a build keeps beside its output for the next one (the parse store,
//! `write/parsed.rs`): [`Stored::put`] writes a value, [`Stored::take`] reads it back, or gives
//! `None` for bytes it did not write (never a panic). This binary's own format: what it keeps is
//! never read by another binary.
//!
//! Numbers are LEB128 varints (signed ones zigzagged), strings their length then their bytes,
//! lists their length then their items, options and enums a tag byte then their fields.

use std::ops::Range;
use std::sync::Arc;

/// A value that can be kept as bytes and read back the same.
pub(crate) trait Stored: Sized {
    /// Appends the value.
    fn put(&self, w: &mut Out<'_>);
    /// Reads a value [`Stored::put`] wrote.
    fn take(r: &mut In<'_>) -> Option<Self>;
}

/// Bytes being written.
pub(crate) struct Out<'o>(pub(crate) &'o mut Vec<u8>);

impl Out<'_> {
    pub(crate) fn byte(&mut self, b: u8) {
        self.0.push(b);
    }

    pub(crate) fn number(&mut self, number: usize) {
        self.u64(number as u64);
    }

    fn u64(&mut self, mut n: u64) {
        while n >= 0x80 {
            // The low seven bits, with the high bit saying more follow.
            self.0.push((n & 0x7f) as u8 | 0x80);
            n >>= 7;
        }
        self.0.push(n as u8);
    }

    pub(crate) fn str(&mut self, s: &str) {
        self.number(s.len());
        self.0.extend_from_slice(s.as_bytes());
    }

    pub(crate) fn span(&mut self, span: &Range<usize>) {
        self.number(span.start);
        self.number(span.end);
    }
}

/// Bytes being read.
pub(crate) struct In<'b> {
    bytes: &'b [u8],
    /// How many have been read.
    pub(crate) offset: usize,
}

impl<'b> In<'b> {
    pub(crate) fn new(bytes: &'b [u8]) -> Self {
        In { bytes, offset: 0 }
    }

    pub(crate) fn byte(&mut self) -> Option<u8> {
        let b = *self.bytes.get(self.offset)?;
        self.offset += 1;
        Some(b)
    }

    pub(crate) fn number(&mut self) -> Option<usize> {
        usize::try_from(self.u64()?).ok()
    }

    fn u64(&mut self) -> Option<u64> {
        let mut n: u64 = 0;
        for shift in (0..u64::BITS).step_by(7) {
            let b = self.byte()?;
            n |= u64::from(b & 0x7f).checked_shl(shift)?;
            if b & 0x80 == 0 {
                return Some(n);
            }
        }
        None
    }

    pub(crate) fn str(&mut self) -> Option<String> {
        let len = self.number()?;
        let bytes = self.bytes.get(self.offset..self.offset.checked_add(len)?)?;
        self.offset += len;
        simdutf8::basic::from_utf8(bytes).ok().map(str::to_owned)
    }

    pub(crate) fn span(&mut self) -> Option<Range<usize>> {
        Some(self.number()?..self.number()?)
    }

    /// A list of items read by `item`; its length is checked against the bytes left, so that a
    /// damaged length reserves no more than the bytes could hold.
    pub(crate) fn list<T>(&mut self, item: impl Fn(&mut Self) -> Option<T>) -> Option<Vec<T>> {
        let len = self.number()?;
        if len > self.bytes.len() - self.offset {
            return None;
        }
        let mut out = Vec::with_capacity(len);
        for _ in 0..len {
            out.push(item(self)?);
        }
        Some(out)
    }
}

impl Stored for String {
    fn put(&self, w: &mut Out<'_>) {
        w.str(self);
    }
    fn take(r: &mut In<'_>) -> Option<Self> {
        r.str()
    }
}

impl Stored for bool {
    fn put(&self, w: &mut Out<'_>) {
        w.byte(u8::from(*self));
    }
    fn take(r: &mut In<'_>) -> Option<Self> {
        match r.byte()? {
            0 => Some(false),
            1 => Some(true),
            _ => None,
        }
    }
}

impl Stored for i64 {
    fn put(&self, w: &mut Out<'_>) {
        // Zigzag: small negative numbers stay short.
        w.u64(((*self << 1) ^ (*self >> 63)) as u64);
    }
    fn take(r: &mut In<'_>) -> Option<Self> {
        let n = r.u64()?;
        Some((n >> 1) as i64 ^ -((n & 1) as i64))
    }
}

impl Stored for jiff::civil::Date {
    fn put(&self, w: &mut Out<'_>) {
        i64::from(self.year()).put(w);
        w.byte(self.month().unsigned_abs());
        w.byte(self.day().unsigned_abs());
    }
    fn take(r: &mut In<'_>) -> Option<Self> {
        let year = i16::try_from(i64::take(r)?).ok()?;
        let (month, day) = (i8::try_from(r.byte()?).ok()?, i8::try_from(r.byte()?).ok()?);
        jiff::civil::Date::new(year, month, day).ok()
    }
}

impl Stored for Range<usize> {
    fn put(&self, w: &mut Out<'_>) {
        w.span(self);
    }
    fn take(r: &mut In<'_>) -> Option<Self> {
        r.span()
    }
}

impl<T: Stored> Stored for Option<T> {
    fn put(&self, w: &mut Out<'_>) {
        match self {
            None => w.byte(0),
            Some(v) => {
                w.byte(1);
                v.put(w);
            }
        }
    }
    fn take(r: &mut In<'_>) -> Option<Self> {
        match r.byte()? {
            0 => Some(None),
            1 => Some(Some(T::take(r)?)),
            _ => None,
        }
    }
}

impl<T: Stored> Stored for Vec<T> {
    fn put(&self, w: &mut Out<'_>) {
        w.number(self.len());
        self.iter().for_each(|v| v.put(w));
    }
    fn take(r: &mut In<'_>) -> Option<Self> {
        r.list(T::take)
    }
}

impl<T: Stored> Stored for Arc<T> {
    fn put(&self, w: &mut Out<'_>) {
        T::put(self, w);
    }
    fn take(r: &mut In<'_>) -> Option<Self> {
        T::take(r).map(Arc::new)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn back<T: Stored + PartialEq + std::fmt::Debug>(v: T) {
        let mut bytes = Vec::new();
        v.put(&mut Out(&mut bytes));
        let mut r = In::new(&bytes);
        assert_eq!(T::take(&mut r).as_ref(), Some(&v));
        assert_eq!(r.offset, bytes.len(), "{v:?} read whole");
        for cut in 0..bytes.len() {
            assert!(T::take(&mut In::new(&bytes[..cut])).is_none(), "{v:?} cut at {cut}");
        }
    }

    #[test]
    fn values_read_back_as_written_and_short_bytes_read_as_none() {
        for n in [0, 1, -1, 63, -64, 64, i64::MAX, i64::MIN] {
            back(n);
        }
        back(vec![Some("ä".to_string()), None, Some(String::new())]);
        back(Arc::new((true, 3..300).1));
        back(jiff::civil::date(2026, 12, 3));
        back(jiff::civil::date(-9999, 1, 1));
        assert!(bool::take(&mut In::new(&[2])).is_none());
        assert!(String::take(&mut In::new(&[2, 0xc3, 0x28])).is_none(), "not UTF-8");
        assert!(i64::take(&mut In::new(&[0xff; 11])).is_none(), "a number too long");
        assert!(jiff::civil::Date::take(&mut In::new(&[0, 13, 1])).is_none(), "no such month");
    }
}
