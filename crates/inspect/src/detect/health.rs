//! Health data: ICD-10 codes, NHS numbers and US National Provider
//! Identifiers under health context, and health fields judged as a whole
//! (see [`super::fields`]).
//!
//! Keys such as `diagnosis` and `symptoms` describe machines as often as
//! people (`"diagnosis": "Bearing worn"` in a maintenance work order). So a
//! value under a health key is certain health data only when its words are
//! clinical ([`value_evidence`]). Otherwise it counts only in a record that
//! is about a person, which the collector decides once the record is read.
//!
//! An ICD-10 code (`E11.9`, `J45`, `S72.001A`) is a letter, two digits and
//! an optional dot with up to four more characters. The shape is shared
//! with product codes, so it counts only under a health key or label
//! (`diagnosis`, `icd10`, `condition`, `诊断`). An NHS number is ten digits,
//! optionally grouped 3-3-4, whose last digit is a mod 11 check; an NPI is
//! ten digits starting with 1 or 2 whose last digit is a Luhn check over
//! the number prefixed with `80840` (the ISO 7812 issuer prefix of US
//! health identifiers). Both count only under their own key or label.

use super::context::{Context, label_roles};
use super::payment_card::luhn_valid;
use super::roles::Roles;
use super::scan::{alphanumeric_at, alphanumeric_run_end, digit_run_end, starts_number};

/// Digits of an NHS number and of an NPI.
const TEN_DIGITS: usize = 10;

/// The issuer prefix that the NPI check digit covers.
const NPI_PREFIX: &[u8; 5] = b"80840";

/// Most characters after the dot of an ICD-10-CM code (`S72.001A`).
const MAX_ICD_EXTENSION: usize = 4;

/// Values that say nothing about a person's health.
const EMPTY_VALUES: &[&str] = &[
    "-", "n/a", "na", "no", "none", "null", "nil", "unknown", "false", "true", "yes", "0", "无",
];

/// Returns the span of an NHS number or NPI that starts with the digit run
/// `start..run_end`.
pub(crate) fn number_at(
    text: &[u8],
    start: usize,
    run_end: usize,
    context: &Context,
) -> Option<(usize, usize)> {
    if !matches!(run_end - start, 3 | TEN_DIGITS) || !starts_number(text, start) {
        return None;
    }
    let mut digits = [0u8; TEN_DIGITS];
    let end = ten_digits_end(text, start, run_end, &mut digits)?;
    let nhs = is_nhs_number(&digits) && context.allows(Roles::NHS_NUMBER, text, start);
    let npi = is_npi(&digits) && context.allows(Roles::NPI, text, start);
    (nhs || npi).then_some((start, end))
}

/// Reads ten digits, unseparated or grouped 3-3-4 by spaces or dashes.
fn ten_digits_end(
    text: &[u8],
    start: usize,
    run_end: usize,
    digits: &mut [u8; TEN_DIGITS],
) -> Option<usize> {
    if run_end - start == TEN_DIGITS {
        digits.copy_from_slice(&text[start..run_end]);
        return (!alphanumeric_at(text, run_end)).then_some(run_end);
    }
    let separator = *text.get(run_end)?;
    if !matches!(separator, b' ' | b'-') {
        return None;
    }
    let second = run_end + 1;
    let third = second + 4;
    let end = third + 4;
    let shaped = digit_run_end(text, second) == second + 3
        && text.get(second + 3) == Some(&separator)
        && end <= text.len()
        && digit_run_end(text, third) == end
        && !alphanumeric_at(text, end);
    if !shaped {
        return None;
    }
    digits[..3].copy_from_slice(&text[start..run_end]);
    digits[3..6].copy_from_slice(&text[second..second + 3]);
    digits[6..].copy_from_slice(&text[third..end]);
    Some(end)
}

/// Returns whether ten digits pass the NHS mod 11 check: weights 10 down to
/// 2 over the first nine, and 11 minus the remainder (11 meaning 0, 10
/// never issued) as the tenth.
pub(crate) fn is_nhs_number(digits: &[u8; TEN_DIGITS]) -> bool {
    let sum: u32 = digits[..9]
        .iter()
        .zip((2..=10).rev())
        .map(|(digit, weight)| u32::from(digit - b'0') * weight)
        .sum();
    let check = match 11 - sum % 11 {
        11 => 0,
        10 => return false,
        check => check,
    };
    u32::from(digits[9] - b'0') == check
}

/// Returns whether ten digits are an NPI: a leading 1 or 2 and a Luhn check
/// digit over `80840` and the number.
pub(crate) fn is_npi(digits: &[u8; TEN_DIGITS]) -> bool {
    if !matches!(digits[0], b'1' | b'2') {
        return false;
    }
    let mut prefixed = [0u8; 15];
    prefixed[..5].copy_from_slice(NPI_PREFIX);
    prefixed[5..].copy_from_slice(digits);
    luhn_valid(&prefixed)
}

/// Returns the end of an ICD-10 code that is the token at `start`, under
/// health context.
pub(crate) fn icd10_at(text: &[u8], start: usize, context: &Context) -> Option<usize> {
    let head = text.get(start..start + 3)?;
    let shaped =
        head[0].is_ascii_uppercase() && head[1].is_ascii_digit() && head[2].is_ascii_digit();
    if !shaped {
        return None;
    }
    let end = icd10_end(text, start)?;
    let health = Roles::HEALTH | Roles::HEALTH_CODE;
    // The label is classified once for both roles.
    let keyed = context.roles.intersects(health)
        || (context.labels && label_roles(text, start).intersects(health));
    keyed.then_some(end)
}

/// Returns the end of the ICD-10 code at `start` whose first three
/// characters are already checked.
fn icd10_end(text: &[u8], start: usize) -> Option<usize> {
    let code_end = start + 3;
    if alphanumeric_at(text, code_end) {
        return None;
    }
    if text.get(code_end) != Some(&b'.') || !alphanumeric_at(text, code_end + 1) {
        return Some(code_end);
    }
    let end = alphanumeric_run_end(text, code_end + 1);
    (end - code_end - 1 <= MAX_ICD_EXTENSION).then_some(end)
}

/// The evidence that the words of a value under a health key give about
/// its subject.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum HealthEvidence {
    /// An ICD-10 code, or a word of a disease, symptom, treatment or body
    /// part (`diabetes`, `fracture`, `糖尿病`).
    Clinical,
    /// A word of machines and their faults (`bearing`, `firmware`), and
    /// no clinical word.
    Technical,
    /// Neither, such as `peanuts` or `High discharge temperature`.
    Unknown,
}

/// Starts of clinical words in lower case. A word of the value counts when
/// it starts with one of them (`diabet` matches `diabetes` and `diabetic`).
const CLINICAL_WORD_STARTS: &[&str] = &[
    "acute",
    "addict",
    "adhd",
    "alcohol",
    "allerg",
    "alzheimer",
    "anaemi",
    "anemi",
    "angina",
    "anxiety",
    "arrhythm",
    "arthrit",
    "arthros",
    "asthma",
    "autis",
    "bipolar",
    "blood",
    "bronchit",
    "cancer",
    "carcinom",
    "cardi",
    "chemother",
    "chronic",
    "cirrho",
    "concussion",
    "cough",
    "covid",
    "dementia",
    "depress",
    "dermatit",
    "diabet",
    "dialys",
    "disease",
    "disorder",
    "dolor",
    "douleur",
    "eczema",
    "embaraz",
    "enfermedad",
    "entzünd",
    "epilep",
    "erkrank",
    "fever",
    "fieber",
    "fractur",
    "fraktur",
    "grippe",
    "grossesse",
    "headache",
    "hepatit",
    "hernia",
    "hiv",
    "hypertens",
    "hypotens",
    "infarct",
    "infarkt",
    "infecc",
    "infect",
    "infekt",
    "influenza",
    "injur",
    "insulin",
    "krank",
    "krebs",
    "leukaem",
    "leukem",
    "lymphom",
    "maladie",
    "medicat",
    "migrain",
    "migräne",
    "nausea",
    "neoplasm",
    "obes",
    "opioid",
    "painful",
    "parkinson",
    "penicillin",
    "pneumon",
    "pregnan",
    "psoria",
    "psych",
    "reflux",
    "schizo",
    "schmerz",
    "schwanger",
    "sclerosis",
    "seizure",
    "sprain",
    "stroke",
    "surger",
    "syndrom",
    "thyroid",
    "tumor",
    "tumour",
    "ulcer",
    "vaccin",
    "verletz",
    "wound",
];

/// Parts of clinical words in Chinese and Japanese, which have no spaces
/// between words: disease, symptom, inflammation, cancer, tumour, pain,
/// injury, fracture, diabetes, blood pressure, allergy, depression,
/// asthma, infection.
const CLINICAL_CJK: &[&str] = &[
    "病", "症", "炎", "癌", "瘤", "痛", "伤", "傷", "骨折", "糖尿", "血压", "血圧", "过敏", "抑郁",
    "哮喘", "感染",
];

/// Clinical words that count only whole, because longer words start with
/// them (`painting`, `fluid`).
const CLINICAL_WORDS: &[&str] = &["flu", "pain", "pains"];

/// Starts of words of machines and their faults in lower case.
const TECHNICAL_WORD_STARTS: &[&str] = &[
    "bearing",
    "calibrat",
    "compressor",
    "coolant",
    "corros",
    "firmware",
    "gearbox",
    "hydraulic",
    "impeller",
    "lubric",
    "motor",
    "nozzle",
    "overheat",
    "printhead",
    "pump",
    "seal",
    "self-test",
    "sensor",
    "spindle",
    "toner",
    "valve",
    "vibration",
    "voltage",
];

/// Judges the words of a value under a health key (see [`HealthEvidence`]).
/// Clinical words win over technical ones, because an insulin pump is a
/// patient's device.
pub(crate) fn value_evidence(value: &[u8]) -> HealthEvidence {
    let text = String::from_utf8_lossy(value);
    if CLINICAL_CJK.iter().any(|part| text.contains(part)) {
        return HealthEvidence::Clinical;
    }
    let mut technical = false;
    let words = text
        .split(|character: char| !(character.is_alphanumeric() || character == '-'))
        .filter(|word| !word.is_empty());
    for word in words {
        if is_icd10_word(word.as_bytes()) {
            return HealthEvidence::Clinical;
        }
        let lower = word.to_lowercase();
        let starts_any = |starts: &[&str]| starts.iter().any(|start| lower.starts_with(start));
        if starts_any(CLINICAL_WORD_STARTS) || CLINICAL_WORDS.contains(&lower.as_str()) {
            return HealthEvidence::Clinical;
        }
        technical |= starts_any(TECHNICAL_WORD_STARTS);
    }
    if technical {
        HealthEvidence::Technical
    } else {
        HealthEvidence::Unknown
    }
}

/// Returns whether a whole word has the shape of an ICD-10 code (`E11.9`,
/// `J45`, `G409`): a capital letter, two digits and up to
/// [`MAX_ICD_EXTENSION`] more letters or digits. The words of
/// [`value_evidence`] end at a dot, so `E11.9` is judged by `E11`.
fn is_icd10_word(word: &[u8]) -> bool {
    let [letter, first, second, rest @ ..] = word else {
        return false;
    };
    letter.is_ascii_uppercase()
        && first.is_ascii_digit()
        && second.is_ascii_digit()
        && rest.len() <= MAX_ICD_EXTENSION
        && rest.iter().all(u8::is_ascii_alphanumeric)
}

/// Returns whether a whole field value under a health key says something:
/// not empty, not a yes/no flag, with a letter or a digit.
pub(crate) fn is_health_value(value: &[u8]) -> bool {
    let text = String::from_utf8_lossy(value);
    let text = text.trim();
    let meaningful = text.chars().any(char::is_alphanumeric);
    meaningful
        && !EMPTY_VALUES
            .iter()
            .any(|empty| empty.eq_ignore_ascii_case(text))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Category;
    use crate::detect::found_texts;

    fn found_with(text: &str, roles: Roles) -> Vec<&str> {
        found_texts(text, roles, Category::Health)
    }

    #[test]
    fn icd10_codes_under_health_context_are_found() {
        for code in ["E11.9", "J45", "S72.001A", "F32.A"] {
            assert_eq!(found_with(code, Roles::HEALTH_CODE), [code], "{code}");
            assert_eq!(found_with(code, Roles::HEALTH), [code], "{code}");
        }
        assert_eq!(found_with("Diagnose: E11.9", Roles::NONE), ["E11.9"]);
    }

    #[test]
    fn icd10_shapes_without_context_or_malformed_are_rejected() {
        assert!(found_with("E11.9", Roles::NONE).is_empty());
        for text in ["E1.9", "e11.9", "E119", "E11.90000", "XE11.9", "11.9"] {
            assert!(found_with(text, Roles::HEALTH_CODE).is_empty(), "{text}");
        }
    }

    #[test]
    fn nhs_numbers_pass_mod_11() {
        for (digits, expected) in [
            (*b"9434765919", true),
            (*b"9434765918", false),
            (*b"4010232137", true),
            (*b"1234567890", false),
        ] {
            assert_eq!(is_nhs_number(&digits), expected);
        }
        assert_eq!(
            found_with("943 476 5919", Roles::NHS_NUMBER),
            ["943 476 5919"]
        );
        assert_eq!(
            found_with("NHS number: 9434765919", Roles::NONE),
            ["9434765919"]
        );
        assert!(found_with("9434765919", Roles::NONE).is_empty());
    }

    #[test]
    fn npis_pass_luhn_with_their_prefix() {
        for (digits, expected) in [
            (*b"1234567893", true),
            (*b"1234567890", false),
            (*b"3234567893", false),
        ] {
            assert_eq!(is_npi(&digits), expected);
        }
        assert_eq!(found_with("1234567893", Roles::NPI), ["1234567893"]);
        assert!(found_with("1234567893", Roles::NONE).is_empty());
    }

    #[test]
    fn health_words_tell_people_from_machines() {
        for (value, expected) in [
            ("Type 2 diabetes", HealthEvidence::Clinical),
            ("E11.9", HealthEvidence::Clinical),
            ("S72.001A Fracture of femur", HealthEvidence::Clinical),
            ("Migräne", HealthEvidence::Clinical),
            ("糖尿病", HealthEvidence::Clinical),
            ("flu", HealthEvidence::Clinical),
            ("Insulin pump failure", HealthEvidence::Clinical),
            (
                "Bearing worn, mechanical seal leaking",
                HealthEvidence::Technical,
            ),
            ("self-test passed", HealthEvidence::Technical),
            ("Firmware 2.1 outdated", HealthEvidence::Technical),
            ("peanuts", HealthEvidence::Unknown),
            ("High discharge temperature", HealthEvidence::Unknown),
            ("Painting damaged", HealthEvidence::Unknown),
            ("Pump P-101", HealthEvidence::Technical),
        ] {
            assert_eq!(value_evidence(value.as_bytes()), expected, "{value}");
        }
    }

    #[test]
    fn empty_health_values_say_nothing() {
        for (value, expected) in [
            ("Type 2 diabetes", true),
            ("糖尿病", true),
            ("E11.9", true),
            ("", false),
            ("  ", false),
            ("N/A", false),
            ("none", false),
            ("false", false),
            ("-", false),
        ] {
            assert_eq!(is_health_value(value.as_bytes()), expected, "{value}");
        }
    }
}
