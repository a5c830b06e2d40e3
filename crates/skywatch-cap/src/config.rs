//! Typed configuration of the CAP publisher and the Atom feed.

use serde::Deserialize;

/// CAP `status` of the messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum Status {
    /// Actionable by all targeted recipients.
    Actual,
    /// Only for designated exercise participants; what simulations must send.
    Exercise,
    /// Technical testing only; all recipients should ignore it.
    Test,
    /// For messages that support alert network internal functions.
    System,
    /// Preliminary template or draft, not actionable in its current form.
    Draft,
}

impl Status {
    /// The CAP code value.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Actual => "Actual",
            Status::Exercise => "Exercise",
            Status::Test => "Test",
            Status::System => "System",
            Status::Draft => "Draft",
        }
    }
}

/// CAP `category` of the hazard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum Category {
    /// "Law enforcement, military, homeland and local/private security": the natural
    /// home of an air attack.
    Security,
    /// "General emergency and public safety".
    Safety,
    /// Civil defence practice varies; any other CAP category can be named.
    Other,
}

impl Category {
    /// The CAP code value.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Security => "Security",
            Category::Safety => "Safety",
            Category::Other => "Other",
        }
    }
}

/// How an alert is lifted when its area switches off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
pub enum AllClearStyle {
    /// `msgType` Update with `responseType` AllClear and `urgency` Past (the default).
    ///
    /// CAP 1.2 added `AllClear` ("the subject event no longer poses a threat") for exactly
    /// this message, and Update "supersedes" the earlier messages, so receivers replace the
    /// warning with a visible all-clear. `Cancel` is meant to withdraw messages (typically
    /// sent in error); many receivers just drop the referenced alert and show nothing. People
    /// in shelters must *see* that they may leave, so the all-clear is an Update.
    #[default]
    UpdateAllClear,
    /// `msgType` Cancel referencing the alert's messages, for receivers that expect it.
    /// The message still carries the all-clear texts and `responseType` AllClear.
    Cancel,
}

/// Configuration of [`crate::CapPublisher`].
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CapConfig {
    /// CAP `sender`: globally unique originator id, e.g. an address; no spaces, commas,
    /// `<` or `&`.
    pub sender: String,
    /// CAP `senderName` shown to people.
    pub sender_name: String,
    /// Prefix of every message `identifier`; characters `A-Za-z0-9._-` only, so that
    /// identifiers also serve as file names.
    pub identifier_prefix: String,
    /// One `info` block per language, RFC 3066 tags. Texts exist for the primary subtags
    /// `ko` and `en`.
    pub languages: Vec<String>,
    /// CAP `category`.
    pub category: Category,
    /// CAP `event` per primary language subtag (`ko`, `en`); built-in texts when absent.
    pub event: std::collections::BTreeMap<String, String>,
    /// CAP `web`: where people find more (absolute URI).
    pub web: Option<String>,
    /// CAP `contact`.
    pub contact: Option<String>,
    /// Whether the input is simulated. Simulated runs send `status` Exercise and say so in
    /// `note` and headlines, so no one mistakes them for a real attack. Defaults to `true`:
    /// a live deployment must opt in to Actual.
    pub simulated: bool,
    /// Explicit `status`, overriding the choice made from `simulated`.
    pub status: Option<Status>,
    /// `valueName` of the area `geocode` whose `value` is the area code.
    pub geocode_value_name: String,
    /// Most coordinate pairs in one `polygon` (closing pair included); at least 5.
    pub polygon_max_points: usize,
    /// Douglas–Peucker tolerance tried first, degrees; raised until `polygon_max_points`
    /// holds. 0 keeps outlines that already fit untouched.
    pub polygon_tolerance_deg: f64,
    /// Most `polygon` elements per area: the largest parts are kept. Dropped parts (tiny
    /// islets) are still covered by the `geocode`.
    pub polygon_max_parts: usize,
    /// Decimal places of polygon coordinates (5 ≈ 1 m).
    pub coordinate_decimals: usize,
    /// Lifetime of an alert or update, seconds after `sent`; updates extend it. Bounds how
    /// long a warning lingers if the publisher dies before its all-clear.
    pub alert_expires_s: f64,
    /// Lifetime of an all-clear, seconds after `sent`.
    pub all_clear_expires_s: f64,
    /// Urgency is Immediate when ETA ≤ time to shelter + this slack, else Expected.
    pub immediate_slack_s: f64,
    /// How an area's warning is lifted.
    pub all_clear: AllClearStyle,
}

impl Default for CapConfig {
    fn default() -> Self {
        CapConfig {
            sender: "skywatch@skywatch.invalid".into(),
            sender_name: "Skywatch airspace early warning".into(),
            identifier_prefix: "SKYWATCH-".into(),
            languages: vec!["ko-KR".into(), "en-US".into()],
            category: Category::Security,
            event: Default::default(),
            web: None,
            contact: None,
            simulated: true,
            status: None,
            geocode_value_name: "KOSTAT".into(),
            polygon_max_points: 100,
            polygon_tolerance_deg: 0.0,
            polygon_max_parts: 32,
            coordinate_decimals: 5,
            alert_expires_s: 1800.0,
            all_clear_expires_s: 900.0,
            immediate_slack_s: 300.0,
            all_clear: AllClearStyle::UpdateAllClear,
        }
    }
}

impl CapConfig {
    /// The `status` messages carry.
    pub fn effective_status(&self) -> Status {
        self.status.unwrap_or(if self.simulated {
            Status::Exercise
        } else {
            Status::Actual
        })
    }
}

/// Configuration of [`crate::atom_feed`].
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FeedConfig {
    /// Atom feed `id` (an IRI).
    pub id: String,
    /// Feed `title`.
    pub title: String,
    /// Feed `author/name`.
    pub author: String,
    /// Link `rel="self"` of the feed, if published somewhere.
    pub self_link: Option<String>,
    /// Prefix of links to the CAP files: entry links are `cap_base_url + identifier.xml`.
    /// Empty (default) gives links relative to the feed, right when the feed sits beside
    /// the CAP files.
    pub cap_base_url: String,
    /// Prefix of entry ids; the entry id is this plus the identifier of the alert's first
    /// message, so an entry keeps its id through updates.
    pub entry_id_prefix: String,
    /// Whether each entry embeds the CAP alert in its `content` (CAP-feeds practice lets
    /// readers take the alert without a second fetch).
    pub embed_cap: bool,
}

impl Default for FeedConfig {
    fn default() -> Self {
        FeedConfig {
            id: "urn:skywatch:feed:current-alerts".into(),
            title: "Skywatch: current drone attack warnings".into(),
            author: "Skywatch airspace early warning".into(),
            self_link: None,
            cap_base_url: String::new(),
            entry_id_prefix: "urn:skywatch:cap:".into(),
            embed_cap: true,
        }
    }
}
