//! Known abuse media: an attachment whose SHA-256 is on the configured list
//! is hidden as obvious barnpornografi, another one is left alone, and the
//! attachment bytes are never written anywhere in the archive.

use std::path::Path;

use kommentarsvakt::clock::Clock;
use kommentarsvakt::domain::{Category, ModerationAction};
use kommentarsvakt::platforms::simulator::PlantedComment;
use sha2::{Digest, Sha256};

use crate::support::app::TestApp;

/// Image bytes with a marker that can be searched for in the archive.
fn image(marker: &str) -> Vec<u8> {
    let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
    for i in 0..200 {
        bytes.extend_from_slice(format!("{marker}-{i:04};").as_bytes());
    }
    bytes
}

/// Whether any file under `dir` contains `needle`.
fn found_under(dir: &Path, needle: &[u8]) -> Vec<String> {
    let mut hits = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let bytes = std::fs::read(&path).unwrap();
                if bytes.windows(needle.len()).any(|w| w == needle) {
                    hits.push(path.display().to_string());
                }
            }
        }
    }
    hits
}

/// Configures a media hash list holding the hash of `bytes`.
fn list_hash_of(app: &TestApp, bytes: &[u8]) {
    let hash_file = app.dir.path().join("media-hashes.txt");
    std::fs::write(
        &hash_file,
        format!(
            "# from the hotline (test)\n{}\n",
            hex::encode(Sha256::digest(bytes))
        ),
    )
    .unwrap();
    let section = format!(
        "\n[classify]\nmedia_hash_list = \"{}\"\n",
        hash_file.display()
    );
    app.write_config_with(|toml| toml + &section);
}

/// A comment with `image` attached, written before the next slot.
fn plant_with_attachment(app: &TestApp, image: Vec<u8>) -> PlantedComment {
    let page = app.sim.pages()[0].id.clone();
    let at = app.clock.now() + chrono::Duration::minutes(1);
    app.sim
        .plant_comment(&page, at, "Titta på den här", Some(image))
        .unwrap()
}

#[tokio::test]
async fn an_attachment_on_the_media_hash_list_is_hidden_and_its_bytes_stored_nowhere() {
    let app = TestApp::start().await;
    let listed = image("LISTAD-BILD");
    let unlisted = image("VANLIG-BILD");
    list_hash_of(&app, &listed);
    let pipeline = app.pipeline().await;

    let with_listed = plant_with_attachment(&app, listed);
    let with_unlisted = plant_with_attachment(&app, unlisted);
    app.run_next_slot(&pipeline).await;

    assert!(
        app.sim.comment_state(&with_listed.id).unwrap().hidden,
        "a listed attachment is obvious: hidden by the default policy"
    );
    assert!(!app.sim.comment_state(&with_unlisted.id).unwrap().hidden);

    let store = pipeline.store();
    let listed_row = &store.comment_versions(&with_listed.id).await.unwrap()[0];
    let findings = store.findings(listed_row.id).await.unwrap();
    assert!(
        findings
            .iter()
            .any(|f| f.rule == "il.barnpornografi.media_hash"
                && f.category == Category::Barnpornografi),
        "{findings:?}"
    );
    assert!(
        listed_row.record_path.is_some(),
        "an evidence record was written"
    );
    let unlisted_row = &store.comment_versions(&with_unlisted.id).await.unwrap()[0];
    assert!(
        store.findings(unlisted_row.id).await.unwrap().is_empty(),
        "an attachment not on the list is no finding"
    );

    for marker in ["LISTAD-BILD", "VANLIG-BILD"] {
        let hits = found_under(&app.archive_dir(), marker.as_bytes());
        assert!(hits.is_empty(), "attachment bytes in the archive: {hits:?}");
    }
}

/// As the service is built (no test server trusted), an attachment on plain
/// http at a loopback address is never fetched: the comment goes to a
/// person, even with listed bytes behind the URL.
#[tokio::test]
async fn an_attachment_on_an_internal_http_address_is_refused_and_goes_to_a_person() {
    let app = TestApp::start().await;
    let listed = image("LISTAD-BILD");
    list_hash_of(&app, &listed);
    let pipeline = app.pipeline_as_in_production().await;

    let planted = plant_with_attachment(&app, listed);
    app.run_next_slot(&pipeline).await;

    assert!(
        !app.sim.comment_state(&planted.id).unwrap().hidden,
        "had the listed bytes been fetched, the comment would be hidden"
    );
    let store = pipeline.store();
    let row = &store.comment_versions(&planted.id).await.unwrap()[0];
    assert_eq!(row.action, Some(ModerationAction::Review), "{row:?}");
    let findings = store.findings(row.id).await.unwrap();
    assert!(
        findings
            .iter()
            .any(|f| f.rule == "il.barnpornografi.media_unchecked"),
        "{findings:?}"
    );
}
