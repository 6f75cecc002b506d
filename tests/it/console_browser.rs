//! The moderators' console in a real browser: headless Chromium against the
//! console served over the real pipeline and the simulator, logging in
//! through a real OpenID Connect provider's own login form.
//!
//! - the story the console is for: a moderator follows the link in a review
//!   e-mail, logs in at the city's identity provider, reads why the comment
//!   was flagged, hides it, finds the decision in the moderation log, and
//!   restores it again;
//! - the refusals a person can run into: another account's item (404), a
//!   login by someone the console gives no role, and a form whose CSRF
//!   token is not the session's;
//! - accessibility: axe-core finds no WCAG 2.1 A/AA violation on any page
//!   of ours (those the provider sends the browser back to included), the
//!   queue and the decisions work from the keyboard alone with a visible
//!   focus, and the item page fits 640 px (1280 px at 200 % zoom).
//!
//! Each test needs Chromium, axe-core and the provider (Node.js); without
//! one it prints `SKIPPED: …`, unless the matching
//! `KOMMENTARSVAKT_REQUIRE_*` is set.

use kommentarsvakt::archive::Archive;
use kommentarsvakt::store::StoredComment;
use mailparse::MailHeaderMap;

use crate::support::app::{TestApp, plain_text};
use crate::support::browser::{Chromium, Tab, axe_or_skip, chromium_or_skip, js_string};
use crate::support::oidc::{Provider, Setup, address_of, console_with_provider, password};
use crate::support::web::Console;
use crate::web::{ACCOUNTS, hide_calls};

/// What a review e-mail tells its reader before the link.
const LINK_LABEL: &str = "granska i konsolen: ";

/// Who follows the review e-mail's link: the provider's user who moderates
/// konto-0 by the config's address list.
const MODERATOR: &str = "moderator0";
/// The provider's user who moderates konto-1 only (through a group): to an
/// item on konto-0, an outsider.
const OTHER_ACCOUNTS_MODERATOR: &str = "gruppmoderator";
/// The provider's user whom the console gives no role.
const NO_ROLE: &str = "utomstaende";
/// The provider's user who is the registry office.
const REGISTRY: &str = "registrator";

/// A review e-mail in the mail folder: to whom it went and the console
/// link it names.
struct ReviewMail {
    recipients: Vec<String>,
    link: String,
}

impl ReviewMail {
    /// The link's path under the console.
    fn path(&self) -> &str {
        let at = self.link.find("/granska/").expect("a link to an item");
        &self.link[at..]
    }

    /// The item the link opens.
    fn item_id(&self) -> i64 {
        self.path()["/granska/".len()..]
            .parse()
            .expect("the link ends in the item's id")
    }

    /// Reads one e-mail: the first comment it sends to review, with its
    /// link to the console, and its recipients. `None` for other e-mails.
    fn parse(raw: &str) -> Option<Self> {
        let mail = mailparse::parse_mail(raw.as_bytes()).ok()?;
        let (_, body) = plain_text(&mail);
        // One line per comment: "<account>, kommentar <id>: att granska – …".
        let line = body
            .split(", kommentar ")
            .find(|line| line.contains(": att granska") && line.contains(LINK_LABEL))?;
        let at = line.find(LINK_LABEL)? + LINK_LABEL.len();
        let link: String = line[at..]
            .chars()
            .take_while(|c| !c.is_whitespace())
            .collect();
        let to = mail.headers.get_first_value("To")?;
        let recipients = mailparse::addrparse(&to)
            .ok()?
            .iter()
            .flat_map(|address| match address {
                mailparse::MailAddr::Single(one) => vec![one.addr.clone()],
                mailparse::MailAddr::Group(group) => {
                    group.addrs.iter().map(|one| one.addr.clone()).collect()
                }
            })
            .collect();
        Some(ReviewMail { recipients, link })
    }
}

/// The first review e-mail in the mail folder that went to `address`.
fn review_mail_to(app: &TestApp, address: &str) -> ReviewMail {
    app.mails()
        .iter()
        .filter_map(|raw| ReviewMail::parse(raw))
        .find(|mail| mail.recipients.iter().any(|r| r == address))
        .unwrap_or_else(|| panic!("the first slot sends {address} an e-mail linking to an item"))
}

/// What each browser test starts from: the console after one monitoring
/// slot, logging in through a running provider; a running Chromium; and
/// the first comment a review e-mail to [`MODERATOR`] names.
struct Scene {
    app: TestApp,
    console: Console,
    provider: Provider,
    browser: Chromium,
    axe: String,
    mail: ReviewMail,
}

impl Scene {
    /// The scene, or `None` (with the reason printed) without Chromium,
    /// axe-core or the provider.
    async fn start(setup: Setup) -> Option<Self> {
        let axe = axe_or_skip()?;
        let chromium = chromium_or_skip()?;
        let (app, console, provider) = console_with_provider(setup).await?;
        let mail = review_mail_to(&app, address_of(MODERATOR));
        let browser = Chromium::launch(&chromium).await;
        Some(Self {
            app,
            console,
            provider,
            browser,
            axe,
            mail,
        })
    }

    /// The item the review e-mail links to: its id and stored comment.
    async fn linked_item(&self) -> (i64, StoredComment) {
        let id = self.mail.item_id();
        (id, item(&self.console, id).await)
    }

    /// A new person's browser tab on the console, `width` pixels wide.
    async fn tab(&self, width: u32) -> Tab {
        self.browser.tab(&self.console.base, width).await
    }

    /// Logs in as `login` the way a person does, from the console's login
    /// page `tab` shows: the button to the city's identity provider, then
    /// the provider's own form. The tab ends on the page the provider and
    /// the console send it back to.
    async fn log_in(&self, tab: &Tab, login: &str) {
        assert!(
            tab.path().await.starts_with("/logga-in"),
            "on the login page"
        );
        tab.click_to_page("#oidc-login").await;
        let origin: String = tab.eval("location.origin").await;
        assert_eq!(origin, self.provider.issuer, "at the provider's form");
        tab.type_into("#login", login).await;
        tab.type_into("#password", &password(login)).await;
        tab.click_to_page("#submit").await;
        let back: String = tab.eval("location.origin").await;
        assert_eq!(back, self.console.base, "back at the console");
    }

    /// Opens the console's login page in `tab` and logs in as `login`
    /// (which lands on the queue).
    async fn open_console_as(&self, tab: &Tab, login: &str) {
        tab.open("/logga-in").await;
        self.log_in(tab, login).await;
    }

    /// axe-core's findings on the page `tab` shows, each prefixed by `page`.
    async fn violations_on(&self, tab: &Tab, page: &str) -> Vec<String> {
        tab.axe_violations(&self.axe)
            .await
            .into_iter()
            .map(|v| format!("{page}: {v}"))
            .collect()
    }
}

/// The stored comment of item `id`.
async fn item(console: &Console, id: i64) -> StoredComment {
    console
        .pipeline
        .store()
        .comment(id)
        .await
        .unwrap()
        .expect("the linked item exists")
}

/// Checks that the review e-mail went to a moderator of the item's
/// account, configured by address: the person who follows its link.
fn assert_moderates(console: &Console, address: &str, stored: &StoredComment) {
    assert_eq!(stored.account_key, ACCOUNTS[0], "an item on konto-0");
    let config = console.pipeline.config();
    let account = config
        .accounts
        .iter()
        .find(|a| a.key == stored.account_key)
        .expect("the item's account is configured");
    assert!(
        account.moderators.iter().any(|m| m == address),
        "{address} moderates {}",
        account.key
    );
}

/// The moderation log's rows for item `id`, as the page shows them.
async fn log_rows_for(tab: &Tab, id: i64) -> Vec<String> {
    tab.eval(&format!(
        "Array.from(document.querySelectorAll('tbody tr'))
            .filter(tr => tr.querySelector('a[href=\"/granska/{id}\"]'))
            .map(tr => tr.innerText)"
    ))
    .await
}

#[tokio::test]
async fn a_moderator_follows_the_review_e_mail_hides_the_comment_and_finds_it_in_the_log() {
    let Some(scene) = Scene::start(Setup::default()).await else {
        return;
    };
    let (id, stored) = scene.linked_item().await;
    let Scene {
        app, console, mail, ..
    } = &scene;
    let pid = stored.comment.platform_id.clone();
    let me = address_of(MODERATOR);
    assert_moderates(console, me, &stored);
    let tab = scene.tab(1280).await;

    // The link from the e-mail: to the login, through the city's identity
    // provider, then back to the item.
    tab.open(mail.path()).await;
    scene.log_in(&tab, MODERATOR).await;
    assert_eq!(tab.path().await, mail.path(), "back at the linked item");
    let mut found = scene
        .violations_on(&tab, "item, back from the provider")
        .await;
    let page = tab.text().await;
    assert!(page.contains("Varför den flaggades"));
    let findings = console.pipeline.store().findings(id).await.unwrap();
    assert!(!findings.is_empty());
    for finding in &findings {
        assert!(
            page.contains(finding.reason.trim()),
            "the Swedish reason {:?} is shown",
            finding.reason
        );
    }
    assert!(page.contains(stored.comment.text.lines().next().unwrap_or_default()));

    tab.type_into("#note", "Hot mot namngiven person").await;
    tab.click_to_page("button[name=\"decision\"][value=\"hide\"]")
        .await;
    assert_eq!(tab.path().await, format!("/granska/{id}?beslut=done"));
    assert!(
        tab.text()
            .await
            .contains("Beslutet är genomfört och registrerat.")
    );
    assert!(app.sim.comment_state(&pid).unwrap().hidden, "hidden");
    assert_eq!(hide_calls(app, &pid), 1, "exactly one hide call");
    let record = stored.record_path.expect("the item has an evidence record");
    assert!(app.archive_dir().join(&record).is_file());
    let receipt = Archive::open_read_only(app.archive_dir())
        .receipt_for(std::path::Path::new(&record))
        .expect("the evidence record holds");
    assert_eq!(receipt.platform_comment_id(), pid);

    // The decision in the moderation log, reached through the menu, under
    // the name the provider vouched for.
    tab.click_to_page("nav a[href=\"/logg\"]").await;
    let rows = log_rows_for(&tab, id).await;
    assert!(
        rows.iter().any(|row| row.contains("dold")
            && row.contains(me)
            && row.contains("Hot mot namngiven person")),
        "the hide is in the log: {rows:#?}"
    );

    // The moderator changes their mind: restore, from the log's link.
    tab.click_to_page(&format!("a[href=\"/granska/{id}\"]"))
        .await;
    tab.type_into("#note", "Felbedömning").await;
    tab.click_to_page("button[name=\"decision\"][value=\"restore\"]")
        .await;
    assert!(
        tab.text()
            .await
            .contains("Beslutet är genomfört och registrerat.")
    );
    assert!(
        !app.sim.comment_state(&pid).unwrap().hidden,
        "visible again"
    );
    assert_eq!(hide_calls(app, &pid), 1, "restoring does not hide again");
    tab.open("/logg").await;
    let rows = log_rows_for(&tab, id).await;
    assert!(
        rows.iter()
            .any(|row| row.contains("återställd") && row.contains("Felbedömning")),
        "the restore is in the log: {rows:#?}"
    );
    found.extend(scene.violations_on(&tab, "log after the restore").await);
    assert!(found.is_empty(), "axe-core found: {found:#?}");
}

#[tokio::test]
async fn the_browser_refuses_another_accounts_item_a_person_without_a_role_and_a_forged_form() {
    let Some(scene) = Scene::start(Setup::default()).await else {
        return;
    };
    let (id, stored) = scene.linked_item().await;
    let (app, console, path) = (&scene.app, &scene.console, scene.mail.path());
    let text = stored.comment.text.trim();

    // Another account's moderator: the item answers 404, without its text.
    let outsider = scene.tab(1280).await;
    outsider.open(path).await;
    scene.log_in(&outsider, OTHER_ACCOUNTS_MODERATOR).await;
    assert_eq!(outsider.path().await, path);
    assert_eq!(outsider.status().await, 404);
    let page = outsider.text().await;
    assert!(page.contains("Sidan finns inte"), "{page}");
    assert!(!page.contains(text));
    let mut found = scene
        .violations_on(&outsider, "another account's item")
        .await;

    // Someone the provider knows but the console gives no role: refused
    // on the way back, and not logged in afterwards.
    let stranger = scene.tab(1280).await;
    stranger.open(path).await;
    scene.log_in(&stranger, NO_ROLE).await;
    assert_eq!(stranger.status().await, 403);
    let page = stranger.text().await;
    assert!(page.contains("ingen roll i konsolen"), "{page}");
    assert!(!page.contains(text));
    found.extend(scene.violations_on(&stranger, "no role").await);
    stranger.open(path).await;
    assert!(
        stranger.path().await.starts_with("/logga-in"),
        "no session was kept"
    );

    // The account's moderator, whose decision form carries a token that
    // is not the session's (as a form forged elsewhere would).
    let owner_tab = scene.tab(1280).await;
    owner_tab.open(path).await;
    scene.log_in(&owner_tab, MODERATOR).await;
    let _: String = owner_tab
        .eval("document.querySelector('form[action$=\"/beslut\"] input[name=\"csrf\"]').value = 'forged-token'")
        .await;
    owner_tab
        .click_to_page("button[name=\"decision\"][value=\"hide\"]")
        .await;
    assert_eq!(owner_tab.status().await, 403);
    assert!(owner_tab.text().await.contains("Ingenting har ändrats"));
    found.extend(scene.violations_on(&owner_tab, "forged form").await);
    assert_eq!(hide_calls(app, &stored.comment.platform_id), 0);
    assert!(
        !app.sim
            .comment_state(&stored.comment.platform_id)
            .unwrap()
            .hidden
    );
    let decisions = console.pipeline.store().moderator_decisions(id).await;
    assert!(decisions.unwrap().is_empty(), "nothing recorded");
    assert!(found.is_empty(), "axe-core found: {found:#?}");
}

/// Whether the page scrolls sideways.
async fn scrolls_sideways(tab: &Tab) -> bool {
    tab.eval("document.documentElement.scrollWidth > document.documentElement.clientWidth")
        .await
}

#[tokio::test]
async fn every_console_page_passes_axe_and_reflows_at_200_percent_zoom() {
    // The demo login beside the provider's: the login page shows both.
    let setup = Setup {
        demo_login: true,
        ..Setup::default()
    };
    let Some(scene) = Scene::start(setup).await else {
        return;
    };
    let id = scene.mail.item_id();
    let tab = scene.tab(1280).await;

    tab.open("/logga-in").await;
    assert!(tab.has("#oidc-login").await && tab.has("button[name=\"user\"]").await);
    let mut found = scene.violations_on(&tab, "login").await;
    // The checker is live: a picture without a text alternative is found.
    let _: bool = tab
        .eval("document.querySelector('main').appendChild(document.createElement('img')) !== null")
        .await;
    let planted = tab.axe_violations(&scene.axe).await;
    assert!(
        planted.iter().any(|v| v.starts_with("image-alt:")),
        "{planted:?}"
    );
    scene.open_console_as(&tab, MODERATOR).await;
    assert_eq!(tab.path().await, "/", "the queue, back from the provider");
    found.extend(
        scene
            .violations_on(&tab, "queue, back from the provider")
            .await,
    );
    let item = format!("/granska/{id}");
    let evidence = format!("/bevis/{id}");
    for (name, path) in [
        ("item", item.as_str()),
        ("questions", "/fragor"),
        ("log", "/logg"),
        ("evidence", evidence.as_str()),
        ("overview", "/oversikt"),
        ("not found", "/finns-inte"),
    ] {
        tab.open(path).await;
        found.extend(scene.violations_on(&tab, name).await);
    }
    // The item after a decision (its notice, history and restore button),
    // and in English.
    tab.open(&item).await;
    tab.click_to_page("button[name=\"decision\"][value=\"hide\"]")
        .await;
    found.extend(scene.violations_on(&tab, "item after a decision").await);
    tab.click_to_page("a.lang").await;
    assert_eq!(
        tab.eval::<String>("document.documentElement.lang").await,
        "en"
    );
    found.extend(scene.violations_on(&tab, "item in English").await);
    // The registry office sees every account's questions.
    let registry = scene.tab(1280).await;
    scene.open_console_as(&registry, REGISTRY).await;
    registry.open("/fragor").await;
    assert!(
        registry.has("form[action$=\"/stang\"]").await,
        "a question to close"
    );
    found.extend(scene.violations_on(&registry, "questions (registry)").await);
    assert!(found.is_empty(), "axe-core found: {found:#?}");

    // 200 % zoom: 1280 px of screen are 640 CSS pixels.
    let zoomed = scene.tab(640).await;
    scene.open_console_as(&zoomed, MODERATOR).await;
    for path in ["/", item.as_str()] {
        zoomed.open(path).await;
        assert!(
            !scrolls_sideways(&zoomed).await,
            "{path} scrolls sideways at 640 px"
        );
    }
}

/// The element with the focus: its tag, its `data-shortcut`, its `href`,
/// and whether its focus ring can be seen (a solid outline at least 2 px).
async fn focused(tab: &Tab) -> serde_json::Value {
    tab.eval(
        "(() => { const e = document.activeElement; const s = getComputedStyle(e);
            return { tag: e.tagName.toLowerCase(), shortcut: e.dataset.shortcut || null,
                     href: e.getAttribute('href'),
                     ring: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2 }; })()",
    )
    .await
}

#[tokio::test]
async fn the_queue_and_its_decisions_work_from_the_keyboard_alone() {
    let Some(scene) = Scene::start(Setup::default()).await else {
        return;
    };
    let Scene { app, console, .. } = &scene;
    let tab = scene.tab(1280).await;
    scene.open_console_as(&tab, MODERATOR).await;
    assert_eq!(tab.path().await, "/");
    let queue = tab.text().await;
    assert!(
        queue.contains("j / k flyttar mellan kommentarerna"),
        "{queue}"
    );
    let links: Vec<String> = tab
        .eval("Array.from(document.querySelectorAll('a[data-item]')).map(a => a.getAttribute('href'))")
        .await;
    assert!(!links.is_empty(), "the moderator has items to review");

    tab.press("j").await;
    let first = focused(&tab).await;
    assert_eq!(first["href"], links[0].as_str(), "j goes to the first item");
    assert_eq!(first["ring"], true, "the focus can be seen");
    if links.len() > 1 {
        tab.press("j").await;
        assert_eq!(focused(&tab).await["href"], links[1].as_str());
        tab.press("k").await;
        assert_eq!(focused(&tab).await["href"], links[0].as_str());
    }
    tab.press_to_page("Enter").await;
    assert_eq!(tab.path().await, links[0]);
    let item_id: i64 = links[0]["/granska/".len()..].parse().unwrap();
    let pid = item(console, item_id).await.comment.platform_id;
    assert!(
        tab.text().await.contains("Enter genomför"),
        "keys explained"
    );

    // Letters typed into the note stay there: "d", "i" and "p" are
    // shortcuts everywhere else.
    tab.type_into("#note", "dip").await;
    assert_eq!(
        tab.eval::<String>("document.activeElement.id").await,
        "note"
    );
    assert_eq!(
        tab.eval::<String>("document.getElementById('note').value")
            .await,
        "dip"
    );
    tab.press("Tab").await;
    tab.press("d").await;
    let hide = focused(&tab).await;
    assert_eq!(hide["shortcut"], "d", "d moves to hide: {hide}");
    assert_eq!(hide["ring"], true, "the focus can be seen");
    assert_eq!(hide_calls(app, &pid), 0, "a shortcut alone decides nothing");
    tab.press_to_page("Enter").await;
    assert_eq!(tab.path().await, format!("{}?beslut=done", links[0]));
    assert!(app.sim.comment_state(&pid).unwrap().hidden);
    assert_eq!(hide_calls(app, &pid), 1);
    let decisions = console.pipeline.store().moderator_decisions(item_id).await;
    assert_eq!(decisions.unwrap()[0].note.as_deref(), Some("dip"));
}

/// Logs in on the login page the browser was sent to, as `person`, by
/// pressing their button in the demo login (what `demo --serve` offers).
async fn demo_login_as(tab: &Tab, person: &str) {
    assert!(
        tab.path().await.starts_with("/logga-in"),
        "on the login page"
    );
    tab.click_to_page(&format!(
        "button[name=\"user\"][value={}]",
        js_string(person)
    ))
    .await;
}

/// Where the README's pictures of the console go.
const SCREENSHOT_DIR: &str = "docs/console";
/// Their width: a laptop's browser window.
const SCREENSHOT_WIDTH: u32 = 1100;
/// Their greatest height: long pages (the log, a long thread) are cut.
const SCREENSHOT_MAX_HEIGHT: u32 = 1600;

/// The demo (`kommentarsvakt demo --serve`) on a free loopback port: its
/// console's address and a person its demo login offers.
async fn start_demo_console(data: &std::path::Path) -> (tokio::process::Child, String, String) {
    use tokio::io::AsyncBufReadExt;
    let mut demo = tokio::process::Command::new(env!("CARGO_BIN_EXE_kommentarsvakt"))
        .arg("demo")
        .arg("--data")
        .arg(data)
        .args(["--serve", "--listen", "127.0.0.1:0"])
        .stdout(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("the demo starts");
    let mut lines = tokio::io::BufReader::new(demo.stdout.take().expect("stdout")).lines();
    let (mut base, mut person) = (None, None);
    while let Some(line) = lines.next_line().await.expect("the demo's output") {
        if let Some(address) = line.strip_prefix("Moderatorskonsolen: ") {
            base = address
                .split_whitespace()
                .next()
                .map(|a| a.trim_end_matches('/').to_string());
        }
        if let Some(who) = line.strip_prefix("Logga in som t.ex. ") {
            person = Some(who.trim().to_string());
            break;
        }
    }
    // Read on, so the demo never writes into a closed pipe.
    tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
    (
        demo,
        base.expect("the demo prints the console's address"),
        person.expect("the demo names a person to log in as"),
    )
}

/// Writes a picture of each console page, as the demo shows it, to
/// `docs/console/` for the README:
/// `cargo test --test it console_screenshots -- --ignored`.
#[tokio::test]
#[ignore = "writes the README's pictures to docs/console/; run by hand after changing the console"]
async fn console_screenshots() {
    let Some(chromium) = chromium_or_skip() else {
        return;
    };
    let data = tempfile::tempdir().unwrap();
    let (_demo, base, person) = start_demo_console(data.path()).await;
    let out = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(SCREENSHOT_DIR);
    std::fs::create_dir_all(&out).unwrap();
    let browser = Chromium::launch(&chromium).await;
    let tab = browser.tab(&base, 1280).await;
    tab.open("/logga-in").await;
    tab.screenshot(&out.join("1-logga-in.png"), SCREENSHOT_WIDTH, 700)
        .await;
    demo_login_as(&tab, &person).await;
    tab.screenshot(
        &out.join("2-granskning.png"),
        SCREENSHOT_WIDTH,
        SCREENSHOT_MAX_HEIGHT,
    )
    .await;
    let first: String = tab
        .eval("document.querySelector('a[data-item]').getAttribute('href')")
        .await;
    let id = &first["/granska/".len()..];
    tab.open(&first).await;
    tab.screenshot(
        &out.join("3-kommentar.png"),
        SCREENSHOT_WIDTH,
        SCREENSHOT_MAX_HEIGHT,
    )
    .await;
    // The moderator decides, so the log shows a person's decision too.
    tab.type_into("#note", "Hot mot namngiven person").await;
    tab.click_to_page("button[name=\"decision\"]").await;
    for (file, path) in [
        ("4-bevispost.png", format!("/bevis/{id}")),
        ("5-fragor.png", "/fragor".to_string()),
        ("6-logg.png", "/logg?vem=person".to_string()),
        ("7-oversikt.png", "/oversikt".to_string()),
    ] {
        tab.open(&path).await;
        tab.screenshot(&out.join(file), SCREENSHOT_WIDTH, SCREENSHOT_MAX_HEIGHT)
            .await;
    }
}
