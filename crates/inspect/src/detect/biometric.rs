//! Biometric data, judged as whole field values under biometric keys.
//!
//! A key that can only mean biometric data (`faceFeature`, `face_template`,
//! `voiceprint`, `人脸`, `指纹`, `虹膜`) makes any non-empty value count: a
//! feature vector may arrive as a base64 string, a hex string or a JSON
//! array of numbers. A key that also names other things (`fingerprint` of a
//! certificate or a browser, `iris` as a name) counts only with a binary
//! blob: at least [`MIN_BLOB_CHARS`] base64 characters that are not all hex
//! digits, so a SHA-256 fingerprint in hex (64 characters) is not taken for
//! a fingerprint template.

use super::roles::Roles;

/// Shortest base64 blob taken for biometric data under an ambiguous key:
/// 64 characters encode 48 bytes, less than any face or fingerprint
/// template format stores.
pub(crate) const MIN_BLOB_CHARS: usize = 64;

/// Values that fill a field without holding data.
const EMPTY_VALUES: &[&str] = &["null", "none", "n/a", "false", "true", "0", "-"];

/// Returns whether a field value under a key with `roles` is biometric
/// data.
pub(crate) fn is_biometric_value(value: &[u8], roles: Roles) -> bool {
    let trimmed = value.trim_ascii();
    if trimmed.is_empty() {
        return false;
    }
    if roles.contains(Roles::BIOMETRIC) {
        let text = String::from_utf8_lossy(trimmed);
        return !EMPTY_VALUES
            .iter()
            .any(|empty| empty.eq_ignore_ascii_case(&text));
    }
    roles.contains(Roles::BIOMETRIC_BLOB) && is_base64_blob(trimmed)
}

/// Returns whether `value` is a base64 blob (standard or URL-safe alphabet,
/// optional padding) of at least [`MIN_BLOB_CHARS`] characters that is not
/// all hex digits.
fn is_base64_blob(value: &[u8]) -> bool {
    let body = value
        .strip_suffix(b"==")
        .or_else(|| value.strip_suffix(b"="))
        .unwrap_or(value);
    body.len() >= MIN_BLOB_CHARS
        && body
            .iter()
            .all(|byte| byte.is_ascii_alphanumeric() || matches!(byte, b'+' | b'/' | b'-' | b'_'))
        && !body.iter().all(u8::is_ascii_hexdigit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explicit_keys_accept_any_value() {
        for value in ["AAECAwQF", "0.1234", "deadbeef", "[1,2,3]"] {
            assert!(
                is_biometric_value(value.as_bytes(), Roles::BIOMETRIC),
                "{value}"
            );
        }
        for value in ["", "  ", "null", "N/A"] {
            assert!(
                !is_biometric_value(value.as_bytes(), Roles::BIOMETRIC),
                "{value:?}"
            );
        }
    }

    #[test]
    fn ambiguous_keys_need_a_base64_blob() {
        let blob =
            "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAxMjM0NTY3ODk=";
        assert!(is_biometric_value(blob.as_bytes(), Roles::BIOMETRIC_BLOB));
        let sha256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
        assert!(!is_biometric_value(
            sha256.as_bytes(),
            Roles::BIOMETRIC_BLOB
        ));
        assert!(!is_biometric_value(
            b"QUJDREVGR0hJSktMTU5P",
            Roles::BIOMETRIC_BLOB
        ));
        assert!(!is_biometric_value(
            b"SHA256:ab:cd:ef",
            Roles::BIOMETRIC_BLOB
        ));
    }
}
