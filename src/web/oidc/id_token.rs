//! Verifying an ID token (OpenID Connect Core §3.1.3.7): the signature with
//! one of the provider's published keys, then issuer, audience (and `azp`
//! when there are several audiences), expiry and the login's nonce — and
//! only then the claims the console reads: the person's address, their name
//! and their groups.
//!
//! Pure: the keys, the expected values and the time are given, so every
//! refusal is tested with tokens signed here. Only asymmetric algorithms are
//! accepted; `none` and HMAC (which a public key would turn into a shared
//! secret) are refused before any key is looked at.

use std::str::FromStr;

use jsonwebtoken::jwk::{AlgorithmParameters, JwkSet, PublicKeyUse};
use jsonwebtoken::{Algorithm, DecodingKey, Validation, decode, decode_header};
use serde::Deserialize;
use serde_json::{Map, Value};

use super::Refusal;
use crate::web::csrf::constant_time_eq;

/// How far the provider's clock may be from ours, in seconds.
pub const CLOCK_SKEW_SECONDS: i64 = 120;

/// Algorithms an ID token may be signed with: public-key ones only.
const ASYMMETRIC: [Algorithm; 9] = [
    Algorithm::RS256,
    Algorithm::RS384,
    Algorithm::RS512,
    Algorithm::PS256,
    Algorithm::PS384,
    Algorithm::PS512,
    Algorithm::ES256,
    Algorithm::ES384,
    Algorithm::EdDSA,
];

/// What a token must match.
#[derive(Debug, Clone, Copy)]
pub struct Expected<'a> {
    /// The provider's issuer, exactly.
    pub issuer: &'a str,
    /// The console's client id.
    pub client_id: &'a str,
    /// The nonce this login sent.
    pub nonce: &'a str,
    /// The algorithms the provider says it signs with (empty: any of ours).
    pub algorithms: &'a [String],
    /// Now, in seconds since the epoch.
    pub now: i64,
}

/// Which claims the console reads.
#[derive(Debug, Clone, Copy)]
pub struct ClaimNames<'a> {
    /// The person's address.
    pub user: &'a str,
    /// Their groups.
    pub groups: &'a str,
}

/// The person a verified token names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    /// Their address, lower-case: what the config's roles name.
    pub user: String,
    /// Their name to show (`name`, else the address).
    pub name: String,
    /// Their groups, as the provider lists them.
    pub groups: Vec<String>,
    /// Whether the provider left the groups out because there were too
    /// many (Entra's "overage"): roles from groups then do not apply.
    pub groups_overage: bool,
}

#[derive(Debug, Deserialize)]
struct Claims {
    exp: i64,
    #[serde(default)]
    iat: Option<i64>,
    #[serde(default)]
    nonce: Option<String>,
    aud: Value,
    #[serde(default)]
    azp: Option<String>,
    #[serde(flatten)]
    other: Map<String, Value>,
}

/// The algorithm the token's header names, if it is one we accept and the
/// provider says it uses.
fn accepted_algorithm(header_alg: Algorithm, advertised: &[String]) -> Result<Algorithm, Refusal> {
    let advertised_ok = advertised.is_empty()
        || advertised
            .iter()
            .any(|a| Algorithm::from_str(a).is_ok_and(|a| a == header_alg));
    if ASYMMETRIC.contains(&header_alg) && advertised_ok {
        Ok(header_alg)
    } else {
        Err(Refusal::Algorithm)
    }
}

/// The published key the token names (by `kid`, or the only signing key
/// of the algorithm's kind when there is no `kid`).
pub fn signing_key(keys: &JwkSet, kid: Option<&str>, alg: Algorithm) -> Option<DecodingKey> {
    let usable = keys.keys.iter().filter(|k| {
        !matches!(k.algorithm, AlgorithmParameters::OctetKey(_))
            && k.common
                .public_key_use
                .as_ref()
                .is_none_or(|u| *u == PublicKeyUse::Signature)
            && k.common
                .key_algorithm
                .is_none_or(|ka| Algorithm::try_from(ka).is_ok_and(|a| a == alg))
    });
    let chosen: Vec<_> = match kid {
        Some(kid) => usable
            .filter(|k| k.common.key_id.as_deref() == Some(kid))
            .collect(),
        None => usable.collect(),
    };
    match chosen.as_slice() {
        [only] => DecodingKey::from_jwk(only).ok(),
        _ => None,
    }
}

/// The `kid` and algorithm of a token, before its key is looked up.
pub fn key_id(token: &str) -> Result<(Option<String>, Algorithm), Refusal> {
    let header = decode_header(token).map_err(|_| Refusal::Malformed)?;
    Ok((header.kid, header.alg))
}

/// Verifies `token` with `keys` and returns the person it names.
pub fn verify(
    token: &str,
    keys: &JwkSet,
    expected: &Expected<'_>,
    names: &ClaimNames<'_>,
) -> Result<Identity, Refusal> {
    let (kid, alg) = key_id(token)?;
    let alg = accepted_algorithm(alg, expected.algorithms)?;
    let key = signing_key(keys, kid.as_deref(), alg).ok_or(Refusal::UnknownKey)?;
    let mut validation = Validation::new(alg);
    validation.set_issuer(&[expected.issuer]);
    validation.set_audience(&[expected.client_id]);
    validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
    // Expiry is checked below against the given time, not the system's.
    validation.validate_exp = false;
    let claims = decode::<Claims>(token, &key, &validation)
        .map_err(|e| refusal_of(e.kind()))?
        .claims;
    check_times(&claims, expected.now)?;
    check_authorized_party(&claims, expected.client_id)?;
    let nonce = claims.nonce.as_deref().unwrap_or_default();
    if !constant_time_eq(nonce.as_bytes(), expected.nonce.as_bytes()) {
        return Err(Refusal::Nonce);
    }
    identity(&claims.other, names)
}

fn refusal_of(kind: &jsonwebtoken::errors::ErrorKind) -> Refusal {
    use jsonwebtoken::errors::ErrorKind;
    match kind {
        ErrorKind::InvalidSignature => Refusal::Signature,
        ErrorKind::InvalidIssuer => Refusal::Issuer,
        ErrorKind::InvalidAudience => Refusal::Audience,
        ErrorKind::InvalidAlgorithm | ErrorKind::UnsupportedAlgorithm => Refusal::Algorithm,
        _ => Refusal::Malformed,
    }
}

fn check_times(claims: &Claims, now: i64) -> Result<(), Refusal> {
    if claims.exp + CLOCK_SKEW_SECONDS < now {
        return Err(Refusal::Expired);
    }
    if claims.iat.is_some_and(|iat| iat > now + CLOCK_SKEW_SECONDS) {
        return Err(Refusal::Expired);
    }
    Ok(())
}

/// With several audiences the token must say it was issued to us (§2).
fn check_authorized_party(claims: &Claims, client_id: &str) -> Result<(), Refusal> {
    let several = claims.aud.as_array().is_some_and(|a| a.len() > 1);
    match &claims.azp {
        Some(azp) if azp != client_id => Err(Refusal::Audience),
        None if several => Err(Refusal::Audience),
        _ => Ok(()),
    }
}

fn identity(claims: &Map<String, Value>, names: &ClaimNames<'_>) -> Result<Identity, Refusal> {
    let user = claims
        .get(names.user)
        .and_then(Value::as_str)
        .map(|u| u.trim().to_lowercase())
        .filter(|u| u.contains('@'))
        .ok_or(Refusal::NoAddress)?;
    let name = claims
        .get("name")
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map_or_else(|| user.clone(), str::to_string);
    let groups = claims
        .get(names.groups)
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    let groups_overage = claims
        .get("_claim_names")
        .and_then(Value::as_object)
        .is_some_and(|sources| sources.contains_key(names.groups));
    Ok(Identity {
        user,
        name,
        groups,
        groups_overage,
    })
}

#[cfg(test)]
mod tests {
    use jsonwebtoken::jwk::Jwk;
    use jsonwebtoken::{EncodingKey, Header, encode};
    use serde_json::json;

    use super::*;

    const ISSUER: &str = "https://login.example.se/tenant/v2.0";
    const CLIENT: &str = "konsol";
    const NONCE: &str = "n-0123456789";
    const NOW: i64 = 1_800_000_000;

    /// A P-256 key made for the test, and its public JWK under `kid`, as
    /// a provider publishes it.
    fn key_pair(kid: &str) -> (EncodingKey, Jwk) {
        use base64::Engine;
        use base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let pair = rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).unwrap();
        let encoding = EncodingKey::from_ec_der(&pair.serialize_der());
        // The uncompressed point: 0x04, x, y.
        let point = pair.public_key_raw();
        let jwk = json!({
            "kty": "EC", "crv": "P-256", "use": "sig", "alg": "ES256", "kid": kid,
            "x": URL_SAFE_NO_PAD.encode(&point[1..33]),
            "y": URL_SAFE_NO_PAD.encode(&point[33..65]),
        });
        (encoding, serde_json::from_value(jwk).unwrap())
    }

    fn claims() -> Value {
        json!({
            "iss": ISSUER,
            "aud": CLIENT,
            "sub": "abc",
            "exp": NOW + 300,
            "iat": NOW,
            "nonce": NONCE,
            "preferred_username": "Moa.Moderator@Stockholm.se",
            "name": "Moa Moderator",
            "groups": ["g-1", "g-2"],
        })
    }

    fn sign(key: &EncodingKey, kid: &str, claims: &Value) -> String {
        let mut header = Header::new(Algorithm::ES256);
        header.kid = Some(kid.to_string());
        encode(&header, claims, key).unwrap()
    }

    fn expected() -> Expected<'static> {
        Expected {
            issuer: ISSUER,
            client_id: CLIENT,
            nonce: NONCE,
            algorithms: &[],
            now: NOW,
        }
    }

    const NAMES: ClaimNames<'static> = ClaimNames {
        user: "preferred_username",
        groups: "groups",
    };

    fn check(claims: &Value) -> Result<Identity, Refusal> {
        let (key, jwk) = key_pair("k1");
        let keys = JwkSet { keys: vec![jwk] };
        verify(&sign(&key, "k1", claims), &keys, &expected(), &NAMES)
    }

    fn with(field: &str, value: Value) -> Value {
        let mut c = claims();
        c[field] = value;
        c
    }

    #[test]
    fn a_good_token_names_the_person_their_name_and_groups() {
        let identity = check(&claims()).unwrap();
        assert_eq!(identity.user, "moa.moderator@stockholm.se");
        assert_eq!(identity.name, "Moa Moderator");
        assert_eq!(identity.groups, ["g-1", "g-2"]);
        assert!(!identity.groups_overage);
    }

    #[test]
    fn wrong_issuer_audience_nonce_or_expiry_is_refused() {
        let cases = [
            (with("iss", json!("https://evil.example/")), Refusal::Issuer),
            (with("aud", json!("another-app")), Refusal::Audience),
            (
                with("aud", json!([CLIENT, "another-app"])),
                Refusal::Audience,
            ),
            (with("azp", json!("another-app")), Refusal::Audience),
            (with("nonce", json!("n-replayed")), Refusal::Nonce),
            (
                with("exp", json!(NOW - CLOCK_SKEW_SECONDS - 1)),
                Refusal::Expired,
            ),
            (with("iat", json!(NOW + 3600)), Refusal::Expired),
            (
                with("preferred_username", json!("no address")),
                Refusal::NoAddress,
            ),
        ];
        for (claims, refusal) in cases {
            assert_eq!(check(&claims), Err(refusal), "{claims}");
        }
        let mut no_nonce = claims();
        no_nonce.as_object_mut().unwrap().remove("nonce");
        assert_eq!(check(&no_nonce), Err(Refusal::Nonce));
        // Several audiences with ourselves as the authorized party pass.
        let mut shared = with("aud", json!([CLIENT, "another-app"]));
        shared["azp"] = json!(CLIENT);
        assert!(check(&shared).is_ok());
    }

    #[test]
    fn a_signature_by_another_key_is_refused() {
        let (_, published) = key_pair("k1");
        let (forger, _) = key_pair("k1");
        let keys = JwkSet {
            keys: vec![published],
        };
        let token = sign(&forger, "k1", &claims());
        assert_eq!(
            verify(&token, &keys, &expected(), &NAMES),
            Err(Refusal::Signature)
        );
        let (other, _) = key_pair("k2");
        let token = sign(&other, "k2", &claims());
        assert_eq!(
            verify(&token, &keys, &expected(), &NAMES),
            Err(Refusal::UnknownKey)
        );
    }

    #[test]
    fn unsigned_and_shared_secret_tokens_are_refused() {
        let (_, jwk) = key_pair("k1");
        let keys = JwkSet { keys: vec![jwk] };
        let hmac = encode(
            &Header::new(Algorithm::HS256),
            &claims(),
            &EncodingKey::from_secret(b"a public key as secret").unwrap(),
        )
        .unwrap();
        assert_eq!(
            verify(&hmac, &keys, &expected(), &NAMES),
            Err(Refusal::Algorithm)
        );
        let body = hmac.split('.').nth(1).unwrap();
        // {"alg":"none"}
        let unsigned = format!("eyJhbGciOiJub25lIn0.{body}.");
        assert_eq!(
            verify(&unsigned, &keys, &expected(), &NAMES),
            Err(Refusal::Malformed)
        );
        // An algorithm the provider does not advertise.
        let (key, jwk) = key_pair("k1");
        let keys = JwkSet { keys: vec![jwk] };
        let rs_only = ["RS256".to_string()];
        let expected = Expected {
            algorithms: &rs_only,
            ..expected()
        };
        assert_eq!(
            verify(&sign(&key, "k1", &claims()), &keys, &expected, &NAMES),
            Err(Refusal::Algorithm)
        );
    }

    #[test]
    fn entra_group_overage_is_noticed() {
        let mut c = claims();
        c.as_object_mut().unwrap().remove("groups");
        c["_claim_names"] = json!({"groups": "src1"});
        let identity = check(&c).unwrap();
        assert!(identity.groups.is_empty());
        assert!(identity.groups_overage);
    }
}
