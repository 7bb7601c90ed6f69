//! The `br` content coding (RFC 7932).
//!
//! The stream is driven through the decoder's low-level interface rather
//! than its `Read` adapter, because only that interface distinguishes a stream
//! that ends early (truncated) from one that is followed by stray bytes, and the
//! adapter hides both. The large-window extension, which allows windows of
//! up to 1 GiB, is rejected: RFC 7932 caps the window at 16 MiB, and a client
//! must not be able to make the inspector reserve more.

use brotli_decompressor::{BrotliDecompressStream, BrotliResult, BrotliState, StandardAlloc};

use crate::InspectError;
use crate::decode::content_encoding::{Bounds, CHUNK_BYTES, reject_trailing};

/// Decodes the Brotli stream `input` within `bounds`.
pub(crate) fn decode(input: &[u8], bounds: &Bounds) -> Result<Vec<u8>, InspectError> {
    let mut state = BrotliState::new(
        StandardAlloc::default(),
        StandardAlloc::default(),
        StandardAlloc::default(),
    );
    state.large_window = false;
    let mut output = Vec::new();
    let mut chunk = vec![0u8; CHUNK_BYTES];
    let mut available_in = input.len();
    let mut input_offset = 0;
    let mut total_out = 0;
    loop {
        let mut available_out = chunk.len();
        let mut output_offset = 0;
        let result = BrotliDecompressStream(
            &mut available_in,
            &mut input_offset,
            input,
            &mut available_out,
            &mut output_offset,
            &mut chunk,
            &mut total_out,
            &mut state,
        );
        bounds.check(output.len() + output_offset)?;
        output.extend_from_slice(&chunk[..output_offset]);
        match result {
            BrotliResult::ResultSuccess => {
                reject_trailing(bounds.coding(), &input[input_offset..])?;
                return Ok(output);
            }
            BrotliResult::NeedsMoreOutput => {}
            BrotliResult::NeedsMoreInput => {
                return Err(InspectError::TruncatedEncoding {
                    encoding: bounds.coding(),
                });
            }
            BrotliResult::ResultFailure => {
                return Err(InspectError::CorruptEncoding {
                    encoding: bounds.coding(),
                    message: format!("invalid brotli stream near byte {input_offset}"),
                });
            }
        }
    }
}
