//! Export for the city archive (e-arkiv): one account's records over a
//! period as a self-describing package in the E-ARK CSIP layout that
//! Riksarkivet's FGS Paketstruktur builds on:
//!
//! ```text
//! OUT/METS.xml                                   package METS: header, dmdSec, amdSec, fileSec, structMap
//! OUT/metadata/descriptive/ead.xml               EAD-light description of the delivery
//! OUT/metadata/preservation/premis.xml           PREMIS: every data file with its SHA-256, the export event
//! OUT/representations/rep1/data/records/…        the evidence records, byte for byte, and their screenshots
//! OUT/manifest-sha256.txt                        `<sha256>  <path>` for every other file
//! ```
//!
//! Records are picked by the date in their path (the comment's creation
//! date, UTC) and re-hashed on the way: an altered record stops the export,
//! since a package must never carry evidence that no longer matches its
//! chain. Screenshots (`<stem>.png` beside a record) travel with it.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};
use sha2::{Digest, Sha256};

/// The CSIP METS profile the package METS follows.
pub const CSIP_PROFILE: &str = "https://earkcsip.dilcis.eu/profile/E-ARK-CSIP.xml";
const METS_NS: &str = "http://www.loc.gov/METS/";
const CSIP_NS: &str = "https://DILCIS.eu/XML/METS/CSIPExtensionMETS";
const XLINK_NS: &str = "http://www.w3.org/1999/xlink";
const XSI_NS: &str = "http://www.w3.org/2001/XMLSchema-instance";
const PREMIS_NS: &str = "http://www.loc.gov/premis/v3";
const EAD_NS: &str = "urn:isbn:1-931666-22-9";
const SCHEMA_LOCATION: &str = "http://www.loc.gov/METS/ http://www.loc.gov/standards/mets/mets.xsd \
     http://www.w3.org/1999/xlink http://www.loc.gov/standards/mets/xlink.xsd \
     https://DILCIS.eu/XML/METS/CSIPExtensionMETS https://earkcsip.dilcis.eu/schema/DILCISExtensionMETS.xsd";
/// The manifest file at the package root.
pub const MANIFEST: &str = "manifest-sha256.txt";
const DATA_DIR: &str = "representations/rep1/data";
const EAD_PATH: &str = "metadata/descriptive/ead.xml";
const PREMIS_PATH: &str = "metadata/preservation/premis.xml";

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
    /// Every file in the manifest.
    pub files: Vec<PackageFile>,
}

/// Writes the package for one account and period into `out`.
pub fn export(
    archive_root: &Path,
    request: &ExportRequest<'_>,
    out: &Path,
) -> Result<ExportSummary, ExportError> {
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
    prepare_output(out)?;
    let objid = format!(
        "kommentarsvakt-{}-{}-{}-{}",
        request.account_key,
        request.from.format("%Y%m%d"),
        request.to.format("%Y%m%d"),
        request.created_at.format("%Y%m%dT%H%M%SZ")
    );
    let mut data = Vec::new();
    let mut records = 0;
    let mut images = 0;
    for record in records_in_period(archive_root, request)? {
        let bytes = fs::read(&record).map_err(io_error(&record))?;
        check_record_hash(&record, &bytes)?;
        data.push(copy_into(archive_root, &record, &bytes, out)?);
        records += 1;
        let image = record.with_extension("png");
        if image.is_file() {
            let bytes = fs::read(&image).map_err(io_error(&image))?;
            data.push(copy_into(archive_root, &image, &bytes, out)?);
            images += 1;
        }
    }
    let ead = write_file(out, EAD_PATH, &ead_xml(request, &objid, records)?)?;
    let premis = write_file(out, PREMIS_PATH, &premis_xml(&data, request.created_at)?)?;
    let mets = write_file(
        out,
        "METS.xml",
        &mets_xml(request, &objid, &ead, &premis, &data)?,
    )?;
    let mut files = data;
    files.extend([ead, premis, mets]);
    files.sort_by(|a, b| a.path.cmp(&b.path));
    write_manifest(out, &files)?;
    Ok(ExportSummary {
        objid,
        records,
        images,
        files,
    })
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

/// The package METS (CSIP): identifies the package, points at the
/// metadata files and lists every data file with its checksum.
fn mets_xml(
    request: &ExportRequest<'_>,
    objid: &str,
    ead: &PackageFile,
    premis: &PackageFile,
    data: &[PackageFile],
) -> Result<Vec<u8>, ExportError> {
    let created = xml_time(request.created_at);
    let label = package_label(request);
    let mut w = new_writer()?;
    w.create_element("mets:mets")
        .with_attributes([
            ("xmlns:mets", METS_NS),
            ("xmlns:csip", CSIP_NS),
            ("xmlns:xlink", XLINK_NS),
            ("xmlns:xsi", XSI_NS),
            ("xsi:schemaLocation", SCHEMA_LOCATION),
            ("OBJID", objid),
            ("LABEL", label.as_str()),
            ("TYPE", "OTHER"),
            ("csip:OTHERTYPE", "Kommentarer i sociala medier"),
            ("csip:CONTENTINFORMATIONTYPE", "OTHER"),
            (
                "csip:OTHERCONTENTINFORMATIONTYPE",
                super::record::RECORD_FORMAT,
            ),
            ("PROFILE", CSIP_PROFILE),
        ])
        .write_inner_content(|w| {
            mets_header(w, &created, request.department)?;
            md_section(w, "mets:dmdSec", "dmd-ead", "EAD", ead, &created)?;
            w.create_element("mets:amdSec")
                .with_attribute(("ID", "amd-1"))
                .write_inner_content(|w| {
                    md_section(
                        w,
                        "mets:digiprovMD",
                        "digiprov-premis",
                        "PREMIS",
                        premis,
                        &created,
                    )
                })?;
            file_section(w, data, &created)?;
            struct_map(w, objid)
        })
        .map_err(io_error(Path::new("METS.xml")))?;
    Ok(finish(w))
}

fn package_label(request: &ExportRequest<'_>) -> String {
    format!(
        "Kommentarer på {} ({}) {} – {}",
        request.account_name, request.account_key, request.from, request.to
    )
}

type XmlResult = std::io::Result<()>;

fn mets_header(w: &mut Writer<Vec<u8>>, created: &str, department: Option<&str>) -> XmlResult {
    w.create_element("mets:metsHdr")
        .with_attributes([
            ("CREATEDATE", created),
            ("RECORDSTATUS", "NEW"),
            ("csip:OAISPACKAGETYPE", "SIP"),
        ])
        .write_inner_content(|w| {
            w.create_element("mets:agent")
                .with_attributes([
                    ("ROLE", "CREATOR"),
                    ("TYPE", "OTHER"),
                    ("OTHERTYPE", "SOFTWARE"),
                ])
                .write_inner_content(|w| {
                    w.create_element("mets:name")
                        .write_text_content(BytesText::new("kommentarsvakt"))?;
                    w.create_element("mets:note")
                        .with_attribute(("csip:NOTETYPE", "SOFTWARE VERSION"))
                        .write_text_content(BytesText::new(env!("CARGO_PKG_VERSION")))?;
                    Ok(())
                })?;
            if let Some(department) = department {
                w.create_element("mets:agent")
                    .with_attributes([("ROLE", "ARCHIVIST"), ("TYPE", "ORGANIZATION")])
                    .write_inner_content(|w| {
                        w.create_element("mets:name")
                            .write_text_content(BytesText::new(department))
                            .map(|_| ())
                    })?;
            }
            Ok(())
        })
        .map(|_| ())
}

/// A `dmdSec` or `digiprovMD` referencing a metadata file.
fn md_section(
    w: &mut Writer<Vec<u8>>,
    element: &str,
    id: &str,
    md_type: &str,
    file: &PackageFile,
    created: &str,
) -> XmlResult {
    let size = file.size.to_string();
    let checksum = file.sha256.to_uppercase();
    w.create_element(element)
        .with_attributes([("ID", id), ("CREATED", created), ("STATUS", "CURRENT")])
        .write_inner_content(|w| {
            w.create_element("mets:mdRef")
                .with_attributes([
                    ("LOCTYPE", "URL"),
                    ("MDTYPE", md_type),
                    ("xlink:type", "simple"),
                    ("xlink:href", file.path.as_str()),
                    ("MIMETYPE", "application/xml"),
                    ("SIZE", size.as_str()),
                    ("CREATED", created),
                    ("CHECKSUM", checksum.as_str()),
                    ("CHECKSUMTYPE", "SHA-256"),
                ])
                .write_empty()
                .map(|_| ())
        })
        .map(|_| ())
}

fn file_section(w: &mut Writer<Vec<u8>>, data: &[PackageFile], created: &str) -> XmlResult {
    w.create_element("mets:fileSec")
        .with_attribute(("ID", "filesec-1"))
        .write_inner_content(|w| {
            w.create_element("mets:fileGrp")
                .with_attributes([
                    ("ID", "filegrp-rep1"),
                    ("USE", "Representations/rep1"),
                    ("csip:CONTENTINFORMATIONTYPE", "OTHER"),
                    (
                        "csip:OTHERCONTENTINFORMATIONTYPE",
                        super::record::RECORD_FORMAT,
                    ),
                ])
                .write_inner_content(|w| {
                    for (index, file) in data.iter().enumerate() {
                        mets_file(w, index + 1, file, created)?;
                    }
                    Ok(())
                })
                .map(|_| ())
        })
        .map(|_| ())
}

fn mets_file(w: &mut Writer<Vec<u8>>, n: usize, file: &PackageFile, created: &str) -> XmlResult {
    let id = format!("file-{n:06}");
    let size = file.size.to_string();
    let checksum = file.sha256.to_uppercase();
    w.create_element("mets:file")
        .with_attributes([
            ("ID", id.as_str()),
            ("MIMETYPE", mime_type(&file.path)),
            ("SIZE", size.as_str()),
            ("CREATED", created),
            ("CHECKSUM", checksum.as_str()),
            ("CHECKSUMTYPE", "SHA-256"),
            ("ADMID", "digiprov-premis"),
        ])
        .write_inner_content(|w| {
            w.create_element("mets:FLocat")
                .with_attributes([
                    ("LOCTYPE", "URL"),
                    ("xlink:type", "simple"),
                    ("xlink:href", file.path.as_str()),
                ])
                .write_empty()
                .map(|_| ())
        })
        .map(|_| ())
}

fn struct_map(w: &mut Writer<Vec<u8>>, objid: &str) -> XmlResult {
    w.create_element("mets:structMap")
        .with_attributes([
            ("ID", "structmap-1"),
            ("TYPE", "PHYSICAL"),
            ("LABEL", "CSIP"),
        ])
        .write_inner_content(|w| {
            w.create_element("mets:div")
                .with_attributes([("ID", "div-package"), ("LABEL", objid)])
                .write_inner_content(|w| {
                    w.create_element("mets:div")
                        .with_attributes([
                            ("ID", "div-metadata"),
                            ("LABEL", "Metadata"),
                            ("DMDID", "dmd-ead"),
                            ("ADMID", "digiprov-premis"),
                        ])
                        .write_empty()?;
                    w.create_element("mets:div")
                        .with_attributes([("ID", "div-rep1"), ("LABEL", "Representations/rep1")])
                        .write_inner_content(|w| {
                            w.create_element("mets:fptr")
                                .with_attribute(("FILEID", "filegrp-rep1"))
                                .write_empty()
                                .map(|_| ())
                        })?;
                    Ok(())
                })
                .map(|_| ())
        })
        .map(|_| ())
}

/// EAD-light: what the delivery is, from whom, for which period.
fn ead_xml(
    request: &ExportRequest<'_>,
    objid: &str,
    records: usize,
) -> Result<Vec<u8>, ExportError> {
    let label = package_label(request);
    let normal = format!(
        "{}/{}",
        request.from.format("%Y-%m-%d"),
        request.to.format("%Y-%m-%d")
    );
    let span = format!("{} – {}", request.from, request.to);
    let extent = format!("{records} poster");
    let mut w = new_writer()?;
    w.create_element("ead")
        .with_attribute(("xmlns", EAD_NS))
        .write_inner_content(|w| {
            w.create_element("eadheader").write_inner_content(|w| {
                w.create_element("eadid")
                    .write_text_content(BytesText::new(objid))?;
                w.create_element("filedesc").write_inner_content(|w| {
                    w.create_element("titlestmt").write_inner_content(|w| {
                        w.create_element("titleproper")
                            .write_text_content(BytesText::new(&label))
                            .map(|_| ())
                    })?;
                    Ok(())
                })?;
                Ok(())
            })?;
            w.create_element("archdesc")
                .with_attribute(("level", "series"))
                .write_inner_content(|w| {
                    w.create_element("did").write_inner_content(|w| {
                        w.create_element("unittitle")
                            .write_text_content(BytesText::new(&label))?;
                        w.create_element("unitdate")
                            .with_attribute(("normal", normal.as_str()))
                            .write_text_content(BytesText::new(&span))?;
                        if let Some(department) = request.department {
                            w.create_element("origination").write_inner_content(|w| {
                                w.create_element("corpname")
                                    .write_text_content(BytesText::new(department))
                                    .map(|_| ())
                            })?;
                        }
                        w.create_element("physdesc").write_inner_content(|w| {
                            w.create_element("extent")
                                .write_text_content(BytesText::new(&extent))
                                .map(|_| ())
                        })?;
                        Ok(())
                    })?;
                    w.create_element("scopecontent").write_inner_content(|w| {
                        w.create_element("p")
                            .write_text_content(BytesText::new(
                                "Kommentarer på kontots inlägg som bevisposter (JSON): \
                                 plattformens data oförändrad, normaliserad kommentar och \
                                 tjänstens bedömning, hashkedjade.",
                            ))
                            .map(|_| ())
                    })?;
                    Ok(())
                })?;
            Ok(())
        })
        .map_err(io_error(Path::new(EAD_PATH)))?;
    Ok(finish(w))
}

/// PREMIS: each data file as an object with its fixity, and the export
/// event by the service.
fn premis_xml(data: &[PackageFile], created_at: DateTime<Utc>) -> Result<Vec<u8>, ExportError> {
    let created = xml_time(created_at);
    let mut w = new_writer()?;
    w.create_element("premis:premis")
        .with_attributes([
            ("xmlns:premis", PREMIS_NS),
            ("xmlns:xsi", XSI_NS),
            ("version", "3.0"),
        ])
        .write_inner_content(|w| {
            for file in data {
                premis_object(w, file)?;
            }
            premis_event(w, &created)?;
            w.create_element("premis:agent").write_inner_content(|w| {
                identifier(w, "premis:agentIdentifier", "agent", "kommentarsvakt")?;
                w.create_element("premis:agentName")
                    .write_text_content(BytesText::new("kommentarsvakt"))?;
                w.create_element("premis:agentType")
                    .write_text_content(BytesText::new("software"))?;
                w.create_element("premis:agentVersion")
                    .write_text_content(BytesText::new(env!("CARGO_PKG_VERSION")))?;
                Ok(())
            })?;
            Ok(())
        })
        .map_err(io_error(Path::new(PREMIS_PATH)))?;
    Ok(finish(w))
}

/// `<premis:xIdentifier>` with type and value children.
fn identifier(w: &mut Writer<Vec<u8>>, element: &str, kind: &str, value: &str) -> XmlResult {
    let prefix = element.trim_end_matches("Identifier");
    w.create_element(element)
        .write_inner_content(|w| {
            w.create_element(format!("{prefix}IdentifierType"))
                .write_text_content(BytesText::new(kind))?;
            w.create_element(format!("{prefix}IdentifierValue"))
                .write_text_content(BytesText::new(value))?;
            Ok(())
        })
        .map(|_| ())
}

fn premis_object(w: &mut Writer<Vec<u8>>, file: &PackageFile) -> XmlResult {
    let size = file.size.to_string();
    w.create_element("premis:object")
        .with_attribute(("xsi:type", "premis:file"))
        .write_inner_content(|w| {
            identifier(w, "premis:objectIdentifier", "local", &file.path)?;
            w.create_element("premis:objectCharacteristics")
                .write_inner_content(|w| {
                    w.create_element("premis:fixity").write_inner_content(|w| {
                        w.create_element("premis:messageDigestAlgorithm")
                            .write_text_content(BytesText::new("SHA-256"))?;
                        w.create_element("premis:messageDigest")
                            .write_text_content(BytesText::new(&file.sha256))?;
                        Ok(())
                    })?;
                    w.create_element("premis:size")
                        .write_text_content(BytesText::new(&size))?;
                    w.create_element("premis:format").write_inner_content(|w| {
                        w.create_element("premis:formatDesignation")
                            .write_inner_content(|w| {
                                w.create_element("premis:formatName")
                                    .write_text_content(BytesText::new(mime_type(&file.path)))
                                    .map(|_| ())
                            })
                            .map(|_| ())
                    })?;
                    Ok(())
                })?;
            Ok(())
        })
        .map(|_| ())
}

fn premis_event(w: &mut Writer<Vec<u8>>, created: &str) -> XmlResult {
    w.create_element("premis:event")
        .write_inner_content(|w| {
            identifier(w, "premis:eventIdentifier", "local", "export-1")?;
            w.create_element("premis:eventType")
                .write_text_content(BytesText::new("packing"))?;
            w.create_element("premis:eventDateTime")
                .write_text_content(BytesText::new(created))?;
            w.create_element("premis:eventDetailInformation")
                .write_inner_content(|w| {
                    w.create_element("premis:eventDetail")
                        .write_text_content(BytesText::new(
                            "Bevisposter exporterade för leverans till e-arkiv; varje post \
                             kontrollerad mot sin hash före paketering.",
                        ))
                        .map(|_| ())
                })?;
            w.create_element("premis:linkingAgentIdentifier")
                .write_inner_content(|w| {
                    w.create_element("premis:linkingAgentIdentifierType")
                        .write_text_content(BytesText::new("agent"))?;
                    w.create_element("premis:linkingAgentIdentifierValue")
                        .write_text_content(BytesText::new("kommentarsvakt"))?;
                    Ok(())
                })?;
            Ok(())
        })
        .map(|_| ())
}
