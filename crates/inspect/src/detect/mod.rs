//! Detectors of personal data, one module per category.
//!
//! Every detector scans raw bytes (valid UTF-8 or not) for cheap candidates
//! first (an `@`, a digit run, two capital letters before two digits) and
//! runs its validation (checksums, calendars, registries) only on those.
//! [`find_all`] runs them all over one segment and resolves overlaps, so a
//! digit run that one detector claims is not counted again by a weaker one.

mod cn_resident_id;
pub(crate) mod context;
mod email;
mod iban;
mod iban_registry;
mod payment_card;
mod phone;
mod scan;

use crate::Category;
pub(crate) use context::Context;

/// A validated match: `text[start..end]` is a value of `category`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Match {
    pub category: Category,
    pub start: usize,
    pub end: usize,
}

/// A detector of one category.
pub(crate) trait Detector: Sync {
    fn category(&self) -> Category;

    /// Appends every match in `text` to `out`, in ascending order and without
    /// overlaps among its own matches.
    fn find(&self, text: &[u8], context: &Context<'_>, out: &mut Vec<Match>);

    /// Writes the canonical form of a matched value to `out`, so that the same
    /// identifier written two ways (`+86 138 1234 5678`, `13812345678`) is
    /// recognised as one when subjects are counted.
    fn normalize(&self, value: &[u8], out: &mut Vec<u8>);
}

/// Every detector, strongest first. When matches overlap, the match whose
/// detector comes first wins. So an e-mail address claims the digits of its
/// local part, and an IBAN claims its own digits. An ID number wins over a
/// Luhn-valid 18-digit card, and any of them wins over a phone number.
static DETECTORS: [&dyn Detector; 5] = [
    &email::Email,
    &iban::Iban,
    &cn_resident_id::CnResidentId,
    &payment_card::PaymentCard,
    &phone::Phone,
];

/// Returns the detector of `category`, if this version detects it.
pub(crate) fn detector(category: Category) -> Option<&'static dyn Detector> {
    DETECTORS
        .iter()
        .copied()
        .find(|detector| detector.category() == category)
}

fn rank(category: Category) -> usize {
    DETECTORS
        .iter()
        .position(|detector| detector.category() == category)
        .unwrap_or(DETECTORS.len())
}

/// Runs every detector over `text` and leaves in `out` (cleared first) the
/// non-overlapping matches in ascending order.
pub(crate) fn find_all(text: &[u8], context: &Context<'_>, out: &mut Vec<Match>) {
    out.clear();
    for detector in DETECTORS {
        detector.find(text, context, out);
    }
    resolve_overlaps(out);
}

/// Sorts `matches` by start and drops every match that overlaps a stronger
/// one. Between matches of the same strength, the longer wins.
///
/// One sweep suffices because each detector's own matches never overlap: a
/// match can only collide with the one kept just before it.
fn resolve_overlaps(matches: &mut Vec<Match>) {
    if matches.len() < 2 {
        return;
    }
    matches.sort_by_key(|found| (found.start, rank(found.category)));
    let mut kept = 0;
    for index in 1..matches.len() {
        let candidate = matches[index];
        let last = matches[kept];
        if candidate.start >= last.end {
            kept += 1;
            matches[kept] = candidate;
        } else if beats(&candidate, &last) {
            matches[kept] = candidate;
        }
    }
    matches.truncate(kept + 1);
}

fn beats(candidate: &Match, kept: &Match) -> bool {
    let (candidate_rank, kept_rank) = (rank(candidate.category), rank(kept.category));
    candidate_rank < kept_rank
        || (candidate_rank == kept_rank && candidate.end - candidate.start > kept.end - kept.start)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn categories(text: &str) -> Vec<(Category, &str)> {
        let mut matches = Vec::new();
        find_all(text.as_bytes(), &Context::default(), &mut matches);
        matches
            .iter()
            .map(|found| (found.category, &text[found.start..found.end]))
            .collect()
    }

    #[test]
    fn every_category_is_found_in_one_text() {
        let text = "mail jane@example.com, tel +49 30 1234567, id 11010519491231002X, \
                    card 4111 1111 1111 1111, iban DE89 3704 0044 0532 0130 00 BIC";
        assert_eq!(
            categories(text),
            [
                (Category::Email, "jane@example.com"),
                (Category::Phone, "+49 30 1234567"),
                (Category::CnResidentId, "11010519491231002X"),
                (Category::PaymentCard, "4111 1111 1111 1111"),
                (Category::Iban, "DE89 3704 0044 0532 0130 00"),
            ]
        );
    }

    #[test]
    fn email_claims_digits_of_local_part() {
        assert_eq!(
            categories("13812345678@163.com"),
            [(Category::Email, "13812345678@163.com")]
        );
    }

    #[test]
    fn iban_claims_digits_that_the_phone_detector_matches() {
        let text = b"DE89 3704 0044 0532 0130 00";
        let mut phones = Vec::new();
        phone::Phone.find(text, &Context::default(), &mut phones);
        assert_eq!(phones.len(), 1);
        let mut matches = Vec::new();
        find_all(text, &Context::default(), &mut matches);
        let found: Vec<Category> = matches.iter().map(|found| found.category).collect();
        assert_eq!(found, [Category::Iban]);
    }

    #[test]
    fn stronger_match_replaces_an_overlapping_weaker_one() {
        let mut matches = vec![
            Match {
                category: Category::Phone,
                start: 0,
                end: 20,
            },
            Match {
                category: Category::PaymentCard,
                start: 2,
                end: 18,
            },
        ];
        resolve_overlaps(&mut matches);
        assert_eq!(
            matches,
            [Match {
                category: Category::PaymentCard,
                start: 2,
                end: 18
            }]
        );
    }

    #[test]
    fn detectors_cover_this_versions_categories() {
        let covered: Vec<Category> = Category::ALL
            .into_iter()
            .filter(|category| detector(*category).is_some())
            .collect();
        assert_eq!(
            covered,
            [
                Category::Email,
                Category::Phone,
                Category::CnResidentId,
                Category::PaymentCard,
                Category::Iban
            ]
        );
    }
}
