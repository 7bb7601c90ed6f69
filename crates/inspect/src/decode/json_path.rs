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
enum Step<'a> {
    Index(u64),
    /// The object's current key, its region of the key arena from `arena`
    /// on, and its label (see [`JsonPath::note_label`]) in the label arena
    /// at `labels.0..labels.1`.
    Key {
        key: KeyText<'a>,
        arena: usize,
        labels: (usize, usize),
        kind: KeyKind,
    },
}

/// The storage of a key's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum KeyText<'a> {
    /// A key without escapes, as a slice of the document, which stays
    /// unchanged while it is scanned: most keys need no copy.
    Input(&'a [u8]),
    /// A decoded key with escapes, at this range of the key arena.
    Arena(usize, usize),
}

impl<'a> KeyText<'a> {
    fn get<'s>(self, arena: &'s [u8]) -> &'s [u8]
    where
        'a: 's,
    {
        match self {
            KeyText::Input(key) => key,
            KeyText::Arena(start, end) => arena.get(start..end).unwrap_or_default(),
        }
    }
}

/// The meaning of a key for the values under it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum KeyKind {
    Plain,
    /// `value`, `#text` and the like: see [`WRAPPER_KEYS`].
    Wrapper,
    /// A part of a person's name: the index of its entry in
    /// [`NAME_PART_KEYS`].
    NamePart(u8),
    /// `name`, `key`, `label` and the like, whose string value names the
    /// field of the object's wrapper: see [`LABEL_KEYS`].
    Label,
    /// A row index such as `0` or `1577836800000`: up to
    /// [`MAX_ROW_INDEX_DIGITS`] ASCII digits. pandas keys the rows of a
    /// table by them (`{"name": {"0": "Jane Doe"}}`), so the values under
    /// them take the enclosing key. In an object of rows, a row label such
    /// as `CUST-00001` is one too (see [`is_row_label`]).
    RowIndex,
}

impl KeyKind {
    #[inline]
    fn of(key: &[u8]) -> KeyKind {
        // Most keys differ from every special key in length, first, second
        // or last letter, which three table lookups rule out.
        let candidate = match (QUICK_CHECK.get(key.len()), key.first(), key.last()) {
            (Some(&(firsts, seconds, lasts)), Some(&first), Some(&last)) => {
                let second = key.get(1).copied().unwrap_or(first);
                firsts & (1 << (first & 31)) != 0
                    && seconds & (1 << (second & 31)) != 0
                    && lasts & (1 << (last & 31)) != 0
            }
            _ => false,
        };
        if candidate {
            KeyKind::of_candidate(key)
        } else {
            KeyKind::Plain
        }
    }

    /// Classifies `key` like [`KeyKind::of`], and as a row index when
    /// `ROWS` is set. The tokenizer sets it only in an object whose first
    /// key starts with a digit or is a row label, so that other keys are
    /// spared the test.
    #[inline]
    fn of_in<const ROWS: bool>(key: &[u8]) -> KeyKind {
        if ROWS && (is_row_index(key) || is_row_label(key)) {
            KeyKind::RowIndex
        } else {
            KeyKind::of(key)
        }
    }

    /// Classifies a key that passed the quick check of [`KeyKind::of`].
    fn of_candidate(key: &[u8]) -> KeyKind {
        if is_wrapper_key(key) {
            KeyKind::Wrapper
        } else if let Some(index) = name_part_index(key) {
            KeyKind::NamePart(index)
        } else if is_label_key(key) {
            KeyKind::Label
        } else {
            KeyKind::Plain
        }
    }
}

/// The path from the document root to the current value.
#[derive(Debug, Default)]
pub(crate) struct JsonPath<'a> {
    steps: Vec<Step<'a>>,
    /// The decoded keys with escapes of the open objects, back to back.
    /// Each object's key is the last one in the arena while the object is
    /// innermost, so a new key replaces the old one in place.
    keys: Vec<u8>,
    /// The labels of the open objects, kept like `keys`.
    labels: Vec<u8>,
}

impl<'a> JsonPath<'a> {
    pub(crate) fn push_array(&mut self) {
        self.steps.push(Step::Index(0));
    }

    pub(crate) fn push_object(&mut self) {
        let label = self.labels.len();
        self.steps.push(Step::Key {
            key: KeyText::Input(&[]),
            arena: self.keys.len(),
            labels: (label, label),
            kind: KeyKind::Plain,
        });
    }

    pub(crate) fn pop(&mut self) {
        if let Some(Step::Key { arena, labels, .. }) = self.steps.pop() {
            self.keys.truncate(arena);
            self.labels.truncate(labels.0);
        }
    }

    /// Moves the innermost array to its next element.
    pub(crate) fn next_index(&mut self) {
        if let Some(Step::Index(index)) = self.steps.last_mut() {
            *index += 1;
        }
    }

    /// Sets the key of the innermost object's current member to `key`, a
    /// slice of the document, and returns whether it has no special
    /// meaning, so that it is the key of a scalar value under it. With
    /// `ROWS`, a key may be a row index (see [`KeyKind::of_in`]).
    #[inline]
    pub(crate) fn set_key<const ROWS: bool>(&mut self, key: &'a [u8]) -> bool {
        let Some(Step::Key {
            key: text, kind, ..
        }) = self.steps.last_mut()
        else {
            return false;
        };
        *text = KeyText::Input(key);
        *kind = KeyKind::of_in::<ROWS>(key);
        *kind == KeyKind::Plain
    }

    /// Sets the key of the innermost object's current member to `key`,
    /// decoded from escapes, which the path keeps a copy of, and returns
    /// whether it has no special meaning, like [`JsonPath::set_key`].
    pub(crate) fn set_decoded_key<const ROWS: bool>(&mut self, key: &[u8]) -> bool {
        let Some(Step::Key {
            key: text,
            arena,
            kind,
            ..
        }) = self.steps.last_mut()
        else {
            return false;
        };
        self.keys.truncate(*arena);
        self.keys.extend_from_slice(key);
        *text = KeyText::Arena(*arena, self.keys.len());
        *kind = KeyKind::of_in::<ROWS>(key);
        *kind == KeyKind::Plain
    }

    /// Notes `text`, a string value of the current member, as the label of
    /// its object when the member's key is a label key. Name and value
    /// pairs (`{"name": "phone", "value": "…"}`, FHIR's `{"system":
    /// "phone", "value": "…"}`) then key the value by its label.
    pub(crate) fn note_label(&mut self, text: &[u8]) {
        let Some(Step::Key { labels, kind, .. }) = self.steps.last_mut() else {
            return;
        };
        if *kind == KeyKind::Label && !text.is_empty() && text.len() <= MAX_LABEL_BYTES {
            self.labels.truncate(labels.0);
            self.labels.extend_from_slice(text);
            labels.1 = self.labels.len();
        }
    }

    /// Returns the kind of the innermost object's current key, if the
    /// innermost step is an object.
    fn current_kind(&self) -> Option<KeyKind> {
        match self.steps.last() {
            Some(Step::Key { kind, .. }) => Some(*kind),
            _ => None,
        }
    }

    /// Returns whether the current member's key is a label key or a
    /// wrapper, one half of a name-value pair.
    #[inline]
    pub(crate) fn in_pair(&self) -> bool {
        matches!(
            self.steps.last(),
            Some(Step::Key {
                kind: KeyKind::Label | KeyKind::Wrapper,
                ..
            })
        )
    }

    /// Returns the row that the current member's key names, if it is a
    /// row index (see [`KeyKind::RowIndex`]).
    #[inline]
    pub(crate) fn row_key(&self) -> Option<RowKey<'_>> {
        match self.steps.last() {
            Some(&Step::Key {
                key,
                kind: KeyKind::RowIndex,
                ..
            }) => {
                let key = key.get(&self.keys);
                Some(parse_row_index(key).map_or(RowKey::Label(key), RowKey::Number))
            }
            _ => None,
        }
    }

    /// Returns the key of the object member that contains the innermost
    /// container, if its parent is an object.
    pub(crate) fn enclosing_key(&self) -> Option<&[u8]> {
        match self
            .steps
            .len()
            .checked_sub(2)
            .map(|level| &self.steps[level])
        {
            Some(Step::Key { key, .. }) => Some(key.get(&self.keys)),
            _ => None,
        }
    }

    /// Returns the index of the array element at `level` of the path,
    /// counted from the outermost container, if that level is an array.
    pub(crate) fn index_at(&self, level: usize) -> Option<u64> {
        match self.steps.get(level) {
            Some(&Step::Index(index)) => Some(index),
            _ => None,
        }
    }

    /// Returns whether the innermost container is an array at its second
    /// element.
    #[inline]
    pub(crate) fn at_second_element(&self) -> bool {
        matches!(self.steps.last(), Some(Step::Index(1)))
    }

    /// Returns whether the current member's key is a label key (`name`).
    pub(crate) fn at_label(&self) -> bool {
        self.current_kind() == Some(KeyKind::Label)
    }

    /// Labels the innermost object with `text`, the value of a label key
    /// that follows the current member, unless it has a label already.
    pub(crate) fn label_ahead(&mut self, text: &[u8]) {
        let Some(Step::Key { labels, .. }) = self.steps.last_mut() else {
            return;
        };
        if labels.1 == labels.0 && !text.is_empty() && text.len() <= MAX_LABEL_BYTES {
            self.labels.truncate(labels.0);
            self.labels.extend_from_slice(text);
            labels.1 = self.labels.len();
        }
    }

    /// Returns the key of the innermost object's current member.
    pub(crate) fn current_key(&self) -> &[u8] {
        match self.steps.last() {
            Some(Step::Key { key, .. }) => key.get(&self.keys),
            _ => &[],
        }
    }

    /// Returns the key that gives the current value its meaning. That is the
    /// key of the nearest enclosing object member, which is `email` for both
    /// `{"email": "…"}` and `{"email": ["…", "…"]}`, with two exceptions. A
    /// wrapper key such as `value` takes its object's label (see
    /// [`JsonPath::note_label`]), else the key of the nearest object that is no
    /// wrapper, so `Jane` in `{"firstname": {"value": "Jane"}}` is a first
    /// name. A row index passes the key on the same way, so `Jane` in
    /// `{"firstname": {"0": "Jane"}}` is a first name. A part of a name under a
    /// key that names a person or an organisation reads as that part's own key,
    /// so `{"name": {"given": ["Jane"], "family": "Doe"}}` gives `givenname`
    /// and `familyname`.
    #[inline]
    pub(crate) fn value_key(&self) -> Option<&[u8]> {
        // A value directly under a plain key, the common case, needs no
        // walk.
        if let Some(&Step::Key {
            key,
            kind: KeyKind::Plain | KeyKind::Label,
            ..
        }) = self.steps.last()
        {
            return Some(key.get(&self.keys));
        }
        self.walked_value_key()
    }

    /// Finds the value key of [`JsonPath::value_key`] when the innermost
    /// step is an array, a wrapper or a part of a name.
    fn walked_value_key(&self) -> Option<&[u8]> {
        let mut keys = self.steps.iter().rev().filter_map(|step| match *step {
            Step::Key {
                key, labels, kind, ..
            } => Some((key.get(&self.keys), labels, kind)),
            Step::Index(_) => None,
        });
        let nearest = keys.next()?;
        let mut current = nearest;
        // Wrappers and row indexes may nest (`{"firstname": {"value":
        // {"value": "Jane"}}}`), so the walk goes up to the first key or
        // label that is neither.
        loop {
            let (key, labels, kind) = current;
            match kind {
                KeyKind::Plain | KeyKind::Label => return Some(key),
                KeyKind::NamePart(index) => {
                    let named = keys
                        .next()
                        .is_some_and(|(outer, _, _)| mentions_name(outer));
                    return Some(if named {
                        NAME_PART_KEYS[usize::from(index)].1
                    } else {
                        key
                    });
                }
                KeyKind::Wrapper if labels.1 > labels.0 => {
                    let label = &self.labels[labels.0..labels.1];
                    return Some(if names_anything(label) {
                        nearest.0
                    } else {
                        label
                    });
                }
                KeyKind::Wrapper | KeyKind::RowIndex => match keys.next() {
                    Some(outer) => current = outer,
                    None => return Some(nearest.0),
                },
            }
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
    steps: &'p [Step<'p>],
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
                Step::Key { key, .. } => push_key(&mut out, key.get(self.keys)),
            }
        }
        out
    }
}

/// Maximum length of an object's label, the length of the longest key that
/// is classified.
const MAX_LABEL_BYTES: usize = crate::detect::keys::MAX_KEY_BYTES;

/// Keys whose string value names a field of their object: `name`, `key`,
/// `field`, `label`, FHIR's `system` and HubSpot's `propertyName`.
const LABEL_KEYS: [&[u8]; 10] = [
    b"name",
    b"propertyname",
    b"key",
    b"field",
    b"fieldname",
    b"field_name",
    b"label",
    b"system",
    b"attribute",
    b"property",
];

/// Keys whose value belongs to the key of the enclosing object, as in
/// HubSpot's `{"email": {"value": "…"}}` or an XML-to-JSON `#text`, and
/// XML elements and attributes that do the same (`<phone><value>…`).
const WRAPPER_KEYS: [&[u8]; 7] = [
    b"value",
    b"text",
    b"#text",
    b"$",
    b"content",
    b"displayvalue",
    b"propertyvalue",
];

/// The parts of a person's name (`given` in FHIR's `HumanName`, `first` in
/// `{"name": {"first": …}}`), each with the one-word key it reads as.
const NAME_PART_KEYS: [(&[u8], &[u8]); 6] = [
    (b"first", b"firstname"),
    (b"last", b"lastname"),
    (b"given", b"givenname"),
    (b"family", b"familyname"),
    (b"middle", b"middlename"),
    (b"maiden", b"maidenname"),
];

/// For each key length below 16, a bit for the low five bits of the first
/// byte of every special key of that length, one for those of its second
/// byte (its first for a key of one byte) and one for those of its last
/// byte. The low five bits are the same for an upper- and a lower-case
/// letter.
const QUICK_CHECK: [(u32, u32, u32); 16] = {
    let mut table = [(0u32, 0u32, 0u32); 16];
    let mut index = 0;
    while index < WRAPPER_KEYS.len() + LABEL_KEYS.len() + NAME_PART_KEYS.len() {
        let key = if index < WRAPPER_KEYS.len() {
            WRAPPER_KEYS[index]
        } else if index < WRAPPER_KEYS.len() + LABEL_KEYS.len() {
            LABEL_KEYS[index - WRAPPER_KEYS.len()]
        } else {
            NAME_PART_KEYS[index - WRAPPER_KEYS.len() - LABEL_KEYS.len()].0
        };
        let second = if key.len() > 1 { key[1] } else { key[0] };
        table[key.len()].0 |= 1 << (key[0] & 31);
        table[key.len()].1 |= 1 << (second & 31);
        table[key.len()].2 |= 1 << (key[key.len() - 1] & 31);
        index += 1;
    }
    table
};

/// Maximum number of digits of a row index. Every number of 19 digits fits
/// in a `u64`, and pandas writes a timestamp index as 13 digits of
/// milliseconds.
const MAX_ROW_INDEX_DIGITS: usize = 19;

/// Returns whether `key` is a row index (see [`KeyKind::RowIndex`]).
fn is_row_index(key: &[u8]) -> bool {
    !key.is_empty() && key.len() <= MAX_ROW_INDEX_DIGITS && key.iter().all(u8::is_ascii_digit)
}

/// Returns whether `key` is a row label: a key of up to
/// [`MAX_KEY_BYTES`](crate::detect::keys::MAX_KEY_BYTES) bytes with a
/// digit, which the key tables do not know. pandas writes the labels of an
/// index such as `customer_id` as the keys of each column
/// (`{"name": {"CUST-00001": "Jane Doe"}}`). The digit separates a label
/// from a word such as `from` or `display`, whose value is a field of its own.
// NOTE: an index without digits, such as e-mail addresses or names
// (`{"dob": {"jane@example.com": "1985-03-14"}}`), is not read as rows.
pub(crate) fn is_row_label(key: &[u8]) -> bool {
    key.len() <= crate::detect::keys::MAX_KEY_BYTES
        && key.iter().any(u8::is_ascii_digit)
        && classify(key) == Roles::NONE
}

/// The row that a row index names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RowKey<'k> {
    /// A row index of digits, by its value.
    Number(u64),
    /// A row label, or a row index too large for a `u64`, by its text.
    Label(&'k [u8]),
}

/// Returns the value of a row index of digits, or `None` for a row label.
fn parse_row_index(key: &[u8]) -> Option<u64> {
    if !is_row_index(key) {
        return None;
    }
    key.iter().try_fold(0u64, |value, &digit| {
        value.checked_mul(10)?.checked_add(u64::from(digit - b'0'))
    })
}

pub(crate) fn is_label_key(key: &[u8]) -> bool {
    LABEL_KEYS
        .iter()
        .any(|label| key.eq_ignore_ascii_case(label))
}

/// Returns whether `label` is a name of anything, such as `Name` in AWS's
/// `{"Key": "Name", "Value": "Web Server"}`. A value paired with such a
/// label is a server's, a product's or a person's name alike, so the label
/// does not key it.
pub(crate) fn names_anything(label: &[u8]) -> bool {
    classify(label).without(Roles::GENERIC_NAME) == Roles::ANY_NAME
}

pub(crate) fn is_wrapper_key(key: &[u8]) -> bool {
    WRAPPER_KEYS
        .iter()
        .any(|wrapper| key.eq_ignore_ascii_case(wrapper))
}

fn name_part_index(key: &[u8]) -> Option<u8> {
    let index = NAME_PART_KEYS
        .iter()
        .position(|(part, _)| key.eq_ignore_ascii_case(part))?;
    u8::try_from(index).ok()
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
        path.set_key::<false>(b"customers");
        path.push_array();
        path.next_index();
        path.next_index();
        path.push_object();
        path.set_key::<false>(b"first name");
        assert_eq!(path.as_ref().render(), "$.customers[2][\"first name\"]");
        path.set_key::<false>(b"email");
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
        path.set_key::<false>(b"firstname");
        path.push_object();
        path.set_key::<false>(b"Value");
        assert_eq!(path.value_key(), Some(&b"firstname"[..]));
        path.pop();
        path.set_key::<false>(b"name");
        path.push_array();
        path.push_object();
        path.set_key::<false>(b"given");
        assert_eq!(path.value_key(), Some(&b"givenname"[..]));
        path.set_key::<false>(b"use");
        assert_eq!(path.value_key(), Some(&b"use"[..]));
        path.pop();
        path.pop();
        path.set_key::<false>(b"order");
        path.push_object();
        path.set_key::<false>(b"first");
        // A part of a name counts only under a key that names a person.
        assert_eq!(path.value_key(), Some(&b"first"[..]));
        path.pop();
        path.pop();
        path.push_object();
        path.set_key::<false>(b"value");
        // A wrapper without an enclosing key keeps its own key.
        assert_eq!(path.value_key(), Some(&b"value"[..]));
    }

    #[test]
    fn every_special_key_passes_the_quick_check() {
        let parts = NAME_PART_KEYS.iter().map(|&(part, _)| part);
        let keys = WRAPPER_KEYS.iter().copied().chain(parts).chain(LABEL_KEYS);
        for key in keys {
            let upper = key.to_ascii_uppercase();
            for spelling in [key, upper.as_slice()] {
                let text = String::from_utf8_lossy(spelling);
                assert_ne!(KeyKind::of(spelling), KeyKind::Plain, "{text}");
            }
        }
        assert_eq!(KeyKind::of(b"line"), KeyKind::Plain);
        assert_eq!(KeyKind::of(b"status"), KeyKind::Plain);
    }

    #[test]
    fn decoded_keys_are_copied_and_released() {
        let mut path = JsonPath::default();
        path.push_object();
        path.set_decoded_key::<false>(b"outer key");
        path.push_object();
        path.set_decoded_key::<false>(b"e-mail");
        path.set_key::<false>(b"phone");
        assert_eq!(path.value_key(), Some(&b"phone"[..]));
        path.set_decoded_key::<false>(b"mail\\");
        assert_eq!(path.current_key(), b"mail\\");
        path.pop();
        assert_eq!(path.keys, b"outer key");
        assert_eq!(path.as_ref().render(), "$[\"outer key\"]");
        path.set_key::<false>(b"next");
        path.pop();
        assert!(path.keys.is_empty());
    }

    #[test]
    fn personal_data_in_keys_is_masked() {
        let mut path = JsonPath::default();
        path.push_object();
        path.set_key::<false>(b"jane.doe@example.com");
        let rendered = path.as_ref().render();
        assert_eq!(rendered, "$[\"j***@e***.com\"]");
    }

    #[test]
    fn quotes_in_keys_are_escaped() {
        let mut path = JsonPath::default();
        path.push_object();
        path.set_key::<false>(b"say \"hi\"");
        assert_eq!(path.as_ref().render(), "$[\"say \\\"hi\\\"\"]");
    }
}
