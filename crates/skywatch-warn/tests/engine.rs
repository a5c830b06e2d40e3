//! Behaviour of the predictive engine over the real Korean municipalities.

mod common;

use std::sync::Arc;

use common::*;
use skywatch_areas::AreaSet;
use skywatch_model::{Class, Geodetic, TrackSnapshot};
use skywatch_warn::naive::distance_to_area_m;
use skywatch_warn::{Rule, WarnConfig, WarnEngine, WarningPolicy};

fn engine(cfg: WarnConfig) -> WarnEngine {
    WarnEngine::new(cfg, korea()).expect("valid config")
}

/// Icheon-si (31210): a threat flies east at 50 m/s from 30 km west of its centroid.
fn eastbound() -> (Vec<State>, String) {
    let areas = korea();
    let icheon = areas.get(areas.by_code("31210").unwrap());
    let c = Geodetic::new(icheon.centroid.0, icheon.centroid.1, 100.0);
    let start = c.destination(270.0, 30_000.0);
    let end = c.destination(90.0, 30_000.0);
    (
        fly(start, 90.0, &[end], 50.0, 2.0, 0.0, 1200),
        "31210".into(),
    )
}

#[test]
fn straight_threat_warns_target_with_lead_and_not_off_path_neighbours() {
    let areas = korea();
    let (states, target) = eastbound();
    // The truth goes on for 5 minutes after the engine stops hearing of it, so that
    // warnings for areas just ahead at the end are on the path.
    let changes = run(
        &mut engine(WarnConfig::default()),
        &steps_of(&[(7, &states)], 0.0, 900),
    );
    let entry = entry_time(&areas, &target, &states).expect("path enters Icheon");
    let on = first_on(&changes, &target).expect("Icheon warned");
    let tts = areas.get(areas.by_code(&target).unwrap()).time_to_shelter_s;
    assert!(entry - on >= tts, "lead {} < tts {tts}", entry - on);
    // Not absurdly early either: within the warning window (tts + lead budget) plus
    // the spread of the prediction.
    assert!(
        entry - on <= tts + 240.0 + 60.0,
        "lead {} too long",
        entry - on
    );
    let warned = ever_on(&changes);
    for code in &warned {
        let a = areas.get(areas.by_code(code).unwrap());
        let d = states
            .iter()
            .step_by(10)
            .map(|s| distance_to_area_m(a, s.pos.lat_deg, s.pos.lon_deg))
            .fold(f64::INFINITY, f64::min);
        assert!(d < 8_000.0, "{code} warned but {d:.0} m off the path");
    }
    // Every area the path crosses after the first minute is warned before entry.
    for (id, a) in areas.iter() {
        let Some(e) = entry_time(&areas, &a.code, &states) else {
            continue;
        };
        if !(120.0..900.0).contains(&e) {
            continue;
        }
        let on = first_on(&changes, &a.code);
        assert!(
            on.is_some_and(|o| o < e),
            "{} ({id:?}) entered at {e} but first on {on:?}",
            a.code
        );
    }
    // Reasons name the track, the rule and an ETA.
    let c = changes
        .iter()
        .find(|c| c.change.on && *c.change.area == *target)
        .unwrap();
    assert_eq!(c.change.tracks, vec![7]);
    assert_eq!(c.reason.rule, Rule::Predicted);
    assert!(c.reason.p_entry >= 0.3);
    let eta = c.reason.tracks[0].eta.expect("eta");
    assert!(
        (eta.p50_s - (entry - on)).abs() < 90.0,
        "{eta:?} vs {}",
        entry - on
    );
}

#[test]
fn turning_threat_warns_curved_path_not_straight_extrapolation() {
    let areas = korea();
    // Start in Icheon heading north, with a waypoint that makes it turn right by 120°
    // at 1.7°/s, then fly on for 10 minutes.
    let icheon = areas.get(areas.by_code("31210").unwrap());
    let start = Geodetic::new(icheon.centroid.0, icheon.centroid.1, 100.0);
    let wp = start
        .destination(90.0, 3_000.0)
        .destination(150.0, 40_000.0);
    let states = fly(start, 0.0, &[wp], 50.0, 1.7, 0.0, 700);
    // The straight-line extrapolation of the first state, 8 minutes on.
    let straight: Vec<State> = (0..480)
        .map(|k| State {
            t: k as f64,
            pos: start.destination(0.0, 50.0 * k as f64),
            ..states[0]
        })
        .collect();
    // Give the engine only the turn onward: from the first second the track turns.
    let turning: Vec<State> = states.iter().copied().skip(3).collect();
    assert!(turning[0].turn_rate > 0.02);
    let changes = run(
        &mut engine(WarnConfig::default()),
        &steps_of(&[(1, &turning)], 3.0, 697),
    );
    let warned = ever_on(&changes);
    let start_code = code_at(&areas, start);
    let curved_areas: Vec<String> = areas
        .iter()
        .filter(|(_, a)| *a.code != *start_code && entry_time(&areas, &a.code, &turning).is_some())
        .map(|(_, a)| a.code.to_string())
        .collect();
    let straight_only: Vec<String> = areas
        .iter()
        .filter(|(_, a)| {
            *a.code != *start_code
                && entry_time(&areas, &a.code, &straight).is_some()
                && !curved_areas.contains(&a.code.to_string())
        })
        .map(|(_, a)| a.code.to_string())
        .collect();
    assert!(!curved_areas.is_empty() && !straight_only.is_empty());
    for code in &curved_areas {
        let e = entry_time(&areas, code, &turning).unwrap();
        let on = first_on(&changes, code);
        assert!(
            on.is_some_and(|o| o < e),
            "curved-path {code} entry {e}, on {on:?}"
        );
    }
    for code in &straight_only {
        assert!(!warned.contains(code), "straight-line-only {code} warned");
    }
}

#[test]
fn oscillating_probability_does_not_flap() {
    // A threat holds position 10 km west of Icheon's centroid pointing at it (a
    // hovering track with a velocity estimate), its p_threat jumping between 0.9 and
    // 0.1 every 3 s: the area must go on once and stay on.
    let areas = korea();
    let icheon = areas.get(areas.by_code("31210").unwrap());
    let c = Geodetic::new(icheon.centroid.0, icheon.centroid.1, 100.0);
    let p = c.destination(270.0, 12_000.0);
    let st = State {
        t: 0.0,
        pos: p,
        heading: 90.0,
        speed: 50.0,
        turn_rate: 0.0,
    };
    let mut e = engine(WarnConfig::default());
    let mut changes = Vec::new();
    for k in 0..600 {
        let mut s = snap(1, &State { t: k as f64, ..st });
        if (k / 3) % 2 == 1 {
            s.p_threat = 0.1;
        }
        changes.extend(e.step(k as f64, &[s]));
    }
    let icheon_changes: Vec<_> = changes
        .iter()
        .filter(|c| &*c.change.area == "31210")
        .collect();
    assert_eq!(icheon_changes.len(), 1, "{icheon_changes:?}");
    assert!(icheon_changes[0].change.on);
    // Every area that switched did so once: no toggling anywhere.
    let mut codes: Vec<_> = changes.iter().map(|c| c.change.area.clone()).collect();
    let n = codes.len();
    codes.dedup();
    codes.sort();
    codes.dedup();
    assert_eq!(codes.len(), n);
}

#[test]
fn two_threats_merge_into_one_interval() {
    let areas = korea();
    let icheon = areas.get(areas.by_code("31210").unwrap());
    let c = Geodetic::new(icheon.centroid.0, icheon.centroid.1, 100.0);
    let a = fly(
        c.destination(270.0, 25_000.0),
        90.0,
        &[c],
        50.0,
        2.0,
        0.0,
        300,
    );
    let b = fly(
        c.destination(0.0, 25_000.0),
        180.0,
        &[c],
        50.0,
        2.0,
        0.0,
        600,
    );
    let changes = run(
        &mut engine(WarnConfig::default()),
        &steps_of(&[(1, &a), (2, &b)], 0.0, 600),
    );
    let ic: Vec<_> = changes
        .iter()
        .filter(|c| &*c.change.area == "31210")
        .collect();
    // One on, no off while either threat is there (track 1 vanishes at 300 s, track 2
    // stays inside until the end).
    assert_eq!(ic.len(), 1, "{ic:?}");
    assert!(ic[0].change.on);
    let mut ids = ic[0].change.tracks.clone();
    ids.sort_unstable();
    assert_eq!(ids, vec![1, 2]);
}

#[test]
fn all_clear_after_hold_when_threat_passes() {
    let areas = korea();
    let (states, target) = eastbound();
    let cfg = WarnConfig::default();
    let (hold, min_on) = (cfg.policy.hold_s, cfg.policy.min_on_s);
    let changes = run(&mut engine(cfg), &steps_of(&[(7, &states)], 0.0, 900));
    let a = areas.get(areas.by_code(&target).unwrap());
    let entry = entry_time(&areas, &target, &states).unwrap();
    let exit = states
        .iter()
        .filter(|s| s.t > entry && !a.contains(s.pos.lat_deg, s.pos.lon_deg))
        .map(|s| s.t)
        .next()
        .expect("leaves Icheon");
    let on = first_on(&changes, &target).unwrap();
    let off = changes
        .iter()
        .find(|c| !c.change.on && *c.change.area == *target)
        .expect("all-clear");
    assert_eq!(off.reason.rule, Rule::AllClear);
    assert_eq!(off.change.tracks, vec![7]);
    let expect = (exit + hold - 1.0).max(on + min_on);
    assert!(
        (off.change.t - expect).abs() <= 2.0,
        "off at {} expected about {expect} (exit {exit})",
        off.change.t
    );
}

/// The eastbound flight under `cfg`: its states, the target, when the target first goes
/// on and when the flight enters it.
fn eastbound_warned(cfg: &WarnConfig) -> (Vec<State>, String, f64, f64) {
    let areas = korea();
    let (states, target) = eastbound();
    let full = run(
        &mut engine(cfg.clone()),
        &steps_of(&[(7, &states)], 0.0, 900),
    );
    let on = first_on(&full, &target).expect("target warned");
    let entry = entry_time(&areas, &target, &states).expect("path enters the target");
    (states, target, on, entry)
}

/// Time of the first all-clear of `target`.
fn all_clear_at(changes: &[skywatch_warn::AreaChange], target: &str) -> f64 {
    changes
        .iter()
        .find(|c| !c.change.on && *c.change.area == *target)
        .expect("all-clear")
        .change
        .t
}

#[test]
fn lost_track_coasts_then_all_clear() {
    let cfg = WarnConfig::default();
    let (coast, hold) = (cfg.policy.coast_s, cfg.policy.hold_s);
    // Lose the track 10 s after the target goes on.
    let (states, target, on, entry) = eastbound_warned(&cfg);
    let lost = on + 10.0;
    assert!(lost < entry);
    let seen: Vec<State> = states.iter().copied().filter(|s| s.t < lost).collect();
    let changes = run(&mut engine(cfg), &steps_of(&[(7, &seen)], 0.0, 900));
    let off = all_clear_at(&changes, &target);
    let last_seen = lost - 1.0;
    assert!(
        (off - (last_seen + coast + hold)).abs() <= 2.0,
        "off {off}, last seen {last_seen}"
    );
}

/// A track lost before its target went on raises no warning while it coasts (it may
/// have ended: a drone that dives on its aim point vanishes like one in a coverage
/// gap), though it would have had it still been reported; when allowed to, its coasting
/// prediction would raise one.
#[test]
fn lost_track_keeps_warnings_on_but_raises_none() {
    let cfg = WarnConfig::default();
    assert!(!cfg.policy.coast_triggers);
    let (states, target, on, _) = eastbound_warned(&cfg);
    let lost = on - 10.0;
    let seen: Vec<State> = states.iter().copied().filter(|s| s.t < lost).collect();
    let steps = steps_of(&[(7, &seen)], 0.0, 900);
    let changes = run(&mut engine(cfg.clone()), &steps);
    assert_eq!(first_on(&changes, &target), None, "{changes:?}");
    let mut triggering = cfg;
    triggering.policy.coast_triggers = true;
    let changes = run(&mut engine(triggering), &steps);
    let coasted_on = first_on(&changes, &target).expect("a coasting prediction may warn");
    assert!(coasted_on > lost, "on at {coasted_on}, lost at {lost}");
}

/// A track lost where nobody listens (the tracker's `in_coverage` false: it flew on
/// beyond the edge of the acoustic network) goes on flying in the prediction, for
/// `uncovered_coast_s`, and may warn the areas ahead; one lost in coverage may not.
#[test]
fn track_lost_out_of_coverage_still_warns_the_areas_ahead() {
    let cfg = WarnConfig::default();
    let areas = korea();
    // Eastbound on Icheon as `eastbound`, from twice as far (60 km, 20 min).
    let (_, target) = eastbound();
    let icheon = areas.get(areas.by_code(&target).unwrap());
    let c = Geodetic::new(icheon.centroid.0, icheon.centroid.1, 100.0);
    let states = fly(
        c.destination(270.0, 60_000.0),
        90.0,
        &[c.destination(90.0, 30_000.0)],
        50.0,
        2.0,
        0.0,
        1800,
    );
    let entry = entry_time(&areas, &target, &states).expect("path enters Icheon");
    let on = first_on(
        &run(
            &mut engine(cfg.clone()),
            &steps_of(&[(7, &states)], 0.0, 1800),
        ),
        &target,
    )
    .expect("Icheon warned");
    // Lost five minutes before the target would have been warned: beyond `coast_s`.
    let lost = on - 300.0;
    assert!(lost + cfg.policy.coast_s < on && lost > 300.0);
    let seen: Vec<State> = states.iter().copied().filter(|s| s.t < lost).collect();
    let steps = steps_of(&[(7, &seen)], 0.0, 1800);
    let uncovered: Vec<_> = steps
        .iter()
        .map(|(t, snaps)| {
            let snaps = snaps
                .iter()
                .cloned()
                .map(|mut s| {
                    s.in_coverage = false;
                    s
                })
                .collect();
            (*t, snaps)
        })
        .collect();
    let warned = first_on(&run(&mut engine(cfg.clone()), &uncovered), &target)
        .unwrap_or_else(|| panic!("not warned; on {on} lost {lost} entry {entry}"));
    assert!(
        warned > lost && warned <= entry - 60.0,
        "on at {warned}, lost at {lost}, entry at {entry}"
    );
    // In coverage, the same silence is an end: nothing is warned.
    assert_eq!(
        first_on(&run(&mut engine(cfg.clone()), &steps), &target),
        None
    );
    // And without the longer coast, neither.
    let mut short = cfg;
    short.policy.uncovered_coast_s = short.policy.coast_s;
    assert_eq!(
        first_on(&run(&mut engine(short), &uncovered), &target),
        None
    );
}

/// The same flight `delay` seconds later.
fn delayed(states: &[State], delay: f64) -> Vec<State> {
    states
        .iter()
        .map(|s| State {
            t: s.t + delay,
            ..*s
        })
        .collect()
}

/// A drone that vanished 90 s short of Icheon and that no new track took up ended
/// there: a follower on the same path 15 min later is predicted to end there too, so
/// Icheon is warned of it later than without that memory, but still before entry.
#[test]
fn followers_corridors_end_where_the_leaders_ended() {
    let areas = korea();
    let (states, target) = eastbound();
    let entry = entry_time(&areas, &target, &states).unwrap();
    let leader: Vec<State> = states
        .iter()
        .copied()
        .filter(|s| s.t < entry - 90.0)
        .collect();
    let delay = 900.0;
    let follower = delayed(&states, delay);
    let steps = steps_of(&[(7, &leader), (8, &follower)], 0.0, 2400);
    let follower_on = |cfg: WarnConfig| {
        run(&mut engine(cfg), &steps)
            .iter()
            .find(|c| c.change.on && *c.change.area == *target && c.change.t > delay)
            .map(|c| c.change.t)
            .expect("the follower is warned")
    };
    let mut cfg = WarnConfig::default();
    assert!(cfg.ends.enabled);
    let with = follower_on(cfg.clone());
    cfg.ends.enabled = false;
    let without = follower_on(cfg);
    assert!(
        with > without + 30.0 && with < entry + delay - 30.0,
        "follower warned at {with} with end points, {without} without; entry {}",
        entry + delay
    );
}

#[test]
fn cooperative_aircraft_birds_and_low_threat_never_warn() {
    let (states, _) = eastbound();
    let mut e = engine(WarnConfig::default());
    let mut n = 0;
    for s in &states {
        let base = snap(1, s);
        let mut adsb = base.clone();
        adsb.estimate.icao = Some(0x71_0000);
        adsb.estimate.id = 1;
        let mut aircraft = base.clone();
        aircraft.estimate.id = 2;
        aircraft.estimate.class = Class::Aircraft;
        aircraft.estimate.class_confidence = 0.9;
        let mut bird = base.clone();
        bird.estimate.id = 3;
        bird.estimate.class = Class::Bird;
        bird.estimate.class_confidence = 0.95;
        let mut unlikely = base.clone();
        unlikely.estimate.id = 4;
        unlikely.p_threat = 0.05;
        // Unknown, and partly a bird: the tracker gives it less than half.
        let mut doubtful = base.clone();
        doubtful.estimate.id = 5;
        doubtful.estimate.class = Class::Unknown;
        doubtful.p_threat = 0.4;
        n += e
            .step(s.t, &[adsb, aircraft, bird, unlikely, doubtful])
            .len();
    }
    assert_eq!(n, 0);
    // The same flight, unknown and unplaced (half a threat), is warned about.
    let mut e = engine(WarnConfig::default());
    let mut n = 0;
    for s in &states {
        let mut unknown = snap(6, s);
        unknown.estimate.class = Class::Unknown;
        unknown.p_threat = 0.5;
        n += e.step(s.t, &[unknown]).len();
    }
    assert!(n > 0);
}

#[test]
fn bad_input_and_empty_areas_do_not_panic() {
    let (states, _) = eastbound();
    let mut bad = snap(1, &states[0]);
    bad.estimate.pos.lat_deg = f64::NAN;
    let mut bad_cov = snap(2, &states[0]);
    bad_cov.cov_h = [[f64::NAN; 4]; 4];
    bad_cov.turn_rate = f64::INFINITY;
    bad_cov.p_manoeuvre = f64::NAN;
    let mut e = engine(WarnConfig::default());
    assert!(e.step(f64::NAN, std::slice::from_ref(&bad)).is_empty());
    let out = e.step(0.0, &[bad.clone(), bad_cov.clone()]);
    assert!(out.iter().all(|c| c.change.tracks == vec![2]));
    // Time going backwards is ignored.
    assert!(e.step(-5.0, &[bad_cov.clone()]).is_empty());
    let empty = Arc::new(AreaSet::new(Vec::new()).unwrap());
    let mut e = WarnEngine::new(WarnConfig::default(), empty).unwrap();
    for s in &states[..50] {
        assert!(e.step(s.t, &[snap(1, s)]).is_empty());
    }
}

#[test]
fn bad_config_is_an_error() {
    let mut cfg = WarnConfig::default();
    cfg.policy.p_off = 0.9;
    assert!(WarnEngine::new(cfg, korea()).is_err());
    let mut cfg = WarnConfig::default();
    cfg.predict.samples = 0;
    assert!(WarnEngine::new(cfg, korea()).is_err());
}

#[test]
fn same_inputs_same_outputs() {
    let (a, _) = eastbound();
    let b: Vec<State> = a
        .iter()
        .map(|s| State {
            t: s.t + 40.0,
            ..*s
        })
        .collect();
    let steps = steps_of(&[(1, &a), (2, &b)], 0.0, 940);
    let x = run(&mut engine(WarnConfig::default()), &steps);
    let y = run(&mut engine(WarnConfig::default()), &steps);
    assert!(!x.is_empty());
    assert_eq!(x, y);
}

fn snaps_at(states: &[State], id: u64, t: f64) -> Option<TrackSnapshot> {
    states.iter().find(|s| s.t == t).map(|s| snap(id, s))
}

#[test]
fn route_learning_warns_follower_turn_area_earlier() {
    let areas = korea();
    // A wave route: north for 25 km, then a hard right turn to the east.
    // The turning point is in Eumseong (33370); 5 km east of it lies Chungju (33020),
    // which neither the northbound leg nor its straight extension touches.
    let turn = Geodetic::new(37.08, 127.64, 100.0);
    let start = turn.destination(180.0, 25_000.0);
    let end = turn.destination(90.0, 60_000.0);
    // The leader is lost 700 s after the turn (its warnings end before the follower
    // comes); the follower flies the same route 1500 s behind.
    let leader = fly(start, 0.0, &[turn, end], 50.0, 3.0, 0.0, 1200);
    // Two leaders on one route agree (one alone is not trusted: `min_agree`).
    let leader2 = fly(start, 0.0, &[turn, end], 50.0, 3.0, 120.0, 1080);
    let follower = fly(start, 0.0, &[turn, end], 50.0, 3.0, 1500.0, 1200);
    // The area the route enters after the turn, 5 km past the turning point.
    let after = code_at(&areas, turn.destination(90.0, 5_000.0));
    let f_entry = entry_time(&areas, &after, &follower).expect("follower enters it");
    let run_with = |routes: bool| {
        let mut cfg = WarnConfig::default();
        cfg.routes.enabled = routes;
        let mut e = engine(cfg);
        // Start of the on interval of `after` covering the follower's entry (the
        // scorer's definition of lead).
        let mut start_on: Option<f64> = None;
        for k in 0..2700 {
            let t = k as f64;
            if t > f_entry {
                break;
            }
            let v: Vec<TrackSnapshot> = [
                snaps_at(&leader, 1, t),
                snaps_at(&leader2, 3, t),
                snaps_at(&follower, 2, t),
            ]
            .into_iter()
            .flatten()
            .collect();
            for c in e.step(t, &v) {
                if *c.change.area == *after {
                    start_on = c.change.on.then_some(t);
                }
            }
        }
        start_on
    };
    let with = run_with(true);
    let without = run_with(false);
    let lead_with = f_entry - with.expect("warned with routes");
    let lead_without = without.map_or(0.0, |t| f_entry - t);
    // The warning comes from the follower, after the leader's own warning ended.
    assert!(with.unwrap() > 1500.0);
    assert!(
        lead_with > lead_without + 60.0,
        "lead with routes {lead_with}, without {lead_without}"
    );
}

/// The on threshold ramps with how soon the entry is: with a near threshold far below
/// the far one, the straight eastbound threat is warned later than with one threshold
/// over the whole window, but still at least the time to shelter before entry; with
/// both thresholds equal the ramp is the single-threshold policy.
#[test]
fn far_entries_need_more_confidence_than_imminent_ones() {
    let areas = korea();
    let (states, target) = eastbound();
    let entry = entry_time(&areas, &target, &states).expect("path enters Icheon");
    let tts = areas.get(areas.by_code(&target).unwrap()).time_to_shelter_s;
    let lead = |p_on: f64, p_on_near: f64| {
        let mut cfg = WarnConfig::default();
        cfg.policy.p_on = p_on;
        cfg.policy.p_on_near = p_on_near;
        cfg.policy.p_off = 0.05;
        let changes = run(&mut engine(cfg), &steps_of(&[(7, &states)], 0.0, 900));
        entry - first_on(&changes, &target).expect("Icheon warned")
    };
    let single_low = lead(0.3, 0.3);
    let ramp = lead(0.9, 0.3);
    let single_high = lead(0.9, 0.9);
    assert!(ramp >= tts, "ramp lead {ramp} < tts {tts}");
    assert!(
        ramp < single_low,
        "ramp lead {ramp} not shorter than low single threshold {single_low}"
    );
    // A 0.9 single threshold still warns this straight flight, no later than the ramp
    // (whose near end only adds triggers).
    assert!(single_high <= ramp, "{single_high} vs {ramp}");
}

/// Evidence from a young track must persist before it warns, and is delayed by that
/// long, no more; an established track's evidence warns at once.
#[test]
fn young_track_evidence_must_persist() {
    let (states, target) = eastbound();
    let first = |persist_s: f64, young_track_s: f64| {
        let mut cfg = WarnConfig::default();
        cfg.policy.persist_s = persist_s;
        cfg.policy.young_track_s = young_track_s;
        let changes = run(&mut engine(cfg), &steps_of(&[(7, &states)], 0.0, 900));
        first_on(&changes, &target).expect("Icheon warned")
    };
    let at_once = first(0.0, 0.0);
    // Every track young for ever: the whole persistence is waited for.
    let d = first(20.0, 1e6) - at_once;
    assert!((19.0..=21.0).contains(&d), "delay {d}");
    // The track is older than `young_track_s` when Icheon comes in range: no delay.
    assert!(at_once > 60.0);
    assert_eq!(first(20.0, 30.0), at_once);
}

/// A track that flickers for a few seconds, heading straight at an area, then is lost:
/// no warning, because its evidence did not persist and it does not coast longer than
/// it lived.
#[test]
fn flickering_young_track_does_not_warn() {
    let (states, _) = eastbound();
    // Seen for 4 s when the target is already within the warning window.
    let areas = korea();
    let (_, target) = eastbound();
    let entry = entry_time(&areas, &target, &states).unwrap();
    let from = entry - 150.0;
    let brief: Vec<State> = states
        .iter()
        .copied()
        .filter(|s| (from..from + 4.0).contains(&s.t))
        .collect();
    let changes = run(
        &mut engine(WarnConfig::default()),
        &steps_of(&[(9, &brief)], from, 600),
    );
    assert!(changes.is_empty(), "{changes:?}");
    // The same few seconds from an established track do warn.
    let long: Vec<State> = states
        .iter()
        .copied()
        .filter(|s| s.t < from + 4.0)
        .collect();
    let changes = run(
        &mut engine(WarnConfig::default()),
        &steps_of(&[(9, &long)], 0.0, (from + 600.0) as usize),
    );
    assert!(first_on(&changes, &target).is_some());
}

/// A track the tracker identifies as an aircraft while it is still reported loses its
/// corridor at once: coasting is for tracks the sensors lost.
#[test]
fn identified_track_does_not_coast() {
    let cfg = WarnConfig::default();
    let (hold, min_on) = (cfg.policy.hold_s, cfg.policy.min_on_s);
    let (states, target, on, entry) = eastbound_warned(&cfg);
    let identified = on + 10.0;
    assert!(identified + hold < entry);
    let mut e = engine(cfg);
    let mut changes = Vec::new();
    for s in &states {
        let mut sn = snap(7, s);
        if s.t >= identified {
            sn.estimate.class = Class::Aircraft;
            sn.estimate.class_confidence = 0.95;
        }
        changes.extend(e.step(s.t, &[sn]));
    }
    let off = all_clear_at(&changes, &target);
    let expect = (identified + hold).max(on + min_on);
    assert!((off - expect).abs() <= 2.0, "off {off}, expected {expect}");
}

/// A track the tracker stops showing because it now calls it a bird
/// (`WarningPolicy::explained`) was not lost: it does not coast, so its area goes off a
/// hold after, not a coast and a hold; and where it vanished is no end point for the
/// flights that follow it.
#[test]
fn explained_track_neither_coasts_nor_marks_an_end() {
    let cfg = WarnConfig::default();
    let (hold, min_on, coast) = (cfg.policy.hold_s, cfg.policy.min_on_s, cfg.policy.coast_s);
    let (states, target, on, entry) = eastbound_warned(&cfg);
    let hidden = on + 10.0;
    assert!(hidden < entry);
    let drive = |explain: bool| {
        let mut e = engine(cfg.clone());
        let mut changes = Vec::new();
        for s in &states {
            if s.t < hidden {
                changes.extend(e.step(s.t, &[snap(7, s)]));
            } else {
                if explain {
                    e.explained(s.t, &[7]);
                }
                changes.extend(e.step(s.t, &[]));
            }
        }
        all_clear_at(&changes, &target)
    };
    let expect = (hidden - 1.0 + hold).max(on + min_on);
    let off = drive(true);
    assert!((off - expect).abs() <= 2.0, "off {off}, expected {expect}");
    // Vanished unexplained, it coasts first.
    let lost = drive(false);
    let coasted = (hidden - 1.0 + coast + hold).max(on + min_on);
    assert!(coasted > expect + 60.0);
    assert!(
        (lost - coasted).abs() <= 2.0,
        "off {lost}, expected {coasted}"
    );

    // A leader hidden 90 s short of Icheon and a follower on its path 15 min later:
    // the follower is warned as if the leader had never been seen there.
    let areas = korea();
    let entry = entry_time(&areas, &target, &states).unwrap();
    let delay = 900.0;
    let follower = delayed(&states, delay);
    let follower_on = |leader_until: f64, explain: bool| {
        let mut e = engine(cfg.clone());
        let steps = steps_of(
            &[
                (
                    7,
                    &states
                        .iter()
                        .copied()
                        .filter(|s| s.t < leader_until)
                        .collect::<Vec<_>>(),
                ),
                (8, &follower),
            ],
            0.0,
            2400,
        );
        let mut changes = Vec::new();
        for (t, snaps) in &steps {
            if explain && *t >= leader_until {
                e.explained(*t, &[7]);
            }
            changes.extend(e.step(*t, snaps));
        }
        changes
            .iter()
            .find(|c| c.change.on && *c.change.area == *target && c.change.t > delay)
            .map(|c| c.change.t)
            .expect("the follower is warned")
    };
    let short = entry - 90.0;
    let ended = follower_on(short, false);
    let explained = follower_on(short, true);
    let never = follower_on(0.0, false);
    assert!(
        ended > never + 30.0,
        "an end point delays it: {ended} vs {never}"
    );
    assert_eq!(explained, never, "a hidden leader marks no end");
}

/// Unseen waypoint turns make far entries less certain than near ones: a straight
/// flyer's target is warned later with them than without, but still with at least the
/// time to shelter, and no area the path never comes near is warned.
#[test]
fn waypoint_turn_hazard_lowers_far_confidence_only() {
    let areas = korea();
    let (states, target) = eastbound();
    let first = |leg_turns: bool| {
        let mut cfg = WarnConfig::default();
        cfg.predict.leg_turns = leg_turns;
        let changes = run(&mut engine(cfg), &steps_of(&[(7, &states)], 0.0, 900));
        (first_on(&changes, &target).expect("Icheon warned"), changes)
    };
    let (with, changes) = first(true);
    let (without, _) = first(false);
    let entry = entry_time(&areas, &target, &states).unwrap();
    let tts = areas.get(areas.by_code(&target).unwrap()).time_to_shelter_s;
    assert!(with > without, "with turns {with}, without {without}");
    assert!(entry - with >= tts, "lead {} < tts {tts}", entry - with);
    for code in ever_on(&changes) {
        let a = areas.get(areas.by_code(&code).unwrap());
        let d = states
            .iter()
            .step_by(10)
            .map(|s| distance_to_area_m(a, s.pos.lat_deg, s.pos.lon_deg))
            .fold(f64::INFINITY, f64::min);
        assert!(d < 5_000.0, "{code} warned but {d:.0} m off the path");
    }
}

/// A loitering munition circling 2 km around central Seoul for 20 minutes (its dive
/// target inside the circle). Seen as an orbit (`predict.orbits`), its corridor stays
/// on the circle: the districts it circles are warned, not every district its tangent
/// points at; without orbit detection the tangents fan out over the city.
#[test]
fn orbiting_threat_warns_the_districts_it_circles() {
    let areas = korea();
    let centre = Geodetic::new(37.5665, 126.9780, 300.0);
    let (r, v) = (2000.0, 50.0);
    let w = v / r;
    let states: Vec<State> = (0..1200)
        .map(|k| {
            let phi = (w * k as f64).to_degrees();
            State {
                t: k as f64,
                pos: centre.destination(phi, r),
                heading: phi + 90.0,
                speed: v,
                turn_rate: w,
            }
        })
        .collect();
    let warned = |orbits: bool| {
        let mut cfg = WarnConfig::default();
        cfg.predict.orbits = orbits;
        let changes = run(&mut engine(cfg), &steps_of(&[(3, &states)], 0.0, 1200));
        // Area-seconds warned and the farthest warned area's distance from the centre.
        let mut on_since = std::collections::HashMap::new();
        let mut warned_s = 0.0;
        for c in &changes {
            if c.change.on {
                on_since.insert(c.change.area.to_string(), c.change.t);
            } else if let Some(t0) = on_since.remove(&*c.change.area) {
                warned_s += c.change.t - t0;
            }
        }
        warned_s += on_since.values().map(|t0| 1200.0 - t0).sum::<f64>();
        let farthest = ever_on(&changes)
            .iter()
            .map(|code| {
                let a = areas.get(areas.by_code(code).unwrap());
                distance_to_area_m(a, centre.lat_deg, centre.lon_deg)
            })
            .fold(0.0, f64::max);
        (ever_on(&changes), warned_s, farthest)
    };
    let (with, with_s, with_far) = warned(true);
    let (without, without_s, without_far) = warned(false);
    // Measured: the same 8 districts, all within 4.7 km of the centre, either way (the
    // first 270° of turning, about three minutes, are predicted as any turn is), but
    // 6,180 area-seconds warned with orbits against 8,603 without.
    assert!(with.contains(&code_at(&areas, centre)), "{with:?}");
    assert!(with.is_subset(&without), "{with:?} vs {without:?}");
    assert!(with_far < 5000.0 && without_far < 5000.0);
    assert!(
        with_s < 0.8 * without_s,
        "{with_s:.0} area-s with orbits, {without_s:.0} without"
    );
}

/// The entry probabilities the engine exposes (`WarningPolicy::forecasts`) say when a
/// straight eastbound track enters Icheon: unlikely within a minute when it is two and
/// a half minutes out, likely within three and five (short of certain: the track may
/// yet turn at a waypoint nobody has seen); never less for a longer window; marked
/// coasting once the track is lost.
#[test]
fn forecasts_say_when_a_straight_track_enters() {
    let areas = korea();
    let (states, target) = eastbound();
    let entry = entry_time(&areas, &target, &states).expect("path enters Icheon");
    let at = (entry - 150.0).floor();
    let mut e = engine(WarnConfig::default());
    for s in states.iter().filter(|s| s.t <= at) {
        e.step(s.t, &[snap(7, s)]);
    }
    let all = e.forecasts();
    assert!(!all.is_empty());
    for f in &all {
        assert_eq!((f.t, f.track, f.coasting), (at, 7, false));
        assert!((f.p_threat - snap(7, &states[0]).p_threat).abs() < 1e-9);
        assert!(f.p_within.iter().all(|p| (0.0..=1.0).contains(p)));
        assert!(f.p_within.windows(2).all(|w| w[0] <= w[1] + 1e-12), "{f:?}");
    }
    let icheon = areas.by_code(&target).unwrap();
    let f = all
        .iter()
        .find(|f| f.area == icheon)
        .expect("Icheon forecast");
    assert!(f.p_within[0] < 0.1, "within 60 s: {:?}", f.p_within);
    assert!(f.p_within[2] > 0.75, "within 180 s: {:?}", f.p_within);
    // Lost, its last prediction carries on, counted from now: ten seconds closer.
    e.step(at + 10.0, &[]);
    let lost = e.forecasts();
    let g = lost
        .iter()
        .find(|g| g.area == icheon)
        .expect("coasting forecast");
    assert!(g.coasting && g.t == at + 10.0);
    assert!(
        g.p_within[0] >= f.p_within[0],
        "{:?} then {:?}",
        f.p_within,
        g.p_within
    );
    // The baselines predict nothing.
    let mut radius = skywatch_warn::RadiusPolicy::new(WarnConfig::default(), areas).unwrap();
    radius.step(at, &[snap(7, &states[at as usize])]);
    assert!(radius.forecasts().is_empty());
}
