//! The result of one inspection.

use serde::Serialize;

use crate::Category;

/// What an inspection found, as printed by `tollgate scan` and stored,
/// without raw values, in transfer records.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Report {
    /// Whether any category was found.
    pub personal_data: bool,
    /// Whether any sensitive category was found.
    pub sensitive: bool,
    /// Estimated number of distinct individuals: records (JSON array
    /// elements, text lines, the request itself) that share an identifier
    /// count as one person.
    pub subjects: u64,
    /// One finding per category found, in the order of [`Category::ALL`].
    pub findings: Vec<Finding>,
    /// Size of the body after content decoding, in bytes; the path, query
    /// and headers are not counted.
    #[serde(skip)]
    pub decoded_bytes: u64,
    /// Keyed identities of the individuals, one per individual, computed
    /// only when [`crate::Request::identity_key`] is set; never printed.
    #[serde(skip)]
    pub subject_keys: Vec<crate::SubjectKey>,
}

/// All matches of one category.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub category: Category,
    /// Number of matches.
    pub count: u64,
    pub sensitive: bool,
    /// Up to [`crate::MAX_SAMPLES`] distinct masked examples, never raw
    /// values.
    pub samples: Vec<String>,
    /// Whether a date of birth belongs to a child under 14, which makes the
    /// finding sensitive (PIPL Art. 28). Omitted from JSON when false.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub minor: bool,
    /// Up to [`crate::MAX_LOCATIONS`] distinct locations in first-seen order:
    /// `path`, `query:<key>`, `header:<name>`, `cookie:<name>`,
    /// `form:<key>`, `line <n>` or a JSON path such as
    /// `$.customers[3].email`. Personal data in keys and names is masked.
    pub locations: Vec<String>,
}

impl Report {
    pub fn categories(&self) -> impl Iterator<Item = Category> + '_ {
        self.findings.iter().map(|finding| finding.category)
    }

    /// Returns the finding of `category`, if it was found.
    pub fn finding(&self, category: Category) -> Option<&Finding> {
        self.findings
            .iter()
            .find(|finding| finding.category == category)
    }
}
