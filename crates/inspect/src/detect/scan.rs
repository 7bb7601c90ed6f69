//! Byte-level helpers shared by the detectors.

/// Returns the end of the run of ASCII digits that starts at `start`.
pub(crate) fn digit_run_end(text: &[u8], start: usize) -> usize {
    text[start..]
        .iter()
        .position(|byte| !byte.is_ascii_digit())
        .map_or(text.len(), |length| start + length)
}

/// Returns whether the byte before `index` is an ASCII letter or digit.
pub(crate) fn alphanumeric_before(text: &[u8], index: usize) -> bool {
    index > 0 && text[index - 1].is_ascii_alphanumeric()
}

/// Returns whether the byte at `index` is an ASCII letter or digit.
pub(crate) fn alphanumeric_at(text: &[u8], index: usize) -> bool {
    text.get(index).is_some_and(u8::is_ascii_alphanumeric)
}

/// Returns whether the byte at `index` is an ASCII digit.
pub(crate) fn digit_at(text: &[u8], index: usize) -> bool {
    text.get(index).is_some_and(u8::is_ascii_digit)
}

/// Calls `visit` with the start and end of every maximal run of ASCII digits
/// in `text`. `visit` returns the offset to resume from, which lets a
/// detector skip past a grouped match that spans several runs.
pub(crate) fn for_each_digit_run(text: &[u8], mut visit: impl FnMut(usize, usize) -> usize) {
    let mut index = 0;
    while index < text.len() {
        if !text[index].is_ascii_digit() {
            index += 1;
            continue;
        }
        let end = digit_run_end(text, index);
        index = visit(index, end).max(end);
    }
}

/// Appends the ASCII digits of `value` to `out`.
pub(crate) fn push_digits(value: &[u8], out: &mut Vec<u8>) {
    out.extend(value.iter().copied().filter(u8::is_ascii_digit));
}
