//! XML references (`&amp;`, `&#64;`, `&#x40;`) and the text runs they
//! split.
//!
//! Only the five predefined entities and character references are
//! resolved. Any other entity would need a declaration, and declarations
//! are rejected (see [`super::xml`]), so a reference to one is an error.

use std::borrow::Cow;

use memchr::memchr;

/// A reference that cannot be resolved: `offset` is that of its `&` within
/// the decoded input, `name` the text between `&` and `;`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct UnknownReference {
    pub offset: usize,
    pub name: Vec<u8>,
}

/// Resolves the reference `name` (the text between `&` and `;`).
pub(crate) fn resolve(name: &[u8]) -> Option<char> {
    match name {
        b"lt" => Some('<'),
        b"gt" => Some('>'),
        b"amp" => Some('&'),
        b"apos" => Some('\''),
        b"quot" => Some('"'),
        [b'#', b'x', digits @ ..] => character(digits, 16),
        [b'#', digits @ ..] => character(digits, 10),
        _ => None,
    }
}

fn character(digits: &[u8], radix: u32) -> Option<char> {
    if digits.is_empty() || digits.len() > 8 {
        return None;
    }
    let digits = std::str::from_utf8(digits).ok()?;
    let value = u32::from_str_radix(digits, radix).ok()?;
    char::from_u32(value).filter(|&c| c != '\0')
}

/// Appends `c` to `out` as UTF-8.
pub(crate) fn push_char(out: &mut Vec<u8>, c: char) {
    let mut buffer = [0u8; 4];
    out.extend_from_slice(c.encode_utf8(&mut buffer).as_bytes());
}

/// Resolves every reference in an attribute value, borrowing the value when
/// it has none.
pub(crate) fn unescape(raw: &[u8]) -> Result<Cow<'_, [u8]>, UnknownReference> {
    let Some(first) = memchr(b'&', raw) else {
        return Ok(Cow::Borrowed(raw));
    };
    let mut out = Vec::with_capacity(raw.len());
    out.extend_from_slice(&raw[..first]);
    let mut position = first;
    while position < raw.len() {
        if raw[position] != b'&' {
            let next = memchr(b'&', &raw[position..]).map_or(raw.len(), |at| position + at);
            out.extend_from_slice(&raw[position..next]);
            position = next;
            continue;
        }
        let rest = &raw[position + 1..];
        let end = memchr(b';', rest);
        let name = end.map_or(rest, |end| &rest[..end]);
        match end.and_then(|_| resolve(name)) {
            Some(c) => {
                push_char(&mut out, c);
                position += name.len() + 2;
            }
            None => {
                return Err(UnknownReference {
                    offset: position,
                    name: name.to_vec(),
                });
            }
        }
    }
    Ok(Cow::Owned(out))
}

/// The pieces of one run of character data between two tags: text,
/// resolved references and CDATA sections. A run of one piece from the
/// input is kept as a slice of it; a second piece copies the run into a
/// buffer.
#[derive(Debug, Default)]
pub(crate) struct TextRun<'i> {
    borrowed: Option<&'i [u8]>,
    owned: Vec<u8>,
    is_owned: bool,
}

impl<'i> TextRun<'i> {
    pub(crate) fn push_slice(&mut self, piece: &'i [u8]) {
        if piece.is_empty() {
            return;
        }
        if self.is_owned {
            self.owned.extend_from_slice(piece);
        } else if let Some(first) = self.borrowed.take() {
            self.owned.clear();
            self.owned.extend_from_slice(first);
            self.owned.extend_from_slice(piece);
            self.is_owned = true;
        } else {
            self.borrowed = Some(piece);
        }
    }

    pub(crate) fn push_owned(&mut self, piece: &[u8]) {
        if !self.is_owned {
            self.owned.clear();
            if let Some(first) = self.borrowed.take() {
                self.owned.extend_from_slice(first);
            }
            self.is_owned = true;
        }
        self.owned.extend_from_slice(piece);
    }

    pub(crate) fn push_char(&mut self, c: char) {
        let mut buffer = [0u8; 4];
        self.push_owned(c.encode_utf8(&mut buffer).as_bytes());
    }

    /// Returns the run without surrounding whitespace, and empties it for
    /// the next run. The returned text lives until the next push.
    pub(crate) fn take(&mut self) -> &[u8] {
        let text: &[u8] = if self.is_owned {
            self.is_owned = false;
            &self.owned
        } else {
            self.borrowed.take().unwrap_or_default()
        };
        text.trim_ascii()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_resolve() {
        let cases: [(&[u8], Option<char>); 9] = [
            (b"lt", Some('<')),
            (b"amp", Some('&')),
            (b"quot", Some('"')),
            (b"#64", Some('@')),
            (b"#x40", Some('@')),
            (b"#x4E2D", Some('中')),
            (b"#0", None),
            (b"#xD800", None),
            (b"nbsp", None),
        ];
        for (name, expected) in cases {
            assert_eq!(resolve(name), expected, "{name:?}");
        }
    }

    #[test]
    fn attribute_values_unescape() {
        assert_eq!(unescape(b"plain").unwrap(), Cow::Borrowed(&b"plain"[..]));
        assert_eq!(
            unescape(b"jane&#64;example.com &amp; co").unwrap().as_ref(),
            b"jane@example.com & co"
        );
        assert_eq!(
            unescape(b"a&ext;b").unwrap_err(),
            UnknownReference {
                offset: 1,
                name: b"ext".to_vec()
            }
        );
        assert_eq!(unescape(b"a&b").unwrap_err().offset, 1);
    }

    #[test]
    fn runs_borrow_one_piece_and_copy_more() {
        let input = b"jane example.com";
        let mut run = TextRun::default();
        run.push_slice(&input[..4]);
        assert!(std::ptr::eq(run.take(), &input[..4]));
        run.push_slice(&input[..4]);
        run.push_char('@');
        run.push_slice(&input[5..]);
        assert_eq!(run.take(), b"jane@example.com");
        assert_eq!(run.take(), b"");
    }
}
