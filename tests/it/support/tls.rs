//! TLS around the test SMTP server: a throwaway CA with a certificate for
//! `localhost` (as a city's internal CA would issue for its mail server), a
//! TLS-terminating front for implicit TLS (mailin-embedded only speaks
//! STARTTLS), and a wire tap that shows what a client sent in clear text.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use mailin_embedded::SslConfig;
use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair};
use tempfile::TempDir;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::ServerConfig;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivatePkcs8KeyDer};

/// The first byte of every TLS handshake record; no SMTP command has it.
const TLS_HANDSHAKE_RECORD: u8 = 0x16;

/// A CA and a server certificate for `localhost` signed by it, as PEM files.
pub struct TestCa {
    dir: TempDir,
    server_chain: Vec<CertificateDer<'static>>,
    server_key: Vec<u8>,
}

impl TestCa {
    /// A new CA, with `name` as its common name, and its server certificate.
    pub fn new(name: &str) -> Self {
        let ca_key = KeyPair::generate().expect("CA key");
        let mut ca_params = CertificateParams::new(Vec::<String>::new()).expect("CA params");
        ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca_params.distinguished_name.push(DnType::CommonName, name);
        let ca_cert = ca_params.self_signed(&ca_key).expect("CA certificate");
        let server_key = KeyPair::generate().expect("server key");
        let server_cert = CertificateParams::new(vec!["localhost".to_string()])
            .expect("server params")
            .signed_by(&server_key, &Issuer::new(ca_params, ca_key))
            .expect("server certificate");

        let dir = tempfile::tempdir().expect("tempdir");
        let write = |name: &str, pem: String| {
            std::fs::write(dir.path().join(name), pem).expect("write PEM");
        };
        write("ca.pem", ca_cert.pem());
        write("server.pem", server_cert.pem());
        write("server-key.pem", server_key.serialize_pem());
        Self {
            server_chain: vec![server_cert.der().clone(), ca_cert.der().clone()],
            server_key: server_key.serialize_der(),
            dir,
        }
    }

    /// The CA certificate (PEM), what `mail.smtp.ca_file` names.
    pub fn ca_file(&self) -> PathBuf {
        self.dir.path().join("ca.pem")
    }

    /// The server side for mailin-embedded's STARTTLS.
    pub fn mailin_ssl_config(&self) -> SslConfig {
        let path = |name: &str| self.dir.path().join(name).display().to_string();
        SslConfig::Trusted {
            cert_path: path("server.pem"),
            key_path: path("server-key.pem"),
            chain_path: path("ca.pem"),
        }
    }

    fn acceptor(&self) -> TlsAcceptor {
        let key = PrivatePkcs8KeyDer::from(self.server_key.clone());
        let config = ServerConfig::builder()
            .with_no_client_auth()
            .with_single_cert(self.server_chain.clone(), key.into())
            .expect("server TLS config");
        TlsAcceptor::from(Arc::new(config))
    }
}

/// Accepts connections on a free loopback port, lets `handle` serve each in
/// its own task, and returns the port. The tasks end with the test.
async fn serve_each<F, Fut>(handle: F) -> u16
where
    F: Fn(TcpStream) -> Fut + Send + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("address").port();
    tokio::spawn(async move {
        while let Ok((client, _)) = listener.accept().await {
            tokio::spawn(handle(client));
        }
    });
    port
}

/// Implicit TLS (SMTPS) in front of the plain server on `backend`: the
/// client must complete a TLS handshake with `ca`'s `localhost` certificate
/// before it reaches SMTP. Returns the front's port.
pub async fn start_tls_front(ca: &TestCa, backend: u16) -> u16 {
    let acceptor = ca.acceptor();
    serve_each(move |client| {
        let acceptor = acceptor.clone();
        async move {
            // A client that does not trust the certificate ends here.
            let Ok(mut tls) = acceptor.accept(client).await else {
                return;
            };
            let mut plain = TcpStream::connect(("127.0.0.1", backend))
                .await
                .expect("connect the plain SMTP server");
            let _ = tokio::io::copy_bidirectional(&mut tls, &mut plain).await;
        }
    })
    .await
}

/// Everything clients sent through a [`start_wire_tap`] proxy, as it
/// crossed the network.
#[derive(Clone, Default)]
pub struct WireTap(Arc<Mutex<Vec<u8>>>);

impl WireTap {
    /// The bytes clients sent.
    pub fn sent(&self) -> Vec<u8> {
        self.0.lock().expect("lock").clone()
    }

    /// What was sent in clear text: everything before the first TLS
    /// handshake, or everything if there was none.
    pub fn clear_text(&self) -> String {
        let sent = self.sent();
        let end = sent
            .iter()
            .position(|&b| b == TLS_HANDSHAKE_RECORD)
            .unwrap_or(sent.len());
        String::from_utf8_lossy(&sent[..end]).to_string()
    }

    /// Whether a client started a TLS handshake.
    pub fn tls_started(&self) -> bool {
        self.sent().contains(&TLS_HANDSHAKE_RECORD)
    }

    /// Whether `needle` crossed the network readable, anywhere.
    pub fn shows(&self, needle: &str) -> bool {
        self.sent()
            .windows(needle.len())
            .any(|window| window == needle.as_bytes())
    }
}

/// A transparent proxy to `backend` that records what clients send.
/// Returns its port and the tap.
pub async fn start_wire_tap(backend: u16) -> (u16, WireTap) {
    let tap = WireTap::default();
    let recorded = tap.0.clone();
    let port = serve_each(move |client| {
        let recorded = recorded.clone();
        async move {
            let server = TcpStream::connect(("127.0.0.1", backend))
                .await
                .expect("connect the SMTP server");
            let (mut from_client, mut to_client) = client.into_split();
            let (mut from_server, mut to_server) = server.into_split();
            let upstream = async move {
                let mut buf = [0u8; 4096];
                while let Ok(n @ 1..) = from_client.read(&mut buf).await {
                    recorded.lock().expect("lock").extend_from_slice(&buf[..n]);
                    if to_server.write_all(&buf[..n]).await.is_err() {
                        break;
                    }
                }
                let _ = to_server.shutdown().await;
            };
            let downstream = tokio::io::copy(&mut from_server, &mut to_client);
            let _ = tokio::join!(upstream, downstream);
        }
    })
    .await;
    (port, tap)
}
