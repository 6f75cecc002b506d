//! The package's `schemas/` folder (CSIP113, CSIP99): the XML schemas its
//! documents use. They come from a folder the operator fills once
//! (`archive.export_schemas_dir`), never from the service itself: the
//! repository holds no third-party schema files, whose licences differ.
//!
//! Each document's `xsi:schemaLocation` points at the copy in `schemas/`
//! (relative to the document) when the folder holds a schema for that
//! namespace, recognised by its `targetNamespace` whatever the file is
//! called, and at the standard's official URL otherwise.

use std::collections::BTreeMap;
use std::fmt;
use std::fs;
use std::path::Path;

use quick_xml::Reader;
use quick_xml::events::Event;

use super::{ExportError, PackageFile, io_error, write_file};
use crate::config::schema_files;

/// The package folder the schemas are copied into.
const SCHEMAS_DIR: &str = "schemas";

/// An XML standard the package's documents use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Standard {
    /// Its name, for the operator.
    pub name: &'static str,
    /// The namespace its schema defines (`targetNamespace`).
    pub namespace: &'static str,
    /// Where its maintainers publish the schema.
    pub url: &'static str,
}

/// METS 1.12, both METS documents.
pub(super) const METS: Standard = Standard {
    name: "METS",
    namespace: "http://www.loc.gov/METS/",
    url: "http://www.loc.gov/standards/mets/mets.xsd",
};
/// XLink as METS uses it (`xlink:href` of every file and metadata pointer).
pub(super) const XLINK: Standard = Standard {
    name: "XLink (METS)",
    namespace: "http://www.w3.org/1999/xlink",
    url: "http://www.loc.gov/standards/mets/xlink.xsd",
};
/// The DILCIS Board's CSIP extension of METS (`csip:` attributes).
pub(super) const CSIP_EXTENSION: Standard = Standard {
    name: "DILCIS METS extension (CSIP)",
    namespace: "https://DILCIS.eu/XML/METS/CSIPExtensionMETS",
    url: "https://earkcsip.dilcis.eu/schema/DILCISExtensionMETS.xsd",
};
/// PREMIS 3, the preservation metadata.
pub(super) const PREMIS: Standard = Standard {
    name: "PREMIS 3",
    namespace: "http://www.loc.gov/premis/v3",
    url: "http://www.loc.gov/standards/premis/v3/premis.xsd",
};
/// EAD 2002, the descriptive metadata.
pub(super) const EAD: Standard = Standard {
    name: "EAD 2002",
    namespace: "urn:isbn:1-931666-22-9",
    url: "http://www.loc.gov/ead/ead.xsd",
};
/// Every standard the package uses: CSIP wants a schema for each inside it.
const USED: [Standard; 5] = [METS, XLINK, CSIP_EXTENSION, PREMIS, EAD];

/// Why a package is not CSIP-complete. An export still succeeds, since the
/// evidence is intact either way, but the operator must be told: the city
/// archive's validator rejects such a package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SchemaGap {
    /// No schema folder configured: the package has no `schemas/` at all.
    NoSchemasFolder,
    /// The schema folder holds no schema for a standard the package uses.
    MissingSchema(Standard),
}

impl fmt::Display for SchemaGap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SchemaGap::NoSchemasFolder => write!(
                f,
                "the package has no schemas/ folder since archive.export_schemas_dir is not \
                 set: it is not CSIP-complete and will not pass CSIP validation \
                 (CSIP113, CSIP99); fill a folder with the XML schemas once and set the key"
            ),
            SchemaGap::MissingSchema(standard) => write!(
                f,
                "archive.export_schemas_dir holds no schema for {} ({}), which the package \
                 uses: CSIP wants every schema the package uses in schemas/; add {}",
                standard.name, standard.namespace, standard.url
            ),
        }
    }
}

/// What the package's `schemas/` folder holds.
pub(super) struct PackageSchemas {
    /// The copied files, with their hashes.
    pub(super) files: Vec<PackageFile>,
    /// Package path of the copy for each namespace a copied schema defines.
    by_namespace: BTreeMap<String, String>,
    /// Whether a schema folder was given at all.
    configured: bool,
}

impl PackageSchemas {
    /// No schema folder: every document points at the official URLs.
    pub(super) fn none() -> Self {
        PackageSchemas {
            files: Vec::new(),
            by_namespace: BTreeMap::new(),
            configured: false,
        }
    }

    /// Copies every `*.xsd` of `from` into the package's `schemas/`.
    pub(super) fn copy(from: &Path, out: &Path) -> Result<Self, ExportError> {
        let sources = schema_files(from).map_err(io_error(from))?;
        if sources.is_empty() {
            return Err(ExportError::NoSchemaFiles(from.to_path_buf()));
        }
        let mut schemas = PackageSchemas {
            configured: true,
            ..PackageSchemas::none()
        };
        for source in sources {
            let bytes = fs::read(&source).map_err(io_error(&source))?;
            let name = source.file_name().unwrap_or_default().to_string_lossy();
            let file = write_file(out, &format!("{SCHEMAS_DIR}/{name}"), &bytes)?;
            if let Some(namespace) = target_namespace(&bytes) {
                schemas
                    .by_namespace
                    .entry(namespace)
                    .or_insert_with(|| file.path.clone());
            }
            schemas.files.push(file);
        }
        Ok(schemas)
    }

    /// The `xsi:schemaLocation` of the document at `document` (a package
    /// path) using `standards`: the local copy, relative to the document,
    /// where there is one, the official URL otherwise.
    pub(super) fn schema_location(&self, document: &str, standards: &[Standard]) -> String {
        let up = "../".repeat(document.matches('/').count());
        standards
            .iter()
            .map(|standard| match self.by_namespace.get(standard.namespace) {
                Some(copy) => format!("{} {up}{copy}", standard.namespace),
                None => format!("{} {}", standard.namespace, standard.url),
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// What keeps the package from being CSIP-complete, if anything.
    pub(super) fn gaps(&self) -> Vec<SchemaGap> {
        if !self.configured {
            return vec![SchemaGap::NoSchemasFolder];
        }
        USED.iter()
            .filter(|standard| !self.by_namespace.contains_key(standard.namespace))
            .map(|standard| SchemaGap::MissingSchema(*standard))
            .collect()
    }
}

/// The `targetNamespace` of a schema's root element; `None` for a file
/// that is not an XML schema with one (it is still copied).
fn target_namespace(bytes: &[u8]) -> Option<String> {
    let mut reader = Reader::from_reader(bytes);
    let mut buffer = Vec::new();
    loop {
        match reader.read_event_into(&mut buffer).ok()? {
            Event::Start(root) | Event::Empty(root) => {
                let attribute = root.try_get_attribute("targetNamespace").ok()??;
                return Some(attribute.unescape_value().ok()?.into_owned());
            }
            Event::Eof => return None,
            _ => buffer.clear(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_schema_is_recognised_by_its_target_namespace() {
        let xsd = br#"<?xml version="1.0"?>
            <!-- a comment first -->
            <xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema"
                targetNamespace="http://www.loc.gov/premis/v3"/>"#;
        assert_eq!(
            target_namespace(xsd).as_deref(),
            Some("http://www.loc.gov/premis/v3")
        );
        assert_eq!(target_namespace(b"not xml at all"), None);
    }

    #[test]
    fn schema_locations_point_at_local_copies_relative_to_the_document() {
        let mut schemas = PackageSchemas::none();
        schemas
            .by_namespace
            .insert(METS.namespace.to_string(), "schemas/mets1_12.xsd".into());
        assert_eq!(
            schemas.schema_location("METS.xml", &[METS, XLINK]),
            "http://www.loc.gov/METS/ schemas/mets1_12.xsd \
             http://www.w3.org/1999/xlink http://www.loc.gov/standards/mets/xlink.xsd"
        );
        assert_eq!(
            schemas.schema_location("representations/rep1/METS.xml", &[METS]),
            "http://www.loc.gov/METS/ ../../schemas/mets1_12.xsd"
        );
    }
}
