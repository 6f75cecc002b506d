//! Fetching comment attachments for the media hash check.
//!
//! An attachment URL is read from a comment, so anyone who can comment
//! chooses it: fetching it is a server-side request an outsider can steer
//! (at the metadata service, the database, the intranet). Attachments are
//! therefore fetched by their own client, never a connector's, under rules
//! of their own:
//!
//! - https only, no proxy, no token, no cookies;
//! - only hosts on the platforms' media allow-list ([`MediaHosts`]: the
//!   CDNs each platform serves media from, or the city's own list);
//! - no automatic redirects: each hop is followed by hand and checked like
//!   the first one;
//! - every address a name resolves to must be a public one. The check is
//!   made in the resolver the client connects with, so the address checked
//!   is the address connected to (no second lookup an attacker's DNS could
//!   answer differently).

use std::error::Error as StdError;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use reqwest::{Response, Url};
use url::Host;

use crate::config::MediaHosts;
use crate::domain::PlatformKind;

/// A resolver's error, as reqwest takes it.
type BoxError = Box<dyn StdError + Send + Sync>;

/// How many redirects one attachment may take (CDNs use one, at most two).
const MAX_REDIRECTS: usize = 5;

/// Why an attachment was not fetched, or not completely. The URL is shown
/// without its query, which carries the CDN's signature.
#[derive(Debug, thiserror::Error)]
pub enum MediaError {
    /// The text is not a URL with a host.
    #[error("an attachment URL is not a URL with a host")]
    NotAUrl,
    /// Plain http (or another scheme): never fetched.
    #[error("{url}: only https attachments are fetched")]
    NotHttps {
        /// The URL without its query.
        url: String,
    },
    /// A host that is not one of the platform's media hosts.
    #[error("{url}: {host} is not one of the platform's media hosts (polling.attachment_hosts)")]
    HostNotAllowed {
        /// The URL without its query.
        url: String,
        /// The refused host.
        host: String,
    },
    /// The host is, or resolves to, an address that is never fetched.
    #[error(
        "{url}: {host} is {addr}, a {kind} address; attachments are only fetched from public addresses"
    )]
    AddressRefused {
        /// The URL without its query.
        url: String,
        /// The host as the URL names it.
        host: String,
        /// The refused address.
        addr: IpAddr,
        /// What kind of address it is (loopback, private, …).
        kind: &'static str,
    },
    /// A redirect without a usable `Location`.
    #[error("{url} redirected without a usable Location")]
    BadRedirect {
        /// The URL without its query.
        url: String,
    },
    /// More redirects than any CDN needs.
    #[error("{url}: more than {max} redirects", max = MAX_REDIRECTS)]
    TooManyRedirects {
        /// The URL without its query.
        url: String,
    },
    /// The media host answered with an error status.
    #[error("{url} answered HTTP {status}")]
    Status {
        /// The URL without its query.
        url: String,
        /// The HTTP status.
        status: u16,
    },
    /// Larger than the cap: not downloaded further.
    #[error("{url} is larger than {max_bytes} bytes")]
    TooLarge {
        /// The URL without its query.
        url: String,
        /// The cap.
        max_bytes: usize,
    },
    /// No answer within the timeout.
    #[error("{url} did not answer within {timeout:?}")]
    Timeout {
        /// The URL without its query.
        url: String,
        /// The timeout.
        timeout: Duration,
    },
    /// The connection or the transfer failed.
    #[error("{url}: {detail}")]
    Transport {
        /// The URL without its query.
        url: String,
        /// The transport's error chain (without the URL).
        detail: String,
    },
}

/// Fetches attachments under the rules in the module documentation. Built
/// once per pipeline; cheap to share.
#[derive(Clone)]
pub struct MediaFetcher {
    client: reqwest::Client,
    hosts: MediaHosts,
    timeout: Duration,
    /// A local test server fetched over http without the checks; only
    /// [`MediaFetcher::with_test_server`] sets it, no configuration can.
    test_server: Option<SocketAddr>,
}

impl MediaFetcher {
    /// The fetcher the service uses: the system resolver behind the
    /// address check.
    pub fn new(hosts: MediaHosts, timeout: Duration) -> Result<Self, MediaError> {
        Self::with_resolver(hosts, timeout, Arc::new(SystemResolver))
    }

    /// Like [`MediaFetcher::new`], with names resolved by `resolver` (still
    /// behind the address check): for tests that need a name to resolve to
    /// a chosen address.
    pub fn with_resolver(
        hosts: MediaHosts,
        timeout: Duration,
        resolver: Arc<dyn Resolve>,
    ) -> Result<Self, MediaError> {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .referer(false)
            .dns_resolver(Arc::new(CheckedResolver { inner: resolver }))
            .timeout(timeout)
            .connect_timeout(timeout.min(Duration::from_secs(10)))
            .user_agent(concat!("kommentarsvakt/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| MediaError::Transport {
                url: String::new(),
                detail: format!("the attachment client could not be built: {e}"),
            })?;
        Ok(Self {
            client,
            hosts,
            timeout,
            test_server: None,
        })
    }

    /// For tests only: a fetcher that also fetches from the local test
    /// server at exactly `test_server` (`http://127.0.0.1:port/…`, as the
    /// simulator and wiremock serve), without the scheme, host and address
    /// checks for that one address. Every other URL is checked as in
    /// production. Never reachable from the configuration.
    pub fn with_test_server(
        hosts: MediaHosts,
        timeout: Duration,
        test_server: SocketAddr,
    ) -> Result<Self, MediaError> {
        let mut fetcher = Self::new(hosts, timeout)?;
        fetcher.test_server = Some(test_server);
        Ok(fetcher)
    }

    /// Fetches one attachment of a `platform` comment into memory, at most
    /// `max_bytes`, following at most [`MAX_REDIRECTS`] redirects, each hop
    /// checked like the first.
    pub async fn fetch(
        &self,
        platform: PlatformKind,
        url: &str,
        max_bytes: usize,
    ) -> Result<Vec<u8>, MediaError> {
        let mut url = Url::parse(url).map_err(|_| MediaError::NotAUrl)?;
        for _ in 0..=MAX_REDIRECTS {
            self.check(platform, &url)?;
            let response = self
                .client
                .get(url.clone())
                .send()
                .await
                .map_err(|e| self.send_error(&url, &e))?;
            if response.status().is_redirection() {
                url = next_hop(&url, &response)?;
                continue;
            }
            return self.read_body(&url, response, max_bytes).await;
        }
        Err(MediaError::TooManyRedirects { url: shown(&url) })
    }

    /// The checks made before a request: scheme, host, and an address
    /// written in the URL itself (a name's addresses are checked by the
    /// resolver).
    fn check(&self, platform: PlatformKind, url: &Url) -> Result<(), MediaError> {
        if self.is_test_server(url) {
            return Ok(());
        }
        if url.scheme() != "https" {
            return Err(MediaError::NotHttps { url: shown(url) });
        }
        let not_allowed = |host: String| MediaError::HostNotAllowed {
            url: shown(url),
            host,
        };
        match url.host() {
            Some(Host::Domain(name)) if self.hosts.allows(platform, name) => Ok(()),
            Some(Host::Domain(name)) => Err(not_allowed(name.to_string())),
            Some(Host::Ipv4(ip)) => {
                Err(refused_literal(url, IpAddr::V4(ip))
                    .unwrap_or_else(|| not_allowed(ip.to_string())))
            }
            Some(Host::Ipv6(ip)) => {
                Err(refused_literal(url, IpAddr::V6(ip))
                    .unwrap_or_else(|| not_allowed(ip.to_string())))
            }
            None => Err(MediaError::NotAUrl),
        }
    }

    fn is_test_server(&self, url: &Url) -> bool {
        let Some(server) = self.test_server else {
            return false;
        };
        let ip = match url.host() {
            Some(Host::Ipv4(ip)) => IpAddr::V4(ip),
            Some(Host::Ipv6(ip)) => IpAddr::V6(ip),
            _ => return false,
        };
        SocketAddr::new(ip, url.port_or_known_default().unwrap_or(0)) == server
    }

    /// A failed request as a [`MediaError`]: a refused address found by
    /// the resolver is named as such.
    fn send_error(&self, url: &Url, error: &reqwest::Error) -> MediaError {
        if let Some(refused) = refused_in_chain(error) {
            return MediaError::AddressRefused {
                url: shown(url),
                host: refused.host.clone(),
                addr: refused.addr,
                kind: refused.kind,
            };
        }
        self.transfer_error(url, error)
    }

    fn transfer_error(&self, url: &Url, error: &reqwest::Error) -> MediaError {
        if error.is_timeout() {
            return MediaError::Timeout {
                url: shown(url),
                timeout: self.timeout,
            };
        }
        MediaError::Transport {
            url: shown(url),
            detail: error_chain(error),
        }
    }

    /// Reads a final answer's body, refusing more than `max_bytes`.
    async fn read_body(
        &self,
        url: &Url,
        mut response: Response,
        max_bytes: usize,
    ) -> Result<Vec<u8>, MediaError> {
        let status = response.status();
        if !status.is_success() {
            return Err(MediaError::Status {
                url: shown(url),
                status: status.as_u16(),
            });
        }
        let too_large = || MediaError::TooLarge {
            url: shown(url),
            max_bytes,
        };
        if response
            .content_length()
            .is_some_and(|length| length > max_bytes as u64)
        {
            return Err(too_large());
        }
        let mut bytes = Vec::new();
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| self.transfer_error(url, &e))?
        {
            if bytes.len() + chunk.len() > max_bytes {
                return Err(too_large());
            }
            bytes.extend_from_slice(&chunk);
        }
        Ok(bytes)
    }
}

/// The URL a redirect points at, resolved against the current one.
fn next_hop(url: &Url, response: &Response) -> Result<Url, MediaError> {
    response
        .headers()
        .get(reqwest::header::LOCATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|location| url.join(location).ok())
        .ok_or_else(|| MediaError::BadRedirect { url: shown(url) })
}

/// An IP address written in the URL, refused for its kind.
fn refused_literal(url: &Url, ip: IpAddr) -> Option<MediaError> {
    refused_kind(ip).map(|kind| MediaError::AddressRefused {
        url: shown(url),
        host: ip.to_string(),
        addr: ip,
        kind,
    })
}

/// A media URL for messages: scheme, host, port and path, without the
/// query (CDN links carry signatures there).
fn shown(url: &Url) -> String {
    let port = url.port().map(|p| format!(":{p}")).unwrap_or_default();
    format!(
        "{}://{}{port}{}",
        url.scheme(),
        url.host_str().unwrap_or(""),
        url.path()
    )
}

/// The error's causes, joined, without the URL (its query is signed).
fn error_chain(error: &reqwest::Error) -> String {
    let mut text = super::transport::error_chain(error);
    if let Some(url) = error.url() {
        text = text.replace(url.as_str(), "(attachment)");
    }
    text
}

/// The resolver's refusal, if that is what made the request fail.
fn refused_in_chain(error: &reqwest::Error) -> Option<&RefusedAddress> {
    let mut source: Option<&(dyn StdError + 'static)> = error.source();
    while let Some(cause) = source {
        if let Some(refused) = cause.downcast_ref::<RefusedAddress>() {
            return Some(refused);
        }
        source = cause.source();
    }
    None
}

/// What kind of address `ip` is when attachments must never be fetched
/// from it; `None` for a public address. IPv4 addresses embedded in IPv6
/// (mapped, compatible, NAT64, 6to4) are judged by the IPv4 address.
pub fn refused_kind(ip: IpAddr) -> Option<&'static str> {
    match ip {
        IpAddr::V4(v4) => refused_v4(v4),
        IpAddr::V6(v6) => refused_v6(v6),
    }
}

fn refused_v4(ip: Ipv4Addr) -> Option<&'static str> {
    let [a, b, c, _] = ip.octets();
    if ip.is_unspecified() || a == 0 {
        Some("unspecified")
    } else if ip.is_loopback() {
        Some("loopback")
    } else if ip.is_private() {
        Some("private")
    } else if ip.is_link_local() {
        Some("link-local")
    } else if a == 100 && (64..128).contains(&b) {
        Some("shared (CGNAT)")
    } else if ip.is_multicast() {
        Some("multicast")
    } else if ip.is_broadcast() || a >= 240 {
        Some("reserved")
    } else if (a, b, c) == (192, 0, 0) || (a == 198 && (18..20).contains(&b)) {
        Some("special-purpose")
    } else if ip.is_documentation() {
        Some("documentation")
    } else {
        None
    }
}

fn refused_v6(ip: Ipv6Addr) -> Option<&'static str> {
    let segments = ip.segments();
    if let Some(v4) = embedded_v4(ip) {
        return refused_v4(v4);
    }
    if ip.is_unspecified() {
        Some("unspecified")
    } else if ip.is_loopback() {
        Some("loopback")
    } else if ip.is_multicast() {
        Some("multicast")
    } else if segments[0] & 0xfe00 == 0xfc00 {
        Some("private (unique local)")
    } else if segments[0] & 0xffc0 == 0xfe80 || segments[0] & 0xffc0 == 0xfec0 {
        Some("link-local")
    } else if segments[0] == 0x2001 && segments[1] == 0x0db8 {
        Some("documentation")
    } else {
        None
    }
}

/// The IPv4 address inside an IPv4-mapped (`::ffff:a.b.c.d`),
/// IPv4-compatible (`::a.b.c.d`), NAT64 (`64:ff9b::a.b.c.d`) or 6to4
/// (`2002:aabb:ccdd::`) IPv6 address.
fn embedded_v4(ip: Ipv6Addr) -> Option<Ipv4Addr> {
    let s = ip.segments();
    let tail = Ipv4Addr::new((s[6] >> 8) as u8, s[6] as u8, (s[7] >> 8) as u8, s[7] as u8);
    if let Some(mapped) = ip.to_ipv4_mapped() {
        Some(mapped)
    } else if (s[..6] == [0; 6] && !ip.is_loopback() && !ip.is_unspecified())
        || s[..6] == [0x64, 0xff9b, 0, 0, 0, 0]
    {
        Some(tail)
    } else if s[0] == 0x2002 {
        Some(Ipv4Addr::new(
            (s[1] >> 8) as u8,
            s[1] as u8,
            (s[2] >> 8) as u8,
            s[2] as u8,
        ))
    } else {
        None
    }
}

/// The resolver's answer when a name resolves to a refused address; found
/// again in the request's error chain ([`refused_in_chain`]).
#[derive(Debug, thiserror::Error)]
#[error("{host} resolves to {addr}, a {kind} address")]
struct RefusedAddress {
    host: String,
    addr: IpAddr,
    kind: &'static str,
}

/// Resolves with `inner` and refuses the name when any of its addresses is
/// not public (a name with one private address among public ones is an
/// attacker's: a later connection attempt could land on it). The client
/// connects only to addresses this resolver answered.
struct CheckedResolver {
    inner: Arc<dyn Resolve>,
}

impl Resolve for CheckedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let host = name.as_str().to_string();
        let lookup = self.inner.resolve(name);
        Box::pin(async move {
            let addrs: Vec<SocketAddr> = lookup.await?.collect();
            for addr in &addrs {
                if let Some(kind) = refused_kind(addr.ip()) {
                    let refused: BoxError = Box::new(RefusedAddress {
                        host,
                        addr: addr.ip(),
                        kind,
                    });
                    return Err(refused);
                }
            }
            Ok::<Addrs, BoxError>(Box::new(addrs.into_iter()))
        })
    }
}

/// The operating system's resolver (getaddrinfo on a blocking thread).
struct SystemResolver;

impl Resolve for SystemResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let host = name.as_str().to_string();
        Box::pin(async move {
            let addrs: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            Ok::<Addrs, BoxError>(Box::new(addrs.into_iter()))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    /// Answers fixed addresses for fixed names, as an attacker's DNS would.
    struct FixedDns(HashMap<&'static str, IpAddr>);

    impl Resolve for FixedDns {
        fn resolve(&self, name: Name) -> Resolving {
            let answer = self.0.get(name.as_str()).copied();
            Box::pin(async move {
                let ip = answer.ok_or("no such name")?;
                Ok::<Addrs, BoxError>(Box::new(std::iter::once(SocketAddr::new(ip, 0))))
            })
        }
    }

    fn fixed_dns(name: &'static str, ip: &str) -> MediaFetcher {
        let dns = FixedDns(HashMap::from([(name, ip.parse().unwrap())]));
        MediaFetcher::with_resolver(
            MediaHosts::platform_defaults(),
            Duration::from_secs(5),
            Arc::new(dns),
        )
        .unwrap()
    }

    /// Why fetching `url` as a Facebook attachment failed.
    async fn refusal(fetcher: &MediaFetcher, url: &str) -> MediaError {
        fetcher
            .fetch(PlatformKind::Facebook, url, 1024)
            .await
            .unwrap_err()
    }

    fn assert_refused_as(error: &MediaError, expected: &str) {
        assert!(
            matches!(error, MediaError::AddressRefused { kind, .. } if *kind == expected),
            "{error}"
        );
    }

    async fn trusted(server: &MockServer) -> MediaFetcher {
        MediaFetcher::with_test_server(
            MediaHosts::platform_defaults(),
            Duration::from_millis(500),
            *server.address(),
        )
        .unwrap()
    }

    #[test]
    fn every_kind_of_internal_address_is_refused_and_public_ones_are_not() {
        let refused = [
            ("127.0.0.1", "loopback"),
            ("10.0.0.1", "private"),
            ("172.16.5.4", "private"),
            ("192.168.1.1", "private"),
            ("169.254.169.254", "link-local"),
            ("100.64.0.1", "shared (CGNAT)"),
            ("0.0.0.0", "unspecified"),
            ("224.0.0.1", "multicast"),
            ("255.255.255.255", "reserved"),
            ("::1", "loopback"),
            ("::", "unspecified"),
            ("fd00::1", "private (unique local)"),
            ("fe80::1", "link-local"),
            ("ff02::1", "multicast"),
            ("::ffff:127.0.0.1", "loopback"),
            ("::ffff:10.0.0.1", "private"),
            ("::ffff:169.254.169.254", "link-local"),
            ("64:ff9b::a00:1", "private"),
            ("2002:c0a8:101::", "private"),
        ];
        for (text, kind) in refused {
            let ip: IpAddr = text.parse().unwrap();
            assert_eq!(refused_kind(ip), Some(kind), "{text}");
        }
        for public in ["157.240.1.1", "2a03:2880:f10c::1", "::ffff:157.240.1.1"] {
            assert_eq!(refused_kind(public.parse().unwrap()), None, "{public}");
        }
    }

    #[tokio::test]
    async fn plain_http_is_refused() {
        let fetcher = fixed_dns("scontent.xx.fbcdn.net", "157.240.1.1");
        let error = refusal(
            &fetcher,
            "http://scontent.xx.fbcdn.net/v/photo.jpg?oh=SIGNED",
        )
        .await;
        assert!(matches!(error, MediaError::NotHttps { .. }), "{error}");
        assert!(error.to_string().contains("only https"), "{error}");
        assert!(!error.to_string().contains("SIGNED"), "{error}");
    }

    #[tokio::test]
    async fn a_media_host_name_resolving_to_a_private_address_is_refused() {
        let fetcher = fixed_dns("scontent.xx.fbcdn.net", "10.0.0.1");
        let error = refusal(&fetcher, "https://scontent.xx.fbcdn.net/v/photo.jpg").await;
        assert!(
            matches!(&error, MediaError::AddressRefused { addr, kind: "private", .. } if addr.to_string() == "10.0.0.1"),
            "{error}"
        );
        assert!(
            error
                .to_string()
                .contains("only fetched from public addresses"),
            "{error}"
        );
    }

    #[tokio::test]
    async fn hosts_off_the_list_and_address_literals_are_refused() {
        let fetcher = fixed_dns("evil.example", "157.240.1.1");
        let off_list = refusal(&fetcher, "https://evil.example/a.jpg").await;
        assert!(
            matches!(off_list, MediaError::HostNotAllowed { .. }),
            "{off_list}"
        );
        let metadata = refusal(&fetcher, "https://169.254.169.254/latest/meta-data/").await;
        assert_refused_as(&metadata, "link-local");
        let mapped = refusal(&fetcher, "https://[::ffff:7f00:1]/").await;
        assert_refused_as(&mapped, "loopback");
    }

    #[tokio::test]
    async fn a_redirect_to_loopback_is_not_followed() {
        let server = MockServer::start().await;
        let inner = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/secret"))
            .respond_with(ResponseTemplate::new(200).set_body_string("internal"))
            .mount(&inner)
            .await;
        let to_literal = format!("https://127.0.0.1:{}/secret", inner.address().port());
        let to_http = format!("http://127.0.0.1:{}/secret", inner.address().port());
        for (from, to) in [("/a.jpg", &to_literal), ("/b.jpg", &to_http)] {
            Mock::given(method("GET"))
                .and(path(from))
                .respond_with(ResponseTemplate::new(302).insert_header("location", to.as_str()))
                .mount(&server)
                .await;
        }
        let fetcher = trusted(&server).await;
        let literal = refusal(&fetcher, &format!("{}/a.jpg", server.uri())).await;
        assert_refused_as(&literal, "loopback");
        let http = refusal(&fetcher, &format!("{}/b.jpg", server.uri())).await;
        assert!(matches!(http, MediaError::NotHttps { .. }), "{http}");
        assert!(
            inner
                .received_requests()
                .await
                .unwrap_or_default()
                .is_empty(),
            "the internal server was never asked"
        );
    }

    #[tokio::test]
    async fn a_redirect_to_a_media_host_name_that_resolves_to_loopback_is_refused() {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/a.jpg"))
            .respond_with(
                ResponseTemplate::new(301)
                    .insert_header("location", "https://scontent.xx.fbcdn.net/internal"),
            )
            .mount(&server)
            .await;
        let dns = FixedDns(HashMap::from([(
            "scontent.xx.fbcdn.net",
            "127.0.0.1".parse().unwrap(),
        )]));
        let mut fetcher = MediaFetcher::with_resolver(
            MediaHosts::platform_defaults(),
            Duration::from_secs(5),
            Arc::new(dns),
        )
        .unwrap();
        fetcher.test_server = Some(*server.address());
        let error = refusal(&fetcher, &format!("{}/a.jpg", server.uri())).await;
        assert_refused_as(&error, "loopback");
    }

    #[tokio::test]
    async fn media_is_fetched_without_credentials_up_to_the_size_cap() {
        let server = MockServer::start().await;
        let image: Vec<u8> = (0..4096u32).map(|i| (i % 251) as u8).collect();
        Mock::given(method("GET"))
            .and(path("/cdn/photo.jpg"))
            .respond_with(ResponseTemplate::new(200).set_body_raw(image.clone(), "image/jpeg"))
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path("/cdn/moved.jpg"))
            .respond_with(ResponseTemplate::new(302).insert_header("location", "/cdn/photo.jpg"))
            .mount(&server)
            .await;
        let fetcher = trusted(&server).await;
        let url = format!("{}/cdn/photo.jpg?oh=SIGNED", server.uri());
        let bytes = fetcher
            .fetch(PlatformKind::Facebook, &url, 8192)
            .await
            .unwrap();
        assert_eq!(bytes, image);
        let moved = format!("{}/cdn/moved.jpg", server.uri());
        let followed = fetcher
            .fetch(PlatformKind::Facebook, &moved, 8192)
            .await
            .unwrap();
        assert_eq!(
            followed, image,
            "a redirect on the same checked host is followed"
        );
        let requests = server.received_requests().await.unwrap_or_default();
        assert!(
            requests
                .iter()
                .all(|r| !r.headers.contains_key("authorization")
                    && !r.headers.contains_key("cookie")),
        );

        let error = fetcher
            .fetch(PlatformKind::Facebook, &url, 4095)
            .await
            .unwrap_err();
        assert!(
            matches!(&error, MediaError::TooLarge { .. })
                && error.to_string().contains("larger than 4095 bytes")
                && !error.to_string().contains("SIGNED"),
            "{error}"
        );
        let missing = format!("{}/cdn/gone.jpg", server.uri());
        assert!(matches!(
            fetcher.fetch(PlatformKind::Facebook, &missing, 8192).await,
            Err(MediaError::Status { status: 404, .. })
        ));
        assert!(matches!(
            fetcher
                .fetch(PlatformKind::Facebook, "file:///etc/passwd", 8192)
                .await,
            Err(MediaError::NotHttps { .. })
        ));
    }

    #[tokio::test]
    async fn a_slow_media_host_times_out() {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/cdn/slow.jpg"))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_raw(vec![1u8; 10], "image/jpeg")
                    .set_delay(Duration::from_secs(3)),
            )
            .mount(&server)
            .await;
        let fetcher = trusted(&server).await;
        let url = format!("{}/cdn/slow.jpg", server.uri());
        assert!(matches!(
            fetcher.fetch(PlatformKind::Facebook, &url, 8192).await,
            Err(MediaError::Timeout { .. })
        ));
    }
}
