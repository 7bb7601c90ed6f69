//! The whole `whitelist.toml` file: loading, cross-entry rules and lookup.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::ops::Range;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::Deserialize;
use serde::de::IgnoredAny;
use toml::Spanned;

use super::Destination;
use crate::error::{self, ConfigError, Location};
use crate::host::{HostName, HostPattern};
use crate::mechanism::MechanismRegistry;

/// The typed form of the file. Field-level errors come from here, with the
/// TOML parser's span of the offending value.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WhitelistFile {
    #[serde(default)]
    destination: Vec<Destination>,
}

/// A second reading of the same text that keeps the spans needed by rules
/// that involve more than one value, such as duplicate hosts.
#[derive(Deserialize)]
struct SpanFile {
    #[serde(default)]
    destination: Vec<DestinationSpans>,
}

#[derive(Deserialize)]
struct DestinationSpans {
    id: Spanned<String>,
    hosts: Vec<Spanned<String>>,
    mechanism: Option<Spanned<String>>,
    reviewed_on: Spanned<IgnoredAny>,
}

/// File locations of the fields that checks after loading report against.
#[derive(Debug, Clone)]
struct DestinationLocations {
    mechanism: Option<Location>,
    reviewed_on: Location,
}

/// The loaded whitelist, indexed by id and host.
#[derive(Debug, Clone)]
pub struct Whitelist {
    path: PathBuf,
    destinations: Vec<Destination>,
    locations: Vec<DestinationLocations>,
    by_id: HashMap<String, usize>,
    exact: HashMap<HostName, usize>,
    /// Keyed by the suffix after `*.`.
    wildcards: HashMap<String, usize>,
}

/// First occurrence of a destination id or host pattern.
struct FirstSeen {
    index: usize,
    location: Location,
}

impl Whitelist {
    /// A whitelist without destinations, which blocks every host.
    pub fn empty() -> Whitelist {
        Whitelist {
            path: PathBuf::new(),
            destinations: Vec::new(),
            locations: Vec::new(),
            by_id: HashMap::new(),
            exact: HashMap::new(),
            wildcards: HashMap::new(),
        }
    }

    /// Reads and parses the whitelist at `path`.
    pub fn load(path: &Path) -> Result<Whitelist, ConfigError> {
        let text = error::read_text(path)?;
        Whitelist::parse(&text, path)
    }

    /// Parses whitelist text; `path` is used in error messages only.
    ///
    /// Rejects duplicate ids and any exact host or wildcard that appears in
    /// two places. Review dates in the future are not rejected here because
    /// parsing has no clock; see [`Whitelist::validate_dates`].
    pub fn parse(text: &str, path: &Path) -> Result<Whitelist, ConfigError> {
        let file: WhitelistFile = error::parse_toml(text, path)?;
        let spans: SpanFile = error::parse_toml(text, path)?;
        let locate = |span: Range<usize>| Location::of_offset(text, span.start);

        let mut whitelist = Whitelist::empty();
        whitelist.path = path.to_owned();
        let mut id_lines: HashMap<String, FirstSeen> = HashMap::new();
        let mut host_lines: HashMap<HostPattern, FirstSeen> = HashMap::new();

        for (index, (destination, spans)) in file
            .destination
            .into_iter()
            .zip(spans.destination)
            .enumerate()
        {
            let id_location = locate(spans.id.span());
            let first = FirstSeen {
                index,
                location: id_location,
            };
            if let Some(previous) = id_lines.insert(destination.id.clone(), first) {
                let message = format!(
                    "duplicate destination id {:?}; it is already used on line {}",
                    destination.id, previous.location.line
                );
                return Err(ConfigError::at_location(path, id_location, message));
            }
            for (pattern, span) in destination.hosts.iter().zip(&spans.hosts) {
                let location = locate(span.span());
                whitelist.index_host(&mut host_lines, pattern, index, location)?;
            }
            whitelist.by_id.insert(destination.id.clone(), index);
            whitelist.locations.push(DestinationLocations {
                mechanism: spans.mechanism.map(|mechanism| locate(mechanism.span())),
                reviewed_on: locate(spans.reviewed_on.span()),
            });
            whitelist.destinations.push(destination);
        }
        Ok(whitelist)
    }

    fn index_host(
        &mut self,
        seen: &mut HashMap<HostPattern, FirstSeen>,
        pattern: &HostPattern,
        index: usize,
        location: Location,
    ) -> Result<(), ConfigError> {
        match seen.entry(pattern.clone()) {
            Entry::Occupied(previous) => {
                let previous = previous.get();
                let owner = match self.destinations.get(previous.index) {
                    Some(destination) => format!("destination {:?}", destination.id),
                    None => "this destination".to_owned(),
                };
                let message = format!(
                    "host {:?} is already listed in {owner} on line {}; list each host in one \
                     destination only",
                    pattern.to_string(),
                    previous.location.line
                );
                return Err(ConfigError::at_location(&self.path, location, message));
            }
            Entry::Vacant(slot) => {
                slot.insert(FirstSeen { index, location });
            }
        }
        match pattern {
            HostPattern::Exact(host) => self.exact.insert(host.clone(), index),
            HostPattern::Wildcard(suffix) => {
                self.wildcards.insert(suffix.as_str().to_owned(), index)
            }
        };
        Ok(())
    }

    /// Every destination, in file order.
    pub fn destinations(&self) -> &[Destination] {
        &self.destinations
    }

    /// The destination with this id.
    pub fn get(&self, id: &str) -> Option<&Destination> {
        self.by_id.get(id).map(|&index| &self.destinations[index])
    }

    /// The destination whose pattern matches `host` most specifically: an
    /// exact pattern beats every wildcard, and a longer wildcard suffix beats
    /// a shorter one.
    pub fn find(&self, host: &HostName) -> Option<&Destination> {
        if let Some(&index) = self.exact.get(host) {
            return Some(&self.destinations[index]);
        }
        if host.ip().is_some() {
            return None;
        }
        // Walk the suffixes from longest to shortest; each one needs at
        // least one label in front, which the dot guarantees.
        let name = host.as_str();
        name.match_indices('.')
            .find_map(|(dot, _)| self.wildcards.get(&name[dot + 1..]))
            .map(|&index| &self.destinations[index])
    }

    /// Destinations whose review is overdue on `today`.
    pub fn overdue_reviews(&self, today: NaiveDate) -> impl Iterator<Item = &Destination> {
        self.destinations
            .iter()
            .filter(move |destination| destination.review_overdue(today))
    }

    /// Rejects a `reviewed_on` date after `today`, which is most likely a
    /// typo and would postpone the next review.
    pub fn validate_dates(&self, today: NaiveDate) -> Result<(), ConfigError> {
        for (destination, locations) in self.destinations.iter().zip(&self.locations) {
            if destination.reviewed_on > today {
                let message = format!(
                    "reviewed_on {} of destination {:?} is in the future (today is {today}); set it \
                     to the day of the last review",
                    destination.reviewed_on, destination.id
                );
                return Err(ConfigError::at_location(
                    &self.path,
                    locations.reviewed_on,
                    message,
                ));
            }
        }
        Ok(())
    }

    /// Checks that every `mechanism` id exists in `registry`. The error
    /// points at the `mechanism` value in the whitelist file.
    pub fn check_mechanisms(&self, registry: &MechanismRegistry) -> Result<(), ConfigError> {
        for (destination, locations) in self.destinations.iter().zip(&self.locations) {
            let Some(mechanism) = &destination.mechanism else {
                continue;
            };
            if registry.get(mechanism).is_some() {
                continue;
            }
            let message = format!(
                "destination {:?} refers to unknown mechanism {mechanism:?}; {}",
                destination.id,
                registry.describe_ids()
            );
            return Err(match locations.mechanism {
                Some(location) => ConfigError::at_location(&self.path, location, message),
                None => ConfigError::Invalid {
                    path: self.path.clone(),
                    location: None,
                    message,
                },
            });
        }
        Ok(())
    }
}
