//! JSON bodies: an iterative tokenizer that emits every key, string and
//! number as a segment.
//!
//! The tokenizer validates the whole document (RFC 8259) without building a
//! value tree and without recursion: open arrays and objects live on an
//! explicit stack, so the nesting limit, not the thread's stack, bounds the
//! depth. Numbers are emitted as their raw text, because ERP systems send
//! card and account numbers as JSON numbers, and a number above 2^53 would
//! lose digits as a float; an integer written with a fraction or an exponent
//! is emitted as its plain digits.
//!
//! Records for counting subjects: every object or array that is an element of
//! an outermost array (an array not inside another array) is a record of its
//! own. Everything else belongs to the enclosing record: the request record
//! for a body, the record of the string for JSON nested in a string.
//!
//! Tables that pandas and spreadsheet APIs send without an object per row
//! are read by row as well:
//!
//! - Under a row index key (`{"name": {"0": "Jane Doe"}}`, pandas'
//!   `orient="columns"` and `"index"`), a value takes the key above the
//!   index (see [`JsonPath::value_key`]). A row label such as `CUST-00001`,
//!   which pandas writes for an index of customer numbers, is a row index
//!   too, in an object of row indexes or in a column of labelled rows under
//!   a known key (see [`labelled_rows_ahead`]). When the outermost object
//!   or the value of its first member is keyed by rows, the values and
//!   containers under the same row index outside any record share a record
//!   of their own, so each row counts as one person. Inside one record,
//!   such as a customer with `{"phone": {"line1": …}}`, rows are parts of
//!   that record.
//! - An array may start with a header row: an array of short strings of
//!   which one or more are known field names (`[["name", "email"], ["Jane
//!   Doe", "jane@example.com"]]`), after up to five title rows of one
//!   cell (`["Customer export"]`). The strings of the header are field
//!   names, and each keys the values at its position in the rows below. A
//!   `columns` array of such strings keys the rows of the `data` array
//!   after it in the same object (pandas' `orient="split"`). So does a
//!   header followed by one array of rows in the same array (`[["name",
//!   "email"], [["Jane Doe", "jane@example.com"]]]`, the arguments of
//!   Odoo's `load`). Each row is a record.

use std::collections::HashMap;

use crate::InspectError;
use crate::decode::json_path::{JsonPath, RowKey, is_label_key, is_row_label, is_wrapper_key};
use crate::decode::json_string::{DecodedString, decode_string, invalid};
use crate::detect::Roles;
use crate::detect::keys::{classify, reference_name_key};
use crate::segment::{Location, REQUEST_RECORD, RecordId, Role, Segment, SegmentSink};

/// Scans the JSON document `input` and emits its keys and scalar values.
///
/// An empty document is an error like any other invalid JSON: a body that
/// claims to be JSON but cannot be parsed cannot be fully inspected.
pub(crate) fn scan_json(
    input: &[u8],
    max_depth: usize,
    sink: &mut (impl SegmentSink + ?Sized),
) -> Result<(), InspectError> {
    scan_json_in(input, max_depth, REQUEST_RECORD, sink)
}

/// Scans `input` like [`scan_json`], with `record` for everything outside
/// the elements of an outermost array.
pub(crate) fn scan_json_in(
    input: &[u8],
    max_depth: usize,
    record: RecordId,
    sink: &mut (impl SegmentSink + ?Sized),
) -> Result<(), InspectError> {
    Tokenizer::new(input, max_depth, record).run(sink)
}

/// Returns whether `input` is one valid JSON document.
pub(crate) fn is_valid(input: &[u8], max_depth: usize) -> bool {
    scan_json(input, max_depth, &mut NullSink).is_ok()
}

/// A sink that drops everything, for validation.
struct NullSink;

impl SegmentSink for NullSink {
    fn begin_record(&mut self) -> RecordId {
        REQUEST_RECORD
    }

    fn segment(&mut self, _segment: &Segment<'_>) {}
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ContainerKind {
    Array,
    Object,
}

#[derive(Debug, Clone, Copy)]
struct Container {
    kind: ContainerKind,
    /// The record that was current when the container opened, restored when
    /// it closes.
    outer_record: RecordId,
}

/// The token that the tokenizer accepts next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    Value,
    /// Right after `[`.
    FirstElementOrEnd,
    /// Right after `{`.
    FirstKeyOrEnd,
    /// After `,` in an object.
    Key,
    /// Right after the `{` of an object whose first key starts with a
    /// digit or that is a column of labelled rows, so that its keys may be
    /// row indexes.
    FirstRowKeyOrEnd,
    /// After `,` in an object whose current key is a row index.
    RowKey,
    /// After a complete value.
    CommaOrEnd,
}

struct Tokenizer<'a> {
    input: &'a [u8],
    position: usize,
    max_depth: usize,
    containers: Vec<Container>,
    open_arrays: usize,
    path: JsonPath<'a>,
    scratch: Vec<u8>,
    record: RecordId,
    /// The record of everything outside records.
    outer_record: RecordId,
    /// The records of the rows of objects of row indexes.
    rows: RowRecords,
    /// Whether the document is a table keyed by rows: the outermost object
    /// or the value of its first member is keyed by row indexes or labels.
    /// Only then do rows outside records get records of their own, so that
    /// `{"name": "Jane Doe", "phone": {"line1": …, "line2": …}}` stays one
    /// person.
    row_table: bool,
    /// The open array of rows under a header.
    table: Option<RowTable<'a>>,
    /// A `columns` array of field names and the depth of the object it was
    /// read in, for the rows of a `data` array in the same object.
    // NOTE: objects are distinguished by depth alone, so a `data` array in
    // a later object at the same depth takes the columns as well.
    split_columns: Option<(usize, Vec<&'a [u8]>)>,
    /// The depth of an array of rows that opened with title rows, and the
    /// index of the row after them, which may be a header.
    title_rows: Option<(usize, u64)>,
}

/// An array of rows whose columns have names.
struct RowTable<'a> {
    /// The number of open containers while the array of rows is innermost.
    depth: usize,
    /// The field names of the columns, slices of the document.
    columns: Vec<&'a [u8]>,
    /// The index of the row that contains the field names, if the array
    /// has one: the first row, or the first after title rows.
    header_row: Option<u64>,
}

/// The place of a value in a [`RowTable`].
enum Cell<'a> {
    /// A field name in the header row.
    Header,
    /// A value in the column of this name.
    Column(&'a [u8]),
}

/// A UTF-8 byte order mark, which RFC 8259 §8.1 lets a parser ignore.
const BYTE_ORDER_MARK: &[u8] = b"\xEF\xBB\xBF";

impl<'a> Tokenizer<'a> {
    fn new(input: &'a [u8], max_depth: usize, record: RecordId) -> Self {
        let position = if input.starts_with(BYTE_ORDER_MARK) {
            BYTE_ORDER_MARK.len()
        } else {
            0
        };
        Tokenizer {
            input,
            position,
            max_depth,
            containers: Vec::new(),
            open_arrays: 0,
            path: JsonPath::default(),
            scratch: Vec::new(),
            record,
            outer_record: record,
            rows: RowRecords::default(),
            row_table: false,
            table: None,
            split_columns: None,
            title_rows: None,
        }
    }

    fn run(&mut self, sink: &mut (impl SegmentSink + ?Sized)) -> Result<(), InspectError> {
        let mut expect = Expect::Value;
        loop {
            self.skip_whitespace();
            expect = match expect {
                Expect::Value => self.value(sink)?,
                Expect::FirstElementOrEnd if self.peek() == Some(b']') => self.close(),
                Expect::FirstElementOrEnd => Expect::Value,
                Expect::FirstKeyOrEnd if self.peek() == Some(b'}') => self.close(),
                Expect::FirstKeyOrEnd | Expect::Key => self.member_key(sink)?,
                Expect::FirstRowKeyOrEnd | Expect::RowKey => self.row_member_key(sink)?,
                Expect::CommaOrEnd => match self.containers.last() {
                    Some(container) => self.comma_or_close(container.kind)?,
                    None if self.position == self.input.len() => return Ok(()),
                    None => return Err(self.error("unexpected data after the top-level value")),
                },
            };
        }
    }

    fn peek(&self) -> Option<u8> {
        self.input.get(self.position).copied()
    }

    fn error(&self, message: &str) -> InspectError {
        invalid(self.position, message)
    }

    fn skip_whitespace(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.position += 1;
        }
    }

    fn value(&mut self, sink: &mut (impl SegmentSink + ?Sized)) -> Result<Expect, InspectError> {
        match self.peek() {
            None => Err(self.error("unexpected end of input; expected a value")),
            Some(b'{') => {
                let open_at = self.position;
                self.open(ContainerKind::Object, sink)?;
                Ok(if self.opens_rows() {
                    self.note_row_table(open_at);
                    Expect::FirstRowKeyOrEnd
                } else {
                    Expect::FirstKeyOrEnd
                })
            }
            Some(b'[') => {
                self.open(ContainerKind::Array, sink)?;
                Ok(Expect::FirstElementOrEnd)
            }
            Some(b'"') => {
                let record = self.value_record(sink);
                let start = self.position;
                let decoded = decode_string(self.input, &mut self.position, &mut self.scratch)?;
                sink.raw_span(start, self.position);
                let text = match decoded {
                    DecodedString::Borrowed(text) => text,
                    DecodedString::Scratch => &self.scratch,
                };
                let paired =
                    self.path.in_pair() && pair_ahead(&mut self.path, self.input, self.position);
                if paired && self.path.at_label() {
                    // `Color` in `{"name": "Color", "value": "Red"}` names a
                    // field, like a key, and is no person called `Color`.
                    self.emit_field_name(text, sink);
                } else if let Some(key) = self
                    .path
                    .at_second_element()
                    .then(|| self.reference_name_key(start))
                    .flatten()
                {
                    self.emit_keyed_value(text, key, record, sink);
                } else {
                    self.emit_value(text, record, sink);
                }
                self.path.note_label(text);
                Ok(Expect::CommaOrEnd)
            }
            Some(b'-' | b'0'..=b'9') => {
                let record = self.value_record(sink);
                let start = self.position;
                let integer = self.number()?;
                sink.raw_span(start, self.position);
                if self.path.in_pair() {
                    pair_ahead(&mut self.path, self.input, self.position);
                }
                let input = self.input;
                let raw = &input[start..self.position];
                let digits = if integer { None } else { integer_digits(raw) };
                match digits {
                    Some(digits) => self.emit_value(&digits, record, sink),
                    None => self.emit_value(raw, record, sink),
                }
                Ok(Expect::CommaOrEnd)
            }
            Some(b't') => self.literal(b"true"),
            Some(b'f') => self.literal(b"false"),
            Some(b'n') => self.literal(b"null"),
            Some(_) => Err(self.error("unexpected character; expected a value")),
        }
    }

    /// Returns whether the object that opened before the current position
    /// is keyed by rows. That is so when its first key starts with a digit
    /// or when it is a column of rows keyed by labels (see
    /// [`labelled_rows_ahead`]). The outermost object is also keyed by rows
    /// when labels key its records (see [`labelled_records_ahead`]).
    #[inline]
    fn opens_rows(&self) -> bool {
        if starts_with_row_index_key(self.input, self.position) {
            return true;
        }
        match self.path.enclosing_key() {
            Some(column) => labelled_rows_ahead(self.input, self.position, column),
            None if self.containers.len() == 1 => labelled_records_ahead(self.input, self.position),
            None => false,
        }
    }

    /// Notes that the document is a table keyed by rows (see `row_table`)
    /// when the object keyed by rows that opened at `open_at` is the
    /// outermost object or the value of its first member.
    #[cold]
    #[inline(never)]
    fn note_row_table(&mut self, open_at: usize) {
        let outermost = match self.containers.len() {
            1 => true,
            2 => {
                // The outermost object is the document, after an optional
                // byte order mark and whitespace.
                let body = self
                    .input
                    .strip_prefix(BYTE_ORDER_MARK)
                    .unwrap_or(self.input);
                let start = self.input.len() - body.trim_ascii_start().len();
                self.input.get(start) == Some(&b'{')
                    && first_member_value(self.input, open_at, start)
            }
            _ => false,
        };
        self.row_table |= outermost;
    }

    /// Returns the record of a scalar value at the current position.
    #[inline]
    fn value_record(&mut self, sink: &mut (impl SegmentSink + ?Sized)) -> RecordId {
        match self.path.row_key() {
            Some(row) => self.rows.record(row, self.frame(), self.scope(), sink),
            None => self.record,
        }
    }

    #[inline(always)]
    fn emit_value(&self, text: &[u8], record: RecordId, sink: &mut (impl SegmentSink + ?Sized)) {
        let key = match self.table_cell() {
            Some(Cell::Header) => return self.emit_field_name(text, sink),
            Some(Cell::Column(column)) => Some(column),
            None => self.path.value_key(),
        };
        sink.segment(&Segment {
            text,
            key,
            location: Location::Json(self.path.as_ref()),
            record,
            role: Role::Value,
        });
    }

    /// Emits a string value under `key` in place of its path's key.
    fn emit_keyed_value(
        &self,
        text: &[u8],
        key: &[u8],
        record: RecordId,
        sink: &mut (impl SegmentSink + ?Sized),
    ) {
        sink.segment(&Segment {
            text,
            key: Some(key),
            location: Location::Json(self.path.as_ref()),
            record,
            role: Role::Value,
        });
    }

    /// Returns the key that judges the string from `start` to the current
    /// position when it is the display name of a reference to a person's
    /// or a partner's record (see [`reference_name_key`]). Such a string is
    /// the second and last element of an array that opens with an integer,
    /// under a key such as `partner_id`: Odoo's many2one value `[26,
    /// "Brandon Freeman"]`. The caller checks that the string is the
    /// second element of its array, which few strings are.
    #[cold]
    #[inline(never)]
    fn reference_name_key(&self, start: usize) -> Option<&'static [u8]> {
        if self.table_cell().is_some() {
            return None;
        }
        reference_pair_around(self.input, start, self.position)
            .then(|| self.path.value_key())
            .flatten()
            .and_then(reference_name_key)
    }

    /// Returns the depth of the container around the innermost object,
    /// whose keys may be row indexes.
    fn frame(&self) -> usize {
        self.containers.len() - 1
    }

    /// Returns the current record when it is one of a record's own or the
    /// document is no table keyed by rows, or `None` outside records of a
    /// table, where each row gets a record.
    fn scope(&self) -> Option<RecordId> {
        (self.record != self.outer_record || !self.row_table).then_some(self.record)
    }

    /// Returns the place of the current value in the open table, when the
    /// value is directly in one of its rows.
    #[inline]
    fn table_cell(&self) -> Option<Cell<'a>> {
        let table = self.table.as_ref()?;
        let in_row = self.containers.len() == table.depth + 1
            && self.containers.last()?.kind == ContainerKind::Array;
        if !in_row {
            return None;
        }
        let row = self.path.index_at(table.depth - 1)?;
        let column = self.path.index_at(table.depth)?;
        if table.header_row == Some(row) {
            return Some(Cell::Header);
        }
        let column = usize::try_from(column).ok()?;
        table.columns.get(column).copied().map(Cell::Column)
    }

    /// Emits a string value that names a field, like a key.
    fn emit_field_name(&self, text: &[u8], sink: &mut (impl SegmentSink + ?Sized)) {
        sink.segment(&Segment {
            text,
            key: None,
            location: Location::Json(self.path.as_ref()),
            record: self.record,
            role: Role::Name,
        });
    }

    fn literal(&mut self, word: &[u8]) -> Result<Expect, InspectError> {
        if self.input[self.position..].starts_with(word) {
            self.position += word.len();
            Ok(Expect::CommaOrEnd)
        } else {
            Err(self.error("invalid literal; expected true, false or null"))
        }
    }

    /// Consumes a number: `-? (0 | [1-9][0-9]*) (\.[0-9]+)? ([eE][+-]?[0-9]+)?`,
    /// and returns whether it is a plain integer, without a fraction or an
    /// exponent.
    fn number(&mut self) -> Result<bool, InspectError> {
        if self.peek() == Some(b'-') {
            self.position += 1;
        }
        match self.peek() {
            Some(b'0') => self.position += 1,
            Some(b'1'..=b'9') => self.digits(),
            _ => return Err(self.error("invalid number; expected a digit")),
        }
        let mut integer = true;
        if self.peek() == Some(b'.') {
            self.position += 1;
            self.required_digits("invalid number; expected a digit after '.'")?;
            integer = false;
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.position += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.position += 1;
            }
            self.required_digits("invalid number; expected a digit in the exponent")?;
            integer = false;
        }
        Ok(integer)
    }

    fn digits(&mut self) {
        while let Some(b'0'..=b'9') = self.peek() {
            self.position += 1;
        }
    }

    fn required_digits(&mut self, message: &str) -> Result<(), InspectError> {
        let start = self.position;
        self.digits();
        if self.position == start {
            Err(self.error(message))
        } else {
            Ok(())
        }
    }

    /// Reads a member's key, and its value when that is a string or a
    /// number under a key without special meaning. The members of a flat
    /// object follow one another in this loop, without a return to
    /// [`Tokenizer::run`] for each.
    fn member_key(
        &mut self,
        sink: &mut (impl SegmentSink + ?Sized),
    ) -> Result<Expect, InspectError> {
        let key_span = loop {
            if self.peek() != Some(b'"') {
                return Err(self.error("expected a string key"));
            }
            let start = self.position;
            let decoded = decode_string(self.input, &mut self.position, &mut self.scratch)?;
            let key_span = (start, self.position);
            // A key without escapes is a slice of the document, which the
            // member's segment borrows without asking the path for it.
            let (document_key, plain) = match decoded {
                DecodedString::Borrowed(key) => (Some(key), self.path.set_key::<false>(key)),
                DecodedString::Scratch => (None, self.path.set_decoded_key::<false>(&self.scratch)),
            };
            self.skip_whitespace();
            if self.peek() != Some(b':') {
                return Err(self.error("expected ':' after an object key"));
            }
            self.position += 1;
            if !plain {
                break key_span;
            }
            self.skip_whitespace();
            if !self.scalar_member(key_span, document_key, sink)? {
                break key_span;
            }
            self.skip_whitespace();
            if self.peek() != Some(b',') {
                return Ok(Expect::CommaOrEnd);
            }
            self.position += 1;
            self.skip_whitespace();
        };
        self.emit_key(key_span, sink);
        Ok(Expect::Value)
    }

    /// Emits the current key, read from `span` of the document, as a field
    /// name.
    fn emit_key(&self, span: (usize, usize), sink: &mut (impl SegmentSink + ?Sized)) {
        sink.raw_span(span.0, span.1);
        sink.segment(&Segment {
            text: self.path.current_key(),
            key: None,
            location: Location::Json(self.path.as_ref()),
            record: self.record,
            role: Role::Name,
        });
    }

    /// Reads a member's key in an object whose keys may be row indexes, and
    /// emits it as a field name. Its value is read like that of a key with
    /// a special meaning, on its own, so that a value under a row index
    /// takes its record and its key from there. A container under a row
    /// index is opened here, in the record of its row.
    fn row_member_key(
        &mut self,
        sink: &mut (impl SegmentSink + ?Sized),
    ) -> Result<Expect, InspectError> {
        if self.peek() != Some(b'"') {
            return Err(self.error("expected a string key"));
        }
        let start = self.position;
        match decode_string(self.input, &mut self.position, &mut self.scratch)? {
            DecodedString::Borrowed(key) => self.path.set_key::<true>(key),
            DecodedString::Scratch => self.path.set_decoded_key::<true>(&self.scratch),
        };
        let end = self.position;
        self.skip_whitespace();
        if self.peek() != Some(b':') {
            return Err(self.error("expected ':' after an object key"));
        }
        self.position += 1;
        self.emit_key((start, end), sink);
        self.skip_whitespace();
        let (kind, expect) = match self.peek() {
            Some(b'{') => (ContainerKind::Object, Expect::FirstKeyOrEnd),
            Some(b'[') => (ContainerKind::Array, Expect::FirstElementOrEnd),
            _ => return Ok(Expect::Value),
        };
        let Some(row) = self.path.row_key() else {
            return Ok(Expect::Value);
        };
        let record = self.rows.record(row, self.frame(), self.scope(), sink);
        self.open(kind, sink)?;
        // The container keeps the record it opened in, to restore it when
        // it closes.
        self.record = record;
        let rows =
            kind == ContainerKind::Object && starts_with_row_index_key(self.input, self.position);
        Ok(if rows {
            Expect::FirstRowKeyOrEnd
        } else {
            expect
        })
    }

    /// Reads the value of a member whose key, read from `key_span`, has no
    /// special meaning, when the value is a string or a number, and emits
    /// key and value as one member (see [`SegmentSink::member`]). The key
    /// is `document_key` when it had no escapes. Returns `false`, having
    /// read nothing, for other values.
    fn scalar_member(
        &mut self,
        key_span: (usize, usize),
        document_key: Option<&'a [u8]>,
        sink: &mut (impl SegmentSink + ?Sized),
    ) -> Result<bool, InspectError> {
        let start = self.position;
        let digits;
        let text = match self.peek() {
            Some(b'"') => match decode_string(self.input, &mut self.position, &mut self.scratch)? {
                DecodedString::Borrowed(text) => text,
                DecodedString::Scratch => &self.scratch,
            },
            Some(b'-' | b'0'..=b'9') => {
                let integer = self.number()?;
                let raw = &self.input[start..self.position];
                digits = if integer { None } else { integer_digits(raw) };
                digits.as_deref().unwrap_or(raw)
            }
            _ => return Ok(false),
        };
        let value = Segment {
            text,
            key: Some(document_key.unwrap_or_else(|| self.path.current_key())),
            location: Location::Json(self.path.as_ref()),
            record: self.record,
            role: Role::Value,
        };
        sink.member(&value, [key_span, (start, self.position)]);
        Ok(true)
    }

    #[inline(always)]
    fn comma_or_close(&mut self, kind: ContainerKind) -> Result<Expect, InspectError> {
        match (kind, self.peek()) {
            (ContainerKind::Array, Some(b',')) => {
                self.position += 1;
                self.path.next_index();
                Ok(Expect::Value)
            }
            (ContainerKind::Object, Some(b',')) => {
                self.position += 1;
                Ok(self.next_key())
            }
            (ContainerKind::Array, Some(b']')) | (ContainerKind::Object, Some(b'}')) => {
                Ok(self.close())
            }
            (_, None) => Err(self.error("unexpected end of input inside an array or object")),
            (ContainerKind::Array, Some(_)) => Err(self.error("expected ',' or ']'")),
            (ContainerKind::Object, Some(_)) => Err(self.error("expected ',' or '}'")),
        }
    }

    /// Returns the state for the key after a `,` in an object: the keys
    /// after a row index may be row indexes too. Members of flat objects
    /// follow one another in [`Tokenizer::member_key`], so few commas of
    /// objects come here, and the test stays out of the loop.
    #[inline(never)]
    fn next_key(&self) -> Expect {
        if self.path.row_key().is_some() {
            Expect::RowKey
        } else {
            Expect::Key
        }
    }

    fn open(
        &mut self,
        kind: ContainerKind,
        sink: &mut (impl SegmentSink + ?Sized),
    ) -> Result<(), InspectError> {
        if self.containers.len() >= self.max_depth {
            return Err(InspectError::JsonTooDeep {
                offset: self.position,
                limit: self.max_depth,
            });
        }
        let parent_kind = self.containers.last().map(|parent| parent.kind);
        let parent_is_outermost_array =
            self.open_arrays == 1 && parent_kind == Some(ContainerKind::Array);
        let record = if kind == ContainerKind::Array {
            self.open_in_table(parent_kind, parent_is_outermost_array, sink)
        } else {
            None
        };
        self.containers.push(Container {
            kind,
            outer_record: self.record,
        });
        if parent_is_outermost_array {
            self.record = sink.begin_record();
        } else if let Some(record) = record {
            self.record = record;
        }
        match kind {
            ContainerKind::Array => {
                self.open_arrays += 1;
                self.path.push_array();
            }
            ContainerKind::Object => self.path.push_object(),
        }
        self.position += 1;
        Ok(())
    }

    /// Closes the innermost container at the current `]` or `}`.
    fn close(&mut self) -> Expect {
        if let Some(container) = self.containers.pop() {
            self.record = container.outer_record;
            if container.kind == ContainerKind::Array {
                self.open_arrays -= 1;
                let depth = self.containers.len();
                if self.table.as_ref().is_some_and(|table| table.depth > depth) {
                    self.table = None;
                }
            }
        }
        self.path.pop();
        self.position += 1;
        Expect::CommaOrEnd
    }

    /// Prepares the array that opens at the current position in a parent
    /// of `parent_kind`, and returns its record when that is no longer the
    /// current one. A row of a table has a record of its own, which an
    /// outermost array gives every element anyway.
    #[cold]
    fn open_in_table(
        &mut self,
        parent_kind: Option<ContainerKind>,
        parent_is_outermost_array: bool,
        sink: &mut (impl SegmentSink + ?Sized),
    ) -> Option<RecordId> {
        let table_row = self
            .table
            .as_ref()
            .is_some_and(|table| table.depth == self.containers.len());
        if table_row {
            if self.opens_rows_after_header() {
                let columns = self.table.take().map(|table| table.columns);
                self.table = columns.map(|columns| RowTable {
                    depth: self.containers.len() + 1,
                    columns,
                    header_row: None,
                });
                return None;
            }
            return (!parent_is_outermost_array).then(|| sink.begin_record());
        }
        if parent_kind.is_some() {
            self.open_table(parent_kind == Some(ContainerKind::Array));
        }
        None
    }

    /// Returns whether the array that opens at the current `[` contains the
    /// rows of the table whose header is the element before it, as the
    /// arguments of Odoo's `load(fields, rows)` do: `[["name", "email"],
    /// [["Jane Doe", "jane@example.com"], …]]`. The header must be the
    /// first element and the array's own first element an array.
    ///
    /// NOTE: a first row of data whose first cell is an array (`[["tags",
    /// "name"], [["vip"], "Jane Doe"]]`) is read as an array of rows too.
    fn opens_rows_after_header(&self) -> bool {
        let Some(table) = self.table.as_ref() else {
            return false;
        };
        table.header_row == Some(0)
            && self.path.index_at(table.depth - 1) == Some(1)
            && self
                .input
                .get(whitespace_end(self.input, self.position + 1))
                == Some(&b'[')
    }

    /// Looks at the array that opens at the current `[` inside another
    /// container, before it is read, for the header of a table (see the
    /// module documentation). `in_array` is whether its parent is an array.
    fn open_table(&mut self, in_array: bool) {
        let depth = self.containers.len();
        let table = if in_array {
            // A header is the first element of its array, or the first after
            // title rows.
            let Some(row) = self.path.index_at(depth - 1) else {
                return;
            };
            if row == 0 {
                self.title_rows = None;
            } else if self.title_rows != Some((depth, row)) {
                return;
            }
            let header = header_row(self.input, self.position);
            if header.is_none() && row < MAX_TITLE_ROWS && title_row(self.input, self.position) {
                self.title_rows = Some((depth, row + 1));
            }
            header.map(|columns| RowTable {
                depth,
                columns,
                header_row: Some(row),
            })
        } else {
            let object = depth;
            match self.path.current_key() {
                b"columns" => {
                    if let Some(columns) = header_row(self.input, self.position) {
                        self.split_columns = Some((object, columns));
                    }
                    return;
                }
                b"data" => match self.split_columns.take() {
                    Some((columns_object, columns)) if columns_object == object => Some(RowTable {
                        depth: depth + 1,
                        columns,
                        header_row: None,
                    }),
                    other => {
                        self.split_columns = other;
                        return;
                    }
                },
                _ => return,
            }
        };
        if table.is_some() {
            self.table = table;
        }
    }
}

/// The record of each row (see the module documentation) in the objects of
/// row indexes inside containers at the depth `frame`.
#[derive(Default)]
struct RowRecords {
    frame: usize,
    numbers: HashMap<u64, RecordId>,
    labels: HashMap<Vec<u8>, RecordId>,
}

impl RowRecords {
    /// Returns the record of `row` for the value or container under a
    /// member whose key is that row index, in an object inside a container
    /// at the depth `frame`: `scope` inside a record, else the row's own
    /// record.
    fn record(
        &mut self,
        row: RowKey<'_>,
        frame: usize,
        scope: Option<RecordId>,
        sink: &mut (impl SegmentSink + ?Sized),
    ) -> RecordId {
        if let Some(record) = scope {
            return record;
        }
        // NOTE: two containers at the same depth share the records of their
        // rows, so row 0 of both counts as one person.
        if frame != self.frame {
            self.numbers.clear();
            self.labels.clear();
            self.frame = frame;
        }
        match row {
            RowKey::Number(number) => *self
                .numbers
                .entry(number)
                .or_insert_with(|| sink.begin_record()),
            RowKey::Label(label) => match self.labels.get(label) {
                Some(&record) => record,
                None => {
                    let record = sink.begin_record();
                    self.labels.insert(label.to_vec(), record);
                    record
                }
            },
        }
    }
}

/// Maximum number of members that [`labelled_rows_ahead`] reads.
const LABELLED_ROWS_AHEAD: usize = 8;

/// Returns whether the object whose first member may start at `at`, the
/// value of the member `column`, is a column of rows keyed by labels, as
/// pandas writes `orient="columns"` for an index of customer numbers
/// (`{"name": {"CUST-00001": "Jane Doe"}}`). The key tables know `column`,
/// and the object's first members, up to [`LABELLED_ROWS_AHEAD`], have
/// keys without escapes that are row labels (see [`is_row_label`]) and
/// values that are no arrays or objects. Those are the values that a
/// reader of the table takes as the column's, so they get its key.
#[inline(never)]
fn labelled_rows_ahead(input: &[u8], at: usize, column: &[u8]) -> bool {
    let skip = |at: usize| whitespace_end(input, at);
    let mut at = skip(at);
    // A cheap test of the first key's bytes rules out most objects before
    // any key is classified.
    let first_has_digit = input.get(at) == Some(&b'"')
        && simple_string(input, at).is_some_and(|(key, _)| key.iter().any(u8::is_ascii_digit));
    if !first_has_digit || classify(column) == Roles::NONE {
        return false;
    }
    for _ in 0..LABELLED_ROWS_AHEAD {
        let Some((key, after)) = simple_string(input, at) else {
            return false;
        };
        at = skip(after);
        if !is_row_label(key) || input.get(at) != Some(&b':') {
            return false;
        }
        at = skip(at + 1);
        let Some(after) = scalar_end(input, at) else {
            return false;
        };
        at = skip(after);
        match input.get(at) {
            Some(b',') => at = skip(at + 1),
            Some(b'}') => return true,
            _ => return false,
        }
        if input.get(at) != Some(&b'"') {
            return false;
        }
    }
    true
}

/// Returns whether the object whose first member may start at `at` is a
/// table sent by row under labels, as pandas writes `orient="index"` for
/// an index of customer numbers (`{"CUST-00001": {"name": "Jane Doe"}}`).
/// Its first key, without escapes, must be a row label (see
/// [`is_row_label`]) and its value an object. Each such object is then a
/// record of its own.
#[inline(never)]
fn labelled_records_ahead(input: &[u8], at: usize) -> bool {
    let skip = |at: usize| whitespace_end(input, at);
    let at = skip(at);
    if input.get(at) != Some(&b'"') {
        return false;
    }
    let Some((key, after)) = simple_string(input, at) else {
        return false;
    };
    let at = skip(after);
    input.get(at) == Some(&b':') && input.get(skip(at + 1)) == Some(&b'{') && is_row_label(key)
}

/// Returns whether the value that starts at `value_at` is the value of the
/// first member of the object that opens at `object_at`. Reading back from
/// the value must pass `:`, a key without escaped quotes and that object's
/// `{`, with only whitespace between them.
fn first_member_value(input: &[u8], value_at: usize, object_at: usize) -> bool {
    let back = |mut at: usize| {
        while at > 0 && matches!(input[at - 1], b' ' | b'\t' | b'\n' | b'\r') {
            at -= 1;
        }
        at
    };
    let at = back(value_at);
    if at == 0 || input[at - 1] != b':' {
        return false;
    }
    let at = back(at - 1);
    if at == 0 || input[at - 1] != b'"' {
        return false;
    }
    let Some(open_quote) = memchr::memrchr(b'"', &input[..at - 1]) else {
        return false;
    };
    back(open_quote) == object_at + 1
}

/// Returns the position of the first byte at or after `at` that is not
/// JSON whitespace (RFC 8259 §2), or the length of `input`.
/// Returns whether the string value at `start..end`, the second element of
/// an array, closes the array after an integer that opens it.
fn reference_pair_around(input: &[u8], start: usize, end: usize) -> bool {
    if input.get(whitespace_end(input, end)) != Some(&b']') {
        return false;
    }
    let before = input[..start].trim_ascii_end();
    let Some(before) = before.strip_suffix(b",") else {
        return false;
    };
    let before = before.trim_ascii_end();
    let digits = before
        .iter()
        .rev()
        .take_while(|byte| byte.is_ascii_digit())
        .count();
    digits > 0
        && before[..before.len() - digits]
            .trim_ascii_end()
            .ends_with(b"[")
}

fn whitespace_end(input: &[u8], mut at: usize) -> usize {
    while matches!(input.get(at), Some(b' ' | b'\t' | b'\n' | b'\r')) {
        at += 1;
    }
    at
}

/// Returns the position after the string, number or literal that starts
/// at `at`, or `None` for an array, an object or the end of the input. The
/// tokenizer validates the value when it reads it.
fn scalar_end(input: &[u8], at: usize) -> Option<usize> {
    match input.get(at)? {
        b'"' => {
            let mut at = at + 1;
            loop {
                at += memchr::memchr2(b'"', b'\\', input.get(at..)?)?;
                if input[at] == b'"' {
                    return Some(at + 1);
                }
                at += 2;
            }
        }
        b'[' | b'{' => None,
        _ => {
            let length = input[at..]
                .iter()
                .take_while(|byte| {
                    byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'+' | b'.')
                })
                .count();
            Some(at + length)
        }
    }
}

/// Returns whether the object whose first member may start at `at` has a
/// first key that starts with a digit.
#[inline]
fn starts_with_row_index_key(input: &[u8], at: usize) -> bool {
    let at = match input.get(at) {
        Some(b'"') => at,
        Some(b' ' | b'\t' | b'\n' | b'\r') => match input[at..]
            .iter()
            .position(|byte| !matches!(byte, b' ' | b'\t' | b'\n' | b'\r'))
        {
            Some(offset) if input[at + offset] == b'"' => at + offset,
            _ => return false,
        },
        _ => return false,
    };
    input.get(at + 1).is_some_and(u8::is_ascii_digit)
}

/// Maximum number of title rows above a header row, as many as the CSV reader passes
/// over above its header.
const MAX_TITLE_ROWS: u64 = 5;

/// Returns whether the array that starts at the `[` at `at` is a title row:
/// strings and `null`s, of which at most one is not empty (`["Customer export",
/// ""]`). A row of two values or more may be data, and the row after data is no
/// header.
fn title_row(input: &[u8], at: usize) -> bool {
    let skip = |at: usize| whitespace_end(input, at);
    let mut at = skip(at + 1);
    if input.get(at) == Some(&b']') {
        return true;
    }
    let mut filled = 0;
    loop {
        if input[at..].starts_with(b"null") {
            at += 4;
        } else if input.get(at) == Some(&b'"') {
            let Some(after) = scalar_end(input, at) else {
                return false;
            };
            filled += usize::from(!input[at + 1..after - 1].trim_ascii().is_empty());
            at = after;
        } else {
            return false;
        }
        at = skip(at);
        match input.get(at) {
            Some(b',') if filled <= 1 => at = skip(at + 1),
            Some(b']') => return filled <= 1,
            _ => return false,
        }
    }
}

/// Maximum number of columns of a header row, as many as a CSV header
/// names. A spreadsheet export with one column per person may have
/// thousands.
const MAX_HEADER_COLUMNS: usize = crate::decode::csv_records::MAX_PART_CELLS;

/// Reads the array that starts at the `[` at `at` and returns its strings
/// when it is a header row. A header row contains nothing but strings
/// without escapes of up to [`MAX_AHEAD_BYTES`] bytes, at most
/// [`MAX_HEADER_COLUMNS`] of them, and one or more are known field names. Requiring a
/// known name keeps a first row of data (`["Jane Doe",
/// "jane@example.com"]`) from keying the rows below.
fn header_row(input: &[u8], at: usize) -> Option<Vec<&[u8]>> {
    let skip = |at: usize| whitespace_end(input, at);
    let mut columns = Vec::new();
    let mut at = skip(at + 1);
    loop {
        if input.get(at) != Some(&b'"') || columns.len() == MAX_HEADER_COLUMNS {
            return None;
        }
        let (column, after) = simple_string(input, at)?;
        columns.push(column);
        at = skip(after);
        match input.get(at) {
            Some(b',') => at = skip(at + 1),
            Some(b']') => break,
            _ => return None,
        }
    }
    let named = columns.iter().any(|column| classify(column) != Roles::NONE);
    named.then_some(columns)
}

/// Reads the member after the value that ends at `at`, whose key is a
/// label or a wrapper, and returns whether the two form a name-value pair.
/// After a label, the next key must be a wrapper. After a wrapper, it must
/// be a label with a short string value without escapes, which then keys
/// the wrapper's value before it is scanned (`{"value": "…", "name":
/// "phone"}`).
fn pair_ahead(path: &mut JsonPath<'_>, input: &[u8], at: usize) -> bool {
    if path.at_label() {
        return next_member(input, at, false).is_some_and(|(key, _)| is_wrapper_key(key));
    }
    match next_member(input, at, true) {
        Some((key, Some(label))) if is_label_key(key) => {
            path.label_ahead(label);
            true
        }
        _ => false,
    }
}

/// Maximum length of a key or string value that [`next_member`] reads.
const MAX_AHEAD_BYTES: usize = 64;

/// Returns the text of the string without escapes that starts with the
/// quote at `at`, and the position after its closing quote.
fn simple_string(input: &[u8], at: usize) -> Option<(&[u8], usize)> {
    let rest = input.get(at + 1..)?;
    let window = &rest[..rest.len().min(MAX_AHEAD_BYTES + 1)];
    let length = memchr::memchr2(b'"', b'\\', window)?;
    (rest[length] == b'"').then(|| (&rest[..length], at + 1 + length + 1))
}

/// Reads the member that follows `at` in an object (`, "key": "value"`),
/// returning its key and, when `with_value` and the value is a string,
/// that value. Keys and values with escapes or longer than
/// [`MAX_AHEAD_BYTES`] give `None`.
fn next_member(input: &[u8], at: usize, with_value: bool) -> Option<(&[u8], Option<&[u8]>)> {
    let skip = |at: usize| whitespace_end(input, at);
    let at = skip(at);
    if input.get(at) != Some(&b',') {
        return None;
    }
    let at = skip(at + 1);
    if input.get(at) != Some(&b'"') {
        return None;
    }
    let (key, after_key) = simple_string(input, at)?;
    if !with_value {
        return Some((key, None));
    }
    let at = skip(after_key);
    if input.get(at) != Some(&b':') {
        return None;
    }
    let at = skip(at + 1);
    let value = if input.get(at) == Some(&b'"') {
        simple_string(input, at).map(|(value, _)| value)
    } else {
        None
    };
    Some((key, value))
}

/// Most digits of an integer written with a fraction or an exponent that
/// is rewritten as plain digits: enough for any card, account or ID number.
const MAX_INTEGER_DIGITS: usize = 34;

/// Returns the digits of a number written with a fraction or an exponent
/// whose value is an integer (`4111111111111111e0`, `41111111111111110E-1`,
/// `411111111111111.1e1`). A receiver that parses it gets those digits,
/// while the detectors would not see a card number in the written form.
/// Returns `None` for plain integers and for other numbers.
fn integer_digits(raw: &[u8]) -> Option<Vec<u8>> {
    let (negative, unsigned) = match raw.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, raw),
    };
    let mantissa_end = unsigned
        .iter()
        .position(|byte| matches!(byte, b'e' | b'E'))
        .unwrap_or(unsigned.len());
    let (mantissa, exponent) = unsigned.split_at(mantissa_end);
    let (whole, fraction) = match mantissa.iter().position(|&byte| byte == b'.') {
        Some(dot) => (&mantissa[..dot], &mantissa[dot + 1..]),
        None => (mantissa, &mantissa[..0]),
    };
    if fraction.is_empty() && exponent.is_empty() {
        return None;
    }
    let exponent: i64 = if exponent.is_empty() {
        0
    } else {
        std::str::from_utf8(&exponent[1..]).ok()?.parse().ok()?
    };
    let mut digits: Vec<u8> = whole.iter().chain(fraction).copied().collect();
    let shift = exponent.checked_sub(i64::try_from(fraction.len()).ok()?)?;
    if shift >= 0 {
        let zeros = usize::try_from(shift).ok()?;
        if digits.len() + zeros > MAX_INTEGER_DIGITS {
            return None;
        }
        digits.extend(std::iter::repeat_n(b'0', zeros));
    } else {
        let cut = usize::try_from(-shift).ok()?;
        let kept = digits.len().checked_sub(cut)?;
        if digits[kept..].iter().any(|&digit| digit != b'0') {
            return None;
        }
        digits.truncate(kept);
    }
    let first = digits.iter().position(|&digit| digit != b'0')?;
    digits.drain(..first);
    if digits.len() > MAX_INTEGER_DIGITS {
        return None;
    }
    if negative {
        digits.insert(0, b'-');
    }
    Some(digits)
}

#[cfg(test)]
#[path = "json_tests.rs"]
mod tests;
