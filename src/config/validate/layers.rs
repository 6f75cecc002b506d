//! The layers a configuration is read from — the main TOML file, the
//! account files of its `conf.d/` folder, then `KOMMENTARSVAKT__SECTION__KEY`
//! environment variables — and the first, structural check of the result:
//! every unknown key and every value of the wrong TOML type, all at once.
//!
//! Serde stops at the first such mistake. So the merged document is
//! deserialized, the mistake serde met is recorded with its key path and
//! taken out of the document (an unknown or mistyped key is removed, so its
//! default applies; a mistyped list element becomes an empty string), and
//! deserialization is tried again until it succeeds. Only the problem
//! types serde already knows are involved, so nothing here repeats the
//! schema of [`super::super::raw`]. The semantic validation then runs on
//! what is left, and does not report again a key that was taken out.
//!
//! Every key path is mapped back to the file, line and column it was
//! written at, from the spans the `toml` parser keeps.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use config::Source;
use serde::de::DeserializeOwned;
use toml::de::{DeTable, DeValue};

use super::{ConfigError, ENV_PREFIX, ENV_SEPARATOR, Location, Problem};

/// The folder next to the main file whose `*.toml` files add accounts.
pub const CONF_D: &str = "conf.d";

/// Top-level keys a `conf.d/` file may hold: lists that are merged.
const CONF_D_KEYS: [&str; 2] = ["accounts", "departments"];

/// The files of a configuration merged into one TOML document, with where
/// each key was written.
#[derive(Debug)]
pub(super) struct Document {
    /// The main file, for the heading of the problem list.
    pub(super) origin: String,
    tree: toml::Table,
    locations: BTreeMap<String, Location>,
    /// The files read, in order: the main file, then `conf.d/`.
    files: Vec<String>,
    /// Problems of the merge itself (a `conf.d/` file with other settings).
    problems: Vec<Problem>,
}

/// The outcome of deserializing a [`Document`]: the raw configuration when
/// deserialization could go on, every structural problem, and the keys
/// taken out on the way.
pub(super) struct Layered<T> {
    /// The raw configuration without the keys taken out; `None` when a
    /// mistake could not be taken out (it came from the environment).
    pub(super) raw: Option<T>,
    /// Every unknown key and wrong type, in the order serde met them.
    pub(super) problems: Vec<Problem>,
    taken_out: Vec<String>,
}

impl<T> Layered<T> {
    /// Whether `key` is, or lies under, a key that was taken out: the
    /// semantic validation's complaint about it (e.g. "is missing") would
    /// only repeat the structural problem.
    pub(super) fn was_taken_out(&self, key: &str) -> bool {
        self.taken_out.iter().any(|out| is_under(key, out))
    }
}

impl Document {
    /// Reads the main file and the `*.toml` files of the `conf.d/` folder
    /// next to it, sorted by name.
    pub(super) fn read(path: &Path) -> Result<Self, ConfigError> {
        let mut document = Self::parse(&read_text(path)?, &path.display().to_string())?;
        let conf_d = path
            .parent()
            .map_or_else(|| PathBuf::from(CONF_D), |dir| dir.join(CONF_D));
        if conf_d.is_dir() {
            for file in toml_files(&conf_d)? {
                let origin = file.display().to_string();
                document.merge(&read_text(&file)?, &origin)?;
            }
        }
        Ok(document)
    }

    /// Parses one TOML text as the main file.
    pub(super) fn parse(text: &str, origin: &str) -> Result<Self, ConfigError> {
        let tree = parse_table(text, origin)?;
        let mut locations = BTreeMap::new();
        if let Ok(spanned) = DeTable::parse(text) {
            let mut index = LocationIndex {
                text,
                file: origin,
                locations: &mut locations,
            };
            index.table(spanned.get_ref(), "");
        }
        Ok(Self {
            origin: origin.to_string(),
            tree,
            locations,
            files: vec![origin.to_string()],
            problems: Vec::new(),
        })
    }

    /// Appends the `[[accounts]]` and `[[departments]]` of a `conf.d/`
    /// file to the document's lists; anything else in it is a problem.
    fn merge(&mut self, text: &str, origin: &str) -> Result<(), ConfigError> {
        let table = parse_table(text, origin)?;
        self.files.push(origin.to_string());
        let spanned = DeTable::parse(text).ok();
        let spans = spanned.as_ref().map(|s| s.get_ref());
        for (key, value) in table {
            let at = spans
                .and_then(|t| t.get_key_value(key.as_str()))
                .map(|(k, _)| location(text, origin, k.span().start));
            let toml::Value::Array(entries) = value else {
                self.problems.push(Problem {
                    key: key.clone(),
                    reason: conf_d_reason(&key),
                    location: at,
                });
                continue;
            };
            if !CONF_D_KEYS.contains(&key.as_str()) {
                self.problems.push(Problem {
                    reason: conf_d_reason(&key),
                    key,
                    location: at,
                });
                continue;
            }
            let list = self
                .tree
                .entry(key.clone())
                .or_insert_with(|| toml::Value::Array(Vec::new()));
            let toml::Value::Array(list) = list else {
                self.problems.push(Problem {
                    reason: format!(
                        "cannot be added to: the main file's {key} is not a list of [[{key}]] \
                         tables"
                    ),
                    key,
                    location: at,
                });
                continue;
            };
            let offset = list.len();
            list.extend(entries);
            if let Some(DeValue::Array(elements)) =
                spans.and_then(|t| t.get(key.as_str())).map(|v| v.get_ref())
            {
                let mut index = LocationIndex {
                    text,
                    file: origin,
                    locations: &mut self.locations,
                };
                for (i, element) in elements.iter().enumerate() {
                    let path = format!("{key}[{}]", offset + i);
                    index.insert(&path, element.span().start);
                    index.value(element.get_ref(), &path);
                }
            }
        }
        Ok(())
    }

    /// Deserializes the document with the environment layer on top,
    /// taking out each unknown or mistyped key serde stops at — the
    /// environment variable that set it, or else the key in the files —
    /// until the rest deserializes.
    pub(super) fn deserialize<T: DeserializeOwned>(
        &self,
        environment: &config::Environment,
    ) -> Result<Layered<T>, ConfigError> {
        let unreadable = |error: config::ConfigError| ConfigError::Unreadable {
            origin: self.origin.clone(),
            detail: error.to_string(),
        };
        let mut overrides = environment.collect().map_err(unreadable)?;
        let mut tree = toml::Value::Table(self.tree.clone());
        let mut layered = Layered {
            raw: None,
            problems: self.problems.clone(),
            taken_out: Vec::new(),
        };
        let mut emptied = HashSet::new();
        loop {
            let error = match merged::<T>(&tree, &overrides, &self.origin)? {
                Ok(raw) => {
                    layered.raw = Some(raw);
                    return Ok(layered);
                }
                Err(error) => error,
            };
            let problem = layer_problem(error, "");
            let taken_out = match overrides.remove(&problem.key) {
                Some(_) => Some(problem.key.clone()),
                None => take_out(&mut tree, &problem.key, &mut emptied),
            };
            if !layered.problems.iter().any(|p| p.key == problem.key) {
                layered.problems.push(problem);
            }
            match taken_out {
                Some(key) => layered.taken_out.push(key),
                None => return Ok(layered),
            }
        }
    }

    /// Gives each problem the file, line and column of its key, or of the
    /// nearest enclosing key that is written (a missing key: its table),
    /// and puts them in the order of the files, so that the operator can
    /// work down the file; problems not written anywhere come last.
    pub(super) fn locate(&self, problems: Vec<Problem>) -> Vec<Problem> {
        let mut problems: Vec<Problem> = problems
            .into_iter()
            .map(|mut problem| {
                if problem.location.is_none() {
                    problem.location = self.location_of(&problem.key);
                }
                problem
            })
            .collect();
        problems.sort_by_key(|problem| {
            problem.location.as_ref().map_or((1, 0, 0, 0), |at| {
                (0, self.file_rank(&at.file), at.line, at.column)
            })
        });
        problems
    }

    /// The main file first, then the `conf.d/` files in the order read.
    fn file_rank(&self, file: &str) -> usize {
        self.files
            .iter()
            .position(|f| f == file)
            .unwrap_or(usize::MAX)
    }

    fn location_of(&self, key: &str) -> Option<Location> {
        let mut key = key;
        loop {
            if let Some(location) = self.locations.get(key) {
                return Some(location.clone());
            }
            key = parent_key(key)?;
        }
    }
}

fn conf_d_reason(key: &str) -> String {
    format!(
        "may not be set in a {CONF_D}/ file, which holds only [[accounts]] and \
         [[departments]]; move \"{key}\" to the main file"
    )
}

/// The `*.toml` files directly in `dir`, sorted by name.
fn toml_files(dir: &Path) -> Result<Vec<PathBuf>, ConfigError> {
    let unreadable = |error: std::io::Error| ConfigError::Unreadable {
        origin: dir.display().to_string(),
        detail: error.to_string(),
    };
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(unreadable)? {
        let path = entry.map_err(unreadable)?.path();
        if path.extension().is_some_and(|e| e == "toml") && path.is_file() {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

/// Records where each key path was written.
struct LocationIndex<'a> {
    text: &'a str,
    file: &'a str,
    locations: &'a mut BTreeMap<String, Location>,
}

impl LocationIndex<'_> {
    fn insert(&mut self, path: &str, offset: usize) {
        self.locations
            .insert(path.to_string(), location(self.text, self.file, offset));
    }

    fn table(&mut self, table: &DeTable<'_>, path: &str) {
        for (key, value) in table {
            let path = join_key(path, key.get_ref());
            self.insert(&path, key.span().start);
            self.value(value.get_ref(), &path);
        }
    }

    fn value(&mut self, value: &DeValue<'_>, path: &str) {
        match value {
            DeValue::Table(table) => self.table(table, path),
            DeValue::Array(elements) => {
                for (i, element) in elements.iter().enumerate() {
                    let path = format!("{path}[{i}]");
                    self.insert(&path, element.span().start);
                    self.value(element.get_ref(), &path);
                }
            }
            _ => {}
        }
    }
}

fn location(text: &str, file: &str, offset: usize) -> Location {
    let (line, column) = line_and_column(text, offset);
    Location {
        file: file.to_string(),
        line,
        column,
    }
}

/// `accounts[2].oauth` for `accounts[2].oauth.client_id`, `accounts` for
/// `accounts[2]`; `None` at the top.
fn parent_key(key: &str) -> Option<&str> {
    let cut = key.rfind(['.', '['])?;
    Some(&key[..cut])
}

/// Whether `key` is `outer` or a key inside it.
fn is_under(key: &str, outer: &str) -> bool {
    key.strip_prefix(outer)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '[']))
}

/// One step of a key path.
enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

/// `accounts[0].oauth` → `accounts`, `[0]`, `oauth`; `None` when the path
/// is not one this module wrote (a key with a dot or bracket in it).
fn steps(key: &str) -> Option<Vec<Step<'_>>> {
    let mut steps = Vec::new();
    for part in key.split('.') {
        let (name, mut rest) = part.split_at(part.find('[').unwrap_or(part.len()));
        if !name.is_empty() {
            steps.push(Step::Key(name));
        }
        while !rest.is_empty() {
            let (index, after) = rest.strip_prefix('[')?.split_once(']')?;
            steps.push(Step::Index(index.parse().ok()?));
            rest = after;
        }
    }
    (!steps.is_empty()).then_some(steps)
}

/// Takes the value at `key` out of the tree so deserialization can go on:
/// a table entry is removed (its default applies); a list element is first
/// replaced by an empty string (the lists of the configuration hold
/// strings, and the indices of the elements after it stay right), and
/// if that is still wrong, the whole list is removed. Returns the key that
/// was taken out, or `None` when it is not in the tree (the mistake came
/// from the environment layer).
fn take_out(tree: &mut toml::Value, key: &str, emptied: &mut HashSet<String>) -> Option<String> {
    let steps = steps(key)?;
    let (last, parents) = steps.split_last()?;
    if matches!(last, Step::Index(_)) && emptied.contains(key) {
        return take_out(tree, parent_key(key)?, emptied);
    }
    match (value_at(tree, parents)?, last) {
        (toml::Value::Table(table), Step::Key(name)) => {
            table.remove(*name).map(|_| key.to_string())
        }
        (toml::Value::Array(list), Step::Index(i)) => {
            *list.get_mut(*i)? = toml::Value::String(String::new());
            emptied.insert(key.to_string());
            Some(key.to_string())
        }
        _ => None,
    }
}

fn value_at<'v>(value: &'v mut toml::Value, steps: &[Step<'_>]) -> Option<&'v mut toml::Value> {
    steps
        .iter()
        .try_fold(value, |value, step| match (value, step) {
            (toml::Value::Table(table), Step::Key(name)) => table.get_mut(*name),
            (toml::Value::Array(list), Step::Index(i)) => list.get_mut(*i),
            _ => None,
        })
}

fn parse_table(text: &str, origin: &str) -> Result<toml::Table, ConfigError> {
    toml::from_str::<toml::Table>(text).map_err(|error| {
        let position = error
            .span()
            .map(|span| line_and_column(text, span.start))
            .map(|(line, column)| format!(" at line {line}, column {column}"))
            .unwrap_or_default();
        ConfigError::Unreadable {
            origin: origin.to_string(),
            detail: format!("TOML syntax error{position}: {}", error.message().trim()),
        }
    })
}

/// The tree with the environment's overrides on top, deserialized; the
/// outer error is a layer that cannot be built at all.
fn merged<T: DeserializeOwned>(
    tree: &toml::Value,
    overrides: &config::Map<String, config::Value>,
    origin: &str,
) -> Result<Result<T, config::ConfigError>, ConfigError> {
    let unreadable = |detail: String| ConfigError::Unreadable {
        origin: origin.to_string(),
        detail,
    };
    let text = toml::to_string(tree).map_err(|error| unreadable(error.to_string()))?;
    let mut builder = config::Config::builder()
        .add_source(config::File::from_str(&text, config::FileFormat::Toml));
    for (key, value) in overrides {
        builder = builder
            .set_override(key, value.clone())
            .map_err(|error| unreadable(error.to_string()))?;
    }
    let merged = builder
        .build()
        .map_err(|error| unreadable(error.to_string()))?;
    Ok(merged.try_deserialize::<T>())
}

pub(super) fn read_text(path: &Path) -> Result<String, ConfigError> {
    std::fs::read_to_string(path).map_err(|error| ConfigError::Unreadable {
        origin: path.display().to_string(),
        detail: error.to_string(),
    })
}

pub(super) fn process_env(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

pub(super) fn process_overrides() -> config::Environment {
    prefixed(config::Environment::default())
}

pub(super) fn prefixed(environment: config::Environment) -> config::Environment {
    environment
        .prefix(ENV_PREFIX)
        .separator(ENV_SEPARATOR)
        .ignore_empty(true)
}

/// 1-based line and column (in characters) of a byte offset.
fn line_and_column(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

/// Describes a deserialization error from the merged layers as a problem
/// at its key path.
fn layer_problem(error: config::ConfigError, outer_key: &str) -> Problem {
    match error {
        config::ConfigError::At { error, key, .. } => {
            layer_problem(*error, &join_key(outer_key, key.as_deref().unwrap_or("")))
        }
        config::ConfigError::NotFound(key) => Problem::new(
            join_key(outer_key, &key),
            "is required but missing".to_string(),
        ),
        config::ConfigError::Type {
            origin,
            unexpected,
            expected,
            key,
        } => Problem::new(
            join_key(outer_key, key.as_deref().unwrap_or("")),
            format!(
                "expected {expected}, found {unexpected}{}",
                from_environment_note(origin.as_deref())
            ),
        ),
        config::ConfigError::Message(message) => message_problem(&message, outer_key),
        other => Problem::new(display_key(outer_key), other.to_string()),
    }
}

fn from_environment_note(origin: Option<&str>) -> &'static str {
    match origin {
        Some("the environment") => {
            " (the value comes from a KOMMENTARSVAKT__… environment variable)"
        }
        _ => "",
    }
}

/// Serde's "unknown field `x`, expected one of …" becomes a problem at the
/// unknown key's full path.
fn message_problem(message: &str, outer_key: &str) -> Problem {
    let unknown = message
        .strip_prefix("unknown field `")
        .and_then(|rest| rest.split_once('`'));
    match unknown {
        Some((field, expectation)) => {
            let expectation = expectation.trim_start_matches(',').trim();
            Problem::new(
                join_key(outer_key, field),
                format!(
                    "is not a known setting (misspelt or misplaced?); {expectation} \
                     here, or remove it"
                ),
            )
        }
        None => Problem::new(display_key(outer_key), wrong_type_reason(message)),
    }
}

/// Serde's "invalid type: X, expected Y" in the order of the other type
/// problems: "expected Y, found X".
fn wrong_type_reason(message: &str) -> String {
    message
        .strip_prefix("invalid type: ")
        .and_then(|rest| rest.rsplit_once(", expected "))
        .map(|(found, expected)| format!("expected {expected}, found {found}"))
        .unwrap_or_else(|| message.to_string())
}

fn join_key(outer: &str, inner: &str) -> String {
    let joined = match (outer.is_empty(), inner.is_empty()) {
        (true, _) => inner.to_string(),
        (false, true) => outer.to_string(),
        (false, false) if inner.starts_with('[') => format!("{outer}{inner}"),
        (false, false) => format!("{outer}.{inner}"),
    };
    dot_after_index(&joined)
}

/// The `config` crate writes a field after a list index without a dot
/// (`accounts[0]dry_run`); the problem keys use `accounts[0].dry_run`.
fn dot_after_index(key: &str) -> String {
    let mut out = String::with_capacity(key.len() + 2);
    let mut previous = None;
    for c in key.chars() {
        if previous == Some(']') && c != '[' && c != '.' {
            out.push('.');
        }
        out.push(c);
        previous = Some(c);
    }
    out
}

fn display_key(key: &str) -> String {
    if key.is_empty() {
        "(top level)".to_string()
    } else {
        key.to_string()
    }
}
