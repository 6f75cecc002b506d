//! Export for the city archive: a CSIP-shaped package whose METS is
//! well-formed and whose manifest and fileSec hashes match the files.

use std::collections::HashMap;
use std::path::Path;

use chrono::Duration;
use kommentarsvakt::archive::export::{CSIP_PROFILE, ExportRequest, MANIFEST, export};
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
    assert_eq!(attrs["PROFILE"], CSIP_PROFILE);
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

    let files: Vec<&HashMap<String, String>> = mets
        .iter()
        .filter(|(n, _)| n == "mets:file")
        .map(|(_, a)| a)
        .collect();
    let locations: Vec<&HashMap<String, String>> = mets
        .iter()
        .filter(|(n, _)| n == "mets:FLocat")
        .map(|(_, a)| a)
        .collect();
    assert_eq!(files.len(), summary.records + summary.images);
    for (file, location) in files.iter().zip(&locations) {
        let href = &location["xlink:href"];
        assert!(href.starts_with("representations/rep1/data/records/konto-0/"));
        assert_eq!(file["CHECKSUMTYPE"], "SHA-256");
        assert_eq!(file["CHECKSUM"].to_lowercase(), sha256_of(&out.join(href)));
    }
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
