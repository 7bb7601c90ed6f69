//! The `tollgate` subcommands that need no running gateway: configuration
//! errors, `ca init`, `scan`, `check` and `audit` on a fresh store.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Output};

fn tollgate(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tollgate"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn broken_config_names_file_line_and_field() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("tollgate.toml"),
        "[proxy]\nlisten = \"127.0.0.1:3128\"\nmax_body_byte = 10\n",
    )
    .unwrap();
    let output = tollgate(dir.path(), &["check", "--config", "tollgate.toml"]);
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(message.contains("tollgate.toml:3:1:"), "{message}");
    assert!(
        message.contains("unknown field `max_body_byte`"),
        "{message}"
    );
}

#[test]
fn broken_whitelist_names_file_line_and_field() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("tollgate.toml"),
        "[exporter]\ncountry = \"CN\"\n[whitelist]\nfile = \"whitelist.toml\"\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("whitelist.toml"),
        "[[destination]]\nid = \"a\"\nhosts = [\"a.example\"]\ncountry = \"XX\"\n\
         recipient = \"A\"\npurpose = \"p\"\nreviewed_on = 2026-11-01\nreviewed_by = \"x\"\n",
    )
    .unwrap();
    let output = tollgate(dir.path(), &["check", "--config", "tollgate.toml"]);
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(message.contains("whitelist.toml:4:11:"), "{message}");
    assert!(message.contains("unknown country code \"XX\""), "{message}");
}

#[test]
fn unusable_client_ca_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("tollgate.toml"),
        "[proxy]\nclient_ca = \"clients-ca.pem\"\n",
    )
    .unwrap();
    let output = tollgate(dir.path(), &["check", "--config", "tollgate.toml"]);
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(message.contains("[proxy] client_ca = "), "{message}");
    assert!(message.contains("clients-ca.pem"), "{message}");

    std::fs::write(dir.path().join("clients-ca.pem"), "not a certificate\n").unwrap();
    let output = tollgate(dir.path(), &["check", "--config", "tollgate.toml"]);
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(message.contains("clients-ca.pem"), "{message}");

    // A client's own certificate is no authority to trust.
    let authority = certs::CertificateAuthority::generate("Clients CA").unwrap();
    let client = authority
        .issue_client("erp-berlin", std::time::Duration::from_secs(600))
        .unwrap();
    std::fs::write(dir.path().join("clients-ca.pem"), client.to_pem()).unwrap();
    let output = tollgate(dir.path(), &["check", "--config", "tollgate.toml"]);
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(
        message.contains("CN=erp-berlin is not a CA certificate"),
        "{message}"
    );
}

#[test]
fn missing_config_file_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let output = tollgate(dir.path(), &["check", "--config", "absent.toml"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("failed to read absent.toml"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn ca_init_creates_private_key() {
    let dir = tempfile::tempdir().unwrap();
    let output = tollgate(dir.path(), &["ca", "init"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stdout(&output).contains("tollgate-data/ca/ca.pem"),
        "{}",
        stdout(&output)
    );

    let key = dir.path().join("tollgate-data/ca/ca-key.pem");
    let mode = std::fs::metadata(&key).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);

    let again = tollgate(dir.path(), &["ca", "init"]);
    assert!(again.status.success());
    assert!(
        stdout(&again).contains("already exists"),
        "{}",
        stdout(&again)
    );
}

#[test]
fn scan_prints_json_report() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("customers.json");
    std::fs::write(&file, r#"[{"email": "anna.schmidt@example.com"}]"#).unwrap();
    let output = tollgate(dir.path(), &["scan", "customers.json"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["personal_data"], true);
    assert_eq!(report["findings"][0]["category"], "email");
    assert!(!stdout(&output).contains("anna.schmidt@example.com"));
}

#[test]
fn scan_rejects_unsupported_encoding() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("body.bin"), b"xyz").unwrap();
    let output = tollgate(
        dir.path(),
        &["scan", "body.bin", "--content-encoding", "compress"],
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("compress"), "{}", stderr(&output));
}

#[test]
fn audit_on_missing_store_explains() {
    let dir = tempfile::tempdir().unwrap();
    let output = tollgate(dir.path(), &["audit", "verify"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("no transfer records at"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn check_flags_dates_in_the_future() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("tollgate.toml"),
        "[exporter]\ncountry = \"DE\"\n[whitelist]\nfile = \"whitelist.toml\"\n\
         [mechanisms]\nfile = \"mechanisms.toml\"\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("whitelist.toml"),
        "[[destination]]\nid = \"crm\"\nhosts = [\"crm.example\"]\ncountry = \"US\"\n\
         recipient = \"CRM Inc.\"\npurpose = \"sales\"\nmechanism = \"scc-crm\"\n\
         reviewed_on = 2099-01-01\nreviewed_by = \"dpo\"\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("mechanisms.toml"),
        "[[mechanism]]\nid = \"scc-crm\"\nkind = \"scc\"\nmodule = 2\n\
         signed_on = 2098-03-01\ntia_on = 2025-01-01\ncovers = [\"email\"]\n",
    )
    .unwrap();
    let output = tollgate(dir.path(), &["check", "--config", "tollgate.toml"]);
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    assert!(
        text.contains("ACTION: destination crm: reviewed_on 2099-01-01 is in the future"),
        "{text}"
    );
    assert!(
        text.contains("warning: mechanism scc-crm: signed_on 2098-03-01 is in the future"),
        "{text}"
    );
}

#[test]
fn check_defaults_warns_about_missing_ca() {
    let dir = tempfile::tempdir().unwrap();
    let output = tollgate(dir.path(), &["check"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(
        text.contains("configuration valid: 0 destination(s)"),
        "{text}"
    );
    assert!(text.contains("warning: CA in"), "{text}");
}

#[test]
fn shipped_examples_are_valid() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    for config in ["examples/tollgate.toml", "examples/trial/tollgate.toml"] {
        let output = tollgate(&root, &["check", "--config", config]);
        let text = stdout(&output);
        // Exit 1 would only mean a review date in the example has passed.
        assert_ne!(
            output.status.code(),
            Some(2),
            "{config}: {}",
            stderr(&output)
        );
        assert!(text.starts_with("configuration valid"), "{config}: {text}");
    }
}
