use std::io::Write;

use flate2::Compression;
use flate2::write::{DeflateEncoder, GzEncoder, ZlibEncoder};

use super::*;

const TEXT: &[u8] = b"{\"email\":\"jane@example.com\"}";

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
    encoder.write_all(data).unwrap();
    encoder.finish().unwrap()
}

fn zlib(data: &[u8]) -> Vec<u8> {
    let mut encoder = ZlibEncoder::new(Vec::new(), Compression::default());
    encoder.write_all(data).unwrap();
    encoder.finish().unwrap()
}

fn raw_deflate(data: &[u8]) -> Vec<u8> {
    let mut encoder = DeflateEncoder::new(Vec::new(), Compression::default());
    encoder.write_all(data).unwrap();
    encoder.finish().unwrap()
}

fn decode(body: &[u8], encoding: &str, limits: &Limits) -> Result<Vec<u8>, InspectError> {
    decode_body(body, Some(encoding), limits).map(Cow::into_owned)
}

#[test]
fn identity_and_missing_header_borrow_the_body() {
    let limits = Limits::default();
    for header in [None, Some("identity"), Some(""), Some(" Identity ")] {
        let decoded = decode_body(TEXT, header, &limits).unwrap();
        assert!(matches!(decoded, Cow::Borrowed(_)), "{header:?}");
        assert_eq!(&*decoded, TEXT, "{header:?}");
    }
}

#[test]
fn gzip_and_x_gzip_decode() {
    let body = gzip(TEXT);
    for header in ["gzip", "x-gzip", "GZIP"] {
        assert_eq!(decode(&body, header, &Limits::default()).unwrap(), TEXT);
    }
}

#[test]
fn concatenated_gzip_members_decode_in_full() {
    let mut body = gzip(b"first ");
    body.extend(gzip(b"second"));
    assert_eq!(
        decode(&body, "gzip", &Limits::default()).unwrap(),
        b"first second"
    );
}

#[test]
fn gzip_header_text_is_rejected_in_any_member() {
    // The file name, comment and extra field of a member header, in the
    // first member and in a later one.
    let with = |builder: flate2::GzBuilder| {
        let mut encoder = builder.write(Vec::new(), Compression::default());
        encoder.write_all(TEXT).unwrap();
        encoder.finish().unwrap()
    };
    let cases = [
        (
            with(flate2::GzBuilder::new().filename("jane@example.com.csv")),
            "a file name in its header",
        ),
        (
            with(flate2::GzBuilder::new().comment("jane@example.com")),
            "a comment in its header",
        ),
        (
            with(flate2::GzBuilder::new().extra(b"jane@example.com".to_vec())),
            "an extra field in its header",
        ),
    ];
    for (member, part) in cases {
        let expected = Err(InspectError::CodingMetadata {
            encoding: ContentCoding::Gzip,
            part,
        });
        assert_eq!(decode(&member, "gzip", &Limits::default()), expected);
        let mut body = gzip(b"first ");
        body.extend(member);
        assert_eq!(decode(&body, "gzip", &Limits::default()), expected);
    }
}

#[test]
fn deflate_accepts_zlib_and_raw_streams() {
    let limits = Limits::default();
    assert_eq!(decode(&zlib(TEXT), "deflate", &limits).unwrap(), TEXT);
    assert_eq!(
        decode(&raw_deflate(TEXT), "deflate", &limits).unwrap(),
        TEXT
    );
}

#[test]
fn stacked_codings_decode_in_reverse_order() {
    let limits = Limits::default();
    let twice = gzip(&gzip(TEXT));
    assert_eq!(decode(&twice, "gzip, gzip", &limits).unwrap(), TEXT);
    let mixed = gzip(&zlib(TEXT));
    assert_eq!(decode(&mixed, "deflate, gzip", &limits).unwrap(), TEXT);
    assert_eq!(
        decode(&mixed, "deflate,identity,gzip", &limits).unwrap(),
        TEXT
    );
}

#[test]
fn corrupt_gzip_is_an_error_naming_gzip() {
    let mut body = gzip(TEXT);
    body[12] ^= 0xff;
    body[13] ^= 0xff;
    let error = decode(&body, "gzip", &Limits::default()).unwrap_err();
    assert!(
        matches!(
            error,
            InspectError::CorruptEncoding {
                encoding: ContentCoding::Gzip,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(error.to_string().starts_with("corrupt gzip body: "));
}

#[test]
fn bytes_that_are_not_gzip_are_corrupt() {
    let error = decode(b"plain text", "gzip", &Limits::default()).unwrap_err();
    assert!(
        matches!(error, InspectError::CorruptEncoding { .. }),
        "{error:?}"
    );
}

#[test]
fn truncated_streams_are_errors() {
    let gz = gzip(TEXT);
    let error = decode(&gz[..gz.len() - 10], "gzip", &Limits::default()).unwrap_err();
    assert_eq!(
        error,
        InspectError::TruncatedEncoding {
            encoding: ContentCoding::Gzip
        }
    );
    let zl = zlib(TEXT);
    let error = decode(&zl[..zl.len() / 2], "deflate", &Limits::default()).unwrap_err();
    assert_eq!(
        error,
        InspectError::TruncatedEncoding {
            encoding: ContentCoding::Deflate
        }
    );
}

#[test]
fn bytes_after_a_deflate_stream_are_an_error() {
    let mut body = zlib(TEXT);
    body.extend_from_slice(b"hidden@example.com");
    let error = decode(&body, "deflate", &Limits::default()).unwrap_err();
    assert_eq!(
        error,
        InspectError::TrailingData {
            encoding: ContentCoding::Deflate,
            bytes: 18
        }
    );
}

#[test]
fn unknown_codings_are_unsupported() {
    for name in ["compress", "gzip2", "bzip2", "x-brotli"] {
        let error = decode(b"x", name, &Limits::default()).unwrap_err();
        assert_eq!(
            error,
            InspectError::UnsupportedEncoding {
                encoding: name.to_owned()
            }
        );
    }
}

#[test]
fn unknown_coding_in_a_stack_is_unsupported() {
    let error = decode(&gzip(TEXT), "compress, gzip", &Limits::default()).unwrap_err();
    assert_eq!(
        error,
        InspectError::UnsupportedEncoding {
            encoding: "compress".to_owned()
        }
    );
}

#[test]
fn too_many_stacked_codings_are_rejected() {
    let error = decode(TEXT, "gzip, gzip, gzip, gzip, gzip", &Limits::default()).unwrap_err();
    assert_eq!(
        error,
        InspectError::TooManyEncodings {
            count: 5,
            limit: MAX_STACKED_CODINGS
        }
    );
}

#[test]
fn identity_body_above_the_limit_is_rejected() {
    let limits = Limits {
        max_decoded_bytes: 4,
        ..Limits::default()
    };
    let error = decode(TEXT, "identity", &limits).unwrap_err();
    assert_eq!(
        error,
        InspectError::BodyTooLarge {
            size: TEXT.len(),
            limit: 4
        }
    );
}

#[test]
fn decoded_size_limit_names_coding_and_limit() {
    let limits = Limits {
        max_decoded_bytes: 134_217_728,
        ..Limits::default()
    };
    let error = Bounds::new(ContentCoding::Gzip, 10_000_000, &limits)
        .check(134_217_729)
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "gzip body expands beyond max_decoded_bytes (134217728 bytes)"
    );
}

#[test]
fn small_bodies_may_exceed_the_ratio() {
    let body = gzip(&[b' '; 500_000]);
    assert!(body.len() * 100 < 500_000);
    let decoded = decode(&body, "gzip", &Limits::default()).unwrap();
    assert_eq!(decoded.len(), 500_000);
}

/// Returns a gzip body that expands to `megabytes` MiB of zeros: one member
/// holding 1 MiB of zeros, repeated. Each member is valid gzip on its own,
/// so the body decodes to the full size unless a limit stops it.
fn zero_bomb(megabytes: usize) -> Vec<u8> {
    let member = gzip(&vec![0u8; 1024 * 1024]);
    member.repeat(megabytes)
}

#[test]
fn gzip_bomb_stops_at_max_decoded_bytes() {
    let bomb = zero_bomb(200);
    let limits = Limits {
        max_decoded_bytes: 4 * 1024 * 1024,
        ..Limits::default()
    };
    let error = decode(&bomb, "gzip", &limits).unwrap_err();
    assert_eq!(
        error,
        InspectError::DecodedTooLarge {
            encoding: ContentCoding::Gzip,
            limit: 4 * 1024 * 1024
        }
    );
}

#[test]
fn gzip_bomb_stops_at_max_expansion_ratio() {
    let bomb = zero_bomb(200);
    let error = decode(&bomb, "gzip", &Limits::default()).unwrap_err();
    assert_eq!(
        error,
        InspectError::ExpansionRatioExceeded {
            encoding: ContentCoding::Gzip,
            ratio: 100,
            encoded_bytes: bomb.len()
        }
    );
}

#[test]
fn nested_gzip_bomb_uses_received_size() {
    let inner = zero_bomb(8);
    let outer = gzip(&inner);
    let limits = Limits {
        max_expansion_ratio: 50,
        ..Limits::default()
    };
    let error = decode(&outer, "gzip, gzip", &limits).unwrap_err();
    assert!(
        matches!(error, InspectError::ExpansionRatioExceeded { encoded_bytes, .. } if encoded_bytes == outer.len()),
        "{error:?}"
    );
}
