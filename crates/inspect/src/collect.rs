//! The detection driver: runs the detectors over every decoded segment and
//! builds the report.

use std::collections::hash_map::RandomState;
use std::hash::BuildHasher;

use crate::detect::{self, Context, Match};
use crate::mask::mask_value;
use crate::segment::{REQUEST_RECORD, RecordId, Segment, SegmentSink};
use crate::subjects::SubjectGraph;
use crate::{Category, Finding, Report};

/// Distinct masked samples kept per category.
pub const MAX_SAMPLES: usize = 3;

/// Distinct locations kept per category, in first-seen order.
pub const MAX_LOCATIONS: usize = 10;

/// Matches per category whose mask is computed while looking for distinct
/// samples. Masks keep little of a value, so many values share one mask
/// (every `u…@example.com` is `u***@e***.com`). Past this many matches, a new
/// distinct mask is rare and not worth building a string per match.
const MAX_SAMPLE_ATTEMPTS: u64 = 64;

/// The matches of one category so far.
#[derive(Debug, Default)]
struct Tally {
    count: u64,
    samples: Vec<String>,
    locations: Vec<String>,
}

/// Receives segments from the decoders and accumulates the report.
///
/// A category's masks are computed for at most its first
/// [`MAX_SAMPLE_ATTEMPTS`] matches, and its locations only until it has
/// [`MAX_LOCATIONS`]. So a body with millions of matches pays for building
/// strings mostly at its start.
#[derive(Debug)]
pub(crate) struct Collector<'k> {
    subject_key: &'k RandomState,
    next_record: RecordId,
    tallies: [Tally; Category::ALL.len()],
    subjects: SubjectGraph,
    matches: Vec<Match>,
    identifier: Vec<u8>,
}

impl<'k> Collector<'k> {
    /// Creates a collector that hashes identifiers with `subject_key`.
    pub(crate) fn new(subject_key: &'k RandomState) -> Self {
        Collector {
            subject_key,
            next_record: REQUEST_RECORD,
            tallies: Default::default(),
            subjects: SubjectGraph::default(),
            matches: Vec::new(),
            identifier: Vec::new(),
        }
    }

    /// Builds the report; `decoded_bytes` is the size of the decoded body.
    pub(crate) fn finish(mut self, decoded_bytes: u64) -> Report {
        let findings: Vec<Finding> = Category::ALL
            .into_iter()
            .zip(std::mem::take(&mut self.tallies))
            .filter(|(_, tally)| tally.count > 0)
            .map(|(category, tally)| Finding {
                category,
                count: tally.count,
                sensitive: category.is_sensitive(),
                samples: tally.samples,
                minor: false,
                locations: tally.locations,
            })
            .collect();
        Report {
            personal_data: !findings.is_empty(),
            sensitive: findings.iter().any(|finding| finding.sensitive),
            subjects: self.subjects.count(),
            findings,
            decoded_bytes,
        }
    }

    fn record_match(&mut self, segment: &Segment<'_>, found: Match, location: &mut Option<String>) {
        let value = &segment.text[found.start..found.end];
        // Discriminants follow the order of `Category::ALL`, as a test checks.
        let tally = &mut self.tallies[found.category as usize];
        tally.count += 1;

        if tally.samples.len() < MAX_SAMPLES && tally.count <= MAX_SAMPLE_ATTEMPTS {
            let sample = mask_value(found.category, value);
            if !tally.samples.contains(&sample) {
                tally.samples.push(sample);
            }
        }
        if tally.locations.len() < MAX_LOCATIONS {
            let rendered = location.get_or_insert_with(|| segment.location.render());
            if !tally.locations.contains(rendered) {
                tally.locations.push(rendered.clone());
            }
        }

        let Some(detector) = detect::detector(found.category) else {
            return;
        };
        self.identifier.clear();
        detector.normalize(value, &mut self.identifier);
        let hash = self
            .subject_key
            .hash_one((found.category, self.identifier.as_slice()));
        self.subjects.add(segment.record, hash);
    }
}

impl SegmentSink for Collector<'_> {
    fn begin_record(&mut self) -> RecordId {
        self.next_record += 1;
        self.next_record
    }

    fn segment(&mut self, segment: &Segment<'_>) {
        let mut matches = std::mem::take(&mut self.matches);
        detect::find_all(segment.text, &Context::for_key(segment.key), &mut matches);
        // Every match of a segment shares its location, rendered at most once.
        let mut location = None;
        for found in matches.iter().copied() {
            self.record_match(segment, found, &mut location);
        }
        self.matches = matches;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn category_discriminants_follow_the_report_order() {
        for (index, category) in Category::ALL.into_iter().enumerate() {
            assert_eq!(category as usize, index, "{category}");
        }
    }
}
