//! Detection quality measured against the labelled corpus in `tests/corpus/`.
//!
//! `scripts/generate_corpus.py` writes the corpus: ERP-shaped request bodies
//! filled with fake people, negative-only files of look-alike business data,
//! and `labels.json`, the ground truth taken from the generator itself. Each
//! file is sent through [`Inspector::evaluate`], and the `(category, value)`
//! pairs found are matched against that file's labels as a multiset, after
//! the normalisation of [`normalise`]. A found pair without a label is a
//! false positive, and so is every finding in a negative-only file.
//!
//! The table of results is printed on every run (visible with
//! `cargo test -p inspect --test quality -- --nocapture`) and repeated in
//! every failure message.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use chrono::NaiveDate;
use inspect::{Category, EvaluatedMatch, Inspector, Limits, Request};
use serde::Deserialize;

// Product quality targets for the detectors. They are what Tollgate must
// reach before it can be relied on to hold personal data back, not values
// measured on this corpus, so lower them only with the product decision that
// changes them. Each target applies to both precision and recall.

/// Categories with a check digit or a fixed structure: with validation,
/// nearly every candidate is decidable.
const CHECKSUM_TARGET: f64 = 0.99;
/// E-mail addresses and phone numbers: strong syntax, some ambiguity in
/// national phone formats.
const CONTACT_TARGET: f64 = 0.97;
/// Categories recognised mainly from the field's key.
const CONTEXT_TARGET: f64 = 0.90;
/// Categories recognised from key and shape together.
const OTHER_TARGET: f64 = 0.90;
/// Share of labelled minors that must be reported `minor`: all of them,
/// because the age test is exact arithmetic on a date already found.
const MINOR_RECALL_TARGET: f64 = 1.0;
/// A minor flag rides on a date-of-birth finding, so it has that category's
/// precision target.
const MINOR_PRECISION_TARGET: f64 = CONTEXT_TARGET;

/// The date passed as `Request::today`. `labels.json` computes minors from it.
const TODAY: (i32, u32, u32) = (2026, 12, 1);
/// Examples of misses and false positives printed per category.
const MAX_EXAMPLES: usize = 3;
/// Characters of an example value shown; biometric templates run to hundreds.
const MAX_EXAMPLE_CHARS: usize = 60;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tier {
    Checksum,
    Contact,
    Context,
    Other,
}

impl Tier {
    fn of(category: Category) -> Tier {
        match category {
            Category::CnResidentId
            | Category::PaymentCard
            | Category::Iban
            | Category::UsSsn
            | Category::UkNino => Tier::Checksum,
            Category::Email | Category::Phone => Tier::Contact,
            Category::PersonName | Category::PostalAddress | Category::DateOfBirth => Tier::Context,
            Category::Passport
            | Category::BankAccount
            | Category::IpAddress
            | Category::Health
            | Category::Biometric
            | Category::PreciseLocation => Tier::Other,
        }
    }

    fn target(self) -> f64 {
        match self {
            Tier::Checksum => CHECKSUM_TARGET,
            Tier::Contact => CONTACT_TARGET,
            Tier::Context => CONTEXT_TARGET,
            Tier::Other => OTHER_TARGET,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Tier::Checksum => "checksum",
            Tier::Contact => "contact",
            Tier::Context => "context",
            Tier::Other => "other",
        }
    }
}

#[derive(Debug, Deserialize)]
struct Labels {
    today: String,
    files: Vec<LabelledFile>,
}

#[derive(Debug, Deserialize)]
struct LabelledFile {
    file: String,
    kind: String,
    path: String,
    content_type: String,
    content_encoding: Option<String>,
    expected: Vec<Expected>,
}

#[derive(Debug, Deserialize)]
struct Expected {
    category: String,
    value: String,
    #[serde(default)]
    minor: bool,
}

/// Counts of one category, or of the minor flag.
#[derive(Debug, Default)]
struct Tally {
    labelled: u64,
    found: u64,
    true_positives: u64,
    false_positives: Vec<String>,
    misses: Vec<String>,
}

impl Tally {
    fn precision(&self) -> Option<f64> {
        (self.found > 0).then(|| self.true_positives as f64 / self.found as f64)
    }

    fn recall(&self) -> Option<f64> {
        (self.labelled > 0).then(|| self.true_positives as f64 / self.labelled as f64)
    }

    /// Returns whether both rates reach their targets. A rate with no data (nothing
    /// found, or nothing labelled) fails, because it shows nothing.
    fn meets(&self, precision_target: f64, recall_target: f64) -> bool {
        let precision_ok = self.precision().is_some_and(|p| p >= precision_target);
        let recall_ok = self.recall().is_some_and(|r| r >= recall_target);
        precision_ok && recall_ok
    }
}

/// The outcome of running every corpus file through the inspector.
#[derive(Debug, Default)]
struct Measurement {
    categories: HashMap<Category, Tally>,
    minor: Tally,
    negative_files: usize,
    negative_findings: Vec<String>,
    errors: Vec<String>,
    table: String,
}

/// The checked-in corpus, or the directory in `TOLLGATE_CORPUS_DIR`, for
/// measuring against a held-out corpus made with another seed
/// (`scripts/generate_corpus.py --seed S --output DIR`).
fn corpus_dir() -> PathBuf {
    match std::env::var_os("TOLLGATE_CORPUS_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus"),
    }
}

fn today() -> NaiveDate {
    let (year, month, day) = TODAY;
    NaiveDate::from_ymd_opt(year, month, day).expect("TODAY is a valid date")
}

/// Reduces a value to the form that labels and findings are compared in.
///
/// Number-like categories drop the separators that people type in varying
/// ways (spaces, dashes, dots, slashes in dates), e-mail addresses and IPv6
/// addresses are compared case-folded, and categories found from a field's
/// key compare the whole field value.
fn normalise(category: Category, value: &str) -> String {
    let value = value.trim();
    let strip = |separators: &[char]| -> String {
        value
            .chars()
            .filter(|c| !c.is_whitespace() && !separators.contains(c))
            .collect()
    };
    match category {
        Category::Email | Category::IpAddress => value.to_lowercase(),
        Category::Phone => value
            .chars()
            .filter(|c| c.is_ascii_digit() || *c == '+')
            .collect(),
        Category::CnResidentId
        | Category::UsSsn
        | Category::UkNino
        | Category::Passport
        | Category::PaymentCard
        | Category::Iban
        | Category::BankAccount => strip(&['-', '.']).to_uppercase(),
        Category::DateOfBirth => strip(&['-', '.', '/']),
        Category::PreciseLocation => strip(&[]),
        Category::PersonName | Category::PostalAddress | Category::Health | Category::Biometric => {
            value.to_owned()
        }
    }
}

fn load_labels() -> Labels {
    let path = corpus_dir().join("labels.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|error| {
        panic!(
            "cannot read {}: {error}; run `python3 scripts/generate_corpus.py`",
            path.display()
        )
    });
    serde_json::from_str(&text).unwrap_or_else(|error| {
        panic!(
            "invalid {}: {error}; regenerate it with `python3 scripts/generate_corpus.py`",
            path.display()
        )
    })
}

fn parse_category(name: &str, file: &str) -> Category {
    name.parse()
        .unwrap_or_else(|error| panic!("{file}: label category: {error}"))
}

fn evaluate_file(
    inspector: &Inspector,
    file: &LabelledFile,
) -> Result<Vec<EvaluatedMatch>, String> {
    let path = corpus_dir().join(&file.file);
    let body = std::fs::read(&path)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()));
    let request = Request {
        path: &file.path,
        content_type: Some(&file.content_type),
        content_encoding: file.content_encoding.as_deref(),
        body: &body,
        today: Some(today()),
        ..Request::default()
    };
    inspector
        .evaluate(&request)
        .map_err(|error| error.to_string())
}

fn push_example(examples: &mut Vec<String>, file: &str, value: &str) {
    if examples.len() < MAX_EXAMPLES {
        let mut shown: String = value.chars().take(MAX_EXAMPLE_CHARS).collect();
        if shown.len() < value.len() {
            shown.push('…');
        }
        examples.push(format!("{file}: {shown:?}"));
    }
}

/// Adds the results of one file to `measurement`, matching found pairs
/// against labelled pairs as multisets per file.
fn score_file(measurement: &mut Measurement, file: &LabelledFile, found: &[EvaluatedMatch]) {
    let categories: Vec<Category> = file
        .expected
        .iter()
        .map(|expected| parse_category(&expected.category, &file.file))
        .collect();
    // Unmatched labels per (category, normalised value), as indexes into
    // `file.expected`, popped from the back.
    let mut open: HashMap<(Category, String), Vec<usize>> = HashMap::new();
    for (index, expected) in file.expected.iter().enumerate().rev() {
        let key = (
            categories[index],
            normalise(categories[index], &expected.value),
        );
        open.entry(key).or_default().push(index);
    }
    let mut matched = vec![false; file.expected.len()];
    for finding in found {
        let tally = measurement.categories.entry(finding.category).or_default();
        tally.found += 1;
        measurement.minor.found += u64::from(finding.minor);
        let key = (
            finding.category,
            normalise(finding.category, &finding.value),
        );
        let Some(index) = open.get_mut(&key).and_then(Vec::pop) else {
            push_example(&mut tally.false_positives, &file.file, &finding.value);
            if finding.minor {
                push_example(
                    &mut measurement.minor.false_positives,
                    &file.file,
                    &finding.value,
                );
            }
            continue;
        };
        matched[index] = true;
        tally.true_positives += 1;
        match (file.expected[index].minor, finding.minor) {
            (true, true) => measurement.minor.true_positives += 1,
            (true, false) => {
                push_example(&mut measurement.minor.misses, &file.file, &finding.value)
            }
            (false, true) => push_example(
                &mut measurement.minor.false_positives,
                &file.file,
                &finding.value,
            ),
            (false, false) => {}
        }
    }
    for (index, expected) in file.expected.iter().enumerate() {
        let tally = measurement.categories.entry(categories[index]).or_default();
        tally.labelled += 1;
        measurement.minor.labelled += u64::from(expected.minor);
        if !matched[index] {
            push_example(&mut tally.misses, &file.file, &expected.value);
            if expected.minor {
                push_example(&mut measurement.minor.misses, &file.file, &expected.value);
            }
        }
    }
}

fn measure() -> Measurement {
    let labels = load_labels();
    let mut measurement = Measurement::default();
    assert_eq!(
        labels.today,
        today().to_string(),
        "labels.json computes minors for a different today; regenerate the corpus"
    );
    let inspector = Inspector::new(Limits::default());
    for file in &labels.files {
        let found = match evaluate_file(&inspector, file) {
            Ok(found) => found,
            Err(error) => {
                measurement.errors.push(format!("{}: {error}", file.file));
                Vec::new()
            }
        };
        if file.kind == "negative" {
            measurement.negative_files += 1;
            for finding in &found {
                measurement.negative_findings.push(format!(
                    "{}: {} {:?} at {}",
                    file.file, finding.category, finding.value, finding.location
                ));
            }
        }
        score_file(&mut measurement, file, &found);
    }
    measurement.table = render_table(&measurement, labels.files.len());
    measurement
}

/// Returns the measurement, computed once and shared by the tests of this
/// file.
fn measurement() -> &'static Measurement {
    static MEASUREMENT: OnceLock<Measurement> = OnceLock::new();
    MEASUREMENT.get_or_init(|| {
        let measurement = measure();
        println!("{}", measurement.table);
        measurement
    })
}

fn rate(value: Option<f64>) -> String {
    value.map_or_else(|| "-".to_owned(), |rate| format!("{rate:.3}"))
}

fn render_row(out: &mut String, tier: &str, name: &str, tally: &Tally, targets: (f64, f64)) {
    let misses = tally.labelled - tally.true_positives;
    let false_positives = tally.found - tally.true_positives;
    let result = if tally.meets(targets.0, targets.1) {
        "ok"
    } else {
        "FAIL"
    };
    let _ = writeln!(
        out,
        "{tier:<9} {name:<17} {:>8} {:>6} {:>6} {:>6} {:>6} {:>9} {:>7} {:>6.2} {result:>6}",
        tally.labelled,
        tally.found,
        tally.true_positives,
        false_positives,
        misses,
        rate(tally.precision()),
        rate(tally.recall()),
        targets.0.min(targets.1),
    );
}

fn render_table(measurement: &Measurement, files: usize) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "\nDetection quality on {files} corpus files ({} negative-only), today = {}",
        measurement.negative_files,
        today()
    );
    let header = format!(
        "{:<9} {:<17} {:>8} {:>6} {:>6} {:>6} {:>6} {:>9} {:>7} {:>6} {:>6}",
        "tier",
        "category",
        "labelled",
        "found",
        "TP",
        "FP",
        "FN",
        "precision",
        "recall",
        "target",
        "result"
    );
    // The checksum, contact and context tiers form the first block, and the
    // other categories are listed in a block of their own.
    for tiers in [
        &[Tier::Checksum, Tier::Contact, Tier::Context][..],
        &[Tier::Other][..],
    ] {
        let _ = writeln!(out, "\n{header}");
        render_tiers(&mut out, measurement, tiers);
    }

    let _ = writeln!(out, "\n{header}");
    let minor_targets = (MINOR_PRECISION_TARGET, MINOR_RECALL_TARGET);
    render_row(
        &mut out,
        "minor",
        "minor flag",
        &measurement.minor,
        minor_targets,
    );
    let _ = writeln!(
        out,
        "  (minor targets: precision {MINOR_PRECISION_TARGET:.2}, recall {MINOR_RECALL_TARGET:.2})"
    );
    render_details(&mut out, measurement);
    out
}

fn render_tiers(out: &mut String, measurement: &Measurement, tiers: &[Tier]) {
    let empty = Tally::default();
    for &tier in tiers {
        for category in Category::ALL.into_iter().filter(|c| Tier::of(*c) == tier) {
            let tally = measurement.categories.get(&category).unwrap_or(&empty);
            let target = tier.target();
            render_row(out, tier.name(), category.as_str(), tally, (target, target));
        }
    }
}

fn render_details(out: &mut String, measurement: &Measurement) {
    let _ = writeln!(
        out,
        "\nFindings in negative-only files: {}",
        measurement.negative_findings.len()
    );
    for finding in measurement.negative_findings.iter().take(MAX_EXAMPLES * 3) {
        let _ = writeln!(out, "  {finding}");
    }
    let _ = writeln!(
        out,
        "Files that failed to inspect: {}",
        measurement.errors.len()
    );
    for error in &measurement.errors {
        let _ = writeln!(out, "  {error}");
    }
    let _ = writeln!(out, "Examples (first {MAX_EXAMPLES} per category):");
    for category in Category::ALL {
        let Some(tally) = measurement.categories.get(&category) else {
            continue;
        };
        for (kind, examples) in [
            ("missed", &tally.misses),
            ("false positive", &tally.false_positives),
        ] {
            for example in examples {
                let _ = writeln!(out, "  {category} {kind}: {example}");
            }
        }
    }
}

#[test]
fn categories_meet_precision_and_recall_targets() {
    let measurement = measurement();
    let failing: Vec<&str> = Category::ALL
        .into_iter()
        .filter(|category| {
            let target = Tier::of(*category).target();
            !measurement
                .categories
                .get(category)
                .is_some_and(|tally| tally.meets(target, target))
        })
        .map(Category::as_str)
        .collect();
    assert!(
        failing.is_empty(),
        "categories below their quality targets: {failing:?}\n{}",
        measurement.table
    );
}

#[test]
fn negative_files_produce_no_findings() {
    let measurement = measurement();
    assert!(
        measurement.negative_findings.is_empty(),
        "{} findings in negative-only files\n{}",
        measurement.negative_findings.len(),
        measurement.table
    );
}

#[test]
fn labelled_minors_are_reported_minor() {
    let measurement = measurement();
    let minor = &measurement.minor;
    assert!(
        minor
            .recall()
            .is_some_and(|recall| recall >= MINOR_RECALL_TARGET),
        "{} of {} labelled minors reported minor\n{}",
        minor.true_positives,
        minor.labelled,
        measurement.table
    );
}

#[test]
fn minor_flags_meet_precision_target() {
    let measurement = measurement();
    let minor = &measurement.minor;
    assert!(
        minor
            .precision()
            .is_some_and(|precision| precision >= MINOR_PRECISION_TARGET),
        "minor flag precision {} is below {MINOR_PRECISION_TARGET}\n{}",
        rate(minor.precision()),
        measurement.table
    );
}

#[test]
fn every_corpus_file_is_inspected() {
    let measurement = measurement();
    assert!(
        measurement.errors.is_empty(),
        "inspection failed for {} corpus files\n{}",
        measurement.errors.len(),
        measurement.table
    );
}

#[test]
fn scoring_matches_labels_as_multisets() {
    let label = |category: &str, value: &str, minor: bool| Expected {
        category: category.to_owned(),
        value: value.to_owned(),
        minor,
    };
    let file = LabelledFile {
        file: "synthetic.json".to_owned(),
        kind: "positive".to_owned(),
        path: "/".to_owned(),
        content_type: "application/json".to_owned(),
        content_encoding: None,
        expected: vec![
            label("email", "Anna.Roth@example.de", false),
            label("email", "Anna.Roth@example.de", false),
            label("phone", "+49 30 1234567", false),
            label("date_of_birth", "02.12.2012", true),
        ],
    };
    let found = |category: Category, value: &str, minor: bool| EvaluatedMatch {
        category,
        value: value.to_owned(),
        location: "$[0]".to_owned(),
        minor,
    };
    let findings = [
        found(Category::Email, "anna.roth@example.de", false),
        found(Category::Phone, "+49-30-123 4567", false),
        found(Category::Phone, "+49 30 7654321", false),
        found(Category::DateOfBirth, "02.12.2012", false),
    ];
    let mut measurement = Measurement::default();
    score_file(&mut measurement, &file, &findings);

    let email = &measurement.categories[&Category::Email];
    assert_eq!(
        (email.labelled, email.found, email.true_positives),
        (2, 1, 1)
    );
    let phone = &measurement.categories[&Category::Phone];
    assert_eq!(
        (phone.labelled, phone.found, phone.true_positives),
        (1, 2, 1)
    );
    assert_eq!(phone.false_positives.len(), 1);
    let birth = &measurement.categories[&Category::DateOfBirth];
    assert_eq!(birth.true_positives, 1);
    let minor = &measurement.minor;
    assert_eq!(
        (minor.labelled, minor.found, minor.true_positives),
        (1, 0, 0)
    );
}
