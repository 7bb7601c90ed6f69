//! A seeded stand-in for the fuzz targets that runs on stable Rust. Every
//! decoder gets pseudo-random inputs drawn from its format's alphabet and
//! mutations of valid samples. It must neither panic nor emit more than a
//! bounded multiple of its input.

use super::assert_bounded as check;
use crate::{Inspector, Request};

/// Valid inputs that mutations start from, one per format.
const SEEDS: [&[u8]; 8] = [
    br#"{"customers":[{"email":"jane@example.com","note":"eyJpZCI6MX0=","n":4111111111111111}]}"#,
    b"<?xml version=\"1.0\"?><!DOCTYPE r><r a=\"&#64;\"><t><![CDATA[x]]>&amp;</t><t>y</t><!--c--></r>",
    b"\xef\xbb\xbfname;email\r\n\"Doe; Jane\";jane@example.com\r\nx;\"a\nb\"\r\n",
    b"email=jane%40example.com&v=%2540&j=%7B%22a%22%3A1%7D",
    b"--b\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a.csv\"\r\n\
      Content-Transfer-Encoding: base64\r\n\r\nYSxiCjEsMg==\r\n--b--\r\n",
    b"\xff\xfej\x00a\x00n\x00e\x00@\x00",
    b"amFuZUBleGFtcGxlLmNvbQ==",
    b"/v1/customers/jane%40example.com/x%2Fy",
];

/// Characters that steer each format's parser into its branches.
const ALPHABET: &[u8] = b"<>/=\"'&;#[]{}:,|\t\r\n\\%+-_.@?!xAZaz019 \x00\x80\xff";

/// A xorshift64* generator: deterministic for a seed, good enough to
/// spread inputs.
#[derive(Debug)]
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, bound: usize) -> usize {
        (self.next() % bound.max(1) as u64) as usize
    }

    fn byte(&mut self) -> u8 {
        if self.below(4) == 0 {
            self.next() as u8
        } else {
            ALPHABET[self.below(ALPHABET.len())]
        }
    }

    fn random_input(&mut self) -> Vec<u8> {
        let length = self.below(256);
        (0..length).map(|_| self.byte()).collect()
    }

    /// Applies one to four mutations to a seed: replace, insert, delete or
    /// duplicate a range.
    fn mutated(&mut self) -> Vec<u8> {
        let mut input = SEEDS[self.below(SEEDS.len())].to_vec();
        for _ in 0..=self.below(4) {
            let at = self.below(input.len() + 1);
            match self.below(4) {
                0 if at < input.len() => input[at] = self.byte(),
                1 => input.insert(at, self.byte()),
                2 if at < input.len() => {
                    let end = (at + self.below(8) + 1).min(input.len());
                    input.drain(at..end);
                }
                _ => {
                    let end = (at + self.below(16)).min(input.len());
                    let copy = input[at..end].to_vec();
                    input.splice(at..at, copy);
                }
            }
        }
        input
    }
}

/// Runs every decoder over `iterations` random and `iterations` mutated
/// inputs from `seed`; returns the number of decoder runs.
pub fn run_all(seed: u64, iterations: usize) -> usize {
    let mut random = Random(seed | 1);
    let mut runs = 0;
    for iteration in 0..iterations * 2 {
        let input = if iteration % 2 == 0 {
            random.random_input()
        } else {
            random.mutated()
        };
        runs += run_one(&input, &mut random);
    }
    runs
}

/// Runs every decoder over `input`; returns how many ran.
pub fn run_one(input: &[u8], random: &mut impl FnMutRandom) -> usize {
    let mut runs = 0;
    let mut run = |name: &str, output: Option<super::Output>| {
        if let Some(output) = output {
            check(name, input, output);
        }
        runs += 1;
    };
    run("json", super::json(input).ok());
    run("xml", super::xml(input).ok());
    run("csv", Some(super::csv(input, false)));
    run("tsv", Some(super::csv(input, true)));
    run("form", Some(super::form(input)));
    run("path", Some(super::path(input)));
    run("nested", super::nested(input).ok());
    run(
        "multipart",
        super::multipart(input, "multipart/form-data; boundary=b").ok(),
    );
    run(
        "headers",
        Some(super::headers(&[("x-a", input), ("cookie", input)])),
    );
    for coding in ["gzip", "deflate", "br", "zstd"] {
        let _ = super::content_coding(input, coding);
        run(coding, None);
    }
    let _ = super::content_coding(&super::brotli_stored(input), "br");
    let charsets = ["utf-16", "gbk", "shift_jis", "utf-32", "big5", "euc-jp"];
    let charset = charsets[random.pick(charsets.len())];
    let _ = super::transcode(input, &format!("text/plain; charset={charset}"), false);
    let _ = super::transcode(input, "application/xml", true);
    run("transcode", None);
    let types = [
        "application/json",
        "application/xml",
        "text/csv",
        "application/x-www-form-urlencoded",
        "multipart/mixed; boundary=b",
        "text/plain; charset=utf-16",
    ];
    let request = Request {
        path: "/a/b",
        content_type: Some(types[random.pick(types.len())]),
        body: input,
        ..Request::default()
    };
    let _ = Inspector::new(super::fuzz_limits()).inspect(&request);
    run("inspect", None);
    runs
}

/// A source of choices, so that callers other than the seeded run (a fuzz
/// target taking choices from its input) can drive [`run_one`].
pub trait FnMutRandom {
    fn pick(&mut self, bound: usize) -> usize;
}

impl FnMutRandom for Random {
    fn pick(&mut self, bound: usize) -> usize {
        self.below(bound)
    }
}

impl FnMutRandom for u8 {
    fn pick(&mut self, bound: usize) -> usize {
        let choice = usize::from(*self) % bound.max(1);
        *self = self.wrapping_add(1);
        choice
    }
}
