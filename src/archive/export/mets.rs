//! The two METS documents of a package (E-ARK CSIP and SIP profiles):
//!
//! - the package METS at the root identifies the package, points at the
//!   descriptive and preservation metadata, the documentation and the
//!   representation METS;
//! - the representation METS lists every record and screenshot with its
//!   size and checksum, with paths relative to the representation folder.
//!
//! Both carry the same identification (type, content information type,
//! profile) and header (the service as the creating software).

use std::path::Path;

use quick_xml::Writer;
use quick_xml::events::BytesText;

use super::schemas::{CSIP_EXTENSION, METS, PackageSchemas, Standard, XLINK};
use super::{
    DOCUMENTATION_PATH, ExportError, ExportRequest, PackageFile, PackageParts, REP_DIR,
    REP_METS_PATH, SIP_PROFILE, finish, io_error, mime_type, new_writer, package_label, xml_time,
};
use crate::archive::record::RECORD_FORMAT;

const XSI_NS: &str = "http://www.w3.org/2001/XMLSchema-instance";
/// The standards a METS document of ours uses, for `xsi:schemaLocation`.
const METS_STANDARDS: [Standard; 3] = [METS, XLINK, CSIP_EXTENSION];
/// The content category: not in the CSIP vocabulary, so `Other` and ours.
const CONTENT_CATEGORY: &str = "Kommentarer i sociala medier";
/// The representation's folder name, its METS `OBJID`.
const REPRESENTATION: &str = "rep1";
const REP_FILE_GROUP: &str = "filegrp-rep1";
const DOCUMENTATION_FILE_GROUP: &str = "filegrp-documentation";
const SCHEMAS_FILE_GROUP: &str = "filegrp-schemas";
const DATA_FILE_GROUP: &str = "filegrp-data";

type XmlResult = std::io::Result<()>;
type MetsWriter = Writer<Vec<u8>>;

/// A file as one `mets:file` element lists it.
struct FileEntry<'a> {
    id: String,
    file: &'a PackageFile,
    /// The path from the METS document's folder.
    href: &'a str,
}

/// The package METS (CSIP/SIP): identifies the package and points at the
/// metadata, the documentation, the schemas and the representation METS.
pub(super) fn package_mets_xml(
    request: &ExportRequest<'_>,
    objid: &str,
    parts: &PackageParts,
    schemas: &PackageSchemas,
) -> Result<Vec<u8>, ExportError> {
    let created = xml_time(request.created_at);
    let label = package_label(request);
    let schema_location = schemas.schema_location("METS.xml", &METS_STANDARDS);
    let mut w = new_writer()?;
    w.create_element("mets:mets")
        .with_attributes(root_attributes(objid, &label, &schema_location))
        .write_inner_content(|w| {
            mets_header(w, &created, request.department)?;
            md_section(w, "mets:dmdSec", "dmd-ead", "EAD", &parts.ead, &created)?;
            w.create_element("mets:amdSec")
                .with_attribute(("ID", "amd-1"))
                .write_inner_content(|w| {
                    md_section(
                        w,
                        "mets:digiprovMD",
                        "digiprov-premis",
                        "PREMIS",
                        &parts.premis,
                        &created,
                    )
                })?;
            package_file_section(w, parts, &created)?;
            package_struct_map(w, objid, !parts.schemas.is_empty())
        })
        .map_err(io_error(Path::new("METS.xml")))?;
    Ok(finish(w))
}

/// The representation METS: every data file with size and checksum.
pub(super) fn representation_mets_xml(
    request: &ExportRequest<'_>,
    data: &[PackageFile],
    schemas: &PackageSchemas,
) -> Result<Vec<u8>, ExportError> {
    let created = xml_time(request.created_at);
    let label = package_label(request);
    let schema_location = schemas.schema_location(REP_METS_PATH, &METS_STANDARDS);
    let prefix = format!("{REP_DIR}/");
    let entries: Vec<FileEntry<'_>> = data
        .iter()
        .enumerate()
        .map(|(index, file)| FileEntry {
            id: format!("file-{:06}", index + 1),
            file,
            href: file.path.strip_prefix(&prefix).unwrap_or(&file.path),
        })
        .collect();
    let mut w = new_writer()?;
    w.create_element("mets:mets")
        .with_attributes(root_attributes(REPRESENTATION, &label, &schema_location))
        .write_inner_content(|w| {
            mets_header(w, &created, None)?;
            w.create_element("mets:fileSec")
                .with_attribute(("ID", "filesec-rep1"))
                .write_inner_content(|w| {
                    file_group(w, DATA_FILE_GROUP, "Data", false, &entries, &created)
                })?;
            representation_struct_map(w)
        })
        .map_err(io_error(Path::new(REP_METS_PATH)))?;
    Ok(finish(w))
}

/// Namespaces, identity, content type and profile of a METS root.
fn root_attributes<'a>(
    objid: &'a str,
    label: &'a str,
    schema_location: &'a str,
) -> [(&'a str, &'a str); 12] {
    [
        ("xmlns:mets", METS.namespace),
        ("xmlns:csip", CSIP_EXTENSION.namespace),
        ("xmlns:xlink", XLINK.namespace),
        ("xmlns:xsi", XSI_NS),
        ("xsi:schemaLocation", schema_location),
        ("OBJID", objid),
        ("LABEL", label),
        ("TYPE", "Other"),
        ("csip:OTHERTYPE", CONTENT_CATEGORY),
        ("csip:CONTENTINFORMATIONTYPE", "OTHER"),
        ("csip:OTHERCONTENTINFORMATIONTYPE", RECORD_FORMAT),
        ("PROFILE", SIP_PROFILE),
    ]
}

/// The header: a new submission, made by this service (CSIP's mandatory
/// software agent) for the owning department (the archivist, when known).
fn mets_header(w: &mut MetsWriter, created: &str, department: Option<&str>) -> XmlResult {
    w.create_element("mets:metsHdr")
        .with_attributes([
            ("CREATEDATE", created),
            ("LASTMODDATE", created),
            ("RECORDSTATUS", "NEW"),
            ("csip:OAISPACKAGETYPE", "SIP"),
        ])
        .write_inner_content(|w| {
            software_agent(w)?;
            if let Some(department) = department {
                archivist_agent(w, department)?;
            }
            Ok(())
        })
        .map(|_| ())
}

fn software_agent(w: &mut MetsWriter) -> XmlResult {
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
        })
        .map(|_| ())
}

fn archivist_agent(w: &mut MetsWriter, department: &str) -> XmlResult {
    w.create_element("mets:agent")
        .with_attributes([("ROLE", "ARCHIVIST"), ("TYPE", "ORGANIZATION")])
        .write_inner_content(|w| {
            w.create_element("mets:name")
                .write_text_content(BytesText::new(department))
                .map(|_| ())
        })
        .map(|_| ())
}

/// A `dmdSec` or `digiprovMD` referencing a metadata file.
fn md_section(
    w: &mut MetsWriter,
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

/// The package's files: the documentation, the schemas (when there are
/// any), and the representation METS standing for the representation's
/// content.
fn package_file_section(w: &mut MetsWriter, parts: &PackageParts, created: &str) -> XmlResult {
    let documentation = [FileEntry {
        id: "file-documentation".to_string(),
        file: &parts.documentation,
        href: DOCUMENTATION_PATH,
    }];
    let schemas: Vec<FileEntry<'_>> = parts
        .schemas
        .iter()
        .enumerate()
        .map(|(index, file)| FileEntry {
            id: format!("file-schema-{:03}", index + 1),
            file,
            href: &file.path,
        })
        .collect();
    let representation = [FileEntry {
        id: "file-rep1-mets".to_string(),
        file: &parts.representation_mets,
        href: REP_METS_PATH,
    }];
    w.create_element("mets:fileSec")
        .with_attribute(("ID", "filesec-1"))
        .write_inner_content(|w| {
            file_group(
                w,
                DOCUMENTATION_FILE_GROUP,
                "Documentation",
                false,
                &documentation,
                created,
            )?;
            if !schemas.is_empty() {
                file_group(w, SCHEMAS_FILE_GROUP, "Schemas", false, &schemas, created)?;
            }
            file_group(
                w,
                REP_FILE_GROUP,
                "Representations/rep1",
                true,
                &representation,
                created,
            )
        })
        .map(|_| ())
}

/// A `fileGrp`; `content` marks the one holding the records, which names
/// their content information type.
fn file_group(
    w: &mut MetsWriter,
    id: &str,
    usage: &str,
    content: bool,
    entries: &[FileEntry<'_>],
    created: &str,
) -> XmlResult {
    let mut group = w
        .create_element("mets:fileGrp")
        .with_attributes([("ID", id), ("USE", usage)]);
    if content {
        group = group.with_attributes([
            ("csip:CONTENTINFORMATIONTYPE", "OTHER"),
            ("csip:OTHERCONTENTINFORMATIONTYPE", RECORD_FORMAT),
        ]);
    }
    group
        .write_inner_content(|w| {
            for entry in entries {
                mets_file(w, entry, created)?;
            }
            Ok(())
        })
        .map(|_| ())
}

fn mets_file(w: &mut MetsWriter, entry: &FileEntry<'_>, created: &str) -> XmlResult {
    let size = entry.file.size.to_string();
    let checksum = entry.file.sha256.to_uppercase();
    w.create_element("mets:file")
        .with_attributes([
            ("ID", entry.id.as_str()),
            ("MIMETYPE", mime_type(&entry.file.path)),
            ("SIZE", size.as_str()),
            ("CREATED", created),
            ("CHECKSUM", checksum.as_str()),
            ("CHECKSUMTYPE", "SHA-256"),
        ])
        .write_inner_content(|w| {
            w.create_element("mets:FLocat")
                .with_attributes([
                    ("LOCTYPE", "URL"),
                    ("xlink:type", "simple"),
                    ("xlink:href", entry.href),
                ])
                .write_empty()
                .map(|_| ())
        })
        .map(|_| ())
}

/// CSIP's structural map: metadata, documentation, schemas (when there are
/// any), and the representations with a pointer to each representation's
/// METS.
fn package_struct_map(w: &mut MetsWriter, objid: &str, has_schemas: bool) -> XmlResult {
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
                    pointer_division(
                        w,
                        "div-documentation",
                        "Documentation",
                        DOCUMENTATION_FILE_GROUP,
                    )?;
                    if has_schemas {
                        pointer_division(w, "div-schemas", "Schemas", SCHEMAS_FILE_GROUP)?;
                    }
                    representations_division(w)
                })
                .map(|_| ())
        })
        .map(|_| ())
}

/// A `div` that points at a whole file group.
fn pointer_division(w: &mut MetsWriter, id: &str, label: &str, file_group: &str) -> XmlResult {
    w.create_element("mets:div")
        .with_attributes([("ID", id), ("LABEL", label)])
        .write_inner_content(|w| {
            w.create_element("mets:fptr")
                .with_attribute(("FILEID", file_group))
                .write_empty()
                .map(|_| ())
        })
        .map(|_| ())
}

fn representations_division(w: &mut MetsWriter) -> XmlResult {
    w.create_element("mets:div")
        .with_attributes([("ID", "div-representations"), ("LABEL", "Representations")])
        .write_inner_content(|w| {
            w.create_element("mets:fptr")
                .with_attribute(("FILEID", REP_FILE_GROUP))
                .write_empty()?;
            w.create_element("mets:div")
                .with_attributes([("ID", "div-rep1"), ("LABEL", "Representations/rep1")])
                .write_inner_content(|w| {
                    w.create_element("mets:mptr")
                        .with_attributes([
                            ("LOCTYPE", "URL"),
                            ("xlink:type", "simple"),
                            ("xlink:href", REP_METS_PATH),
                            ("xlink:title", REP_FILE_GROUP),
                        ])
                        .write_empty()
                        .map(|_| ())
                })?;
            Ok(())
        })
        .map(|_| ())
}

fn representation_struct_map(w: &mut MetsWriter) -> XmlResult {
    w.create_element("mets:structMap")
        .with_attributes([
            ("ID", "structmap-rep1"),
            ("TYPE", "PHYSICAL"),
            ("LABEL", "CSIP"),
        ])
        .write_inner_content(|w| {
            w.create_element("mets:div")
                .with_attributes([("ID", "div-rep1"), ("LABEL", REPRESENTATION)])
                .write_inner_content(|w| pointer_division(w, "div-data", "Data", DATA_FILE_GROUP))
                .map(|_| ())
        })
        .map(|_| ())
}
