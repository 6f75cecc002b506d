//! Stage 2, decide: classify every undecided comment version, decide what
//! the policy asks, archive the evidence record, then write the verdict and
//! its consequences in one transaction.

use std::path::Path;

use chrono::{DateTime, Utc};
use serde_json::json;
use sha2::{Digest, Sha256};
use tracing::{error, info, instrument, warn};

use crate::alerts::{self};
use crate::archive::screenshot::{self, EvidenceCard, Screenshot};
use crate::archive::{ArchiveError, ArchiveReceipt, RecordInput};
use crate::classify::illegal::MediaHashList;
use crate::classify::language::RULE_NOT_ASSESSED;
use crate::classify::{Examined, Language};
use crate::decide::{Decision, decide};
use crate::domain::{Capabilities, Finding, ModerationAction, TicketKind};
use crate::platforms::Platform;
use crate::platforms::media::MediaFetcher;
use crate::store::{AuditEvent, DecisionRecord, Followups, StoreError, StoredComment};
use crate::telemetry;

use super::{AccountRuntime, Pipeline, PipelineError, RunSummary, email_item};

/// How many undecided comments are taken per batch in the decide stage.
const DECIDE_BATCH: i64 = 500;
/// The largest attachment fetched for the media hash check (25 MiB); a
/// larger one goes to a person instead.
const MAX_MEDIA_BYTES: usize = 25 * 1024 * 1024;

impl Pipeline {
    /// Stage 2: classifies, decides and archives every undecided comment
    /// version, and records each decision with its consequences.
    ///
    /// Comments are taken in chunks: each chunk is assessed, its evidence
    /// images are drawn in parallel, and then each comment is archived and
    /// its decision recorded in order. An image is only a picture of the
    /// comment; the record that permits an action is still written before
    /// the decision that asks for one, comment by comment.
    pub async fn decide_pending(&self, summary: &mut RunSummary) -> Result<(), PipelineError> {
        let chunk_size = self.render_chunk();
        loop {
            let batch = self.store.undecided_comments(DECIDE_BATCH).await?;
            if batch.is_empty() {
                return Ok(());
            }
            for chunk in batch.chunks(chunk_size) {
                if !self.decide_chunk(chunk, summary).await? {
                    return Ok(());
                }
            }
        }
    }

    /// Comments assessed together so that their images are drawn at once:
    /// enough to keep every Chromium tab busy, few enough that the images
    /// held in memory stay small.
    fn render_chunk(&self) -> usize {
        (self.renderer.concurrency() * 4).max(8)
    }

    /// Decides one chunk; `false` when archiving failed and the stage must
    /// stop (nothing is acted on until the archive works again).
    async fn decide_chunk(
        &self,
        chunk: &[StoredComment],
        summary: &mut RunSummary,
    ) -> Result<bool, PipelineError> {
        let mut assessed = Vec::with_capacity(chunk.len());
        for stored in chunk {
            assessed.push(self.assess(stored).await?);
        }
        let shots = self.draw_evidence(&assessed).await;
        self.report_screenshot_fallbacks(&shots).await?;
        let concluded = self.conclude_all(assessed, shots, summary).await;
        self.anchor_chain().await?;
        concluded
    }

    /// Archives and records each assessed comment in order; `false` when
    /// archiving failed.
    async fn conclude_all(
        &self,
        assessed: Vec<Assessment<'_>>,
        shots: Vec<Option<Screenshot>>,
        summary: &mut RunSummary,
    ) -> Result<bool, PipelineError> {
        for (assessment, shot) in assessed.into_iter().zip(shots) {
            let stored = assessment.stored;
            match self.conclude(assessment, shot, summary.run_id).await {
                Ok(outcome) => {
                    telemetry::decided(outcome.action.as_str());
                    summary.decided += 1;
                    summary.tickets += outcome.tickets.len();
                    if outcome.action == ModerationAction::Review {
                        summary.review += 1;
                    }
                }
                Err(DecideError::Archive(e)) => {
                    error!(comment_row = stored.id, error = %e, "Archiving failed; nothing is acted on until it works");
                    summary.archive_failed = true;
                    telemetry::archive_failed();
                    self.report_archive_problem(&e).await?;
                    return Ok(false);
                }
                Err(DecideError::Store(e)) => return Err(e.into()),
            }
        }
        Ok(true)
    }

    /// Anchors the chain's head in the database once records were appended
    /// to it, so `archive verify` can tell a chain rebuilt or cut short by
    /// whoever can write the archive. A head already anchored is not
    /// written again; a chain that cannot be read is logged (verify names
    /// the problem).
    async fn anchor_chain(&self) -> Result<(), StoreError> {
        let anchor = match self.archive.chain_anchor(self.clock.now()) {
            Ok(Some(anchor)) => anchor,
            Ok(None) => return Ok(()),
            Err(e) => {
                warn!(error = %e, "The evidence chain's head could not be read to anchor it");
                return Ok(());
            }
        };
        let previous = self
            .anchored_seq
            .swap(anchor.head_seq, std::sync::atomic::Ordering::SeqCst);
        if previous != anchor.head_seq {
            self.store.anchor_chain(&anchor).await?;
        }
        Ok(())
    }

    /// Tells operations, once a day, that images were drawn by the built-in
    /// renderer in Chromium's place, and why (each one is counted in the
    /// metrics as it is drawn).
    async fn report_screenshot_fallbacks(
        &self,
        shots: &[Option<Screenshot>],
    ) -> Result<(), StoreError> {
        let mut fallbacks = shots
            .iter()
            .flatten()
            .filter_map(|shot| shot.fallback_from.as_deref());
        let Some(first) = fallbacks.next() else {
            return Ok(());
        };
        let count = 1 + fallbacks.count();
        let now = self.clock.now();
        let key = format!("system:screenshot_fallback:{}", now.format("%Y-%m-%d"));
        let detail = format!(
            "{count} bevisbild(er) i den här omgången ritades av reservritaren. \
             Chromium: {first}"
        );
        let mail = alerts::compose::service_problem(
            &self.config,
            alerts::templates::SystemProblemKind::ScreenshotFallback,
            &detail,
            now,
            key.clone(),
        );
        self.store.enqueue(&email_item(key, &mail), now).await?;
        Ok(())
    }

    /// Classifies one comment version and decides what the policy asks;
    /// prepares its evidence card when it has findings and no record from
    /// before a crash can be adopted.
    #[instrument(skip_all, fields(account = %stored.account_key, comment_id = %stored.comment.platform_id))]
    async fn assess<'a>(&'a self, stored: &'a StoredComment) -> Result<Assessment<'a>, StoreError> {
        let account = self.account_by_id(stored.account_id);
        let classifier = self.classifier();
        let Examined {
            mut findings,
            language,
        } = classifier.examine(&stored.comment.text);
        if account.is_some_and(|a| !a.config.review_unread_languages) {
            // Only the language finding: a detector that failed still sends
            // the comment to a person.
            findings.retain(|f| f.rule != RULE_NOT_ASSESSED);
        }
        let platform = account.and_then(|a| a.platform.as_ref().ok());
        if let (Some(hashes), Some(platform)) = (classifier.media_hashes(), platform) {
            findings.extend(media_findings(stored, platform.as_ref(), &self.media, hashes).await);
            findings.sort_by_key(|f| (f.start, f.end));
        }
        let capabilities = platform
            .map(|p| p.capabilities(&stored.comment))
            .unwrap_or(Capabilities::NONE);
        let decision = decide(&findings, &self.config.policy, capabilities);
        let adopted = self.adopt_unconfirmed(stored, decision.action);
        let card = match (&adopted, findings.is_empty()) {
            (None, false) => Some(self.evidence_card(stored, account).await?),
            _ => None,
        };
        Ok(Assessment {
            stored,
            account,
            findings,
            language,
            decision,
            adopted,
            card,
        })
    }

    /// Draws the chunk's evidence images, as many at once as the renderer
    /// can, in the chunk's order. A card that no renderer could draw has no
    /// image: its record still documents the comment in full, and the
    /// failure is logged for operators.
    async fn draw_evidence(&self, assessed: &[Assessment<'_>]) -> Vec<Option<Screenshot>> {
        let cards: Vec<Option<&EvidenceCard>> = assessed.iter().map(|a| a.card.as_ref()).collect();
        let drawn = images_in_order(self.renderer.as_ref(), &cards).await;
        assessed
            .iter()
            .zip(drawn)
            .map(|(a, image)| match image? {
                Ok(shot) => Some(shot),
                Err(e) => {
                    error!(comment_row = a.stored.id, error = %e, "No screenshot could be made");
                    None
                }
            })
            .collect()
    }

    /// Archives the evidence record (or adopts the one a crash left) and
    /// records the decision with its consequences in one transaction.
    async fn conclude(
        &self,
        assessment: Assessment<'_>,
        screenshot: Option<Screenshot>,
        run_id: i64,
    ) -> Result<Decision, DecideError> {
        let Assessment {
            stored,
            account,
            findings,
            language,
            decision,
            adopted,
            ..
        } = assessment;
        let receipt = match adopted {
            Some(receipt) => receipt,
            None => {
                self.archive_record(stored, account, &findings, decision.action, screenshot)
                    .await?
            }
        };
        let now = self.clock.now();
        let followups = self.followups(stored, account, &findings, &decision, &receipt, now);
        self.store
            .record_decision(
                &DecisionRecord {
                    comment_id: stored.id,
                    findings: &findings,
                    action: decision.action,
                    record_path: &receipt.relative_path().to_string_lossy(),
                    record_sha256: receipt.record_sha256(),
                    decided_at: now,
                    run_id: Some(run_id),
                    language: Some(language.code()),
                },
                &followups,
            )
            .await?;
        Ok(decision)
    }

    /// The receipt of this version's record if a crash left it archived but
    /// undecided, with the same action: the version is not archived twice.
    fn adopt_unconfirmed(
        &self,
        stored: &StoredComment,
        action: ModerationAction,
    ) -> Option<ArchiveReceipt> {
        let key = (
            stored.account_key.clone(),
            stored.comment.platform_id.clone(),
            stored.comment.content_hash(),
        );
        let mut unconfirmed = self
            .unconfirmed
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let identity = unconfirmed.remove(&key)?;
        if identity.action != action {
            // Decided otherwise now (word lists changed): a new record.
            return None;
        }
        info!(
            comment_row = stored.id,
            seq = identity.seq,
            "Adopting the evidence record written before a crash"
        );
        Some(identity.receipt)
    }

    /// Writes the evidence record on a blocking thread (it fsyncs).
    async fn archive_record(
        &self,
        stored: &StoredComment,
        account: Option<&AccountRuntime>,
        findings: &[crate::domain::Finding],
        action: ModerationAction,
        screenshot: Option<Screenshot>,
    ) -> Result<ArchiveReceipt, DecideError> {
        let archive = self.archive.clone();
        let comment = stored.comment.clone();
        let fetched_at = stored.fetched_at;
        let findings = findings.to_vec();
        let key = stored.account_key.clone();
        let (name, platform) = account_label(stored, account);
        tokio::task::spawn_blocking(move || {
            archive.archive_comment(&RecordInput {
                account_key: &key,
                account_name: &name,
                platform,
                comment: &comment,
                fetched_at,
                findings: &findings,
                action,
                screenshot: screenshot.as_ref(),
            })
        })
        .await
        .map_err(|e| {
            DecideError::Archive(ArchiveError::Io {
                path: Path::new("(archive task)").to_path_buf(),
                source: std::io::Error::other(e.to_string()),
            })
        })?
        .map_err(DecideError::Archive)
    }

    /// The card a picture of the comment is drawn from, for flagged
    /// comments: the policy's "documented, for example by a screenshot".
    /// Ordinary comments are documented by their record alone, which keeps
    /// a busy run fast.
    async fn evidence_card(
        &self,
        stored: &StoredComment,
        account: Option<&AccountRuntime>,
    ) -> Result<EvidenceCard, StoreError> {
        let (name, platform) = account_label(stored, account);
        let mut card =
            EvidenceCard::for_comment(&name, platform, &stored.comment, None, stored.fetched_at);
        card.post_excerpt = self
            .store
            .post_text(stored.account_id, &stored.comment.post_id)
            .await?
            .map(|t| screenshot::excerpt(&t));
        Ok(card)
    }

    /// The actions, tickets, e-mails and audit events a decision causes.
    fn followups(
        &self,
        stored: &StoredComment,
        account: Option<&AccountRuntime>,
        findings: &[crate::domain::Finding],
        decision: &Decision,
        receipt: &ArchiveReceipt,
        now: DateTime<Utc>,
    ) -> Followups {
        let mut followups = Followups::default();
        if decision.action.is_platform_action() {
            followups.actions.push(decision.action);
        }
        // The registration of a removal follows the removal, not the
        // decision: the follow-up stage opens it once the platform did it.
        let tickets = decision
            .tickets
            .iter()
            .filter(|k| **k != TicketKind::RemovedContentRegistration);
        for kind in tickets {
            let (ticket, deliveries) = self.ticket_for(
                *kind,
                stored,
                account,
                findings,
                receipt.record_sha256(),
                &receipt.relative_path().to_string_lossy(),
                now,
            );
            followups.tickets.push(ticket);
            followups.outbox.extend(deliveries);
        }
        // A hide or delete is told from its outcome (follow-up stage); a
        // person needed now (review instead of removal, a child at risk) is
        // told at once.
        if decision.immediate_alert
            && !decision.action.is_platform_action()
            && let Some(account) = account
        {
            let key = format!("alert:decision:{}", stored.id);
            let ctx = alerts::compose::DecisionAlert {
                account: &account.config,
                department: self.config.department(&account.config.department),
                stored,
                findings,
                decision,
                receipt,
                console_link: self.config.web.as_ref().map(|w| w.item_url(stored.id)),
            };
            let mail = alerts::compose::decision_alert(&ctx, key.clone());
            followups.outbox.push(email_item(key, &mail));
        }
        followups.audit.push(AuditEvent::service(
            "comment.decided",
            Some(stored.comment.platform_id.clone()),
            json!({
                "comment_row": stored.id,
                "action": decision.action.as_str(),
                "downgraded_from": decision.downgraded_from.map(|a| a.as_str()),
                "rules": findings.iter().map(|f| f.rule.as_str()).collect::<Vec<_>>(),
                "record_sha256": receipt.record_sha256(),
            }),
        ));
        followups
    }
}

/// One comment version on its way through the decide stage: what was
/// found, what the policy asks, and what its evidence is made of.
struct Assessment<'a> {
    stored: &'a StoredComment,
    account: Option<&'a AccountRuntime>,
    findings: Vec<Finding>,
    /// The language the comment was identified as, recorded with the decision.
    language: Language,
    decision: Decision,
    /// The record a crash left archived for this version and action.
    adopted: Option<ArchiveReceipt>,
    /// The picture to draw, for a new record of a flagged comment.
    card: Option<EvidenceCard>,
}

/// The account's name and platform as records and images show them; an
/// account no longer configured is named by its key.
fn account_label(
    stored: &StoredComment,
    account: Option<&AccountRuntime>,
) -> (String, crate::domain::PlatformKind) {
    account
        .map(|a| (a.config.name.clone(), a.config.platform))
        .unwrap_or_else(|| {
            (
                stored.account_key.clone(),
                crate::domain::PlatformKind::Facebook,
            )
        })
}

/// Draws every present card, as many at once as the renderer can, and
/// answers one entry per slot of `cards` in the same order: `None` where
/// there was no card. Images are matched to comments by position, so the
/// order is what makes each record show its own comment.
async fn images_in_order(
    renderer: &dyn screenshot::Renderer,
    cards: &[Option<&EvidenceCard>],
) -> Vec<Option<Result<Screenshot, screenshot::ScreenshotError>>> {
    let present: Vec<EvidenceCard> = cards.iter().flatten().map(|c| (*c).clone()).collect();
    let mut drawn = screenshot::render_all(renderer, &present, renderer.concurrency())
        .await
        .into_iter();
    cards
        .iter()
        .map(|card| card.and_then(|_| drawn.next()))
        .collect()
}

/// Checks each attachment of the comment against the media hash list: the
/// bytes are fetched into memory, hashed and dropped — never written to
/// disk or a log. An attachment that cannot be fetched (or is refused: not
/// https, not a media host, an internal address) is a finding for a
/// person, never silently passed.
async fn media_findings(
    stored: &StoredComment,
    platform: &dyn Platform,
    media: &MediaFetcher,
    hashes: &MediaHashList,
) -> Vec<Finding> {
    let mut findings: Vec<Finding> = Vec::new();
    for url in platform.attachment_urls(&stored.comment) {
        let finding = match media.fetch(platform.kind(), &url, MAX_MEDIA_BYTES).await {
            Ok(bytes) => {
                let digest: [u8; 32] = Sha256::digest(&bytes).into();
                hashes.finding_for(&digest)
            }
            Err(e) => {
                warn!(comment_row = stored.id, error = %e, "An attachment could not be checked against the media hash list; it goes to a person");
                Some(hashes.unchecked_finding())
            }
        };
        if let Some(finding) = finding.filter(|f| !findings.contains(f)) {
            findings.push(finding);
        }
    }
    findings
}

#[derive(Debug)]
enum DecideError {
    Archive(ArchiveError),
    Store(StoreError),
}

impl From<StoreError> for DecideError {
    fn from(e: StoreError) -> Self {
        DecideError::Store(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Confidence, FetchedComment, PlatformKind};
    use std::time::Duration;

    use crate::config::MediaHosts;
    use crate::platforms::{Cursors, Fetch, Harvest, PlatformError};
    use async_trait::async_trait;
    use serde_json::value::RawValue;
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    /// A platform whose comments carry fixed attachment URLs.
    struct Attachments(Vec<String>);

    #[async_trait]
    impl Platform for Attachments {
        fn kind(&self) -> PlatformKind {
            PlatformKind::Facebook
        }
        fn capabilities(&self, _: &FetchedComment) -> Capabilities {
            Capabilities::NONE
        }
        fn verb(&self, action: ModerationAction) -> &'static str {
            action.as_str()
        }
        fn first_fetches(&self, _: &Cursors, _: DateTime<Utc>) -> Vec<Fetch> {
            Vec::new()
        }
        async fn fetch(&self, _: &Fetch, _: &Cursors) -> Result<Harvest, PlatformError> {
            Err(PlatformError::Unsupported { action: "listing" })
        }
        async fn hide(&self, _: &ArchiveReceipt) -> Result<(), PlatformError> {
            Err(PlatformError::Unsupported { action: "hide" })
        }
        async fn unhide(&self, _: &str) -> Result<(), PlatformError> {
            Err(PlatformError::Unsupported { action: "unhide" })
        }
        async fn delete(&self, _: &ArchiveReceipt) -> Result<(), PlatformError> {
            Err(PlatformError::Unsupported { action: "delete" })
        }
        async fn profile(&self) -> Result<crate::domain::AccountProfile, PlatformError> {
            Err(PlatformError::Unsupported { action: "profile" })
        }
        fn attachment_urls(&self, _: &FetchedComment) -> Vec<String> {
            self.0.clone()
        }
    }

    /// A local media host serving `files` (path, bytes), and a fetcher
    /// that trusts exactly that server.
    async fn media_host(files: &[(&str, &[u8])]) -> (MockServer, MediaFetcher) {
        let server = MockServer::start().await;
        for (file, bytes) in files {
            Mock::given(method("GET"))
                .and(path(*file))
                .respond_with(ResponseTemplate::new(200).set_body_raw(bytes.to_vec(), "image/jpeg"))
                .mount(&server)
                .await;
        }
        let fetcher = MediaFetcher::with_test_server(
            MediaHosts::platform_defaults(),
            Duration::from_secs(5),
            *server.address(),
        )
        .unwrap();
        (server, fetcher)
    }

    fn is_review_for_a_person(findings: &[Finding]) {
        assert_eq!(findings.len(), 1, "{findings:?}");
        assert_eq!(findings[0].rule, "il.barnpornografi.media_unchecked");
        assert_eq!(findings[0].confidence, Confidence::Possible);
        let decision = decide(
            findings,
            &crate::domain::PolicyConfig::DEFAULT,
            Capabilities {
                hide: true,
                delete: true,
                permalink: true,
            },
        );
        assert_eq!(decision.action, ModerationAction::Review);
    }

    fn stored() -> StoredComment {
        let raw = RawValue::from_string("{}".to_string()).unwrap_or_else(|e| panic!("{e}"));
        StoredComment {
            id: 1,
            account_id: 1,
            account_key: "konto".into(),
            comment: FetchedComment {
                platform_id: "1_2".into(),
                post_id: "1".into(),
                parent_id: None,
                author_id: None,
                author_name: None,
                text: String::new(),
                created_at: DateTime::UNIX_EPOCH,
                permalink: None,
                is_hidden: false,
                raw,
            },
            fetched_at: DateTime::UNIX_EPOCH,
            state: "new".into(),
            action: None,
            record_path: None,
            record_sha256: None,
            decided_at: None,
            language: None,
        }
    }

    fn list_of(bytes: &[u8]) -> MediaHashList {
        MediaHashList::parse("test", &hex::encode(Sha256::digest(bytes)))
            .unwrap_or_else(|e| panic!("{e}"))
    }

    #[tokio::test]
    async fn an_attachment_that_cannot_be_fetched_goes_to_a_person() {
        let (server, media) = media_host(&[("/ok.jpg", b"ordinary")]).await;
        let platform = Attachments(vec![
            format!("{}/ok.jpg", server.uri()),
            format!("{}/gone.jpg", server.uri()),
        ]);
        let findings = media_findings(&stored(), &platform, &media, &list_of(b"listed")).await;
        is_review_for_a_person(&findings);
    }

    #[tokio::test]
    async fn refused_attachment_urls_are_never_fetched_and_go_to_a_person() {
        let inner = MockServer::start().await;
        let (server, media) = media_host(&[]).await;
        let internal = format!("https://127.0.0.1:{}/secret", inner.address().port());
        Mock::given(method("GET"))
            .and(path("/redirect.jpg"))
            .respond_with(ResponseTemplate::new(302).insert_header("location", internal.as_str()))
            .mount(&server)
            .await;
        for url in [
            format!("{}/redirect.jpg", server.uri()),
            "http://scontent.xx.fbcdn.net/photo.jpg".to_string(),
            internal.clone(),
            "https://attacker.example/photo.jpg".to_string(),
        ] {
            let platform = Attachments(vec![url.clone()]);
            let findings = media_findings(&stored(), &platform, &media, &list_of(b"listed")).await;
            is_review_for_a_person(&findings);
        }
        assert!(
            inner
                .received_requests()
                .await
                .unwrap_or_default()
                .is_empty()
        );
    }

    #[tokio::test]
    async fn a_listed_attachment_is_one_obvious_finding_and_an_unlisted_none() {
        let (server, media) =
            media_host(&[("/video.mp4", b"listed"), ("/thumb.jpg", b"thumbnail")]).await;
        let platform = Attachments(vec![
            format!("{}/video.mp4", server.uri()),
            format!("{}/thumb.jpg", server.uri()),
        ]);
        let findings = media_findings(&stored(), &platform, &media, &list_of(b"listed")).await;
        assert_eq!(findings.len(), 1, "{findings:?}");
        assert_eq!(findings[0].rule, "il.barnpornografi.media_hash");
        assert_eq!(findings[0].confidence, Confidence::Obvious);

        let none = media_findings(&stored(), &platform, &media, &list_of(b"something else")).await;
        assert!(none.is_empty(), "{none:?}");
    }

    /// Draws a card's text as its "image", slower the earlier the card
    /// stands (earlier cards yield more often), so that later cards finish
    /// first and a mix-up of order would show.
    struct TextRenderer;

    #[async_trait]
    impl screenshot::Renderer for TextRenderer {
        async fn render(
            &self,
            card: &EvidenceCard,
        ) -> Result<Vec<u8>, screenshot::ScreenshotError> {
            let delay: usize = card.record_ref.parse().unwrap_or(0);
            for _ in 0..(20 - delay) {
                tokio::task::yield_now().await;
            }
            if card.text == "fails" {
                return Err(screenshot::ScreenshotError::Draw("no font".into()));
            }
            Ok(card.text.clone().into_bytes())
        }
        fn name(&self) -> &'static str {
            "text"
        }
        fn concurrency(&self) -> usize {
            3
        }
    }

    fn card(position: usize, text: &str) -> EvidenceCard {
        EvidenceCard {
            account_name: "Konto".into(),
            platform: crate::domain::PlatformKind::Facebook,
            post_excerpt: None,
            author: None,
            written_at: DateTime::UNIX_EPOCH,
            text: text.into(),
            permalink: None,
            fetched_at: DateTime::UNIX_EPOCH,
            record_ref: position.to_string(),
        }
    }

    #[tokio::test]
    async fn images_drawn_in_parallel_come_back_to_their_own_comments() {
        let texts = ["a", "", "b", "", "", "c", "fails", "d", "e", ""];
        let cards: Vec<Option<EvidenceCard>> = texts
            .iter()
            .enumerate()
            .map(|(i, t)| (!t.is_empty()).then(|| card(i, t)))
            .collect();
        let refs: Vec<Option<&EvidenceCard>> = cards.iter().map(Option::as_ref).collect();
        let images = images_in_order(&TextRenderer, &refs).await;
        let shown: Vec<String> = images
            .into_iter()
            .map(|image| match image {
                None => String::new(),
                Some(Ok(shot)) => String::from_utf8(shot.png).unwrap(),
                Some(Err(_)) => "fails".to_string(),
            })
            .collect();
        assert_eq!(shown, texts);
    }
}
