//! The E-ARK validator (the DILCIS community's `eark-validator`, installed
//! by `.ci/setup-eark`) run on an exported package: the city archive runs
//! the same checks on delivery, so a package it rejects must fail here.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

/// The validator's command named by `KOMMENTARSVAKT_EARK_VALIDATOR`, or
/// `None` with a printed reason. When `KOMMENTARSVAKT_REQUIRE_EARK=1` (CI),
/// a missing validator fails the test instead.
pub fn validator() -> Option<PathBuf> {
    match std::env::var_os("KOMMENTARSVAKT_EARK_VALIDATOR") {
        Some(path) if Path::new(&path).is_file() => Some(PathBuf::from(path)),
        named => {
            assert!(
                std::env::var("KOMMENTARSVAKT_REQUIRE_EARK").as_deref() != Ok("1"),
                "KOMMENTARSVAKT_REQUIRE_EARK=1 but KOMMENTARSVAKT_EARK_VALIDATOR ({named:?}) \
                 names no file; run .ci/setup-eark"
            );
            super::skip(
                "no E-ARK validator; set KOMMENTARSVAKT_EARK_VALIDATOR=$(bash .ci/setup-eark) to \
                 check the package with it",
            );
            None
        }
    }
}

/// The schema files the package uses that the validator's Python package
/// ships (`eark_validator/ipxml/resources/schema/` in the venv whose `bin/`
/// holds `validator`).
const BUNDLED_SCHEMAS: [&str; 3] = ["mets.xsd", "xlink.xsd", "DILCISExtensionMETS.xsd"];

/// Copies the schemas the validator ships into `into`, as an operator fills
/// `archive.export_schemas_dir`: only tests do this, the product and the
/// repository carry no third-party schema file.
pub fn copy_bundled_schemas(validator: &Path, into: &Path) {
    let venv = validator
        .parent()
        .and_then(Path::parent)
        .expect("the validator command lies in <venv>/bin");
    let lib = venv.join("lib");
    let shipped = std::fs::read_dir(&lib)
        .unwrap_or_else(|e| panic!("{}: {e}", lib.display()))
        .map(|entry| {
            entry
                .expect("venv lib entry")
                .path()
                .join("site-packages/eark_validator/ipxml/resources/schema")
        })
        .find(|dir| dir.is_dir())
        .unwrap_or_else(|| panic!("no eark_validator schema folder under {}", lib.display()));
    std::fs::create_dir_all(into).expect("schema folder");
    for name in BUNDLED_SCHEMAS {
        std::fs::copy(shipped.join(name), into.join(name))
            .unwrap_or_else(|e| panic!("{}: {e}", shipped.join(name).display()));
    }
}

/// One message of the validator's report.
#[derive(Debug, Clone)]
pub struct Message {
    /// Which check: `structure`, `schema` (METS XSD) or `schematron` (CSIP/SIP rules).
    pub check: &'static str,
    /// `Error`, `Warn`, `Info`.
    pub severity: String,
    /// The rule, e.g. `CSIPSTR15` or `CSIP17`.
    pub rule: String,
    /// The validator's text.
    pub message: String,
}

impl std::fmt::Display for Message {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "[{} {} {}] {}",
            self.check, self.severity, self.rule, self.message
        )
    }
}

/// The validator's verdict on one package.
#[derive(Debug)]
pub struct Report {
    /// Every message, errors first.
    pub messages: Vec<Message>,
    /// The three statuses: structure, METS schema, CSIP rules; `null`
    /// where a check did not run (the METS is only checked in a
    /// well-formed structure).
    pub summary: String,
    /// Whether the METS schema and CSIP rules were checked at all.
    pub metadata_checked: bool,
}

impl Report {
    /// Messages of severity `Error`: any one makes the package invalid.
    pub fn errors(&self) -> Vec<&Message> {
        self.messages
            .iter()
            .filter(|m| m.severity == "Error")
            .collect()
    }

    /// All messages, one a line, for an assertion message.
    pub fn listing(&self) -> String {
        let mut text = format!("{}\n", self.summary);
        for message in &self.messages {
            text.push_str(&format!("  {message}\n"));
        }
        text
    }
}

/// Runs the validator on a package directory and reads its JSON report;
/// `Err` with the validator's output if it crashes or prints no report.
pub fn validate(validator: &Path, package: &Path) -> Result<Report, String> {
    let output = Command::new(validator)
        .arg(package)
        .output()
        .map_err(|e| format!("{} does not run: {e}", validator.display()))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let failure = |why: &str| {
        format!(
            "{} on {} {why} (exit {}):\n{stdout}\n{stderr}",
            validator.display(),
            package.display(),
            output.status
        )
    };
    if !output.status.success() {
        return Err(failure("failed"));
    }
    let json = stdout
        .lines()
        .find(|line| line.starts_with('{'))
        .ok_or_else(|| failure("printed no JSON report"))?;
    let report: Value =
        serde_json::from_str(json).map_err(|e| failure(&format!("printed bad JSON ({e})")))?;
    Ok(read_report(&report))
}

/// The messages and statuses of the validator's JSON report.
fn read_report(report: &Value) -> Report {
    let mut messages = Vec::new();
    collect(&mut messages, "structure", &report["structure"]["messages"]);
    let metadata = &report["metadata"];
    collect(
        &mut messages,
        "schema",
        &metadata["schema_results"]["messages"],
    );
    collect(
        &mut messages,
        "schematron",
        &metadata["schematron_results"]["messages"],
    );
    messages.sort_by_key(|m| m.severity != "Error");
    let summary = format!(
        "structure {}, METS schema {}, CSIP rules {}",
        report["structure"]["status"],
        metadata["schema_results"]["status"],
        metadata["schematron_results"]["status"]
    );
    Report {
        messages,
        summary,
        metadata_checked: metadata.is_object(),
    }
}

fn collect(out: &mut Vec<Message>, check: &'static str, messages: &Value) {
    let text = |v: &Value| v.as_str().unwrap_or_default().to_string();
    for m in messages.as_array().into_iter().flatten() {
        out.push(Message {
            check,
            severity: text(&m["severity"]),
            rule: text(&m["rule_id"]),
            message: text(&m["message"]),
        });
    }
}
