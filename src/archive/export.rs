//! Export for the city archive (e-arkiv): one account's records over a
//! period as a self-describing submission package (SIP) in the E-ARK CSIP
//! layout that Riksarkivet's FGS Paketstruktur builds on:
//!
//! ```text
//! OUT/METS.xml                                   package METS: header, dmdSec, amdSec, fileSec, structMap
//! OUT/metadata/descriptive/ead.xml               EAD-light description of the delivery
//! OUT/metadata/preservation/premis.xml           PREMIS: every data file with its SHA-256, the export event
//! OUT/documentation/om-leveransen.txt            for the archivist (Swedish): contents, record format, checks
//! OUT/schemas/*.xsd                              the XML schemas the documents use (when configured)
//! OUT/representations/rep1/METS.xml              representation METS: every data file with its checksum
//! OUT/representations/rep1/data/records/…        the evidence records, byte for byte, and their screenshots
//! OUT/manifest-sha256.txt                        `<sha256>  <path>` for every other file
//! ```
//!
//! The package METS points at the representation METS rather than listing
//! every record itself, as CSIP recommends: it stays the same small size
//! however many records a delivery holds (the E-ARK validator 1.1.3 cannot
//! read a package METS that lists files beyond its first 32 KiB). The
//! integration tests run that validator on an exported package; what it
//! still reports, and why, is listed there (`ACCEPTED_ERRORS` in
//! `tests/it/export.rs`): two defects of the validator itself.
//!
//! The schemas come from a folder the operator fills once
//! (`archive.export_schemas_dir`, see `export/schemas.rs`); without it the export
//! still works, but the package lacks `schemas/`, is not CSIP-complete, and
//! the summary says so ([`ExportSummary::schema_gaps`]).
//!
//! Records are picked by the date in their path (the comment's creation
//! date, UTC) and re-hashed on the way: an altered record stops the export,
//! since a package must never carry evidence that no longer matches its
//! chain. Screenshots (`<stem>.png` beside a record) travel with it.

mod documentation;
mod metadata;
mod mets;
mod schemas;

pub use schemas::{SchemaGap, Standard};

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, Event};
use sha2::{Digest, Sha256};

/// The METS profile the package declares: the E-ARK SIP profile, which
/// extends CSIP with the rules for submissions (FGS Paketstruktur builds on
/// both). The validator requires exactly this URL for a package whose
/// `OAISPACKAGETYPE` is `SIP`.
pub const SIP_PROFILE: &str = "https://earksip.dilcis.eu/profile/E-ARK-SIP.xml";
/// The manifest file at the package root.
pub const MANIFEST: &str = "manifest-sha256.txt";
/// The representation's folder, its METS and its data, from the package root.
const REP_DIR: &str = "representations/rep1";
const REP_METS_PATH: &str = "representations/rep1/METS.xml";
const DATA_DIR: &str = "representations/rep1/data";
const EAD_PATH: &str = "metadata/descriptive/ead.xml";
const PREMIS_PATH: &str = "metadata/preservation/premis.xml";
const DOCUMENTATION_PATH: &str = "documentation/om-leveransen.txt";

/// Why an export failed. A half-written package is left for inspection
/// but must not be delivered.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// A file could not be read or written.
    #[error("export I/O failed at {path}: {source}")]
    Io {
        /// The file concerned.
        path: PathBuf,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// The output directory already holds files.
    #[error("the output directory {0} is not empty; choose a new one")]
    OutputNotEmpty(PathBuf),
    /// A record no longer hashes to its name: run `archive verify`.
    #[error("record {0} does not match its hash; run `kommentarsvakt archive verify`")]
    AlteredRecord(PathBuf),
    /// The account key is not a plain key (it is used as a directory name).
    #[error("{0:?} is not an account key")]
    InvalidAccountKey(String),
    /// The schema folder holds no `*.xsd` file.
    #[error("the schema folder {0} (archive.export_schemas_dir) holds no *.xsd files")]
    NoSchemaFiles(PathBuf),
    /// The period is empty or reversed.
    #[error("the period {from} – {to} is empty")]
    EmptyPeriod {
        /// First day.
        from: NaiveDate,
        /// Last day.
        to: NaiveDate,
    },
}

fn io_error(path: &Path) -> impl FnOnce(std::io::Error) -> ExportError + '_ {
    move |source| ExportError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// What to export.
#[derive(Debug, Clone)]
pub struct ExportRequest<'a> {
    /// The account key (as in the record paths).
    pub account_key: &'a str,
    /// The account's display name, for the description.
    pub account_name: &'a str,
    /// The owning department or company, for the description.
    pub department: Option<&'a str>,
    /// First day (inclusive, UTC date in the record path).
    pub from: NaiveDate,
    /// Last day (inclusive).
    pub to: NaiveDate,
    /// When the package is made.
    pub created_at: DateTime<Utc>,
    /// The folder whose `*.xsd` files go into the package's `schemas/`
    /// (`archive.export_schemas_dir`); `None` leaves the package without
    /// schemas, which CSIP requires.
    pub schemas_dir: Option<&'a Path>,
}

/// One file in the package with its size and hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackageFile {
    /// Path relative to the package root, `/`-separated.
    pub path: String,
    /// Size in bytes.
    pub size: u64,
    /// SHA-256, lower-case hex.
    pub sha256: String,
}

/// What an export wrote.
#[derive(Debug, Clone)]
pub struct ExportSummary {
    /// The package's identifier (METS `OBJID`).
    pub objid: String,
    /// Records exported.
    pub records: usize,
    /// Screenshots exported.
    pub images: usize,
    /// Schema files copied into `schemas/`.
    pub schemas: usize,
    /// Every file in the manifest.
    pub files: Vec<PackageFile>,
    /// Why the package is not CSIP-complete; empty when it is. The
    /// operator must see every one: the city archive rejects such a package.
    pub schema_gaps: Vec<SchemaGap>,
}

impl ExportSummary {
    /// Whether the package carries a schema for every standard it uses.
    pub fn is_csip_complete(&self) -> bool {
        self.schema_gaps.is_empty()
    }
}

/// The records and screenshots copied into the representation.
struct DataFiles {
    files: Vec<PackageFile>,
    records: usize,
    images: usize,
}

/// The package-level files the package METS points at.
struct PackageParts {
    ead: PackageFile,
    premis: PackageFile,
    documentation: PackageFile,
    representation_mets: PackageFile,
    schemas: Vec<PackageFile>,
}

/// Writes the package for one account and period into `out`.
pub fn export(
    archive_root: &Path,
    request: &ExportRequest<'_>,
    out: &Path,
) -> Result<ExportSummary, ExportError> {
    check_request(request)?;
    prepare_output(out)?;
    let objid = package_id(request);
    let data = copy_records(archive_root, request, out)?;
    let schemas = match request.schemas_dir {
        Some(dir) => schemas::PackageSchemas::copy(dir, out)?,
        None => schemas::PackageSchemas::none(),
    };
    let contents = documentation::Contents {
        records: data.records,
        images: data.images,
        schemas: schemas.files.len(),
    };
    let parts = PackageParts {
        ead: write_file(
            out,
            EAD_PATH,
            &metadata::ead_xml(request, &objid, data.records, &schemas)?,
        )?,
        premis: write_file(
            out,
            PREMIS_PATH,
            &metadata::premis_xml(&data.files, request.created_at, &schemas)?,
        )?,
        documentation: write_file(
            out,
            DOCUMENTATION_PATH,
            documentation::text(request, &objid, &contents).as_bytes(),
        )?,
        representation_mets: write_file(
            out,
            REP_METS_PATH,
            &mets::representation_mets_xml(request, &data.files, &schemas)?,
        )?,
        schemas: schemas.files.clone(),
    };
    let package_mets = write_file(
        out,
        "METS.xml",
        &mets::package_mets_xml(request, &objid, &parts, &schemas)?,
    )?;
    let mut files = data.files;
    files.extend(parts.schemas);
    files.extend([
        parts.ead,
        parts.premis,
        parts.documentation,
        parts.representation_mets,
        package_mets,
    ]);
    files.sort_by(|a, b| a.path.cmp(&b.path));
    write_manifest(out, &files)?;
    Ok(ExportSummary {
        objid,
        records: data.records,
        images: data.images,
        schemas: contents.schemas,
        files,
        schema_gaps: schemas.gaps(),
    })
}

fn check_request(request: &ExportRequest<'_>) -> Result<(), ExportError> {
    if request.to < request.from {
        return Err(ExportError::EmptyPeriod {
            from: request.from,
            to: request.to,
        });
    }
    let plain_key = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    if request.account_key.is_empty() || !request.account_key.chars().all(plain_key) {
        return Err(ExportError::InvalidAccountKey(
            request.account_key.to_string(),
        ));
    }
    Ok(())
}

/// The METS `OBJID`: account, period and creation time, so two deliveries
/// never share one.
fn package_id(request: &ExportRequest<'_>) -> String {
    format!(
        "kommentarsvakt-{}-{}-{}-{}",
        request.account_key,
        request.from.format("%Y%m%d"),
        request.to.format("%Y%m%d"),
        request.created_at.format("%Y%m%dT%H%M%SZ")
    )
}

/// The package's title, in METS `LABEL`, the EAD and the documentation.
fn package_label(request: &ExportRequest<'_>) -> String {
    format!(
        "Kommentarer på {} ({}) {} – {}",
        request.account_name, request.account_key, request.from, request.to
    )
}

fn prepare_output(out: &Path) -> Result<(), ExportError> {
    match fs::read_dir(out) {
        Ok(mut entries) => {
            if entries.next().is_some() {
                return Err(ExportError::OutputNotEmpty(out.to_path_buf()));
            }
            Ok(())
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            fs::create_dir_all(out).map_err(io_error(out))
        }
        Err(e) => Err(io_error(out)(e)),
    }
}

/// Copies every record of the period, checked against its hash, and its
/// screenshot into the representation's data folder.
fn copy_records(
    archive_root: &Path,
    request: &ExportRequest<'_>,
    out: &Path,
) -> Result<DataFiles, ExportError> {
    let mut data = DataFiles {
        files: Vec::new(),
        records: 0,
        images: 0,
    };
    for record in records_in_period(archive_root, request)? {
        let bytes = fs::read(&record).map_err(io_error(&record))?;
        check_record_hash(&record, &bytes)?;
        data.files
            .push(copy_into(archive_root, &record, &bytes, out)?);
        data.records += 1;
        let image = record.with_extension("png");
        if image.is_file() {
            let bytes = fs::read(&image).map_err(io_error(&image))?;
            data.files
                .push(copy_into(archive_root, &image, &bytes, out)?);
            data.images += 1;
        }
    }
    Ok(data)
}

/// Record files of the account whose path date lies in the period, sorted.
fn records_in_period(
    archive_root: &Path,
    request: &ExportRequest<'_>,
) -> Result<Vec<PathBuf>, ExportError> {
    let account_dir = archive_root.join("records").join(request.account_key);
    let mut out = Vec::new();
    let mut day = request.from;
    while day <= request.to {
        let dir = account_dir.join(day.format("%Y/%m/%d").to_string());
        match fs::read_dir(&dir) {
            Ok(entries) => {
                for entry in entries {
                    let path = entry.map_err(io_error(&dir))?.path();
                    if path.extension().is_some_and(|e| e == "json") {
                        out.push(path);
                    }
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(io_error(&dir)(e)),
        }
        let Some(next) = day.succ_opt() else { break };
        day = next;
    }
    out.sort();
    Ok(out)
}

fn check_record_hash(record: &Path, bytes: &[u8]) -> Result<(), ExportError> {
    let stem = record.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    if hex::encode(Sha256::digest(bytes)) == stem {
        Ok(())
    } else {
        Err(ExportError::AlteredRecord(record.to_path_buf()))
    }
}

/// Copies an archive file under `representations/rep1/data/`, keeping its
/// path below the archive root.
fn copy_into(
    archive_root: &Path,
    file: &Path,
    bytes: &[u8],
    out: &Path,
) -> Result<PackageFile, ExportError> {
    let relative = file.strip_prefix(archive_root).unwrap_or(file);
    let target = format!("{DATA_DIR}/{}", slash_path(relative));
    write_file(out, &target, bytes)
}

fn slash_path(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Writes a package file and returns its manifest entry.
fn write_file(out: &Path, relative: &str, bytes: &[u8]) -> Result<PackageFile, ExportError> {
    let path = out.join(relative);
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).map_err(io_error(dir))?;
    }
    let mut file = fs::File::create(&path).map_err(io_error(&path))?;
    file.write_all(bytes).map_err(io_error(&path))?;
    file.sync_all().map_err(io_error(&path))?;
    Ok(PackageFile {
        path: relative.to_string(),
        size: bytes.len() as u64,
        sha256: hex::encode(Sha256::digest(bytes)),
    })
}

fn write_manifest(out: &Path, files: &[PackageFile]) -> Result<(), ExportError> {
    let text: String = files
        .iter()
        .map(|f| format!("{}  {}\n", f.sha256, f.path))
        .collect();
    write_file(out, MANIFEST, text.as_bytes()).map(|_| ())
}

fn xml_time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn mime_type(path: &str) -> &'static str {
    if path.ends_with(".json") {
        "application/json"
    } else if path.ends_with(".png") {
        "image/png"
    } else if path.ends_with(".txt") {
        "text/plain"
    } else {
        "application/xml"
    }
}

fn new_writer() -> Result<Writer<Vec<u8>>, ExportError> {
    let mut writer = Writer::new_with_indent(Vec::new(), b' ', 2);
    writer
        .write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))
        .map_err(io_error(Path::new("(xml)")))?;
    Ok(writer)
}

fn finish(writer: Writer<Vec<u8>>) -> Vec<u8> {
    let mut bytes = writer.into_inner();
    bytes.push(b'\n');
    bytes
}
