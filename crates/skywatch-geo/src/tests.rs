//! Reference values come from independent implementations, computed with
//! `pip install pymap3d geographiclib` (pymap3d 3.x `geodetic2ecef`, `geodetic2aer`,
//! `geodetic2enu`; GeographicLib 2.x `Geodesic.WGS84.Inverse/Direct`) and pasted here.

use super::*;
use proptest::prelude::*;

#[track_caller]
fn close(a: f64, b: f64, tol: f64) {
    assert!(
        (a - b).abs() <= tol,
        "{a} != {b} (tol {tol}, diff {})",
        (a - b).abs()
    );
}

#[test]
fn ecef_matches_pymap3d_to_the_millimetre() {
    let cases = [
        (
            (37.5665, 126.9780, 38.0),
            (-3044798.08795735, 4043813.1736705885, 3867440.144784696),
        ),
        (
            (38.0, 127.75, 500.0),
            (-3081181.4080920774, 3979400.9310790664, 3905751.7991567655),
        ),
        (
            (89.9999, 10.0, 1000.0),
            (11.001428517732062, 1.9398486740116978, 6357752.31423543),
        ),
        (
            (-33.8688, 151.2093, -20.0),
            (-4646036.718539367, 2553198.3444269476, -3534361.2420525355),
        ),
        (
            (0.0, 179.9999, 12000.0),
            (-6390136.999990267, 11.152893029822115, 0.0),
        ),
        (
            (51.4778, -0.0015, 45.0),
            (3980609.237097504, -104.2121061577852, 4966859.728504294),
        ),
    ];
    for ((lat, lon, h), (x, y, z)) in cases {
        let e = geodetic_to_ecef(lat, lon, h);
        close(e.x, x, 1e-3);
        close(e.y, y, 1e-3);
        close(e.z, z, 1e-3);
        let g = ecef_to_geodetic(&e);
        close(g.lat_deg, lat, 1e-9);
        close(normalize_lon(g.lon_deg), normalize_lon(lon), 1e-9);
        close(g.alt_m, h, 1e-3);
    }
}

#[test]
fn aer_matches_pymap3d() {
    // (observer, target, (az, el, range))
    let cases = [
        (
            Geodetic::new(37.9, 127.73, 250.0),
            Geodetic::new(37.9, 127.93, 1500.0),
            (89.93857144115381, 3.9852441218312746, 17637.071971625035),
        ),
        (
            Geodetic::new(38.0, 127.75, 60.0),
            Geodetic::new(37.5665, 126.978, 800.0),
            (234.95691665463445, 0.13468136855239662, 83313.56682547975),
        ),
        // Across the prime meridian: the azimuth must not wrap wrongly.
        (
            Geodetic::new(38.0, 0.01, 60.0),
            Geodetic::new(38.2, -0.01, 100.0),
            (
                355.48793415186844,
                0.0026050967898668576,
                22269.183166288665,
            ),
        ),
    ];
    for (obs, tgt, (az, el, r)) in cases {
        let aer = aer_between(&obs, &tgt);
        close(aer.az_deg, az, 1e-8);
        close(aer.el_deg, el, 1e-8);
        close(aer.range_m, r, 1e-3);
        // And back: the AER of the target reproduces the target.
        let back = ecef_to_geodetic(&LocalFrame::new(obs).ecef_of_aer(&aer));
        close(back.lat_deg, tgt.lat_deg, 1e-10);
        close(back.lon_deg, tgt.lon_deg, 1e-10);
        close(back.alt_m, tgt.alt_m, 1e-3);
    }
}

#[test]
fn enu_matches_pymap3d() {
    let f = LocalFrame::new(Geodetic::new(38.0, 127.75, 60.0));
    let enu = f.geodetic_to_enu(&Geodetic::new(37.5665, 126.978, 800.0));
    close(enu.x, -68210.33781570903, 1e-3);
    close(enu.y, -47837.87076317337, 1e-3);
    close(enu.z, 195.83946603105142, 1e-3);
}

#[test]
fn geodesics_match_geographiclib() {
    let seoul = Geodetic::new(37.5665, 126.9780, 0.0);
    let busan = Geodetic::new(35.1796, 129.0756, 0.0);
    let (s, az) = seoul.geodesic_to(&busan);
    close(s, 324915.2974531313, 1e-3);
    close(az, 143.97246166548854, 1e-9);

    let d = Geodetic::new(38.0, 127.75, 0.0).destination(123.4, 250000.0);
    close(d.lat_deg, 36.73661517609339, 1e-10);
    close(d.lon_deg, 130.08678581885658, 1e-10);

    // Across the antimeridian, longitudes come back normalised to [-180, 180).
    let d = Geodetic::new(37.0, 179.9, 0.0).destination(80.0, 100000.0);
    close(d.lat_deg, 37.15129660671603, 1e-10);
    close(d.lon_deg, -178.99139532505313, 1e-10);
}

#[test]
fn poles_are_not_singular() {
    for z_sign in [1.0, -1.0] {
        let e = Vector3::new(0.0, 0.0, z_sign * (WGS84_B + 1234.5));
        let g = ecef_to_geodetic(&e);
        close(g.lat_deg, 90.0 * z_sign, 1e-12);
        close(g.alt_m, 1234.5, 1e-6);
    }
    // Just off the pole, the frame and the inverse stay well behaved.
    let near = Geodetic::new(89.999_999, 45.0, 100.0);
    let back = ecef_to_geodetic(&near.to_ecef());
    close(back.lat_deg, near.lat_deg, 1e-10);
    close(back.alt_m, near.alt_m, 1e-3);
}

#[test]
fn angle_helpers_wrap_at_360() {
    close(angle_diff_deg(359.0, 1.0), -2.0, 1e-12);
    close(angle_diff_deg(1.0, 359.0), 2.0, 1e-12);
    close(angle_diff_deg(180.0, 0.0), 180.0, 1e-12);
    close(normalize_deg(-1e-20), 0.0, 0.0);
    close(normalize_deg(720.5), 0.5, 1e-12);
    close(normalize_lon(190.0), -170.0, 1e-12);
    close(normalize_lon(-180.0), -180.0, 0.0);
}

#[test]
fn radar_horizon_is_the_textbook_figure() {
    // 4/3 Earth: d_km ~= 4.12 * (sqrt(h1_m) + sqrt(h2_m)).
    let d = radar_horizon_m(100.0, 100.0);
    close(d / 1000.0, 4.12 * 20.0, 0.5);
}

proptest! {
    #[test]
    fn geodetic_ecef_round_trip(lat in -90.0f64..=90.0, lon in -180.0f64..180.0, h in -500.0f64..40_000.0) {
        let g = ecef_to_geodetic(&geodetic_to_ecef(lat, lon, h));
        prop_assert!((g.lat_deg - lat).abs() < 1e-9);
        // Longitude is undefined at the poles.
        if lat.abs() < 89.9999 {
            prop_assert!(angle_diff_deg(g.lon_deg, lon).abs() < 1e-9);
        }
        prop_assert!((g.alt_m - h).abs() < 1e-4);
    }

    #[test]
    fn enu_round_trip(lat0 in -89.0f64..89.0, lon0 in -180.0f64..180.0,
                      e in -300_000.0f64..300_000.0, n in -300_000.0f64..300_000.0, u in -1000.0f64..20_000.0) {
        let f = LocalFrame::new(Geodetic::new(lat0, lon0, 0.0));
        let v = Vector3::new(e, n, u);
        let back = f.ecef_to_enu(&f.enu_to_ecef(&v));
        prop_assert!((back - v).norm() < 1e-6);
        let g = f.enu_to_geodetic(&v);
        let back = f.geodetic_to_enu(&g);
        prop_assert!((back - v).norm() < 1e-3);
    }

    #[test]
    fn aer_round_trip(az in 0.0f64..360.0, el in -89.0f64..89.0, r in 1.0f64..500_000.0) {
        let aer = Aer { az_deg: az, el_deg: el, range_m: r };
        let back = Aer::from_enu(&aer.to_enu());
        prop_assert!(angle_diff_deg(back.az_deg, az).abs() < 1e-8);
        prop_assert!((back.el_deg - el).abs() < 1e-8);
        prop_assert!((back.range_m - r).abs() < 1e-6);
        prop_assert!((0.0..360.0).contains(&back.az_deg));
    }

    #[test]
    fn destination_inverts_geodesic(lat in -80.0f64..80.0, lon in -180.0f64..180.0,
                                    az in 0.0f64..360.0, s in 1.0f64..1_000_000.0) {
        let a = Geodetic::new(lat, lon, 0.0);
        let b = a.destination(az, s);
        let (s2, az2) = a.geodesic_to(&b);
        prop_assert!((s2 - s).abs() < 1e-6);
        prop_assert!(angle_diff_deg(az2, az).abs() < 1e-7);
    }

    #[test]
    fn angle_diff_is_bounded(a in -1000.0f64..1000.0, b in -1000.0f64..1000.0) {
        let d = angle_diff_deg(a, b);
        prop_assert!(d > -180.0 && d <= 180.0);
        prop_assert!(angle_diff_deg(b + d, a).abs() < 1e-9);
    }
}

#[test]
fn flat_distance_is_the_geodesic_for_nearby_points() {
    // Legs of a track's path a few kilometres long, at Korea's latitudes and beyond.
    // Fiji straddles the antimeridian: its legs cross it.
    let places = [
        (35.0, 129.0),
        (37.7, 126.8),
        (60.0, 10.0),
        (-33.9, 151.2),
        (-17.0, 179.99),
        (-17.0, -179.99),
    ];
    for &(lat, lon) in &places {
        let a = Geodetic::new(lat, lon, 0.0);
        for az in [0.0, 45.0, 90.0, 200.0] {
            for d in [300.0, 3000.0, 10_000.0] {
                let b = a.destination(az, d);
                let flat = flat_distance_m(lat, lon, b.lat_deg, b.lon_deg);
                assert_eq!(flat, flat_distance_m(b.lat_deg, b.lon_deg, lat, lon));
                let (geo, _) = a.geodesic_to(&b);
                assert!(
                    (flat - geo).abs() <= 0.005 * geo,
                    "{lat} {az} {d}: {flat} vs {geo}"
                );
            }
        }
    }
    assert_eq!(flat_distance_m(35.0, 129.0, 35.0, 129.0), 0.0);
}
