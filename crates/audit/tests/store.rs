//! The SQLite store on real database files: appends, the hash chain,
//! tamper detection, filters and output formats.

use audit::{
    Decision, Filter, FindingSummary, OutputFormat, RecordWriter, SqliteReader, SqliteStore,
    TransferOutcome, TransferRecord, Verification, body_sha256, truncate_to_millis, verify,
};
use chrono::{Duration, Utc};
use inspect::Category;
use rusqlite::Connection;
use uuid::Uuid;

fn record(host: &str, decision: Decision, categories: &[Category]) -> TransferRecord {
    TransferRecord {
        transfer_id: Uuid::now_v7(),
        time: truncate_to_millis(Utc::now()),
        client: "127.0.0.1:40000".into(),
        exporter: "CN".into(),
        exporter_name: None,
        method: "POST".into(),
        scheme: "https".into(),
        host: host.into(),
        port: 443,
        path: "/upload".into(),
        destination_id: Some(format!("{host}-entry")),
        country: Some("DE".into()),
        recipient: Some("Recipient GmbH".into()),
        mechanism_id: None,
        decision,
        reason: "test".into(),
        status: None,
        personal_data: !categories.is_empty(),
        sensitive: categories.iter().any(|c| c.is_sensitive()),
        subjects: categories.len() as u64,
        findings: categories
            .iter()
            .map(|category| FindingSummary {
                category: *category,
                count: 1,
                sensitive: category.is_sensitive(),
                samples: vec!["a***@e***.com".into()],
                minor: false,
                locations: vec!["$.email".into()],
            })
            .collect(),
        body_bytes: 4,
        body_sha256: body_sha256(b"body"),
        hold_id: None,
    }
}

fn collect(reader: &SqliteReader, filter: &Filter) -> Vec<audit::StoredRecord> {
    let mut records = Vec::new();
    reader
        .query(filter, |record| {
            records.push(record);
            Ok(())
        })
        .unwrap();
    records
}

#[tokio::test]
async fn appended_records_chain_and_verify() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("data/tollgate.db");
    let store = SqliteStore::open(&path).unwrap();

    let first = store
        .append(record("a.example", Decision::Allowed, &[]))
        .await
        .unwrap();
    let second = store
        .append(record("b.example", Decision::Blocked, &[Category::Email]))
        .await
        .unwrap();
    assert_eq!(first.seq, 1);
    assert_eq!(first.prev_hash, audit::GENESIS_HASH);
    assert_eq!(second.seq, 2);
    assert_eq!(second.prev_hash, first.hash);

    let reader = SqliteReader::open(&path).unwrap();
    let records = collect(&reader, &Filter::default());
    assert_eq!(records, vec![first, second.clone()]);
    assert_eq!(
        verify(&reader).unwrap(),
        Verification::Intact {
            records: 2,
            head: Some(second.hash)
        }
    );
}

#[tokio::test]
async fn concurrent_appends_keep_one_chain() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tollgate.db");
    let store = SqliteStore::open(&path).unwrap();

    let mut tasks = Vec::new();
    for index in 0..200 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            let host = format!("host{index}.example");
            store.append(record(&host, Decision::Allowed, &[])).await
        }));
    }
    let mut seqs = Vec::new();
    for task in tasks {
        seqs.push(task.await.unwrap().unwrap().seq);
    }
    seqs.sort_unstable();
    assert_eq!(seqs, (1..=200).collect::<Vec<u64>>());

    let reader = SqliteReader::open(&path).unwrap();
    assert!(matches!(
        verify(&reader).unwrap(),
        Verification::Intact { records: 200, .. }
    ));
}

#[tokio::test]
async fn store_reopens_and_continues_chain() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tollgate.db");
    let first = {
        let store = SqliteStore::open(&path).unwrap();
        store
            .append(record("a.example", Decision::Allowed, &[]))
            .await
            .unwrap()
    };
    let store = SqliteStore::open(&path).unwrap();
    let second = store
        .append(record("a.example", Decision::Allowed, &[]))
        .await
        .unwrap();
    assert_eq!(second.seq, 2);
    assert_eq!(second.prev_hash, first.hash);
}

#[tokio::test]
async fn records_are_append_only() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tollgate.db");
    let store = SqliteStore::open(&path).unwrap();
    store
        .append(record("a.example", Decision::Blocked, &[]))
        .await
        .unwrap();

    let connection = Connection::open(&path).unwrap();
    let update = connection.execute("UPDATE transfers SET decision = 'allowed'", []);
    assert!(update.unwrap_err().to_string().contains("append-only"));
    let delete = connection.execute("DELETE FROM transfers", []);
    assert!(delete.unwrap_err().to_string().contains("append-only"));
}

#[tokio::test]
async fn verify_names_first_edited_record() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tollgate.db");
    let store = SqliteStore::open(&path).unwrap();
    for _ in 0..3 {
        store
            .append(record("a.example", Decision::Blocked, &[]))
            .await
            .unwrap();
    }
    let second = {
        let reader = SqliteReader::open(&path).unwrap();
        collect(&reader, &Filter::default())[1].clone()
    };

    // Someone with write access to the file drops the guard and edits a row.
    let connection = Connection::open(&path).unwrap();
    connection
        .execute_batch(
            "DROP TRIGGER transfers_no_update;
             UPDATE transfers SET decision = 'allowed' WHERE seq = 2;",
        )
        .unwrap();

    let reader = SqliteReader::open(&path).unwrap();
    match verify(&reader).unwrap() {
        Verification::Broken {
            seq,
            transfer_id,
            problem,
        } => {
            assert_eq!(seq, 2);
            assert_eq!(transfer_id, second.record.transfer_id.to_string());
            assert!(
                problem.contains("changed after it was written"),
                "{problem}"
            );
        }
        intact => panic!("tampering not detected: {intact:?}"),
    }
}

#[tokio::test]
async fn verify_finds_deleted_middle_record() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tollgate.db");
    let store = SqliteStore::open(&path).unwrap();
    for _ in 0..3 {
        store
            .append(record("a.example", Decision::Allowed, &[]))
            .await
            .unwrap();
    }
    let connection = Connection::open(&path).unwrap();
    connection
        .execute_batch(
            "DROP TRIGGER transfers_no_delete;
             DELETE FROM transfers WHERE seq = 2;",
        )
        .unwrap();

    let reader = SqliteReader::open(&path).unwrap();
    match verify(&reader).unwrap() {
        Verification::Broken { seq, problem, .. } => {
            assert_eq!(seq, 3);
            assert!(problem.contains("records are missing"), "{problem}");
        }
        intact => panic!("deletion not detected: {intact:?}"),
    }
}

#[tokio::test]
async fn filters_narrow_results() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tollgate.db");
    let store = SqliteStore::open(&path).unwrap();

    let mut old = record("old.example", Decision::Allowed, &[Category::Email]);
    old.time = truncate_to_millis(Utc::now() - Duration::days(10));
    store.append(old).await.unwrap();
    store
        .append(record(
            "a.example",
            Decision::Held,
            &[Category::CnResidentId],
        ))
        .await
        .unwrap();
    store
        .append(record("b.example", Decision::Blocked, &[Category::Email]))
        .await
        .unwrap();

    let reader = SqliteReader::open(&path).unwrap();
    let hosts = |filter: Filter| -> Vec<String> {
        collect(&reader, &filter)
            .into_iter()
            .map(|stored| stored.record.host)
            .collect()
    };

    let since = Some(Utc::now() - Duration::days(1));
    assert_eq!(
        hosts(Filter {
            since,
            ..Filter::default()
        }),
        ["a.example", "b.example"]
    );
    assert_eq!(
        hosts(Filter {
            until: since,
            ..Filter::default()
        }),
        ["old.example"]
    );
    assert_eq!(
        hosts(Filter {
            decision: Some(Decision::Held),
            ..Filter::default()
        }),
        ["a.example"]
    );
    assert_eq!(
        hosts(Filter {
            category: Some(Category::Email),
            ..Filter::default()
        }),
        ["old.example", "b.example"]
    );
    assert_eq!(
        hosts(Filter {
            destination: Some("b.example".into()),
            ..Filter::default()
        }),
        ["b.example"]
    );
    assert_eq!(
        hosts(Filter {
            destination: Some("a.example-entry".into()),
            ..Filter::default()
        }),
        ["a.example"]
    );
    assert_eq!(
        hosts(Filter {
            limit: Some(1),
            ..Filter::default()
        }),
        ["old.example"]
    );
}

#[tokio::test]
async fn outcome_is_stored_beside_record() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tollgate.db");
    let store = SqliteStore::open(&path).unwrap();
    let stored = store
        .append(record("a.example", Decision::Allowed, &[]))
        .await
        .unwrap();
    let transfer_id = stored.record.transfer_id;
    store.record_outcome(TransferOutcome {
        transfer_id,
        completed_at: truncate_to_millis(Utc::now()),
        upstream_status: Some(201),
        error: None,
    });
    // An append after the outcome flushes the writer's queue in order.
    store
        .append(record("a.example", Decision::Allowed, &[]))
        .await
        .unwrap();

    let reader = SqliteReader::open(&path).unwrap();
    let outcome = reader.outcome(transfer_id).unwrap().unwrap();
    assert_eq!(outcome.upstream_status, Some(201));
    assert_eq!(outcome.error, None);
}

#[tokio::test]
async fn database_file_is_private() {
    use std::os::unix::fs::PermissionsExt;

    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let path = data.join("tollgate.db");
    SqliteStore::open(&path).unwrap();
    let file_mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    let dir_mode = std::fs::metadata(&data).unwrap().permissions().mode() & 0o777;
    assert_eq!(file_mode, 0o600);
    assert_eq!(dir_mode, 0o700);
}

#[tokio::test]
async fn json_and_csv_output() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tollgate.db");
    let store = SqliteStore::open(&path).unwrap();
    let stored = store
        .append(record(
            "a.example",
            Decision::Held,
            &[Category::Email, Category::Iban],
        ))
        .await
        .unwrap();
    let reader = SqliteReader::open(&path).unwrap();
    let records = collect(&reader, &Filter::default());

    let mut json = Vec::new();
    let mut writer = RecordWriter::new(OutputFormat::Json, &mut json).unwrap();
    for record in &records {
        writer.write(record).unwrap();
    }
    writer.finish().unwrap();
    let json = String::from_utf8(json).unwrap();
    assert_eq!(json.lines().count(), 1);
    let parsed: serde_json::Value = serde_json::from_str(json.trim()).unwrap();
    assert_eq!(parsed["seq"], 1);
    assert_eq!(parsed["decision"], "held");
    assert_eq!(parsed["findings"][1]["category"], "iban");
    assert_eq!(parsed["hash"], stored.hash.as_str());

    let mut csv = Vec::new();
    let mut writer = RecordWriter::new(OutputFormat::Csv, &mut csv).unwrap();
    for record in &records {
        writer.write(record).unwrap();
    }
    writer.finish().unwrap();
    let csv = String::from_utf8(csv).unwrap();
    let mut lines = csv.lines();
    assert!(lines.next().unwrap().starts_with("seq,transfer_id,time,"));
    let row = lines.next().unwrap();
    assert!(row.contains(",held,"), "{row}");
    assert!(row.contains("email:1;iban:1"), "{row}");
    assert_eq!(lines.next(), None);
}

#[tokio::test]
async fn events_have_their_own_chain() {
    use audit::{AdminEvent, EventKind, verify_events};

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tollgate.db");
    let store = SqliteStore::open(&path).unwrap();
    let first = store
        .append(record("a.example", Decision::Allowed, &[]))
        .await
        .unwrap();
    let review = store
        .append_event(AdminEvent::now(
            EventKind::WhitelistReview,
            "alice",
            "partner",
            "contract checked",
        ))
        .await
        .unwrap();
    let reload = store
        .append_event(AdminEvent::now(
            EventKind::ConfigReload,
            "signal",
            "tollgate.toml",
            "",
        ))
        .await
        .unwrap();
    let second = store
        .append(record("a.example", Decision::Allowed, &[]))
        .await
        .unwrap();

    assert_eq!((first.seq, second.seq), (1, 2));
    assert_eq!((review.seq, reload.seq), (1, 2));
    assert_eq!(reload.prev_hash, review.hash);

    let reader = SqliteReader::open(&path).unwrap();
    let mut kinds = Vec::new();
    reader
        .events(|stored| {
            kinds.push(stored.event.kind);
            Ok(())
        })
        .unwrap();
    assert_eq!(kinds, [EventKind::WhitelistReview, EventKind::ConfigReload]);
    assert!(matches!(
        verify_events(&reader).unwrap(),
        Verification::Intact { records: 2, .. }
    ));
    assert!(matches!(
        verify(&reader).unwrap(),
        Verification::Intact { records: 2, .. }
    ));

    let connection = Connection::open(&path).unwrap();
    connection
        .execute_batch(
            "DROP TRIGGER events_no_update;
             UPDATE events SET actor = 'mallory' WHERE seq = 1;",
        )
        .unwrap();
    let reader = SqliteReader::open(&path).unwrap();
    assert!(matches!(
        verify_events(&reader).unwrap(),
        Verification::Broken { seq: 1, .. }
    ));
}

#[tokio::test]
async fn version_one_store_is_migrated() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tollgate.db");
    {
        // A store as the first release created it: transfers only.
        let connection = Connection::open(&path).unwrap();
        connection
            .execute_batch(
                "CREATE TABLE transfers (seq INTEGER PRIMARY KEY, transfer_id TEXT NOT NULL UNIQUE,
                   time TEXT NOT NULL, client TEXT NOT NULL, exporter TEXT NOT NULL,
                   method TEXT NOT NULL, scheme TEXT NOT NULL, host TEXT NOT NULL,
                   port INTEGER NOT NULL, path TEXT NOT NULL, destination_id TEXT, country TEXT,
                   recipient TEXT, mechanism_id TEXT, decision TEXT NOT NULL, reason TEXT NOT NULL,
                   status INTEGER, personal_data INTEGER NOT NULL, sensitive INTEGER NOT NULL,
                   subjects INTEGER NOT NULL, findings TEXT NOT NULL, body_bytes INTEGER NOT NULL,
                   body_sha256 TEXT NOT NULL, hold_id TEXT, prev_hash TEXT NOT NULL,
                   hash TEXT NOT NULL);
                 CREATE TABLE transfer_outcomes (transfer_id TEXT PRIMARY KEY,
                   completed_at TEXT NOT NULL, upstream_status INTEGER, error TEXT);
                 PRAGMA user_version = 1;",
            )
            .unwrap();
    }
    let store = SqliteStore::open(&path).unwrap();
    store
        .append_event(audit::AdminEvent::now(
            audit::EventKind::ConfigReload,
            "signal",
            "tollgate.toml",
            "",
        ))
        .await
        .unwrap();
    let connection = Connection::open(&path).unwrap();
    let version: i64 = connection
        .query_row("PRAGMA user_version", [], |row| row.get(0))
        .unwrap();
    assert_eq!(version, 4);
}

#[tokio::test]
async fn allowed_transfers_are_counted_per_mechanism() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tollgate.db");
    let store = SqliteStore::open(&path).unwrap();
    for decision in [Decision::Allowed, Decision::Allowed, Decision::Held] {
        let mut entry = record("a.example", decision, &[]);
        entry.mechanism_id = Some("derogation-1".into());
        store.append(entry).await.unwrap();
    }
    assert_eq!(store.count_allowed("derogation-1").await.unwrap(), 2);
    assert_eq!(store.count_allowed("other").await.unwrap(), 0);

    let reader = SqliteReader::open(&path).unwrap();
    let since = Utc::now() - Duration::days(1);
    assert_eq!(
        reader.destinations_used_since(&since).unwrap(),
        ["a.example-entry"]
    );
}

#[tokio::test]
async fn pipl_tally_counts_distinct_individuals() {
    use audit::{PiplCounts, PiplTally, SubjectKey};

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tollgate.db");
    let store = SqliteStore::open(&path).unwrap();
    let key = |byte: u8| [byte; 32];
    let tally = |subjects: Vec<SubjectKey>| PiplTally {
        exporter: "Shanghai Co.".into(),
        year: 2026,
        subjects,
    };
    let person = |identifiers: &[u8], sensitive: bool| SubjectKey {
        identifiers: identifiers.iter().map(|&b| key(b)).collect(),
        sensitive,
    };

    // Two people, one with sensitive data.
    let first = tally(vec![person(&[1, 2], false), person(&[3], true)]);
    let projection = store.project_pipl(first.clone()).await.unwrap();
    assert_eq!(projection.before, PiplCounts::default());
    assert_eq!(
        projection.after,
        PiplCounts {
            individuals: 2,
            sensitive: 1
        }
    );
    store
        .append_counted(record("a.example", Decision::Allowed, &[]), Some(first))
        .await
        .unwrap();

    // Person 1 again under another identifier they share, now with
    // sensitive data, and a new person.
    let second = tally(vec![person(&[2, 9], true), person(&[4], false)]);
    let projection = store.project_pipl(second.clone()).await.unwrap();
    assert_eq!(
        projection.after,
        PiplCounts {
            individuals: 3,
            sensitive: 2
        }
    );
    store
        .append_counted(record("a.example", Decision::Allowed, &[]), Some(second))
        .await
        .unwrap();

    let reader = SqliteReader::open(&path).unwrap();
    assert_eq!(
        reader.pipl_counts("Shanghai Co.", 2026).unwrap(),
        PiplCounts {
            individuals: 3,
            sensitive: 2
        }
    );
    assert_eq!(
        reader.pipl_counts("Shanghai Co.", 2027).unwrap(),
        PiplCounts::default()
    );
    // The record and the tally were written together.
    assert!(matches!(
        verify(&reader).unwrap(),
        Verification::Intact { records: 2, .. }
    ));
}
