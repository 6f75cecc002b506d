//! The register of removed content for the registry office (CSV).

use chrono::Duration;
use kommentarsvakt::archive::register::{HEADER, write_register};
use kommentarsvakt::clock::Clock;

use crate::retention::{app_after_one_slot, hidden_ids};

#[tokio::test]
async fn register_lists_every_hidden_comment_with_evidence_and_ticket_but_no_text() {
    let (app, pipeline) = app_after_one_slot().await;
    let now = app.clock.now();
    let mut out = Vec::new();
    let rows = write_register(
        pipeline.store(),
        now - Duration::days(1),
        now + Duration::days(1),
        chrono_tz::Europe::Stockholm,
        &mut out,
    )
    .await
    .unwrap();
    let hidden = hidden_ids(&app);
    assert_eq!(rows, hidden.len());

    let mut reader = csv::Reader::from_reader(out.as_slice());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(header, HEADER);
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), hidden.len());
    for row in &records {
        let id = &row[2];
        assert!(hidden.iter().any(|h| h == id), "{id} was hidden");
        assert_eq!(&row[0], "2026-11-23");
        assert!(row[1].starts_with("konto-"));
        assert!(!row[3].is_empty(), "the category: {row:?}");
        assert!(!row[4].is_empty(), "legal basis");
        let version = &pipeline.store().comment_versions(id).await.unwrap()[0];
        assert_eq!(Some(&row[5]), version.record_sha256.as_deref());
        assert!(
            row[6].contains(&format!("KV-{:06}-REG", version.id)),
            "{row:?}"
        );
        assert_eq!(&row[7], "dold");
        assert_eq!(&row[8], "utförd");
    }
    let text = String::from_utf8(out).unwrap();
    for p in app.sim.planted_until(now) {
        assert!(!text.contains(&p.text), "no comment text in the register");
    }

    let mut empty = Vec::new();
    let none = write_register(
        pipeline.store(),
        now + Duration::days(1),
        now + Duration::days(2),
        chrono_tz::Europe::Stockholm,
        &mut empty,
    )
    .await
    .unwrap();
    assert_eq!(none, 0, "outside the period nothing is listed");
}
