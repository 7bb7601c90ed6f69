//! The JSON path of the value being decoded, kept as a stack of steps.
//!
//! The path is updated on every key and array element but rendered into a
//! string (`$.customers[3].email`) only when a detector finds something, so
//! walking a large document costs no allocation per value.

use std::fmt::Write as _;

use crate::segment::{masked_key, push_quoted};

/// One level of the path: the current element of an array or the current
/// member of an object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Step {
    Index(u64),
    /// A key stored in the key arena at `start..end`.
    Key {
        start: usize,
        end: usize,
    },
}

/// The path from the document root to the current value.
#[derive(Debug, Default)]
pub(crate) struct JsonPath {
    steps: Vec<Step>,
    /// The decoded keys of all open objects, back to back. Each object's key
    /// is the last one in the arena while the object is innermost, so a new
    /// key replaces the old one in place.
    keys: Vec<u8>,
}

impl JsonPath {
    pub(crate) fn push_array(&mut self) {
        self.steps.push(Step::Index(0));
    }

    pub(crate) fn push_object(&mut self) {
        let start = self.keys.len();
        self.steps.push(Step::Key { start, end: start });
    }

    pub(crate) fn pop(&mut self) {
        if let Some(Step::Key { start, .. }) = self.steps.pop() {
            self.keys.truncate(start);
        }
    }

    /// Moves the innermost array to its next element.
    pub(crate) fn next_index(&mut self) {
        if let Some(Step::Index(index)) = self.steps.last_mut() {
            *index += 1;
        }
    }

    /// Sets the key of the innermost object's current member.
    pub(crate) fn set_key(&mut self, key: &[u8]) {
        if let Some(Step::Key { start, end }) = self.steps.last_mut() {
            self.keys.truncate(*start);
            self.keys.extend_from_slice(key);
            *end = self.keys.len();
        }
    }

    /// Returns the key of the innermost object's current member.
    pub(crate) fn current_key(&self) -> &[u8] {
        match self.steps.last() {
            Some(Step::Key { start, end }) => &self.keys[*start..*end],
            _ => &[],
        }
    }

    /// Returns the key of the nearest enclosing object member, which is
    /// `email` for both `{"email": "…"}` and `{"email": ["…", "…"]}`.
    pub(crate) fn nearest_key(&self) -> Option<&[u8]> {
        self.steps.iter().rev().find_map(|step| match step {
            Step::Key { start, end } => Some(&self.keys[*start..*end]),
            Step::Index(_) => None,
        })
    }

    pub(crate) fn as_ref(&self) -> JsonPathRef<'_> {
        JsonPathRef {
            steps: &self.steps,
            keys: &self.keys,
        }
    }
}

/// A borrowed view of a [`JsonPath`], carried by segments.
#[derive(Debug, Clone, Copy)]
pub(crate) struct JsonPathRef<'p> {
    steps: &'p [Step],
    keys: &'p [u8],
}

impl JsonPathRef<'_> {
    /// Renders the path: `$`, then `.key` for keys that are identifiers,
    /// `["key"]` for other keys and `[n]` for array indexes. Personal data in
    /// keys is masked.
    pub(crate) fn render(&self) -> String {
        let mut out = String::from("$");
        for step in self.steps {
            match *step {
                Step::Index(index) => {
                    // `write!` into a `String` never returns an error.
                    let _ = write!(out, "[{index}]");
                }
                Step::Key { start, end } => push_key(&mut out, &self.keys[start..end]),
            }
        }
        out
    }
}

fn push_key(out: &mut String, key: &[u8]) {
    let key = masked_key(key);
    if is_identifier(&key) {
        out.push('.');
        out.push_str(&key);
    } else {
        out.push('[');
        push_quoted(out, &key);
        out.push(']');
    }
}

fn is_identifier(key: &str) -> bool {
    let mut bytes = key.bytes();
    let Some(first) = bytes.next() else {
        return false;
    };
    (first.is_ascii_alphabetic() || first == b'_')
        && bytes.all(|byte| byte.is_ascii_alphanumeric() || byte == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_render_keys_and_indexes() {
        let mut path = JsonPath::default();
        path.push_object();
        path.set_key(b"customers");
        path.push_array();
        path.next_index();
        path.next_index();
        path.push_object();
        path.set_key(b"first name");
        assert_eq!(path.as_ref().render(), "$.customers[2][\"first name\"]");
        path.set_key(b"email");
        assert_eq!(path.as_ref().render(), "$.customers[2].email");
        assert_eq!(path.nearest_key(), Some(&b"email"[..]));
        path.pop();
        assert_eq!(path.nearest_key(), Some(&b"customers"[..]));
        path.pop();
        assert_eq!(path.as_ref().render(), "$.customers");
    }

    #[test]
    fn personal_data_in_keys_is_masked() {
        let mut path = JsonPath::default();
        path.push_object();
        path.set_key(b"jane.doe@example.com");
        let rendered = path.as_ref().render();
        assert_eq!(rendered, "$[\"j***@e***.com\"]");
    }

    #[test]
    fn quotes_in_keys_are_escaped() {
        let mut path = JsonPath::default();
        path.push_object();
        path.set_key(b"say \"hi\"");
        assert_eq!(path.as_ref().render(), "$[\"say \\\"hi\\\"\"]");
    }
}
