//! Warning areas: the polygons people are warned for.
//!
//! An [`AreaSet`] is built from any GeoJSON FeatureCollection of Polygon/MultiPolygon
//! features in WGS84 that carry a `code` property, with optional per-area settings
//! (`time_to_shelter_s`, `population`, names in several languages as `name`,
//! `name_eng`, or `name_<lang>`). The South Korean municipalities ship embedded as the
//! default set ([`AreaSet::korea_municipalities`]); their attribution is in
//! `data/kr/README.md` and in [`KOREA_ATTRIBUTION`].
//!
//! Queries go through an R-tree over area bounding boxes, so their cost grows with the
//! number of areas *near* a point, not with the number of areas.
//!
//! This crate does no IO: callers hand it the GeoJSON text.

use std::collections::BTreeMap;
use std::sync::Arc;

use geo::{BoundingRect, Contains, Coord, MultiPolygon, Point, Polygon};
use rstar::{AABB, RTree, RTreeObject};

/// The South Korean municipalities (KOSTAT 2013, 251 si/gun/gu), embedded.
pub const KOREA_MUNICIPALITIES_GEOJSON: &str =
    include_str!("../../../data/kr/municipalities-2013.geojson");
/// The South Korean provinces (KOSTAT 2013, 17), embedded.
pub const KOREA_PROVINCES_GEOJSON: &str = include_str!("../../../data/kr/provinces-2013.geojson");
/// Attribution that must travel with the embedded Korean boundaries.
pub const KOREA_ATTRIBUTION: &str = "Boundaries: Statistics Korea (KOSTAT) census boundary data 2013, via the \
southkorea/southkorea-maps project; Korea Open Government License Type 1 (attribution).";

/// Default time to shelter when an area does not say, seconds.
pub const DEFAULT_TIME_TO_SHELTER_S: f64 = 60.0;

#[derive(Debug, thiserror::Error)]
pub enum AreaError {
    #[error("areas: not valid GeoJSON: {0}")]
    GeoJson(String),
    #[error("areas: expected a FeatureCollection")]
    NotACollection,
    #[error("areas: feature {index}: no `code` property")]
    NoCode { index: usize },
    #[error(
        "areas: feature {index} ({code}): geometry must be Polygon or MultiPolygon, found {found}"
    )]
    BadGeometry {
        index: usize,
        code: String,
        found: String,
    },
    #[error("areas: feature {index} ({code}): {what}")]
    Invalid {
        index: usize,
        code: String,
        what: String,
    },
    #[error("areas: code {0:?} is used by more than one feature")]
    DuplicateCode(String),
}

/// Index of an area within its [`AreaSet`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AreaId(pub u32);

/// One warning area.
#[derive(Debug, Clone)]
pub struct Area {
    pub code: Arc<str>,
    /// Names by language tag: `ko` from `name`, `en` from `name_eng`, others from
    /// `name_<lang>` properties.
    pub names: BTreeMap<String, String>,
    /// Seconds people need to reach shelter.
    pub time_to_shelter_s: f64,
    pub population: Option<u64>,
    /// Outline, WGS84, x = longitude and y = latitude in degrees.
    pub shape: MultiPolygon<f64>,
    /// (min lon, min lat), (max lon, max lat).
    pub bbox: ([f64; 2], [f64; 2]),
    /// Area-weighted centre, degrees (lat, lon).
    pub centroid: (f64, f64),
}

impl Area {
    /// The best name for a language, falling back to English, then Korean, then the code.
    pub fn name(&self, lang: &str) -> &str {
        self.names
            .get(lang)
            .or_else(|| self.names.get("en"))
            .or_else(|| self.names.values().next())
            .map_or(&self.code, String::as_str)
    }

    /// Whether a point lies inside the area (boundary points count as outside).
    ///
    /// # Units
    /// Degrees.
    pub fn contains(&self, lat_deg: f64, lon_deg: f64) -> bool {
        let p = Point::new(lon_deg, lat_deg);
        let (lo, hi) = self.bbox;
        p.x() >= lo[0]
            && p.x() <= hi[0]
            && p.y() >= lo[1]
            && p.y() <= hi[1]
            && self.shape.contains(&p)
    }
}

struct Entry {
    id: AreaId,
    env: AABB<[f64; 2]>,
}

impl RTreeObject for Entry {
    type Envelope = AABB<[f64; 2]>;
    fn envelope(&self) -> Self::Envelope {
        self.env
    }
}

/// A set of warning areas with a spatial index.
pub struct AreaSet {
    areas: Vec<Area>,
    tree: RTree<Entry>,
    by_code: BTreeMap<Arc<str>, AreaId>,
}

impl std::fmt::Debug for AreaSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AreaSet")
            .field("areas", &self.areas.len())
            .finish()
    }
}

impl AreaSet {
    /// Parses a GeoJSON FeatureCollection.
    pub fn from_geojson(text: &str) -> Result<AreaSet, AreaError> {
        let gj: geojson::GeoJson = text
            .parse()
            .map_err(|e: geojson::Error| AreaError::GeoJson(e.to_string()))?;
        let fc = match gj {
            geojson::GeoJson::FeatureCollection(fc) => fc,
            _ => return Err(AreaError::NotACollection),
        };
        let mut areas = Vec::with_capacity(fc.features.len());
        for (index, f) in fc.features.iter().enumerate() {
            let prop = |k: &str| f.property(k);
            let code = match prop("code") {
                Some(serde_json::Value::String(s)) => s.clone(),
                Some(serde_json::Value::Number(n)) => n.to_string(),
                _ => return Err(AreaError::NoCode { index }),
            };
            let geom = f.geometry.as_ref().ok_or_else(|| AreaError::BadGeometry {
                index,
                code: code.clone(),
                found: "none".into(),
            })?;
            let shape: MultiPolygon<f64> = match &geom.value {
                geojson::Value::Polygon(_) => {
                    let p: Polygon<f64> =
                        geom.value.clone().try_into().map_err(|e: geojson::Error| {
                            AreaError::Invalid {
                                index,
                                code: code.clone(),
                                what: e.to_string(),
                            }
                        })?;
                    MultiPolygon(vec![p])
                }
                geojson::Value::MultiPolygon(_) => {
                    geom.value.clone().try_into().map_err(|e: geojson::Error| {
                        AreaError::Invalid {
                            index,
                            code: code.clone(),
                            what: e.to_string(),
                        }
                    })?
                }
                other => {
                    return Err(AreaError::BadGeometry {
                        index,
                        code,
                        found: other.type_name().to_string(),
                    });
                }
            };
            let rect = shape.bounding_rect().ok_or_else(|| AreaError::Invalid {
                index,
                code: code.clone(),
                what: "empty geometry".into(),
            })?;
            let (lo, hi): (Coord<f64>, Coord<f64>) = (rect.min(), rect.max());
            if lo.y < -90.0 || hi.y > 90.0 || lo.x < -180.0 || hi.x > 180.0 {
                return Err(AreaError::Invalid {
                    index,
                    code,
                    what: "coordinates outside WGS84 range".into(),
                });
            }
            let centroid = {
                use geo::Centroid;
                shape
                    .centroid()
                    .map_or(((lo.y + hi.y) / 2.0, (lo.x + hi.x) / 2.0), |c| {
                        (c.y(), c.x())
                    })
            };
            let mut names = BTreeMap::new();
            if let Some(props) = &f.properties {
                for (k, v) in props {
                    let Some(s) = v.as_str() else { continue };
                    match k.as_str() {
                        "name" => {
                            names.insert("ko".to_string(), s.to_string());
                        }
                        "name_eng" => {
                            names.insert("en".to_string(), s.to_string());
                        }
                        k if k.starts_with("name_") => {
                            names.insert(k["name_".len()..].to_string(), s.to_string());
                        }
                        _ => {}
                    }
                }
            }
            let time_to_shelter_s = prop("time_to_shelter_s")
                .and_then(serde_json::Value::as_f64)
                .unwrap_or(DEFAULT_TIME_TO_SHELTER_S);
            let population = prop("population").and_then(serde_json::Value::as_u64);
            areas.push(Area {
                code: Arc::from(code.as_str()),
                names,
                time_to_shelter_s,
                population,
                shape,
                bbox: ([lo.x, lo.y], [hi.x, hi.y]),
                centroid,
            });
        }
        AreaSet::new(areas)
    }

    pub fn new(areas: Vec<Area>) -> Result<AreaSet, AreaError> {
        let mut by_code = BTreeMap::new();
        for (i, a) in areas.iter().enumerate() {
            if by_code.insert(a.code.clone(), AreaId(i as u32)).is_some() {
                return Err(AreaError::DuplicateCode(a.code.to_string()));
            }
        }
        let tree = RTree::bulk_load(
            areas
                .iter()
                .enumerate()
                .map(|(i, a)| Entry {
                    id: AreaId(i as u32),
                    env: AABB::from_corners(a.bbox.0, a.bbox.1),
                })
                .collect(),
        );
        Ok(AreaSet {
            areas,
            tree,
            by_code,
        })
    }

    /// The embedded South Korean municipalities.
    pub fn korea_municipalities() -> AreaSet {
        // The embedded file is checked by this crate's tests.
        AreaSet::from_geojson(KOREA_MUNICIPALITIES_GEOJSON).expect("embedded municipalities parse")
    }

    /// The embedded South Korean provinces.
    pub fn korea_provinces() -> AreaSet {
        AreaSet::from_geojson(KOREA_PROVINCES_GEOJSON).expect("embedded provinces parse")
    }

    pub fn len(&self) -> usize {
        self.areas.len()
    }

    pub fn is_empty(&self) -> bool {
        self.areas.is_empty()
    }

    pub fn get(&self, id: AreaId) -> &Area {
        &self.areas[id.0 as usize]
    }

    pub fn by_code(&self, code: &str) -> Option<AreaId> {
        self.by_code.get(code).copied()
    }

    pub fn iter(&self) -> impl Iterator<Item = (AreaId, &Area)> {
        self.areas
            .iter()
            .enumerate()
            .map(|(i, a)| (AreaId(i as u32), a))
    }

    /// Areas containing a point.
    ///
    /// # Units
    /// Degrees.
    pub fn containing(&self, lat_deg: f64, lon_deg: f64) -> impl Iterator<Item = AreaId> + '_ {
        self.tree
            .locate_in_envelope_intersecting(&AABB::from_point([lon_deg, lat_deg]))
            .filter(move |e| {
                self.areas[e.id.0 as usize]
                    .shape
                    .contains(&Point::new(lon_deg, lat_deg))
            })
            .map(|e| e.id)
    }

    /// Areas whose bounding box intersects a lat/lon box (a cheap candidate filter).
    ///
    /// # Units
    /// Degrees.
    pub fn near_box(
        &self,
        min_lat: f64,
        min_lon: f64,
        max_lat: f64,
        max_lon: f64,
    ) -> impl Iterator<Item = AreaId> + '_ {
        self.tree
            .locate_in_envelope_intersecting(&AABB::from_corners(
                [min_lon, min_lat],
                [max_lon, max_lat],
            ))
            .map(|e| e.id)
    }

    /// Areas whose bounding box comes within `radius_m` of a point (a candidate filter:
    /// refine with the polygon where it matters).
    ///
    /// # Units
    /// Degrees and metres.
    pub fn near(
        &self,
        lat_deg: f64,
        lon_deg: f64,
        radius_m: f64,
    ) -> impl Iterator<Item = AreaId> + '_ {
        let dlat = radius_m / 111_000.0;
        let dlon = radius_m / (111_000.0 * lat_deg.to_radians().cos().max(0.01));
        self.near_box(
            lat_deg - dlat,
            lon_deg - dlon,
            lat_deg + dlat,
            lon_deg + dlon,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn korea_municipalities_load_and_locate_known_places() {
        let set = AreaSet::korea_municipalities();
        assert_eq!(set.len(), 251);
        // Gyeongbokgung is in Jongno-gu, Chungmuro in Jung-gu (11020), the Paju city hall in Paju-si.
        let at = |lat, lon| -> Vec<String> {
            set.containing(lat, lon)
                .map(|id| set.get(id).name("en").to_string())
                .collect()
        };
        assert_eq!(at(37.5796, 126.9770), vec!["Jongno-gu".to_string()]);
        assert_eq!(at(37.5609, 126.9940), vec!["Jung-gu".to_string()]);
        assert_eq!(at(37.7599, 126.7800), vec!["Paju-si".to_string()]);
        // Open sea east of Korea: nothing.
        assert!(at(37.5, 131.5).is_empty());
        let jung = set.get(set.containing(37.5609, 126.9940).next().unwrap());
        assert_eq!(jung.name("ko"), "중구");
        assert_eq!(jung.time_to_shelter_s, DEFAULT_TIME_TO_SHELTER_S);
    }

    #[test]
    fn provinces_load() {
        let set = AreaSet::korea_provinces();
        assert_eq!(set.len(), 17);
    }

    #[test]
    fn settings_and_errors() {
        let ok = r#"{"type":"FeatureCollection","features":[{"type":"Feature",
            "properties":{"code":"A1","time_to_shelter_s":15,"population":1200,"name_fr":"Un"},
            "geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0]]]}}]}"#;
        let set = AreaSet::from_geojson(ok).unwrap();
        let a = set.get(AreaId(0));
        assert_eq!(
            (a.time_to_shelter_s, a.population, a.name("fr")),
            (15.0, Some(1200), "Un")
        );
        assert!(a.contains(0.5, 0.5) && !a.contains(1.5, 0.5));
        assert_eq!(set.near(0.5, 2.0, 200_000.0).count(), 1);
        assert_eq!(set.near(0.5, 5.0, 200_000.0).count(), 0);

        let no_code = ok.replace("\"code\":\"A1\",", "");
        assert!(
            AreaSet::from_geojson(&no_code)
                .unwrap_err()
                .to_string()
                .contains("feature 0: no `code`")
        );
        let point = r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"P"},
            "geometry":{"type":"Point","coordinates":[0,0]}}]}"#;
        assert!(
            AreaSet::from_geojson(point)
                .unwrap_err()
                .to_string()
                .contains("found Point")
        );
    }
}
