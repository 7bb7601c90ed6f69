//! Choice of body format from `Content-Type`.

/// How a decoded body is split into segments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BodyFormat {
    /// `application/json` and every `+json` type.
    Json,
    /// `application/x-www-form-urlencoded`.
    Form,
    /// Everything else, scanned line by line over the raw bytes.
    Text,
}

/// Returns the format for a `Content-Type` value.
///
/// The media type is compared case-insensitively and its parameters
/// (`charset` and others) are ignored. A missing or unknown type falls back to
/// plain text, which still finds values in XML, CSV and multipart bodies.
pub(crate) fn body_format(content_type: Option<&str>) -> BodyFormat {
    let Some(content_type) = content_type else {
        return BodyFormat::Text;
    };
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    if essence == "application/json" || (essence.ends_with("+json") && essence.contains('/')) {
        BodyFormat::Json
    } else if essence == "application/x-www-form-urlencoded" {
        BodyFormat::Form
    } else {
        BodyFormat::Text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_types_map_to_formats() {
        let cases = [
            (None, BodyFormat::Text),
            (Some("application/json"), BodyFormat::Json),
            (Some("Application/JSON; charset=utf-8"), BodyFormat::Json),
            (Some(" application/json ;charset=UTF-8"), BodyFormat::Json),
            (Some("application/vnd.api+json"), BodyFormat::Json),
            (Some("application/problem+JSON"), BodyFormat::Json),
            (Some("application/x-www-form-urlencoded"), BodyFormat::Form),
            (
                Some("APPLICATION/X-WWW-FORM-URLENCODED; charset=utf-8"),
                BodyFormat::Form,
            ),
            (Some("application/xml"), BodyFormat::Text),
            (Some("text/csv"), BodyFormat::Text),
            (Some("multipart/form-data; boundary=x"), BodyFormat::Text),
            (Some("application/jsonl"), BodyFormat::Text),
            (Some("+json"), BodyFormat::Text),
            (Some(""), BodyFormat::Text),
        ];
        for (content_type, expected) in cases {
            assert_eq!(body_format(content_type), expected, "{content_type:?}");
        }
    }
}
