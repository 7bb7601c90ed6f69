//! Splitting CSV text into records and cells, for [`super::delimited`].
//!
//! A record without a double quote, the common case in ERP exports, is
//! split in place: `memchr3` finds its end and a search of eight bytes per
//! step each delimiter, and its cells borrow the body, so nothing is
//! copied. Quoted cells without an escaped quote (`"Main Street 5,
//! Berlin"`) are borrowed the same way. Any other record with a quote goes
//! to `csv-core`, which unescapes its cells into a buffer.
//!
//! Both paths follow `csv-core`'s rules in its default configuration, which
//! the `csv` crate also uses. `\n`, `\r` and `\r\n` end a record, and empty
//! lines are skipped. A quote opens a quoted cell only as the cell's first
//! byte. A UTF-8 byte order mark at the start of the body is dropped.
//! Parsing never fails, because an unbalanced quote runs to the end of the
//! body.

use csv_core::ReadRecordResult;
use memchr::{memchr, memchr3};

use wide::u8x16;

use crate::words::{bytes_equal, find_marked, word};

/// A UTF-8 byte order mark, which `csv-core` drops at the start of a body.
const BYTE_ORDER_MARK: &[u8] = b"\xEF\xBB\xBF";

/// Initial size of the buffer for unescaped cells; it doubles whenever a
/// quoted record does not fit.
const INITIAL_BUFFER_BYTES: usize = 4 * 1024;

/// Initial number of cell ends of a quoted record; it doubles like the
/// buffer.
const INITIAL_CELLS: usize = 64;

/// A reader of the records of one CSV body.
pub(crate) struct Records<'a> {
    input: &'a [u8],
    position: usize,
    delimiter: u8,
    core: csv_core::Reader,
    /// The unescaped cells of the last quoted record, back to back.
    buffer: Vec<u8>,
    /// The end of each cell of the last quoted record in `buffer`.
    ends: Vec<usize>,
    /// The cells of the last record, as ranges of the body or of `buffer`.
    cells: Vec<(usize, usize)>,
}

impl std::fmt::Debug for Records<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Records")
            .field("position", &self.position)
            .field("delimiter", &self.delimiter)
            .finish()
    }
}

/// The cells of one record.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Record<'r> {
    source: &'r [u8],
    cells: &'r [(usize, usize)],
}

impl<'r> Record<'r> {
    pub(crate) fn iter(&self) -> impl Iterator<Item = &'r [u8]> + use<'r> {
        let source = self.source;
        self.cells
            .iter()
            .map(move |&(start, end)| &source[start..end])
    }
}

impl<'a> Records<'a> {
    pub(crate) fn new(input: &'a [u8], delimiter: u8) -> Self {
        let mut core = csv_core::ReaderBuilder::new().delimiter(delimiter).build();
        if !input.starts_with(BYTE_ORDER_MARK) {
            // `csv-core` drops a byte order mark at the start of the first
            // input it is given, which may be a later record here. An empty
            // line is skipped without changing its state, but marks the
            // start as read.
            core.read_record(b"\n", &mut [0; 1], &mut [0; 1]);
        }
        Records {
            input,
            position: 0,
            delimiter,
            core,
            buffer: Vec::new(),
            ends: Vec::new(),
            cells: Vec::new(),
        }
    }

    /// Returns the next record, or `None` at the end of the body.
    pub(crate) fn next_record(&mut self) -> Option<Record<'_>> {
        let input = self.input;
        while let Some(b'\r' | b'\n') = input.get(self.position) {
            self.position += 1;
        }
        let start = self.position;
        if start >= input.len() {
            return None;
        }

        // `memchr3` finds the end of the record, or a quote that needs the
        // full parser, without looking at every byte in turn.
        let stop =
            memchr3(b'\n', b'\r', b'"', &input[start..]).map_or(input.len(), |at| start + at);
        // At the start of the body, `csv-core` drops the byte order mark.
        if start == 0 && input.starts_with(BYTE_ORDER_MARK) {
            return self.quoted_record();
        }
        if input.get(stop) == Some(&b'"') {
            return match self.split_quoted(start) {
                Some(end) => {
                    self.position = end;
                    Some(Record {
                        source: input,
                        cells: &self.cells,
                    })
                }
                None => self.quoted_record(),
            };
        }

        // Delimiters are found a word of eight bytes at a time: a byte loop
        // branches at every cell, in a pattern the processor cannot learn,
        // and `memchr` costs more to set up per call than a cell's bytes.
        self.cells.clear();
        let mut cell_start = start;
        let delimiter = self.delimiter;
        let mut words = input[start..stop].chunks_exact(8);
        let mut word_start = start;
        for chunk in &mut words {
            let mut marks = bytes_equal(word(chunk), delimiter);
            while marks != 0 {
                let at = word_start + (marks.trailing_zeros() / 8) as usize;
                self.cells.push((cell_start, at));
                cell_start = at + 1;
                marks &= marks - 1;
            }
            word_start += 8;
        }
        for (offset, &byte) in words.remainder().iter().enumerate() {
            if byte == delimiter {
                self.cells.push((cell_start, word_start + offset));
                cell_start = word_start + offset + 1;
            }
        }
        self.cells.push((cell_start, stop));
        self.position = stop;
        Some(Record {
            source: input,
            cells: &self.cells,
        })
    }

    /// Splits the record at `start` in place when each of its quoted cells
    /// is a whole cell without an escaped quote (`"Main Street 5, Berlin"`),
    /// and returns the end of the record. Returns `None` for anything else
    /// (`""` inside a cell, text after a closing quote, a quote inside an
    /// unquoted cell, a quote left open), which `csv-core` reads instead.
    fn split_quoted(&mut self, start: usize) -> Option<usize> {
        let (input, delimiter) = (self.input, self.delimiter);
        self.cells.clear();
        let mut position = start;
        loop {
            let cell_end = if input.get(position) == Some(&b'"') {
                // `memchr` finds the closing quote, which may be lines away.
                let close = position + 1 + memchr(b'"', &input[position + 1..])?;
                self.cells.push((position + 1, close));
                close + 1
            } else {
                let end = unquoted_cell_end(input, position, delimiter);
                self.cells.push((position, end));
                end
            };
            match input.get(cell_end) {
                None | Some(b'\r' | b'\n') => return Some(cell_end),
                Some(&byte) if byte == delimiter => position = cell_end + 1,
                Some(_) => return None,
            }
        }
    }

    /// Reads the record at the current position with `csv-core`.
    fn quoted_record(&mut self) -> Option<Record<'_>> {
        if self.buffer.is_empty() {
            self.buffer.resize(INITIAL_BUFFER_BYTES, 0);
            self.ends.resize(INITIAL_CELLS, 0);
        }
        let (mut written, mut ended) = (0, 0);
        loop {
            // Once the body is consumed, an empty slice makes `csv-core`
            // finish the last record.
            let (result, read, wrote, ends) = self.core.read_record(
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
                ReadRecordResult::OutputEndsFull => self.ends.resize(self.ends.len() * 2, 0),
                ReadRecordResult::Record => break,
                ReadRecordResult::End => return None,
            }
        }
        self.cells.clear();
        let mut cell_start = 0;
        for &end in &self.ends[..ended] {
            self.cells.push((cell_start, end));
            cell_start = end;
        }
        Some(Record {
            source: &self.buffer,
            cells: &self.cells,
        })
    }
}

/// Returns the offset of the first delimiter, quote, `\r` or `\n` at or
/// after `from`, or the end of `input`. The search reads sixteen bytes per
/// step and needs no setup, where `memchr` would cost more to start than a
/// cell of an ERP export has bytes.
fn unquoted_cell_end(input: &[u8], from: usize, delimiter: u8) -> usize {
    let ends = [delimiter, b'"', b'\r', b'\n'].map(u8x16::splat);
    find_marked(
        &input[from..],
        |chunk| {
            chunk.simd_eq(ends[0])
                | chunk.simd_eq(ends[1])
                | chunk.simd_eq(ends[2])
                | chunk.simd_eq(ends[3])
        },
        |byte| matches!(byte, b'"' | b'\r' | b'\n') || byte == delimiter,
    )
    .map_or(input.len(), |length| from + length)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(input: &[u8], delimiter: u8) -> Vec<Vec<Vec<u8>>> {
        let mut records = Records::new(input, delimiter);
        let mut out = Vec::new();
        while let Some(record) = records.next_record() {
            out.push(record.iter().map(<[u8]>::to_vec).collect());
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
        for input in cases {
            for delimiter in [b',', b';'] {
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
        // closing quote falls on each byte of a word and near the body's
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
        for before in 0..26 {
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
        // alone and side by side, in records of one to three lines.
        for length in 0..40 {
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
