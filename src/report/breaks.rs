//! Breaks an account announces in its own posts. The policy lets an
//! account publish less in holidays when it says so in a post ("Vi tar
//! sommaruppehåll och är tillbaka 10 augusti", "Kontot pausar över jul",
//! "uppehåll till och med vecka 2"); the weeks such a break covers are
//! not held to the publishing rhythm ([`super::rhythm`]).
//!
//! A post announces a break when one of its sentences has a break word
//! (`uppehåll`, `paus`, `pausar`, `ledigt`, `semester`, `vilar`, also in
//! compounds such as `sommaruppehåll`) with the account as its subject or
//! object (`vi`, `kontot`, `sidan`, `publiceringen` …), is not negated,
//! and does not pause something else ("uppehåll i simskolan"). The break
//! starts on the post's day and ends on the return date the post gives
//! (a date or a week number, the year worked out from the post's day), or
//! [`UNDATED_BREAK_WEEKS`] later when it names none; no announced break
//! lasts longer than [`MAX_BREAK_WEEKS`], so one post cannot silence the
//! check for good.

use std::collections::HashMap;
use std::sync::LazyLock;

use chrono::{DateTime, Datelike, Days, IsoWeek, NaiveDate, Utc, Weekday};
use chrono_tz::Tz;
use regex::Regex;

use crate::store::{Store, StoreError};

/// How long a break that names no end lasts: a Christmas or a short
/// summer break, after which the rhythm is judged again.
pub const UNDATED_BREAK_WEEKS: u64 = 4;

/// The longest break one post can announce (a long summer break).
pub const MAX_BREAK_WEEKS: u64 = 12;

/// A break an account announced: the days it covers, both included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AnnouncedBreak {
    /// The day of the announcing post.
    pub first_day: NaiveDate,
    /// The last day of the break (the day before the account is back).
    pub last_day: NaiveDate,
}

impl AnnouncedBreak {
    /// Whether the week starting on `monday` has any day of the break.
    pub fn touches_week(&self, monday: NaiveDate) -> bool {
        let sunday = monday + Days::new(6);
        self.first_day <= sunday && monday <= self.last_day
    }
}

/// A pattern of this module, all written here: one that does not compile
/// is a bug found by the first test.
fn pattern(source: &str) -> Regex {
    Regex::new(source).unwrap_or_else(|e| panic!("pattern {source}: {e}"))
}

/// A word that says someone stops for a while; compounds included
/// (`sommaruppehåll`, `julpaus`), other words built on them not
/// (`pausen`, `pausgympa`, `uppehållstillstånd`).
static BREAK_WORD: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"\b\w*(uppehåll|paus|pausar|pausa|pausat|ledigt|lediga|semester|vilar)\b")
});

/// The account itself, as its posts name it (also in compounds such as
/// `instagramkontot`, `facebooksidan`).
static ACCOUNT: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"\b(vi|oss|\w*kontot|\w*sidan|kanalen|flödet|publiceringen|inläggen|här)\b")
});

/// Abbreviations whose full stops would end a sentence too early, and
/// what they stand for.
static ABBREVIATIONS: LazyLock<[(Regex, &'static str); 4]> = LazyLock::new(|| {
    [
        (pattern(r"\bt\.\s?o\.\s?m\.?"), "till och med"),
        (pattern(r"\bfr\.\s?o\.\s?m\.?"), "från och med"),
        (pattern(r"\bv\.\s?(\d)"), "vecka $1"),
        (
            pattern(r"\b(jan|feb|mar|apr|jun|jul|aug|sep|sept|okt|nov|dec)\."),
            "$1",
        ),
    ]
});

/// How far either side of a break word a negation turns it round.
const NEGATION_REACH: usize = 15;

/// A negation that turns the announcement round ("vi pausar inte",
/// "utan uppehåll").
static NEGATION: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"\b(inte|ej|ingen|inget|aldrig|utan)\b"));

/// "uppehåll i simskolan", "paus för konserten": something definite other
/// than the account pauses. Times ("i sommar", "i jul", "i helgerna")
/// and the account's own things are let through by [`OWN_OR_TIME`].
static OTHER_THING: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"(uppehåll|paus)\s+(i|för|med|på)\s+(\w+(en|an|et|na|orna|erna))\b"));

/// Definite nouns after "uppehåll i …" that are the account or a time.
static OWN_OR_TIME: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"^(publiceringen|kontot|sidan|kanalen|flödet|inläggen|helgen|helgerna|sommaren|julen|påsken|veckorna|lovet|jullovet|sommarlovet|sportlovet|höstlovet|påsklovet)$",
    )
});

/// A date or a week the break runs to, with what comes just before it:
/// `10 augusti [2027]`, `2027-08-10`, `10/8`, `vecka 2`, `v. 33`.
static END_MARK: LazyLock<Regex> = LazyLock::new(|| {
    pattern(concat!(
        r"(?P<before>[^.!?\d]{0,30})",
        r"(?:(?P<iso>(?P<iy>\d{4})-(?P<im>\d{2})-(?P<id>\d{2}))",
        r"|(?P<dm>(?P<d>\d{1,2})\s*(?P<m>januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|okt|nov|dec)\.?(?:\s+(?P<y>\d{4}))?)",
        r"|(?P<slash>(?P<sd>\d{1,2})/(?P<sm>\d{1,2}))",
        r"|(?P<week>\b(?:vecka|v\.?)\s*(?P<w>\d{1,2})))\b",
    ))
});

/// Words before an end that make it the break's last day rather than the
/// day the account is back.
static INCLUSIVE: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"(till och med|\btom\b|\befter\b|[–-]\s*$|\bsista\b)"));

/// The breaks each account announced that may reach into `[from, to)`
/// (posts up to [`MAX_BREAK_WEEKS`] before it are read too), by account
/// key.
pub async fn announced_breaks(
    store: &Store,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    timezone: Tz,
) -> Result<HashMap<String, Vec<AnnouncedBreak>>, StoreError> {
    let lookback = chrono::TimeDelta::weeks(MAX_BREAK_WEEKS as i64);
    let mut breaks: HashMap<String, Vec<AnnouncedBreak>> = HashMap::new();
    for post in store.own_posts_on_breaks(from - lookback, to).await? {
        let posted_on = post.created_at.with_timezone(&timezone).date_naive();
        if let Some(announced) = announced_break(&post.text, posted_on) {
            breaks.entry(post.account_key).or_default().push(announced);
        }
    }
    Ok(breaks)
}

/// The break `text`, posted on `posted_on`, announces, if any.
pub fn announced_break(text: &str, posted_on: NaiveDate) -> Option<AnnouncedBreak> {
    let text = ABBREVIATIONS
        .iter()
        .fold(text.to_lowercase(), |text, (pattern, meaning)| {
            pattern.replace_all(&text, *meaning).into_owned()
        });
    let sentence = text
        .split(['.', '!', '?', '\n'])
        .find(|s| announces_a_break(s))?;
    let latest = posted_on + Days::new(7 * MAX_BREAK_WEEKS);
    let last_day = break_end(&text, sentence, posted_on)
        .unwrap_or(posted_on + Days::new(7 * UNDATED_BREAK_WEEKS))
        .min(latest);
    Some(AnnouncedBreak {
        first_day: posted_on,
        last_day: last_day.max(posted_on),
    })
}

fn announces_a_break(sentence: &str) -> bool {
    ACCOUNT.is_match(sentence)
        && !pauses_something_else(sentence)
        && BREAK_WORD
            .find_iter(sentence)
            .any(|word| !negated(sentence, word.start(), word.end()))
}

/// Whether a negation stands within [`NEGATION_REACH`] characters of the
/// break word at `start..end`.
fn negated(sentence: &str, start: usize, end: usize) -> bool {
    let before: String = sentence[..start]
        .chars()
        .rev()
        .take(NEGATION_REACH)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let after: String = sentence[end..].chars().take(NEGATION_REACH).collect();
    NEGATION.is_match(&format!("{before} {after}"))
}

fn pauses_something_else(sentence: &str) -> bool {
    OTHER_THING
        .captures_iter(sentence)
        .any(|c| !OWN_OR_TIME.is_match(&c[3]))
}

/// The break's last day: from the last end named in the announcing
/// sentence (in "1 juli – 2 augusti" the first is its start), else the
/// first in the post.
fn break_end(text: &str, sentence: &str, posted_on: NaiveDate) -> Option<NaiveDate> {
    END_MARK
        .captures_iter(sentence)
        .filter_map(|c| end_of(&c, posted_on))
        .last()
        .or_else(|| {
            END_MARK
                .captures_iter(text)
                .find_map(|c| end_of(&c, posted_on))
        })
}

fn end_of(c: &regex::Captures<'_>, posted_on: NaiveDate) -> Option<NaiveDate> {
    let inclusive = INCLUSIVE.is_match(&c["before"]);
    let number = |name: &str| c.name(name).and_then(|m| m.as_str().parse::<u32>().ok());
    if c.name("week").is_some() {
        let week = iso_week_on_or_after(number("w")?, posted_on)?;
        let monday = NaiveDate::from_isoywd_opt(week.year(), week.week(), Weekday::Mon)?;
        return Some(if inclusive {
            monday + Days::new(6)
        } else {
            monday - Days::new(1)
        });
    }
    let day = if c.name("iso").is_some() {
        NaiveDate::from_ymd_opt(number("iy")? as i32, number("im")?, number("id")?)?
    } else if c.name("dm").is_some() {
        let month = month_number(&c["m"])?;
        match number("y") {
            Some(year) => NaiveDate::from_ymd_opt(year as i32, month, number("d")?)?,
            None => date_on_or_after(month, number("d")?, posted_on)?,
        }
    } else {
        date_on_or_after(number("sm")?, number("sd")?, posted_on)?
    };
    Some(if inclusive { day } else { day - Days::new(1) })
}

fn month_number(name: &str) -> Option<u32> {
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec",
    ];
    MONTHS
        .iter()
        .position(|m| name.starts_with(m))
        .map(|i| i as u32 + 1)
}

/// `day` of `month` in the year of `posted_on`, or the next year's when it
/// has passed ("tillbaka 7 januari" posted in December).
fn date_on_or_after(month: u32, day: u32, posted_on: NaiveDate) -> Option<NaiveDate> {
    let this_year = NaiveDate::from_ymd_opt(posted_on.year(), month, day)?;
    if this_year >= posted_on {
        Some(this_year)
    } else {
        NaiveDate::from_ymd_opt(posted_on.year() + 1, month, day)
    }
}

/// ISO week `number` that has not ended at `posted_on`: this year's, or
/// next year's ("vecka 2" posted in December).
fn iso_week_on_or_after(number: u32, posted_on: NaiveDate) -> Option<IsoWeek> {
    let year = posted_on.iso_week().year();
    [year, year + 1].into_iter().find_map(|y| {
        let sunday = NaiveDate::from_isoywd_opt(y, number, Weekday::Sun)?;
        (sunday >= posted_on).then(|| sunday.iso_week())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(year: i32, month: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(year, month, d).unwrap_or_default()
    }

    fn ends(text: &str, posted_on: NaiveDate) -> Option<NaiveDate> {
        announced_break(text, posted_on).map(|b| b.last_day)
    }

    #[test]
    fn a_return_date_ends_the_break_the_day_before() {
        let posted = day(2026, 6, 26);
        assert_eq!(
            ends(
                "Vi tar sommaruppehåll och är tillbaka 10 augusti. Trevlig sommar!",
                posted
            ),
            Some(day(2026, 8, 9))
        );
        assert_eq!(
            ends("Sidan har semester, vi är åter 2026-08-03", posted),
            Some(day(2026, 8, 2))
        );
        assert_eq!(
            ends("Uppehåll i publiceringen t.o.m. 9/8.", posted),
            Some(day(2026, 8, 9)),
            "an inclusive end is the last day itself"
        );
        assert_eq!(
            ends("Vi pausar 1 juli – 2 aug. Ha en fin sommar", posted),
            Some(day(2026, 8, 2)),
            "a range's end is its last day"
        );
    }

    #[test]
    fn a_date_without_a_year_is_the_next_one_after_the_post() {
        assert_eq!(
            ends(
                "Kontot pausar över jul. Vi är tillbaka 7 januari!",
                day(2026, 12, 18)
            ),
            Some(day(2027, 1, 6))
        );
    }

    #[test]
    fn compounds_and_day_month_dates_are_read() {
        assert_eq!(
            ends("Instagramkontot tar julledigt till 7/1.", day(2026, 12, 18)),
            Some(day(2027, 1, 6))
        );
    }

    #[test]
    fn a_week_number_ends_the_break_with_that_week_or_before_it() {
        let posted = day(2026, 12, 18);
        assert_eq!(
            ends("Vi har uppehåll till och med vecka 2.", posted),
            Some(day(2027, 1, 17)),
            "week 2 of 2027 ends on Sunday 17 January"
        );
        assert_eq!(
            ends("Vi tar juluppehåll och återkommer v. 2", posted),
            Some(day(2027, 1, 10)),
            "back in week 2: the break ends the Sunday before"
        );
    }

    #[test]
    fn a_break_without_an_end_lasts_a_bounded_number_of_weeks() {
        let posted = day(2026, 12, 18);
        assert_eq!(
            ends("Kontot pausar över jul och nyår. God jul!", posted),
            Some(posted + Days::new(7 * UNDATED_BREAK_WEEKS))
        );
        assert_eq!(
            ends("Vi tar uppehåll och är tillbaka 1 januari 2029", posted),
            Some(posted + Days::new(7 * MAX_BREAK_WEEKS)),
            "no post silences the check for longer than the longest break"
        );
    }

    #[test]
    fn pauses_in_other_senses_are_not_breaks() {
        let posted = day(2026, 11, 20);
        for text in [
            "Under pausen bjuder vi på kaffe i foyern.",
            "Paus i konserten klockan 20.",
            "Ta en paus och njut av höstsolen i parken!",
            "Vi har uppehåll i simskolan under jullovet, badet är öppet som vanligt.",
            "Vi pausar inte – biblioteket har öppet hela julen.",
            "Badet har öppet utan uppehåll hela sommaren, välkommen!",
            "Söker du uppehållstillstånd? Migrationsverket svarar.",
        ] {
            assert_eq!(announced_break(text, posted), None, "{text}");
        }
    }
}
