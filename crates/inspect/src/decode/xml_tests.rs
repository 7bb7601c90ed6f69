use super::*;
use crate::decode::testing::RecordingSink;
use crate::segment::REQUEST_RECORD;

fn scanned(input: &str) -> RecordingSink {
    let mut sink = RecordingSink::default();
    scan_xml(input.as_bytes(), 16, REQUEST_RECORD, &mut sink).unwrap();
    sink
}

#[test]
fn xml_keys_come_from_names_and_labels() {
    let sink = scanned(
        r#"<record id="p1"><field name="email">jane@example.com</field><Tel>+49 30 1</Tel></record>"#,
    );
    let segments: Vec<(&str, Option<&str>, &str)> = sink
        .segments
        .iter()
        .map(|s| (s.text.as_str(), s.key.as_deref(), s.location.as_str()))
        .collect();
    assert_eq!(
        segments,
        [
            ("p1", Some("id"), "/record/@id"),
            // A label that is a field name is scanned as one, like a JSON key.
            ("email", None, "/record/field[@name=\"email\"]/@name"),
            (
                "jane@example.com",
                Some("email"),
                "/record/field[@name=\"email\"]"
            ),
            ("+49 30 1", Some("Tel"), "/record/Tel"),
        ]
    );
}

#[test]
fn label_attributes_of_elements_without_text_stay_values() {
    // A label of an element that contains text names that text's field.
    // On an empty element or one with children, it is data.
    let sink = scanned(
        r#"<p><contact name="Jane Doe"/><field name="FirstName">Jo</field><f key="vat_no"/></p>"#,
    );
    let segments: Vec<(&str, Option<&str>, Role)> = sink
        .segments
        .iter()
        .map(|s| (s.text.as_str(), s.key.as_deref(), s.role))
        .collect();
    assert_eq!(
        segments,
        [
            ("Jane Doe", Some("name"), Role::Value),
            ("FirstName", None, Role::Name),
            ("Jo", Some("FirstName"), Role::Value),
            ("vat_no", None, Role::Name),
        ]
    );
}

#[test]
fn only_outermost_repeated_elements_with_children_are_records() {
    let sink = scanned(
        "<data><record><f>a</f><f>b</f></record><record><f>c</f></record><Tel>1</Tel><Tel>2</Tel></data>",
    );
    let records: Vec<(&str, u64)> = sink
        .segments
        .iter()
        .map(|s| (s.text.as_str(), s.record))
        .collect();
    assert_eq!(records, [("a", 1), ("b", 1), ("c", 2), ("1", 0), ("2", 0)]);
    assert_eq!(sink.segments[1].location, "/data/record[1]/f[2]");
    assert_eq!(sink.segments[4].location, "/data/Tel[2]");
}

#[test]
fn repeated_elements_with_attribute_fields_are_records() {
    let sink = scanned(
        r#"<data xmlns:x="urn:x"><c No="1" Mail="a"/><c No="2" Mail="b"></c>
           <Tel kind="m" n="1">3</Tel><Tel kind="m" n="2">4</Tel>
           <p n="5"/><p n="6"/><f name="email" value="7"/><f name="tel" value="8"/>
           <g x:a="9" xmlns:y="urn:y"/><g x:a="10" xmlns:y="urn:y"/></data>"#,
    );
    let records: Vec<(&str, u64)> = sink
        .segments
        .iter()
        .filter(|s| s.role == Role::Value)
        .map(|s| (s.text.as_str(), s.record))
        .collect();
    // Only the `c` elements carry two fields and no text. A `Tel` with
    // text, one field of `p`, a label with its value in `f`, and one field
    // beside a namespace declaration in `g` stay values of the document.
    assert_eq!(
        records,
        [
            ("urn:x", 0),
            ("1", 1),
            ("a", 1),
            ("2", 2),
            ("b", 2),
            ("m", 0),
            ("1", 0),
            ("3", 0),
            ("m", 0),
            ("2", 0),
            ("4", 0),
            ("5", 0),
            ("6", 0),
            ("7", 0),
            ("8", 0),
            ("9", 0),
            ("urn:y", 0),
            ("10", 0),
            ("urn:y", 0),
        ]
    );
}

#[test]
fn comments_instructions_and_doctype_are_scanned() {
    let sink = scanned("<!DOCTYPE r SYSTEM \"x\"><r><!-- by jane --><?app mail?></r>");
    let locations: Vec<&str> = sink.segments.iter().map(|s| s.location.as_str()).collect();
    assert_eq!(
        locations,
        ["/!DOCTYPE", "/r/comment()", "/r/processing-instruction()"]
    );
}

#[test]
fn mixed_content_is_split_at_child_elements() {
    let sink = scanned("<p>Hello <b>Jane</b> &amp; co</p>");
    let texts: Vec<(&str, &str)> = sink
        .segments
        .iter()
        .map(|s| (s.text.as_str(), s.location.as_str()))
        .collect();
    assert_eq!(texts, [("Hello", "/p"), ("Jane", "/p/b"), ("& co", "/p")]);
}

#[test]
fn text_outside_root_is_at_root() {
    let sink = scanned("jane@example.com<r/>");
    assert_eq!(sink.segments[0].location, "/");
}

/// Returns the message of the error that scanning `input` gives.
fn scan_error(input: &str) -> (usize, String) {
    let mut sink = RecordingSink::default();
    match scan_xml(input.as_bytes(), 16, REQUEST_RECORD, &mut sink) {
        Err(InspectError::InvalidXml { offset, message }) => (offset, message),
        other => panic!("{input:?}: {other:?}"),
    }
}

#[test]
fn repeated_attributes_are_rejected() {
    // The parser's own message for a short tag, and the same check past
    // the attributes that are compared one by one.
    assert_eq!(
        scan_error("<r a='1' a='1'/>"),
        (
            0,
            "invalid attribute: position 8: duplicated attribute, \
             previous declaration at position 2"
                .to_owned()
        )
    );
    let names: Vec<String> = (0..20).map(|index| format!("a{index}='1'")).collect();
    let tag = format!("<r><x {} a3='2'/></r>", names.join(" "));
    let (offset, message) = scan_error(&tag);
    assert_eq!(offset, 3);
    let at = tag[offset + 1..].rfind("a3").unwrap();
    let previous = tag[offset + 1..].find("a3").unwrap();
    assert_eq!(
        message,
        format!(
            "invalid attribute: position {at}: duplicated attribute, previous declaration at position {previous}"
        )
    );
}

#[test]
fn tag_with_many_attributes_is_scanned() {
    let names: Vec<String> = (0..100_000).map(|index| format!("a{index}='v'")).collect();
    let sink = scanned(&format!("<r {} mail='jane@example.com'/>", names.join(" ")));
    assert_eq!(sink.segments.len(), 100_001);
    assert_eq!(sink.segments[100_000].text, "jane@example.com");
}
