//! UN/EDIFACT interchanges (ISO 9735), as `application/EDIFACT` bodies
//! (RFC 1767) carry ORDERS, DESADV or IFTMIN messages.
//!
//! A segment ends at `'`, its elements are separated by `+` and their
//! components by `:`, and `?` releases the next character, so `?+` is a
//! `+` in data. A `UNA` service string advice at the start names other
//! characters for these roles, and a space as its release character means
//! the interchange has none. Each component is scanned as a value of its
//! own, keyed by the role that its segment and qualifiers give it, so the
//! general detectors judge a name, street or phone number under a key of
//! its kind:
//!
//! - `NAD+qualifier+id+name and address+party name+street+city+region+postcode+country`
//!   names a party: its name components are keyed `party name`, which
//!   needs evidence of people, and its street, city and postcode as such;
//! - `CTA+function+id:contact name` names a contact person;
//! - `COM+number:qualifier` is a phone number for `TE`, `AL` (cellular),
//!   `MO` and `FX` and an e-mail address for `EM`;
//! - `DTM+329:date:format` is a date of birth.
//!
//! Every other component, and the segment tag, is scanned without a key.
//! Each message (`UNH`) and each party (`NAD`) starts a record, so a
//! party's contacts and numbers count with its name.

use std::borrow::Cow;

use crate::decode::media_type;
use crate::segment::{Location, REQUEST_RECORD, RecordId, Role, Segment, SegmentSink};

/// The characters that delimit segments, elements and components.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Separators {
    component: u8,
    element: u8,
    /// `None` when a `UNA` segment gives a space, which marks an
    /// interchange without a release character.
    release: Option<u8>,
    segment: u8,
}

const DEFAULT_SEPARATORS: Separators = Separators {
    component: b':',
    element: b'+',
    release: Some(b'?'),
    segment: b'\'',
};

/// One component of an interchange, as a range of the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Component {
    pub start: usize,
    pub end: usize,
    pub key: Option<&'static [u8]>,
}

/// An item that [`for_each_component`] passes to its callback.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Event {
    /// A message or a party starts: what follows belongs to a new record.
    Record,
    Component(Component),
}

/// Returns whether a body of `content_type` whose text is `text` is an
/// interchange: declared as `application/EDIFACT`, or starting like one.
pub(crate) fn is_edifact(content_type: Option<&str>, text: &[u8]) -> bool {
    content_type
        .is_some_and(|content_type| media_type::essence(content_type) == "application/edifact")
        || looks_like_edifact(text)
}

/// Returns whether `text` starts as an interchange, after optional
/// whitespace: with a `UNB` interchange header, or with a `UNA` service
/// string advice of six characters and then `UNB`.
fn looks_like_edifact(text: &[u8]) -> bool {
    let text = text.trim_ascii_start();
    let header = match text {
        [b'U', b'N', b'A', _, _, _, _, _, _, rest @ ..] => rest.trim_ascii_start(),
        _ => text,
    };
    header.starts_with(b"UNB")
        && header
            .get(3)
            .is_some_and(|&byte| !byte.is_ascii_alphanumeric())
}

/// Calls `event` for each record start and each non-empty component of the
/// interchange `text`, in order. The service string advice itself is
/// skipped.
pub(crate) fn for_each_component(text: &[u8], mut event: impl FnMut(Event)) {
    let (separators, mut position) = service_string_advice(text);
    while position < text.len() {
        let end = unreleased(text, position, separators.segment, separators.release)
            .unwrap_or(text.len());
        let segment_start =
            position + text[position..end].len() - text[position..end].trim_ascii_start().len();
        read_segment(text, segment_start, end, separators, &mut event);
        position = end + 1;
    }
}

/// Returns the separators that a `UNA` segment names, or the defaults,
/// and the offset after it.
///
/// The six service characters are read as characters of the UTF-8 text,
/// so a Latin-1 interchange whose decimal mark or reserved character is
/// outside ASCII (`\u{a0}`) keeps its separators. A separator or release
/// character outside ASCII would split multi-byte characters of the data,
/// so such a `UNA` is read as a segment under the default separators.
fn service_string_advice(text: &[u8]) -> (Separators, usize) {
    let start = text.len() - text.trim_ascii_start().len();
    let defaults = (DEFAULT_SEPARATORS, 0);
    let Some(after_tag) = text[start..].strip_prefix(b"UNA") else {
        return defaults;
    };
    // Six characters take at most 24 bytes; a cut inside a character
    // leaves the complete ones before it.
    let window = &after_tag[..after_tag.len().min(24)];
    let valid = match std::str::from_utf8(window) {
        Ok(valid) => valid,
        Err(error) => std::str::from_utf8(&window[..error.valid_up_to()]).unwrap_or_default(),
    };
    let mut characters = valid.char_indices();
    let mut service = [(0, '\0'); 6];
    for slot in &mut service {
        match characters.next() {
            Some(found) => *slot = found,
            None => return defaults,
        }
    }
    let [component, element, _decimal, release, _reserved, segment] =
        service.map(|(_, character)| character);
    if ![component, element, release, segment]
        .iter()
        .all(char::is_ascii)
    {
        return defaults;
    }
    let (last_offset, last) = service[5];
    let separators = Separators {
        component: component as u8,
        element: element as u8,
        release: Some(release as u8).filter(|&release| release != b' '),
        segment: segment as u8,
    };
    (separators, start + 3 + last_offset + last.len_utf8())
}

/// Returns the offset of the first `delimiter` at or after `from` that no
/// release character precedes.
fn unreleased(text: &[u8], from: usize, delimiter: u8, release: Option<u8>) -> Option<usize> {
    let mut index = from;
    while index < text.len() {
        let byte = text[index];
        if Some(byte) == release {
            index += 2;
            continue;
        }
        if byte == delimiter {
            return Some(index);
        }
        index += 1;
    }
    None
}

/// Reports the record start and the components of the segment
/// `start..end`.
fn read_segment(
    text: &[u8],
    start: usize,
    end: usize,
    separators: Separators,
    event: &mut impl FnMut(Event),
) {
    let tag_end =
        unreleased(&text[..end], start, separators.element, separators.release).unwrap_or(end);
    let tag = &text[start..tag_end];
    if matches!(tag, b"UNH" | b"NAD") {
        event(Event::Record);
    }
    // The tag is element 0 and is scanned too, because a segment without
    // an element separator is all tag, and any text can stand there.
    let mut components = vec![(0, 0, start, tag_end)];
    let mut element_start = tag_end + 1;
    let mut element = 1;
    while element_start <= end {
        let element_end = unreleased(
            &text[..end],
            element_start,
            separators.element,
            separators.release,
        )
        .unwrap_or(end);
        let mut component_start = element_start;
        let mut component = 0;
        while component_start <= element_end {
            let component_end = unreleased(
                &text[..element_end],
                component_start,
                separators.component,
                separators.release,
            )
            .unwrap_or(element_end);
            components.push((element, component, component_start, component_end));
            component_start = component_end + 1;
            component += 1;
        }
        element_start = element_end + 1;
        element += 1;
    }
    let value = |element: usize, component: usize| {
        components
            .iter()
            .find(|&&(e, c, _, _)| e == element && c == component)
            .map(|&(_, _, start, end)| &text[start..end])
    };
    for &(element, component, start, end) in &components {
        if start < end {
            let key = key_of(tag, element, component, &value);
            event(Event::Component(Component { start, end, key }));
        }
    }
}

/// Returns the key of component `component` of element `element` of a
/// segment with `tag`, given the segment's other components.
fn key_of<'t>(
    tag: &[u8],
    element: usize,
    component: usize,
    value: &impl Fn(usize, usize) -> Option<&'t [u8]>,
) -> Option<&'static [u8]> {
    match (tag, element, component) {
        (b"NAD", 3 | 4, _) => Some(b"party name"),
        (b"NAD", 5, _) => Some(b"street"),
        (b"NAD", 6, 0) => Some(b"city"),
        (b"NAD", 8, 0) => Some(b"postcode"),
        (b"CTA", 2, 1) => Some(b"contact name"),
        (b"COM", 1, 0) => match value(1, 1)? {
            b"TE" => Some(b"phone"),
            b"AL" | b"MO" => Some(b"mobile"),
            b"FX" => Some(b"fax"),
            b"EM" => Some(b"email"),
            _ => None,
        },
        (b"DTM", 1, 1) if value(1, 0)? == b"329" => Some(b"birth date"),
        _ => None,
    }
}

/// Returns a component's text without its release characters.
pub(crate) fn unescaped(text: &[u8], release: Option<u8>) -> Cow<'_, [u8]> {
    let Some(release) = release.filter(|release| text.contains(release)) else {
        return Cow::Borrowed(text);
    };
    let mut out = Vec::with_capacity(text.len());
    let mut bytes = text.iter();
    while let Some(&byte) = bytes.next() {
        if byte == release {
            if let Some(&next) = bytes.next() {
                out.push(next);
            }
        } else {
            out.push(byte);
        }
    }
    Cow::Owned(out)
}

/// Returns the release character of the interchange `text`, if it has one.
pub(crate) fn release_character(text: &[u8]) -> Option<u8> {
    service_string_advice(text).0.release
}

/// Returns `mask` with a release character before each separator of the
/// interchange `text`, so a masked component stays one component.
///
/// An interchange without a release character cannot carry a separator in
/// data. A mask with one (`+***4567`, `[address: 2 words]`) is then
/// written as asterisks of its length: that keeps the component whole and
/// reveals nothing, where dropping the separator would turn a mask mark
/// into text that reads as an address again.
pub(crate) fn escaped(text: &[u8], mask: &[u8]) -> Vec<u8> {
    let (separators, _) = service_string_advice(text);
    let special = [separators.component, separators.element, separators.segment];
    let Some(release) = separators.release else {
        if mask.iter().any(|byte| special.contains(byte)) {
            return vec![b'*'; mask.len()];
        }
        return mask.to_vec();
    };
    let mut out = Vec::with_capacity(mask.len());
    for &byte in mask {
        if byte == release || special.contains(&byte) {
            out.push(release);
        }
        out.push(byte);
    }
    out
}

/// Scans the interchange `text`: each component as a value under its key,
/// located by the line it starts on.
pub(crate) fn scan_edifact(text: &[u8], sink: &mut (impl SegmentSink + ?Sized)) {
    let release = release_character(text);
    let mut record: RecordId = REQUEST_RECORD;
    let mut line: u64 = 1;
    let mut counted = 0;
    for_each_component(text, |event| match event {
        Event::Record => record = sink.begin_record(),
        Event::Component(component) => {
            let breaks = memchr::memchr_iter(b'\n', &text[counted..component.start]).count();
            line += breaks as u64;
            counted = component.start;
            let value = unescaped(&text[component.start..component.end], release);
            sink.segment(&Segment {
                text: &value,
                key: component.key,
                location: Location::Line(line),
                record,
                role: Role::Value,
            });
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode::testing::RecordingSink;

    const ORDERS: &str = "UNA:+.? 'UNB+UNOC:3+4012345000009:14+4098765000002:14+240401:1200+778'\
        UNH+1+ORDERS:D:96A:UN:EAN008'NAD+BY+4012345000009::9'\
        NAD+DP+++Hans Mueller+Lindenstrasse 12+Stuttgart++70173+DE'\
        CTA+DL+:Hans Mueller'COM+0711 1234567:TE'COM+hans.mueller@web.de:EM'\
        DTM+329:19850314:102'FTX+AAI+++Bitte klingeln?: Hinterhaus'UNT+12+1'";

    fn keyed(text: &str) -> Vec<(Option<String>, String, RecordId)> {
        let mut sink = RecordingSink::default();
        scan_edifact(text.as_bytes(), &mut sink);
        sink.segments
            .into_iter()
            .map(|segment| (segment.key, segment.text, segment.record))
            .collect()
    }

    fn key_of_value(
        segments: &[(Option<String>, String, RecordId)],
        value: &str,
    ) -> Option<String> {
        segments
            .iter()
            .find(|(_, text, _)| text == value)
            .and_then(|(key, _, _)| key.clone())
    }

    #[test]
    fn components_are_keyed_by_segment() {
        let segments = keyed(ORDERS);
        let key = |value| key_of_value(&segments, value);
        assert_eq!(key("Hans Mueller").as_deref(), Some("party name"));
        assert_eq!(key("Lindenstrasse 12").as_deref(), Some("street"));
        assert_eq!(key("70173").as_deref(), Some("postcode"));
        assert_eq!(key("0711 1234567").as_deref(), Some("phone"));
        assert_eq!(key("hans.mueller@web.de").as_deref(), Some("email"));
        assert_eq!(key("19850314").as_deref(), Some("birth date"));
        assert_eq!(key("4012345000009"), None);
        assert_eq!(key("NAD"), None);
        let contact = segments
            .iter()
            .filter(|(key, _, _)| key.as_deref() == Some("contact name"))
            .count();
        assert_eq!(contact, 1);
    }

    #[test]
    fn released_separators_stay_in_the_component() {
        let segments = keyed(ORDERS);
        assert!(
            segments
                .iter()
                .any(|(_, text, _)| text == "Bitte klingeln: Hinterhaus"),
            "{segments:?}"
        );
    }

    #[test]
    fn parties_start_records() {
        let segments = keyed(ORDERS);
        let record = |value: &str| {
            segments
                .iter()
                .find(|(_, text, _)| text == value)
                .map(|(_, _, record)| *record)
                .unwrap()
        };
        assert_ne!(record("4012345000009"), record("Lindenstrasse 12"));
        assert_eq!(record("Lindenstrasse 12"), record("hans.mueller@web.de"));
    }

    #[test]
    fn service_string_advice_sets_separators() {
        let segments = keyed("UNA|*.# ~UNB*UNOC|3~COM*jane#*doe@example.com|EM~");
        assert_eq!(
            key_of_value(&segments, "jane*doe@example.com").as_deref(),
            Some("email")
        );
        assert_eq!(escaped(b"UNA|*.# ~", b"a*b~c"), b"a#*b#~c");
    }

    #[test]
    fn space_as_release_character_means_none() {
        let interchange = "UNA:+.  'UNB+UNOC:3'NAD+BY++Hans Weber?+Sohn+Lindenstrasse 12'";
        let segments = keyed(interchange);
        assert_eq!(
            key_of_value(&segments, "Hans Weber?").as_deref(),
            Some("party name"),
            "{segments:?}"
        );
        assert_eq!(release_character(interchange.as_bytes()), None);
        assert_eq!(escaped(interchange.as_bytes(), b"H*** W"), b"H*** W");
        assert_eq!(escaped(interchange.as_bytes(), b"+***4567"), b"********");
    }

    #[test]
    fn service_characters_outside_ascii_are_ignored() {
        let interchange = "UNA:+.?é'NAD+DP+++Hans Müller'";
        assert_eq!(release_character(interchange.as_bytes()), Some(b'?'));
        let masked = escaped(interchange.as_bytes(), "H*** Mé***".as_bytes());
        assert!(std::str::from_utf8(&masked).is_ok(), "{masked:?}");
    }

    #[test]
    fn latin_service_characters_keep_the_separators() {
        let interchange = "UNA|*.?\u{a0}~NAD*BY**Hans Weber~COM*030 1234567|TE~";
        let segments = keyed(interchange);
        assert_eq!(
            key_of_value(&segments, "030 1234567").as_deref(),
            Some("phone"),
            "{segments:?}"
        );
        assert_eq!(
            key_of_value(&segments, "Hans Weber").as_deref(),
            Some("party name"),
            "{segments:?}"
        );
    }

    #[test]
    fn interchanges_are_recognised() {
        assert!(looks_like_edifact(b"UNA:+.? 'UNB+UNOC:3"));
        assert!(looks_like_edifact(b"\r\nUNB+UNOA:1+SENDER"));
        assert!(!looks_like_edifact(b"UNAVAILABLE"));
        assert!(!looks_like_edifact(b"UNBOUND"));
        assert!(!looks_like_edifact(b"UNA is a word, then more"));
        assert!(is_edifact(Some("application/EDIFACT"), b"anything"));
        assert!(!is_edifact(Some("text/plain"), b"anything"));
    }
}
