//! Login to the console through a real OpenID Connect provider on
//! loopback (`oidc-provider`), following its real login form: who gets in
//! and what they see, roles from group claims, and the refusals — a
//! tampered `state`, a replayed code, a wrong nonce, a person in no role —
//! plus the cookie's attributes, the rate limit and an unreachable provider.

use kommentarsvakt::store::{QueueFilter, StoredComment};
use reqwest::StatusCode;
use reqwest::header::SET_COOKIE;

use crate::support::app::TestApp;
use crate::support::oidc::{
    OidcBrowser, Setup, address_of, console_with_provider, logged_in_through_provider, query_param,
    session_cookie, web_section, with_query_param,
};
use crate::support::web::{Answer, Browser, Console};

/// The first review item of `account`.
async fn item_of(console: &Console, account: &str) -> StoredComment {
    console
        .pipeline
        .store()
        .review_queue(&QueueFilter {
            accounts: vec![account.to_string()],
            limit: 1,
            ..QueueFilter::default()
        })
        .await
        .unwrap()
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("the first slot sends a comment of {account} to review"))
}

/// Whether the browser is logged out: the queue sends it to the login page.
async fn is_logged_out(browser: &mut Browser) -> bool {
    let queue = browser.get("/").await;
    queue.status == StatusCode::SEE_OTHER && queue.location().starts_with("/logga-in")
}

fn refused_login(answer: &Answer) {
    assert_eq!(answer.status, StatusCode::FORBIDDEN, "{}", answer.body);
    assert!(
        answer.body.contains("Inloggningen kunde inte slutföras"),
        "{}",
        answer.body
    );
    let cookie = session_cookie(answer).unwrap_or_default();
    assert!(
        cookie.contains("Max-Age=0"),
        "the login's cookie is cleared: {cookie}"
    );
}

#[tokio::test]
async fn a_moderator_logs_in_through_the_provider_and_sees_only_their_account() {
    let Some((_app, console, _provider)) = console_with_provider(Setup::default()).await else {
        return;
    };
    let theirs = item_of(&console, "konto-0").await;
    let other = item_of(&console, "konto-1").await;
    let mut browser = logged_in_through_provider(&console, "moderator0").await;

    let queue = browser.get("/").await;
    assert_eq!(queue.status, StatusCode::OK);
    assert!(queue.body.contains("Mona Moderator"), "their name is shown");
    assert!(
        queue
            .body
            .contains(&format!("href=\"/granska/{}\"", theirs.id))
    );
    assert!(
        !queue
            .body
            .contains(&format!("href=\"/granska/{}\"", other.id))
    );
    let page = browser.get(&format!("/granska/{}", theirs.id)).await;
    assert_eq!(page.status, StatusCode::OK);
    for path in [
        format!("/granska/{}", other.id),
        format!("/bevis/{}", other.id),
    ] {
        assert_eq!(
            browser.get(&path).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }

    // Logging out ends the session on the server, not only in the browser.
    let cookie = browser.cookie.clone();
    let out = browser.post("/logga-ut", &[("csrf", &page.csrf())]).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert!(is_logged_out(&mut browser).await);
    browser.cookie = cookie;
    assert!(
        is_logged_out(&mut browser).await,
        "the old cookie is worth nothing"
    );
}

#[tokio::test]
async fn a_person_in_no_role_is_refused_and_gets_no_session() {
    let Some((_app, console, _provider)) = console_with_provider(Setup::default()).await else {
        return;
    };
    let login = OidcBrowser::new(&console, &console.base)
        .log_in("utomstaende")
        .await;
    assert_eq!(login.status, StatusCode::FORBIDDEN, "{}", login.body);
    assert!(
        login.body.contains("ingen roll i konsolen"),
        "{}",
        login.body
    );
    assert!(
        !login.body.contains(address_of("utomstaende")),
        "no address on the page"
    );
    let cookie = session_cookie(&login).expect("the login's cookie is cleared");
    assert!(cookie.contains("Max-Age=0"), "{cookie}");
}

#[tokio::test]
async fn roles_come_from_the_providers_group_claims() {
    let Some((app, console, _provider)) = console_with_provider(Setup::default()).await else {
        return;
    };
    let konto0 = item_of(&console, "konto-0").await;
    let konto1 = item_of(&console, "konto-1").await;

    // A member of the konto-1 moderators' group moderates konto-1 only.
    let mut moderator = logged_in_through_provider(&console, "gruppmoderator").await;
    let page = moderator.get(&format!("/granska/{}", konto1.id)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("name=\"decision\""), "they may decide");
    assert_eq!(
        moderator
            .get(&format!("/granska/{}", konto0.id))
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    // A member of the registry group sees every account and decides nothing.
    let mut registry = logged_in_through_provider(&console, "gruppregistrator").await;
    for item in [&konto0, &konto1] {
        let page = registry.get(&format!("/granska/{}", item.id)).await;
        assert_eq!(page.status, StatusCode::OK);
    }
    let page = registry.get(&format!("/granska/{}", konto0.id)).await;
    let refused = registry
        .post(
            &format!("/granska/{}/beslut", konto0.id),
            &[("csrf", &page.csrf()), ("round", "0"), ("decision", "hide")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(
        !app.sim.calls().iter().any(|c| c.comment_id.as_deref()
            == Some(konto0.comment.platform_id.as_str())
            && c.method == "POST"),
        "no platform call"
    );
}

#[tokio::test]
async fn a_tampered_state_is_refused_and_uses_the_login_up() {
    let Some((_app, console, _provider)) = console_with_provider(Setup::default()).await else {
        return;
    };
    let browser = OidcBrowser::new(&console, &console.base);
    let authorization = browser.begin().await;
    let callback = browser.at_provider(&authorization, "moderator0").await;
    let state = query_param(&callback, "state").expect("state in the callback");
    let tampered = with_query_param(&callback, "state", &format!("{state}0"));
    refused_login(&browser.finish(&tampered).await);
    // The genuine callback comes too late: the login under way is gone.
    refused_login(&browser.finish(&callback).await);
}

#[tokio::test]
async fn a_replayed_code_is_refused() {
    let Some((_app, console, _provider)) = console_with_provider(Setup::default()).await else {
        return;
    };
    let first = OidcBrowser::new(&console, &console.base);
    let authorization = first.begin().await;
    let callback = first.at_provider(&authorization, "moderator0").await;
    let login = first.finish(&callback).await;
    assert_eq!(login.status, StatusCode::SEE_OTHER, "{}", login.body);

    // The same callback again in the same browser: no login under way.
    refused_login(&first.finish(&callback).await);

    // The used code with another browser's own state: the provider will not
    // exchange it again (nor for another PKCE verifier).
    let second = OidcBrowser::new(&console, &console.base);
    let their_state = query_param(&second.begin().await, "state").expect("state in the request");
    let replay = with_query_param(&callback, "state", &their_state);
    refused_login(&second.finish(&replay).await);
}

#[tokio::test]
async fn an_id_token_for_another_login_is_refused_by_its_nonce() {
    let Some((_app, console, _provider)) = console_with_provider(Setup::default()).await else {
        return;
    };
    let browser = OidcBrowser::new(&console, &console.base);
    let authorization = browser.begin().await;
    let nonce = query_param(&authorization, "nonce").expect("nonce in the request");
    assert_eq!(nonce.len(), 64, "a fresh 256-bit nonce");
    assert_eq!(
        query_param(&authorization, "code_challenge_method").as_deref(),
        Some("S256")
    );
    // The provider issues a token for another nonce, as for another login.
    let other = with_query_param(&authorization, "nonce", "another-logins-nonce");
    let callback = browser.at_provider(&other, "moderator0").await;
    refused_login(&browser.finish(&callback).await);
}

#[tokio::test]
async fn over_https_the_session_cookie_is_secure_httponly_and_samesite() {
    let setup = Setup {
        https: true,
        ..Setup::default()
    };
    let Some((_app, console, _provider)) = console_with_provider(setup).await else {
        return;
    };
    let public_url = console.base.replace("http://", "https://");
    let login = OidcBrowser::new(&console, &public_url)
        .log_in("moderator0")
        .await;
    assert_eq!(login.status, StatusCode::SEE_OTHER, "{}", login.body);
    let cookie = session_cookie(&login).expect("a session cookie");
    assert!(cookie.starts_with("__Host-kv_session="), "{cookie}");
    for attribute in ["; Path=/", "; HttpOnly", "; SameSite=Lax", "; Secure"] {
        assert!(cookie.contains(attribute), "{attribute} in {cookie}");
    }
    assert!(!cookie.contains("Domain="), "{cookie}");
}

/// A console whose provider is configured but not running (nothing
/// listens on the issuer's port).
async fn console_without_provider() -> (TestApp, Console) {
    let app = TestApp::start().await;
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let issuer = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let listener = kommentarsvakt::web::bind("127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let address = listener.local_addr().unwrap().to_string();
    let section = web_section(
        &address,
        &format!("http://{address}"),
        &issuer,
        false,
        app.dir.path(),
    );
    app.write_config_with(|toml| format!("{toml}{section}"));
    let pipeline = app.pipeline().await;
    let console = Console::serve_on(listener, pipeline);
    (app, console)
}

#[tokio::test]
async fn an_unreachable_provider_is_reported_without_a_login() {
    let (_app, console) = console_without_provider().await;
    let mut browser = console.browser();
    let page = browser.get("/logga-in").await;
    let started = browser
        .post(
            kommentarsvakt::web::oidc::START_PATH,
            &[("csrf", &page.csrf()), ("till", "/")],
        )
        .await;
    assert_eq!(started.status, StatusCode::BAD_GATEWAY, "{}", started.body);
    assert!(
        started.body.contains("Identitetstjänsten"),
        "{}",
        started.body
    );
    assert!(is_logged_out(&mut browser).await);
}

#[tokio::test]
async fn guessed_callbacks_use_up_the_login_attempts() {
    let (_app, console) = console_without_provider().await;
    let mut browser = console.browser();
    let guess = format!(
        "{}?code=guess&state=guess",
        kommentarsvakt::web::oidc::CALLBACK_PATH
    );
    for _ in 0..kommentarsvakt::web::auth::LOGIN_ATTEMPTS {
        let answer = browser.get(&guess).await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN, "{}", answer.body);
    }
    assert_eq!(
        browser.get(&guess).await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
    let page = browser.get("/logga-in").await;
    let started = browser
        .post(
            kommentarsvakt::web::oidc::START_PATH,
            &[("csrf", &page.csrf()), ("till", "/")],
        )
        .await;
    assert_eq!(started.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(
        started.headers.get(SET_COOKIE).is_none(),
        "no login is started"
    );
}
