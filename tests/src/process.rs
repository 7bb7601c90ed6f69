//! Runs the built `tollgate` binary with a configuration in a temporary
//! directory, and its CLI subcommands against the same configuration.

use std::io::{BufRead, BufReader, Write};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc;
use std::time::{Duration, SystemTime};

use tempfile::TempDir;

/// Time the binary has to start listening; generous for slow CI machines.
const START_TIMEOUT: Duration = Duration::from_secs(60);

/// Path of the `tollgate` binary that `cargo test --workspace` builds next
/// to the test executables.
pub fn binary() -> PathBuf {
    let exe = std::env::current_exe().expect("test executable path");
    let profile_dir = exe
        .parent()
        .and_then(Path::parent)
        .expect("test executable lives in target/<profile>/deps");
    let binary = profile_dir.join("tollgate");
    let built = std::fs::metadata(&binary)
        .and_then(|metadata| metadata.modified())
        .unwrap_or_else(|_| {
            panic!(
                "{} not found; run the tests with `cargo test --workspace`, which builds it",
                binary.display()
            )
        });
    if let Some(source) = newest_source(&profile_dir.join("tollgate.d")) {
        if source.0 > built {
            panic!(
                "{} is older than {}; `cargo test -p tollgate-e2e` does not rebuild it, \
                 run `cargo test --workspace` or `cargo build -p gateway` first",
                binary.display(),
                source.1.display()
            );
        }
    }
    binary
}

/// Returns the most recently modified of the source files that Cargo's
/// dependency file `dep_info` lists for the binary, with its time, or
/// `None` when the file is missing or lists no source that exists. Files
/// that only tests compile (`*_tests.rs` modules) are not listed there, so
/// changing one does not make the binary look stale.
fn newest_source(dep_info: &Path) -> Option<(SystemTime, PathBuf)> {
    let text = std::fs::read_to_string(dep_info).ok()?;
    // The first line is `target: source source ...`, with spaces inside
    // paths escaped by a backslash.
    let (_, sources) = text.lines().next()?.split_once(": ")?;
    let sources = sources.replace("\\ ", "\0");
    sources
        .split(' ')
        .filter(|source| !source.is_empty())
        .filter_map(|source| {
            let path = PathBuf::from(source.replace('\0', " "));
            let modified = std::fs::metadata(&path).ok()?.modified().ok()?;
            Some((modified, path))
        })
        .max_by_key(|(modified, _)| *modified)
}

/// A running gateway; killed when dropped.
#[derive(Debug)]
pub struct Tollgate {
    pub dir: TempDir,
    pub proxy: SocketAddr,
    pub admin: SocketAddr,
    child: Child,
}

impl Tollgate {
    /// Writes `files` (name, content) into a new temporary directory and
    /// starts `tollgate serve --config <dir>/tollgate.toml` there. The
    /// gateway's log goes to `<dir>/tollgate-data/tollgate.log`.
    pub fn start(files: &[(&str, &str)]) -> Tollgate {
        let dir = tempfile::tempdir().unwrap();
        for (name, content) in files {
            std::fs::write(dir.path().join(name), content).unwrap();
        }
        let data = dir.path().join("tollgate-data");
        std::fs::create_dir_all(&data).unwrap();
        let mut log = std::fs::File::create(data.join("tollgate.log")).unwrap();

        let mut child = Command::new(binary())
            .arg("serve")
            .arg("--config")
            .arg(dir.path().join("tollgate.toml"))
            .args(["--log-format", "json"])
            .env("RUST_LOG", "info")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();

        let stderr = child.stderr.take().unwrap();
        let (sender, receiver) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                let _ = writeln!(log, "{line}");
                let _ = sender.send(line);
            }
        });

        let mut seen = Vec::new();
        loop {
            let line = match receiver.recv_timeout(START_TIMEOUT) {
                Ok(line) => line,
                Err(_) => {
                    let status = child.try_wait().ok().flatten();
                    let _ = child.kill();
                    panic!(
                        "tollgate did not start (exit {status:?}); output:\n{}",
                        seen.join("\n")
                    );
                }
            };
            let event: serde_json::Value = serde_json::from_str(&line).unwrap_or_default();
            if event["message"] == "tollgate listening" {
                let proxy = event["proxy"].as_str().unwrap().parse().unwrap();
                let admin = event["admin"].as_str().unwrap().parse().unwrap();
                return Tollgate {
                    dir,
                    proxy,
                    admin,
                    child,
                };
            }
            seen.push(line);
        }
    }

    pub fn config_path(&self) -> PathBuf {
        self.dir.path().join("tollgate.toml")
    }

    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().join("tollgate-data")
    }

    /// The PEM certificate of the gateway's CA, which clients must trust.
    pub fn ca_pem(&self) -> String {
        std::fs::read_to_string(self.data_dir().join("ca/ca.pem")).unwrap()
    }

    pub fn ca_path(&self) -> PathBuf {
        self.data_dir().join("ca/ca.pem")
    }

    /// Runs a `tollgate` subcommand with this gateway's configuration.
    pub fn cli(&self, args: &[&str]) -> Output {
        Command::new(binary())
            .args(args)
            .arg("--config")
            .arg(self.config_path())
            .output()
            .unwrap()
    }

    /// All transfer records, parsed from `tollgate audit query --format json`.
    pub fn records(&self) -> Vec<serde_json::Value> {
        let output = self.cli(&["audit", "query", "--format", "json"]);
        assert!(
            output.status.success(),
            "audit query failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout)
            .unwrap()
            .lines()
            .map(|line| serde_json::from_str(line).unwrap())
            .collect()
    }

    /// Sends SIGHUP, which makes the gateway reload its configuration.
    pub fn reload(&self) {
        let status = Command::new("kill")
            .args(["-HUP", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
    }
}

impl Drop for Tollgate {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
