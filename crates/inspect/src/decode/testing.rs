//! A sink that records segments, for decoder tests.

use crate::segment::{RecordId, Role, Segment, SegmentSink};

/// An owned copy of a segment with its location rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RecordedSegment {
    pub text: String,
    pub bytes: Vec<u8>,
    pub key: Option<String>,
    pub location: String,
    pub record: RecordId,
    pub role: Role,
}

#[derive(Debug, Default)]
pub(crate) struct RecordingSink {
    pub segments: Vec<RecordedSegment>,
    records: RecordId,
}

impl SegmentSink for RecordingSink {
    fn begin_record(&mut self) -> RecordId {
        self.records += 1;
        self.records
    }

    fn segment(&mut self, segment: &Segment<'_>) {
        self.segments.push(RecordedSegment {
            text: String::from_utf8_lossy(segment.text).into_owned(),
            bytes: segment.text.to_vec(),
            key: segment
                .key
                .map(|key| String::from_utf8_lossy(key).into_owned()),
            location: segment.location.render(),
            record: segment.record,
            role: segment.role,
        });
    }
}
