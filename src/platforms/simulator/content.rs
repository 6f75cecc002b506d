//! The simulator's content: each page's posts and its seeded, reproducible,
//! time-ordered stream of Swedish comments.
//!
//! The stream is test material for the detectors, so it mixes ordinary
//! comments (opinions, lawful but harsh criticism, questions, fault reports)
//! with what the policy says must be removed or handed to a person
//! (personnummer, samordningsnummer, phone numbers, health details about a
//! named person, hate speech, threats), and the page's own answers to earlier
//! questions. Names, streets, places, templates and decorations vary so that a
//! detector cannot be tuned to one sentence.
//!
//! Everything is a pure function of the seed, the stream start and the mean
//! spacing: the stream is generated lazily, one comment after the other from a
//! ChaCha8 generator per page, so generating up to one moment and later
//! further gives the same comments as generating everything at once. Every
//! generated comment is kept as a [`PlantedComment`] so tests know exactly
//! what was planted.
//!
//! Phone numbers come from the ranges the Swedish Post and Telecom Authority
//! (PTS) reserves for fiction, so the material never names a real subscriber.

use std::collections::{HashMap, VecDeque};

use chrono::{DateTime, Datelike, Days, NaiveDate, NaiveTime, TimeZone, Timelike, Utc, Weekday};
use chrono_tz::Europe::Stockholm;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use super::SimPage;

/// What a planted comment is, so tests can check that a detector finds every
/// comment of a kind and leaves the others alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContentKind {
    /// An ordinary opinion or reaction; nothing to act on.
    Opinion,
    /// Harsh but lawful criticism of the city or its politicians; must never
    /// be removed.
    Criticism,
    /// A question to the account, which must be answered in office hours.
    Question,
    /// A report of something broken, which belongs in case handling.
    FaultReport,
    /// A valid personnummer (correct date and checksum) in one of its forms.
    Personnummer,
    /// A valid samordningsnummer (day of birth plus 60).
    Samordningsnummer,
    /// A Swedish phone number.
    PhoneNumber,
    /// Health details about a named third person (GDPR art. 9).
    HealthDetail,
    /// Obvious agitation against a population group (BrB 16:8).
    HateSpeech,
    /// An explicit threat (olaga hot, BrB 4:5).
    Threat,
    /// The page itself answering an earlier question.
    PageReply,
    /// A comment written into the stream by a test or the operator
    /// ([`SimulatorHandle::plant_comment`](super::SimulatorHandle::plant_comment)),
    /// with whatever text it was given.
    Written,
}

/// One comment the simulator generated, with what it contains, so tests
/// know what a run should have found without parsing the texts again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlantedComment {
    /// Graph id of the comment (`<post id>_<n>`).
    pub id: String,
    /// The page the comment was written on.
    pub page_id: String,
    /// The post the comment belongs to.
    pub post_id: String,
    /// The comment this one replies to, for replies.
    pub parent_id: Option<String>,
    /// Graph id of the author (the page id for the page's own replies).
    pub author_id: String,
    /// Display name of the author.
    pub author_name: String,
    /// What the comment contains.
    pub kind: ContentKind,
    /// The comment text as the platform shows it.
    pub text: String,
    /// When the comment was written; it exists from this moment on.
    pub created_at: DateTime<Utc>,
    /// Public link to the comment.
    pub permalink: String,
    /// The planted identifier exactly as written in the text (the
    /// personnummer, samordningsnummer or phone number), so tests can check
    /// that a detector found that very span.
    pub planted_value: Option<String>,
    /// Where the simulator serves the comment's attached image, if it has
    /// one (only written comments do).
    #[serde(default)]
    pub attachment_url: Option<String>,
}

/// A post on a simulated page. Posts exist from `created_at` on, like
/// comments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct SimPost {
    /// Graph id of the post (`<page id>_<n>`).
    pub(super) id: String,
    /// The post text.
    pub(super) message: String,
    /// When the page published the post.
    pub(super) created_at: DateTime<Utc>,
    /// Public link to the post.
    pub(super) permalink: String,
}

/// Names of the simulated pages, after the kinds of accounts the city runs.
const PAGE_NAMES: &[&str] = &[
    "Stockholms stad",
    "Trafikkontoret – Stockholms stad",
    "Stockholms stadsbibliotek",
    "Idrottsförvaltningen Stockholm",
    "Södermalms stadsdelsförvaltning",
    "Skärholmens stadsdelsförvaltning",
    "Miljöförvaltningen Stockholm",
    "Stockholm Vatten och Avfall",
    "Stadsbyggnadskontoret Stockholm",
    "Kulturförvaltningen Stockholm",
];

/// The display name of the page at `page_index`; numbered once the list of
/// names runs out.
pub(super) fn page_name(page_index: usize) -> String {
    let name = PAGE_NAMES[page_index % PAGE_NAMES.len()];
    match page_index / PAGE_NAMES.len() {
        0 => name.to_string(),
        round => format!("{name} ({})", round + 1),
    }
}

/// What shapes every page's stream: the same settings give the same stream.
#[derive(Debug, Clone, Copy)]
pub(super) struct StreamSettings {
    /// Seed of every random choice.
    pub(super) seed: u64,
    /// When the comment stream starts.
    pub(super) stream_start: DateTime<Utc>,
    /// Mean gap between comments on one page in office hours.
    pub(super) mean_spacing: std::time::Duration,
}

/// One page's posts and comments, generated lazily as far as has been asked.
pub(super) struct PageContent {
    posts: PostSchedule,
    stream: CommentStream,
    comments: Vec<PlantedComment>,
    by_id: HashMap<String, usize>,
    upcoming: PlantedComment,
    /// How many comments were written in (for their numbers).
    written: u64,
}

impl PageContent {
    /// Sets up the page's content; nothing after the first comment is
    /// generated until asked for.
    pub(super) fn new(page: SimPage, page_index: usize, settings: StreamSettings) -> Self {
        let mut posts = PostSchedule::new(page.clone(), page_index, settings);
        let mut stream = CommentStream::new(page, page_index, settings);
        let upcoming = stream.next_comment(&mut posts);
        Self {
            posts,
            stream,
            comments: Vec::new(),
            by_id: HashMap::new(),
            upcoming,
            written: 0,
        }
    }

    /// Every comment written at or before `until`, oldest first; the index in
    /// the slice is the comment's stable position in the page's stream.
    pub(super) fn comments_until(&mut self, until: DateTime<Utc>) -> &[PlantedComment] {
        while self.upcoming.created_at <= until {
            let next = self.stream.next_comment(&mut self.posts);
            let done = std::mem::replace(&mut self.upcoming, next);
            self.by_id.insert(done.id.clone(), self.comments.len());
            self.comments.push(done);
        }
        let end = self.comments.partition_point(|c| c.created_at <= until);
        &self.comments[..end]
    }

    /// Every post published at or before `until`, oldest first.
    pub(super) fn posts_until(&mut self, until: DateTime<Utc>) -> &[SimPost] {
        self.posts.published_by(until)
    }

    /// A comment written at or before `until`, with its stream position.
    pub(super) fn comment(
        &mut self,
        id: &str,
        until: DateTime<Utc>,
    ) -> Option<(usize, &PlantedComment)> {
        self.comments_until(until);
        let index = *self.by_id.get(id)?;
        let comment = self.comments.get(index)?;
        (comment.created_at <= until).then_some((index, comment))
    }
}

/// What a test or the operator writes into a page's stream.
#[derive(Debug, Clone)]
pub(super) struct WrittenComment {
    /// The comment text.
    pub(super) text: String,
    /// When it is written; it exists from this moment on.
    pub(super) at: DateTime<Utc>,
    /// Where its attached image is served, if it has one.
    pub(super) attachment_url: Option<String>,
}

/// Written comments are numbered from here, apart from the generated ones.
const WRITTEN_NUMBER_BASE: u64 = 3_150_000_000;
/// Graph id of the person who writes the written comments.
const WRITER_ID: &str = "9900000000000001";

impl PageContent {
    /// Writes a comment under the newest post published by `written.at`
    /// into the stream, at its place in time; `None` when the page has no
    /// post yet. Positions of comments after it shift, which only concerns
    /// comments no listing has shown yet when `at` is not in the past.
    pub(super) fn write(&mut self, written: WrittenComment) -> Option<PlantedComment> {
        let at = written.at;
        let post_id = self.posts.published_by(at).last()?.id.clone();
        let number = WRITTEN_NUMBER_BASE + self.written;
        self.written += 1;
        let draft = Draft {
            author_id: WRITER_ID.to_string(),
            author_name: "Testa Skribent".to_string(),
            kind: ContentKind::Written,
            text: written.text,
            created_at: at,
            planted_value: None,
        };
        let mut comment = self.stream.comment(number, &post_id, None, draft);
        comment.attachment_url = written.attachment_url;
        self.comments_until(at);
        let index = self.comments.partition_point(|c| c.created_at <= at);
        self.comments.insert(index, comment.clone());
        for (position, later) in self.comments.iter().enumerate().skip(index) {
            self.by_id.insert(later.id.clone(), position);
        }
        Some(comment)
    }
}

/// Working-day morning posts plus a few from before the stream starts, so a
/// page always has a post to comment on.
struct PostSchedule {
    page: SimPage,
    rng: ChaCha8Rng,
    stream_start: DateTime<Utc>,
    minute_offset: u32,
    next_day: Option<NaiveDate>,
    posts: Vec<SimPost>,
}

/// How many posts each page already has when the stream starts.
const POSTS_BEFORE_START: u64 = 3;
/// Post numbers start here so that ids look like Graph ids.
const POST_NUMBER_BASE: u64 = 1_080_000_000;
/// Comment numbers start here so that ids look like Graph ids.
const COMMENT_NUMBER_BASE: u64 = 2_150_000_000;

impl PostSchedule {
    fn new(page: SimPage, page_index: usize, settings: StreamSettings) -> Self {
        let mut rng = ChaCha8Rng::seed_from_u64(settings.seed);
        rng.set_stream(2 * page_index as u64 + 1);
        let start_day = settings.stream_start.with_timezone(&Stockholm).date_naive();
        let mut schedule = Self {
            page,
            rng,
            stream_start: settings.stream_start,
            minute_offset: (page_index % 12) as u32 * 5,
            next_day: Some(start_day),
            posts: Vec::new(),
        };
        for days_before in (1..=POSTS_BEFORE_START).rev() {
            let day = start_day.checked_sub_days(Days::new(days_before));
            if let Some(at) = day.and_then(|d| schedule.local_time(d, 9)) {
                schedule.publish(at);
            }
        }
        schedule
    }

    fn published_by(&mut self, until: DateTime<Utc>) -> &[SimPost] {
        self.publish_until(until);
        let end = self.posts.partition_point(|p| p.created_at <= until);
        &self.posts[..end]
    }

    fn publish_until(&mut self, until: DateTime<Utc>) {
        while let Some(day) = self.next_day {
            if is_working_day(day)
                && let Some(at) = self.local_time(day, 8)
            {
                if at > until {
                    return;
                }
                if at >= self.stream_start {
                    self.publish(at);
                }
            }
            self.next_day = day.checked_add_days(Days::new(1));
        }
    }

    fn local_time(&self, day: NaiveDate, hour: u32) -> Option<DateTime<Utc>> {
        let time = NaiveTime::from_hms_opt(hour, self.minute_offset, 0)?;
        let local = Stockholm
            .from_local_datetime(&day.and_time(time))
            .earliest()?;
        Some(local.with_timezone(&Utc))
    }

    fn publish(&mut self, at: DateTime<Utc>) {
        let number = POST_NUMBER_BASE + self.posts.len() as u64;
        let template = word(&mut self.rng, POST_TEMPLATES);
        let slots = Slots::for_post(&mut self.rng);
        self.posts.push(SimPost {
            id: format!("{}_{number}", self.page.id),
            message: slots.fill(template),
            created_at: at,
            permalink: format!("https://www.facebook.com/{}/posts/{number}", self.page.id),
        });
    }
}

/// A regular commenter on a page.
#[derive(Debug, Clone)]
struct Person {
    id: String,
    first: &'static str,
    last: &'static str,
    female: bool,
}

impl Person {
    fn random(rng: &mut ChaCha8Rng) -> Self {
        let female = rng.random_bool(0.5);
        let first = if female {
            word(rng, FEMALE_NAMES)
        } else {
            word(rng, MALE_NAMES)
        };
        Self {
            id: rng
                .random_range(10_000_000_000_000_000u64..100_000_000_000_000_000)
                .to_string(),
            first,
            last: word(rng, SURNAMES),
            female,
        }
    }

    fn full_name(&self) -> String {
        format!("{} {}", self.first, self.last)
    }
}

/// A comment before it is placed under a post: who wrote what, when.
struct Draft {
    author_id: String,
    author_name: String,
    kind: ContentKind,
    text: String,
    created_at: DateTime<Utc>,
    planted_value: Option<String>,
}

/// A top-level comment that later comments may reply to.
#[derive(Debug, Clone)]
struct ThreadStart {
    id: String,
    number: u64,
    post_id: String,
    author_first: &'static str,
}

/// How many people comment regularly on one page.
const REGULARS_PER_PAGE: usize = 60;
/// How many recent top-level comments per post replies are drawn from.
const THREADS_KEPT_PER_POST: usize = 20;
/// How many unanswered questions the page remembers.
const OPEN_QUESTIONS_KEPT: usize = 50;
/// Share of non-page comments that reply to an earlier comment.
const REPLY_SHARE: f64 = 0.25;

/// The generator of one page's comments, one after the other in time.
struct CommentStream {
    rng: ChaCha8Rng,
    page: SimPage,
    mean_spacing_secs: f64,
    last_at: DateTime<Utc>,
    next_number: u64,
    regulars: Vec<Person>,
    threads: HashMap<String, Vec<ThreadStart>>,
    open_questions: VecDeque<ThreadStart>,
}

impl CommentStream {
    fn new(page: SimPage, page_index: usize, settings: StreamSettings) -> Self {
        let mut rng = ChaCha8Rng::seed_from_u64(settings.seed);
        rng.set_stream(2 * page_index as u64);
        let regulars = (0..REGULARS_PER_PAGE)
            .map(|_| Person::random(&mut rng))
            .collect();
        let start = settings.stream_start;
        Self {
            rng,
            page,
            mean_spacing_secs: settings.mean_spacing.as_secs_f64().max(1.0),
            last_at: start.with_nanosecond(0).unwrap_or(start),
            next_number: COMMENT_NUMBER_BASE,
            regulars,
            threads: HashMap::new(),
            open_questions: VecDeque::new(),
        }
    }

    fn next_comment(&mut self, posts: &mut PostSchedule) -> PlantedComment {
        let at = self.next_arrival();
        self.last_at = at;
        let number = self.next_number;
        self.next_number += 1;
        let mut kind = self.draw_kind(at);
        if kind == ContentKind::PageReply {
            match self.open_questions.pop_front() {
                Some(question) => return self.page_reply(question, at, number),
                None => kind = ContentKind::Opinion,
            }
        }
        let post_id = self.choose_post(posts.published_by(at));
        let parent = self.maybe_parent(&post_id);
        let author = pick(&mut self.rng, &self.regulars).clone();
        let (text, planted_value) = self.compose(kind, at, parent.as_ref());
        let draft = Draft {
            author_id: author.id.clone(),
            author_name: author.full_name(),
            kind,
            text,
            created_at: at,
            planted_value,
        };
        let comment = self.comment(number, &post_id, parent.as_ref(), draft);
        if parent.is_none() {
            self.remember_thread(&comment, number, author.first);
        }
        comment
    }

    /// Arrival of the next comment: exponential gaps at the office-hours
    /// rate, thinned by the time of day, at whole seconds like Graph's
    /// `created_time`.
    fn next_arrival(&mut self) -> DateTime<Utc> {
        let mut at = self.last_at;
        loop {
            let uniform: f64 = self.rng.random();
            let gap = (-(1.0 - uniform).ln() * self.mean_spacing_secs).clamp(1.0, 1.0e9);
            at += chrono::Duration::seconds(gap.round() as i64);
            if self.rng.random_bool(relative_activity(at)) {
                return at;
            }
        }
    }

    fn draw_kind(&mut self, at: DateTime<Utc>) -> ContentKind {
        let page_can_answer = !self.open_questions.is_empty() && is_office_hours(at);
        loop {
            let kind = weighted(&mut self.rng, KIND_WEIGHTS);
            if kind != ContentKind::PageReply || page_can_answer {
                return kind;
            }
        }
    }

    /// Comments mostly go to the newest post, some to the two before it.
    fn choose_post(&mut self, published: &[SimPost]) -> String {
        let roll = self.rng.random_range(0..10);
        let back = match roll {
            0..6 => 0,
            6..9 => 1,
            _ => 2,
        };
        let index = published.len().saturating_sub(1 + back);
        published
            .get(index)
            .map(|post| post.id.clone())
            .unwrap_or_default()
    }

    fn maybe_parent(&mut self, post_id: &str) -> Option<ThreadStart> {
        let threads = self.threads.get(post_id)?;
        if threads.is_empty() || !self.rng.random_bool(REPLY_SHARE) {
            return None;
        }
        Some(pick(&mut self.rng, threads).clone())
    }

    fn remember_thread(
        &mut self,
        comment: &PlantedComment,
        number: u64,
        author_first: &'static str,
    ) {
        let start = ThreadStart {
            id: comment.id.clone(),
            number,
            post_id: comment.post_id.clone(),
            author_first,
        };
        if comment.kind == ContentKind::Question {
            self.open_questions.push_back(start.clone());
            if self.open_questions.len() > OPEN_QUESTIONS_KEPT {
                self.open_questions.pop_front();
            }
        }
        let threads = self.threads.entry(comment.post_id.clone()).or_default();
        threads.push(start);
        if threads.len() > THREADS_KEPT_PER_POST {
            threads.remove(0);
        }
    }

    fn page_reply(
        &mut self,
        question: ThreadStart,
        at: DateTime<Utc>,
        number: u64,
    ) -> PlantedComment {
        let mut slots = Slots::random(&mut self.rng);
        slots.asker = question.author_first.to_string();
        slots.page = self.page.name.clone();
        let draft = Draft {
            author_id: self.page.id.clone(),
            author_name: self.page.name.clone(),
            kind: ContentKind::PageReply,
            text: slots.fill(word(&mut self.rng, PAGE_REPLIES)),
            created_at: at,
            planted_value: None,
        };
        self.comment(number, &question.post_id, Some(&question), draft)
    }

    /// Gives a drafted comment its ids and permalink.
    fn comment(
        &self,
        number: u64,
        post_id: &str,
        parent: Option<&ThreadStart>,
        draft: Draft,
    ) -> PlantedComment {
        let post_number = post_id.rsplit('_').next().unwrap_or(post_id);
        let post_link = format!(
            "https://www.facebook.com/{}/posts/{post_number}",
            self.page.id
        );
        let permalink = match parent {
            Some(parent) => format!(
                "{post_link}?comment_id={}&reply_comment_id={number}",
                parent.number
            ),
            None => format!("{post_link}?comment_id={number}"),
        };
        PlantedComment {
            id: format!("{post_id}_{number}"),
            page_id: self.page.id.clone(),
            post_id: post_id.to_string(),
            parent_id: parent.map(|p| p.id.clone()),
            author_id: draft.author_id,
            author_name: draft.author_name,
            kind: draft.kind,
            text: draft.text,
            created_at: draft.created_at,
            permalink,
            planted_value: draft.planted_value,
            attachment_url: None,
        }
    }

    /// The text of a comment of `kind`, and the planted identifier in it.
    fn compose(
        &mut self,
        kind: ContentKind,
        at: DateTime<Utc>,
        parent: Option<&ThreadStart>,
    ) -> (String, Option<String>) {
        let mut slots = Slots::random(&mut self.rng);
        let rng = &mut self.rng;
        let template = match kind {
            ContentKind::Opinion | ContentKind::PageReply | ContentKind::Written => {
                word(rng, OPINIONS)
            }
            ContentKind::Criticism => word(rng, CRITICISM),
            ContentKind::Question => word(rng, QUESTIONS),
            ContentKind::FaultReport => word(rng, FAULT_REPORTS),
            ContentKind::Personnummer => {
                let form = pick(rng, IDENTITY_FORMS);
                slots.id = identity_number(rng, at, *form, false);
                if *form == IdentityForm::CenturyPlus {
                    word(rng, CENTENARIAN_IDENTITIES)
                } else {
                    word(rng, PERSONNUMMER)
                }
            }
            ContentKind::Samordningsnummer => {
                let form = pick(rng, COORDINATION_FORMS);
                slots.id = identity_number(rng, at, *form, true);
                if rng.random_bool(0.5) {
                    word(rng, SAMORDNINGSNUMMER)
                } else {
                    word(rng, PERSONNUMMER)
                }
            }
            ContentKind::PhoneNumber => {
                slots.phone = fictional_phone_number(rng);
                word(rng, PHONE_NUMBERS)
            }
            ContentKind::HealthDetail => word(rng, HEALTH_DETAILS),
            ContentKind::HateSpeech => word(rng, HATE_SPEECH),
            ContentKind::Threat => word(rng, THREATS),
        };
        let planted_value = match kind {
            ContentKind::Personnummer | ContentKind::Samordningsnummer => Some(slots.id.clone()),
            ContentKind::PhoneNumber => Some(slots.phone.clone()),
            _ => None,
        };
        let text = decorate(rng, slots.fill(template), parent);
        (text, planted_value)
    }
}

/// Makes the same template read differently: a greeting, a mention of the
/// person replied to, an emoji, missing punctuation, all lower case.
fn decorate(rng: &mut ChaCha8Rng, text: String, parent: Option<&ThreadStart>) -> String {
    let mut text = text;
    if rng.random_bool(0.15) {
        text = format!("{}{text}", word(rng, OPENINGS));
    }
    if let Some(parent) = parent
        && rng.random_bool(0.4)
    {
        text = format!("{} {text}", parent.author_first);
    }
    if rng.random_bool(0.1) {
        text = text.trim_end_matches(['.', '!']).to_string();
    }
    if rng.random_bool(0.2) {
        let ending = word(rng, ENDINGS);
        if ending.starts_with(['!', '.']) {
            text = text.trim_end_matches(['.', '!']).to_string();
        }
        text.push_str(ending);
    }
    if rng.random_bool(0.08) {
        text = text.to_lowercase();
    }
    text
}

/// The values a template's placeholders are filled with.
#[derive(Debug, Clone, Default)]
struct Slots {
    name: String,
    first: String,
    pron: &'static str,
    obj: &'static str,
    street: &'static str,
    street2: &'static str,
    house_number: String,
    place: &'static str,
    facility: &'static str,
    politician: String,
    group: &'static str,
    id: String,
    phone: String,
    asker: String,
    page: String,
}

impl Slots {
    fn random(rng: &mut ChaCha8Rng) -> Self {
        let person = Person::random(rng);
        let politician = Person::random(rng);
        Self {
            name: person.full_name(),
            first: person.first.to_string(),
            pron: if person.female { "hon" } else { "han" },
            obj: if person.female { "henne" } else { "honom" },
            street: word(rng, STREETS),
            street2: word(rng, STREETS),
            house_number: rng.random_range(1..=140).to_string(),
            place: word(rng, PLACES),
            facility: word(rng, FACILITIES),
            politician: format!("{} {}", word(rng, POLITICAL_ROLES), politician.full_name()),
            group: word(rng, GROUPS),
            ..Self::default()
        }
    }

    fn for_post(rng: &mut ChaCha8Rng) -> Self {
        Self {
            street: word(rng, STREETS),
            place: word(rng, PLACES),
            facility: word(rng, FACILITIES),
            ..Self::default()
        }
    }

    fn fill(&self, template: &str) -> String {
        let replacements: [(&str, &str); 19] = [
            ("{name}", &self.name),
            ("{first}", &self.first),
            ("{pron}", self.pron),
            ("{Pron}", &capitalise(self.pron)),
            ("{obj}", self.obj),
            ("{street}", self.street),
            ("{street2}", self.street2),
            ("{no}", &self.house_number),
            ("{place}", self.place),
            ("{facility}", self.facility),
            ("{Facility}", &capitalise(self.facility)),
            ("{politician}", &self.politician),
            ("{Politician}", &capitalise(&self.politician)),
            ("{group}", self.group),
            ("{Group}", &capitalise(self.group)),
            ("{id}", &self.id),
            ("{phone}", &self.phone),
            ("{asker}", &self.asker),
            ("{page}", &self.page),
        ];
        replacements
            .iter()
            .fold(template.to_string(), |text, (slot, value)| {
                text.replace(slot, value)
            })
    }
}

fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The ways people write a personnummer in a comment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum IdentityForm {
    /// `YYMMDD-XXXX`
    ShortDash,
    /// `YYMMDDXXXX`
    ShortDigits,
    /// `YYYYMMDDXXXX`
    LongDigits,
    /// `YYYYMMDD-XXXX`
    LongDash,
    /// `YYMMDD - XXXX`
    ShortSpacedDash,
    /// `YYMMDD+XXXX`, for people who have turned 100.
    CenturyPlus,
}

const IDENTITY_FORMS: &[IdentityForm] = &[
    IdentityForm::ShortDash,
    IdentityForm::ShortDash,
    IdentityForm::ShortDigits,
    IdentityForm::LongDigits,
    IdentityForm::LongDash,
    IdentityForm::ShortSpacedDash,
    IdentityForm::CenturyPlus,
];

/// Samordningsnummer are recent, so nobody holding one has turned 100.
const COORDINATION_FORMS: &[IdentityForm] = &[
    IdentityForm::ShortDash,
    IdentityForm::ShortDigits,
    IdentityForm::LongDigits,
    IdentityForm::LongDash,
    IdentityForm::ShortSpacedDash,
];

/// A valid personnummer (or samordningsnummer, day + 60) in `form`, for a
/// person alive at `at`: a real date and a correct Luhn check digit.
fn identity_number(
    rng: &mut ChaCha8Rng,
    at: DateTime<Utc>,
    form: IdentityForm,
    coordination: bool,
) -> String {
    let age = if form == IdentityForm::CenturyPlus {
        rng.random_range(101..=104)
    } else {
        rng.random_range(16..=90)
    };
    let year = at.year() - age;
    let month = rng.random_range(1..=12);
    let day = rng.random_range(1..=days_in_month(year, month));
    let written_day = if coordination { day + 60 } else { day };
    let serial: u32 = rng.random_range(0..1000);
    let short_date = format!("{:02}{month:02}{written_day:02}", year.rem_euclid(100));
    let nine = format!("{short_date}{serial:03}");
    let last_four = format!("{serial:03}{}", luhn_check_digit(&nine));
    match form {
        IdentityForm::ShortDash => format!("{short_date}-{last_four}"),
        IdentityForm::ShortDigits => format!("{short_date}{last_four}"),
        IdentityForm::LongDigits => format!("{year}{month:02}{written_day:02}{last_four}"),
        IdentityForm::LongDash => format!("{year}{month:02}{written_day:02}-{last_four}"),
        IdentityForm::ShortSpacedDash => format!("{short_date} - {last_four}"),
        IdentityForm::CenturyPlus => format!("{short_date}+{last_four}"),
    }
}

fn days_in_month(year: i32, month: u32) -> u32 {
    (28..=31)
        .rev()
        .find(|day| NaiveDate::from_ymd_opt(year, month, *day).is_some())
        .unwrap_or(28)
}

/// The Luhn check digit over the nine digits `YYMMDDNNN`.
fn luhn_check_digit(nine_digits: &str) -> u32 {
    let sum: u32 = nine_digits
        .chars()
        .filter_map(|c| c.to_digit(10))
        .enumerate()
        .map(|(position, digit)| {
            let weighted = if position % 2 == 0 { digit * 2 } else { digit };
            weighted / 10 + weighted % 10
        })
        .sum();
    (10 - sum % 10) % 10
}

/// A number from a PTS fiction range, in one of the ways people write it.
fn fictional_phone_number(rng: &mut ChaCha8Rng) -> String {
    match rng.random_range(0..3) {
        0 => {
            let last = format!("{:02}", rng.random_range(5..=99));
            let forms = [
                format!("070-174 06 {last}"),
                format!("07017406{last}"),
                format!("+46 70 174 06 {last}"),
                format!("+467017406{last}"),
                format!("070-17406{last}"),
                format!("070 174 06 {last}"),
            ];
            pick(rng, &forms).clone()
        }
        1 => {
            let last = format!("{:02}", rng.random_range(0..=99));
            let forms = [
                format!("08-465 004 {last}"),
                format!("08-465004{last}"),
                format!("+46 8 465 004 {last}"),
                format!("08 465 004 {last}"),
            ];
            pick(rng, &forms).clone()
        }
        _ => {
            let last = format!("{:02}", rng.random_range(0..=99));
            let forms = [
                format!("031-390 06 {last}"),
                format!("03139006{last}"),
                format!("+46 31 390 06 {last}"),
            ];
            pick(rng, &forms).clone()
        }
    }
}

/// Monday to Friday. (Public holidays are ordinary days in the simulation.)
fn is_working_day(day: NaiveDate) -> bool {
    !matches!(day.weekday(), Weekday::Sat | Weekday::Sun)
}

/// Working days 08–17 in Stockholm, when most comments arrive and the page
/// answers questions.
pub(super) fn is_office_hours(at: DateTime<Utc>) -> bool {
    let local = at.with_timezone(&Stockholm);
    is_working_day(local.date_naive()) && (8..17).contains(&local.hour())
}

/// How busy the page is at `at`, relative to office hours: half as busy in
/// the evenings and at weekends, a tenth at night.
fn relative_activity(at: DateTime<Utc>) -> f64 {
    if is_office_hours(at) {
        return 1.0;
    }
    match at.with_timezone(&Stockholm).hour() {
        8..22 => 0.5,
        _ => 0.1,
    }
}

fn word(rng: &mut ChaCha8Rng, words: &[&'static str]) -> &'static str {
    words[rng.random_range(0..words.len())]
}

fn pick<'a, T>(rng: &mut ChaCha8Rng, items: &'a [T]) -> &'a T {
    &items[rng.random_range(0..items.len())]
}

fn weighted(rng: &mut ChaCha8Rng, table: &[(ContentKind, u32)]) -> ContentKind {
    let total: u32 = table.iter().map(|(_, weight)| weight).sum();
    let mut roll = rng.random_range(0..total);
    for (kind, weight) in table {
        if roll < *weight {
            return *kind;
        }
        roll -= weight;
    }
    ContentKind::Opinion
}

/// How often each kind is drawn (the page only replies when a question is
/// open and it is office hours).
const KIND_WEIGHTS: &[(ContentKind, u32)] = &[
    (ContentKind::Opinion, 28),
    (ContentKind::Criticism, 16),
    (ContentKind::Question, 14),
    (ContentKind::FaultReport, 10),
    (ContentKind::Personnummer, 6),
    (ContentKind::Samordningsnummer, 2),
    (ContentKind::PhoneNumber, 5),
    (ContentKind::HealthDetail, 4),
    (ContentKind::HateSpeech, 3),
    (ContentKind::Threat, 3),
    (ContentKind::PageReply, 9),
];

const FEMALE_NAMES: &[&str] = &[
    "Anna", "Eva", "Maria", "Karin", "Sara", "Lena", "Kerstin", "Emma", "Ingrid", "Malin",
    "Linnéa", "Elin", "Sofia", "Ida", "Johanna", "Fatima", "Amina", "Leyla", "Hanna", "Birgitta",
    "Marianne", "Nour", "Agnes", "Ebba", "Zeynep", "Aino",
];

const MALE_NAMES: &[&str] = &[
    "Erik", "Lars", "Karl", "Anders", "Johan", "Per", "Mikael", "Lennart", "Ahmed", "Mohammed",
    "Ali", "Jonas", "Oskar", "Gustav", "Nils", "Hassan", "Björn", "Mats", "Daniel", "Filip",
    "Yusuf", "Emil", "Kent", "Tomasz", "Goran",
];

const SURNAMES: &[&str] = &[
    "Andersson",
    "Johansson",
    "Karlsson",
    "Nilsson",
    "Eriksson",
    "Larsson",
    "Olsson",
    "Persson",
    "Svensson",
    "Gustafsson",
    "Lindberg",
    "Lindqvist",
    "Berg",
    "Ek",
    "Holm",
    "Sjöberg",
    "Wallin",
    "Lundgren",
    "Hassan",
    "Ali",
    "Mohammed",
    "Yilmaz",
    "Nowak",
    "Kovač",
    "Åberg",
    "Öberg",
    "Lind",
    "Sandberg",
    "Engström",
    "Hedlund",
    "Nyström",
    "Bergström",
    "Virtanen",
    "Abdi",
];

const STREETS: &[&str] = &[
    "Ringvägen",
    "Götgatan",
    "Hornsgatan",
    "Sveavägen",
    "Drottninggatan",
    "Fleminggatan",
    "Folkungagatan",
    "Sankt Eriksgatan",
    "Odengatan",
    "Hantverkargatan",
    "Birger Jarlsgatan",
    "Valhallavägen",
    "Bergsunds strand",
    "Årstavägen",
    "Huddingevägen",
    "Vällingbyvägen",
    "Rinkebystråket",
    "Tensta allé",
    "Skärholmsvägen",
    "Farstavägen",
    "Nynäsvägen",
    "Lidingövägen",
    "Drottningholmsvägen",
    "Hammarbyvägen",
    "Bagarmossvägen",
];

const PLACES: &[&str] = &[
    "Södermalm",
    "Kungsholmen",
    "Vasastan",
    "Östermalm",
    "Bromma",
    "Farsta",
    "Skärholmen",
    "Rinkeby",
    "Tensta",
    "Hägersten",
    "Enskede",
    "Vällingby",
    "Spånga",
    "Hammarby sjöstad",
    "Årsta",
    "Liljeholmen",
    "Kista",
    "Husby",
    "Bagarmossen",
    "Midsommarkransen",
];

const FACILITIES: &[&str] = &[
    "badhuset",
    "biblioteket",
    "simhallen",
    "fritidsgården",
    "parkleken",
    "isbanan",
    "återvinningscentralen",
    "träffpunkten",
    "idrottshallen",
    "kulturhuset",
    "plaskdammen",
    "utegymmet",
];

const POLITICAL_ROLES: &[&str] = &[
    "finansborgarrådet",
    "kommunalrådet",
    "trafikborgarrådet",
    "skolborgarrådet",
    "stadsbyggnadsborgarrådet",
    "äldreborgarrådet",
    "miljöborgarrådet",
    "oppositionsborgarrådet",
];

const GROUPS: &[&str] = &[
    "somalier",
    "muslimer",
    "judar",
    "romer",
    "invandrare",
    "afghaner",
    "homosexuella",
    "samer",
];

const OPENINGS: &[&str] = &[
    "Hej! ",
    "Alltså. ",
    "Ärligt talat: ",
    "Hmm. ",
    "Ok. ",
    "Hallå där! ",
];

const ENDINGS: &[&str] = &[" 😡", " 👍", "!!", " Mvh", " 🙄", " 🙏", "...", " ❤️"];

const POST_TEMPLATES: &[&str] = &[
    "God morgon! Nu kan du tycka till om den nya parken i {place}. Lämna dina synpunkter senast den 30 november.",
    "Från måndag leds trafiken om på {street} medan vi byter vattenledningar. Arbetet pågår i cirka tre veckor.",
    "Välkommen på öppet hus på {facility} i {place} på lördag klockan 11–15!",
    "Snöröjningen är i gång i hela staden. Vi börjar med gång- och cykelvägar, bussgator och trappor.",
    "Nu söker vi feriearbetare till sommaren. Ansökan öppnar den 1 december.",
    "{Facility} i {place} håller stängt för renovering under vecka 49. Vi ber om ursäkt för besväret.",
    "Vi planterar 200 nya träd längs {street}. Vilket träd vill du se i din stadsdel?",
    "Julmarknaden i {place} är tillbaka! Här är allt du behöver veta.",
    "Påminnelse: sista dagen att söka förskoleplats inför våren är på fredag.",
    "Nu är den nya cykelbanan på {street} klar. Tack för ert tålamod under bygget!",
    "Ikväll sammanträder kommunfullmäktige. Följ mötet direkt på stockholm.se.",
    "Hur tycker du att {facility} i {place} fungerar? Berätta i kommentarerna!",
];

const OPINIONS: &[&str] = &[
    "Vilken fin bild! {place} är verkligen vackert på hösten.",
    "Bra initiativ, mer sånt här tack.",
    "Äntligen händer det något i {place}.",
    "Tack för informationen!",
    "Var på {facility} i {place} i helgen och personalen var supertrevlig.",
    "Håller inte riktigt med, men kul att ni frågar oss som bor här.",
    "Min dotter går till {facility} varje vecka och trivs jättebra där.",
    "Det blev mycket bättre på {street} efter ombyggnaden, det måste jag erkänna.",
    "Hoppas ni satsar lika mycket på {place} som på innerstan.",
    "Ser fram emot det här! Vi kommer med hela familjen.",
    "{first}, det här borde vi gå på!",
    "Jag tyckte att {facility} var bättre förr, men det här ser lovande ut.",
    "Heja {place}! Bästa stadsdelen.",
    "Skönt att någon tar tag i det. Det har varit rörigt på {street} länge.",
];

const CRITICISM: &[&str] = &[
    "Det här är rent slöseri med skattepengar. {Politician} borde skämmas.",
    "Helt inkompetent ledning. Ni har lyckats förstöra {place} på bara några år.",
    "Varför lägger ni pengar på det här när {facility} i {place} håller på att falla sönder? Skandal.",
    "{Politician} lovade nya cykelbanor på {street} före valet. Ingenting har hänt. Tomma löften som vanligt.",
    "Stadens trafikplanering är ett skämt. Det tar fyrtio minuter att ta sig genom {place} numera.",
    "Ni lyssnar aldrig på oss som bor i {place}. Avgå, {politician}!",
    "Pinsam kommunikation. Svara på frågorna i stället för att lägga upp glada bilder.",
    "Sämsta styret den här staden har haft. Jag röstar bort er i nästa val.",
    "Att lägga ner {facility} i {place} är ett svek mot alla barnfamiljer. Skäms på er.",
    "Hur kan {politician} fortfarande sitta kvar efter den här soppan?",
    "Byråkrati på högsta nivå. Tre månader för ett enkelt bygglov. Otroligt dåligt.",
    "Ni borde be alla på {street} om ursäkt för byggkaoset.",
];

const QUESTIONS: &[&str] = &[
    "När öppnar {facility} igen?",
    "Vilka öppettider har {facility} i {place} under jullovet?",
    "Hur söker man bygglov för en altan? Hittar ingenting på hemsidan.",
    "Vem ska man kontakta om snöröjningen på {street}?",
    "Varför har ni stängt {facility} i {place}?",
    "Går det att boka {facility} för ett barnkalas?",
    "Är det sant att {facility} i {place} ska läggas ner?",
    "Hur lång är kön till förskolan i {place} just nu?",
    "Kan någon från staden svara på när arbetet på {street} blir klart?",
    "Var kan man lämna grovsopor i {place}?",
    "Får man grilla i parken vid {street}?",
    "{Facility} i {place} – är det öppet på söndag?",
];

const FAULT_REPORTS: &[&str] = &[
    "Gatlampan på {street} {no} är trasig sedan en vecka.",
    "Stort hål i asfalten på {street} utanför nummer {no}. Någon kommer att cykla omkull.",
    "Papperskorgarna vid {facility} i {place} har inte tömts på flera dagar.",
    "Trafikljuset i korsningen {street}/{street2} fungerar inte.",
    "Någon har dumpat en soffa och massor av sopor vid {street} {no}.",
    "Lekplatsen i {place}: gungan är trasig och det sticker ut en spik.",
    "Vattenläcka på {street} i höjd med nummer {no}, det forsar vatten över trottoaren.",
    "Ingen har plogat cykelbanan längs {street} i dag, det är livsfarligt.",
    "På {street} {no} har gatstenen släppt och det är jättehalt.",
    "Belysningen i gångtunneln i {place} har varit släckt i två veckor nu.",
    "Det ligger krossat glas överallt vid busshållplatsen på {street}.",
];

const PERSONNUMMER: &[&str] = &[
    "Jag har ringt tre gånger om min ansökan. Mitt personnummer är {id}, kolla upp det själva.",
    "{name} ({id}) har fortfarande inte fått något svar från socialtjänsten.",
    "Min granne {name}, {id}, har väntat på hemtjänst i två månader.",
    "Skicka beslutet till mig: {name} {id}, {street} {no}.",
    "pnr {id} – det gäller parkeringsboten från i tisdags.",
    "Hej, jag heter {name} och mitt personnr är {id}. Varför har jag inte fått någon faktura?",
    "Ärendet gäller mitt barn {name}, personnummer {id}. {Pron} har fortfarande ingen plats på förskolan.",
    "{id} är mitt personnummer om ni behöver det för att hitta bygglovsärendet.",
];

const CENTENARIAN_IDENTITIES: &[&str] = &[
    "Vår granne {name} ({id}) har fyllt hundra och väntar fortfarande på färdtjänst.",
    "{name}, {id}, är över hundra år och har inte fått besök av hemtjänsten på en vecka.",
    "Vår granne {name} {id} har bott på {street} i hela sitt liv och ska nu flyttas mot sin vilja.",
];

const SAMORDNINGSNUMMER: &[&str] = &[
    "Jag har bara samordningsnummer, {id}. Kan jag ändå få lånekort på biblioteket?",
    "Mitt samordningsnummer är {id} och jag har väntat på svar sedan augusti.",
    "{name} har samordningsnummer {id} och behöver hjälp med bostadsansökan.",
];

const PHONE_NUMBERS: &[&str] = &[
    "Ring mig på {phone} så förklarar jag.",
    "Kontakta mig på {phone}, jag har sökt er hela veckan.",
    "Min granne {name} har nummer {phone} om ni vill prata med {obj} också.",
    "Har försökt nå er hela dagen. Jag nås på {phone} efter fem.",
    "{phone} – ring mig, det gäller bygglovet på {street}.",
    "Kan någon från förvaltningen ringa {name} på {phone}? {Pron} har ingen dator.",
    "sms:a {phone} om ni hittar min cykel som stals vid {facility}",
];

const HEALTH_DETAILS: &[&str] = &[
    "{name} på {street} har varit inlagd på psyket i flera månader, det vet alla i huset.",
    "Min granne {name} har cancer och får ingen hjälp alls av hemtjänsten.",
    "Läraren {name} på skolan i {place} är sjukskriven för utmattningsdepression igen, därför har barnen ingen lärare.",
    "Visste ni att {name} som jobbar på {facility} har hiv?",
    "{name} har bipolär sjukdom och har slutat ta sin medicin, det är därför {pron} skriker i trapphuset.",
    "Min granne {name} har diabetes och fick ingen hjälp när {pron} svimmade på {street}.",
    "{name} i {place} är alkoholist och borde inte få jobba på {facility}.",
    "Efter sin hjärtinfarkt i våras klarar {name} inte trapporna på {street} {no}. Varför får {obj} ingen lägenhet med hiss?",
];

const HATE_SPEECH: &[&str] = &[
    "Alla {group} är parasiter som borde kastas ut ur landet.",
    "{Group} är inte människor, de är ohyra.",
    "Stockholm vore en bättre stad utan {group}. De är en pest.",
    "Typiskt {group}. Kriminella och lata allihop, de hör inte hemma här.",
    "{Group} förstör allt de rör, de borde rensas bort från {place}.",
    "Det enda {group} är bra till är att fylla fängelserna.",
];

const THREATS: &[&str] = &[
    "{Politician}, jag vet var du bor. Snart får du betala för det här.",
    "Om ni stänger {facility} kommer jag att bränna ner hela stadshuset.",
    "Nästa gång jag ser {name} från förvaltningen ska jag slå ihjäl {obj}.",
    "Vänta bara {first}. Du ska få se vad som händer med dig och din familj.",
    "Någon borde skjuta {politician}. Kanske gör jag det själv.",
    "Jag kommer till {facility} i {place} på måndag med en kniv. Ni är varnade.",
    "Jag har adressen till {name} på {street}. {Pron} kommer att ångra sig.",
];

const PAGE_REPLIES: &[&str] = &[
    "Hej {asker}! Tack för din fråga. Vi har skickat den vidare till förvaltningen och återkommer så snart vi kan.",
    "Hej {asker}, du hittar mer information på stockholm.se. Hör gärna av dig igen om du inte hittar det du söker!",
    "Hej! Det stämmer inte, verksamheten fortsätter som vanligt. Vänliga hälsningar, {page}",
    "Tack för att du hör av dig, {asker}. Kontakta gärna Kontaktcenter via stockholm.se så hjälper de dig vidare.",
    "Hej {asker}! Bra fråga – vi tar reda på det och svarar här så snart vi kan. /{page}",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(seed: u64) -> StreamSettings {
        StreamSettings {
            seed,
            stream_start: Utc.with_ymd_and_hms(2026, 11, 23, 7, 0, 0).unwrap(),
            mean_spacing: std::time::Duration::from_secs(600),
        }
    }

    fn page() -> SimPage {
        SimPage {
            id: "100000000000001".into(),
            name: "Stockholms stad".into(),
        }
    }

    #[test]
    fn generating_in_steps_gives_the_same_stream_as_at_once() {
        let start = settings(7).stream_start;
        let mut stepwise = PageContent::new(page(), 0, settings(7));
        for hours in 1..=48 {
            stepwise.comments_until(start + chrono::Duration::hours(hours));
        }
        let mut at_once = PageContent::new(page(), 0, settings(7));
        let until = start + chrono::Duration::hours(48);
        assert_eq!(
            stepwise.comments_until(until),
            at_once.comments_until(until)
        );
    }

    #[test]
    fn every_comment_goes_to_a_post_published_before_it() {
        let start = settings(3).stream_start;
        let mut content = PageContent::new(page(), 0, settings(3));
        let until = start + chrono::Duration::days(10);
        let comments = content.comments_until(until).to_vec();
        let posts = content.posts_until(until).to_vec();
        assert!(comments.len() > 100, "only {} comments", comments.len());
        for comment in comments {
            let post = posts.iter().find(|p| p.id == comment.post_id).unwrap();
            assert!(post.created_at <= comment.created_at, "{comment:?}");
        }
    }

    #[test]
    fn page_replies_answer_open_questions_in_office_hours() {
        let start = settings(11).stream_start;
        let mut content = PageContent::new(page(), 0, settings(11));
        let comments = content
            .comments_until(start + chrono::Duration::days(14))
            .to_vec();
        let replies: Vec<_> = comments
            .iter()
            .filter(|c| c.kind == ContentKind::PageReply)
            .collect();
        assert!(!replies.is_empty());
        for reply in replies {
            assert_eq!(reply.author_id, page().id);
            assert_eq!(reply.author_name, page().name);
            assert!(is_office_hours(reply.created_at));
            let parent_id = reply.parent_id.as_deref().unwrap();
            let question = comments.iter().find(|c| c.id == parent_id).unwrap();
            assert_eq!(question.kind, ContentKind::Question);
            assert!(question.created_at <= reply.created_at);
        }
    }

    #[test]
    fn texts_vary_within_each_kind() {
        let start = settings(5).stream_start;
        let mut content = PageContent::new(page(), 0, settings(5));
        let comments = content
            .comments_until(start + chrono::Duration::days(30))
            .to_vec();
        for kind in [
            ContentKind::Personnummer,
            ContentKind::HateSpeech,
            ContentKind::Threat,
            ContentKind::HealthDetail,
        ] {
            let texts: std::collections::HashSet<_> = comments
                .iter()
                .filter(|c| c.kind == kind)
                .map(|c| c.text.as_str())
                .collect();
            assert!(texts.len() >= 5, "{kind:?} has only {} texts", texts.len());
        }
    }

    #[test]
    fn more_comments_arrive_in_office_hours_than_at_night() {
        let start = settings(9).stream_start;
        let mut content = PageContent::new(page(), 0, settings(9));
        let comments = content
            .comments_until(start + chrono::Duration::days(28))
            .to_vec();
        let office = comments
            .iter()
            .filter(|c| is_office_hours(c.created_at))
            .count();
        let night = comments
            .iter()
            .filter(|c| !(6..22).contains(&c.created_at.with_timezone(&Stockholm).hour()))
            .count();
        // Office hours are 45 of the week's 168 hours but carry most comments.
        assert!(
            office * 2 > comments.len(),
            "{office} of {}",
            comments.len()
        );
        assert!(night * 10 < comments.len(), "{night} of {}", comments.len());
    }
}
