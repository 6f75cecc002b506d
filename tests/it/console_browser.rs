//! The moderators' console in a real browser: headless Chromium against the
//! console served over the real pipeline and the simulator.
//!
//! - the story the console is for: a moderator follows the link in a review
//!   e-mail, logs in, reads why the comment was flagged, hides it, finds the
//!   decision in the moderation log, and restores it again;
//! - the refusals a person can run into: another account's item (404) and
//!   a form whose CSRF token is not the session's;
//! - accessibility: axe-core finds no WCAG 2.1 A/AA violation on any page,
//!   the queue and the decisions work from the keyboard alone with a
//!   visible focus, and the item page fits 640 px (1280 px at 200 % zoom).

use kommentarsvakt::archive::Archive;
use kommentarsvakt::store::StoredComment;
use mailparse::MailHeaderMap;

use crate::support::app::{TestApp, plain_text};
use crate::support::browser::{Chromium, Tab, axe_or_skip, chromium_or_skip, js_string};
use crate::support::web::Console;
use crate::web::{ACCOUNTS, console_after_one_slot, hide_calls, moderator};

/// What a review e-mail tells its reader before the link.
const LINK_LABEL: &str = "granska i konsolen: ";

/// A review e-mail in the mail folder: to whom it went and the console
/// link it names.
struct ReviewMail {
    recipients: Vec<String>,
    link: String,
}

impl ReviewMail {
    /// The link's path under the console (the tests serve it on another
    /// port than the configured public address).
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
}

/// The first comment an e-mail in the mail folder sends to review, with
/// its link to the console.
fn first_review_mail(app: &TestApp) -> ReviewMail {
    app.mails()
        .iter()
        .find_map(|raw| {
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
        })
        .expect("the first slot sends an e-mail linking to a review item")
}

/// The first of an e-mail's recipients who moderates the item's account:
/// who follows the link.
fn moderating_recipient(console: &Console, mail: &ReviewMail, stored: &StoredComment) -> String {
    let config = console.pipeline.config();
    let account = config
        .accounts
        .iter()
        .find(|a| a.key == stored.account_key)
        .expect("the item's account is configured");
    mail.recipients
        .iter()
        .find(|r| account.moderators.contains(r))
        .unwrap_or_else(|| {
            panic!(
                "the review e-mail goes to a moderator of {}: {:?}",
                account.key, mail.recipients
            )
        })
        .clone()
}

/// What each browser test starts from: the console after one monitoring
/// slot, a running Chromium, and the first comment a review e-mail names.
struct Scene {
    app: TestApp,
    console: Console,
    browser: Chromium,
    mail: ReviewMail,
}

impl Scene {
    /// The scene, or `None` (with the reason printed) without Chromium.
    async fn start() -> Option<Self> {
        let chromium = chromium_or_skip()?;
        let (app, console) = console_after_one_slot(true).await;
        let mail = first_review_mail(&app);
        let browser = Chromium::launch(&chromium).await;
        Some(Self {
            app,
            console,
            browser,
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

/// Which of the test accounts a comment was written on.
fn account_index(stored: &StoredComment) -> usize {
    ACCOUNTS
        .iter()
        .position(|a| *a == stored.account_key)
        .expect("a test account")
}

/// Logs in on the login page the browser was sent to, as `person`, by
/// pressing their button in the demo login.
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
    let Some(scene) = Scene::start().await else {
        return;
    };
    let (id, stored) = scene.linked_item().await;
    let Scene {
        app, console, mail, ..
    } = &scene;
    let pid = stored.comment.platform_id.clone();
    let me = moderating_recipient(console, mail, &stored);
    let tab = scene.tab(1280).await;

    // The link from the e-mail: first to the login, then back to the item.
    tab.open(mail.path()).await;
    demo_login_as(&tab, &me).await;
    assert_eq!(tab.path().await, mail.path(), "back at the linked item");
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

    // The decision in the moderation log, reached through the menu.
    tab.click_to_page("nav a[href=\"/logg\"]").await;
    let rows = log_rows_for(&tab, id).await;
    assert!(
        rows.iter().any(|row| row.contains("dold")
            && row.contains(&me)
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
}

#[tokio::test]
async fn the_browser_shows_another_accounts_item_as_missing_and_refuses_a_forged_form() {
    let Some(scene) = Scene::start().await else {
        return;
    };
    let (id, stored) = scene.linked_item().await;
    let (app, console, path) = (&scene.app, &scene.console, scene.mail.path());
    let owner = account_index(&stored);

    // Another account's moderator: the item answers 404, without its text.
    let outsider = scene.tab(1280).await;
    outsider.open(path).await;
    demo_login_as(&outsider, &moderator((owner + 1) % ACCOUNTS.len())).await;
    assert_eq!(outsider.status().await, 404);
    let page = outsider.text().await;
    assert!(page.contains("Sidan finns inte"), "{page}");
    assert!(!page.contains(stored.comment.text.trim()));

    // The account's moderator, whose decision form carries a token that
    // is not the session's (as a form forged elsewhere would).
    let owner_tab = scene.tab(1280).await;
    owner_tab.open(path).await;
    demo_login_as(&owner_tab, &moderator(owner)).await;
    let _: String = owner_tab
        .eval("document.querySelector('form[action$=\"/beslut\"] input[name=\"csrf\"]').value = 'forged-token'")
        .await;
    owner_tab
        .click_to_page("button[name=\"decision\"][value=\"hide\"]")
        .await;
    assert_eq!(owner_tab.status().await, 403);
    assert!(owner_tab.text().await.contains("Ingenting har ändrats"));
    assert_eq!(hide_calls(app, &stored.comment.platform_id), 0);
    assert!(
        !app.sim
            .comment_state(&stored.comment.platform_id)
            .unwrap()
            .hidden
    );
    let decisions = console.pipeline.store().moderator_decisions(id).await;
    assert!(decisions.unwrap().is_empty(), "nothing recorded");
}

/// The moderator of the item a review e-mail links to, logged in in `tab`
/// (which lands on the queue).
async fn log_in_as_the_items_moderator(tab: &Tab, console: &Console, id: i64) -> String {
    let me = moderator(account_index(&item(console, id).await));
    tab.open("/logga-in").await;
    demo_login_as(tab, &me).await;
    me
}

/// axe-core's findings on the page `tab` shows, each prefixed by `page`.
async fn violations_on(tab: &Tab, axe: &str, page: &str) -> Vec<String> {
    tab.axe_violations(axe)
        .await
        .into_iter()
        .map(|v| format!("{page}: {v}"))
        .collect()
}

/// Whether the page scrolls sideways.
async fn scrolls_sideways(tab: &Tab) -> bool {
    tab.eval("document.documentElement.scrollWidth > document.documentElement.clientWidth")
        .await
}

#[tokio::test]
async fn every_console_page_passes_axe_and_reflows_at_200_percent_zoom() {
    let Some(axe) = axe_or_skip() else {
        return;
    };
    let Some(scene) = Scene::start().await else {
        return;
    };
    let console = &scene.console;
    let id = scene.mail.item_id();
    let tab = scene.tab(1280).await;
    let mut found = Vec::new();

    tab.open("/logga-in").await;
    found.extend(violations_on(&tab, &axe, "login").await);
    // The checker is live: a picture without a text alternative is found.
    let _: bool = tab
        .eval("document.querySelector('main').appendChild(document.createElement('img')) !== null")
        .await;
    let planted = tab.axe_violations(&axe).await;
    assert!(
        planted.iter().any(|v| v.starts_with("image-alt:")),
        "{planted:?}"
    );
    log_in_as_the_items_moderator(&tab, console, id).await;
    let item = format!("/granska/{id}");
    let evidence = format!("/bevis/{id}");
    for (name, path) in [
        ("queue", "/"),
        ("item", item.as_str()),
        ("questions", "/fragor"),
        ("log", "/logg"),
        ("evidence", evidence.as_str()),
        ("overview", "/oversikt"),
        ("not found", "/finns-inte"),
    ] {
        tab.open(path).await;
        found.extend(violations_on(&tab, &axe, name).await);
    }
    // The item after a decision (its notice, history and restore button),
    // and in English.
    tab.open(&item).await;
    tab.click_to_page("button[name=\"decision\"][value=\"hide\"]")
        .await;
    found.extend(violations_on(&tab, &axe, "item after a decision").await);
    tab.click_to_page("a.lang").await;
    assert_eq!(
        tab.eval::<String>("document.documentElement.lang").await,
        "en"
    );
    found.extend(violations_on(&tab, &axe, "item in English").await);
    // The registry office sees every account's questions.
    let registry = scene.tab(1280).await;
    registry.open("/logga-in").await;
    demo_login_as(&registry, "registrator@test.stockholm.se").await;
    registry.open("/fragor").await;
    assert!(
        registry.has("form[action$=\"/stang\"]").await,
        "a question to close"
    );
    found.extend(violations_on(&registry, &axe, "questions (registry)").await);
    assert!(found.is_empty(), "axe-core found: {found:#?}");

    // 200 % zoom: 1280 px of screen are 640 CSS pixels.
    let zoomed = scene.tab(640).await;
    log_in_as_the_items_moderator(&zoomed, console, id).await;
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
    let Some(scene) = Scene::start().await else {
        return;
    };
    let Scene { app, console, .. } = &scene;
    let id = scene.mail.item_id();
    let tab = scene.tab(1280).await;
    log_in_as_the_items_moderator(&tab, console, id).await;
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
