//! The per-area on/off state machine shared by every policy.
//!
//! An area goes on when `trigger` holds (and it has been off for at least `min_off_s`),
//! stays on while `support` holds, and goes off with an all-clear once nothing has
//! supported it for `hold_s` and it has been on for at least `min_on_s`. The two
//! minimum durations and the gap between the on and keep thresholds are what stop a
//! probability oscillating around a threshold from toggling the area.

/// Timing of the state machine.
///
/// # Units
/// Seconds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Timing {
    pub hold_s: f64,
    pub min_on_s: f64,
    pub min_off_s: f64,
    /// How long a trigger that is not firm must hold without a break before the area
    /// goes on (0: at once). Filters evidence that flickers: a young false track, a
    /// bird whose speed is not yet known.
    pub persist_s: f64,
}

/// What the machine did at a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transition {
    None,
    On,
    Off,
}

/// State of one area.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AreaMachine {
    on: bool,
    /// Start of the current on or off interval, seconds.
    since: f64,
    /// Last time something supported the warning, seconds.
    last_support: f64,
    /// Start of the current unbroken run of `trigger` while off, seconds.
    trigger_since: Option<f64>,
}

impl Default for AreaMachine {
    fn default() -> Self {
        AreaMachine {
            on: false,
            since: f64::NEG_INFINITY,
            last_support: f64::NEG_INFINITY,
            trigger_since: None,
        }
    }
}

impl AreaMachine {
    /// Whether the area is on.
    pub fn is_on(&self) -> bool {
        self.on
    }

    /// Whether the area is off with its trigger counting towards `persist_s`: it must
    /// then be stepped even when no evidence names it, so that a break is seen.
    pub fn is_pending(&self) -> bool {
        !self.on && self.trigger_since.is_some()
    }

    /// Advances to time `t`. `trigger`: the evidence is strong enough to switch on once
    /// it has held for `persist_s`; `firm`: strong enough without waiting (implies
    /// `trigger`); `support`: strong enough to keep on (implied by `trigger`).
    pub fn step(
        &mut self,
        t: f64,
        firm: bool,
        trigger: bool,
        support: bool,
        timing: &Timing,
    ) -> Transition {
        let trigger = trigger || firm;
        if self.on {
            if support || trigger {
                self.last_support = t;
                return Transition::None;
            }
            if t - self.last_support >= timing.hold_s && t - self.since >= timing.min_on_s {
                self.on = false;
                self.since = t;
                return Transition::Off;
            }
            Transition::None
        } else {
            if !trigger {
                self.trigger_since = None;
                return Transition::None;
            }
            let since = *self.trigger_since.get_or_insert(t);
            if (!firm && t - since < timing.persist_s) || t - self.since < timing.min_off_s {
                return Transition::None;
            }
            self.trigger_since = None;
            self.on = true;
            self.since = t;
            self.last_support = t;
            Transition::On
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TIMING: Timing = Timing {
        hold_s: 30.0,
        min_on_s: 60.0,
        min_off_s: 20.0,
        persist_s: 0.0,
    };

    impl AreaMachine {
        /// `step` with a trigger that is not firm.
        fn step_all(
            &mut self,
            t: f64,
            trigger: bool,
            support: bool,
            timing: &Timing,
        ) -> Transition {
            self.step(t, false, trigger, support, timing)
        }
    }

    #[test]
    fn on_hold_off_and_min_off() {
        let mut m = AreaMachine::default();
        assert_eq!(m.step_all(0.0, true, true, &TIMING), Transition::On);
        // Support stops at 10 s; min_on (60 s) dominates the 30 s hold.
        assert_eq!(m.step_all(10.0, false, true, &TIMING), Transition::None);
        assert_eq!(m.step_all(45.0, false, false, &TIMING), Transition::None);
        assert_eq!(m.step_all(60.0, false, false, &TIMING), Transition::Off);
        // Re-trigger too soon after the all-clear is held back.
        assert_eq!(m.step_all(70.0, true, true, &TIMING), Transition::None);
        assert_eq!(m.step_all(80.0, true, true, &TIMING), Transition::On);
    }

    #[test]
    fn trigger_must_persist_unbroken() {
        let timing = Timing {
            persist_s: 5.0,
            ..TIMING
        };
        let mut m = AreaMachine::default();
        assert_eq!(m.step_all(0.0, true, true, &timing), Transition::None);
        assert_eq!(m.step_all(4.0, true, true, &timing), Transition::None);
        // A break restarts the count.
        assert_eq!(m.step_all(5.0, false, false, &timing), Transition::None);
        assert_eq!(m.step_all(6.0, true, true, &timing), Transition::None);
        assert_eq!(m.step_all(10.0, true, true, &timing), Transition::None);
        assert_eq!(m.step_all(11.0, true, true, &timing), Transition::On);
        assert!(m.is_on());
    }

    #[test]
    fn a_firm_trigger_does_not_wait() {
        let timing = Timing {
            persist_s: 5.0,
            ..TIMING
        };
        let mut m = AreaMachine::default();
        assert_eq!(m.step(0.0, false, true, true, &timing), Transition::None);
        assert_eq!(m.step(1.0, true, true, true, &timing), Transition::On);
    }
}
