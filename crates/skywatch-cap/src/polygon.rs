//! Area outlines as CAP polygons.

use geo::{Area as _, BoundingRect, Coord, LineString, MultiPolygon, Simplify};

/// CAP polygons for a MultiPolygon: one per part (largest first, at most `max_parts`),
/// each a list of (lat, lon) rounded to `decimals`, closed, with 4 ≤ points ≤ `max_points`.
///
/// Only exterior rings are used: CAP polygons have no holes, so an enclosed neighbour is
/// over-covered; receivers that match the `geocode` are exact. Douglas–Peucker tolerance
/// starts at `tolerance_deg` and doubles until the ring fits `max_points`; a ring that
/// cannot be simplified into a valid polygon within bounds (a degenerate islet) becomes its
/// bounding rectangle, which covers it: over-warning beats missing people.
///
/// `max_points` below 5 is raised to 5 (the rectangle fallback needs 5).
pub fn cap_polygons(
    shape: &MultiPolygon<f64>,
    tolerance_deg: f64,
    max_points: usize,
    max_parts: usize,
    decimals: usize,
) -> Vec<Vec<(f64, f64)>> {
    let max_points = max_points.max(5);
    let mut parts: Vec<(f64, &LineString<f64>)> = shape
        .0
        .iter()
        .filter(|p| {
            p.exterior()
                .0
                .iter()
                .all(|c| c.x.is_finite() && c.y.is_finite())
        })
        .map(|p| (p.unsigned_area(), p.exterior()))
        .collect();
    parts.sort_by(|a, b| b.0.total_cmp(&a.0));
    parts
        .into_iter()
        .take(max_parts)
        .filter_map(|(_, ring)| ring_to_cap(ring, tolerance_deg, max_points, decimals))
        .collect()
}

fn ring_to_cap(
    ring: &LineString<f64>,
    tolerance_deg: f64,
    max_points: usize,
    decimals: usize,
) -> Option<Vec<(f64, f64)>> {
    if ring.0.is_empty() {
        return None;
    }
    let mut ring = ring.clone();
    ring.close();
    let mut eps = if tolerance_deg.is_finite() && tolerance_deg > 0.0 {
        tolerance_deg
    } else {
        0.0
    };
    // Doubling from 1e-6° reaches any ring's extent (< 360°) in well under 60 rounds.
    for _ in 0..60 {
        let simplified = if eps > 0.0 {
            ring.simplify(&eps)
        } else {
            ring.clone()
        };
        let pts = round_ring(&simplified, decimals);
        if pts.len() <= max_points {
            if pts.len() >= 4 {
                return Some(pts);
            }
            break;
        }
        eps = if eps > 0.0 { eps * 2.0 } else { 1e-6 };
    }
    let rect = ring.bounding_rect()?;
    let (lo, hi) = (rect.min(), rect.max());
    let corners = [
        lo,
        Coord { x: hi.x, y: lo.y },
        hi,
        Coord { x: lo.x, y: hi.y },
        lo,
    ];
    Some(round_ring(&LineString::from(corners.to_vec()), decimals))
}

/// (lat, lon) pairs rounded to `decimals`, consecutive duplicates removed (rounding can
/// create them and they carry nothing), clamped to the WGS84 range.
fn round_ring(ring: &LineString<f64>, decimals: usize) -> Vec<(f64, f64)> {
    let scale = 10f64.powi(decimals.min(9) as i32);
    let mut out: Vec<(f64, f64)> = Vec::with_capacity(ring.0.len());
    for c in &ring.0 {
        let lat = ((c.y * scale).round() / scale).clamp(-90.0, 90.0);
        let lon = ((c.x * scale).round() / scale).clamp(-180.0, 180.0);
        if out.last() != Some(&(lat, lon)) {
            out.push((lat, lon));
        }
    }
    out
}

/// Formats a polygon as CAP wants: space-separated `lat,lon` pairs.
pub fn format_polygon(points: &[(f64, f64)], decimals: usize) -> String {
    let d = decimals.min(9);
    points
        .iter()
        .map(|(lat, lon)| format!("{lat:.d$},{lon:.d$}"))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{Polygon, polygon};

    #[test]
    fn square_is_kept_and_swapped_to_lat_lon() {
        let p: Polygon<f64> = polygon![(x: 127.0, y: 37.0), (x: 127.1, y: 37.0), (x: 127.1, y: 37.1), (x: 127.0, y: 37.1)];
        let out = cap_polygons(&MultiPolygon(vec![p]), 0.0, 100, 10, 5);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].len(), 5);
        assert_eq!(out[0][0], (37.0, 127.0));
        assert_eq!(out[0][1], (37.0, 127.1));
        assert_eq!(out[0][0], out[0][4]);
        assert_eq!(format_polygon(&out[0][..2], 2), "37.00,127.00 37.00,127.10");
    }

    #[test]
    fn long_ring_is_bounded() {
        // A 1000-vertex circle.
        let ring: Vec<(f64, f64)> = (0..1000)
            .map(|i| {
                let a = i as f64 / 1000.0 * std::f64::consts::TAU;
                (127.0 + 0.1 * a.cos(), 37.0 + 0.1 * a.sin())
            })
            .collect();
        let p = Polygon::new(LineString::from(ring), vec![]);
        let out = cap_polygons(&MultiPolygon(vec![p]), 0.0, 20, 10, 5);
        assert!(out[0].len() <= 20 && out[0].len() >= 4, "{}", out[0].len());
        assert_eq!(out[0].first(), out[0].last());
    }

    #[test]
    fn degenerate_ring_becomes_rectangle() {
        // Collinear: Douglas–Peucker collapses it; the bounding rectangle stands in.
        let p = Polygon::new(
            LineString::from(vec![
                (127.0, 37.0),
                (127.1, 37.1),
                (127.2, 37.2),
                (127.0, 37.0),
            ]),
            vec![],
        );
        let out = cap_polygons(&MultiPolygon(vec![p]), 0.5, 5, 10, 5);
        assert_eq!(out[0].len(), 5);
        assert_eq!(out[0][2], (37.2, 127.2));
    }

    #[test]
    fn parts_are_limited_largest_first() {
        let small: Polygon<f64> = polygon![(x: 0.0, y: 0.0), (x: 0.1, y: 0.0), (x: 0.1, y: 0.1)];
        let big: Polygon<f64> = polygon![(x: 1.0, y: 1.0), (x: 2.0, y: 1.0), (x: 2.0, y: 2.0)];
        let out = cap_polygons(&MultiPolygon(vec![small, big]), 0.0, 100, 1, 5);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0][0], (1.0, 1.0));
    }
}
