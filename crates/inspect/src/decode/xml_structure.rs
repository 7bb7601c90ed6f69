//! The first pass over an XML body: well-formedness, limits, and which
//! elements repeat among their siblings.
//!
//! Records need to know, when an element opens, whether a sibling of the
//! same name will follow, and a streaming parser learns that only later.
//! So this pass reads the markup alone (tags, references and DOCTYPE, no
//! text is copied or unescaped) and keeps two bits per element. It also
//! rejects a malformed document before a single segment is emitted.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use quick_xml::Reader;
use quick_xml::events::attributes::AttrError;
use quick_xml::events::{BytesStart, Event};

use crate::InspectError;
use crate::decode::xml_text;
use crate::error::sanitized;

/// Characters of a parser message kept in an error. The messages quote tag
/// names from the document, which is client text.
const MAX_ERROR_MESSAGE_CHARS: usize = 200;

/// Distinct child names per element kept in a list before switching to a
/// hash map; most elements have a handful.
const LINEAR_NAMES: usize = 16;

/// The sibling names seen under one open element, each with the ordinal
/// of the first element of that name and how many there were.
#[derive(Debug, Default)]
pub(crate) struct ChildNames {
    list: Vec<(u64, usize, u32)>,
    map: HashMap<u64, (usize, u32)>,
}

impl ChildNames {
    /// Counts a child named by `name_hash` with element ordinal `ordinal`.
    /// Returns the ordinal of the first child of that name and the child's
    /// position among them, counted from 1.
    pub(crate) fn add(&mut self, name_hash: u64, ordinal: usize) -> (usize, u32) {
        if self.map.is_empty() {
            if let Some(entry) = self.list.iter_mut().find(|entry| entry.0 == name_hash) {
                entry.2 += 1;
                return (entry.1, entry.2);
            }
            if self.list.len() < LINEAR_NAMES {
                self.list.push((name_hash, ordinal, 1));
                return (ordinal, 1);
            }
            self.map = self
                .list
                .drain(..)
                .map(|(hash, first, count)| (hash, (first, count)))
                .collect();
        }
        let entry = self.map.entry(name_hash).or_insert((ordinal, 0));
        entry.1 += 1;
        *entry
    }
}

/// FNV-1a of a local name. A collision only merges two names' sibling
/// counts, which changes record boundaries, never what is scanned.
pub(crate) fn name_hash(name: &[u8]) -> u64 {
    name.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// A growable bit set indexed by element ordinal.
#[derive(Debug, Default)]
pub(crate) struct Bits(Vec<u64>);

impl Bits {
    fn set(&mut self, index: usize) {
        let word = index / 64;
        if word >= self.0.len() {
            self.0.resize(word + 1, 0);
        }
        self.0[word] |= 1 << (index % 64);
    }

    pub(crate) fn get(&self, index: usize) -> bool {
        self.0
            .get(index / 64)
            .is_some_and(|word| word & (1 << (index % 64)) != 0)
    }
}

/// The result of the first pass, indexed by element ordinal (the order in
/// which elements open, from 0).
#[derive(Debug, Default)]
pub(crate) struct Structure {
    /// Elements with a sibling of the same local name.
    pub repeated: Bits,
    /// Elements with at least one child element.
    pub has_children: Bits,
}

/// Returns a reader over `input` configured as both passes use it.
pub(crate) fn reader(input: &[u8]) -> Reader<&[u8]> {
    let mut reader = Reader::from_reader(input);
    let config = reader.config_mut();
    config.check_end_names = true;
    config.check_comments = true;
    config.allow_unmatched_ends = false;
    config.expand_empty_elements = false;
    reader
}

/// Reads the markup of `input` and returns its structure, or the first
/// well-formedness error, entity declaration or unknown entity reference.
pub(crate) fn analyze(input: &[u8], max_depth: usize) -> Result<Structure, InspectError> {
    let mut reader = reader(input);
    let mut structure = Structure::default();
    let mut open: Vec<(usize, ChildNames)> = Vec::new();
    let mut root = ChildNames::default();
    let mut ordinal = 0usize;
    loop {
        let offset = position(&reader);
        let event = reader
            .read_event()
            .map_err(|error| invalid(&reader, &error))?;
        match event {
            Event::Start(ref start) | Event::Empty(ref start) => {
                if open.len() >= max_depth {
                    return Err(InspectError::XmlTooDeep {
                        offset,
                        limit: max_depth,
                    });
                }
                check_names(start, offset)?;
                let siblings = match open.last_mut() {
                    Some((parent, names)) => {
                        structure.has_children.set(*parent);
                        names
                    }
                    None => &mut root,
                };
                let (first, index) = siblings.add(name_hash(start.local_name().as_ref()), ordinal);
                if index > 1 {
                    structure.repeated.set(first);
                    structure.repeated.set(ordinal);
                }
                if matches!(event, Event::Start(_)) {
                    open.push((ordinal, ChildNames::default()));
                }
                ordinal += 1;
            }
            Event::End(_) => {
                open.pop();
            }
            Event::GeneralRef(reference) if xml_text::resolve(&reference).is_none() => {
                return Err(entity_error(offset, &reference));
            }
            Event::DocType(doctype) => check_doctype(&doctype, offset)?,
            Event::Eof if open.is_empty() => return Ok(structure),
            Event::Eof => {
                return Err(InspectError::InvalidXml {
                    offset: input.len(),
                    message: format!("{} elements are not closed", open.len()),
                });
            }
            _ => {}
        }
    }
}

/// Rejects a DOCTYPE that declares entities. Its other declarations
/// (elements, attribute lists, notations) change nothing that is scanned,
/// and an external DTD it names is never fetched.
fn check_doctype(doctype: &[u8], offset: usize) -> Result<(), InspectError> {
    let Some(at) = memchr::memmem::find(doctype, b"<!ENTITY") else {
        return Ok(());
    };
    let rest = doctype[at + b"<!ENTITY".len()..].trim_ascii_start();
    let rest = rest.strip_prefix(b"%").unwrap_or(rest).trim_ascii_start();
    let end = rest
        .iter()
        .position(|byte| byte.is_ascii_whitespace())
        .unwrap_or(rest.len());
    Err(entity_error(offset, &rest[..end]))
}

/// Returns the error for a reference that does not resolve: an invalid
/// character reference (`&#0;`, `&#xD800;`) is malformed XML, and any other
/// name is an entity that is not expanded.
pub(crate) fn entity_error(offset: usize, name: &[u8]) -> InspectError {
    if name.first() == Some(&b'#') {
        return InspectError::InvalidXml {
            offset,
            message: "invalid character reference".to_owned(),
        };
    }
    // Only the HTML entities that XML lacks are named: any other name may
    // be data (`&Whitfield;`).
    let name = match HTML_ENTITIES.iter().find(|known| known.as_bytes() == name) {
        Some(known) => (*known).to_owned(),
        None => format!("[{} characters withheld]", name.len()),
    };
    InspectError::XmlEntity { offset, name }
}

/// HTML entities that documents copied from web pages use in XML, where
/// they are undefined.
const HTML_ENTITIES: [&str; 20] = [
    "nbsp", "copy", "reg", "trade", "hellip", "mdash", "ndash", "euro", "pound", "laquo", "raquo",
    "auml", "ouml", "uuml", "Auml", "Ouml", "Uuml", "szlig", "eacute", "egrave",
];

/// Returns an error when an element or attribute name of the tag at
/// `offset` contains a character that XML names never contain (`@`, `!`, `/`
/// and the like). A parser that accepts such names would let an e-mail
/// address through as a tag (`<jane@example.org/>`), where no value is
/// scanned.
fn check_names(start: &BytesStart<'_>, offset: usize) -> Result<(), InspectError> {
    let name_byte = |byte: &u8| {
        byte.is_ascii_alphanumeric() || matches!(byte, b'.' | b'-' | b'_' | b':') || *byte >= 0x80
    };
    if !start.name().as_ref().iter().all(name_byte) {
        return Err(InspectError::InvalidXml {
            offset,
            message: "invalid character in an element name".to_owned(),
        });
    }
    let mut names = AttributeNames::default();
    for attribute in start.attributes().with_checks(false) {
        let Ok(attribute) = attribute else {
            // The second pass reports malformed attributes with their cause.
            continue;
        };
        let name = attribute.key.into_inner();
        if !name.iter().all(name_byte) {
            return Err(InspectError::InvalidXml {
                offset,
                message: "invalid character in an attribute name".to_owned(),
            });
        }
        // Offsets within the tag, as the parser's own messages give them.
        let at = name.as_ptr().addr() - start.as_ptr().addr();
        if let Some(previous) = names.insert(name, at) {
            let error = AttrError::Duplicated(at, previous);
            return Err(attribute_error(error, offset));
        }
    }
    Ok(())
}

/// Names of the attributes of one tag seen so far, with their offsets in
/// the tag.
///
/// The parser can reject a repeated attribute itself, but it compares
/// each attribute with every earlier one: a 1 MiB tag of 100,000
/// attributes took 38 seconds. The first few names are compared the
/// same way, and a set takes over from [`SMALL_TAG_ATTRIBUTES`] on. Both
/// passes and masking read attributes with the parser's check off, since
/// [`analyze`] rejects a repeated one first.
#[derive(Default)]
struct AttributeNames<'t> {
    few: Vec<(&'t [u8], usize)>,
    many: HashMap<&'t [u8], usize>,
}

/// Attributes of a tag that [`AttributeNames`] compares one by one.
const SMALL_TAG_ATTRIBUTES: usize = 8;

impl<'t> AttributeNames<'t> {
    /// Adds `name`, at offset `at`, and returns the offset of an earlier
    /// attribute of that name.
    fn insert(&mut self, name: &'t [u8], at: usize) -> Option<usize> {
        if self.few.len() < SMALL_TAG_ATTRIBUTES {
            let previous = self.few.iter().find(|(seen, _)| *seen == name);
            if let Some(&(_, previous)) = previous {
                return Some(previous);
            }
            self.few.push((name, at));
            return None;
        }
        if self.many.is_empty() {
            self.many.extend(self.few.iter().copied());
        }
        match self.many.entry(name) {
            Entry::Occupied(entry) => Some(*entry.get()),
            Entry::Vacant(entry) => {
                entry.insert(at);
                None
            }
        }
    }
}

/// Returns the error that a malformed attribute of the tag at `offset`
/// makes.
pub(crate) fn attribute_error(error: AttrError, offset: usize) -> InspectError {
    InspectError::InvalidXml {
        offset,
        message: format!("invalid attribute: {error}"),
    }
}

pub(crate) fn position(reader: &Reader<&[u8]>) -> usize {
    usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX)
}

pub(crate) fn invalid(reader: &Reader<&[u8]>, error: &quick_xml::Error) -> InspectError {
    let message = without_quoted_names(&error.to_string());
    InspectError::InvalidXml {
        offset: usize::try_from(reader.error_position()).unwrap_or(usize::MAX),
        message: sanitized(&message, MAX_ERROR_MESSAGE_CHARS),
    }
}

/// Replaces the names inside the backquoted markup of a parser message
/// (``expected `</Jane.Doe>`, but `</contacts>` was found``) with `…`,
/// keeping the markup characters. Element names are data in some
/// documents, and the message goes to the log, the record and the client.
fn without_quoted_names(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut quoted = false;
    let mut in_name = false;
    for character in message.chars() {
        if character == '`' {
            quoted = !quoted;
            in_name = false;
            out.push(character);
        } else if !quoted || matches!(character, '<' | '/' | '>' | '?' | '!' | '=' | '"') {
            in_name = false;
            out.push(character);
        } else if !in_name {
            in_name = true;
            out.push('…');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::without_quoted_names;

    #[test]
    fn names_with_characters_xml_forbids_are_errors() {
        for document in [
            "<r><jane.doe@example.org/></r>",
            r#"<r><c jane.doe@example.org="1"/></r>"#,
            "<r><a!b>t</a!b></r>",
        ] {
            let error = super::analyze(document.as_bytes(), 16).unwrap_err();
            assert!(!error.to_string().contains("jane"), "{error}");
            assert!(error.to_string().contains("invalid character"), "{error}");
        }
        let allowed = r#"<a-b.c_d:e x:y="1"><é>t</é></a-b.c_d:e>"#;
        assert!(super::analyze(allowed.as_bytes(), 16).is_ok());
    }

    #[test]
    fn only_known_html_entities_are_named() {
        let known = super::entity_error(3, b"nbsp").to_string();
        assert!(known.contains("\"nbsp\""), "{known}");
        let other = super::entity_error(3, b"Whitfield").to_string();
        assert!(!other.contains("Whitfield"), "{other}");
    }

    #[test]
    fn quoted_names_are_withheld() {
        assert_eq!(
            without_quoted_names("expected `</Jane.Doe>`, but `</contacts>` was found"),
            "expected `</…>`, but `</…>` was found"
        );
        assert_eq!(without_quoted_names("unclosed `<`"), "unclosed `<`");
        assert_eq!(without_quoted_names("no quotes here"), "no quotes here");
    }
}
