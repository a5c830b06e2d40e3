//! Where fixed bearing sensors (acoustic nodes) are listening: silence as evidence.
//!
//! An acoustic node hears engines, not wings. A low object that spends many seconds
//! close to a node that is known to be working, and is never heard by any node, is
//! unlikely to be a drone: a flock of birds on a radar looks like slow drones, but the
//! microphones under it stay quiet. The engine learns the nodes from their own reports
//! (a fixed bearing sensor's position is in every report it sends), so no registry is
//! needed and a node that has fallen silent for a long time stops counting.
//!
//! Why "reported recently" stands for "working": the v1 format has no heartbeat, and
//! acoustic networks have frequent dropouts. A node that has said nothing for
//! `listen_alive_s` may be dead, and a dead node's silence is no evidence. A node that
//! went down after its last report gives false silence until the window runs out; the
//! classifier therefore bounds how much silence can weigh (`quiet_floor`).

use nalgebra::Vector3;

use crate::index::{FxMap, Grid};

/// The fixed listeners heard so far, in a spatial hash of their positions.
#[derive(Debug, Clone)]
pub struct Listeners {
    range_m: f64,
    alive_s: f64,
    /// How long a node is remembered after its newest report (at least `alive_s`): a
    /// node idle for an hour because nothing flew near it still marks where the
    /// network is ([`Listeners::known_within`]).
    memory_s: f64,
    by_sensor: FxMap<u64, u32>,
    /// Position (ECEF) and time of the newest report, by index.
    nodes: Vec<(Vector3<f64>, f64)>,
    grid: Grid,
}

impl Listeners {
    /// # Units
    /// `range_m` metres (how close a loud object must be to count as audible);
    /// `alive_s` seconds (how long after its newest report a node counts as working).
    pub fn new(range_m: f64, alive_s: f64) -> Self {
        let range_m = if range_m.is_finite() {
            range_m.max(0.0)
        } else {
            0.0
        };
        let alive_s = if alive_s.is_finite() { alive_s } else { 0.0 };
        Listeners {
            range_m,
            alive_s,
            memory_s: alive_s,
            by_sensor: FxMap::default(),
            nodes: Vec::new(),
            grid: Grid::new(range_m.max(100.0)),
        }
    }

    /// Records a report of fixed sensor `sensor` at ECEF position `ecef`, taken at `t`.
    pub fn heard_from(&mut self, sensor: u64, ecef: &Vector3<f64>, t: f64) {
        if self.range_m <= 0.0 || !t.is_finite() {
            return;
        }
        match self.by_sensor.get(&sensor) {
            Some(&i) => {
                let node = &mut self.nodes[i as usize];
                node.1 = node.1.max(t);
                // A "fixed" sensor that moved (re-surveyed, re-mounted): index it again
                // where it is now; the stale cell entry is filtered by distance.
                if (node.0 - ecef).norm() > 100.0 {
                    node.0 = *ecef;
                    self.grid.insert(ecef, i);
                }
            }
            None => {
                let i = self.nodes.len() as u32;
                self.nodes.push((*ecef, t));
                self.by_sensor.insert(sensor, i);
                self.grid.insert(ecef, i);
            }
        }
    }

    /// True if some node that reported within the last `alive_s` before `t` is within
    /// `range_m` (slant) of `p`.
    pub fn covers(&self, p: &Vector3<f64>, t: f64) -> bool {
        self.covers_within(p, t, self.range_m)
    }

    /// True if some node that reported within the last `alive_s` before `t` is within
    /// `radius_m` (slant) of `p`.
    ///
    /// # Units
    /// `radius_m` metres, `t` seconds.
    pub fn covers_within(&self, p: &Vector3<f64>, t: f64, radius_m: f64) -> bool {
        self.range_m > 0.0 && self.any_within(p, t, radius_m, self.alive_s)
    }

    /// True if some node that reported within `max_age_s` before `t` is within
    /// `radius_m` (slant) of `p`.
    fn any_within(&self, p: &Vector3<f64>, t: f64, radius_m: f64, max_age_s: f64) -> bool {
        if self.nodes.is_empty() || radius_m.is_nan() || radius_m <= 0.0 {
            return false;
        }
        let r2 = radius_m * radius_m;
        let mut found = false;
        self.grid.query(p, radius_m, |i| {
            if !found {
                let (q, last) = self.nodes[i as usize];
                found = t - last <= max_age_s && (q - p).norm_squared() <= r2;
            }
        });
        found
    }

    /// The same listeners, remembered for `memory_s` after their newest report (never
    /// less than `alive_s`).
    ///
    /// # Units
    /// Seconds.
    pub fn with_memory(mut self, memory_s: f64) -> Self {
        if memory_s.is_finite() {
            self.memory_s = memory_s.max(self.alive_s);
        }
        self
    }

    /// True if some node that reported within the last `memory_s` before `t` is within
    /// `radius_m` (slant) of `p`: where the network is, working or idle.
    ///
    /// # Units
    /// `radius_m` metres, `t` seconds.
    pub fn known_within(&self, p: &Vector3<f64>, t: f64, radius_m: f64) -> bool {
        self.any_within(p, t, radius_m, self.memory_s)
    }

    /// Forgets the nodes silent for longer than `memory_s` before `t`, so memory follows
    /// the nodes that work, not every sensor id ever heard. O(nodes) when some are
    /// forgotten; call it now and then, not per report.
    pub fn prune(&mut self, t: f64) {
        let alive = self.memory_s;
        if self.nodes.iter().all(|n| t - n.1 <= alive) {
            return;
        }
        let mut keep: Vec<(u64, (Vector3<f64>, f64))> = self
            .by_sensor
            .iter()
            .map(|(&k, &i)| (k, self.nodes[i as usize]))
            .filter(|(_, n)| t - n.1 <= alive)
            .collect();
        // Deterministic order (hash maps iterate in no particular order).
        keep.sort_by_key(|(k, _)| *k);
        self.by_sensor.clear();
        self.nodes.clear();
        self.grid.clear();
        for (k, n) in keep {
            let i = self.nodes.len() as u32;
            self.nodes.push(n);
            self.by_sensor.insert(k, i);
            self.grid.insert(&n.0, i);
        }
    }

    /// Number of nodes known.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// True if no node is known.
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn covers_only_near_and_recently_heard_nodes() {
        let mut l = Listeners::new(1500.0, 600.0);
        let a = Vector3::new(6.0e6, 0.0, 0.0);
        l.heard_from(7, &a, 100.0);
        assert!(l.covers(&(a + Vector3::new(0.0, 1400.0, 0.0)), 200.0));
        assert!(!l.covers(&(a + Vector3::new(0.0, 1600.0, 0.0)), 200.0));
        // Silent for longer than the window: no longer counts.
        assert!(!l.covers(&a, 701.0));
        l.heard_from(7, &a, 650.0);
        assert!(l.covers(&a, 701.0));
        // Moved: counts where it is now, not where it was.
        let b = a + Vector3::new(0.0, 10_000.0, 0.0);
        l.heard_from(7, &b, 700.0);
        assert!(l.covers(&b, 701.0));
        assert!(!l.covers(&a, 701.0));
        assert_eq!(l.len(), 1);
    }

    #[test]
    fn prune_forgets_silent_nodes_and_keeps_working_ones() {
        let mut l = Listeners::new(1500.0, 600.0);
        let a = Vector3::new(6.0e6, 0.0, 0.0);
        let b = a + Vector3::new(0.0, 5000.0, 0.0);
        l.heard_from(1, &a, 0.0);
        l.heard_from(2, &b, 500.0);
        l.prune(800.0);
        assert_eq!(l.len(), 1);
        assert!(!l.covers(&a, 800.0));
        assert!(l.covers(&b, 800.0));
        // The kept node is still found and updated by its id.
        l.heard_from(2, &b, 1000.0);
        assert_eq!(l.len(), 1);
        assert!(l.covers(&b, 1500.0));
    }

    #[test]
    fn idle_nodes_still_mark_the_network_for_their_memory() {
        let mut l = Listeners::new(1500.0, 600.0).with_memory(3600.0);
        let a = Vector3::new(6.0e6, 0.0, 0.0);
        l.heard_from(1, &a, 0.0);
        l.prune(2000.0);
        let near = a + Vector3::new(0.0, 2900.0, 0.0);
        // Idle for 2,000 s: not working (its silence is no evidence) ...
        assert!(!l.covers_within(&near, 2000.0, 3000.0));
        // ... but still where the network is, within the radius asked.
        assert!(l.known_within(&near, 2000.0, 3000.0));
        assert!(!l.known_within(&near, 2000.0, 2500.0));
        // Forgotten after its memory.
        assert!(!l.known_within(&a, 3601.0, 3000.0));
        l.prune(3700.0);
        assert!(l.is_empty());
        // The memory is never shorter than the working window.
        let short = Listeners::new(1500.0, 600.0).with_memory(10.0);
        assert_eq!(short.memory_s, 600.0);
    }

    #[test]
    fn zero_range_turns_it_off() {
        let mut l = Listeners::new(0.0, 600.0);
        let a = Vector3::new(6.0e6, 0.0, 0.0);
        l.heard_from(1, &a, 0.0);
        assert!(!l.covers(&a, 1.0));
        assert!(l.is_empty());
    }
}
