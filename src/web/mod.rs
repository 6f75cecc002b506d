//! The moderators' console: a web interface, served by the service itself,
//! where a person decides what the service left to a person.
//!
//! - [`auth`]: who may log in and what they may see and decide (roles and
//!   account access from the config and the provider's groups), the demo
//!   login, logout, the login rate limit;
//! - [`oidc`]: login through the city's identity provider (OpenID Connect);
//! - [`session`]: server-side sessions behind an HttpOnly, SameSite cookie;
//! - [`csrf`]: the token every state-changing form carries;
//! - [`headers`]: Content-Security-Policy and the other security headers;
//! - [`queue`]: the review queue and one item with its thread and findings;
//! - [`decide`]: a person's decision, carried out through [`crate::actions`]
//!   exactly as the service's own actions are;
//! - [`questions`], [`log`], [`evidence`], [`overview`]: the other pages;
//! - [`layout`]: the page shell, the stylesheet and the shortcut script.
//!
//! Pages are rendered on the server; the only script is a few lines of
//! keyboard shortcuts served from here, so the CSP allows nothing else.
//! A moderator sees only the accounts they moderate: any other account's
//! item answers 404, exactly like an item that does not exist.

pub mod auth;
pub mod csrf;
pub mod decide;
pub mod evidence;
pub mod headers;
pub mod layout;
pub mod log;
pub mod oidc;
pub mod overview;
pub mod questions;
pub mod queue;
pub mod session;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio_util::sync::CancellationToken;

use crate::config::{CrisisConfig, WebConfig};
use crate::pipeline::Pipeline;
use crate::store::StoreError;

use self::layout::Lang;

/// Why the console could not be served.
#[derive(Debug, thiserror::Error)]
pub enum WebError {
    /// The configured address could not be bound.
    #[error("cannot listen on {address} for the console: {source}")]
    Bind {
        /// The address.
        address: SocketAddr,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// Serving stopped with an error.
    #[error("the console stopped serving: {0}")]
    Serve(std::io::Error),
}

/// What every request handler shares.
pub struct WebState {
    pipeline: Arc<Pipeline>,
    web: WebConfig,
    crisis: watch::Receiver<CrisisConfig>,
    limiter: auth::LoginLimiter,
    oidc: Option<oidc::OidcClient>,
}

impl WebState {
    /// The console over a running service: `crisis` follows the daemon's
    /// crisis setting (it changes without a restart).
    pub fn new(
        pipeline: Arc<Pipeline>,
        web: WebConfig,
        crisis: watch::Receiver<CrisisConfig>,
    ) -> Arc<Self> {
        let oidc = web
            .oidc
            .clone()
            .map(|config| oidc::OidcClient::new(config, &web.public_url));
        Arc::new(Self {
            pipeline,
            web,
            crisis,
            limiter: auth::LoginLimiter::default(),
            oidc,
        })
    }

    /// The wired service.
    pub fn pipeline(&self) -> &Pipeline {
        &self.pipeline
    }

    /// The `[web]` settings.
    pub fn web(&self) -> &WebConfig {
        &self.web
    }
}

/// Every route of the console.
pub fn router(state: Arc<WebState>) -> Router {
    Router::new()
        .route("/", get(queue::queue_page))
        .route("/granska/{id}", get(queue::item_page))
        .route("/granska/{id}/beslut", post(decide::decide))
        .route("/bevis/{id}", get(evidence::evidence_page))
        .route("/bevis/{id}/bild", get(evidence::screenshot))
        .route("/fragor", get(questions::questions_page))
        .route("/fragor/{reference}/stang", post(questions::close))
        .route("/logg", get(log::log_page))
        .route("/logg.csv", get(log::csv_export))
        .route("/oversikt", get(overview::overview_page))
        .route("/logga-in", get(auth::login_page))
        .route("/logga-in/demo", post(auth::demo_login))
        .route(oidc::START_PATH, post(oidc::start))
        .route(oidc::CALLBACK_PATH, get(oidc::callback))
        .route("/logga-ut", post(auth::logout))
        .route("/sprak", get(session::set_language))
        .route(
            "/static/konsol.css",
            get(|| async { layout::static_file("text/css; charset=utf-8", layout::CSS) }),
        )
        .route(
            "/static/konsol.js",
            get(|| async { layout::static_file("text/javascript; charset=utf-8", layout::JS) }),
        )
        .fallback(not_found_fallback)
        .layer(axum::middleware::from_fn(headers::security_headers))
        .with_state(state)
}

async fn not_found_fallback(lang: session::LangPref) -> Response {
    not_found(lang.0)
}

/// Binds the console's address.
pub async fn bind(address: SocketAddr) -> Result<TcpListener, WebError> {
    TcpListener::bind(address)
        .await
        .map_err(|source| WebError::Bind { address, source })
}

/// Serves the console on `listener` until `shutdown`.
pub async fn serve(
    listener: TcpListener,
    state: Arc<WebState>,
    shutdown: CancellationToken,
) -> Result<(), WebError> {
    let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(async move { shutdown.cancelled().await })
        .await
        .map_err(WebError::Serve)
}

/// The page for anything that does not exist — or that the person may not
/// see, which must look the same.
pub fn not_found(lang: Lang) -> Response {
    layout::message_page(
        lang,
        StatusCode::NOT_FOUND,
        lang.t("Sidan finns inte", "Page not found"),
        lang.t(
            "Det finns inget här, eller så har du inte tillgång till det.",
            "There is nothing here, or you do not have access to it.",
        ),
    )
}

/// The page for something the person may see but not do.
pub fn forbidden(lang: Lang, why: &str) -> Response {
    layout::message_page(
        lang,
        StatusCode::FORBIDDEN,
        lang.t("Ingen behörighet", "No access"),
        why,
    )
}

/// The page for a failure of the service itself; the details go to the log.
pub fn internal_error(lang: Lang, error: &dyn std::error::Error) -> Response {
    tracing::error!(%error, "The console could not answer a request");
    layout::message_page(
        lang,
        StatusCode::INTERNAL_SERVER_ERROR,
        lang.t("Något gick fel", "Something went wrong"),
        lang.t(
            "Tjänsten kunde inte svara. Försök igen; drift har fått felet i loggen.",
            "The service could not answer. Try again; operations have the error in the log.",
        ),
    )
}

/// A store failure as a response.
pub fn store_error(lang: Lang, error: StoreError) -> Response {
    internal_error(lang, &error)
}
