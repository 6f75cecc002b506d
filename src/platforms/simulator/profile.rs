//! Each simulated account's profile: the texts, website and contact
//! fields every platform's routes show in their own wire format (the Page
//! object, the IG User, the X user, the YouTube channel, the LinkedIn
//! organisation), and the control routes that read and change it, so a
//! test can make an account fail the daily check of its basic information.
//!
//! - `GET /_sim/profiles/{page}`: the profile as JSON;
//! - `POST /_sim/profiles/{page}` with a JSON object: each field named
//!   is set (a string) or blanked (`null`); fields not named stay.
//!
//! Every account starts with a complete profile, in Swedish, naming
//! Stadsledningskontoret (the department of the test and demo
//! configurations) and Stockholms stad.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{SimState, lock};

/// A simulated account's profile. Each platform shows the fields it has:
/// `about` is the short text (Facebook's about, Instagram's biography,
/// X's description), `description` the long one (Facebook's description,
/// YouTube's channel description, LinkedIn's organisation description).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SimProfile {
    /// The short profile text.
    pub about: Option<String>,
    /// The long profile text.
    pub description: Option<String>,
    /// The website link.
    pub website: Option<String>,
    /// The contact e-mail address (Facebook only shows it).
    pub email: Option<String>,
    /// The contact phone number (Facebook only shows it).
    pub phone: Option<String>,
}

impl SimProfile {
    /// The profile every simulated account starts with: every item of
    /// basic information the policy asks for, in both texts.
    pub(super) fn complete() -> Self {
        Self {
            about: Some(
                "Stadsledningskontoret i Stockholms stad. Här berättar vi om stadens service \
                 och svarar på frågor vardagar 8–17. Inlägg kan bli allmänna handlingar."
                    .to_string(),
            ),
            description: Some(
                "Stadsledningskontoret driver kontot för Stockholms stad. Här berättar vi om \
                 stadens service och svarar på frågor vardagar 8–17. Inlägg och kommentarer \
                 kan bli allmänna handlingar; kommentarer som bryter mot reglerna tas bort."
                    .to_string(),
            ),
            website: Some("https://start.stockholm.se/".to_string()),
            email: Some("stadsledningskontoret@stockholm.se".to_string()),
            phone: Some("08-508 290 00".to_string()),
        }
    }

    /// Applies a control request's object: a string sets a field, `null`
    /// blanks it; an unknown field or another type is refused.
    fn patch(&mut self, changes: &Map<String, Value>) -> Result<(), String> {
        for (field, value) in changes {
            let value = match value {
                Value::Null => None,
                Value::String(text) => Some(text.clone()),
                other => return Err(format!("{field}: expected a string or null, got {other}")),
            };
            let slot = match field.as_str() {
                "about" => &mut self.about,
                "description" => &mut self.description,
                "website" => &mut self.website,
                "email" => &mut self.email,
                "phone" => &mut self.phone,
                other => return Err(format!("{other}: not a profile field")),
            };
            *slot = value;
        }
        Ok(())
    }
}

impl SimState {
    /// The account's profile; `None` for an unknown page.
    pub(super) fn profile(&self, page_id: &str) -> Option<SimProfile> {
        self.page(page_id)?;
        Some(
            lock(&self.profiles)
                .get(page_id)
                .cloned()
                .unwrap_or_else(SimProfile::complete),
        )
    }

    /// Changes the account's profile; false for an unknown page.
    pub(super) fn edit_profile(&self, page_id: &str, edit: impl FnOnce(&mut SimProfile)) -> bool {
        if self.page(page_id).is_none() {
            return false;
        }
        let mut profiles = lock(&self.profiles);
        edit(
            profiles
                .entry(page_id.to_string())
                .or_insert_with(SimProfile::complete),
        );
        true
    }
}

/// The control routes, merged into the simulator's root router.
pub(super) fn control_router(state: Arc<SimState>) -> Router {
    Router::new()
        .route(
            "/_sim/profiles/{page}",
            get(control_profile).post(control_edit_profile),
        )
        .with_state(state)
}

async fn control_profile(State(sim): State<Arc<SimState>>, Path(page): Path<String>) -> Response {
    match sim.profile(&page) {
        Some(profile) => Json(profile).into_response(),
        None => (StatusCode::NOT_FOUND, "no such page\n").into_response(),
    }
}

async fn control_edit_profile(
    State(sim): State<Arc<SimState>>,
    Path(page): Path<String>,
    Json(changes): Json<Map<String, Value>>,
) -> Response {
    let mut refused = None;
    let known = sim.edit_profile(&page, |profile| {
        // All or nothing: a refused field leaves the profile as it was.
        let mut changed = profile.clone();
        match changed.patch(&changes) {
            Ok(()) => *profile = changed,
            Err(reason) => refused = Some(reason),
        }
    });
    match (known, refused) {
        (false, _) => (StatusCode::NOT_FOUND, "no such page\n").into_response(),
        (true, Some(reason)) => (StatusCode::BAD_REQUEST, format!("{reason}\n")).into_response(),
        (true, None) => Json(sim.profile(&page)).into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_patch_sets_and_blanks_the_fields_it_names_and_keeps_the_rest() {
        let mut profile = SimProfile::complete();
        let changes: Map<String, Value> =
            serde_json::from_str(r#"{"website": null, "about": "Ny text"}"#).unwrap();

        profile.patch(&changes).expect("valid patch");

        assert_eq!(profile.website, None);
        assert_eq!(profile.about.as_deref(), Some("Ny text"));
        assert_eq!(profile.email, SimProfile::complete().email);
        let unknown: Map<String, Value> = serde_json::from_str(r#"{"webbplats": null}"#).unwrap();
        assert!(profile.patch(&unknown).is_err());
    }

    #[tokio::test]
    async fn the_control_route_blanks_a_field_every_platform_then_serves_without_it() {
        let (sim, _clock) = super::super::calls::one_page_simulator().await;
        let page = sim.pages()[0].id.clone();
        let url = format!("{}/_sim/profiles/{page}", sim.base_url());
        let client = reqwest::Client::new();

        let refused = client
            .post(&url)
            .json(&serde_json::json!({"website": null, "webbplats": "x"}))
            .send()
            .await
            .unwrap();
        assert_eq!(refused.status(), 400);
        assert_eq!(
            sim.profile(&page),
            Some(SimProfile::complete()),
            "nothing lost"
        );

        let blanked = client
            .post(&url)
            .json(&serde_json::json!({"website": null}))
            .send()
            .await
            .unwrap();
        assert_eq!(blanked.status(), 200);
        let shown: SimProfile = client.get(&url).send().await.unwrap().json().await.unwrap();
        assert_eq!(shown.website, None);
        let page_object = super::super::calls::get_json(format!(
            "{}/v24.0/{page}?fields=website,about",
            sim.base_url()
        ))
        .await;
        assert!(page_object.get("website").is_none(), "{page_object}");
        assert!(page_object.get("about").is_some(), "{page_object}");
        let unknown = client
            .post(format!("{}/_sim/profiles/404", sim.base_url()))
            .json(&serde_json::json!({}))
            .send()
            .await
            .unwrap();
        assert_eq!(unknown.status(), 404);
    }
}
