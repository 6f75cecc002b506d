//! The descriptive and preservation metadata of a package: an EAD-light
//! description of the delivery and PREMIS fixity for every data file.

use std::path::Path;

use chrono::{DateTime, Utc};
use quick_xml::Writer;
use quick_xml::events::BytesText;

use super::schemas::{EAD, PREMIS, PackageSchemas};
use super::{
    EAD_PATH, ExportError, ExportRequest, PREMIS_PATH, PackageFile, finish, io_error, mime_type,
    new_writer, package_label, xml_time,
};

const XSI_NS: &str = "http://www.w3.org/2001/XMLSchema-instance";

type XmlResult = std::io::Result<()>;

/// EAD-light: what the delivery is, from whom, for which period.
pub(super) fn ead_xml(
    request: &ExportRequest<'_>,
    objid: &str,
    records: usize,
    schemas: &PackageSchemas,
) -> Result<Vec<u8>, ExportError> {
    let schema_location = schemas.schema_location(EAD_PATH, &[EAD]);
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
        .with_attributes([
            ("xmlns", EAD.namespace),
            ("xmlns:xsi", XSI_NS),
            ("xsi:schemaLocation", schema_location.as_str()),
        ])
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
pub(super) fn premis_xml(
    data: &[PackageFile],
    created_at: DateTime<Utc>,
    schemas: &PackageSchemas,
) -> Result<Vec<u8>, ExportError> {
    let created = xml_time(created_at);
    let schema_location = schemas.schema_location(PREMIS_PATH, &[PREMIS]);
    let mut w = new_writer()?;
    w.create_element("premis:premis")
        .with_attributes([
            ("xmlns:premis", PREMIS.namespace),
            ("xmlns:xsi", XSI_NS),
            ("xsi:schemaLocation", schema_location.as_str()),
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
