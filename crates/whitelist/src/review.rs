//! Recording a review in `whitelist.toml` itself: the entry's
//! `reviewed_on` and `reviewed_by` are rewritten in place, and every other
//! byte of the file, comments and layout included, stays as it was.

use std::path::Path;

use chrono::NaiveDate;
use toml_edit::{DocumentMut, Item, Value};

use crate::destination::Whitelist;
use crate::error::ConfigError;

/// Returns `text` with the review of destination `id` set to `day` by
/// `reviewer`. The result is parsed as a whitelist before it is returned,
/// so a rewrite never produces a file the gateway would reject.
pub fn record_review(
    text: &str,
    path: &Path,
    id: &str,
    day: NaiveDate,
    reviewer: &str,
) -> Result<String, ConfigError> {
    let invalid = |message: String| ConfigError::Invalid {
        path: path.to_owned(),
        location: None,
        message,
    };
    // The text must be a valid whitelist before as well as after.
    Whitelist::parse(text, path)?;
    let mut document: DocumentMut = text
        .parse()
        .map_err(|error: toml_edit::TomlError| invalid(error.to_string()))?;
    let entries = document
        .get_mut("destination")
        .and_then(Item::as_array_of_tables_mut)
        .ok_or_else(|| invalid("the file has no [[destination]] entries".into()))?;
    let entry = entries
        .iter_mut()
        .find(|table| table.get("id").and_then(Item::as_str) == Some(id))
        .ok_or_else(|| invalid(format!("no destination has id {id:?}")))?;

    let date = toml_edit::Date {
        year: u16::try_from(chrono::Datelike::year(&day))
            .map_err(|_| invalid("invalid year".into()))?,
        month: chrono::Datelike::month(&day) as u8,
        day: chrono::Datelike::day(&day) as u8,
    };
    let reviewed_on = Value::from(toml_edit::Datetime {
        date: Some(date),
        time: None,
        offset: None,
    });
    replace_value(entry, "reviewed_on", reviewed_on);
    replace_value(entry, "reviewed_by", Value::from(reviewer));

    let rewritten = document.to_string();
    Whitelist::parse(&rewritten, path)?;
    Ok(rewritten)
}

/// Sets `key` to `value`, keeping the whitespace and comments around the
/// old value so the line looks as it did.
fn replace_value(table: &mut toml_edit::Table, key: &str, mut value: Value) {
    if let Some(old) = table.get(key).and_then(Item::as_value) {
        *value.decor_mut() = old.decor().clone();
    }
    table.insert(key, Item::Value(value));
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = r#"# Destinations reviewed every quarter.

[[destination]]
id = "a"   # the first one
hosts = ["a.example"]
country = "DE"
recipient = "A GmbH"
purpose = "p"
reviewed_on = 2026-01-05   # last quarter
reviewed_by = "old reviewer"   # who checked it

# The second entry.
[[destination]]
id = "b"
hosts = ["b.example"]
country = "FR"
recipient = "B SAS"
purpose = "p"
reviewed_on = 2026-02-01
reviewed_by = "someone"
"#;

    #[test]
    fn review_changes_only_two_values() {
        let day = NaiveDate::from_ymd_opt(2026, 12, 4).unwrap();
        let rewritten = record_review(TEXT, Path::new("w.toml"), "a", day, "Wang Li").unwrap();
        let expected = TEXT
            .replace(
                "reviewed_on = 2026-01-05   # last quarter",
                "reviewed_on = 2026-12-04   # last quarter",
            )
            .replace(
                "reviewed_by = \"old reviewer\"   # who checked it",
                "reviewed_by = \"Wang Li\"   # who checked it",
            );
        assert_eq!(rewritten, expected);
    }

    #[test]
    fn unknown_id_is_an_error() {
        let day = NaiveDate::from_ymd_opt(2026, 12, 4).unwrap();
        let error = record_review(TEXT, Path::new("w.toml"), "c", day, "x").unwrap_err();
        assert_eq!(error.to_string(), "w.toml: no destination has id \"c\"");
    }

    #[test]
    fn blank_reviewer_is_rejected() {
        let day = NaiveDate::from_ymd_opt(2026, 12, 4).unwrap();
        let error = record_review(TEXT, Path::new("w.toml"), "a", day, " ").unwrap_err();
        assert!(error.to_string().contains("value is empty"), "{error}");
    }
}
