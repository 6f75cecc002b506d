//! Validation of `[tickets]`, `[[ticket_sinks]]` and `[alerts]`.

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use super::super::raw::{RawAlerts, RawTicketSink, RawTickets};
use super::super::{
    AlertsConfig, DepartmentConfig, MailConfig, SinkTarget, TicketSinkConfig, TicketsConfig,
};
use super::secrets::{SecretSources, Secrets, resolve_secret};
use super::{
    Problems, duration_or, email, integer_between, is_loopback, optional, required, web_url,
};
use crate::domain::TicketKind;
use crate::schedule::due::DueRule;

const DEFAULT_WEBHOOK_TIMEOUT: Duration = Duration::from_secs(10);

/// `[tickets.due]`: each key a ticket kind, each value a deadline.
pub(super) fn tickets(raw: &RawTickets, problems: &mut Problems) -> TicketsConfig {
    let mut due = HashMap::new();
    for (name, text) in raw.due.iter().flatten() {
        let key = format!("tickets.due.{name}");
        let Some(kind) = TicketKind::parse(name) else {
            problems.add(
                key,
                format!("is not a ticket kind; use one of {}", TicketKind::names()),
            );
            continue;
        };
        match DueRule::parse(text) {
            Ok(rule) => {
                due.insert(kind, rule);
            }
            Err(error) => problems.add(key, error.to_string()),
        }
    }
    TicketsConfig { due }
}

/// `[alerts]`.
pub(super) fn alerts(raw: &RawAlerts, problems: &mut Problems) -> AlertsConfig {
    let defaults = AlertsConfig::default();
    let runs = integer_between(
        raw.repeated_failure_runs,
        i64::from(defaults.repeated_failure_runs),
        (1, 100),
        "alerts.repeated_failure_runs",
        "a person should hear of a failing platform within a day or two",
        problems,
    );
    let summary_above = integer_between(
        raw.summary_above,
        i64::from(defaults.summary_above),
        (0, 10_000),
        "alerts.summary_above",
        "moderators must not get one e-mail per action when a backlog is worked off",
        problems,
    );
    AlertsConfig {
        digest: raw.digest.unwrap_or(defaults.digest),
        repeated_failure_runs: u32::try_from(runs).unwrap_or(defaults.repeated_failure_runs),
        summary_above: u32::try_from(summary_above).unwrap_or(defaults.summary_above),
    }
}

/// Every `[[ticket_sinks]]` entry; names must be unique.
pub(super) fn ticket_sinks(
    raw: &[RawTicketSink],
    departments: &[DepartmentConfig],
    mail: Option<&MailConfig>,
    secrets: &Secrets<'_>,
    problems: &mut Problems,
) -> Vec<TicketSinkConfig> {
    let mut seen = HashSet::new();
    let mut sinks = Vec::new();
    for (index, sink) in raw.iter().enumerate() {
        let prefix = format!("ticket_sinks[{index}]");
        if let Some(name) = optional(sink.name.as_deref())
            && !seen.insert(name.to_string())
        {
            problems.add(
                format!("{prefix}.name"),
                format!("\"{name}\" is used by an earlier sink; give each sink its own name"),
            );
        }
        if let Some(parsed) = ticket_sink(sink, &prefix, departments, mail, secrets, problems) {
            sinks.push(parsed);
        }
    }
    sinks
}

fn ticket_sink(
    raw: &RawTicketSink,
    prefix: &str,
    departments: &[DepartmentConfig],
    mail: Option<&MailConfig>,
    secrets: &Secrets<'_>,
    problems: &mut Problems,
) -> Option<TicketSinkConfig> {
    let name = required(
        raw.name.as_deref(),
        &format!("{prefix}.name"),
        "give the sink a unique name, e.g. \"registrator\"",
        problems,
    );
    let kinds = sink_kinds(raw.kinds.as_deref(), prefix, problems);
    let sink_departments =
        sink_departments(raw.departments.as_deref(), prefix, departments, problems);
    let target = sink_target(raw, prefix, mail, secrets, problems);
    Some(TicketSinkConfig {
        name: name?.to_string(),
        kinds,
        departments: sink_departments,
        target: target?,
    })
}

fn sink_kinds(value: Option<&[String]>, prefix: &str, problems: &mut Problems) -> Vec<TicketKind> {
    let mut kinds = Vec::new();
    for (i, name) in value.unwrap_or_default().iter().enumerate() {
        match TicketKind::parse(name) {
            Some(kind) => kinds.push(kind),
            None => problems.add(
                format!("{prefix}.kinds[{i}]"),
                format!(
                    "\"{name}\" is not a ticket kind; use one of {}",
                    TicketKind::names()
                ),
            ),
        }
    }
    kinds
}

fn sink_departments(
    value: Option<&[String]>,
    prefix: &str,
    departments: &[DepartmentConfig],
    problems: &mut Problems,
) -> Vec<String> {
    let mut keys = Vec::new();
    for (i, key) in value.unwrap_or_default().iter().enumerate() {
        if departments.iter().any(|d| d.key == key.trim()) {
            keys.push(key.trim().to_string());
        } else {
            problems.add(
                format!("{prefix}.departments[{i}]"),
                format!("\"{key}\" is not the key of a [[departments]] entry"),
            );
        }
    }
    keys
}

fn sink_target(
    raw: &RawTicketSink,
    prefix: &str,
    mail: Option<&MailConfig>,
    secrets: &Secrets<'_>,
    problems: &mut Problems,
) -> Option<SinkTarget> {
    let key = format!("{prefix}.type");
    if raw.attach_records.is_some() && raw.kind.as_deref() != Some("email") {
        problems.add(
            format!("{prefix}.attach_records"),
            "only an email sink attaches evidence records; remove the key",
        );
    }
    match required(
        raw.kind.as_deref(),
        &key,
        "write builtin, email or webhook",
        problems,
    )? {
        "builtin" => Some(SinkTarget::Builtin),
        "email" => email_target(raw, prefix, mail, problems),
        "webhook" => webhook_target(raw, prefix, secrets, problems),
        other => {
            problems.add(
                key,
                format!("\"{other}\" is not a sink type; write builtin, email or webhook"),
            );
            None
        }
    }
}

fn email_target(
    raw: &RawTicketSink,
    prefix: &str,
    mail: Option<&MailConfig>,
    problems: &mut Problems,
) -> Option<SinkTarget> {
    let to: Vec<String> = match raw.to.as_deref() {
        Some(list) if !list.is_empty() => list
            .iter()
            .enumerate()
            .filter_map(|(i, address)| email(address, &format!("{prefix}.to[{i}]"), problems))
            .collect(),
        _ => match mail.and_then(|m| m.registry_mailbox.clone()) {
            Some(registry) => vec![registry],
            None => {
                problems.add(
                    format!("{prefix}.to"),
                    "is missing and mail.registry_mailbox is not set; give the registry \
                     office's address",
                );
                return None;
            }
        },
    };
    Some(SinkTarget::Email {
        to,
        attach_records: raw.attach_records.unwrap_or(false),
    })
}

fn webhook_target(
    raw: &RawTicketSink,
    prefix: &str,
    secrets: &Secrets<'_>,
    problems: &mut Problems,
) -> Option<SinkTarget> {
    let url_key = format!("{prefix}.url");
    let url = required(
        raw.url.as_deref(),
        &url_key,
        "give the case system's endpoint",
        problems,
    )
    .and_then(|u| web_url(u, &url_key, problems));
    if let Some(url) = &url
        && url.scheme() == "http"
        && !url.host_str().is_some_and(is_loopback)
    {
        problems.add(
            &url_key,
            "uses plain http to a remote host; ticket data must travel over https",
        );
    }
    let secret = resolve_secret(
        &SecretSources {
            prefix,
            what: "secret",
            env: raw.secret_env.as_deref(),
            file: raw.secret_file.as_deref(),
            credential: raw.secret_credential.as_deref(),
        },
        secrets,
        problems,
    );
    if let Some(secret) = &secret
        && crate::config::webhook_signing_key(secret).is_none()
    {
        problems.add(
            format!("{prefix}.secret"),
            "starts with whsec_ but the rest is not base64; give the secret exactly as the \
             case system shows it (Standard Webhooks)",
        );
    }
    let timeout = duration_or(
        raw.timeout.as_deref(),
        DEFAULT_WEBHOOK_TIMEOUT,
        &format!("{prefix}.timeout"),
        problems,
    );
    Some(SinkTarget::Webhook {
        url: url?.to_string(),
        secret: secret?,
        timeout,
    })
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::super::{Problem, load_str_with_env};
    use crate::config::{ConfigError, SinkTarget};
    use crate::domain::TicketKind;
    use crate::schedule::due::DueRule;

    const BASE: &str = r#"
        [mail]
        from = "kommentarsvakt@stockholm.se"
        registry_mailbox = "registrator@stockholm.se"
        transport = "folder"

        [[departments]]
        key = "slk"
        name = "Stadsledningskontoret"

        [[accounts]]
        key = "stockholm-fb"
        platform = "facebook"
        platform_id = "123"
        name = "Stockholms stad"
        department = "slk"
        moderators = ["moderator@stockholm.se"]
        purpose = "Informera invånarna"
        token_env = "FB_TOKEN"
    "#;

    fn env() -> HashMap<String, String> {
        [("FB_TOKEN", "t"), ("HOOK_SECRET", "s3cret")]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn problems(extra: &str) -> Vec<Problem> {
        match load_str_with_env(&format!("{BASE}\n{extra}"), "test", &env()) {
            Err(ConfigError::Invalid { problems, .. }) => problems,
            Err(other) => panic!("{other}"),
            Ok(_) => panic!("accepted"),
        }
    }

    #[test]
    fn due_rules_and_sinks_load() {
        let text = format!(
            "{BASE}\n[alerts]\nrepeated_failure_runs = 5\n[tickets.due]\nquestion_to_answer = \"4 office hours\"\n\
             [[ticket_sinks]]\nname = \"reg\"\ntype = \"email\"\nkinds = [\"REG\"]\n\
             [[ticket_sinks]]\nname = \"hook\"\ntype = \"webhook\"\ndepartments = [\"slk\"]\n\
             url = \"http://127.0.0.1:9/x\"\nsecret_env = \"HOOK_SECRET\"\n"
        );
        let config = load_str_with_env(&text, "test", &env()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(config.alerts.repeated_failure_runs, 5);
        assert!(config.alerts.digest);
        assert_eq!(
            config.tickets.due_rule(TicketKind::QuestionToAnswer),
            DueRule::OfficeTime(std::time::Duration::from_secs(4 * 3600))
        );
        assert_eq!(
            config.tickets.due_rule(TicketKind::CaseMatter),
            DueRule::EndOfWorkingDay(2)
        );
        assert!(
            matches!(&config.ticket_sinks[0].target, SinkTarget::Email { to, attach_records: false } if to == &["registrator@stockholm.se"])
        );
        assert!(config.ticket_sinks[0].accepts(TicketKind::RemovedContentRegistration, "x"));
        assert!(!config.ticket_sinks[0].accepts(TicketKind::CaseMatter, "slk"));
        assert!(matches!(
            &config.ticket_sinks[1].target,
            SinkTarget::Webhook { .. }
        ));
        assert!(!format!("{config:?}").contains("s3cret"));
    }

    #[test]
    fn attaching_records_is_an_opt_in_of_email_sinks_only() {
        let text = format!(
            "{BASE}\n[[ticket_sinks]]\nname = \"diarium\"\ntype = \"email\"\nattach_records = true\n"
        );
        let config = load_str_with_env(&text, "test", &env()).unwrap_or_else(|e| panic!("{e}"));
        assert!(matches!(
            &config.ticket_sinks[0].target,
            SinkTarget::Email {
                attach_records: true,
                ..
            }
        ));
        let found = problems(
            "[[ticket_sinks]]\nname = \"hook\"\ntype = \"webhook\"\nattach_records = true\n\
             url = \"https://arende.example.se/t\"\nsecret_env = \"HOOK_SECRET\"\n",
        );
        let keys: Vec<&str> = found.iter().map(|p| p.key.as_str()).collect();
        assert_eq!(keys, ["ticket_sinks[0].attach_records"], "{found:?}");
    }

    #[test]
    fn every_ticket_mistake_is_reported_at_its_key() {
        let found = problems(
            "[alerts]\nrepeated_failure_runs = 0\n[tickets.due]\nquestion_to_answer = \"1 day\"\nfraga = \"immediately\"\n\
             [[ticket_sinks]]\nname = \"a\"\ntype = \"fax\"\n\
             [[ticket_sinks]]\nname = \"a\"\ntype = \"webhook\"\nkinds = [\"nope\"]\ndepartments = [\"okänd\"]\n\
             url = \"http://case.example.se/x\"\n",
        );
        let keys: Vec<&str> = found.iter().map(|p| p.key.as_str()).collect();
        for key in [
            "alerts.repeated_failure_runs",
            "tickets.due.question_to_answer",
            "tickets.due.fraga",
            "ticket_sinks[0].type",
            "ticket_sinks[1].name",
            "ticket_sinks[1].kinds[0]",
            "ticket_sinks[1].departments[0]",
            "ticket_sinks[1].url",
            "ticket_sinks[1]",
        ] {
            assert!(keys.contains(&key), "{key} missing in {keys:?}");
        }
    }
}
