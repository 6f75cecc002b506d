//! Security headers on every console response.
//!
//! The Content-Security-Policy allows only the console's own stylesheet,
//! script and images, no inline script or style, no framing, and forms
//! that post only back to the console — the login page's form may also
//! lead on to the identity provider, as browsers check every redirect a
//! form submission follows against `form-action`. Pages are never cached (they show
//! comments that may be personal data); the referrer is never sent, so an
//! item's address does not leak to a platform when its link is followed.

use axum::extract::Request;
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

/// The console's Content-Security-Policy.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; \
     style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; \
     frame-ancestors 'none'; base-uri 'none'";

/// The policy for a page whose form sends the browser on to `origin`
/// (the identity provider's login, through the console's redirect): the
/// console's policy with that one origin added to `form-action`.
pub fn policy_with_form_target(origin: &str) -> Option<HeaderValue> {
    let policy = CONTENT_SECURITY_POLICY.replace(
        "form-action 'self';",
        &format!("form-action 'self' {origin};"),
    );
    HeaderValue::from_str(&policy).ok()
}

/// Adds the security headers to a response (a page that set its own
/// policy keeps it).
pub async fn security_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    if !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CONTENT_SECURITY_POLICY),
        );
    }
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    if !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}
