//! A real SMTP server on loopback (mailin-embedded) that records every
//! message it accepts, for tests of what moderators and the registry
//! office actually receive: plain SMTP, or STARTTLS with a login.

use std::net::TcpListener;
use std::path::Path;
use std::sync::{Arc, Mutex};

use mailin_embedded::{AuthMechanism, Handler, Response, Server, SslConfig, response};

use super::tls::TestCa;

/// One accepted message.
#[derive(Debug, Clone, Default)]
pub struct Received {
    pub from: String,
    pub recipients: Vec<String>,
    pub data: Vec<u8>,
}

impl Received {
    /// The parsed message.
    pub fn parsed(&self) -> mailparse::ParsedMail<'_> {
        mailparse::parse_mail(&self.data).expect("parseable message")
    }

    /// A decoded header.
    pub fn header(&self, name: &str) -> Option<String> {
        use mailparse::MailHeaderMap;
        self.parsed().headers.get_first_value(name)
    }
}

/// A login, as configured or as a client presented it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Login {
    pub username: String,
    pub password: String,
}

#[derive(Clone, Default)]
struct Recorder {
    current: Received,
    done: Arc<Mutex<Vec<Received>>>,
    logins: Arc<Mutex<Vec<Login>>>,
    /// The only login accepted, when the server asks for one.
    accepts: Option<Login>,
}

impl Recorder {
    fn authenticate(&mut self, username: &str, password: &str) -> Response {
        let login = Login {
            username: username.to_string(),
            password: password.to_string(),
        };
        self.logins.lock().expect("lock").push(login.clone());
        if self.accepts.as_ref() == Some(&login) {
            response::AUTH_OK
        } else {
            response::INVALID_CREDENTIALS
        }
    }
}

impl Handler for Recorder {
    fn mail(&mut self, _ip: std::net::IpAddr, _domain: &str, from: &str) -> Response {
        self.current = Received {
            from: from.to_string(),
            ..Received::default()
        };
        response::OK
    }

    fn rcpt(&mut self, to: &str) -> Response {
        self.current.recipients.push(to.to_string());
        response::OK
    }

    fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.current.data.extend_from_slice(buf);
        Ok(())
    }

    fn data_end(&mut self) -> Response {
        self.done.lock().expect("lock").push(self.current.clone());
        response::OK
    }

    fn auth_plain(&mut self, _authorization: &str, username: &str, password: &str) -> Response {
        self.authenticate(username, password)
    }

    fn auth_login(&mut self, username: &str, password: &str) -> Response {
        self.authenticate(username, password)
    }
}

/// A free loopback port nobody listens on (yet).
pub fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.local_addr().expect("address").port()
}

/// What the server has received so far.
#[derive(Clone)]
pub struct Inbox {
    messages: Arc<Mutex<Vec<Received>>>,
    logins: Arc<Mutex<Vec<Login>>>,
}

impl Inbox {
    /// Every message received, in order.
    pub fn messages(&self) -> Vec<Received> {
        self.messages.lock().expect("lock").clone()
    }

    /// Every login a client presented, accepted or not.
    pub fn logins(&self) -> Vec<Login> {
        self.logins.lock().expect("lock").clone()
    }
}

/// Starts the server on `port`; it runs until the test process ends.
pub fn start_on(port: u16) -> Inbox {
    let listener = TcpListener::bind(("127.0.0.1", port)).expect("bind the SMTP port");
    serve(listener, Recorder::default(), SslConfig::None)
}

/// Starts a server on a free port that offers STARTTLS with `ca`'s
/// `localhost` certificate and, only once TLS is active, AUTH PLAIN and
/// LOGIN, accepting nothing but `login`. Returns the port and the inbox.
pub fn start_with_starttls(ca: &TestCa, login: Login) -> (u16, Inbox) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("address").port();
    let recorder = Recorder {
        accepts: Some(login),
        ..Recorder::default()
    };
    (port, serve(listener, recorder, ca.mailin_ssl_config()))
}

fn serve(listener: TcpListener, recorder: Recorder, ssl: SslConfig) -> Inbox {
    let inbox = Inbox {
        messages: recorder.done.clone(),
        logins: recorder.logins.clone(),
    };
    let asks_for_login = recorder.accepts.is_some();
    let mut server = Server::new(recorder);
    server
        .with_name("test.example")
        .with_ssl(ssl)
        .expect("TLS setup")
        .with_num_threads(2)
        .with_tcp_listener(listener);
    if asks_for_login {
        server
            .with_auth(AuthMechanism::Plain)
            .with_auth(AuthMechanism::Login);
    }
    std::thread::spawn(move || {
        if let Err(e) = server.serve() {
            eprintln!("test SMTP server stopped: {e}");
        }
    });
    inbox
}

/// The `[mail]` transport lines that send through the server on `port`.
pub fn smtp_transport(port: u16) -> String {
    format!(
        "transport = \"smtp\"\n[mail.smtp]\nhost = \"127.0.0.1\"\nport = {port}\nsecurity = \"none\"\ntimeout = \"2s\"\n"
    )
}

/// The `[mail]` transport lines for a TLS server on `localhost:port`
/// (`security` is "starttls" or "tls") whose certificate `ca_file`
/// vouches for, logging in with `login` when given; its password is put in
/// a file in `dir`, as an operator would.
pub fn tls_transport(
    port: u16,
    security: &str,
    ca_file: &Path,
    login: Option<&Login>,
    dir: &Path,
) -> String {
    let mut lines = format!(
        "transport = \"smtp\"\n[mail.smtp]\nhost = \"localhost\"\nport = {port}\n\
         security = \"{security}\"\nca_file = \"{}\"\ntimeout = \"5s\"\n",
        ca_file.display()
    );
    if let Some(login) = login {
        let password_file = dir.join("smtp-password");
        std::fs::write(&password_file, format!("{}\n", login.password)).expect("password file");
        lines.push_str(&format!(
            "username = \"{}\"\npassword_file = \"{}\"\n",
            login.username,
            password_file.display()
        ));
    }
    lines
}

/// A mail server that keeps the service busy in an outbox delivery for as
/// long as a test needs: it accepts the first connection and never greets
/// until [`release`](Self::release); every later connection is closed at
/// once (the delivery fails and is retried later).
pub struct StallingServer {
    /// The port it listens on.
    pub port: u16,
    connected: Option<tokio::sync::oneshot::Receiver<()>>,
    release: Option<tokio::sync::oneshot::Sender<()>>,
}

impl StallingServer {
    /// Starts listening on a free loopback port.
    pub async fn start() -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let port = listener.local_addr().expect("address").port();
        let (connected_tx, connected) = tokio::sync::oneshot::channel();
        let (release, released) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(async move {
            let Ok(held) = listener.accept().await else {
                return;
            };
            let _ = connected_tx.send(());
            let _ = released.await;
            drop(held);
            while let Ok(later) = listener.accept().await {
                drop(later);
            }
        });
        Self {
            port,
            connected: Some(connected),
            release: Some(release),
        }
    }

    /// Returns once the service has connected: it is now waiting for a
    /// greeting that does not come until [`release`](Self::release).
    pub async fn wait_until_connected(&mut self) {
        let connected = self.connected.take().expect("waited for once");
        tokio::time::timeout(std::time::Duration::from_secs(60), connected)
            .await
            .expect("the service connects within 60 s")
            .expect("the server is running");
    }

    /// Closes the held connection, so the delivery fails and the service
    /// goes on.
    pub fn release(&mut self) {
        if let Some(release) = self.release.take() {
            let _ = release.send(());
        }
    }
}
