//! Cross-site request forgery protection: every state-changing form
//! carries its session's random token (the synchronizer-token pattern),
//! compared in constant time. The SameSite cookie is a second line: a
//! request from another site carries no session cookie on a POST.

use axum::http::StatusCode;
use axum::response::Response;

use super::layout::{Lang, message_page};
use crate::store::SessionRow;

/// The refusal page unless `submitted` is the session's token.
pub fn refusal_unless_valid(lang: Lang, session: &SessionRow, submitted: &str) -> Option<Response> {
    if constant_time_eq(session.csrf.as_bytes(), submitted.as_bytes()) {
        None
    } else {
        tracing::warn!("A form was posted without its session's CSRF token; refused");
        Some(refusal(lang))
    }
}

/// The page a forged or stale form gets.
pub fn refusal(lang: Lang) -> Response {
    message_page(
        lang,
        StatusCode::FORBIDDEN,
        lang.t("Formuläret godtogs inte", "The form was not accepted"),
        lang.t(
            "Formuläret kom inte från din inloggning i konsolen (eller så har det gått ut). \
             Ingenting har ändrats. Ladda om sidan och försök igen.",
            "The form did not come from your console session (or it has expired). Nothing \
             was changed. Reload the page and try again.",
        ),
    )
}

/// Whether two secrets are equal, in time that does not depend on where
/// they differ (tokens, OpenID `state` and `nonce`).
pub(crate) fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session(csrf: &str) -> SessionRow {
        SessionRow {
            user_id: None,
            user_name: None,
            groups: Vec::new(),
            csrf: csrf.to_string(),
            pending: None,
            expires_at: chrono::Utc::now(),
        }
    }

    #[test]
    fn only_the_sessions_own_token_passes() {
        let s = session("a1b2c3");
        assert!(refusal_unless_valid(Lang::Sv, &s, "a1b2c3").is_none());
        assert_eq!(
            refusal_unless_valid(Lang::Sv, &s, "a1b2c4").map(|r| r.status()),
            Some(StatusCode::FORBIDDEN)
        );
        assert!(refusal_unless_valid(Lang::Sv, &s, "").is_some());
        assert!(refusal_unless_valid(Lang::Sv, &s, "a1b2c3d").is_some());
    }
}
