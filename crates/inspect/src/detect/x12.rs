//! Person names in X12 EDI segments sent as plain text.
//!
//! An `NM1` segment names an entity: element 2 is the entity type (`1` for
//! a person, `2` for an organisation) and elements 3, 4 and 5 are the last,
//! first and middle name. So `NM1*IL*1*DOE*JOHN*A***34*…~` names John A.
//! Doe. Other X12 personal data is found by the general detectors: dates
//! of birth after `DMG*D8*`, social security numbers after the `34` and
//! `SY` qualifiers, and street lines such as `N3*777 ELM ST`.

use memchr::memmem;

use super::person_name::is_person_name;

/// The entity type code of a person in element NM102.
const PERSON_ENTITY: &[u8] = b"1";

/// Elements of an `NM1` segment that hold parts of a person's name: last,
/// first and middle name.
const NAME_ELEMENTS: std::ops::RangeInclusive<usize> = 3..=5;

/// Appends the span of every name part of every person `NM1` segment in
/// `text`.
pub(crate) fn person_names(text: &[u8], out: &mut Vec<(usize, usize)>) {
    for segment_start in memmem::find_iter(text, b"NM1*") {
        let at_segment_start =
            segment_start == 0 || matches!(text[segment_start - 1], b'~' | b'\n' | b'\r' | b' ');
        if at_segment_start {
            segment_names(text, segment_start, out);
        }
    }
}

fn segment_names(text: &[u8], segment_start: usize, out: &mut Vec<(usize, usize)>) {
    let segment_end =
        memchr::memchr(b'~', &text[segment_start..]).map_or(text.len(), |end| segment_start + end);
    let mut element_start = segment_start;
    for (index, element) in text[segment_start..segment_end]
        .split(|&byte| byte == b'*')
        .enumerate()
    {
        if index == 2 && element != PERSON_ENTITY {
            return;
        }
        if NAME_ELEMENTS.contains(&index) && is_person_name(element, true) {
            out.push((element_start, element_start + element.len()));
        }
        element_start += element.len() + 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str) -> Vec<&str> {
        let mut out = Vec::new();
        person_names(text.as_bytes(), &mut out);
        out.iter().map(|&(start, end)| &text[start..end]).collect()
    }

    #[test]
    fn person_segments_yield_their_names() {
        assert_eq!(
            names("NM1*IL*1*DOE*JOHN*A***34*999999999~"),
            ["DOE", "JOHN"]
        );
        assert_eq!(names("ST*834~NM1*IL*1*DOE*JANE~"), ["DOE", "JANE"]);
    }

    #[test]
    fn organisations_and_other_segments_yield_nothing() {
        assert!(names("NM1*P5*2*ACME INSURANCE*****FI*123~").is_empty());
        assert!(names("N1*P5*PAYER 1*FI*999999999~").is_empty());
        assert!(names("XNM1*IL*1*DOE*JOHN~").is_empty());
    }
}
