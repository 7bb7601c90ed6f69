//! The whole `mechanisms.toml` file.

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde::de::IgnoredAny;
use toml::Spanned;

use super::{Field, Mechanism};
use crate::error::{self, ConfigError, Location};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MechanismFile {
    #[serde(default)]
    mechanism: Vec<Mechanism>,
}

/// A second reading of the same text that keeps the spans of the fields
/// that cross-field rules report against.
#[derive(Deserialize)]
struct SpanFile {
    #[serde(default)]
    mechanism: Vec<MechanismSpans>,
}

#[derive(Deserialize)]
struct MechanismSpans {
    id: Spanned<String>,
    kind: Spanned<IgnoredAny>,
    module: Option<Spanned<IgnoredAny>>,
    expires_on: Option<Spanned<IgnoredAny>>,
    suspended: Option<Spanned<IgnoredAny>>,
    filed_on: Option<Spanned<IgnoredAny>>,
    ground: Option<Spanned<IgnoredAny>>,
}

impl MechanismSpans {
    fn span_of(&self, field: Field) -> Range<usize> {
        let optional = match field {
            Field::Kind => None,
            Field::Module => self.module.as_ref(),
            Field::ExpiresOn => self.expires_on.as_ref(),
            Field::Suspended => self.suspended.as_ref(),
            Field::FiledOn => self.filed_on.as_ref(),
            Field::Ground => self.ground.as_ref(),
        };
        optional.unwrap_or(&self.kind).span()
    }
}

/// The loaded mechanisms, indexed by id.
#[derive(Debug, Clone, Default)]
pub struct MechanismRegistry {
    /// The file the registry came from; `None` for [`MechanismRegistry::empty`].
    path: Option<PathBuf>,
    mechanisms: Vec<Mechanism>,
    by_id: HashMap<String, usize>,
}

impl MechanismRegistry {
    /// Creates a registry without mechanisms.
    pub fn empty() -> MechanismRegistry {
        MechanismRegistry::default()
    }

    /// Reads and parses the registry at `path`.
    pub fn load(path: &Path) -> Result<MechanismRegistry, ConfigError> {
        let text = error::read_text(path)?;
        MechanismRegistry::parse(&text, path)
    }

    /// Parses registry text; `path` is used in error messages and in the
    /// message for unknown ids.
    pub fn parse(text: &str, path: &Path) -> Result<MechanismRegistry, ConfigError> {
        let file: MechanismFile = error::parse_toml(text, path)?;
        let spans: SpanFile = error::parse_toml(text, path)?;

        let mut registry = MechanismRegistry {
            path: Some(path.to_owned()),
            ..MechanismRegistry::default()
        };
        let mut id_lines: HashMap<String, Location> = HashMap::new();
        for (index, (mechanism, spans)) in
            file.mechanism.into_iter().zip(spans.mechanism).enumerate()
        {
            let id_location = Location::of_offset(text, spans.id.span().start);
            if let Some(previous) = id_lines.insert(mechanism.id.clone(), id_location) {
                let message = format!(
                    "duplicate mechanism id {:?}; it is already used on line {}",
                    mechanism.id, previous.line
                );
                return Err(ConfigError::at_location(path, id_location, message));
            }
            if let Err((field, message)) = mechanism.validate() {
                return Err(ConfigError::at_span(
                    path,
                    text,
                    spans.span_of(field),
                    message,
                ));
            }
            registry.by_id.insert(mechanism.id.clone(), index);
            registry.mechanisms.push(mechanism);
        }
        Ok(registry)
    }

    /// Returns the mechanism with this id.
    pub fn get(&self, id: &str) -> Option<&Mechanism> {
        self.by_id.get(id).map(|&index| &self.mechanisms[index])
    }

    /// Iterates over every mechanism in file order.
    pub fn iter(&self) -> impl Iterator<Item = &Mechanism> {
        self.mechanisms.iter()
    }

    /// Returns the number of mechanisms.
    pub fn len(&self) -> usize {
        self.mechanisms.len()
    }

    /// Returns whether the registry has no mechanisms.
    pub fn is_empty(&self) -> bool {
        self.mechanisms.is_empty()
    }

    /// Describes where ids come from and which exist, for the message about
    /// an unknown id.
    pub(crate) fn describe_ids(&self) -> String {
        let source = match &self.path {
            Some(path) => path.display().to_string(),
            None => "the mechanism registry".to_owned(),
        };
        if self.mechanisms.is_empty() {
            return format!("{source} defines no mechanisms; add one there");
        }
        let ids: Vec<&str> = self.mechanisms.iter().map(|m| m.id.as_str()).collect();
        format!("define it in {source} or use one of: {}", ids.join(", "))
    }
}
