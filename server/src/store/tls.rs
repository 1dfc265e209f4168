//! TLS to PostgreSQL, as libpq reads a URL's `sslmode` and `sslrootcert`,
//! so that the URL a managed database gives (most require TLS) works as it
//! is written:
//!
//! - `disable`: no TLS;
//! - `prefer` (the default) and `require`: encrypted, the server's
//!   certificate not checked (`prefer` falls back to no TLS where the server
//!   has none; `require` does not);
//! - `verify-ca`: the certificate must chain to a trusted root;
//! - `verify-full`: and name the host connected to.
//!
//! Trusted roots are `sslrootcert`'s (a PEM file) or, without it (or with
//! `sslrootcert=system`), the system's.

use std::sync::Arc;

use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{CryptoProvider, verify_tls12_signature, verify_tls13_signature};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{
    CertificateError, ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme,
};
use tokio_postgres_rustls::MakeRustlsConnect;

/// What a URL asks of the server's certificate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Check {
    /// Encryption only (`prefer`, `require`, `disable`).
    None,
    /// A chain to a trusted root (`verify-ca`).
    Chain,
    /// A chain, and the host's name (`verify-full`).
    Full,
}

/// A connection URL as tokio-postgres reads it (it knows neither
/// `sslrootcert` nor the `verify-*` modes, which ask for `require` there)
/// and the connector that does the rest.
pub(super) fn connector(url: &str) -> Result<(String, MakeRustlsConnect), String> {
    let (url, check, roots) = split(url)?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?;
    let chain = match check {
        Check::None => None,
        Check::Chain | Check::Full => {
            let roots = Arc::new(trusted(roots.as_deref())?);
            let verifier = WebPkiServerVerifier::builder_with_provider(roots, provider.clone())
                .build()
                .map_err(|e| e.to_string())?;
            Some(verifier)
        }
    };
    let verifier = Arc::new(Verifier {
        chain,
        names: check == Check::Full,
        provider,
    });
    let config = builder
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth();
    Ok((url, MakeRustlsConnect::new(config)))
}

/// The URL without `sslrootcert`, its `verify-*` mode written `require`
/// (the other parameters as written); the check asked for and the roots
/// file. As libpq does, `require` with `sslrootcert` checks the chain.
fn split(url: &str) -> Result<(String, Check, Option<String>), String> {
    let Some((base, query)) = url.split_once('?') else {
        return Ok((url.to_owned(), Check::None, None));
    };
    let (mut mode, mut roots) = (String::from("prefer"), None);
    let mut kept = Vec::new();
    for pair in query.split('&') {
        let decoded: Vec<_> = form_urlencoded::parse(pair.as_bytes()).collect();
        match decoded.first().map(|(k, v)| (k.as_ref(), v.to_string())) {
            Some(("sslrootcert", file)) => roots = Some(file),
            Some(("sslmode", m)) => {
                kept.push(match m.as_str() {
                    "verify-ca" | "verify-full" => "sslmode=require",
                    _ => pair,
                });
                mode = m;
            }
            _ => kept.push(pair),
        }
    }
    let check = match (mode.as_str(), &roots) {
        ("verify-full", _) => Check::Full,
        ("verify-ca", _) | ("require", Some(_)) => Check::Chain,
        (_, Some(_)) => {
            return Err(format!(
                "sslrootcert is read with sslmode=require, verify-ca or verify-full, not {mode}"
            ));
        }
        _ => Check::None,
    };
    let url = match kept.join("&") {
        q if q.is_empty() => base.to_owned(),
        q => format!("{base}?{q}"),
    };
    Ok((url, check, roots))
}

/// The roots a certificate may chain to: the file's, or the system's.
fn trusted(file: Option<&str>) -> Result<RootCertStore, String> {
    let mut roots = RootCertStore::empty();
    match file {
        Some(path) if path != "system" => {
            let certs = CertificateDer::pem_file_iter(path)
                .and_then(|certs| certs.collect::<Result<Vec<_>, _>>())
                .map_err(|e| format!("sslrootcert {path}: {e}"))?;
            let (added, _) = roots.add_parsable_certificates(certs);
            if added == 0 {
                return Err(format!("sslrootcert {path}: no certificate in it"));
            }
        }
        _ => {
            return system_roots().ok_or_else(|| {
                "sslmode=verify-*: the system has no trusted roots (give sslrootcert=FILE)".into()
            });
        }
    }
    Ok(roots)
}

/// The certificate authorities this machine trusts (its CA certificates,
/// or `SSL_CERT_FILE` and `SSL_CERT_DIR`); `None` where it trusts none (a
/// container without its CA certificates).
pub(crate) fn system_roots() -> Option<RootCertStore> {
    let mut roots = RootCertStore::empty();
    roots.add_parsable_certificates(rustls_native_certs::load_native_certs().certs);
    (!roots.is_empty()).then_some(roots)
}

/// The server's certificate checked as the URL asks: the handshake's
/// signatures always (the session is the certificate holder's); the chain
/// to a trusted root with `chain` (`verify-ca`, `verify-full`), and the
/// host's name too with `names` (`verify-full`). Without `chain`, any
/// certificate is taken, as libpq takes it under `prefer` and `require`.
#[derive(Debug)]
struct Verifier {
    chain: Option<Arc<WebPkiServerVerifier>>,
    names: bool,
    provider: Arc<CryptoProvider>,
}

impl ServerCertVerifier for Verifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let Some(chain) = &self.chain else {
            return Ok(ServerCertVerified::assertion());
        };
        match chain.verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now) {
            Err(rustls::Error::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            )) if !self.names => Ok(ServerCertVerified::assertion()),
            checked => checked,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        let algorithms = &self.provider.signature_verification_algorithms;
        verify_tls12_signature(message, cert, dss, algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        let algorithms = &self.provider.signature_verification_algorithms;
        verify_tls13_signature(message, cert, dss, algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        (self.provider.signature_verification_algorithms).supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::{Check, split};

    #[test]
    fn a_url_is_split_into_what_tokio_postgres_reads_and_the_check() {
        let cases = [
            (
                "postgres://db/shop",
                "postgres://db/shop",
                Check::None,
                None,
            ),
            (
                "postgres://db/shop?sslmode=require",
                "postgres://db/shop?sslmode=require",
                Check::None,
                None,
            ),
            (
                "postgres://db/shop?sslmode=verify-full&sslrootcert=%2Fetc%2Fca.pem&application_name=a",
                "postgres://db/shop?sslmode=require&application_name=a",
                Check::Full,
                Some("/etc/ca.pem"),
            ),
            (
                "postgres://db/shop?sslrootcert=system&sslmode=verify-ca",
                "postgres://db/shop?sslmode=require",
                Check::Chain,
                Some("system"),
            ),
        ];
        for (given, url, check, roots) in cases {
            let (u, c, r) = split(given).unwrap();
            assert_eq!(
                (u.as_str(), c, r.as_deref()),
                (url, check, roots),
                "{given}"
            );
        }
        // libpq's reading: a root file makes `require` check the chain.
        let (_, check, _) = split("postgres://db/shop?sslmode=require&sslrootcert=ca.pem").unwrap();
        assert_eq!(check, Check::Chain);
        // Parameters are passed on as written (`%20` is no `+`).
        let (url, _, _) = split("postgres://db/shop?options=-c%20statement_timeout%3D5s").unwrap();
        assert_eq!(
            url,
            "postgres://db/shop?options=-c%20statement_timeout%3D5s"
        );
        assert!(
            split("postgres://db/shop?sslrootcert=ca.pem")
                .unwrap_err()
                .contains("not prefer")
        );
    }
}
