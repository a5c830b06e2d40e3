//! The simulation loop: advance every object one second, write truth, let every sensor
//! look at the second just flown, release the reports that can no longer be overtaken.

use std::path::Path;

use rand::Rng;
use skywatch_areas::{AreaSet, KOREA_MUNICIPALITIES_GEOJSON};
use skywatch_geo::{Geodetic, aer_between, angle_diff_deg, normalize_deg, radar_horizon_m};
use skywatch_model::TruthClass;
use skywatch_scenario::{
    GeoPoint, JsonlWriter, ScenarioMeta, SensorKind, SensorSpec, TruthRecord, WireReport, files,
    format_icao,
};

use crate::emit::{Emitter, Source};
use crate::motion::{Sample, SimObject, flat_dist_bearing};
use crate::rng::{Purpose, Streams, normal, poisson, poisson_times, uniform};
use crate::scene::{AcousticNet, AdsbReceiver, Radar, build_objects, offset};
use crate::spec::{AreasChoice, LatencySpec, ObserverSpec, Spec};
use crate::{Progress, SimError, Summary};

/// Probability of false alarm per resolution cell of the radars; with Swerling-1
/// targets `Pd = Pfa^(1 / (1 + SNR))`.
const RADAR_PFA: f64 = 1e-6;
/// Observers stand a little above the ellipsoid, metres.
const OBSERVER_ALT_M: f64 = 30.0;

fn r(x: f64, digits: i32) -> f64 {
    let k = 10f64.powi(digits);
    (x * k).round() / k
}

fn latency(rng: &mut impl Rng, l: &LatencySpec) -> f64 {
    l.base_s + l.jitter_s * rng.r#gen::<f64>()
}

struct Live {
    prev: Sample,
    cur: Sample,
    /// Active during the whole of the last simulated second (both ends known).
    both: bool,
}

/// Runs the simulation of `spec` with `seed` into `out` (created if needed).
pub fn run(
    spec: &Spec,
    seed: u64,
    out: &Path,
    progress: &mut dyn Progress,
) -> Result<Summary, SimError> {
    spec.check()?;
    std::fs::create_dir_all(out).map_err(|e| SimError::io(out, e))?;
    let streams = Streams::new(seed);
    let need_land = spec
        .acoustic
        .as_ref()
        .is_some_and(|a| a.grids.iter().any(|g| g.land_only))
        || spec.observers.as_ref().is_some_and(|o| o.land_only);
    let land = need_land.then(AreaSet::korea_municipalities);

    let radars: Vec<Radar> = spec
        .radars
        .iter()
        .map(|r| Radar::new(r, &streams))
        .collect();
    let acoustic = spec
        .acoustic
        .as_ref()
        .map(|a| AcousticNet::new(a, spec.duration_s, &streams, land.as_ref()));
    let receivers: Vec<AdsbReceiver> = spec.adsb.iter().map(AdsbReceiver::new).collect();
    let loud = spec
        .acoustic
        .as_ref()
        .map_or(2.0, |a| a.aircraft_range_factor);
    let mut objects = build_objects(spec, &streams, loud);
    tracing::info!(
        objects = objects.len(),
        radars = radars.len(),
        acoustic_nodes = acoustic.as_ref().map_or(0, |a| a.nodes.len()),
        adsb_receivers = receivers.len(),
        "Scene built."
    );

    write_meta(spec, out, &radars, acoustic.as_ref(), &receivers)?;
    if spec.areas == Some(AreasChoice::KrMunicipalities) {
        let p = out.join(files::AREAS);
        std::fs::write(&p, KOREA_MUNICIPALITIES_GEOJSON).map_err(|e| SimError::io(&p, e))?;
    }

    // Pre-roll objects that started before t = 0 (traffic already in the air).
    for o in objects.iter_mut() {
        let mut k = o.start_step;
        while k < 0 && !o.finished {
            o.advance(1.0);
            k += 1;
        }
    }
    objects.retain(|o| !(o.start_step < 0 && o.finished));
    let mut live: Vec<Option<Live>> = objects.iter().map(|_| None).collect();

    let mut truth = JsonlWriter::<TruthRecord>::create(&out.join(files::TRUTH))?;
    let mut emit = Emitter::create(&out.join(files::REPORTS), &out.join(files::LABELS))?;
    let fakes = spec
        .observers
        .as_ref()
        .map(|o| {
            poisson_times(
                &mut streams.rng(Purpose::Fake, 0, 0, 0),
                o.fake_per_hour / 3600.0,
                spec.duration_s,
            )
        })
        .unwrap_or_default();
    let fake_region = spec
        .observers
        .as_ref()
        .and_then(|o| o.fake_region)
        .unwrap_or_else(|| sensor_bounds(spec));
    let mut next_fake = 0usize;
    let mut next_false = 0usize;

    let steps = spec.duration_s.ceil() as i64;
    progress.start(spec.duration_s);
    let mut scratch = Vec::new();
    let mut truth_lines = 0u64;
    // Activate and write truth at t = 0.
    activate(&mut objects, &mut live, 0);
    truth_lines += write_truth(&mut truth, &objects, &live, 0.0)?;
    for k in 0..steps {
        let t0 = k as f64;
        let t1 = t0 + 1.0;
        for (o, l) in objects.iter_mut().zip(live.iter_mut()) {
            if let Some(l) = l {
                o.advance(1.0);
                l.prev = l.cur;
                l.cur = Sample::of(&o.state);
                l.both = true;
            }
        }
        activate(&mut objects, &mut live, k + 1);
        if t1 <= spec.duration_s {
            truth_lines += write_truth(&mut truth, &objects, &live, t1)?;
        }

        for (o, l) in objects.iter().zip(live.iter()) {
            let Some(l) = l else { continue };
            if !l.both {
                continue;
            }
            for radar in radars.iter().filter(|r| !r.spec.down(t0)) {
                radar_look(radar, o, l, k, &streams, &mut emit);
            }
            if let Some(net) = &acoustic {
                acoustic_listen(net, o, l, k, &streams, &mut emit, &mut scratch);
            }
            if let Some(a) = &o.adsb {
                let f = a.phase;
                let t = t0 + f;
                let pos = l.prev.lerp(&l.cur, f);
                for rcv in &receivers {
                    adsb_receive(rcv, o, l, t, pos, k, &streams, &mut emit);
                }
            }
            if let Some(obs) = &spec.observers {
                observe(obs, o, l, k, &streams, land.as_ref(), &mut emit);
            }
        }
        for radar in radars.iter().filter(|r| !r.spec.down(t0)) {
            radar_clutter(radar, k, &streams, &mut emit);
        }
        if let Some(net) = &acoustic {
            while next_false < net.false_events.len() && net.false_events[next_false].0 < t1 {
                let (t, ni) = net.false_events[next_false];
                next_false += 1;
                acoustic_false(net, ni as usize, t, next_false as u64, &streams, &mut emit);
            }
        }
        if let Some(obs) = &spec.observers {
            while next_fake < fakes.len() && fakes[next_fake] < t1 {
                let t = fakes[next_fake];
                observer_fake(
                    obs,
                    t,
                    next_fake as u64,
                    fake_region,
                    &streams,
                    land.as_ref(),
                    &mut emit,
                );
                next_fake += 1;
            }
        }
        // Objects that ended this second leave after their last truth sample.
        for (o, l) in objects.iter().zip(live.iter_mut()) {
            if o.finished {
                *l = None;
            }
        }
        emit.flush_before(t1)?;
        progress.advance(t1.min(spec.duration_s), emit.counts.total);
    }
    truth.finish()?;
    let counts = emit.finish()?;
    progress.finish();
    let mut objects_by_class = std::collections::BTreeMap::new();
    for o in &objects {
        *objects_by_class.entry(o.class.as_str()).or_insert(0u64) += 1;
    }
    Ok(Summary {
        counts,
        truth_lines,
        objects_by_class,
        sensors: radars.len() + acoustic.as_ref().map_or(0, |a| a.nodes.len()) + receivers.len(),
    })
}

fn activate(objects: &mut [SimObject], live: &mut [Option<Live>], step: i64) {
    for (o, l) in objects.iter().zip(live.iter_mut()) {
        if l.is_none() && !o.finished && o.start_step.max(0) == step {
            let s = Sample::of(&o.state);
            *l = Some(Live {
                prev: s,
                cur: s,
                both: false,
            });
        }
    }
}

fn write_truth(
    w: &mut JsonlWriter<TruthRecord>,
    objects: &[SimObject],
    live: &[Option<Live>],
    t: f64,
) -> Result<u64, SimError> {
    let mut n = 0;
    for (o, l) in objects.iter().zip(live) {
        let Some(l) = l else { continue };
        let s = &l.cur;
        w.write(&TruthRecord {
            t,
            id: o.id.to_string(),
            class: o.class.as_str().to_string(),
            lat: r(s.lat, 7),
            lon: r(s.lon, 7),
            alt_m: r(s.alt, 1),
            vn: r(s.vel.vn, 2),
            ve: r(s.vel.ve, 2),
            vu: r(s.vel.vu, 2),
        })?;
        n += 1;
    }
    Ok(n)
}

/// Bounding box of the fixed sensors, as `[[south, west], [north, east]]`.
fn sensor_bounds(spec: &Spec) -> [[f64; 2]; 2] {
    let mut pts: Vec<[f64; 2]> = spec.radars.iter().map(|r| [r.lat, r.lon]).collect();
    pts.extend(spec.adsb.iter().map(|a| [a.lat, a.lon]));
    if let Some(a) = &spec.acoustic {
        for g in &a.grids {
            pts.push([g.lat[0], g.lon[0]]);
            pts.push([g.lat[1], g.lon[1]]);
        }
        pts.extend(a.nodes.iter().copied());
    }
    if pts.is_empty() {
        return [[37.4, 126.6], [37.8, 127.2]];
    }
    let mut b = [[f64::MAX, f64::MAX], [f64::MIN, f64::MIN]];
    for p in pts {
        b[0][0] = b[0][0].min(p[0]);
        b[0][1] = b[0][1].min(p[1]);
        b[1][0] = b[1][0].max(p[0]);
        b[1][1] = b[1][1].max(p[1]);
    }
    b
}

fn write_meta(
    spec: &Spec,
    out: &Path,
    radars: &[Radar],
    acoustic: Option<&AcousticNet>,
    receivers: &[AdsbReceiver],
) -> Result<(), SimError> {
    let mut meta = ScenarioMeta::new(&spec.name, &spec.epoch, spec.duration_s);
    for rd in radars {
        let s = &rd.spec;
        meta.sensors.push(SensorSpec {
            id: s.id.clone(),
            kind: SensorKind::Radar,
            lat: s.lat,
            lon: s.lon,
            alt_m: s.alt_m,
            max_range_m: Some(s.max_range_m),
            scan_period_s: Some(s.scan_period_s),
            sd_range_m: Some(s.sd_range_m),
            sd_az_deg: Some(s.sd_az_deg),
            sd_el_deg: s.sd_el_deg,
        });
    }
    if let Some(net) = acoustic {
        for n in &net.nodes {
            meta.sensors.push(SensorSpec {
                id: n.id.clone(),
                kind: SensorKind::Acoustic,
                lat: n.pos.lat_deg,
                lon: n.pos.lon_deg,
                alt_m: n.pos.alt_m,
                max_range_m: Some(net.spec.range_m),
                scan_period_s: None,
                sd_range_m: None,
                sd_az_deg: Some(n.sd_az_deg),
                sd_el_deg: Some(net.spec.sd_el_deg),
            });
        }
    }
    for rc in receivers {
        let s = &rc.spec;
        meta.sensors.push(SensorSpec {
            id: s.id.clone(),
            kind: SensorKind::Adsb,
            lat: s.lat,
            lon: s.lon,
            alt_m: s.alt_m,
            max_range_m: Some(s.max_range_m),
            scan_period_s: None,
            sd_range_m: None,
            sd_az_deg: None,
            sd_el_deg: None,
        });
    }
    let centre = match spec.centre {
        Some(c) => [c[0], c[1]],
        None if !meta.sensors.is_empty() => {
            let n = meta.sensors.len() as f64;
            [
                meta.sensors.iter().map(|s| s.lat).sum::<f64>() / n,
                meta.sensors.iter().map(|s| s.lon).sum::<f64>() / n,
            ]
        }
        None => [37.5, 127.0],
    };
    meta.centre = Some(GeoPoint {
        lat: r(centre[0], 6),
        lon: r(centre[1], 6),
        alt_m: 0.0,
    });
    let path = out.join(files::SCENARIO);
    meta.write(&path)?;
    // Read it back through the reader every consumer uses: a bad epoch or sensor is
    // reported now, naming the file, rather than by the first consumer.
    ScenarioMeta::read(&path)?;
    Ok(())
}

/// Plots of one object by one radar during second `k`: one per beam crossing of the
/// object's azimuth, subject to range, the 4/3-earth horizon and the detection
/// probability of a Swerling-1 target.
fn radar_look(
    radar: &Radar,
    o: &SimObject,
    l: &Live,
    k: i64,
    streams: &Streams,
    emit: &mut Emitter,
) {
    let s = &radar.spec;
    let (d, _) = flat_dist_bearing(radar.pos.lat_deg, radar.pos.lon_deg, l.prev.lat, l.prev.lon);
    if d > s.max_range_m + 2000.0 {
        return;
    }
    let p0 = Geodetic::new(l.prev.lat, l.prev.lon, l.prev.alt);
    let p1 = Geodetic::new(l.cur.lat, l.cur.lon, l.cur.alt);
    let az0 = radar.frame.aer_of_ecef(&p0.to_ecef()).az_deg;
    let az1 = radar.frame.aer_of_ecef(&p1.to_ecef()).az_deg;
    let t0 = k as f64;
    // g(t) = beam − target azimuth, unwrapped; each multiple of 360 crossed is a hit.
    let g0 = radar.beam_deg(t0) - az0;
    let g1 = radar.beam_deg(t0 + 1.0) - (az0 + angle_diff_deg(az1, az0));
    if g1 <= g0 {
        return;
    }
    let n0 = (g0 / 360.0).floor() as i64;
    let n1 = (g1 / 360.0).floor() as i64;
    for m in n0 + 1..=n1 {
        let f = ((m as f64 * 360.0 - g0) / (g1 - g0)).clamp(0.0, 1.0);
        let t = t0 + f;
        let pos = l.prev.lerp(&l.cur, f);
        let aer = radar.frame.aer_of_ecef(&pos.to_ecef());
        if aer.range_m > s.max_range_m || aer.range_m < 200.0 {
            continue;
        }
        let ground = aer.range_m * aer.el_deg.to_radians().cos();
        if ground > radar_horizon_m(s.alt_m, pos.alt_m) {
            continue;
        }
        let mut rng = streams.rng(
            Purpose::Radar,
            radar.key,
            o.key,
            (k as u64) << 3 | (m - n0) as u64,
        );
        // SNR ∝ σ / R⁴, scaled so a 1 m² target at r50 has Pd = 0.5.
        let snr50 = RADAR_PFA.ln() / 0.5f64.ln() - 1.0;
        let snr = snr50 * o.rcs_m2 * (s.r50_1m2_m / aer.range_m).powi(4);
        let pd = RADAR_PFA.powf(1.0 / (1.0 + snr));
        if rng.r#gen::<f64>() >= pd {
            continue;
        }
        let mut w = WireReport {
            sensor: s.id.clone(),
            kind: "radar".into(),
            range_m: Some(r(aer.range_m + normal(&mut rng, s.sd_range_m), 1)),
            az_deg: Some(r(
                normalize_deg(aer.az_deg + normal(&mut rng, s.sd_az_deg)),
                3,
            )),
            sd_range_m: Some(s.sd_range_m),
            sd_az_deg: Some(s.sd_az_deg),
            snr_db: Some(r(10.0 * snr.log10() + normal(&mut rng, 1.5), 1)),
            ..WireReport::default()
        };
        if let Some(sd_el) = s.sd_el_deg {
            w.el_deg = Some(r(
                (aer.el_deg + normal(&mut rng, sd_el)).clamp(-90.0, 90.0),
                3,
            ));
            w.sd_el_deg = Some(sd_el);
        }
        let rx = t + latency(&mut rng, &s.latency);
        emit.push(Source::Radar, t, rx, w, Some(o.id.clone()));
    }
}

/// False plots of one radar during second `k`: Poisson, each where the beam points.
fn radar_clutter(radar: &Radar, k: i64, streams: &Streams, emit: &mut Emitter) {
    let s = &radar.spec;
    let mut rng = streams.rng(Purpose::Clutter, radar.key, 0, k as u64);
    let n = poisson(&mut rng, s.clutter_per_scan / s.scan_period_s);
    for _ in 0..n {
        let t = k as f64 + rng.r#gen::<f64>();
        let az = normalize_deg(radar.beam_deg(t) + normal(&mut rng, s.sd_az_deg));
        // Ground clutter and angels crowd the near ranges.
        let u: f64 = rng.r#gen();
        let range = 1000.0 + (s.max_range_m - 1000.0).max(0.0) * u * u;
        let mut w = WireReport {
            sensor: s.id.clone(),
            kind: "radar".into(),
            range_m: Some(r(range, 1)),
            az_deg: Some(r(az, 3)),
            sd_range_m: Some(s.sd_range_m),
            sd_az_deg: Some(s.sd_az_deg),
            snr_db: Some(r(13.0 + 3.0 * rng.r#gen::<f64>(), 1)),
            ..WireReport::default()
        };
        if let Some(sd_el) = s.sd_el_deg {
            w.el_deg = Some(r(rng.gen_range(0.0..2.0), 3));
            w.sd_el_deg = Some(sd_el);
        }
        let rx = t + latency(&mut rng, &s.latency);
        emit.push(Source::Radar, t, rx, w, None);
    }
}

fn acoustic_listen(
    net: &AcousticNet,
    o: &SimObject,
    l: &Live,
    k: i64,
    streams: &Streams,
    emit: &mut Emitter,
    scratch: &mut Vec<u32>,
) {
    if o.loudness <= 0.0 {
        return;
    }
    let spec = &net.spec;
    let reach = spec.range_m * o.loudness;
    if l.prev.alt > reach {
        return;
    }
    net.near(l.prev.lat, l.prev.lon, reach, scratch);
    let t0 = k as f64;
    for &ni in scratch.iter() {
        let node = &net.nodes[ni as usize];
        let (dh, _) = flat_dist_bearing(node.pos.lat_deg, node.pos.lon_deg, l.prev.lat, l.prev.lon);
        let slant = dh.hypot(l.prev.alt - node.pos.alt_m);
        if slant > reach || node.offline(t0) {
            continue;
        }
        let mut rng = streams.rng(Purpose::Acoustic, node.key, o.key, k as u64);
        // Detection fades towards the edge of audibility.
        let pd = spec.pd * (1.0 - (slant / reach).powi(2));
        if rng.r#gen::<f64>() >= pd {
            continue;
        }
        let f: f64 = rng.r#gen();
        let t = t0 + f;
        let pos = l.prev.lerp(&l.cur, f);
        let aer = node.frame.aer_of_ecef(&pos.to_ecef());
        let class = match o.class {
            TruthClass::Drone | TruthClass::Decoy => {
                if rng.r#gen::<f64>() < 0.8 {
                    "drone"
                } else {
                    "unknown"
                }
            }
            _ => {
                let u: f64 = rng.r#gen();
                if u < 0.6 {
                    "aircraft"
                } else if u < 0.7 {
                    "drone"
                } else {
                    "unknown"
                }
            }
        };
        let w = WireReport {
            sensor: node.id.clone(),
            kind: "bearing".into(),
            az_deg: Some(r(
                normalize_deg(aer.az_deg + normal(&mut rng, node.sd_az_deg)),
                2,
            )),
            sd_az_deg: Some(node.sd_az_deg),
            el_deg: Some(r(
                (aer.el_deg + normal(&mut rng, spec.sd_el_deg)).clamp(-90.0, 90.0),
                2,
            )),
            sd_el_deg: Some(spec.sd_el_deg),
            class: Some(class.into()),
            ..WireReport::default()
        };
        let mut rx = t + latency(&mut rng, &spec.latency);
        if rng.r#gen::<f64>() < spec.p_late {
            rx += uniform(&mut rng, spec.late_s);
        }
        emit.push(Source::Acoustic, t, rx, w, Some(o.id.clone()));
    }
}

fn acoustic_false(
    net: &AcousticNet,
    ni: usize,
    t: f64,
    n: u64,
    streams: &Streams,
    emit: &mut Emitter,
) {
    let node = &net.nodes[ni];
    if node.offline(t) {
        return;
    }
    let mut rng = streams.rng(Purpose::Acoustic, node.key, 0, n);
    let w = WireReport {
        sensor: node.id.clone(),
        kind: "bearing".into(),
        az_deg: Some(r(rng.gen_range(0.0..360.0), 2)),
        sd_az_deg: Some(node.sd_az_deg),
        el_deg: Some(r(rng.gen_range(0.0..40.0), 2)),
        sd_el_deg: Some(net.spec.sd_el_deg),
        class: Some(
            if rng.r#gen::<bool>() {
                "drone"
            } else {
                "unknown"
            }
            .into(),
        ),
        ..WireReport::default()
    };
    let rx = t + latency(&mut rng, &net.spec.latency);
    emit.push(Source::Acoustic, t, rx, w, None);
}

#[allow(clippy::too_many_arguments)]
fn adsb_receive(
    rcv: &AdsbReceiver,
    o: &SimObject,
    l: &Live,
    t: f64,
    pos: Geodetic,
    k: i64,
    streams: &Streams,
    emit: &mut Emitter,
) {
    let s = &rcv.spec;
    let Some(a) = &o.adsb else { return };
    let (d, _) = flat_dist_bearing(s.lat, s.lon, pos.lat_deg, pos.lon_deg);
    if d > s.max_range_m || d > radar_horizon_m(s.alt_m, pos.alt_m) {
        return;
    }
    let mut rng = streams.rng(Purpose::Adsb, rcv.key, o.key, k as u64);
    if rng.r#gen::<f64>() < s.p_loss {
        return;
    }
    let p = offset(
        [pos.lat_deg, pos.lon_deg],
        normal(&mut rng, s.sd_pos_m),
        normal(&mut rng, s.sd_pos_m),
    );
    let f = t - k as f64;
    let v = |a: f64, b: f64| a + (b - a) * f;
    // Barometric altitude comes in 25 ft steps.
    let alt = (pos.alt_m / 7.62).round() * 7.62;
    let w = WireReport {
        sensor: s.id.clone(),
        kind: "adsb".into(),
        icao: Some(format_icao(a.icao)),
        callsign: Some(a.callsign.clone()),
        lat: Some(r(p[0], 7)),
        lon: Some(r(p[1], 7)),
        alt_m: Some(r(alt, 1)),
        vn: Some(r(v(l.prev.vel.vn, l.cur.vel.vn) + normal(&mut rng, 0.3), 1)),
        ve: Some(r(v(l.prev.vel.ve, l.cur.vel.ve) + normal(&mut rng, 0.3), 1)),
        vu: Some(r(v(l.prev.vel.vu, l.cur.vel.vu) + normal(&mut rng, 0.2), 1)),
        ..WireReport::default()
    };
    let rx = t + latency(&mut rng, &s.latency);
    emit.push(Source::Adsb, t, rx, w, Some(o.id.clone()));
}

fn on_land(land: Option<&AreaSet>, p: [f64; 2]) -> bool {
    land.is_none_or(|a| a.containing(p[0], p[1]).next().is_some())
}

/// A person near the object points a phone at it: late, noisy, from their own position.
fn observe(
    spec: &ObserverSpec,
    o: &SimObject,
    l: &Live,
    k: i64,
    streams: &Streams,
    land: Option<&AreaSet>,
    emit: &mut Emitter,
) {
    let rate = match o.class {
        TruthClass::Drone | TruthClass::Decoy => spec.rate_per_min,
        TruthClass::Aircraft if l.prev.alt < 3000.0 => spec.aircraft_rate_per_min,
        _ => return,
    } / 60.0;
    let mut rng = streams.rng(Purpose::Observer, o.key, 0, k as u64);
    if rng.r#gen::<f64>() >= rate {
        return;
    }
    let f: f64 = rng.r#gen();
    let t = k as f64 + f;
    let pos = l.prev.lerp(&l.cur, f);
    let dist = rng.gen_range(300.0..spec.radius_m.max(301.0));
    let brg: f64 = rng.gen_range(0.0..360.0);
    let from = offset(
        [pos.lat_deg, pos.lon_deg],
        dist * brg.to_radians().cos(),
        dist * brg.to_radians().sin(),
    );
    if spec.land_only && !on_land(land, from) {
        return;
    }
    let at = Geodetic::new(from[0], from[1], OBSERVER_ALT_M);
    let true_az = aer_between(&at, &pos).az_deg;
    let sd = uniform(&mut rng, spec.sd_az_deg);
    let u: f64 = rng.r#gen();
    let class = match o.class {
        TruthClass::Aircraft => {
            if u < 0.5 {
                "aircraft"
            } else if u < 0.8 {
                "drone"
            } else {
                "unknown"
            }
        }
        _ => {
            if u < spec.p_class_correct {
                "drone"
            } else if u < spec.p_class_correct + (1.0 - spec.p_class_correct) / 2.0 {
                "aircraft"
            } else {
                "unknown"
            }
        }
    };
    // The phone's GPS is off by some metres.
    let gps = offset(from, normal(&mut rng, 8.0), normal(&mut rng, 8.0));
    let w = WireReport {
        sensor: format!("obs-{:06}", rng.gen_range(0..1_000_000u32)),
        kind: "bearing".into(),
        from_lat: Some(r(gps[0], 7)),
        from_lon: Some(r(gps[1], 7)),
        from_alt_m: Some(OBSERVER_ALT_M),
        az_deg: Some(r(normalize_deg(true_az + normal(&mut rng, sd)), 1)),
        sd_az_deg: Some(r(sd, 1)),
        class: Some(class.into()),
        ..WireReport::default()
    };
    let rx = t + uniform(&mut rng, spec.delay_s);
    emit.push(Source::Observer, t, rx, w, Some(o.id.clone()));
}

/// A fake or mistaken report with nothing there.
fn observer_fake(
    spec: &ObserverSpec,
    t: f64,
    n: u64,
    region: [[f64; 2]; 2],
    streams: &Streams,
    land: Option<&AreaSet>,
    emit: &mut Emitter,
) {
    let mut rng = streams.rng(Purpose::Fake, 1, n, 0);
    let mut from = None;
    for _ in 0..20 {
        let p = [
            uniform(&mut rng, [region[0][0], region[1][0]]),
            uniform(&mut rng, [region[0][1], region[1][1]]),
        ];
        if !spec.land_only || on_land(land, p) {
            from = Some(p);
            break;
        }
    }
    let Some(from) = from else { return };
    let w = WireReport {
        sensor: format!("obs-{:06}", rng.gen_range(0..1_000_000u32)),
        kind: "bearing".into(),
        from_lat: Some(r(from[0], 7)),
        from_lon: Some(r(from[1], 7)),
        from_alt_m: Some(OBSERVER_ALT_M),
        az_deg: Some(r(rng.gen_range(0.0..360.0), 1)),
        sd_az_deg: Some(r(uniform(&mut rng, spec.sd_az_deg), 1)),
        class: Some("drone".into()),
        ..WireReport::default()
    };
    let rx = t + uniform(&mut rng, spec.delay_s);
    emit.push(Source::Observer, t, rx, w, None);
}
