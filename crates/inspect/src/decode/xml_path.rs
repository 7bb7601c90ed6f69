//! The path of the XML element being decoded, kept as a stack of steps.
//!
//! Like the JSON path, it is updated on every element and rendered only when
//! a detector finds something, as an XPath-like string:
//! `/Document/CstmrCdtTrfInitn/PmtInf/CdtTrfTxInf[1]/Cdtr/Nm`. Names are
//! local names, without namespace prefix. A step gets `[n]` (counted from 1
//! among siblings of the same name) when its element has such siblings, and
//! `[@name="email"]` when it has a `name` or `key` attribute, as Odoo's
//! `<field name="email">` and Java's `<entry key="email">` do.

use std::fmt::Write as _;

use crate::decode::json_path::{is_wrapper_key, names_anything};
use crate::segment::{masked_key, masked_label, push_quoted};

/// One open element. Its name and label live in the arena.
#[derive(Debug, Clone, Copy)]
struct Step {
    start: usize,
    name_end: usize,
    /// The end of the label (the value of a `name` or `key` attribute)
    /// that follows the name in the arena; `name_end` when there is none.
    label_end: usize,
    label_attribute: LabelAttribute,
    /// Position among siblings of the same name, for repeated elements.
    index: Option<u32>,
}

impl Step {
    /// Returns the element's local name, stored in `arena`.
    fn name<'a>(&self, arena: &'a [u8]) -> &'a [u8] {
        &arena[self.start..self.name_end]
    }

    /// Returns the element's label, stored in `arena`, if it has one.
    fn label<'a>(&self, arena: &'a [u8]) -> Option<&'a [u8]> {
        (self.label_end > self.name_end).then(|| &arena[self.name_end..self.label_end])
    }

    /// Returns the key of the element's text: its label, else its name.
    fn key<'a>(&self, arena: &'a [u8]) -> &'a [u8] {
        self.label(arena).unwrap_or_else(|| self.name(arena))
    }
}

/// The source of a step's label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LabelAttribute {
    Name,
    Key,
    /// The `<name>` child of an XML-RPC `<member>`, which names a field
    /// of a record the way a JSON key does (see [`XmlPath::label_parent`]).
    Member,
}

/// What inside the current element a segment is.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Tail<'p> {
    /// The element's own text.
    Text,
    Attribute(&'p [u8]),
    Comment,
    ProcessingInstruction,
    Doctype,
}

/// The path from the document root to the current element.
#[derive(Debug, Default)]
pub(crate) struct XmlPath {
    steps: Vec<Step>,
    arena: Vec<u8>,
}

impl XmlPath {
    /// Opens an element with local name `name`.
    pub(crate) fn push(&mut self, name: &[u8], index: Option<u32>) {
        let start = self.arena.len();
        self.arena.extend_from_slice(name);
        let end = self.arena.len();
        self.steps.push(Step {
            start,
            name_end: end,
            label_end: end,
            label_attribute: LabelAttribute::Name,
            index,
        });
    }

    /// Labels the innermost element with the value of its `name` or `key`
    /// attribute, unless it has a label already.
    pub(crate) fn set_label(&mut self, attribute: LabelAttribute, value: &[u8]) {
        let Some(step) = self.steps.last_mut() else {
            return;
        };
        if step.label_end != step.name_end {
            return;
        }
        self.arena.extend_from_slice(value);
        step.label_end = self.arena.len();
        step.label_attribute = attribute;
    }

    pub(crate) fn pop(&mut self) {
        if let Some(step) = self.steps.pop() {
            self.arena.truncate(step.start);
        }
    }

    /// Returns the key of the innermost element's text: its label if it has
    /// one, else its local name. An element named like a wrapper
    /// (`<phone><value>…</value></phone>`) takes its parent's key.
    pub(crate) fn key(&self) -> Option<&[u8]> {
        let own_name = self.steps.last()?.name(&self.arena);
        // XML-RPC wraps each value twice (`<value><string>…`), so the walk
        // goes up as far as the wrappers go.
        for (depth, step) in self.steps.iter().rev().enumerate() {
            if let Some(label) = step.label(&self.arena) {
                // A wrapped value takes only a label that names its field,
                // such as a record's field name, not a generic `Name`.
                let generic = depth > 0
                    && step.label_attribute != LabelAttribute::Member
                    && names_anything(label);
                return Some(if generic { own_name } else { label });
            }
            let name = step.name(&self.arena);
            if !(is_wrapper_key(name) || is_xml_rpc_type(name)) {
                return Some(name);
            }
        }
        Some(own_name)
    }

    /// Labels the parent of the innermost element with `value`, the text of
    /// a `<name>` child as in XML-RPC's `<member><name>phone</name>`,
    /// unless the parent has a label already.
    pub(crate) fn label_parent(&mut self, value: &[u8]) {
        let Some([parent, innermost]) = self.steps.last_chunk_mut::<2>() else {
            return;
        };
        if parent.label_end != parent.name_end {
            return;
        }
        // The label goes after the parent's name in the arena, where the
        // innermost element's name is now; that name moves behind it.
        let name = innermost.name(&self.arena).to_vec();
        self.arena.truncate(parent.name_end);
        self.arena.extend_from_slice(value);
        parent.label_end = self.arena.len();
        parent.label_attribute = LabelAttribute::Member;
        innermost.start = self.arena.len();
        self.arena.extend_from_slice(&name);
        innermost.name_end = self.arena.len();
        innermost.label_end = innermost.name_end;
    }

    /// Returns the key that an attribute named `attribute` of the innermost
    /// element gives its value: the element's own key for a wrapper
    /// (`<phone value="…"/>`, `<attribute name="phone" value="…"/>`), else
    /// the attribute's name.
    pub(crate) fn attribute_key<'a>(&'a self, attribute: &'a [u8]) -> &'a [u8] {
        match self.steps.last() {
            Some(step) if is_wrapper_key(attribute) => match step.label(&self.arena) {
                Some(label) if names_anything(label) => attribute,
                _ => step.key(&self.arena),
            },
            _ => attribute,
        }
    }

    /// Returns whether the parent of the innermost element is named `name`.
    pub(crate) fn parent_is(&self, name: &[u8]) -> bool {
        self.steps
            .len()
            .checked_sub(2)
            .is_some_and(|parent| self.steps[parent].name(&self.arena) == name)
    }

    /// Returns whether the innermost element is named `name`.
    pub(crate) fn innermost_is(&self, name: &[u8]) -> bool {
        self.steps
            .last()
            .is_some_and(|step| step.name(&self.arena) == name)
    }

    pub(crate) fn as_ref<'p>(&'p self, tail: Tail<'p>) -> XmlPathRef<'p> {
        XmlPathRef {
            steps: &self.steps,
            arena: &self.arena,
            tail,
        }
    }
}

/// Returns whether `name` is one of XML-RPC's types, which wrap a value
/// inside `<value>`, or an array's `<data>`.
fn is_xml_rpc_type(name: &[u8]) -> bool {
    const TYPES: [&[u8]; 10] = [
        b"array",
        b"data",
        b"string",
        b"int",
        b"i4",
        b"i8",
        b"double",
        b"boolean",
        b"dateTime.iso8601",
        b"base64",
    ];
    TYPES.contains(&name)
}

/// A borrowed view of an [`XmlPath`], carried by segments.
#[derive(Debug, Clone, Copy)]
pub(crate) struct XmlPathRef<'p> {
    steps: &'p [Step],
    arena: &'p [u8],
    tail: Tail<'p>,
}

impl XmlPathRef<'_> {
    /// Appends the rendered path to `out`; personal data in names and labels
    /// is masked.
    pub(crate) fn render_into(&self, out: &mut String) {
        for step in self.steps {
            out.push('/');
            out.push_str(&masked_key(step.name(self.arena)));
            if let Some(label) = step.label(self.arena) {
                out.push_str(match step.label_attribute {
                    LabelAttribute::Name | LabelAttribute::Member => "[@name=",
                    LabelAttribute::Key => "[@key=",
                });
                push_quoted(out, &masked_label(label));
                out.push(']');
            } else if let Some(index) = step.index {
                // `write!` into a `String` never returns an error.
                let _ = write!(out, "[{index}]");
            }
        }
        match self.tail {
            Tail::Text if self.steps.is_empty() => out.push('/'),
            Tail::Text => {}
            Tail::Attribute(name) => {
                out.push_str("/@");
                out.push_str(&masked_key(name));
            }
            Tail::Comment => out.push_str("/comment()"),
            Tail::ProcessingInstruction => out.push_str("/processing-instruction()"),
            Tail::Doctype => out.push_str("/!DOCTYPE"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rendered(path: &XmlPath, tail: Tail<'_>) -> String {
        let mut out = String::new();
        path.as_ref(tail).render_into(&mut out);
        out
    }

    #[test]
    fn steps_render_with_indexes_labels_and_tails() {
        let mut path = XmlPath::default();
        assert_eq!(rendered(&path, Tail::Text), "/");
        path.push(b"Document", None);
        path.push(b"CdtTrfTxInf", Some(2));
        path.push(b"field", None);
        path.set_label(LabelAttribute::Name, b"email");
        path.set_label(LabelAttribute::Key, b"ignored");
        assert_eq!(
            rendered(&path, Tail::Text),
            "/Document/CdtTrfTxInf[2]/field[@name=\"email\"]"
        );
        assert_eq!(path.key(), Some(&b"email"[..]));
        path.pop();
        assert_eq!(
            rendered(&path, Tail::Attribute(b"Ccy")),
            "/Document/CdtTrfTxInf[2]/@Ccy"
        );
        assert_eq!(path.key(), Some(&b"CdtTrfTxInf"[..]));
        assert_eq!(
            rendered(&path, Tail::Comment),
            "/Document/CdtTrfTxInf[2]/comment()"
        );
    }
}
