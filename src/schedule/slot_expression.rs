//! Reading one slot's cron expression, with messages that say how to fix it.
//!
//! The cron crate (0.17) differs from the Unix crontab that most people know
//! in two ways that silently break a schedule or give a misleading error: it
//! needs 6 fields with seconds first, and its numeric day of week counts
//! 1 = Sunday … 7 = Saturday. So the 5-field form gets a message showing the
//! corrected expression, and numbers in the day-of-week field are refused in
//! favour of day names, which cannot be misread.

use std::str::FromStr;

/// The form a slot is written in, shown in every message.
pub(super) const FORM_HINT: &str = "write 6 fields, seconds first: second minute hour day-of-month month day-of-week, \
     e.g. \"0 30 8 * * Mon-Fri\" for 08:30 Monday to Friday";

/// Day names by Unix crontab number (0 and 7 are Sunday).
const UNIX_DAY_NAMES: [&str; 8] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/// Day names by cron-crate (Quartz) number, 1 = Sunday; index 0 is unused.
const QUARTZ_DAY_NAMES: [&str; 8] = ["", "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

/// Parses one slot expression, or says in plain words what is wrong with it.
pub(super) fn parse(expression: &str) -> Result<cron::Schedule, String> {
    let fields: Vec<&str> = expression.split_whitespace().collect();
    if fields.first().is_some_and(|first| first.starts_with('@')) {
        return parse_with_cron(expression);
    }
    match fields.len() {
        0 => Err(format!("the expression is empty; {FORM_HINT}")),
        5 => Err(five_field_message(&fields)),
        6 | 7 => match numeric_day_of_week_message(&fields) {
            Some(message) => Err(message),
            None => parse_with_cron(expression),
        },
        n => Err(format!("it has {n} fields; {FORM_HINT}")),
    }
}

fn parse_with_cron(expression: &str) -> Result<cron::Schedule, String> {
    cron::Schedule::from_str(expression).map_err(|error| {
        // The parser's message repeats the expression with a caret under the
        // problem; the last line is the explanation.
        let message = error.to_string();
        let detail = message
            .lines()
            .map(str::trim)
            .rfind(|line| !line.is_empty())
            .unwrap_or("it does not parse");
        format!("{detail}; {FORM_HINT}")
    })
}

/// The Unix 5-field form: show the same schedule in the 6-field form.
fn five_field_message(fields: &[&str]) -> String {
    let suggestion = five_field_suggestion(fields);
    match suggestion {
        Some(corrected) => format!(
            "it has 5 fields (the Unix crontab form), but slots need 6 fields with seconds \
             first (second minute hour day-of-month month day-of-week): write \"{corrected}\""
        ),
        None => format!("it has 5 fields (the Unix crontab form); {FORM_HINT}"),
    }
}

/// `0` prepended for the seconds, and Unix day numbers turned into names;
/// `None` when even that does not parse.
fn five_field_suggestion(fields: &[&str]) -> Option<String> {
    let (day_of_week, other_fields) = fields.split_last()?;
    let day_of_week = day_names_for(day_of_week, &UNIX_DAY_NAMES)?;
    let corrected = format!("0 {} {day_of_week}", other_fields.join(" "));
    cron::Schedule::from_str(&corrected).ok().map(|_| corrected)
}

/// A message when the day-of-week field (the 6th) uses numbers.
fn numeric_day_of_week_message(fields: &[&str]) -> Option<String> {
    let day_of_week = *fields.get(5)?;
    if !uses_day_numbers(day_of_week) {
        return None;
    }
    let with_day = |names: &[&str; 8]| {
        day_names_for(day_of_week, names).map(|converted| {
            let mut corrected: Vec<&str> = fields.to_vec();
            corrected[5] = &converted;
            corrected.join(" ")
        })
    };
    let base = format!(
        "the day of week \"{day_of_week}\" uses numbers, which here count 1 = Sunday … \
         7 = Saturday (unlike Unix crontab, where 1 = Monday); write day names instead"
    );
    Some(
        match (with_day(&QUARTZ_DAY_NAMES), with_day(&UNIX_DAY_NAMES)) {
            (Some(as_read), Some(as_unix)) if as_read != as_unix => format!(
                "{base}: \"{as_read}\" is what this expression means, \"{as_unix}\" is what it \
             means in Unix crontab"
            ),
            (Some(as_read), _) => format!("{base}: \"{as_read}\""),
            (None, Some(as_unix)) => {
                format!("{base}: \"{as_unix}\" is what it means in Unix crontab")
            }
            _ => format!("{base}, e.g. \"0 30 8 * * Mon-Fri\""),
        },
    )
}

/// Whether any value in a day-of-week field is a number (steps such as
/// `/2` do not count).
fn uses_day_numbers(day_of_week: &str) -> bool {
    day_of_week.split(',').any(|part| {
        let base = part.split('/').next().unwrap_or(part);
        base.chars().any(|c| c.is_ascii_digit())
    })
}

/// The day-of-week field with every day number replaced by its name under
/// the given numbering; `None` if a number is out of range.
fn day_names_for(day_of_week: &str, names: &[&str; 8]) -> Option<String> {
    let parts: Option<Vec<String>> = day_of_week
        .split(',')
        .map(|part| {
            let (base, step) = match part.split_once('/') {
                Some((base, step)) => (base, Some(step)),
                None => (part, None),
            };
            let base = match base.split_once('-') {
                Some((from, to)) => format!("{}-{}", day_name(from, names)?, day_name(to, names)?),
                None => day_name(base, names)?,
            };
            Some(match step {
                Some(step) => format!("{base}/{step}"),
                None => base,
            })
        })
        .collect();
    parts.map(|parts| parts.join(","))
}

/// One day value as a name; names, `*` and `?` are kept as written.
fn day_name(value: &str, names: &[&str; 8]) -> Option<String> {
    match value.parse::<usize>() {
        Ok(number) => names
            .get(number)
            .filter(|name| !name.is_empty())
            .map(|name| (*name).to_string()),
        Err(_) => Some(value.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_six_and_seven_fields_and_shorthands() {
        for expression in [
            "0 30 8 * * Mon-Fri",
            "0 0 12 * * Mon,Wed,Fri",
            "0 30 15 * * * 2030",
            "@daily",
        ] {
            assert!(parse(expression).is_ok(), "{expression}");
        }
    }

    #[test]
    fn messages_explain_the_mistake() {
        let cases = [
            ("30 8 * * 1-5", "write \"0 30 8 * * Mon-Fri\""),
            ("30 8 * * Mon-Fri", "write \"0 30 8 * * Mon-Fri\""),
            ("0 15 * * 0,6", "write \"0 0 15 * * Sun,Sat\""),
            (
                "0 30 8 * * 2-6",
                "\"0 30 8 * * Mon-Fri\" is what this expression means",
            ),
            (
                "0 30 8 * * 2-6",
                "\"0 30 8 * * Tue-Sat\" is what it means in Unix",
            ),
            ("0 30 8 * * 1", "1 = Sunday"),
            (
                "0 0 12 * * 0-4",
                "\"0 0 12 * * Sun-Thu\" is what it means in Unix",
            ),
            ("0 0 25 * * Mon-Fri", "Hours must be"),
            ("0 61 8 * * Mon-Fri", "6 fields, seconds first"),
            ("", "the expression is empty"),
            ("8:30 weekdays", "it has 2 fields"),
        ];
        for (expression, expected) in cases {
            let message = parse(expression).unwrap_err();
            assert!(
                message.contains(expected),
                "{expression:?}: {message:?} lacks {expected:?}"
            );
        }
    }

    #[test]
    fn day_steps_are_not_mistaken_for_day_numbers() {
        assert!(parse("0 0 12 * * Mon-Fri/2").is_ok());
    }
}
