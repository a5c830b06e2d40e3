//! The Atom feed of current alerts.

use std::collections::BTreeMap;

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};

use crate::{CAP_MIME, CapError, CapMessage, FeedConfig, format_cap_time};

/// XML namespace of Atom 1.0.
pub const ATOM_NS: &str = "http://www.w3.org/2005/Atom";

/// The latest message of every alert still current after `messages` (in publishing
/// order): an area's alert is current from its Alert until its all-clear. Sorted newest
/// first, then by identifier, so feeds are deterministic.
pub fn current_alerts(messages: &[CapMessage]) -> Vec<&CapMessage> {
    let mut latest: BTreeMap<&str, &CapMessage> = BTreeMap::new();
    for m in messages {
        if m.all_clear {
            latest.remove(m.area_code.as_str());
        } else {
            latest.insert(&m.area_code, m);
        }
    }
    let mut out: Vec<&CapMessage> = latest.into_values().collect();
    out.sort_by(|a, b| b.sent.cmp(&a.sent).then(a.identifier.cmp(&b.identifier)));
    out
}

/// The Atom 1.0 feed of the alerts current after `messages` (all messages published so
/// far, in order), updated at `updated_unix_s` (seconds since 1970 UTC).
///
/// Following the OASIS "CAP Feeds" example practices, each current alert is one entry:
/// `id` stable over the alert's life (from its first message), `title` the headline,
/// `updated` the latest message's `sent`, `published` the first's, `author` the
/// `senderName`, a `link`
/// `rel="alternate"` of type `application/cap+xml` to the latest CAP file, `summary` the
/// description, and (if configured) the CAP alert itself in `content`. An alert leaves the
/// feed with its all-clear.
///
/// # Errors
/// [`CapError::BadTime`] for an unusable `updated_unix_s`.
pub fn atom_feed(
    messages: &[CapMessage],
    config: &FeedConfig,
    updated_unix_s: f64,
) -> Result<String, CapError> {
    let updated = format_cap_time(updated_unix_s)?;
    let current = current_alerts(messages);
    let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    w.create_element("feed")
        .with_attribute(("xmlns", ATOM_NS))
        .write_inner_content(|w| {
            el(w, "id", &config.id)?;
            el(w, "title", &config.title)?;
            el(w, "updated", &updated)?;
            w.create_element("author")
                .write_inner_content(|w| el(w, "name", &config.author))?;
            if let Some(href) = &config.self_link {
                w.create_element("link")
                    .with_attribute(("rel", "self"))
                    .with_attribute(("href", href.as_str()))
                    .write_empty()?;
            }
            for m in &current {
                let href = format!("{}{}", config.cap_base_url, m.file_name());
                w.create_element("entry").write_inner_content(|w| {
                    el(
                        w,
                        "id",
                        &format!("{}{}", config.entry_id_prefix, m.incident),
                    )?;
                    el(w, "title", &m.headline)?;
                    el(w, "updated", &m.sent)?;
                    el(w, "published", &m.incident_sent)?;
                    w.create_element("author")
                        .write_inner_content(|w| el(w, "name", &m.sender_name))?;
                    w.create_element("link")
                        .with_attribute(("rel", "alternate"))
                        .with_attribute(("type", CAP_MIME))
                        .with_attribute(("href", href.as_str()))
                        .write_empty()?;
                    el(w, "summary", &m.description)?;
                    if config.embed_cap {
                        // An XML media type in `type` makes the content a single inline
                        // element (RFC 4287 §4.1.3.3): the alert, without its declaration.
                        let body = strip_decl(&m.xml);
                        w.create_element("content")
                            .with_attribute(("type", CAP_MIME))
                            .write_inner_content(|w| {
                                w.write_event(Event::Text(BytesText::from_escaped(body)))
                            })?;
                    }
                    Ok(())
                })?;
            }
            Ok(())
        })?;
    let mut bytes = w.into_inner();
    bytes.push(b'\n');
    String::from_utf8(bytes)
        .map_err(|e| CapError::Xml(std::io::Error::new(std::io::ErrorKind::InvalidData, e)))
}

fn el(w: &mut Writer<Vec<u8>>, name: &str, text: &str) -> std::io::Result<()> {
    w.create_element(name)
        .write_text_content(BytesText::new(text))?;
    Ok(())
}

/// The document without its XML declaration and surrounding whitespace.
fn strip_decl(xml: &str) -> &str {
    let s = xml.trim();
    match (s.starts_with("<?xml"), s.find("?>")) {
        (true, Some(end)) => s[end + 2..].trim(),
        _ => s,
    }
}
