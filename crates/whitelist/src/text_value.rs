//! Deserialisation of values written as TOML strings and parsed by a
//! function of this crate.
//!
//! The parse runs inside the string visitor on purpose: the TOML
//! deserialiser attaches the value's span only to errors that a visitor
//! returns, so an error raised after `String::deserialize` inside an array
//! would point at the whole array instead of the bad entry.

use std::fmt;
use std::marker::PhantomData;

use serde::Deserializer;
use serde::de::{self, Visitor};

/// Deserialises a string and converts it with `parse`, reporting the parse
/// error's message as the deserialisation error.
pub(crate) fn deserialize_with<'de, D, T, E>(
    deserializer: D,
    expecting: &'static str,
    parse: fn(&str) -> Result<T, E>,
) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    E: fmt::Display,
{
    deserializer.deserialize_str(ParseVisitor {
        expecting,
        parse,
        output: PhantomData,
    })
}

struct ParseVisitor<T, E> {
    expecting: &'static str,
    parse: fn(&str) -> Result<T, E>,
    output: PhantomData<T>,
}

impl<T, E: fmt::Display> Visitor<'_> for ParseVisitor<T, E> {
    type Value = T;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str(self.expecting)
    }

    fn visit_str<Error: de::Error>(self, text: &str) -> Result<T, Error> {
        (self.parse)(text).map_err(Error::custom)
    }
}
