//! OASIS CAP 1.2 messages and Atom feeds for warning-area changes.
//!
//! [`CapPublisher`] turns each [`AlertChange`] of the warning engine into one CAP 1.2
//! message for the area it concerns:
//!
//! * the first `on` of an area → `msgType` **Alert**;
//! * a later `on` while the area is on (new ETA, other tracks) → **Update**, whose
//!   `references` list every earlier message of that alert;
//! * `off` → the **all-clear**: by default an Update with `responseType` AllClear and
//!   `urgency` Past referencing every message of the alert (see [`AllClearStyle`] for why
//!   not Cancel).
//!
//! All messages of one alert share `incidents` (the first message's identifier), so
//! receivers can group them. Each message has one `info` per configured language (Korean
//! and English by default) with texts naming the area and ETA, and one `area` with the
//! area's name, its outline as CAP polygons and its code as `geocode`.
//!
//! [`atom_feed`] writes the Atom feed of alerts still current, after the OASIS "CAP
//! Feeds" example practices: one entry per current alert linking its latest CAP message.
//!
//! # Example
//!
//! ```
//! use std::sync::Arc;
//! use skywatch_areas::AreaSet;
//! use skywatch_cap::{CapConfig, CapPublisher, FeedConfig, MsgType, atom_feed};
//! use skywatch_model::AlertChange;
//!
//! let areas = AreaSet::korea_municipalities();
//! let jongno = areas.get(areas.by_code("11010").unwrap());
//! // Scenario time 0 is 2026-11-25T03:00:00Z; simulated input, so status Exercise.
//! let mut cap = CapPublisher::new(CapConfig::default(), 1_795_575_600.0)?;
//! let mut sent = Vec::new();
//! for (t, on, eta_s) in [(0.0, true, Some(240.0)), (30.0, true, Some(200.0)), (400.0, false, None)] {
//!     let change = AlertChange { t, area: Arc::from("11010"), on, eta_s, tracks: vec![7] };
//!     let msg = cap.publish(&change, jongno)?; // write msg.xml to cap/{msg.file_name()}
//!     sent.push(msg);
//! }
//! assert_eq!(sent[0].msg_type, MsgType::Alert);
//! assert_eq!(sent[1].references, [sent[0].reference()]);
//! assert!(sent[2].all_clear && sent[2].references.len() == 2);
//! let feed = atom_feed(&sent, &FeedConfig::default(), 1_795_576_000.0)?;
//! assert!(!feed.contains("<entry>")); // the all-clear took the alert off the feed
//! # Ok::<(), skywatch_cap::CapError>(())
//! ```
//!
//! This crate is the only one that writes CAP. It does no IO and reads no clock: times
//! come from the change (`t`) and the epoch handed to [`CapPublisher::new`].

mod config;
mod feed;
mod polygon;
mod text;
mod time;

use std::collections::BTreeMap;
use std::io;

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};
use skywatch_areas::Area;
use skywatch_model::AlertChange;

pub use config::{AllClearStyle, CapConfig, Category, FeedConfig, Status};
pub use feed::{atom_feed, current_alerts};
pub use polygon::{cap_polygons, format_polygon};
pub use time::format_cap_time;

/// XML namespace of CAP 1.2.
pub const CAP_NS: &str = "urn:oasis:names:tc:emergency:cap:1.2";
/// MIME type of CAP messages.
pub const CAP_MIME: &str = "application/cap+xml";
/// `valueName` of the ETA `parameter` (seconds, integer).
pub const PARAM_ETA_S: &str = "SKYWATCH_ETA_S";
/// `valueName` of the tracks `parameter` (space-separated track ids).
pub const PARAM_TRACKS: &str = "SKYWATCH_TRACKS";
/// `valueName` of the time-to-shelter `parameter` (seconds, integer).
pub const PARAM_TIME_TO_SHELTER_S: &str = "SKYWATCH_TIME_TO_SHELTER_S";

/// Errors of this crate. None of them leaves the publisher in a changed state.
#[derive(Debug, thiserror::Error)]
pub enum CapError {
    /// A configuration value is unusable.
    #[error("cap config: {field}: {what}")]
    Config {
        /// The `CapConfig` field.
        field: &'static str,
        /// What is wrong with it.
        what: String,
    },
    /// A time is not finite or out of range.
    #[error("cap: time {0} s since 1970 cannot be written as a CAP date-time")]
    BadTime(f64),
    /// The change names another area than the one given.
    #[error("cap: change is for area {change:?} but area {area:?} was given")]
    AreaMismatch {
        /// `AlertChange::area`.
        change: String,
        /// `Area::code`.
        area: String,
    },
    /// An `off` for an area that has no alert on.
    #[error("cap: area {0:?} switched off but has no alert on")]
    NotOn(String),
    /// The area's outline gave no valid polygon.
    #[error("cap: area {0:?} has no usable outline")]
    NoPolygon(String),
    /// Writing XML failed (it writes to memory, so this means a bug in quick-xml's IO).
    #[error("cap: writing XML: {0}")]
    Xml(#[from] io::Error),
}

/// CAP `msgType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MsgType {
    /// Initial information.
    Alert,
    /// Updates and supersedes the referenced messages.
    Update,
    /// Cancels the referenced messages.
    Cancel,
}

impl MsgType {
    /// The CAP code value.
    pub fn as_str(self) -> &'static str {
        match self {
            MsgType::Alert => "Alert",
            MsgType::Update => "Update",
            MsgType::Cancel => "Cancel",
        }
    }
}

/// One CAP message written by [`CapPublisher::publish`].
#[derive(Debug, Clone, PartialEq)]
pub struct CapMessage {
    /// CAP `identifier`; characters `A-Za-z0-9._-` only.
    pub identifier: String,
    /// CAP `sender`.
    pub sender: String,
    /// Scenario time of the change, seconds since the publisher's epoch.
    pub t: f64,
    /// CAP `sent`.
    pub sent: String,
    /// CAP `senderName` (the Atom entry's author).
    pub sender_name: String,
    /// CAP `msgType`.
    pub msg_type: MsgType,
    /// Code of the area the message is for.
    pub area_code: String,
    /// Whether this message lifts the area's alert.
    pub all_clear: bool,
    /// Identifier of the alert's first message (CAP `incidents`).
    pub incident: String,
    /// `sent` of the alert's first message.
    pub incident_sent: String,
    /// References as `sender,identifier,sent` triples, in order.
    pub references: Vec<String>,
    /// Headline of the first `info` (for feeds and logs).
    pub headline: String,
    /// Description of the first `info`.
    pub description: String,
    /// The whole message, UTF-8 XML with declaration.
    pub xml: String,
}

impl CapMessage {
    /// File name of the message: `identifier.xml`.
    pub fn file_name(&self) -> String {
        format!("{}.xml", self.identifier)
    }

    /// The `sender,identifier,sent` triple that refers to this message.
    pub fn reference(&self) -> String {
        format!("{},{},{}", self.sender, self.identifier, self.sent)
    }
}

/// Turns [`AlertChange`]s into CAP messages, remembering each on-area's alert so that
/// updates and all-clears reference it.
#[derive(Debug, Clone)]
pub struct CapPublisher {
    config: CapConfig,
    epoch_unix_s: f64,
    /// Primary subtags of the configured languages, in order.
    langs: Vec<(String, String)>,
    /// Messages of each area's current alert, oldest first.
    open: BTreeMap<String, Vec<CapMessage>>,
    /// Messages published so far; makes identifiers unique.
    seq: u64,
}

fn id_safe(s: &str) -> bool {
    s.chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

fn check_config(c: &CapConfig) -> Result<Vec<(String, String)>, CapError> {
    let bad = |field, what: &str| CapError::Config {
        field,
        what: what.to_string(),
    };
    // CAP 3.2.1: sender and identifier "MUST NOT include spaces, commas or restricted
    // characters (< and &)"; commas would also break `references` triples.
    if c.sender.is_empty()
        || c.sender
            .chars()
            .any(|ch| ch.is_whitespace() || matches!(ch, ',' | '<' | '&'))
    {
        return Err(bad(
            "sender",
            "must be non-empty without spaces, commas, < or &",
        ));
    }
    if !id_safe(&c.identifier_prefix) {
        return Err(bad("identifier_prefix", "only A-Za-z0-9 . _ - allowed"));
    }
    if c.languages.is_empty() {
        return Err(bad("languages", "at least one language is needed"));
    }
    let mut langs = Vec::new();
    for tag in &c.languages {
        let p = text::primary(tag);
        let valid_tag = !tag.is_empty()
            && tag.split('-').all(|s| {
                !s.is_empty() && s.len() <= 8 && s.chars().all(|ch| ch.is_ascii_alphanumeric())
            });
        if !valid_tag || !text::SUPPORTED.contains(&p.as_str()) {
            return Err(CapError::Config {
                field: "languages",
                what: format!("{tag:?}: texts exist for {:?} only", text::SUPPORTED),
            });
        }
        langs.push((tag.clone(), p));
    }
    if c.polygon_max_points < 5 {
        return Err(bad("polygon_max_points", "must be at least 5"));
    }
    if c.polygon_max_parts == 0 {
        return Err(bad("polygon_max_parts", "must be at least 1"));
    }
    if !(c.polygon_tolerance_deg.is_finite() && c.polygon_tolerance_deg >= 0.0) {
        return Err(bad("polygon_tolerance_deg", "must be finite and ≥ 0"));
    }
    for (field, v) in [
        ("alert_expires_s", c.alert_expires_s),
        ("all_clear_expires_s", c.all_clear_expires_s),
        ("immediate_slack_s", c.immediate_slack_s),
    ] {
        if !(v.is_finite() && v >= 0.0) {
            return Err(bad(field, "must be finite and ≥ 0"));
        }
    }
    // `web` is an xs:anyURI: a URI has no spaces and, for people to follow it, a scheme.
    if let Some(web) = &c.web
        && (web.chars().any(char::is_whitespace) || !web.contains(':'))
    {
        return Err(bad("web", "must be an absolute URI without spaces"));
    }
    if c.geocode_value_name.trim().is_empty() {
        return Err(bad("geocode_value_name", "must not be empty"));
    }
    Ok(langs)
}

impl CapPublisher {
    /// A publisher for a run whose time 0 is `epoch_unix_s` (seconds since 1970 UTC).
    ///
    /// # Errors
    /// [`CapError::Config`] for an unusable configuration, [`CapError::BadTime`] for a
    /// non-finite epoch.
    pub fn new(config: CapConfig, epoch_unix_s: f64) -> Result<CapPublisher, CapError> {
        let langs = check_config(&config)?;
        format_cap_time(epoch_unix_s)?;
        Ok(CapPublisher {
            config,
            epoch_unix_s,
            langs,
            open: BTreeMap::new(),
            seq: 0,
        })
    }

    /// The configuration in use.
    pub fn config(&self) -> &CapConfig {
        &self.config
    }

    /// Codes of the areas whose alert is on, sorted.
    pub fn on_areas(&self) -> impl Iterator<Item = &str> {
        self.open.keys().map(String::as_str)
    }

    /// The latest message of every alert still on, sorted by area code.
    pub fn current(&self) -> Vec<&CapMessage> {
        self.open.values().filter_map(|v| v.last()).collect()
    }

    /// Codes of on-areas whose latest message expires (`alert_expires_s` after it) before
    /// `t + within_s`, sorted. A warning that stays on longer than its messages live must
    /// be refreshed, or receivers drop it while the threat is still there: the caller
    /// re-publishes such an area's change (an `on` change gives an Update).
    ///
    /// # Units
    /// Seconds since the publisher's epoch; `within_s` seconds.
    pub fn expiring(&self, t: f64, within_s: f64) -> Vec<&str> {
        self.open
            .iter()
            .filter(|(_, v)| {
                v.last()
                    .is_some_and(|m| m.t + self.config.alert_expires_s < t + within_s)
            })
            .map(|(k, _)| k.as_str())
            .collect()
    }

    /// The CAP message for one change of `area` (which must be the change's area).
    ///
    /// # Errors
    /// [`CapError::AreaMismatch`], [`CapError::NotOn`] for an `off` of an area that is not
    /// on, [`CapError::BadTime`], [`CapError::NoPolygon`]. On error the publisher's state
    /// is unchanged.
    pub fn publish(&mut self, change: &AlertChange, area: &Area) -> Result<CapMessage, CapError> {
        if *change.area != *area.code {
            return Err(CapError::AreaMismatch {
                change: change.area.to_string(),
                area: area.code.to_string(),
            });
        }
        let code = area.code.to_string();
        let prior: &[CapMessage] = self.open.get(&code).map_or(&[], Vec::as_slice);
        if !change.on && prior.is_empty() {
            return Err(CapError::NotOn(code));
        }
        let now = self.epoch_unix_s + change.t;
        let sent = format_cap_time(now)?;
        let expires = format_cap_time(
            now + if change.on {
                self.config.alert_expires_s
            } else {
                self.config.all_clear_expires_s
            },
        )?;
        let msg_type = match (change.on, prior.is_empty()) {
            (true, true) => MsgType::Alert,
            (true, false) => MsgType::Update,
            (false, _) => match self.config.all_clear {
                AllClearStyle::UpdateAllClear => MsgType::Update,
                AllClearStyle::Cancel => MsgType::Cancel,
            },
        };
        let identifier = format!(
            "{}{}-{:06}",
            self.config.identifier_prefix,
            sanitize(&code),
            self.seq + 1
        );
        let (incident, incident_sent) = match prior.first() {
            Some(m) => (m.identifier.clone(), m.sent.clone()),
            None => (identifier.clone(), sent.clone()),
        };
        // An update or all-clear references every message of the alert, not just the last:
        // a receiver that missed one still links the chain (CAP 3.2.1 `references` is a
        // list for this reason).
        let references: Vec<String> = prior.iter().map(CapMessage::reference).collect();
        let polygons = cap_polygons(
            &area.shape,
            self.config.polygon_tolerance_deg,
            self.config.polygon_max_points,
            self.config.polygon_max_parts,
            self.config.coordinate_decimals,
        );
        if polygons.is_empty() {
            return Err(CapError::NoPolygon(code));
        }
        let polygons: Vec<String> = polygons
            .iter()
            .map(|p| format_polygon(p, self.config.coordinate_decimals))
            .collect();

        let status = self.config.effective_status();
        let exercise = status == Status::Exercise;
        let mut infos = Vec::with_capacity(self.langs.len());
        for (tag, lang) in &self.langs {
            let event = self
                .config
                .event
                .get(lang)
                .map_or_else(|| text::default_event(lang).to_string(), Clone::clone);
            let facts = text::Facts {
                area_name: area.name(lang),
                eta_s: change.eta_s,
                time_to_shelter_s: area.time_to_shelter_s,
                tracks: change.tracks.len(),
                exercise,
                update: msg_type == MsgType::Update && change.on,
            };
            let texts = if change.on {
                text::warning(lang, &event, &facts)
            } else {
                text::all_clear(lang, &event, &facts)
            };
            infos.push((tag.as_str(), area.name(lang).to_string(), texts));
        }

        let shape = Shape {
            identifier: &identifier,
            sent: &sent,
            expires: &expires,
            status,
            msg_type,
            references: &references,
            incident: &incident,
            infos: &infos,
            polygons: &polygons,
            change,
            area,
        };
        let xml = write_alert(&self.config, &shape)?;
        let message = CapMessage {
            identifier,
            sender: self.config.sender.clone(),
            t: change.t,
            sent,
            sender_name: self.config.sender_name.clone(),
            msg_type,
            area_code: code.clone(),
            all_clear: !change.on,
            incident,
            incident_sent,
            references,
            headline: infos[0].2.headline.clone(),
            description: infos[0].2.description.clone(),
            xml,
        };
        // State changes only once everything has succeeded.
        self.seq += 1;
        if change.on {
            self.open.entry(code).or_default().push(message.clone());
        } else {
            self.open.remove(&code);
        }
        Ok(message)
    }
}

/// Area codes go into identifiers and file names: keep only safe characters.
fn sanitize(code: &str) -> String {
    code.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// Everything one message says, gathered for the writer.
struct Shape<'a> {
    identifier: &'a str,
    sent: &'a str,
    expires: &'a str,
    status: Status,
    msg_type: MsgType,
    references: &'a [String],
    incident: &'a str,
    /// (language tag, area name, texts).
    infos: &'a [(&'a str, String, text::Texts)],
    polygons: &'a [String],
    change: &'a AlertChange,
    area: &'a Area,
}

type W = Writer<Vec<u8>>;

fn el(w: &mut W, name: &str, text: &str) -> io::Result<()> {
    w.create_element(name)
        .write_text_content(BytesText::new(text))?;
    Ok(())
}

fn value_pair(w: &mut W, name: &str, value_name: &str, value: &str) -> io::Result<()> {
    w.create_element(name).write_inner_content(|w| {
        el(w, "valueName", value_name)?;
        el(w, "value", value)
    })?;
    Ok(())
}

/// Writes the alert. Element order follows the CAP 1.2 schema's sequences exactly.
fn write_alert(c: &CapConfig, s: &Shape<'_>) -> Result<String, CapError> {
    let on = s.change.on;
    let tts = s.area.time_to_shelter_s;
    let immediate = match s.change.eta_s {
        Some(eta) if eta.is_finite() => eta <= tts + c.immediate_slack_s,
        // Unknown ETA: assume the worst.
        _ => true,
    };
    let (urgency, severity, certainty) = if !on {
        ("Past", "Minor", "Observed")
    } else if immediate {
        // The threat is observed by sensors; that it reaches *this* area is a prediction,
        // hence Likely, unless it is already there.
        let certainty = if s.change.eta_s.is_some_and(|e| e <= 0.0) {
            "Observed"
        } else {
            "Likely"
        };
        ("Immediate", "Extreme", certainty)
    } else {
        ("Expected", "Severe", "Likely")
    };
    let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    w.create_element("alert")
        .with_attribute(("xmlns", CAP_NS))
        .write_inner_content(|w| {
            el(w, "identifier", s.identifier)?;
            el(w, "sender", &c.sender)?;
            el(w, "sent", s.sent)?;
            el(w, "status", s.status.as_str())?;
            el(w, "msgType", s.msg_type.as_str())?;
            el(w, "scope", "Public")?;
            if s.status == Status::Exercise {
                el(
                    w,
                    "note",
                    "Exercise: generated from a simulated scenario, not a real attack. \
                     훈련: 모의 시나리오에서 생성된 메시지이며 실제 공격이 아닙니다.",
                )?;
            }
            if !s.references.is_empty() {
                el(w, "references", &s.references.join(" "))?;
            }
            el(w, "incidents", s.incident)?;
            for (tag, area_name, t) in s.infos {
                w.create_element("info").write_inner_content(|w| {
                    el(w, "language", tag)?;
                    el(w, "category", c.category.as_str())?;
                    el(w, "event", &t.event)?;
                    el(w, "responseType", if on { "Shelter" } else { "AllClear" })?;
                    el(w, "urgency", urgency)?;
                    el(w, "severity", severity)?;
                    el(w, "certainty", certainty)?;
                    el(w, "expires", s.expires)?;
                    el(w, "senderName", &c.sender_name)?;
                    el(w, "headline", &t.headline)?;
                    el(w, "description", &t.description)?;
                    el(w, "instruction", &t.instruction)?;
                    if let Some(web) = &c.web {
                        el(w, "web", web)?;
                    }
                    if let Some(contact) = &c.contact {
                        el(w, "contact", contact)?;
                    }
                    if on {
                        if let Some(eta) = s.change.eta_s.filter(|e| e.is_finite()) {
                            value_pair(
                                w,
                                "parameter",
                                PARAM_ETA_S,
                                &format!("{}", eta.max(0.0).round() as u64),
                            )?;
                        }
                        if !s.change.tracks.is_empty() {
                            let ids: Vec<String> =
                                s.change.tracks.iter().map(u64::to_string).collect();
                            value_pair(w, "parameter", PARAM_TRACKS, &ids.join(" "))?;
                        }
                    }
                    if tts.is_finite() {
                        value_pair(
                            w,
                            "parameter",
                            PARAM_TIME_TO_SHELTER_S,
                            &format!("{}", tts.max(0.0).round() as u64),
                        )?;
                    }
                    w.create_element("area").write_inner_content(|w| {
                        el(w, "areaDesc", area_name)?;
                        for p in s.polygons {
                            el(w, "polygon", p)?;
                        }
                        value_pair(w, "geocode", &c.geocode_value_name, &s.area.code)
                    })?;
                    Ok(())
                })?;
            }
            Ok(())
        })?;
    let mut bytes = w.into_inner();
    bytes.push(b'\n');
    // Everything written came from &str, so the bytes are UTF-8.
    String::from_utf8(bytes)
        .map_err(|e| CapError::Xml(io::Error::new(io::ErrorKind::InvalidData, e)))
}
