//! Review due dates.

use std::path::Path;

use chrono::NaiveDate;
use whitelist::Whitelist;

fn date(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

fn whitelist_reviewed_on(day: &str) -> Whitelist {
    let text = format!(
        "[[destination]]\nid = \"d\"\nhosts = [\"d.example\"]\ncountry = \"DE\"\n\
         recipient = \"R\"\npurpose = \"P\"\nreviewed_on = {day}\nreviewed_by = \"me\"\n"
    );
    Whitelist::parse(&text, Path::new("whitelist.toml")).unwrap()
}

#[test]
fn due_date_table() {
    let cases = [
        ("2026-11-30", "2027-02-28"),
        ("2027-11-30", "2028-02-29"),
        ("2026-01-31", "2026-04-30"),
        ("2026-10-01", "2027-01-01"),
        ("2026-03-15", "2026-06-15"),
    ];
    for (reviewed_on, due) in cases {
        let whitelist = whitelist_reviewed_on(reviewed_on);
        let destination = &whitelist.destinations()[0];
        assert_eq!(destination.review_due(), date(due), "{reviewed_on}");
    }
}

#[test]
fn overdue_one_day_after_due() {
    let whitelist = whitelist_reviewed_on("2026-11-30");
    let destination = &whitelist.destinations()[0];
    assert!(!destination.review_overdue(date("2027-02-27")));
    assert!(!destination.review_overdue(date("2027-02-28")));
    assert!(destination.review_overdue(date("2027-03-01")));
}

#[test]
fn overdue_reviews_lists_destination() {
    let whitelist = whitelist_reviewed_on("2026-11-30");
    assert_eq!(whitelist.overdue_reviews(date("2027-02-28")).count(), 0);
    assert_eq!(whitelist.overdue_reviews(date("2027-03-01")).count(), 1);
}
