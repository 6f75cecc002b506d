//! Validation of an account's register fields (`goals`, `target_groups`,
//! `[accounts.responsible]`, `started`, `status`, `closing_date`). A field
//! that is left out is a gap `check-config` warns about; a field that is
//! written wrong (a date that is no date, an unknown status, an address
//! that is no address) is a problem like any other.

use chrono::NaiveDate;

use super::super::raw::RawAccount;
use super::super::{AccountRegister, AccountStatus, ResponsiblePerson};
use super::{Problems, optional, optional_email};

/// The register fields of the account at `prefix` (`accounts[2]`).
pub(super) fn account_register(
    raw: &RawAccount,
    prefix: &str,
    problems: &mut Problems,
) -> AccountRegister {
    let at = |field: &str| format!("{prefix}.{field}");
    let responsible = raw.responsible.as_ref();
    let started = date(raw.started.as_deref(), &at("started"), problems);
    let closing_date = date(raw.closing_date.as_deref(), &at("closing_date"), problems);
    if let (Some(started), Some(closing)) = (started, closing_date)
        && closing < started
    {
        problems.add(
            at("closing_date"),
            format!(
                "{closing} is before the start date {started}; an account closes after it starts"
            ),
        );
    }
    AccountRegister {
        description: optional(raw.description.as_deref()).map(String::from),
        goals: texts(raw.goals.as_deref()),
        target_groups: texts(raw.target_groups.as_deref()),
        responsible: ResponsiblePerson {
            name: optional(responsible.and_then(|r| r.name.as_deref())).map(String::from),
            email: optional_email(
                responsible.and_then(|r| r.email.as_deref()),
                &at("responsible.email"),
                problems,
            ),
        },
        started,
        status: status(raw.status.as_deref(), &at("status"), problems),
        closing_date,
    }
}

/// The written, non-blank entries of a list.
fn texts(list: Option<&[String]>) -> Vec<String> {
    list.unwrap_or_default()
        .iter()
        .filter_map(|text| optional(Some(text)))
        .map(String::from)
        .collect()
}

fn date(value: Option<&str>, key: &str, problems: &mut Problems) -> Option<NaiveDate> {
    let text = optional(value)?;
    match NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        Ok(date) => Some(date),
        Err(error) => {
            problems.add(
                key,
                format!("\"{text}\" is not a date ({error}); write e.g. \"2019-03-01\""),
            );
            None
        }
    }
}

fn status(value: Option<&str>, key: &str, problems: &mut Problems) -> Option<AccountStatus> {
    let text = optional(value)?;
    let status = AccountStatus::parse(text);
    if status.is_none() {
        problems.add(
            key,
            format!("\"{text}\" is not a status; write \"active\", \"closing\" or \"closed\""),
        );
    }
    status
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use chrono::NaiveDate;

    use super::super::{ConfigError, Problem, load_str_with_env};
    use crate::config::{AccountRegister, AccountStatus, Config, RegisterField, register_gaps};

    // One account without any register field, as configurations written
    // before the register were.
    use super::super::tests::MINIMAL as WITHOUT_REGISTER;

    fn load(text: &str) -> Result<Config, ConfigError> {
        let env = HashMap::from([("FB_TOKEN".to_string(), "t".to_string())]);
        load_str_with_env(text, "k.toml", &env)
    }

    fn with_register(fields: &str) -> String {
        WITHOUT_REGISTER.replace(
            "token_env = \"FB_TOKEN\"",
            &format!("token_env = \"FB_TOKEN\"\n{fields}"),
        )
    }

    fn problems(text: &str) -> Vec<Problem> {
        match load(text) {
            Err(ConfigError::Invalid { problems, .. }) => problems,
            other => panic!("expected problems, got {other:?}"),
        }
    }

    #[test]
    fn a_configuration_without_register_fields_loads_with_every_gap_named() {
        let config = load(WITHOUT_REGISTER).unwrap_or_else(|e| panic!("{e}"));
        let gaps = register_gaps(&config.accounts);
        let fields: Vec<RegisterField> = gaps.iter().map(|gap| gap.field).collect();
        assert_eq!(fields, AccountRegister::default().gaps());
        assert_eq!(
            gaps[0].to_string(),
            "warning: accounts \"stockholm-fb\": goals: mätbara mål saknas / measurable goals \
             are missing"
        );
    }

    #[test]
    fn written_register_fields_are_read_and_leave_no_gap() {
        let text = with_register(
            r#"goals = ["Svara inom en dag"]
            target_groups = ["Stockholmare", " "]
            started = "2019-03-01"
            status = "closing"
            closing_date = "2027-01-31"
            responsible = { name = "Anna Andersson", email = "anna@stockholm.se" }"#,
        );
        let config = load(&text).unwrap_or_else(|e| panic!("{e}"));
        let register = &config.accounts[0].register;
        assert!(register_gaps(&config.accounts).is_empty());
        assert_eq!(register.target_groups, ["Stockholmare"]);
        assert_eq!(register.status(), AccountStatus::Closing);
        assert_eq!(register.started, NaiveDate::from_ymd_opt(2019, 3, 1));
        assert_eq!(register.closing_date, NaiveDate::from_ymd_opt(2027, 1, 31));
        assert_eq!(
            register.responsible.email.as_deref(),
            Some("anna@stockholm.se")
        );
    }

    #[test]
    fn register_fields_written_wrong_are_problems_with_their_keys() {
        let text = with_register(
            r#"started = "1 mars 2019"
            status = "paused"
            closing_date = "2027-13-01"
            responsible = { name = "Anna", email = "anna at stockholm" }"#,
        );
        let keys: Vec<String> = problems(&text).into_iter().map(|p| p.key).collect();
        assert_eq!(
            keys,
            [
                "accounts[0].started",
                "accounts[0].status",
                "accounts[0].closing_date",
                "accounts[0].responsible.email",
            ],
            "every problem, in the order of the file"
        );
    }

    #[test]
    fn a_closing_date_before_the_start_is_a_problem() {
        let text = with_register(
            r#"started = "2019-03-01"
            closing_date = "2018-01-01""#,
        );
        let problems = problems(&text);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].key, "accounts[0].closing_date");
        assert!(
            problems[0]
                .reason
                .contains("before the start date 2019-03-01")
        );
    }

    #[test]
    fn the_demo_and_reference_accounts_have_complete_registers() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(dir.path().join("simulator-token"), "t").unwrap_or_else(|e| panic!("{e}"));
        let demo = include_str!("../../../config/demo.toml")
            .replace("demo-data/", &format!("{}/", dir.path().display()));
        let demo = load_str_with_env(&demo, "demo.toml", &HashMap::new())
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(register_gaps(&demo.accounts), []);
        let env: HashMap<String, String> = [
            "KOMMENTARSVAKT_TOKEN_STOCKHOLM_FACEBOOK",
            "KOMMENTARSVAKT_TOKEN_STOCKHOLM_YOUTUBE",
            "KOMMENTARSVAKT_TOKEN_STOCKHOLM_LINKEDIN",
            "KOMMENTARSVAKT_SMTP_PASSWORD",
        ]
        .into_iter()
        .map(|name| (name.to_string(), "t".to_string()))
        .collect();
        let reference = load_str_with_env(
            include_str!("../../../config/kommentarsvakt.toml"),
            "kommentarsvakt.toml",
            &env,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(register_gaps(&reference.accounts), []);
    }
}
