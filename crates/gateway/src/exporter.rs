//! Exporters: the legal entities that send data through one gateway, and
//! how a client is mapped to one of them.
//!
//! The exporter's country decides which law applies to a transfer (GDPR,
//! UK GDPR, PIPL), so a group whose German and Chinese subsidiaries share a
//! gateway gets each request judged under the right law. The first rule
//! that matches maps a client: the subject of its TLS client certificate
//! (when the proxy listener requires one), its proxy user name, the most
//! specific source range that contains its address. An unmapped client
//! gets the default exporter.
//!
//! NOTE: the proxy user name is taken from `Proxy-Authorization` without
//! checking a password, so it identifies a client but does not
//! authenticate it; only a client certificate does.

use std::net::IpAddr;

use base64::Engine;
use certs::CertificateSubject;
use http::HeaderMap;
use ipnet::IpNet;
use serde::Deserialize;
use whitelist::CountryCode;

/// One exporting entity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exporter {
    /// The legal entity's name, shown in records and notices.
    pub name: Option<String>,
    pub country: CountryCode,
}

impl Exporter {
    /// The name under which volumes are counted: the entity's name, or its
    /// country when it has none.
    pub fn label(&self) -> String {
        self.name
            .clone()
            .unwrap_or_else(|| self.country.as_str().to_owned())
    }
}

/// The `[exporter]` table, or `[[exporter]]` entries when several
/// entities share the gateway.
#[derive(Debug)]
pub(crate) enum ExporterSection {
    One(SingleExporter),
    Many(Vec<ExporterEntry>),
}

/// Chooses the form by the shape of the value, so that an error inside
/// either form keeps its position in the file (an untagged enum would
/// replace it with "did not match any variant").
impl<'de> Deserialize<'de> for ExporterSection {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct SectionVisitor;

        impl<'de> serde::de::Visitor<'de> for SectionVisitor {
            type Value = ExporterSection;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an [exporter] table or [[exporter]] entries")
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<Self::Value, A::Error> {
                let single =
                    SingleExporter::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
                Ok(ExporterSection::One(single))
            }

            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                seq: A,
            ) -> Result<Self::Value, A::Error> {
                let entries = Vec::<ExporterEntry>::deserialize(
                    serde::de::value::SeqAccessDeserializer::new(seq),
                )?;
                Ok(ExporterSection::Many(entries))
            }
        }

        deserializer.deserialize_any(SectionVisitor)
    }
}

impl Default for ExporterSection {
    fn default() -> Self {
        ExporterSection::One(SingleExporter::default())
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SingleExporter {
    country: Option<CountryCode>,
    name: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ExporterEntry {
    name: String,
    country: CountryCode,
    /// Whether unmapped clients belong to this exporter.
    #[serde(default)]
    default: bool,
    /// Source address ranges of this exporter's clients.
    #[serde(default)]
    clients: Vec<IpNet>,
    /// Proxy user names (from `Proxy-Authorization: Basic`) of its clients.
    #[serde(default)]
    proxy_users: Vec<String>,
    /// Client certificate subjects of its clients: a common name, or a
    /// whole subject such as `CN=erp-shanghai, O=Example`.
    #[serde(default)]
    client_subjects: Vec<String>,
}

/// All exporters of a gateway and the mapping from clients to them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Exporters {
    default: Option<Exporter>,
    by_subject: Vec<(String, Exporter)>,
    by_user: Vec<(String, Exporter)>,
    by_range: Vec<(IpNet, Exporter)>,
}

impl Exporters {
    /// Builds the mapping from the configuration section; the error is a
    /// message about the `[exporter]` section.
    pub(crate) fn from_section(section: ExporterSection) -> Result<Exporters, String> {
        let entries = match section {
            ExporterSection::One(single) => {
                return Ok(Exporters {
                    default: single.country.map(|country| Exporter {
                        name: single.name,
                        country,
                    }),
                    ..Exporters::default()
                });
            }
            ExporterSection::Many(entries) => entries,
        };
        let defaults = entries.iter().filter(|entry| entry.default).count();
        if defaults > 1 {
            return Err(format!(
                "{defaults} [[exporter]] entries have default = true; mark exactly one"
            ));
        }
        let mut exporters = Exporters::default();
        let mut names = Vec::new();
        for entry in entries {
            if names.contains(&entry.name) {
                return Err(format!("[[exporter]] name {:?} appears twice", entry.name));
            }
            names.push(entry.name.clone());
            let exporter = Exporter {
                name: Some(entry.name.clone()),
                country: entry.country,
            };
            for subject in entry.client_subjects {
                if exporters
                    .by_subject
                    .iter()
                    .any(|(known, _)| *known == subject)
                {
                    return Err(format!(
                        "client certificate subject {subject:?} is mapped to two [[exporter]] \
                         entries"
                    ));
                }
                exporters.by_subject.push((subject, exporter.clone()));
            }
            for user in entry.proxy_users {
                if exporters.by_user.iter().any(|(known, _)| *known == user) {
                    return Err(format!(
                        "proxy user {user:?} is mapped to two [[exporter]] entries"
                    ));
                }
                exporters.by_user.push((user, exporter.clone()));
            }
            for range in entry.clients {
                exporters.by_range.push((range.trunc(), exporter.clone()));
            }
            if entry.default {
                exporters.default = Some(exporter);
            }
        }
        if exporters.default.is_none() {
            return Err(
                "no [[exporter]] entry has default = true; mark the one that unmapped clients \
                 belong to"
                    .into(),
            );
        }
        // Most specific range first, so the first match is the best one.
        exporters
            .by_range
            .sort_by_key(|(range, _)| std::cmp::Reverse(range.prefix_len()));
        Ok(exporters)
    }

    /// One exporter for every client.
    pub fn single(exporter: Exporter) -> Exporters {
        Exporters {
            default: Some(exporter),
            ..Exporters::default()
        }
    }

    /// Every exporter once, the default first.
    pub fn all(&self) -> Vec<&Exporter> {
        let mut all: Vec<&Exporter> = self.default.iter().collect();
        let by_subject = self.by_subject.iter().map(|(_, exporter)| exporter);
        let by_user = self.by_user.iter().map(|(_, exporter)| exporter);
        let mapped = by_subject
            .chain(by_user)
            .chain(self.by_range.iter().map(|(_, exporter)| exporter));
        for exporter in mapped {
            if !all.contains(&exporter) {
                all.push(exporter);
            }
        }
        all
    }

    /// Whether any exporter is configured.
    pub fn is_empty(&self) -> bool {
        self.default.is_none()
    }

    pub fn default_exporter(&self) -> Option<&Exporter> {
        self.default.as_ref()
    }

    /// Returns the exporter of a client at `address` that sent `headers`.
    pub fn select(&self, address: IpAddr, headers: &HeaderMap) -> Option<&Exporter> {
        self.select_for(address, None, proxy_user(headers).as_deref())
    }

    /// Returns the exporter of a client at `address` with the verified
    /// client certificate `certificate` and proxy user name `user`.
    pub fn select_for(
        &self,
        address: IpAddr,
        certificate: Option<&CertificateSubject>,
        user: Option<&str>,
    ) -> Option<&Exporter> {
        if let Some(certificate) = certificate
            && let Some((_, exporter)) = self.by_subject.iter().find(|(known, _)| {
                certificate.common_name.as_deref() == Some(known.as_str())
                    || certificate.distinguished_name == *known
            })
        {
            return Some(exporter);
        }
        if let Some(user) = user
            && let Some((_, exporter)) = self.by_user.iter().find(|(known, _)| known == user)
        {
            return Some(exporter);
        }
        let address = address.to_canonical();
        self.by_range
            .iter()
            .find(|(range, _)| range.contains(&address))
            .map(|(_, exporter)| exporter)
            .or(self.default.as_ref())
    }
}

/// The user name of a `Proxy-Authorization: Basic` header.
pub fn proxy_user(headers: &HeaderMap) -> Option<String> {
    let value = headers
        .get(http::header::PROXY_AUTHORIZATION)?
        .to_str()
        .ok()?;
    let (scheme, credentials) = value.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(credentials.trim())
        .ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let user = text.split_once(':').map_or(text.as_str(), |(user, _)| user);
    (!user.is_empty()).then(|| user.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    fn exporters(text: &str) -> Result<Exporters, String> {
        #[derive(Deserialize)]
        struct File {
            exporter: ExporterSection,
        }
        let file: File = toml::from_str(text).map_err(|error| error.to_string())?;
        Exporters::from_section(file.exporter)
    }

    const GROUP: &str = r#"
[[exporter]]
name = "Example Trading GmbH"
country = "DE"
default = true

[[exporter]]
name = "Example Trading (Shanghai) Co., Ltd."
country = "CN"
clients = ["10.20.0.0/16"]
proxy_users = ["erp-cn"]

[[exporter]]
name = "Example Trading Shanghai Finance"
country = "CN"
clients = ["10.20.5.0/24"]
"#;

    fn basic(user: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        let encoded = base64::engine::general_purpose::STANDARD.encode(format!("{user}:secret"));
        headers.insert(
            http::header::PROXY_AUTHORIZATION,
            HeaderValue::from_str(&format!("Basic {encoded}")).unwrap(),
        );
        headers
    }

    fn name(exporter: Option<&Exporter>) -> &str {
        exporter.and_then(|e| e.name.as_deref()).unwrap_or("-")
    }

    #[test]
    fn clients_map_by_user_then_range_then_default() {
        let exporters = exporters(GROUP).unwrap();
        let none = HeaderMap::new();
        let address = |text: &str| text.parse::<IpAddr>().unwrap();
        assert_eq!(
            name(exporters.select(address("192.168.1.5"), &none)),
            "Example Trading GmbH"
        );
        assert_eq!(
            name(exporters.select(address("10.20.1.5"), &none)),
            "Example Trading (Shanghai) Co., Ltd."
        );
        assert_eq!(
            name(exporters.select(address("10.20.5.9"), &none)),
            "Example Trading Shanghai Finance"
        );
        assert_eq!(
            name(exporters.select(address("::ffff:10.20.5.9"), &none)),
            "Example Trading Shanghai Finance"
        );
        assert_eq!(
            name(exporters.select(address("192.168.1.5"), &basic("erp-cn"))),
            "Example Trading (Shanghai) Co., Ltd."
        );
        assert_eq!(
            name(exporters.select(address("192.168.1.5"), &basic("someone"))),
            "Example Trading GmbH"
        );
    }

    #[test]
    fn certificate_subject_comes_before_user_and_range() {
        let text = GROUP.replace(
            "clients = [\"10.20.5.0/24\"]",
            "clients = [\"10.20.5.0/24\"]\nclient_subjects = [\"erp-finance\", \"CN=ledger, O=Example\"]",
        );
        let exporters = exporters(&text).unwrap();
        let address = "10.20.1.5".parse::<IpAddr>().unwrap();
        let subject = |common_name: &str, distinguished_name: &str| CertificateSubject {
            distinguished_name: distinguished_name.to_owned(),
            common_name: Some(common_name.to_owned()),
        };
        let finance = subject("erp-finance", "CN=erp-finance, O=Example");
        assert_eq!(
            name(exporters.select_for(address, Some(&finance), Some("erp-cn"))),
            "Example Trading Shanghai Finance"
        );
        let ledger = subject("ledger", "CN=ledger, O=Example");
        assert_eq!(
            name(exporters.select_for(address, Some(&ledger), None)),
            "Example Trading Shanghai Finance"
        );
        let unknown = subject("laptop-7", "CN=laptop-7");
        assert_eq!(
            name(exporters.select_for(address, Some(&unknown), None)),
            "Example Trading (Shanghai) Co., Ltd."
        );
    }

    #[test]
    fn subject_mapped_twice_is_rejected() {
        let text = GROUP
            .replace("proxy_users", "client_subjects = [\"erp\"]\nproxy_users")
            .replace(
                "clients = [\"10.20.5.0/24\"]",
                "clients = [\"10.20.5.0/24\"]\nclient_subjects = [\"erp\"]",
            );
        assert_eq!(
            exporters(&text).unwrap_err(),
            "client certificate subject \"erp\" is mapped to two [[exporter]] entries"
        );
    }

    #[test]
    fn single_table_is_the_default() {
        let exporters = exporters("[exporter]\ncountry = \"CN\"\n").unwrap();
        let exporter = exporters.default_exporter().unwrap();
        assert_eq!(exporter.country.as_str(), "CN");
        assert_eq!(exporter.name, None);
    }

    #[test]
    fn entries_need_exactly_one_default() {
        let none = GROUP.replace("default = true", "");
        assert!(
            exporters(&none)
                .unwrap_err()
                .contains("no [[exporter]] entry has default")
        );
        let two = GROUP.replace("proxy_users", "default = true\nproxy_users");
        assert!(
            exporters(&two)
                .unwrap_err()
                .contains("2 [[exporter]] entries")
        );
    }

    #[test]
    fn user_mapped_twice_is_rejected() {
        let text = GROUP.replace(
            "clients = [\"10.20.5.0/24\"]",
            "clients = [\"10.20.5.0/24\"]\nproxy_users = [\"erp-cn\"]",
        );
        assert!(
            exporters(&text)
                .unwrap_err()
                .contains("\"erp-cn\" is mapped to two")
        );
    }
}
