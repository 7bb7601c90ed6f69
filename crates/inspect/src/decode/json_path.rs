//! The JSON path of the value being decoded, kept as a stack of steps.
//!
//! The path is updated on every key and array element but rendered into a
//! string (`$.customers[3].email`) only when a detector finds something, so
//! walking a large document costs no allocation per value.

use std::fmt::Write as _;

use crate::detect::Roles;
use crate::detect::keys::classify;
use crate::segment::{masked_label, push_quoted};

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

/// What a key means for the values under it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum KeyKind {
    Plain,
    /// `value`, `#text` and the like: see [`is_wrapper_key`].
    Wrapper,
    /// A part of a person's name, with the one-word key it reads as: see
    /// [`name_part_key`].
    NamePart(&'static [u8]),
}

impl KeyKind {
    fn of(key: &[u8]) -> KeyKind {
        // Most keys differ from every special key in length or first
        // letter, which one match rules out.
        let Some(&first) = key.first() else {
            return KeyKind::Plain;
        };
        let candidate = matches!(
            (key.len(), first.to_ascii_lowercase()),
            (1, b'$')
                | (4, b't' | b'l')
                | (5, b'v' | b'#' | b'f' | b'g')
                | (6, b'f' | b'm')
                | (7, b'c')
                | (12, b'd')
        );
        if !candidate {
            KeyKind::Plain
        } else if is_wrapper_key(key) {
            KeyKind::Wrapper
        } else if let Some(name) = name_part_key(key) {
            KeyKind::NamePart(name)
        } else {
            KeyKind::Plain
        }
    }
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

    /// Returns the key that gives the current value its meaning. That is
    /// the key of the nearest enclosing object member, which is `email` for
    /// both `{"email": "…"}` and `{"email": ["…", "…"]}`, with two
    /// exceptions. A wrapper key such as `value`
    /// takes the key of the object it sits in, so `Jane` in
    /// `{"firstname": {"value": "Jane"}}` is a first name. A part of a name
    /// under a key that mentions a name reads as that part's own key, so
    /// `{"name": {"given": ["Jane"], "family": "Doe"}}` gives `givenname`
    /// and `familyname`.
    pub(crate) fn value_key(&self) -> Option<&[u8]> {
        // A value directly under a key, the common case, needs no search.
        let (nearest, inner_steps) = match self.steps.split_last() {
            Some((&Step::Key { start, end }, rest)) => (&self.keys[start..end], rest),
            _ => {
                let position = self
                    .steps
                    .iter()
                    .rposition(|step| matches!(step, Step::Key { .. }))?;
                let Step::Key { start, end } = self.steps[position] else {
                    return None;
                };
                (&self.keys[start..end], &self.steps[..position])
            }
        };
        let outer = || {
            inner_steps.iter().rev().find_map(|step| match *step {
                Step::Key { start, end } => Some(&self.keys[start..end]),
                Step::Index(_) => None,
            })
        };
        match KeyKind::of(nearest) {
            KeyKind::Plain => Some(nearest),
            KeyKind::Wrapper => Some(outer().unwrap_or(nearest)),
            KeyKind::NamePart(name) if outer().is_some_and(mentions_name) => Some(name),
            KeyKind::NamePart(_) => Some(nearest),
        }
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

/// Keys whose value belongs to the key of the enclosing object, as in
/// HubSpot's `{"email": {"value": "…"}}` or an XML-to-JSON `#text`.
fn is_wrapper_key(key: &[u8]) -> bool {
    const WRAPPERS: [&[u8]; 6] = [
        b"value",
        b"text",
        b"#text",
        b"$",
        b"content",
        b"displayvalue",
    ];
    WRAPPERS
        .iter()
        .any(|wrapper| key.eq_ignore_ascii_case(wrapper))
}

/// Returns the key of a person's name part (`given` in FHIR's
/// `HumanName`, `first` in `{"name": {"first": …}}`), written as one word.
fn name_part_key(key: &[u8]) -> Option<&'static [u8]> {
    const PARTS: [(&[u8], &[u8]); 6] = [
        (b"first", b"firstname"),
        (b"last", b"lastname"),
        (b"given", b"givenname"),
        (b"family", b"familyname"),
        (b"middle", b"middlename"),
        (b"maiden", b"maidenname"),
    ];
    PARTS
        .iter()
        .find(|(part, _)| key.eq_ignore_ascii_case(part))
        .map(|&(_, name)| name)
}

/// Returns whether `key` names a person or an organisation (`name`,
/// `fullName`, `contact_name`), which `fontName`, `hostname` and
/// `namespace` do not.
fn mentions_name(key: &[u8]) -> bool {
    classify(key).intersects(Roles::PERSON_NAME | Roles::ANY_NAME)
}

fn push_key(out: &mut String, key: &[u8]) {
    let key = masked_label(key);
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
        assert_eq!(path.value_key(), Some(&b"email"[..]));
        path.pop();
        assert_eq!(path.value_key(), Some(&b"customers"[..]));
        path.pop();
        assert_eq!(path.as_ref().render(), "$.customers");
    }

    #[test]
    fn value_keys_see_through_wrappers_and_name_parts() {
        let mut path = JsonPath::default();
        path.push_object();
        path.set_key(b"firstname");
        path.push_object();
        path.set_key(b"Value");
        assert_eq!(path.value_key(), Some(&b"firstname"[..]));
        path.pop();
        path.set_key(b"name");
        path.push_array();
        path.push_object();
        path.set_key(b"given");
        assert_eq!(path.value_key(), Some(&b"givenname"[..]));
        path.set_key(b"use");
        assert_eq!(path.value_key(), Some(&b"use"[..]));
        path.pop();
        path.pop();
        path.set_key(b"order");
        path.push_object();
        path.set_key(b"first");
        // A part of a name counts only under a key that mentions a name.
        assert_eq!(path.value_key(), Some(&b"first"[..]));
        path.pop();
        path.pop();
        path.push_object();
        path.set_key(b"value");
        // A wrapper without an enclosing key keeps its own key.
        assert_eq!(path.value_key(), Some(&b"value"[..]));
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
