//! Human texts of the messages, per language.
//!
//! Texts are kept short and plain: they end up on phone lock screens and sirens' voice
//! announcements. Every language here has the same facts: area, ETA, what to do.

/// Languages with texts, by primary subtag.
pub const SUPPORTED: &[&str] = &["ko", "en"];

/// Primary subtag of an RFC 3066 tag, lower case (`ko-KR` → `ko`).
pub fn primary(tag: &str) -> String {
    tag.split('-').next().unwrap_or("").to_ascii_lowercase()
}

/// The texts of one `info` block.
#[derive(Debug, Clone, PartialEq)]
pub struct Texts {
    pub event: String,
    pub headline: String,
    pub description: String,
    pub instruction: String,
}

/// Facts the texts state.
pub struct Facts<'a> {
    pub area_name: &'a str,
    pub eta_s: Option<f64>,
    pub time_to_shelter_s: f64,
    pub tracks: usize,
    pub exercise: bool,
    pub update: bool,
}

fn eta_en(eta_s: Option<f64>) -> String {
    match eta_s {
        Some(e) if e.is_finite() && e >= 1.0 => {
            let s = e.round() as u64;
            if s >= 60 && s.is_multiple_of(60) {
                format!("in about {} min", s / 60)
            } else if s >= 60 {
                format!("in about {} min {} s", s / 60, s % 60)
            } else {
                format!("in about {s} s")
            }
        }
        Some(e) if e.is_finite() => "now".into(),
        _ => "soon".into(),
    }
}

fn eta_ko(eta_s: Option<f64>) -> String {
    match eta_s {
        Some(e) if e.is_finite() && e >= 1.0 => {
            let s = e.round() as u64;
            if s >= 60 && s.is_multiple_of(60) {
                format!("약 {}분 후", s / 60)
            } else if s >= 60 {
                format!("약 {}분 {}초 후", s / 60, s % 60)
            } else {
                format!("약 {s}초 후")
            }
        }
        Some(e) if e.is_finite() => "지금".into(),
        _ => "곧".into(),
    }
}

/// The default `event` of a language.
pub fn default_event(lang: &str) -> &'static str {
    match lang {
        "ko" => "드론 공습 경보",
        _ => "Drone attack warning",
    }
}

/// Texts of a warning (Alert or Update) in `lang` (a primary subtag from [`SUPPORTED`]).
pub fn warning(lang: &str, event: &str, f: &Facts<'_>) -> Texts {
    let shelter = f.time_to_shelter_s.max(0.0).round() as u64;
    match lang {
        "ko" => {
            let tag = if f.exercise { "[훈련] " } else { "" };
            let upd = if f.update { " (갱신)" } else { "" };
            Texts {
                event: event.into(),
                headline: format!("{tag}{} {event}{upd}: 즉시 대피하십시오", f.area_name),
                description: format!(
                    "{tag}자폭 드론 {}대가 {} 방향으로 비행 중입니다. 도달 예상: {}.",
                    f.tracks.max(1),
                    f.area_name,
                    eta_ko(f.eta_s)
                ),
                instruction: format!(
                    "지금 즉시 가까운 대피소나 튼튼한 건물의 가장 안쪽 방으로 대피하고 창문에서 \
                     멀리 떨어지십시오 (대피 소요 시간 약 {shelter}초). 경보 해제 시까지 머무르십시오."
                ),
            }
        }
        _ => {
            let tag = if f.exercise { "[EXERCISE] " } else { "" };
            let upd = if f.update { " (update)" } else { "" };
            let n = f.tracks.max(1);
            let drones = if n == 1 {
                "One attack drone is".to_string()
            } else {
                format!("{n} attack drones are")
            };
            Texts {
                event: event.into(),
                headline: format!("{tag}{event} for {}{upd}: take shelter now", f.area_name),
                description: format!(
                    "{tag}{drones} heading for {}. Expected arrival {}.",
                    f.area_name,
                    eta_en(f.eta_s)
                ),
                instruction: format!(
                    "Go now to the nearest shelter or the innermost room of a solid building and \
                     keep away from windows (about {shelter} s needed to reach shelter). Stay \
                     there until the all-clear."
                ),
            }
        }
    }
}

/// Texts of an all-clear in `lang`.
pub fn all_clear(lang: &str, event: &str, f: &Facts<'_>) -> Texts {
    match lang {
        "ko" => {
            let tag = if f.exercise { "[훈련] " } else { "" };
            Texts {
                event: event.into(),
                headline: format!("{tag}{} {event} 해제", f.area_name),
                description: format!(
                    "{tag}{}에 대한 드론 위협이 지나갔습니다. 경보를 해제합니다.",
                    f.area_name
                ),
                instruction: "대피소에서 나오셔도 됩니다. 추가 경보에 계속 주의하고 \
                              지방자치단체의 안내를 따르십시오."
                    .into(),
            }
        }
        _ => {
            let tag = if f.exercise { "[EXERCISE] " } else { "" };
            Texts {
                event: event.into(),
                headline: format!("{tag}All clear for {}: {event} lifted", f.area_name),
                description: format!(
                    "{tag}The drone threat to {} has passed. The warning is lifted.",
                    f.area_name
                ),
                instruction: "You may leave shelter. Stay alert for further warnings and follow \
                              the instructions of local authorities."
                    .into(),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eta_texts() {
        assert_eq!(eta_en(Some(200.4)), "in about 3 min 20 s");
        assert_eq!(eta_en(Some(42.0)), "in about 42 s");
        assert_eq!(eta_en(Some(119.7)), "in about 2 min");
        assert_eq!(eta_ko(Some(120.0)), "약 2분 후");
        assert_eq!(eta_en(Some(0.0)), "now");
        assert_eq!(eta_en(None), "soon");
        assert_eq!(eta_ko(Some(200.0)), "약 3분 20초 후");
        assert_eq!(primary("ko-KR"), "ko");
        assert_eq!(primary("EN"), "en");
    }
}
