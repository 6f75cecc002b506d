//! Export for the city archive: a CSIP-shaped package whose METS documents
//! are well-formed and whose manifest and fileSec hashes match the files,
//! and which the E-ARK validator accepts.

use std::collections::HashMap;
use std::path::Path;

use chrono::Duration;
use kommentarsvakt::archive::export::{ExportRequest, MANIFEST, SIP_PROFILE, export};
use quick_xml::Reader;
use quick_xml::events::Event;
use sha2::{Digest, Sha256};

use crate::retention::app_after_one_slot;

type Element = (String, HashMap<String, String>);

fn sha256_of(path: &Path) -> String {
    hex::encode(Sha256::digest(std::fs::read(path).unwrap()))
}

/// Every element of an XML file with its attributes; panics if the file
/// is not well-formed (mismatched or unclosed tags, bad escapes).
fn elements(path: &Path) -> Vec<Element> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut reader = Reader::from_str(&text);
    let mut out = Vec::new();
    let mut open = 0i32;
    loop {
        let event = reader.read_event().unwrap();
        let element = match &event {
            Event::Start(e) | Event::Empty(e) => Some(e.clone()),
            _ => None,
        };
        if let Some(e) = element {
            let attrs = e
                .attributes()
                .map(|a| {
                    let a = a.unwrap();
                    (
                        String::from_utf8(a.key.as_ref().to_vec()).unwrap(),
                        a.unescape_value().unwrap().into_owned(),
                    )
                })
                .collect();
            out.push((
                String::from_utf8(e.name().as_ref().to_vec()).unwrap(),
                attrs,
            ));
        }
        match event {
            Event::Start(_) => open += 1,
            Event::End(_) => open -= 1,
            Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(open, 0, "{} has unclosed elements", path.display());
    out
}

/// The `xlink:href` of every `mets:file` in a METS document, after checking
/// that the file exists below `dir` with the checksum the METS gives.
fn checked_files(mets: &[Element], dir: &Path) -> Vec<String> {
    let mut hrefs = Vec::new();
    let mut checksum = None;
    for (name, attrs) in mets {
        match name.as_str() {
            "mets:file" => {
                assert_eq!(attrs["CHECKSUMTYPE"], "SHA-256");
                checksum = Some(attrs["CHECKSUM"].to_lowercase());
            }
            "mets:FLocat" => {
                let href = &attrs["xlink:href"];
                let expected = checksum.take().expect("FLocat inside a mets:file");
                assert_eq!(expected, sha256_of(&dir.join(href)), "{href}");
                hrefs.push(href.clone());
            }
            _ => {}
        }
    }
    hrefs
}

#[tokio::test]
async fn export_writes_a_csip_package_whose_mets_and_manifest_match_the_files() {
    let (app, _pipeline) = app_after_one_slot().await;
    let root = app.archive_dir();
    let today = app.clock_date();
    // A screenshot beside one record travels with it.
    let first_record =
        std::fs::read_dir(root.join(format!("records/konto-0/{}", today.format("%Y/%m/%d"))))
            .ok()
            .and_then(|mut d| d.next())
            .map(|e| e.unwrap().path());
    if let Some(record) = &first_record {
        std::fs::write(record.with_extension("png"), b"\x89PNG fake").unwrap();
    }
    let out = app.dir.path().join("leverans");
    let summary = export(
        &root,
        &ExportRequest {
            account_key: "konto-0",
            account_name: "Testkonto 0 <&>",
            department: Some("Stadsledningskontoret"),
            from: today - Duration::days(4),
            to: today,
            created_at: chrono::Utc::now(),
        },
        &out,
    )
    .unwrap();
    assert!(summary.records > 0);
    // Flagged comments carry a screenshot; the test added one more by hand.
    assert!(summary.images >= usize::from(first_record.is_some()));

    let mets = elements(&out.join("METS.xml"));
    let (name, attrs) = &mets[0];
    assert_eq!(name, "mets:mets");
    assert_eq!(attrs["OBJID"], summary.objid);
    assert_eq!(attrs["PROFILE"], SIP_PROFILE);
    assert_eq!(attrs["xmlns:mets"], "http://www.loc.gov/METS/");
    assert!(
        attrs["LABEL"].contains("Testkonto 0 <&>"),
        "escaped and read back"
    );
    let hdr = &mets.iter().find(|(n, _)| n == "mets:metsHdr").unwrap().1;
    assert_eq!(hdr["csip:OAISPACKAGETYPE"], "SIP");
    let struct_map = &mets.iter().find(|(n, _)| n == "mets:structMap").unwrap().1;
    assert_eq!(struct_map["TYPE"], "PHYSICAL");
    assert_eq!(struct_map["LABEL"], "CSIP");

    // The package METS lists the documentation and the representation
    // METS, which lists every record and screenshot.
    let package_files = checked_files(&mets, &out);
    assert_eq!(
        package_files,
        [
            "documentation/om-leveransen.txt",
            "representations/rep1/METS.xml"
        ]
    );
    let pointer = &mets.iter().find(|(n, _)| n == "mets:mptr").unwrap().1;
    assert_eq!(pointer["xlink:href"], "representations/rep1/METS.xml");
    let rep_dir = out.join("representations/rep1");
    let representation = elements(&rep_dir.join("METS.xml"));
    assert_eq!(representation[0].1["OBJID"], "rep1");
    assert_eq!(representation[0].1["PROFILE"], SIP_PROFILE);
    let data_files = checked_files(&representation, &rep_dir);
    assert_eq!(data_files.len(), summary.records + summary.images);
    assert!(
        data_files
            .iter()
            .all(|href| href.starts_with("data/records/konto-0/")),
        "{data_files:?}"
    );
    let documentation =
        std::fs::read_to_string(out.join("documentation/om-leveransen.txt")).unwrap();
    assert!(documentation.contains(&summary.objid), "{documentation}");
    assert!(
        documentation.contains(&format!("{} bevisposter", summary.records)),
        "{documentation}"
    );
    for (_, md) in mets.iter().filter(|(n, _)| n == "mets:mdRef") {
        let path = out.join(&md["xlink:href"]);
        assert_eq!(md["CHECKSUM"].to_lowercase(), sha256_of(&path));
        elements(&path);
    }

    let manifest = std::fs::read_to_string(out.join(MANIFEST)).unwrap();
    let mut listed = Vec::new();
    for line in manifest.lines() {
        let (hash, path) = line.split_once("  ").unwrap();
        assert_eq!(hash, sha256_of(&out.join(path)), "{path}");
        listed.push(path.to_string());
    }
    let mut on_disk = Vec::new();
    let mut stack = vec![out.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let relative = path
                    .strip_prefix(&out)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                if relative != MANIFEST {
                    on_disk.push(relative);
                }
            }
        }
    }
    listed.sort();
    on_disk.sort();
    assert_eq!(listed, on_disk, "the manifest covers every file");

    let again = export(
        &root,
        &ExportRequest {
            account_key: "konto-0",
            account_name: "x",
            department: None,
            from: today,
            to: today,
            created_at: chrono::Utc::now(),
        },
        &out,
    );
    assert!(again.is_err(), "never writes into a non-empty directory");
}

#[tokio::test]
async fn an_altered_record_or_a_path_like_key_stops_the_export() {
    let (app, pipeline) = app_after_one_slot().await;
    let root = app.archive_dir();
    let today = app.clock_date();
    let request = |key: &'static str| ExportRequest {
        account_key: key,
        account_name: "Testkonto",
        department: None,
        from: today - Duration::days(4),
        to: today,
        created_at: chrono::Utc::now(),
    };
    let escape = export(&root, &request("../konto-0"), &app.dir.path().join("a"));
    assert!(escape.is_err(), "a key is never a path");

    let version = pipeline
        .store()
        .comment_versions(&crate::retention::hidden_ids(&app)[0])
        .await
        .unwrap()
        .remove(0);
    let record = root.join(version.record_path.unwrap());
    let mut bytes = std::fs::read(&record).unwrap();
    bytes[30] ^= 1;
    std::fs::write(&record, bytes).unwrap();
    let account: &'static str = match version.account_key.as_str() {
        "konto-0" => "konto-0",
        "konto-1" => "konto-1",
        _ => "konto-2",
    };
    let err = export(&root, &request(account), &app.dir.path().join("b")).unwrap_err();
    assert!(err.to_string().contains("archive verify"), "{err}");
}

/// Errors that eark-validator 1.1.3 reports on every package of ours and
/// that are accepted for now, each with its reason. Any other error fails
/// the test, and so does an accepted one that no longer appears: it has
/// been fixed and must leave this list.
const ACCEPTED_ERRORS: [(&str, &str); 4] = [
    (
        "SIP14",
        "validator defect: the rule wants an un-namespaced NOTETYPE=\"IDENTIFICATIONCODE\" \
         on the note of every CREATOR agent, but CSIP12-16 make the CREATOR the software \
         agent with one note csip:NOTETYPE=\"SOFTWARE VERSION\", and the METS schema allows \
         no un-namespaced attribute on a note: no SIP passes both",
    ),
    (
        "CSIP63",
        "validator defect: the rule's test only passes for a fileGrp with \
         csip:CONTENTINFORMATIONTYPE=\"OTHER\", so it fires on the Documentation group, \
         which names no content information type (as in the CSIP spec's own example)",
    ),
    (
        "CSIP113",
        "no schemas/ folder: CSIP wants the XSDs the package uses (METS, XLink, the DILCIS \
         METS extension, PREMIS 3, EAD 2002) inside it; shipping third-party schema files \
         awaits a decision",
    ),
    (
        "CSIP99",
        "the same: without schema files there is no Schemas division in the structMap",
    ),
];

/// The city archive checks deliveries with the E-ARK validator: folder
/// structure, the METS against its schema, and the CSIP and SIP rules. A
/// package it rejects would be sent back, so any error not in
/// [`ACCEPTED_ERRORS`] fails here, with every message the validator gave.
/// The package is kept (path printed) when the test fails.
#[tokio::test]
async fn the_exported_package_passes_the_e_ark_validator() {
    let Some(validator) = crate::support::eark::validator() else {
        return;
    };
    let (app, _pipeline) = app_after_one_slot().await;
    let today = app.clock_date();
    let package_dir = tempfile::tempdir().unwrap();
    let out = package_dir.path().join("leverans");
    let summary = export(
        &app.archive_dir(),
        &ExportRequest {
            account_key: "konto-0",
            account_name: "Testkonto 0",
            department: Some("Stadsledningskontoret"),
            from: today - Duration::days(4),
            to: today,
            created_at: chrono::Utc::now(),
        },
        &out,
    )
    .unwrap();
    assert!(summary.records > 0 && summary.images > 0, "{summary:?}");

    let report = match crate::support::eark::validate(&validator, &out) {
        Ok(report) => report,
        Err(crash) => keep_and_fail(package_dir, &format!("did not finish: {crash}")),
    };
    let errors = report.errors();
    let accepted = |rule: &str| ACCEPTED_ERRORS.iter().any(|(known, _)| *known == rule);
    let unexpected: Vec<String> = errors
        .iter()
        .filter(|e| e.check != "schematron" || !accepted(&e.rule))
        .map(|e| e.to_string())
        .collect();
    let fixed: Vec<&str> = ACCEPTED_ERRORS
        .iter()
        .map(|(rule, _)| *rule)
        .filter(|rule| !errors.iter().any(|e| e.rule == *rule))
        .collect();
    if unexpected.is_empty() && fixed.is_empty() && report.metadata_checked {
        eprintln!("E-ARK validator: {}", report.listing());
        for (rule, why) in ACCEPTED_ERRORS {
            eprintln!("accepted {rule}: {why}");
        }
        return;
    }
    let mut verdict = format!(
        "rejects the package: {} unexpected error(s)",
        unexpected.len()
    );
    if !fixed.is_empty() {
        verdict.push_str(&format!(
            "; accepted errors no longer reported, remove them from ACCEPTED_ERRORS: {fixed:?}"
        ));
    }
    keep_and_fail(package_dir, &format!("{verdict}\n{}", report.listing()));
}

/// Keeps the package for inspection and fails with the validator's verdict.
fn keep_and_fail(package_dir: tempfile::TempDir, verdict: &str) -> ! {
    let kept = package_dir.keep();
    panic!(
        "the E-ARK validator {verdict}\n(the package is kept in {})",
        kept.display()
    );
}
