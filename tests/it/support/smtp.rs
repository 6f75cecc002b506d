//! A real SMTP server on loopback (mailin-embedded) that records every
//! message it accepts, for tests of what moderators and the registry
//! office actually receive.

use std::net::TcpListener;
use std::sync::{Arc, Mutex};

use mailin_embedded::{Handler, Response, Server, SslConfig, response};

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

#[derive(Clone, Default)]
struct Recorder {
    current: Received,
    done: Arc<Mutex<Vec<Received>>>,
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
}

/// A free loopback port nobody listens on (yet).
pub fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.local_addr().expect("address").port()
}

/// What the server has received so far.
#[derive(Clone)]
pub struct Inbox(Arc<Mutex<Vec<Received>>>);

impl Inbox {
    /// Every message received, in order.
    pub fn messages(&self) -> Vec<Received> {
        self.0.lock().expect("lock").clone()
    }
}

/// Starts the server on `port`; it runs until the test process ends.
pub fn start_on(port: u16) -> Inbox {
    let recorder = Recorder::default();
    let done = recorder.done.clone();
    let listener = TcpListener::bind(("127.0.0.1", port)).expect("bind the SMTP port");
    let mut server = Server::new(recorder);
    server
        .with_name("test.example")
        .with_ssl(SslConfig::None)
        .expect("no TLS")
        .with_num_threads(2)
        .with_tcp_listener(listener);
    std::thread::spawn(move || {
        if let Err(e) = server.serve() {
            eprintln!("test SMTP server stopped: {e}");
        }
    });
    Inbox(done)
}

/// The `[mail]` transport lines that send through the server on `port`.
pub fn smtp_transport(port: u16) -> String {
    format!(
        "transport = \"smtp\"\n[mail.smtp]\nhost = \"127.0.0.1\"\nport = {port}\nsecurity = \"none\"\ntimeout = \"2s\"\n"
    )
}
