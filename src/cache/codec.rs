//! A small checked binary encoding: little-endian integers, LEB128 variable-length
//! integers and length-prefixed UTF-8 text. Every read is bounds-checked and every text
//! is checked to be UTF-8, so bytes of any kind decode to a value or to [`Corrupt`],
//! never to a panic.

/// The bytes do not decode: truncated, or a value out of range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Corrupt;

/// Appends values to a byte buffer.
#[derive(Debug, Default)]
pub(crate) struct Writer {
    pub bytes: Vec<u8>,
}

impl Writer {
    pub fn with_capacity(n: usize) -> Self {
        Writer {
            bytes: Vec::with_capacity(n),
        }
    }

    pub fn u8(&mut self, v: u8) {
        self.bytes.push(v);
    }

    pub fn u32(&mut self, v: u32) {
        self.bytes.extend_from_slice(&v.to_le_bytes());
    }

    /// A LEB128 variable-length integer: small numbers (lines, counts) take one byte.
    pub fn var(&mut self, mut v: u64) {
        while v >= 0x80 {
            self.bytes.push((v as u8) | 0x80);
            v >>= 7;
        }
        self.bytes.push(v as u8);
    }

    pub fn usize(&mut self, v: usize) {
        self.var(v as u64);
    }

    pub fn f64(&mut self, v: f64) {
        self.bytes.extend_from_slice(&v.to_bits().to_le_bytes());
    }

    pub fn bool(&mut self, v: bool) {
        self.u8(u8::from(v));
    }

    pub fn str(&mut self, s: &str) {
        self.usize(s.len());
        self.bytes.extend_from_slice(s.as_bytes());
    }

    pub fn raw(&mut self, b: &[u8]) {
        self.bytes.extend_from_slice(b);
    }
}

/// Reads values back from bytes, each read checked.
#[derive(Debug)]
pub(crate) struct Reader<'a> {
    bytes: &'a [u8],
}

impl<'a> Reader<'a> {
    pub fn new(bytes: &'a [u8]) -> Self {
        Reader { bytes }
    }

    /// Whether every byte was read.
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// How many bytes are left to read.
    pub fn remaining(&self) -> usize {
        self.bytes.len()
    }

    pub fn take(&mut self, n: usize) -> Result<&'a [u8], Corrupt> {
        if n > self.bytes.len() {
            return Err(Corrupt);
        }
        let (head, rest) = self.bytes.split_at(n);
        self.bytes = rest;
        Ok(head)
    }

    pub fn array<const N: usize>(&mut self) -> Result<[u8; N], Corrupt> {
        self.take(N)?.try_into().map_err(|_| Corrupt)
    }

    pub fn u8(&mut self) -> Result<u8, Corrupt> {
        let [b] = self.array::<1>()?;
        Ok(b)
    }

    pub fn u32(&mut self) -> Result<u32, Corrupt> {
        Ok(u32::from_le_bytes(self.array()?))
    }

    pub fn u64(&mut self) -> Result<u64, Corrupt> {
        Ok(u64::from_le_bytes(self.array()?))
    }

    pub fn var(&mut self) -> Result<u64, Corrupt> {
        let mut v: u64 = 0;
        for shift in (0..64).step_by(7) {
            let b = self.u8()?;
            let part = u64::from(b & 0x7f);
            if shift == 63 && part > 1 {
                return Err(Corrupt);
            }
            v |= part << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(Corrupt)
    }

    pub fn usize(&mut self) -> Result<usize, Corrupt> {
        usize::try_from(self.var()?).map_err(|_| Corrupt)
    }

    /// A count of items that each take at least `min_bytes`: refused when the bytes left
    /// cannot hold them, so that a corrupt count never reserves gigabytes.
    pub fn count(&mut self, min_bytes: usize) -> Result<usize, Corrupt> {
        let n = self.usize()?;
        if n.saturating_mul(min_bytes.max(1)) > self.bytes.len() {
            return Err(Corrupt);
        }
        Ok(n)
    }

    /// An index below `len`.
    pub fn index(&mut self, len: usize) -> Result<usize, Corrupt> {
        let i = self.usize()?;
        if i < len { Ok(i) } else { Err(Corrupt) }
    }

    pub fn f64(&mut self) -> Result<f64, Corrupt> {
        Ok(f64::from_bits(self.u64()?))
    }

    pub fn bool(&mut self) -> Result<bool, Corrupt> {
        match self.u8()? {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(Corrupt),
        }
    }

    pub fn str(&mut self) -> Result<&'a str, Corrupt> {
        let n = self.usize()?;
        std::str::from_utf8(self.take(n)?).map_err(|_| Corrupt)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_round_trip() {
        let mut w = Writer::default();
        for v in [0, 1, 127, 128, 300, u64::from(u32::MAX), u64::MAX] {
            w.var(v);
        }
        w.str("국가정보자원관리원");
        w.f64(0.25);
        w.bool(true);
        w.u32(7);
        let mut r = Reader::new(&w.bytes);
        for v in [0, 1, 127, 128, 300, u64::from(u32::MAX), u64::MAX] {
            assert_eq!(r.var(), Ok(v));
        }
        assert_eq!(r.str(), Ok("국가정보자원관리원"));
        assert_eq!(r.f64(), Ok(0.25));
        assert_eq!(r.bool(), Ok(true));
        assert_eq!(r.u32(), Ok(7));
        assert!(r.is_empty());
        assert_eq!(r.u8(), Err(Corrupt));
    }

    #[test]
    fn bad_bytes_are_errors() {
        assert_eq!(Reader::new(&[0xff; 11]).var(), Err(Corrupt));
        assert_eq!(Reader::new(&[5, b'a']).str(), Err(Corrupt));
        assert_eq!(Reader::new(&[2, 0xc3, 0x28]).str(), Err(Corrupt));
        assert_eq!(Reader::new(&[2]).bool(), Err(Corrupt));
        assert_eq!(Reader::new(&[200, 1]).count(1), Err(Corrupt));
        assert_eq!(Reader::new(&[3]).index(3), Err(Corrupt));
    }
}
