//! The mail-folder backend: every message becomes an `.eml` file in a
//! folder, through lettre's file transport.
//!
//! Used locally and in demos, where there is no mail server but a person
//! still wants to read exactly what the moderators would have received; any
//! mail client opens the files.

use std::path::{Path, PathBuf};

use async_trait::async_trait;
use lettre::{AsyncFileTransport, AsyncTransport, Tokio1Executor};

use super::{MailError, Mailer, OutgoingMail, build_message};

/// Writes each message as `<uuid>.eml` into one folder, creating the folder
/// when it is missing.
#[derive(Debug, Clone)]
pub struct FolderMailer {
    dir: PathBuf,
}

impl FolderMailer {
    /// A mailer writing into `dir`; nothing is touched until the first send.
    pub fn new(dir: PathBuf) -> Self {
        Self { dir }
    }

    /// The folder the messages go to.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn io_error(&self, detail: impl std::fmt::Display) -> MailError {
        MailError::Io {
            dir: self.dir.clone(),
            detail: detail.to_string(),
        }
    }
}

#[async_trait]
impl Mailer for FolderMailer {
    async fn send(&self, from: &str, mail: &OutgoingMail) -> Result<(), MailError> {
        let message = build_message(from, mail)?;
        tokio::fs::create_dir_all(&self.dir)
            .await
            .map_err(|e| self.io_error(e))?;
        let transport = AsyncFileTransport::<Tokio1Executor>::new(&self.dir);
        let file_id = transport
            .send(message)
            .await
            .map_err(|e| self.io_error(e))?;
        tracing::debug!(dir = %self.dir.display(), file = %file_id, "Mail written to the mail folder.");
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use mailparse::{MailHeaderMap, ParsedMail};

    use super::*;
    use crate::alerts::Attachment;

    fn mail() -> OutgoingMail {
        OutgoingMail {
            to: vec![
                "Åsa Öberg <asa.oberg@example.se>".to_string(),
                "moderator@example.se".to_string(),
            ],
            cc: vec!["central@example.se".to_string()],
            subject: "Kommentar dold: hets mot folkgrupp på Stockholms stad".to_string(),
            text: "Kommentaren är dold.\nBevispost: 2026/11/23/abc.json".to_string(),
            html: Some("<p>Kommentaren är <b>dold</b>.</p>".to_string()),
            attachments: vec![Attachment {
                filename: "skärmdump.png".to_string(),
                content_type: "image/png".to_string(),
                bytes: vec![0x89, b'P', b'N', b'G', 0, 1, 2, 255],
            }],
            message_id: "removal-7".to_string(),
        }
    }

    fn only_eml_file(dir: &Path) -> Vec<u8> {
        let files: Vec<_> = std::fs::read_dir(dir)
            .expect("read dir")
            .map(|e| e.expect("entry").path())
            .collect();
        assert_eq!(files.len(), 1, "{files:?}");
        assert_eq!(files[0].extension().and_then(|e| e.to_str()), Some("eml"));
        std::fs::read(&files[0]).expect("read eml")
    }

    fn part_with_type<'a>(mail: &'a ParsedMail<'a>, mime: &str) -> Option<&'a ParsedMail<'a>> {
        if mail.ctype.mimetype == mime {
            return Some(mail);
        }
        mail.subparts.iter().find_map(|p| part_with_type(p, mime))
    }

    #[tokio::test]
    async fn writes_a_parseable_eml_with_recipients_encoded_subject_alternatives_and_attachment() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mailer = FolderMailer::new(dir.path().join("outbox"));

        mailer
            .send(
                "Kommentarsvakt Stockholms stad <noreply@example.se>",
                &mail(),
            )
            .await
            .expect("written");

        let raw = only_eml_file(&dir.path().join("outbox"));
        let parsed = mailparse::parse_mail(&raw).expect("parseable");
        let raw_subject = parsed
            .headers
            .iter()
            .find(|h| h.get_key() == "Subject")
            .map(|h| String::from_utf8_lossy(h.get_value_raw()).to_string())
            .expect("subject");
        assert!(raw_subject.is_ascii(), "{raw_subject}");
        assert!(
            raw_subject.to_ascii_lowercase().contains("=?utf-8?"),
            "{raw_subject}"
        );
        assert_eq!(
            parsed.headers.get_first_value("Subject").as_deref(),
            Some("Kommentar dold: hets mot folkgrupp på Stockholms stad")
        );
        let to =
            mailparse::addrparse_header(parsed.headers.get_first_header("To").expect("To header"))
                .expect("To parses");
        let to: Vec<(Option<String>, String)> = to
            .iter()
            .filter_map(|a| match a {
                mailparse::MailAddr::Single(info) => {
                    Some((info.display_name.clone(), info.addr.clone()))
                }
                mailparse::MailAddr::Group(_) => None,
            })
            .collect();
        assert_eq!(
            to,
            [
                (
                    Some("Åsa Öberg".to_string()),
                    "asa.oberg@example.se".to_string()
                ),
                (None, "moderator@example.se".to_string())
            ]
        );
        assert_eq!(
            parsed.headers.get_first_value("Cc").as_deref(),
            Some("central@example.se")
        );
        assert_eq!(parsed.ctype.mimetype, "multipart/mixed");
        let alternative = part_with_type(&parsed, "multipart/alternative").expect("alternative");
        assert_eq!(alternative.subparts.len(), 2);
        let text = part_with_type(alternative, "text/plain").expect("plain part");
        assert_eq!(
            text.get_body().expect("text"),
            "Kommentaren är dold.\r\nBevispost: 2026/11/23/abc.json"
        );
        let html = part_with_type(alternative, "text/html").expect("html part");
        assert_eq!(
            html.get_body().expect("html"),
            "<p>Kommentaren är <b>dold</b>.</p>"
        );
        let image = part_with_type(&parsed, "image/png").expect("attachment");
        assert_eq!(
            image
                .get_content_disposition()
                .params
                .get("filename")
                .map(String::as_str),
            Some("skärmdump.png")
        );
        assert_eq!(
            image.get_body_raw().expect("bytes"),
            [0x89, b'P', b'N', b'G', 0, 1, 2, 255]
        );
    }

    #[tokio::test]
    async fn plain_text_mail_is_a_single_text_part() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mailer = FolderMailer::new(dir.path().to_path_buf());
        let mut plain = mail();
        plain.html = None;
        plain.attachments.clear();

        mailer
            .send("noreply@example.se", &plain)
            .await
            .expect("written");

        let raw = only_eml_file(dir.path());
        let parsed = mailparse::parse_mail(&raw).expect("parseable");
        assert_eq!(parsed.ctype.mimetype, "text/plain");
        assert!(parsed.subparts.is_empty());
    }

    #[tokio::test]
    async fn folder_that_cannot_be_written_is_an_io_error() {
        let dir = tempfile::tempdir().expect("tempdir");
        // A regular file where the folder should be: fails even for root,
        // which ignores permission bits.
        let blocked = dir.path().join("not-a-folder");
        std::fs::write(&blocked, b"x").expect("write file");
        let mailer = FolderMailer::new(blocked.clone());

        let err = mailer
            .send("noreply@example.se", &mail())
            .await
            .expect_err("cannot write");

        assert!(
            matches!(&err, MailError::Io { dir, .. } if *dir == blocked),
            "{err:?}"
        );
        assert!(err.is_retryable());
    }
}
