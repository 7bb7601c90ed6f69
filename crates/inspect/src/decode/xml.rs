//! XML bodies: element text, attribute values, CDATA, comments and
//! processing instructions, each with its XPath-like location.
//!
//! The body arrives transcoded to UTF-8 (see [`super::charset`]). A first
//! pass ([`super::xml_structure`]) checks it and finds repeated elements;
//! this second pass emits segments.
//!
//! Entities: the five predefined ones and character references are
//! resolved. A DOCTYPE that declares any entity makes the document an
//! error ([`InspectError::XmlEntity`]), and so does a reference to an
//! undeclared one. Nothing is expanded and nothing is fetched, so neither
//! a billion-laughs document nor an external entity costs more than
//! reading the DOCTYPE.
//!
//! Keys: an element's text is keyed by the element's local name, or by its
//! `name` or `key` attribute if it has one (`<field name="email">`), and an
//! attribute value by the attribute's local name. A `name` or `key` value
//! shaped like a field name (`email`) is scanned as a name, not as a value
//! under the key `name`, where it would be judged as a person's name.
//!
//! Records: an element is a record when it has child elements, or no text
//! and two or more attributes that are fields (`<Customer No=".."
//! Email=".."/>`), and a sibling of the same name, unless it lies inside a
//! record already. Examples are
//! every `<record>` of an Odoo data file, every `Ntry` of a camt.053
//! statement and every `CdtTrfTxInf` of a pain.001 payment. Leaf elements
//! that repeat (several `<Phone>` of one contact) are values of one entity,
//! not entities. Everything outside records belongs to the enclosing record.

use std::borrow::Cow;

use quick_xml::events::attributes::{AttrError, Attribute};
use quick_xml::events::{BytesStart, Event};

use crate::InspectError;
use crate::decode::json_path::is_wrapper_key;
use crate::decode::xml_path::{LabelAttribute, Tail, XmlPath};
use crate::decode::xml_structure::{
    self, ChildNames, Structure, attribute_error, entity_error, invalid, name_hash, position,
};
use crate::decode::xml_text::{self, TextRun};
use crate::segment::{Location, RecordId, Role, Segment, SegmentSink};

/// Scans the XML document `input` (UTF-8) with `record` for everything
/// outside its records.
pub(crate) fn scan_xml(
    input: &[u8],
    max_depth: usize,
    record: RecordId,
    sink: &mut (impl SegmentSink + ?Sized),
) -> Result<(), InspectError> {
    let structure = xml_structure::analyze(input, max_depth)?;
    Emitter {
        structure,
        path: XmlPath::default(),
        open: Vec::new(),
        root: ChildNames::default(),
        ordinal: 0,
        outer_record: record,
    }
    .run(input, sink)
}

/// Returns whether `input` is a well-formed XML document within
/// `max_depth`, without emitting anything.
pub(crate) fn is_well_formed(input: &[u8], max_depth: usize) -> bool {
    xml_structure::analyze(input, max_depth).is_ok()
}

/// One open element in the second pass.
#[derive(Debug)]
struct Open {
    children: ChildNames,
    /// The record of the element's content.
    record: RecordId,
    /// Whether the element or one of its ancestors is a record.
    in_record: bool,
}

struct Emitter {
    structure: Structure,
    path: XmlPath,
    open: Vec<Open>,
    root: ChildNames,
    ordinal: usize,
    outer_record: RecordId,
}

impl Emitter {
    fn run(
        &mut self,
        input: &[u8],
        sink: &mut (impl SegmentSink + ?Sized),
    ) -> Result<(), InspectError> {
        let mut reader = xml_structure::reader(input);
        let mut run = TextRun::default();
        loop {
            let offset = position(&reader);
            let event = reader
                .read_event()
                .map_err(|error| invalid(&reader, &error))?;
            let has_text =
                matches!(event, Event::Start(_)) && text_follows(input, position(&reader));
            match event {
                Event::Text(text) => match text.into_inner() {
                    Cow::Borrowed(piece) => run.push_slice(piece),
                    Cow::Owned(piece) => run.push_owned(&piece),
                },
                Event::CData(data) => match data.into_inner() {
                    Cow::Borrowed(piece) => run.push_slice(piece),
                    Cow::Owned(piece) => run.push_owned(&piece),
                },
                Event::GeneralRef(reference) => match xml_text::resolve(&reference) {
                    Some(c) => run.push_char(c),
                    None => return Err(entity_error(offset, &reference)),
                },
                Event::Eof => {
                    self.flush(&mut run, sink);
                    return Ok(());
                }
                // A comment or processing instruction inside text does not
                // end it: an XML parser joins the text around it into one
                // value, so `4111<!---->1111…` is one card number.
                Event::Comment(_) | Event::PI(_) => self.markup(&event, offset, false, sink)?,
                other => {
                    self.flush(&mut run, sink);
                    self.markup(&other, offset, has_text, sink)?;
                }
            }
        }
    }

    /// Handles a markup event at `offset`. `has_text` is whether text
    /// follows a start tag directly.
    fn markup(
        &mut self,
        event: &Event<'_>,
        offset: usize,
        has_text: bool,
        sink: &mut (impl SegmentSink + ?Sized),
    ) -> Result<(), InspectError> {
        match event {
            Event::Start(start) => self.open(start, offset, has_text, sink)?,
            Event::Empty(start) => {
                self.open(start, offset, false, sink)?;
                self.close();
            }
            Event::End(_) => self.close(),
            Event::Comment(text) | Event::DocType(text) => {
                let tail = match event {
                    Event::Comment(_) => Tail::Comment,
                    _ => Tail::Doctype,
                };
                self.emit(text, None, tail, Role::Value, sink);
            }
            Event::PI(instruction) => {
                self.emit(
                    instruction,
                    None,
                    Tail::ProcessingInstruction,
                    Role::Value,
                    sink,
                );
            }
            _ => {}
        }
        Ok(())
    }

    /// Opens an element: its step in the path, its record and its
    /// attributes.
    fn open(
        &mut self,
        start: &BytesStart<'_>,
        offset: usize,
        has_text: bool,
        sink: &mut (impl SegmentSink + ?Sized),
    ) -> Result<(), InspectError> {
        let local_name = start.local_name();
        let name = local_name.as_ref();
        let ordinal = self.ordinal;
        self.ordinal += 1;
        let (parent_record, parent_in_record, siblings) = match self.open.last_mut() {
            Some(parent) => (parent.record, parent.in_record, &mut parent.children),
            None => (self.outer_record, false, &mut self.root),
        };
        let (_, index) = siblings.add(name_hash(name), ordinal);
        let repeated = self.structure.repeated.get(ordinal);
        let is_record = !parent_in_record
            && repeated
            && (self.structure.has_children.get(ordinal)
                || (!has_text && has_attribute_fields(start)));
        let record = if is_record {
            sink.begin_record()
        } else {
            parent_record
        };
        self.path.push(name, repeated.then_some(index));
        self.open.push(Open {
            children: ChildNames::default(),
            record,
            in_record: parent_in_record || is_record,
        });
        self.attributes(start, offset, has_text, sink)
    }

    fn attributes(
        &mut self,
        start: &BytesStart<'_>,
        offset: usize,
        has_text: bool,
        sink: &mut (impl SegmentSink + ?Sized),
    ) -> Result<(), InspectError> {
        let has_wrapper = label_element(&mut self.path, start, offset)?;
        // The first pass rejected repeated attributes.
        for attribute in start.attributes().with_checks(false) {
            let attribute = checked(attribute, offset)?;
            let key = attribute.key.local_name();
            let value = unescaped_value(&attribute, offset)?;
            // In `<field name="Notes">hello</field>` and `<attribute
            // name="Color" value="Red"/>`, the label names a field the way a
            // JSON key does. Scanned as a name, it neither votes in the
            // `name` column nor counts as a person called `Color`.
            let tail = Tail::Attribute(key.as_ref());
            if labels_field(key.as_ref(), &value, has_wrapper || has_text) {
                self.emit(&value, None, tail, Role::Name, sink);
            } else {
                let value_key = self.path.attribute_key(key.as_ref());
                self.emit(&value, Some(value_key), tail, Role::Value, sink);
            }
        }
        Ok(())
    }

    fn close(&mut self) {
        self.open.pop();
        self.path.pop();
    }

    /// Emits the pending text run of the current element.
    fn flush(&mut self, run: &mut TextRun<'_>, sink: &mut (impl SegmentSink + ?Sized)) {
        let text = run.take();
        if text.is_empty() {
            return;
        }
        // XML-RPC names each member's field in a `<name>` child before its
        // `<value>`. That field name is scanned as a name, like a label
        // attribute, and keys the value.
        let trimmed = text.trim_ascii();
        let field_name = is_label_text(&self.path, trimmed);
        let (key, role) = if field_name {
            (None, Role::Name)
        } else {
            (self.path.key(), Role::Value)
        };
        sink.segment(&Segment {
            text,
            key,
            location: Location::Xml(self.path.as_ref(Tail::Text)),
            record: self.current_record(),
            role,
        });
        if field_name {
            self.path.label_parent(trimmed);
        }
    }

    /// Emits a value that belongs to the current element, keyed by `key`
    /// or, without one, by nothing.
    fn emit(
        &self,
        text: &[u8],
        key: Option<&[u8]>,
        tail: Tail<'_>,
        role: Role,
        sink: &mut (impl SegmentSink + ?Sized),
    ) {
        let text = text.trim_ascii();
        if text.is_empty() {
            return;
        }
        sink.segment(&Segment {
            text,
            key,
            location: Location::Xml(self.path.as_ref(tail)),
            record: self.current_record(),
            role,
        });
    }

    fn current_record(&self) -> RecordId {
        self.open
            .last()
            .map_or(self.outer_record, |open| open.record)
    }
}

/// Labels the element that `path` has just opened with its first `name` or
/// `key` attribute, in whatever position among its attributes. Returns
/// whether the element also has an attribute named like a wrapper
/// (`value`), which makes the label a field name whatever its shape.
pub(crate) fn label_element(
    path: &mut XmlPath,
    start: &BytesStart<'_>,
    offset: usize,
) -> Result<bool, InspectError> {
    let mut has_wrapper = false;
    for attribute in start.attributes().with_checks(false) {
        let attribute = checked(attribute, offset)?;
        let key = attribute.key.local_name();
        if let Some(label) = label_attribute(key.as_ref()) {
            path.set_label(label, &unescaped_value(&attribute, offset)?);
        }
        has_wrapper |= is_wrapper_key(key.as_ref());
    }
    Ok(has_wrapper)
}

/// Returns an attribute of the tag at `offset`, or the error that makes
/// the document invalid.
pub(crate) fn checked(
    attribute: Result<Attribute<'_>, AttrError>,
    offset: usize,
) -> Result<Attribute<'_>, InspectError> {
    attribute.map_err(|error| attribute_error(error, offset))
}

/// Returns the value of `attribute` of the tag at `offset` with its
/// references resolved.
pub(crate) fn unescaped_value<'v>(
    attribute: &'v Attribute<'_>,
    offset: usize,
) -> Result<Cow<'v, [u8]>, InspectError> {
    xml_text::unescape(&attribute.value).map_err(|unknown| entity_error(offset, &unknown.name))
}

fn label_attribute(name: &[u8]) -> Option<LabelAttribute> {
    match name {
        b"name" => Some(LabelAttribute::Name),
        b"key" => Some(LabelAttribute::Key),
        _ => None,
    }
}

/// Returns whether the attribute `name` with `value` is a label that names
/// a field: a `name` or `key` attribute whose element contains text or a
/// wrapper attribute (`value`), which `labels_content` reports, or whose
/// value has the shape of a field name. Otherwise (`<person name="Jane
/// Doe">` around child elements) the value is data.
pub(crate) fn labels_field(name: &[u8], value: &[u8], labels_content: bool) -> bool {
    label_attribute(name).is_some() && (labels_content || is_field_name(value))
}

/// Returns whether the element `start` carries at least two fields in its
/// attributes, as `<Customer No="C1" Email="jane@example.com"/>` does.
/// Such an element, repeated and without text, is a record the way an
/// element with child elements is. One attribute is a value of its entity
/// (`<Phone number="…"/>` beside another), the same as a repeated leaf
/// element with text. Namespace declarations and attributes that label a
/// field (`<field name="email" value="…"/>`) are not fields.
fn has_attribute_fields(start: &BytesStart<'_>) -> bool {
    let mut has_wrapper = false;
    let mut fields = 0;
    // Invalid attributes are left to `Emitter::attributes`, which fails.
    for attribute in start.attributes().with_checks(false).flatten() {
        let key = attribute.key;
        let local_name = key.local_name();
        let name = local_name.as_ref();
        has_wrapper |= is_wrapper_key(name);
        let declares_namespace = key.as_namespace_binding().is_some();
        if !declares_namespace && !labels_field(name, &attribute.value, false) {
            fields += 1;
        }
    }
    !has_wrapper && fields >= 2
}

/// Returns whether text follows the start tag that ends at `at` before any
/// other markup except CDATA, so that the element's `name` attribute labels
/// that text.
pub(crate) fn text_follows(input: &[u8], at: usize) -> bool {
    let rest = input.get(at..).unwrap_or_default();
    match rest.iter().position(|byte| !byte.is_ascii_whitespace()) {
        Some(index) => rest[index] != b'<' || rest[index..].starts_with(b"<![CDATA["),
        None => false,
    }
}

/// Returns whether the text of the innermost element labels its parent:
/// a `<name>` child that contains a field name, or any `<name>` of an
/// XML-RPC `<member>`, which always names the member's field.
pub(crate) fn is_label_text(path: &XmlPath, text: &[u8]) -> bool {
    path.innermost_is(b"name") && (path.parent_is(b"member") || is_field_name(text))
}

/// Returns whether a `name` or `key` attribute value is a field name
/// (`email`, `partner_id`, `image_1920`) rather than a value such as a
/// person's name: ASCII without spaces that starts with a lower-case letter
/// or contains `_` or a digit. `FirstName` stays a value, as before.
fn is_field_name(value: &[u8]) -> bool {
    let identifier = value
        .iter()
        .all(|&byte| byte.is_ascii_alphanumeric() || matches!(byte, b'_' | b'-' | b'.' | b':'));
    let marked = value.first().is_some_and(u8::is_ascii_lowercase)
        || value
            .iter()
            .any(|&byte| byte == b'_' || byte.is_ascii_digit());
    identifier && marked
}

#[cfg(test)]
#[path = "xml_tests.rs"]
mod tests;
