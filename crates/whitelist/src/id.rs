//! The identifier rule shared by destinations and mechanisms.

use serde::Deserializer;

use crate::text_value;

/// Maximum identifier length. Identifiers appear in every transfer record,
/// in log lines and in metric labels, where long values hurt readability and
/// cardinality; 64 characters leave room for descriptive names.
pub const MAX_ID_LEN: usize = 64;

/// Checks that `id` is 1 to [`MAX_ID_LEN`] ASCII letters, digits, `-`, `_`
/// or `.`, so that it can be written in records and queries without quoting.
pub(crate) fn check(id: &str) -> Result<(), String> {
    if id.is_empty() {
        return Err("id is empty; give a short name such as \"acme-crm\"".to_owned());
    }
    if id.len() > MAX_ID_LEN {
        return Err(format!(
            "id {id:?} is {} characters long, over the limit of {MAX_ID_LEN}",
            id.len()
        ));
    }
    let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.');
    if let Some(bad) = id.chars().find(|&c| !allowed(c)) {
        return Err(format!(
            "id {id:?} contains {bad:?}; use only ASCII letters, digits, \"-\", \"_\" and \".\""
        ));
    }
    Ok(())
}

/// Deserialises an identifier and applies [`check`].
pub(crate) fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    text_value::deserialize_with(deserializer, "an id", |id| {
        check(id).map(|()| id.to_owned())
    })
}

/// Deserialises a free-text field that must not be blank.
pub(crate) fn non_blank<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    text_value::deserialize_with(deserializer, "a non-empty string", |text| {
        if text.trim().is_empty() {
            return Err("value is empty; fill it in");
        }
        Ok(text.to_owned())
    })
}
