//! Splitting CSV text into records and cells, for [`super::delimited`].
//!
//! A record without a double quote, the common case in ERP exports, is
//! split in place by one pass over blocks of 64 bytes that marks its
//! delimiters and its end, and its cells borrow the body, so nothing is
//! copied. Quoted cells without an escaped quote (`"Main Street 5,
//! Berlin"`) are borrowed the same way. Any other record with a quote goes
//! to `csv-core`, which unescapes its cells into a buffer.
//!
//! Both paths follow `csv-core`'s rules in its default configuration, which
//! the `csv` crate also uses. `\n`, `\r` and `\r\n` end a record, and empty
//! lines are skipped. A quote opens a quoted cell only as the cell's first
//! byte. A UTF-8 byte order mark at the start of the body is dropped.
//! Parsing never fails, because an unbalanced quote runs to the end of the
//! body. A record of more than [`MAX_PART_CELLS`] cells is returned in
//! parts of that many cells, so that its memory stays bounded.

use csv_core::ReadRecordResult;
use wide::u8x16;

use crate::words::find_marked;

/// A UTF-8 byte order mark, which `csv-core` drops at the start of a body.
const BYTE_ORDER_MARK: &[u8] = b"\xEF\xBB\xBF";

/// Initial size of the buffer for unescaped cells; it doubles whenever a
/// quoted record does not fit.
const INITIAL_BUFFER_BYTES: usize = 4 * 1024;

/// Initial number of cell ends of a quoted record; it doubles like the
/// buffer, up to [`MAX_PART_CELLS`].
const INITIAL_CELLS: usize = 64;

/// Maximum cells of one record that a [`Record`] contains. A longer record
/// comes in parts. The limit bounds the memory a record takes, 16 bytes
/// per cell, which a body of commas would otherwise make 16 times its
/// size. It is the column limit of Excel, so a table that a spreadsheet
/// can open has its header row in one part.
pub(crate) const MAX_PART_CELLS: usize = 16_384;

/// A reader of the records of one CSV body.
pub(crate) struct Records<'a> {
    input: &'a [u8],
    position: usize,
    delimiter: u8,
    /// The reader of quoted records, built for the first one. Building its
    /// state machine takes about 250,000 instructions (callgrind, x86-64),
    /// which a body without such a record need not pay.
    core: Option<csv_core::Reader>,
    /// The unescaped cells of the last quoted record, back to back.
    buffer: Vec<u8>,
    /// The end of each cell of the last quoted record in `buffer`.
    ends: Vec<usize>,
    /// The cells of the last record, as ranges of the body or of `buffer`.
    /// A record split in place fills the start of the list, whose entries
    /// stay allocated until a record read by `csv-core` replaces them.
    cells: Vec<(usize, usize)>,
    /// The state of the record of the last part, when it had more cells
    /// than a part contains.
    continuation: Option<Continuation>,
    /// The marks of the last block that [`split_in_place`] read. A block
    /// contains the ends of several short records, so the next record
    /// starts with the marks that are left.
    block: Block,
}

/// The state of a record read in parts (see [`MAX_PART_CELLS`]).
#[derive(Debug, Clone, Copy)]
enum Continuation {
    /// The next cell starts at the reader's position in the body.
    InPlace,
    /// `csv-core` is inside the record. The bytes of the unfinished cell
    /// lie in `buffer[carried..written]`, and the ends that `csv-core`
    /// returns count the `dropped` bytes of the cells of earlier parts.
    Core {
        carried: usize,
        written: usize,
        dropped: usize,
    },
}

impl std::fmt::Debug for Records<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Records")
            .field("position", &self.position)
            .field("delimiter", &self.delimiter)
            .finish()
    }
}

/// The cells of one record, or of one part of a record longer than
/// [`MAX_PART_CELLS`] cells.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Record<'r> {
    source: &'r [u8],
    cells: &'r [(usize, usize)],
    /// Whether the next call of [`Records::next_record`] returns more
    /// cells of this record.
    pub(crate) continues: bool,
}

impl<'r> Record<'r> {
    pub(crate) fn len(&self) -> usize {
        self.cells.len()
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = &'r [u8]> + use<'r> {
        let source = self.source;
        self.cells
            .iter()
            .map(move |&(start, end)| &source[start..end])
    }
}

impl<'a> Records<'a> {
    pub(crate) fn new(input: &'a [u8], delimiter: u8) -> Self {
        Records {
            input,
            position: 0,
            delimiter,
            core: None,
            buffer: Vec::new(),
            ends: Vec::new(),
            cells: Vec::new(),
            continuation: None,
            block: Block::EMPTY,
        }
    }

    /// Returns the next record, or its next part, or `None` at the end of
    /// the body.
    #[inline]
    pub(crate) fn next_record(&mut self) -> Option<Record<'_>> {
        let start = match self.continuation.take() {
            Some(Continuation::InPlace) => self.position,
            Some(Continuation::Core {
                carried,
                written,
                dropped,
            }) => {
                // The cells of the last part are no longer borrowed, so the
                // unfinished cell moves to the start of the buffer. That
                // cell is empty when `csv-core` stops right after the end
                // that filled the list, as version 0.1 does.
                self.buffer.copy_within(carried..written, 0);
                return self.quoted_record(written - carried, dropped + carried);
            }
            None => {
                let input = self.input;
                while let Some(b'\r' | b'\n') = input.get(self.position) {
                    self.position += 1;
                }
                let start = self.position;
                if start >= input.len() {
                    return None;
                }
                // At the start of the body, `csv-core` drops the byte order
                // mark.
                if start == 0 && input.starts_with(BYTE_ORDER_MARK) {
                    return self.quoted_record(0, 0);
                }
                start
            }
        };
        self.split_record(start)
    }

    /// Splits the record, or the rest of one, at `start` in place, or
    /// reads it with `csv-core` when it cannot be split in place.
    ///
    /// A part that continues a record starts at a cell, which is no line
    /// end when [`split_in_place`] gives up. `csv-core` then reads the
    /// cell at the start of a record as it would after a delimiter.
    #[inline(always)]
    fn split_record(&mut self, start: usize) -> Option<Record<'_>> {
        let split = split_in_place(
            self.input,
            self.delimiter,
            start,
            &mut self.cells,
            &mut self.block,
        );
        match split {
            Some(split) => {
                self.position = split.end;
                if split.continues {
                    self.continuation = Some(Continuation::InPlace);
                }
                Some(Record {
                    source: self.input,
                    cells: &self.cells[..split.cells],
                    continues: split.continues,
                })
            }
            None => self.quoted_record(0, 0),
        }
    }

    /// Reads the record at the current position with `csv-core`, whose
    /// first `written` bytes of output are already at the start of the
    /// buffer, and whose ends count `dropped` bytes that are not.
    fn quoted_record(&mut self, mut written: usize, dropped: usize) -> Option<Record<'_>> {
        if self.buffer.is_empty() {
            self.buffer.resize(INITIAL_BUFFER_BYTES, 0);
        }
        if self.ends.is_empty() {
            self.ends.resize(INITIAL_CELLS, 0);
        }
        let (input, delimiter) = (self.input, self.delimiter);
        let core = self
            .core
            .get_or_insert_with(|| core_reader(input, delimiter));
        let mut ended = 0;
        let continues = loop {
            // Once the body is consumed, an empty slice makes `csv-core`
            // finish the last record.
            let (result, read, wrote, ends) = core.read_record(
                &self.input[self.position..],
                &mut self.buffer[written..],
                &mut self.ends[ended..],
            );
            self.position += read;
            written += wrote;
            ended += ends;
            match result {
                ReadRecordResult::InputEmpty => {}
                ReadRecordResult::OutputFull => self.buffer.resize(self.buffer.len() * 2, 0),
                ReadRecordResult::OutputEndsFull if self.ends.len() < MAX_PART_CELLS => {
                    let cells = (self.ends.len() * 2).min(MAX_PART_CELLS);
                    self.ends.resize(cells, 0);
                }
                ReadRecordResult::OutputEndsFull => break true,
                ReadRecordResult::Record => break false,
                ReadRecordResult::End => return None,
            }
        };
        self.cells.clear();
        let mut cell_start = 0;
        for &end in &self.ends[..ended] {
            self.cells.push((cell_start, end - dropped));
            cell_start = end - dropped;
        }
        if continues {
            self.continuation = Some(Continuation::Core {
                carried: cell_start,
                written,
                dropped,
            });
        }
        Some(Record {
            source: &self.buffer,
            cells: &self.cells,
            continues,
        })
    }
}

/// Builds the `csv-core` reader of the records of `input`.
fn core_reader(input: &[u8], delimiter: u8) -> csv_core::Reader {
    let mut core = csv_core::ReaderBuilder::new().delimiter(delimiter).build();
    if !input.starts_with(BYTE_ORDER_MARK) {
        // `csv-core` drops a byte order mark at the start of the first
        // input it is given, which may be a later record here. An empty
        // line is skipped without changing its state, but marks the start
        // as read.
        core.read_record(b"\n", &mut [0; 1], &mut [0; 1]);
    }
    core
}

/// A record, or the part of one, that [`split_in_place`] split.
struct Split {
    /// The end of the record, or the start of the next part's first cell.
    end: usize,
    /// The number of cells, which fill the start of the list.
    cells: usize,
    /// Whether the record goes on after `cells` cells.
    continues: bool,
}

/// Bytes of the body that one [`Block`] marks.
const BLOCK_BYTES: usize = 64;

/// The marks of the bytes of one block of the body, one bit per byte,
/// the lowest for the block's first byte. Bits past the end of the body
/// are clear.
#[derive(Debug, Clone, Copy)]
struct Block {
    /// The offset of the block's first byte, a multiple of
    /// [`BLOCK_BYTES`], or `usize::MAX` before the first block is read.
    start: usize,
    /// The delimiters.
    delimiters: u64,
    /// The bytes that end a run of unquoted cells: a quote, `\r`, `\n`.
    stops: u64,
}

impl Block {
    const EMPTY: Block = Block {
        start: usize::MAX,
        delimiters: 0,
        stops: 0,
    };

    /// Marks the bytes of the block at `start`.
    fn read(input: &[u8], delimiter: u8, start: usize) -> Block {
        let (delimiters, stops) = match input.get(start..start + BLOCK_BYTES) {
            Some(bytes) => marks(bytes, delimiter),
            None => last_marks(&input[start..], delimiter),
        };
        Block {
            start,
            delimiters,
            stops,
        }
    }

    /// Returns the start of the block that holds `position` and its
    /// delimiter and stop marks from `position` on. Reads the block unless
    /// it is this one.
    #[inline]
    fn marks_from(&mut self, input: &[u8], delimiter: u8, position: usize) -> (usize, u64, u64) {
        let start = position & !(BLOCK_BYTES - 1);
        if self.start != start {
            *self = Block::read(input, delimiter, start);
        }
        let from = u64::MAX << (position - start);
        (start, self.delimiters & from, self.stops & from)
    }
}

/// Returns the delimiter and stop marks of `bytes`, a whole block.
#[inline(always)]
fn marks(bytes: &[u8], delimiter: u8) -> (u64, u64) {
    let [delimiters, quotes, returns, newlines] = [delimiter, b'"', b'\r', b'\n'].map(u8x16::splat);
    let (mut delimiter_bits, mut stop_bits) = (0, 0);
    for (index, chunk) in bytes.chunks_exact(16).enumerate() {
        let vector = u8x16::new(chunk.try_into().unwrap_or_default());
        let stops = vector.simd_eq(quotes) | vector.simd_eq(returns) | vector.simd_eq(newlines);
        delimiter_bits |= u64::from(vector.simd_eq(delimiters).to_bitmask()) << (16 * index);
        stop_bits |= u64::from(stops.to_bitmask()) << (16 * index);
    }
    (delimiter_bits, stop_bits)
}

/// Returns the marks of `rest`, the last bytes of the body, fewer than a
/// block. They are read from a copy padded with zeros, and only the bytes
/// of the body are marked, as a NUL may be the delimiter.
#[cold]
fn last_marks(rest: &[u8], delimiter: u8) -> (u64, u64) {
    let mut padded = [0; BLOCK_BYTES];
    padded[..rest.len()].copy_from_slice(rest);
    let (delimiters, stops) = marks(&padded, delimiter);
    let valid = (1 << rest.len()) - 1;
    (delimiters & valid, stops & valid)
}

/// Splits the record at `start` in place when each of its quoted cells
/// is a whole cell without an escaped quote (`"Main Street 5, Berlin"`),
/// into the start of `cells`. A record of more than [`MAX_PART_CELLS`]
/// cells is split up to that many. Returns `None` for anything else (`""`
/// inside a cell, text after a closing quote, a quote inside an unquoted
/// cell, a quote left open), which `csv-core` reads instead.
///
/// The marks of each block of 64 bytes are read once, with vector
/// instructions, and `block` keeps those of the last block for the next
/// record. A delimiter before the first stop of a block ends a cell. A
/// byte loop would branch at every cell, in a pattern the processor
/// cannot learn, and a search per cell costs more to start than an ERP
/// export's cells have bytes.
fn split_in_place(
    input: &[u8],
    delimiter: u8,
    start: usize,
    cells: &mut Vec<(usize, usize)>,
    block: &mut Block,
) -> Option<Split> {
    let mut count = 0;
    let mut cell_start = start;
    let (mut offset, mut delimiters, mut stops) = block.marks_from(input, delimiter, start);
    let mut room = cells.len().min(MAX_PART_CELLS);
    loop {
        // Delimiters after the first stop lie in a quoted cell or in the
        // next record, so only the bits below the lowest stop count.
        let mut ends = delimiters & (stops & stops.wrapping_neg()).wrapping_sub(1);
        // One test per block covers both the room in the list and the
        // limit of a part.
        if count + BLOCK_BYTES >= room {
            // Room for a cell at each byte of the block and one more.
            if cells.len() < count + BLOCK_BYTES + 1 {
                cells.resize(2 * cells.len() + 2 * BLOCK_BYTES, (0, 0));
                room = cells.len().min(MAX_PART_CELLS);
            }
            // Near the limit of a part, each cell is counted. A part that
            // is full ends after a delimiter, so the record goes on.
            while count + BLOCK_BYTES >= MAX_PART_CELLS {
                if count == MAX_PART_CELLS {
                    return Some(Split {
                        end: cell_start,
                        cells: count,
                        continues: true,
                    });
                }
                if ends == 0 {
                    break;
                }
                let at = offset + ends.trailing_zeros() as usize;
                cells[count] = (cell_start, at);
                count += 1;
                cell_start = at + 1;
                ends &= ends - 1;
            }
        }
        while ends != 0 {
            let at = offset + ends.trailing_zeros() as usize;
            cells[count] = (cell_start, at);
            count += 1;
            cell_start = at + 1;
            ends &= ends - 1;
        }
        if stops == 0 {
            let next = offset + BLOCK_BYTES;
            if next >= input.len() {
                cells[count] = (cell_start, input.len());
                return Some(Split {
                    end: input.len(),
                    cells: count + 1,
                    continues: false,
                });
            }
            // The next block follows the one read last, so it is read
            // without testing which block is kept.
            *block = Block::read(input, delimiter, next);
            (offset, delimiters, stops) = (next, block.delimiters, block.stops);
            continue;
        }
        let at = offset + stops.trailing_zeros() as usize;
        if input[at] != b'"' {
            cells[count] = (cell_start, at);
            return Some(Split {
                end: at,
                cells: count + 1,
                continues: false,
            });
        }
        // A quote opens a quoted cell only as the cell's first byte.
        if at != cell_start {
            return None;
        }
        let close = closing_quote(input, offset, stops & (stops - 1))?;
        cells[count] = (at + 1, close);
        count += 1;
        match input.get(close + 1) {
            None | Some(b'\r' | b'\n') => {
                return Some(Split {
                    end: close + 1,
                    cells: count,
                    continues: false,
                });
            }
            Some(&byte) if byte == delimiter => {
                cell_start = close + 2;
                (offset, delimiters, stops) = block.marks_from(input, delimiter, cell_start);
            }
            Some(_) => return None,
        }
    }
}

/// Returns the position of the quote that closes a quoted cell, or `None`
/// when no quote follows. `later_stops` are the stop marks after the
/// opening quote in the block at `offset`, whose quotes are tried first.
/// The closing quote may be lines away.
#[inline]
fn closing_quote(input: &[u8], offset: usize, mut later_stops: u64) -> Option<usize> {
    while later_stops != 0 {
        let stop = offset + later_stops.trailing_zeros() as usize;
        if input[stop] == b'"' {
            return Some(stop);
        }
        later_stops &= later_stops - 1;
    }
    let next = offset + BLOCK_BYTES;
    let rest = input.get(next..)?;
    let found = find_marked(
        rest,
        |chunk| chunk.simd_eq(u8x16::splat(b'"')),
        |byte| byte == b'"',
    )?;
    Some(next + found)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Returns the records of `input`, each with the cells of all its
    /// parts, and checks that a part that the record continues after has
    /// as many cells as the limit, and no part more.
    fn split(input: &[u8], delimiter: u8) -> Vec<Vec<Vec<u8>>> {
        let mut records = Records::new(input, delimiter);
        let mut out: Vec<Vec<Vec<u8>>> = Vec::new();
        let mut continued = false;
        while let Some(part) = records.next_record() {
            assert!(part.len() <= MAX_PART_CELLS, "{}", part.len());
            if part.continues {
                assert_eq!(part.len(), MAX_PART_CELLS);
            }
            let cells = part.iter().map(<[u8]>::to_vec);
            match out.last_mut() {
                Some(record) if continued => record.extend(cells),
                _ => out.push(cells.collect()),
            }
            continued = part.continues;
        }
        out
    }

    fn split_with_csv(input: &[u8], delimiter: u8) -> Vec<Vec<Vec<u8>>> {
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .from_reader(input);
        reader
            .byte_records()
            .map(|record| record.unwrap().iter().map(<[u8]>::to_vec).collect())
            .collect()
    }

    #[test]
    fn records_match_the_csv_crate() {
        let cases: [&[u8]; 29] = [
            b"a,b,c\n1,2,3\n",
            b"a,b,c\r\n1,2,3\r\n",
            b"a,b\r1,2\r",
            b"a,b\n\n\n1,2",
            b"\n\r\na,b,\n,\n",
            b"\xEF\xBB\xBFid,name\n1,Jane\n",
            b"\xEF\xBB\xBF\"id\",name\n1,Jane\n",
            b"id\n\xEF\xBB\xBF1\n",
            b"id\n\xEF\xBB\xBF\"1\"\n",
            b"\"a,b\",c\n1,\"2\n3\",4\n",
            b"\"say \"\"hi\"\"\",x\n",
            b"ab\"c,d\n",
            b"\"ab\"cd,e\n",
            b" \"a\",b\n",
            b"\"open,never closed\nnext,line",
            b"x,\"\"\n\"\",y",
            b"",
            b",",
            b"\"\"",
            b"plain\nq,\"multi\r\nline\"\r\nlast,row\r\n",
            b"\xEF\xBB\xBF",
            b"a,\"b,c\",d\n\"x\"\n",
            b"\"a\"\"b\",c\n",
            b"\"multi\nline\",x\ny,\"z\"",
            b"x,\"unterminated",
            b"\"a\",b\"c\nd\n",
            b"\"a\",\"b\"\r\n\"c\"\r\n",
            b"\"\",\"\"\n,\"\"\n",
            b"\"a\" ,b\n",
        ];
        // A NUL delimiter checks that the zeros padding the last step of a
        // body are not read as delimiters.
        for input in cases {
            for delimiter in [b',', b';', b'\0'] {
                assert_eq!(
                    split(input, delimiter),
                    split_with_csv(input, delimiter),
                    "{:?}",
                    String::from_utf8_lossy(input)
                );
            }
        }
    }

    #[test]
    fn generated_records_match_the_csv_crate() {
        // Short strings over the bytes that matter to the parser, from a
        // fixed-seed xorshift generator, cover their combinations.
        let alphabet: &[u8] = b"a1 ,;\"\"\r\n\xEF\xBB\xBF";
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        for _ in 0..2000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let length = (state % 24) as usize;
            let input: Vec<u8> = (0..length)
                .map(|index| alphabet[((state >> (index % 60)) as usize + index) % alphabet.len()])
                .collect();
            for delimiter in [b',', b';'] {
                assert_eq!(
                    split(&input, delimiter),
                    split_with_csv(&input, delimiter),
                    "{input:?}"
                );
            }
        }
    }

    #[test]
    fn long_records_match_the_csv_crate() {
        // Records longer than several words, with quoted cells ending at
        // every offset of a word, and control bytes that end no line (a
        // tab, a vertical tab, NUL) and stay inside their cells.
        let alphabet: &[&[u8]] = &[
            b"abc",
            b"1",
            b" ",
            b",",
            b";",
            b"\"",
            b"\"x,y\"",
            b"\"\"",
            b"\t",
            b"\x0b",
            b"\0",
            b"\r",
            b"\n",
            b"\r\n",
            b"\xC3\xA9",
        ];
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        for _ in 0..4000 {
            let mut input = Vec::new();
            let pieces = 4 + (state % 40) as usize;
            for _ in 0..pieces {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                input.extend_from_slice(alphabet[(state % alphabet.len() as u64) as usize]);
            }
            for delimiter in [b',', b';', b'\t'] {
                assert_eq!(
                    split(&input, delimiter),
                    split_with_csv(&input, delimiter),
                    "{:?}",
                    String::from_utf8_lossy(&input)
                );
            }
        }
    }

    #[test]
    fn quoted_cells_end_at_every_offset() {
        // A quoted cell of every length between unquoted ones, so that its
        // closing quote falls on each byte of a block and near the body's
        // end.
        // The unquoted cells around it, up to three words long, end at
        // each byte of a word too, and one contains a stray quote.
        let after_cells = [
            "",
            "\n",
            "\r\n",
            ",z",
            ",z\n",
            ",\"w\"",
            ",zzzzzzzzzzzz\r\n",
            ",zzzzzzzzzzzzzzzzzzzzzzz;zz\nq",
            ",zzzzzzzzz\"z\n",
        ];
        for before in 0..70 {
            for length in 0..20 {
                for after in after_cells {
                    let input = format!(
                        "{},\"{}\"{after}",
                        "a".repeat(before),
                        "q,".repeat(length / 2) + &"q".repeat(length % 2)
                    );
                    assert_eq!(
                        split(input.as_bytes(), b','),
                        split_with_csv(input.as_bytes(), b','),
                        "{input:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn unquoted_records_split_at_every_offset() {
        // Delimiters before, inside and after each word of eight bytes,
        // alone and side by side, in records of one to three lines and up
        // to two blocks and a bit long.
        for length in 0..140 {
            for at in 0..length {
                for width in 1..=2 {
                    let mut line = vec![b'x'; length];
                    let end = (at + width).min(length);
                    line[at..end].fill(b';');
                    let mut input = line.clone();
                    input.extend_from_slice(b"\n");
                    input.extend_from_slice(&line);
                    assert_eq!(
                        split(&input, b';'),
                        split_with_csv(&input, b';'),
                        "{length} {at} {width}"
                    );
                }
            }
        }
    }

    #[test]
    fn wide_records_come_in_parts() {
        // Records of about the limit of cells, unquoted or with quoted
        // cells, escaped quotes and line breaks near the cut. The parts
        // end at each kind of cell, and records with an escaped quote go
        // to `csv-core` in parts as well.
        let cells: [&str; 6] = ["x", "", "\"q,q\"", "\"a\"\"b\"", "\"l\nl\"", "yyyyyyyyyyyy"];
        for count in [
            MAX_PART_CELLS - 1,
            MAX_PART_CELLS,
            MAX_PART_CELLS + 1,
            3 * MAX_PART_CELLS + 5,
        ] {
            for special in 0..cells.len() {
                for near in [
                    MAX_PART_CELLS - 2,
                    MAX_PART_CELLS - 1,
                    MAX_PART_CELLS,
                    MAX_PART_CELLS + 16,
                ] {
                    let row: Vec<&str> = (0..count)
                        .map(|index| {
                            if index == near || index % 997 == 3 {
                                cells[special]
                            } else {
                                cells[index % 2]
                            }
                        })
                        .collect();
                    let input = format!("{}\nnext,row\n{}", row.join(","), row.join(","));
                    let records = split(input.as_bytes(), b',');
                    assert_eq!(records.len(), 3, "{count} {special} {near}");
                    assert_eq!(
                        records,
                        split_with_csv(input.as_bytes(), b','),
                        "{count} {special} {near}"
                    );
                }
            }
        }
    }

    #[test]
    fn long_quoted_records_grow_the_buffers() {
        let cell = "x".repeat(3 * INITIAL_BUFFER_BYTES);
        let cells = vec![format!("\"{cell}\""); 2 * INITIAL_CELLS];
        let input = cells.join(",");
        let records = split(input.as_bytes(), b',');
        assert_eq!(records.len(), 1);
        assert_eq!(records[0].len(), 2 * INITIAL_CELLS);
        assert_eq!(records[0][0], cell.as_bytes());
    }
}
