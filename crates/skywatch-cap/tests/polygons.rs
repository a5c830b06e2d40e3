//! Polygon validity over all 251 embedded municipalities, for several bounds.

use skywatch_areas::AreaSet;
use skywatch_cap::{cap_polygons, format_polygon};

#[test]
fn every_municipality_gives_valid_bounded_polygons() {
    let areas = AreaSet::korea_municipalities();
    assert_eq!(areas.len(), 251);
    for (max_points, max_parts, tol) in
        [(100, 32, 0.0), (20, 8, 0.0), (5, 3, 0.001), (12, 50, 0.01)]
    {
        let mut total_parts = 0;
        for (_, area) in areas.iter() {
            let polys = cap_polygons(&area.shape, tol, max_points, max_parts, 5);
            assert!(!polys.is_empty(), "{}", area.code);
            assert!(polys.len() <= max_parts.min(area.shape.0.len()));
            total_parts += polys.len();
            for p in &polys {
                assert!(p.len() >= 4, "{}: {} points", area.code, p.len());
                assert!(p.len() <= max_points, "{}: {} points", area.code, p.len());
                assert_eq!(p.first(), p.last(), "{} not closed", area.code);
                // Korea lies well inside these bounds; x/y swaps would fail them.
                for &(lat, lon) in p {
                    assert!((33.0..=38.7).contains(&lat), "{}: lat {lat}", area.code);
                    assert!((124.5..=131.9).contains(&lon), "{}: lon {lon}", area.code);
                }
                // At least three distinct corners.
                let mut distinct = p.clone();
                distinct.sort_by(|a, b| a.partial_cmp(b).unwrap());
                distinct.dedup();
                assert!(distinct.len() >= 3, "{}", area.code);
                // The text form CAP parsers see: pairs of two numbers.
                let text = format_polygon(p, 5);
                assert_eq!(text.split(' ').count(), p.len());
                assert!(text.split(' ').all(|pair| pair.split(',').count() == 2));
            }
            // The largest polygon's box overlaps the area's box (no lost outline).
            let (lo, hi) = area.bbox;
            assert!(polys[0].iter().all(|&(lat, lon)| lat >= lo[1] - 0.05
                && lat <= hi[1] + 0.05
                && lon >= lo[0] - 0.05
                && lon <= hi[0] + 0.05));
        }
        assert!(total_parts >= 251);
    }
}
