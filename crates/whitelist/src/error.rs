//! Configuration errors that point at a file, line and column.
//!
//! Every configuration file that Tollgate reads (`whitelist.toml`,
//! `mechanisms.toml`, and the gateway's own `tollgate.toml`) reports problems
//! in the same one-line form, `path:line:column: message`, so that an
//! administrator can jump to the spot in an editor. The helpers here turn
//! byte spans from the TOML parser, or from this crate's own validation, into
//! that form.

use std::fmt;
use std::io;
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;

/// A 1-based line and column in a text file. The column counts Unicode
/// scalar values, as most editors do, not bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Location {
    pub line: usize,
    pub column: usize,
}

impl Location {
    /// Computes the location of byte `offset` in `text`.
    ///
    /// An offset past the end maps to the end of the text, and an offset
    /// inside a multi-byte character maps to the start of that character.
    pub fn of_offset(text: &str, offset: usize) -> Location {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let before = &text[..offset];
        let line_start = before.rfind('\n').map_or(0, |newline| newline + 1);
        Location {
            line: before.matches('\n').count() + 1,
            column: before[line_start..].chars().count() + 1,
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// A configuration file that could not be read or is invalid.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("failed to read {}: {source}", path.display())]
    Read { path: PathBuf, source: io::Error },

    /// The file was read but its content is invalid. `location` is `None`
    /// when the problem has no single position, for example a parser error
    /// without a span.
    #[error("{}", format_invalid(path, *location, message))]
    Invalid {
        path: PathBuf,
        location: Option<Location>,
        message: String,
    },
}

fn format_invalid(path: &Path, location: Option<Location>, message: &str) -> String {
    match location {
        Some(location) => format!("{}:{location}: {message}", path.display()),
        None => format!("{}: {message}", path.display()),
    }
}

impl ConfigError {
    /// Builds the error for a TOML parse or deserialisation failure.
    ///
    /// The message is the parser's own message without its source snippet,
    /// folded onto one line, and the location is the start of its span.
    pub fn from_toml(path: &Path, text: &str, error: &toml::de::Error) -> ConfigError {
        let message = one_line(error.message());
        ConfigError::Invalid {
            path: path.to_owned(),
            location: error
                .span()
                .map(|span| Location::of_offset(text, span.start)),
            message,
        }
    }

    /// Builds the error for a problem found at byte range `span` of `text`.
    pub fn at_span(
        path: &Path,
        text: &str,
        span: Range<usize>,
        message: impl Into<String>,
    ) -> ConfigError {
        ConfigError::Invalid {
            path: path.to_owned(),
            location: Some(Location::of_offset(text, span.start)),
            message: message.into(),
        }
    }

    /// Builds the error for a problem at an already computed location.
    pub fn at_location(path: &Path, location: Location, message: impl Into<String>) -> ConfigError {
        ConfigError::Invalid {
            path: path.to_owned(),
            location: Some(location),
            message: message.into(),
        }
    }

    /// Returns the file the error is about, as the caller named it.
    pub fn path(&self) -> &Path {
        match self {
            ConfigError::Read { path, .. } | ConfigError::Invalid { path, .. } => path,
        }
    }

    /// Returns the position of the problem when it has one.
    pub fn location(&self) -> Option<Location> {
        match self {
            ConfigError::Read { .. } => None,
            ConfigError::Invalid { location, .. } => *location,
        }
    }
}

fn one_line(message: &str) -> String {
    let lines: Vec<&str> = message
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect();
    lines.join("; ")
}

/// Reads the file at `path` as UTF-8 text.
pub fn read_text(path: &Path) -> Result<String, ConfigError> {
    std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
        path: path.to_owned(),
        source,
    })
}

/// Deserialises `text`, which came from `path`, as TOML into `T`.
pub fn parse_toml<T: DeserializeOwned>(text: &str, path: &Path) -> Result<T, ConfigError> {
    toml::from_str(text).map_err(|error| ConfigError::from_toml(path, text, &error))
}

/// Reads and deserialises the TOML file at `path`, returning the value and
/// the file's text so that later validation can map spans to locations.
pub fn load_toml<T: DeserializeOwned>(path: &Path) -> Result<(T, String), ConfigError> {
    let text = read_text(path)?;
    let value = parse_toml(&text, path)?;
    Ok((value, text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn location_counts_lines_and_characters() {
        let text = "a = 1\nbü = 2\n";
        let offset = text.find('=').unwrap();
        assert_eq!(
            Location::of_offset(text, offset),
            Location { line: 1, column: 3 }
        );
        let second = text.rfind('=').unwrap();
        assert_eq!(
            Location::of_offset(text, second),
            Location { line: 2, column: 4 }
        );
    }

    #[test]
    fn location_clamps_offset_past_end() {
        assert_eq!(
            Location::of_offset("ab\n", 99),
            Location { line: 2, column: 1 }
        );
    }

    #[test]
    fn invalid_without_location_omits_position() {
        let error = ConfigError::Invalid {
            path: PathBuf::from("x.toml"),
            location: None,
            message: "bad".to_owned(),
        };
        assert_eq!(error.to_string(), "x.toml: bad");
    }
}
