//! CAP date-time formatting.

use crate::CapError;

/// Formats seconds since the Unix epoch as a CAP 1.2 date-time.
///
/// CAP 1.2 (§3.3.2) wants `YYYY-MM-DDThh:mm:ss+hh:mm`: an explicit numeric offset, never
/// the `Z` designator, and no fractional seconds. We always speak UTC, so the offset is
/// `+00:00` (the spec reserves `-00:00` for an unknown zone). Fractions are floored, so a
/// message is never stamped later than the moment it describes. The same text is a valid
/// RFC 3339 date for Atom.
///
/// # Units
/// Seconds since 1970-01-01T00:00:00 UTC.
///
/// # Errors
/// [`CapError::BadTime`] when the value is not finite or outside chrono's range.
pub fn format_cap_time(unix_s: f64) -> Result<String, CapError> {
    if !unix_s.is_finite() {
        return Err(CapError::BadTime(unix_s));
    }
    let secs = unix_s.floor();
    // chrono's range is roughly ±262,000 years; checking against i64 first keeps the cast
    // from saturating silently.
    if secs.abs() > 1e15 {
        return Err(CapError::BadTime(unix_s));
    }
    let dt = chrono::DateTime::from_timestamp(secs as i64, 0).ok_or(CapError::BadTime(unix_s))?;
    Ok(dt.format("%Y-%m-%dT%H:%M:%S+00:00").to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_without_z_and_fraction() {
        // 2026-11-25T03:00:00Z
        assert_eq!(
            format_cap_time(1_795_575_600.75).unwrap(),
            "2026-11-25T03:00:00+00:00"
        );
        assert_eq!(format_cap_time(0.0).unwrap(), "1970-01-01T00:00:00+00:00");
    }

    #[test]
    fn rejects_non_finite_and_huge() {
        assert!(format_cap_time(f64::NAN).is_err());
        assert!(format_cap_time(f64::INFINITY).is_err());
        assert!(format_cap_time(1e300).is_err());
    }
}
