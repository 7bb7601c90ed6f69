//! The `zstd` content coding (RFC 8878, RFC 9659).
//!
//! A body is one or more frames back to back, and skippable frames carry
//! data that no decoder reads. That data would reach the destination
//! unread, so a skippable frame that has any is rejected. Each frame
//! header is read here before the decoder reads it, because the decoder
//! reserves its whole window up front and a header may claim terabytes. A
//! window above [`MAX_WINDOW_BYTES`] is rejected, as RFC 9659 §3 allows.

use ruzstd::decoding::StreamingDecoder;

use crate::decode::content_encoding::{Bounds, read_bounded_into};
use crate::{ContentCoding, InspectError};

/// Largest window a frame may declare. RFC 9659 requires encoders of the
/// `zstd` content coding to stay within 8 MiB, so a larger window is either
/// a non-conforming client or an attempt to make the inspector reserve
/// memory.
pub const MAX_WINDOW_BYTES: u64 = 8 * 1024 * 1024;

const FRAME_MAGIC: u32 = 0xFD2F_B528;
const SKIPPABLE_MAGIC_MASK: u32 = 0xFFFF_FFF0;
const SKIPPABLE_MAGIC: u32 = 0x184D_2A50;

/// Decodes the frames of `input` within `bounds`. The expansion limits
/// apply to the output of all frames together.
pub(crate) fn decode(input: &[u8], bounds: &Bounds) -> Result<Vec<u8>, InspectError> {
    let mut output = Vec::new();
    let mut rest = input;
    if rest.is_empty() {
        return Err(truncated(bounds));
    }
    while !rest.is_empty() {
        let Some(magic) = rest.get(..4) else {
            return Err(truncated(bounds));
        };
        let magic = u32::from_le_bytes([magic[0], magic[1], magic[2], magic[3]]);
        if magic & SKIPPABLE_MAGIC_MASK == SKIPPABLE_MAGIC {
            rest = skip_frame(rest, bounds)?;
            continue;
        }
        if magic != FRAME_MAGIC {
            return Err(corrupt(bounds, "bytes after a frame are not another frame"));
        }
        check_window(rest, bounds)?;
        rest = decode_frame(rest, bounds, &mut output)?;
    }
    Ok(output)
}

/// Decodes the frame at the start of `input` into `output` and returns the
/// input after it.
fn decode_frame<'i>(
    input: &'i [u8],
    bounds: &Bounds,
    output: &mut Vec<u8>,
) -> Result<&'i [u8], InspectError> {
    let mut source = input;
    let result = match StreamingDecoder::new(&mut source) {
        Ok(mut decoder) => {
            read_bounded_into(&mut decoder, bounds, output).map(|()| decoder.into_frame_decoder())
        }
        Err(error) => Err(corrupt(bounds, &error.to_string())),
    };
    let frame_decoder = match result {
        Ok(frame_decoder) => frame_decoder,
        // A decoder that failed with all input read ran out of it; the
        // slice reader gives up its remaining bytes on a short read.
        Err(InspectError::CorruptEncoding { .. }) if source.is_empty() => {
            return Err(truncated(bounds));
        }
        Err(error) => return Err(error),
    };
    if !frame_decoder.is_finished() {
        return Err(truncated(bounds));
    }
    if let (Some(sent), Some(computed)) = (
        frame_decoder.get_checksum_from_data(),
        frame_decoder.get_calculated_checksum(),
    ) && sent != computed
    {
        return Err(corrupt(bounds, "content checksum mismatch"));
    }
    Ok(source)
}

fn skip_frame<'i>(input: &'i [u8], bounds: &Bounds) -> Result<&'i [u8], InspectError> {
    let Some(size) = input.get(4..8) else {
        return Err(truncated(bounds));
    };
    let size = u32::from_le_bytes([size[0], size[1], size[2], size[3]]) as usize;
    let rest = input
        .get(8..)
        .and_then(|after| after.get(size..))
        .ok_or_else(|| truncated(bounds))?;
    // The frame's data goes to the destination with the body, and no
    // decoder reads it.
    if size > 0 {
        return Err(InspectError::CodingMetadata {
            encoding: ContentCoding::Zstd,
            part: "a skippable frame with data",
        });
    }
    Ok(rest)
}

/// Reads the window size from the frame header at the start of `input`
/// (RFC 8878 §3.1.1.1) and rejects one above [`MAX_WINDOW_BYTES`].
fn check_window(input: &[u8], bounds: &Bounds) -> Result<(), InspectError> {
    let Some(&descriptor) = input.get(4) else {
        return Err(truncated(bounds));
    };
    let single_segment = descriptor & 0x20 != 0;
    let window = if single_segment {
        let dictionary_bytes = [0, 1, 2, 4][usize::from(descriptor & 0x03)];
        let size_bytes = [1, 2, 4, 8][usize::from(descriptor >> 6)];
        let start = 5 + dictionary_bytes;
        let Some(field) = input.get(start..start + size_bytes) else {
            return Err(truncated(bounds));
        };
        let mut value = [0u8; 8];
        value[..size_bytes].copy_from_slice(field);
        let size = u64::from_le_bytes(value);
        if size_bytes == 2 { size + 256 } else { size }
    } else {
        let Some(&window_descriptor) = input.get(5) else {
            return Err(truncated(bounds));
        };
        let log = 10 + u64::from(window_descriptor >> 3);
        let base = 1u64 << log;
        base + (base / 8) * u64::from(window_descriptor & 0x07)
    };
    if window > MAX_WINDOW_BYTES {
        return Err(corrupt(
            bounds,
            &format!(
                "frame window of {window} bytes exceeds the {MAX_WINDOW_BYTES} bytes of RFC 9659"
            ),
        ));
    }
    Ok(())
}

fn truncated(bounds: &Bounds) -> InspectError {
    InspectError::TruncatedEncoding {
        encoding: bounds.coding(),
    }
}

fn corrupt(bounds: &Bounds, message: &str) -> InspectError {
    InspectError::CorruptEncoding {
        encoding: bounds.coding(),
        message: message.to_owned(),
    }
}
