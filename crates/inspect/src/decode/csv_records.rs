//! Splitting CSV text into records and cells, for [`super::delimited`].
//!
//! A record without a double quote, the common case in ERP exports, is
//! split in place by one search of sixteen bytes per step for its
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
//! body.

use csv_core::ReadRecordResult;
use wide::u8x16;

use crate::words::find_marked;

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
    /// A record split in place fills the start of the list, whose entries
    /// stay allocated from record to record, so that no cell grows it.
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
        // At the start of the body, `csv-core` drops the byte order mark.
        if start == 0 && input.starts_with(BYTE_ORDER_MARK) {
            return self.quoted_record();
        }
        match split_in_place(input, self.delimiter, start, &mut self.cells) {
            Some((end, count)) => {
                self.position = end;
                Some(Record {
                    source: input,
                    cells: &self.cells[..count],
                })
            }
            None => self.quoted_record(),
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

/// Splits the record at `start` in place when each of its quoted cells
/// is a whole cell without an escaped quote (`"Main Street 5, Berlin"`),
/// and returns the end of the record and the number of cells, which
/// fill the start of `cells`. Returns `None` for anything else
/// (`""` inside a cell, text after a closing quote, a quote inside an
/// unquoted cell, a quote left open), which `csv-core` reads instead.
///
/// One pass reads sixteen bytes per step and marks both the delimiters
/// and the bytes that stop a run of unquoted cells (a quote, `\r`,
/// `\n`). A byte loop would branch at every cell, in a pattern the
/// processor cannot learn, and a search per cell costs more to start
/// than an ERP export's cells have bytes.
fn split_in_place(
    input: &[u8],
    delimiter: u8,
    start: usize,
    cells: &mut Vec<(usize, usize)>,
) -> Option<(usize, usize)> {
    let [delimiters, quotes, returns, newlines] = [delimiter, b'"', b'\r', b'\n'].map(u8x16::splat);
    let mut count = 0;
    let mut cell_start = start;
    let mut offset = start;
    loop {
        // Room for a cell at each of the step's bytes and one more.
        if cells.len() < count + 17 {
            cells.resize(2 * cells.len() + 32, (0, 0));
        }
        // The last step reads a copy padded with zeros, and only the
        // bytes of the body count, as a NUL may be the delimiter.
        let (bytes, valid) = match input.get(offset..offset + 16) {
            Some(chunk) => (u8x16::new(chunk.try_into().unwrap_or_default()), u32::MAX),
            None => {
                let rest = &input[offset..];
                let mut padded = [0; 16];
                padded[..rest.len()].copy_from_slice(rest);
                (u8x16::new(padded), (1 << rest.len()) - 1)
            }
        };
        let stops = (bytes.simd_eq(quotes) | bytes.simd_eq(returns) | bytes.simd_eq(newlines))
            .to_bitmask()
            & valid;
        // Delimiters after the first stop lie in a quoted cell or in
        // the next record, so only the bits below the lowest stop count.
        let mut ends = bytes.simd_eq(delimiters).to_bitmask()
            & valid
            & (stops & stops.wrapping_neg()).wrapping_sub(1);
        while ends != 0 {
            let at = offset + ends.trailing_zeros() as usize;
            cells[count] = (cell_start, at);
            count += 1;
            cell_start = at + 1;
            ends &= ends - 1;
        }
        if stops == 0 {
            if valid != u32::MAX {
                cells[count] = (cell_start, input.len());
                return Some((input.len(), count + 1));
            }
            offset += 16;
            continue;
        }
        let at = offset + stops.trailing_zeros() as usize;
        if input[at] != b'"' {
            cells[count] = (cell_start, at);
            return Some((at, count + 1));
        }
        // A quote opens a quoted cell only as the cell's first byte.
        if at != cell_start {
            return None;
        }
        // The closing quote may be lines away.
        let close = at
            + 1
            + find_marked(
                &input[at + 1..],
                |chunk| chunk.simd_eq(quotes),
                |byte| byte == b'"',
            )?;
        cells[count] = (at + 1, close);
        count += 1;
        match input.get(close + 1) {
            None | Some(b'\r' | b'\n') => return Some((close + 1, count)),
            Some(&byte) if byte == delimiter => {
                cell_start = close + 2;
                offset = cell_start;
            }
            Some(_) => return None,
        }
    }
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
