//! The console in a real browser: Debian's headless Chromium driven through chromedriver
//! (installed by `.ci/run` where missing). These tests fail, never skip, without it.
//! They run on SQLite; the HTTP-level suite (`console.rs`) covers both backends.

mod common;

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{Console, PASSWORD};
use fantoccini::{Client, ClientBuilder, Locator};
use rapport_store::testing::TestDb;
use serde_json::json;

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const WAIT: Duration = Duration::from_secs(15);

/// A chromedriver of our own on a free port, stopped when the test ends.
struct Driver {
    child: Child,
    url: String,
}

impl Driver {
    async fn start() -> Driver {
        for path in [CHROMIUM, CHROMEDRIVER] {
            assert!(
                std::path::Path::new(path).exists(),
                "{path} is missing: install Debian's chromium and chromium-driver (.ci/run does)"
            );
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let child = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let url = format!("http://127.0.0.1:{port}");
        let started = Instant::now();
        while tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_err() {
            assert!(started.elapsed() < WAIT, "chromedriver did not come up");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Driver { child, url }
    }

    async fn browser(&self) -> Client {
        let mut caps = serde_json::Map::new();
        caps.insert(
            "goog:chromeOptions".into(),
            json!({
                "binary": CHROMIUM,
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                         "--window-size=1366,768", "--lang=en-GB"]
            }),
        );
        ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps)
            .connect(&self.url)
            .await
            .expect("a Chromium session")
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Waits until the element's text satisfies `ok`, and returns it.
async fn text_when(c: &Client, css: &str, ok: impl Fn(&str) -> bool) -> String {
    let started = Instant::now();
    loop {
        if let Ok(el) = c.find(Locator::Css(css)).await {
            if let Ok(text) = el.text().await {
                if ok(&text) {
                    return text;
                }
            }
        }
        assert!(started.elapsed() < WAIT, "{css} never showed the expected text");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn sign_in(c: &Client, app: &Console, login: &str) {
    c.goto(&app.url("/")).await.unwrap();
    c.wait().at_most(WAIT).for_element(Locator::Id("login-form")).await.unwrap();
    c.find(Locator::Id("login")).await.unwrap().send_keys(login).await.unwrap();
    c.find(Locator::Id("password")).await.unwrap().send_keys(PASSWORD).await.unwrap();
    c.find(Locator::Css("#login-form button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.wait().at_most(WAIT).for_element(Locator::Id("logout")).await.unwrap();
}

/// Types into the search box as staff do and waits for the list to answer this query.
async fn search(c: &Client, q: &str) -> String {
    let body = c.find(Locator::Css("body")).await.unwrap();
    body.send_keys("/").await.unwrap();
    let active = c.active_element().await.unwrap();
    assert_eq!(active.attr("id").await.unwrap().as_deref(), Some("q"), "'/' focuses the search box");
    active.clear().await.unwrap();
    active.send_keys(q).await.unwrap();
    let started = Instant::now();
    loop {
        let answered = c
            .execute("return document.getElementById('search-results').getAttribute('data-for')", vec![])
            .await
            .unwrap();
        if answered.as_str() == Some(q.trim()) {
            break;
        }
        assert!(started.elapsed() < WAIT, "no results for {q}");
        tokio::time::sleep(Duration::from_millis(30)).await;
    }
    c.find(Locator::Id("search-results")).await.unwrap().text().await.unwrap()
}

async fn screenshot(c: &Client, name: &str) {
    let png = c.screenshot().await.unwrap();
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(format!("{name}.png")), png).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_front_desk_day_in_the_browser() {
    let app = Console::start(TestDb::sqlite().await).await;
    let driver = Driver::start().await;
    let c = driver.browser().await;

    sign_in(&c, &app, "anna").await;
    assert!(c.current_url().await.unwrap().path() == "/", "back to the dashboard after sign-in");
    screenshot(&c, "dashboard").await;

    // Search by pinyin, with and without the space, then open with the keyboard.
    for q in ["zhangwei", "zhang wei"] {
        let list = search(&c, q).await;
        assert!(list.contains("张伟"), "{q}: {list}");
    }
    let active = c.active_element().await.unwrap();
    active.send_keys("\u{E015}").await.unwrap(); // arrow down stays on the only hit
    active.send_keys("\u{E007}").await.unwrap(); // Enter opens it
    c.wait().at_most(WAIT).for_element(Locator::Id("guest-name")).await.unwrap();
    assert_eq!(c.current_url().await.unwrap().path(), format!("/guests/{}", app.seed.zhang_wei));
    let name = c.find(Locator::Id("guest-name")).await.unwrap().text().await.unwrap();
    assert!(name.starts_with("张伟"), "own script first: {name}");
    let warnings = c.find(Locator::Css(".warnings")).await.unwrap().text().await.unwrap();
    assert!(warnings.contains("peanuts"), "allergies highlighted");
    screenshot(&c, "guest").await;

    // Add a note; it shows with who wrote it.
    c.find(Locator::Id("note-body"))
        .await
        .unwrap()
        .send_keys("Asked for a quiet room this time")
        .await
        .unwrap();
    c.find(Locator::Id("add-note")).await.unwrap().click().await.unwrap();
    let notes = text_when(&c, "ul.notes", |t| t.contains("Asked for a quiet room")).await;
    assert!(notes.contains("anna"));

    // The arrivals brief: the birthday during the stay, and a tick that stays ticked.
    c.find(Locator::Css("nav a[href='/arrivals']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.wait().at_most(WAIT).for_element(Locator::Css("ol.brief")).await.unwrap();
    // Lisbon comes first in the group; the guest arrives in Shanghai.
    c.find(Locator::Id("hotel")).await.unwrap().select_by_value("SHA").await.unwrap();
    c.find(Locator::Css("form.inline.no-print button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let brief = text_when(&c, "ol.brief", |t| t.contains("张伟")).await;
    assert!(brief.contains("Birthday: turns"), "{brief}");
    assert!(brief.contains("Returning guest"));
    screenshot(&c, "arrivals").await;
    let allergy = "form[data-touch] input[name=touch][value='taboo:allergy:peanuts']";
    let form = c
        .find(Locator::Css(allergy))
        .await
        .unwrap()
        .find(Locator::XPath(".."))
        .await
        .unwrap();
    form.find(Locator::Css("input[type=checkbox]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let saved = text_when(&c, "form[data-saved='done'] .done-note", |t| t.contains("anna")).await;
    assert!(saved.starts_with('✓'));
    c.refresh().await.unwrap();
    let checked = c
        .find(Locator::Css(allergy))
        .await
        .unwrap()
        .find(Locator::XPath(".."))
        .await
        .unwrap()
        .find(Locator::Css("input[type=checkbox]"))
        .await
        .unwrap()
        .is_selected()
        .await
        .unwrap();
    assert!(checked, "the tick survives a reload");

    // Switch to Chinese: the same page, translated, and it sticks.
    c.find(Locator::Css("button[name=lang][value='zh-CN']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let heading = text_when(&c, "h1", |t| t.contains("到店简报")).await;
    assert!(heading.contains("年"), "dates in Chinese: {heading}");
    c.goto(&app.url(&format!("/guests/{}", app.seed.zhang_wei))).await.unwrap();
    text_when(&c, "#stays-h", |t| t.contains("入住记录")).await;

    // Sign out: back to the form, and the console is closed.
    c.find(Locator::Id("logout")).await.unwrap().click().await.unwrap();
    c.wait().at_most(WAIT).for_element(Locator::Id("login-form")).await.unwrap();
    c.goto(&app.url("/")).await.unwrap();
    c.wait().at_most(WAIT).for_element(Locator::Id("login-form")).await.unwrap();
    c.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_by_phone_in_any_format() {
    let app = Console::start(TestDb::sqlite().await).await;
    let driver = Driver::start().await;
    let c = driver.browser().await;
    sign_in(&c, &app, "anna").await;
    for q in ["138 1234 5678", "+86-138-1234-5678", "0086 13812345678"] {
        let list = search(&c, q).await;
        assert!(list.contains("张伟"), "{q}: {list}");
    }
    c.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forged_form_is_refused_and_changes_nothing() {
    let app = Console::start(TestDb::sqlite().await).await;
    let driver = Driver::start().await;
    let c = driver.browser().await;
    sign_in(&c, &app, "anna").await;
    c.goto(&app.url(&format!("/guests/{}", app.seed.zhang_wei))).await.unwrap();
    c.wait().at_most(WAIT).for_element(Locator::Id("note-body")).await.unwrap();
    let before = app
        .store
        .guest_notes(app.seed.zhang_wei, &rapport_domain::access::Scope::Group)
        .await
        .unwrap()
        .len();
    c.execute("document.querySelector('.note-form input[name=csrf]').value = 'forged'", vec![])
        .await
        .unwrap();
    c.find(Locator::Id("note-body"))
        .await
        .unwrap()
        .send_keys("Should never be stored")
        .await
        .unwrap();
    c.find(Locator::Id("add-note")).await.unwrap().click().await.unwrap();
    let message = text_when(&c, ".error-message", |t| !t.is_empty()).await;
    assert!(message.contains("This form has expired"), "{message}");
    let after = app
        .store
        .guest_notes(app.seed.zhang_wei, &rapport_domain::access::Scope::Group)
        .await
        .unwrap()
        .len();
    assert_eq!(after, before);
    c.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hostile_name_shows_as_text_and_runs_nothing() {
    let app = Console::start(TestDb::sqlite().await).await;
    let driver = Driver::start().await;
    let c = driver.browser().await;
    sign_in(&c, &app, "anna").await;
    c.goto(&app.url(&format!("/guests/{}", app.seed.hostile))).await.unwrap();
    let name = text_when(&c, "#guest-name", |t| !t.is_empty()).await;
    assert!(name.contains("<script>window.__pwned=1</script>"), "{name}");
    assert!(name.contains("O'Brien <b>bold</b>"));
    let pwned = c.execute("return window.__pwned === undefined", vec![]).await.unwrap();
    assert_eq!(pwned, json!(true), "the script in the name never ran");
    // In the search list too.
    let list = search(&c, "brien").await;
    assert!(list.contains("<script>"));
    let pwned = c.execute("return window.__pwned === undefined", vec![]).await.unwrap();
    assert_eq!(pwned, json!(true));
    c.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn guest_relations_merge_a_duplicate_and_undo_it() {
    use rapport_domain::duplicates::{FieldEvidence, FieldOutcome, MatchThresholds, ScoredPair};
    let app = Console::start(TestDb::sqlite().await).await;
    let zhang = app.seed.zhang_wei;
    let mut look_alike = app.store.guest(zhang).await.unwrap().profile;
    look_alike.name.family = "Chang".into();
    look_alike.name.native = None;
    look_alike.emails.clear();
    look_alike.phones.clear();
    let chang = app.store.create_guest(look_alike, vec![]).await.unwrap().id;
    let evidence = vec![FieldEvidence {
        field: "name".into(),
        outcome: FieldOutcome::Partial,
        weight: 4.5,
        detail: "Wei Zhang ~ Wei Chang".into(),
    }];
    let pair = ScoredPair {
        left: zhang,
        right: chang,
        weight: 7.0,
        probability: 0.95,
        evidence,
    };
    app.store.record_candidates(vec![pair], MatchThresholds::default()).await.unwrap();

    let driver = Driver::start().await;
    let c = driver.browser().await;
    sign_in(&c, &app, "gina").await;
    c.find(Locator::Id("nav-duplicates")).await.unwrap().click().await.unwrap();
    let pair = text_when(&c, "section.pair", |t| t.contains("Wei Zhang ~ Wei Chang")).await;
    assert!(pair.contains("partly agrees") && pair.contains("95"), "{pair}");
    screenshot(&c, "duplicates").await;

    c.find(Locator::Id(&format!("merge-{zhang}-{chang}")))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    text_when(&c, "#decision-notice", |t| t.contains("merged")).await;

    // The absorbed profile's address leads to the survivor, whose history offers undo.
    c.goto(&app.url(&format!("/guests/{chang}"))).await.unwrap();
    text_when(&c, "#merge-notice", |t| t.contains(&format!("#{chang}"))).await;
    assert_eq!(c.current_url().await.unwrap().path(), format!("/guests/{zhang}"));
    let merge_id = app.store.guest_merges(zhang).await.unwrap()[0].id;
    screenshot(&c, "merge-history").await;
    c.find(Locator::Id(&format!("undo-merge-{merge_id}")))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    text_when(&c, "#merge-notice", |t| t.contains("undone")).await;
    assert!(app.store.guest(chang).await.is_ok(), "the absorbed profile is back");
    c.close().await.unwrap();
}
