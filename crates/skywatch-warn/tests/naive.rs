//! Behaviour of the naive baselines.

mod common;

use std::collections::BTreeSet;
use std::sync::Arc;

use common::*;
use skywatch_areas::AreaSet;
use skywatch_model::Geodetic;
use skywatch_warn::naive::distance_to_area_m;
use skywatch_warn::{
    PolicyKind, ProvincePolicy, RadiusPolicy, Rule, WarnConfig, WarningPolicy, build_policy,
};

fn hover(at: Geodetic, n: usize) -> Vec<State> {
    (0..n)
        .map(|k| State {
            t: k as f64,
            pos: at,
            heading: 0.0,
            speed: 0.0,
            turn_rate: 0.0,
        })
        .collect()
}

#[test]
fn province_warns_all_municipalities_of_the_province_then_all_clear() {
    let areas = korea();
    let provinces = Arc::new(AreaSet::korea_provinces());
    let cfg = WarnConfig::default();
    let (hold, min_on) = (cfg.policy.hold_s, cfg.policy.min_on_s);
    let mut p = ProvincePolicy::new(cfg, areas.clone(), provinces).unwrap();
    // Inje-gun, deep in Gangwon-do (32), over 50 km from any other province.
    let st = hover(Geodetic::new(38.07, 128.25, 100.0), 100);
    let changes = run(&mut p, &steps_of(&[(5, &st)], 0.0, 400));
    let on = ever_on(&changes);
    let gangwon: BTreeSet<String> = areas
        .iter()
        .filter(|(_, a)| a.code.starts_with("32"))
        .map(|(_, a)| a.code.to_string())
        .collect();
    assert_eq!(gangwon.len(), 18);
    assert_eq!(on, gangwon);
    assert_eq!(p.members_of("32").len(), 18);
    assert!(
        changes
            .iter()
            .filter(|c| c.change.on)
            .all(|c| c.change.t == 0.0 && c.reason.rule == Rule::Province)
    );
    // Lost at 99 s: every one goes off together after the hold (and minimum on time).
    let offs: Vec<_> = changes.iter().filter(|c| !c.change.on).collect();
    assert_eq!(offs.len(), 18);
    let expect = (99.0 + hold).max(min_on);
    assert!(
        offs.iter()
            .all(|c| c.change.t == expect && c.reason.rule == Rule::AllClear)
    );
}

#[test]
fn province_margin_reaches_into_the_neighbouring_province() {
    let areas = korea();
    // In Seoul (11), a few km from the Gyeonggi-do (31) border: both provinces warned.
    let st = hover(Geodetic::new(37.55, 126.98, 100.0), 10);
    let mut p = build_policy(PolicyKind::Province, WarnConfig::default(), areas.clone()).unwrap();
    assert_eq!(p.name(), "province");
    let on = ever_on(&run(p.as_mut(), &steps_of(&[(1, &st)], 0.0, 10)));
    let n_with = |prefix: &str| on.iter().filter(|c| c.starts_with(prefix)).count();
    assert_eq!(n_with("11"), 25);
    assert_eq!(
        n_with("31"),
        areas
            .iter()
            .filter(|(_, a)| a.code.starts_with("31"))
            .count()
    );
    assert_eq!(n_with("32"), 0, "Gangwon is over 20 km away");
}

#[test]
fn radius_warns_exactly_the_areas_within_30_km() {
    let areas = korea();
    let at = Geodetic::new(37.3, 127.45, 100.0);
    let st = hover(at, 10);
    let mut p = RadiusPolicy::new(WarnConfig::default(), areas.clone()).unwrap();
    assert_eq!(p.name(), "radius");
    let on = ever_on(&run(&mut p, &steps_of(&[(1, &st)], 0.0, 10)));
    let mut checked = 0;
    for (_, a) in areas.iter() {
        let d = distance_to_area_m(a, at.lat_deg, at.lon_deg);
        // The per-cell cache may shift the boundary by a few hundred metres.
        if d < 29_500.0 {
            assert!(on.contains(&*a.code), "{} at {d:.0} m not warned", a.code);
            checked += 1;
        } else if d > 30_500.0 {
            assert!(!on.contains(&*a.code), "{} at {d:.0} m warned", a.code);
        }
    }
    assert!(checked >= 10, "only {checked} areas within 30 km");
}

#[test]
fn baselines_ignore_non_threats() {
    let areas = korea();
    let st = hover(Geodetic::new(37.3, 127.45, 100.0), 10);
    for kind in [PolicyKind::Province, PolicyKind::Radius] {
        let mut p = build_policy(kind, WarnConfig::default(), areas.clone()).unwrap();
        let mut n = 0;
        for s in &st {
            let mut x = snap(1, s);
            x.estimate.icao = Some(1);
            let mut y = snap(2, s);
            y.p_threat = 0.0;
            n += p.step(s.t, &[x, y]).len();
        }
        assert_eq!(n, 0);
    }
    assert!("nonsense".parse::<PolicyKind>().is_err());
}
