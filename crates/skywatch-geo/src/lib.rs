//! WGS84 geodesy for Skywatch.
//!
//! Everything a tracker or a warning engine needs to move between the frames sensors
//! speak in (geodetic latitude/longitude/height, range/azimuth/elevation from a sensor)
//! and the frames filters compute in (Earth-centred Earth-fixed, local east/north/up).
//!
//! This crate is pure: no IO, no clock, no allocation on the hot paths. All angles in
//! the public API are **degrees** unless a name ends in `_rad`; all lengths are
//! **metres**. Heights are above the WGS84 ellipsoid (not mean sea level).
//!
//! Why hand-written and not a crate: the ECEF/ENU conversions are a few lines of
//! closed-form maths that sit on the tracker's hottest path, and we want them inlined
//! over `nalgebra` types without conversions. Geodesics on the ellipsoid (which are
//! *not* a few lines) come from `geographiclib-rs`, a port of Karney's GeographicLib.

use geographiclib_rs::{DirectGeodesic, Geodesic, InverseGeodesic};
pub use nalgebra::{Matrix3, Vector3};

/// WGS84 semi-major axis, metres.
pub const WGS84_A: f64 = 6_378_137.0;
/// WGS84 flattening.
pub const WGS84_F: f64 = 1.0 / 298.257_223_563;
/// WGS84 semi-minor axis, metres.
pub const WGS84_B: f64 = WGS84_A * (1.0 - WGS84_F);
/// First eccentricity squared.
pub const WGS84_E2: f64 = WGS84_F * (2.0 - WGS84_F);
/// Mean Earth radius (IUGG R1), metres: for quick spherical estimates only.
pub const EARTH_MEAN_RADIUS_M: f64 = 6_371_008.8;

/// A WGS84 geodetic position.
///
/// # Units
/// `lat_deg`, `lon_deg` in degrees (north and east positive); `alt_m` in metres above
/// the WGS84 ellipsoid.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Geodetic {
    pub lat_deg: f64,
    pub lon_deg: f64,
    pub alt_m: f64,
}

impl Geodetic {
    pub const fn new(lat_deg: f64, lon_deg: f64, alt_m: f64) -> Self {
        Geodetic {
            lat_deg,
            lon_deg,
            alt_m,
        }
    }

    /// Earth-centred Earth-fixed coordinates of this point.
    ///
    /// # Units
    /// Returns metres.
    #[inline]
    pub fn to_ecef(&self) -> Vector3<f64> {
        geodetic_to_ecef(self.lat_deg, self.lon_deg, self.alt_m)
    }

    /// Geodesic (ellipsoidal) distance and forward azimuth to `other`, ignoring heights.
    ///
    /// # Units
    /// Returns `(distance_m, azimuth_deg)`, azimuth clockwise from true north in `[0, 360)`.
    /// Karney's algorithm (GeographicLib), accurate to nanometres.
    pub fn geodesic_to(&self, other: &Geodetic) -> (f64, f64) {
        let (s12, azi1, _azi2, _a12): (f64, f64, f64, f64) =
            Geodesic::wgs84().inverse(self.lat_deg, self.lon_deg, other.lat_deg, other.lon_deg);
        (s12, normalize_deg(azi1))
    }

    /// The point reached by travelling `distance_m` along the geodesic that starts here
    /// with azimuth `azimuth_deg`. The height is kept.
    ///
    /// # Units
    /// `azimuth_deg` degrees clockwise from true north, `distance_m` metres.
    /// Karney's direct problem (GeographicLib).
    pub fn destination(&self, azimuth_deg: f64, distance_m: f64) -> Geodetic {
        let (lat2, lon2): (f64, f64) =
            Geodesic::wgs84().direct(self.lat_deg, self.lon_deg, azimuth_deg, distance_m);
        Geodetic::new(lat2, normalize_lon(lon2), self.alt_m)
    }
}

/// Normalises an angle to `[0, 360)` degrees.
#[inline]
pub fn normalize_deg(a: f64) -> f64 {
    let r = a.rem_euclid(360.0);
    // rem_euclid can round up to exactly 360.0 for tiny negative inputs.
    if r >= 360.0 { 0.0 } else { r }
}

/// Normalises a longitude to `[-180, 180)` degrees.
#[inline]
pub fn normalize_lon(lon: f64) -> f64 {
    let r = (lon + 180.0).rem_euclid(360.0) - 180.0;
    if r >= 180.0 { r - 360.0 } else { r }
}

/// Signed smallest difference `a - b` between two angles, in `(-180, 180]` degrees.
///
/// This is the only correct way to compare azimuths: `359 - 1` is `-2`, not `358`.
#[inline]
pub fn angle_diff_deg(a: f64, b: f64) -> f64 {
    let d = (a - b).rem_euclid(360.0);
    if d > 180.0 { d - 360.0 } else { d }
}

/// Signed smallest difference `a - b` between two angles, in `(-pi, pi]` radians.
#[inline]
pub fn angle_diff_rad(a: f64, b: f64) -> f64 {
    let tau = std::f64::consts::TAU;
    let d = (a - b).rem_euclid(tau);
    if d > std::f64::consts::PI { d - tau } else { d }
}

/// Geodetic to Earth-centred Earth-fixed.
///
/// # Units
/// `lat_deg`, `lon_deg` degrees, `alt_m` metres above the ellipsoid; returns metres.
#[inline]
pub fn geodetic_to_ecef(lat_deg: f64, lon_deg: f64, alt_m: f64) -> Vector3<f64> {
    let (slat, clat) = lat_deg.to_radians().sin_cos();
    let (slon, clon) = lon_deg.to_radians().sin_cos();
    let n = WGS84_A / (1.0 - WGS84_E2 * slat * slat).sqrt();
    Vector3::new(
        (n + alt_m) * clat * clon,
        (n + alt_m) * clat * slon,
        (n * (1.0 - WGS84_E2) + alt_m) * slat,
    )
}

/// Earth-centred Earth-fixed to geodetic, in closed form (Heikkinen 1982, as given by
/// Zhu 1994), exact to well below a millimetre from the Earth's centre region out past
/// geostationary orbit, and without singularity at the poles.
///
/// # Units
/// `ecef` metres; returns degrees and metres above the ellipsoid.
pub fn ecef_to_geodetic(ecef: &Vector3<f64>) -> Geodetic {
    let (x, y, z) = (ecef.x, ecef.y, ecef.z);
    let a = WGS84_A;
    let b = WGS84_B;
    let e2 = WGS84_E2;
    let ep2 = (a * a - b * b) / (b * b);
    let p = (x * x + y * y).sqrt();
    if p < 1e-6 {
        // On the polar axis: latitude is +-90, longitude is conventionally 0.
        let lat = if z >= 0.0 { 90.0 } else { -90.0 };
        return Geodetic::new(lat, 0.0, z.abs() - b);
    }
    let f = 54.0 * b * b * z * z;
    let g = p * p + (1.0 - e2) * z * z - e2 * (a * a - b * b);
    let c = e2 * e2 * f * p * p / (g * g * g);
    let s = (1.0 + c + (c * c + 2.0 * c).sqrt()).cbrt();
    let k = s + 1.0 + 1.0 / s;
    let pp = f / (3.0 * k * k * g * g);
    let q = (1.0 + 2.0 * e2 * e2 * pp).sqrt();
    let r0 = -pp * e2 * p / (1.0 + q)
        + (0.5 * a * a * (1.0 + 1.0 / q)
            - pp * (1.0 - e2) * z * z / (q * (1.0 + q))
            - 0.5 * pp * p * p)
            .max(0.0)
            .sqrt();
    let t = p - e2 * r0;
    let u = (t * t + z * z).sqrt();
    let v = (t * t + (1.0 - e2) * z * z).sqrt();
    let z0 = b * b * z / (a * v);
    let h = u * (1.0 - b * b / (a * v));
    let lat = ((z + ep2 * z0) / p).atan();
    let lon = y.atan2(x);
    Geodetic::new(lat.to_degrees(), lon.to_degrees(), h)
}

/// Rotation from ECEF to local east/north/up at a geodetic latitude and longitude.
///
/// # Units
/// Degrees in; a dimensionless orthonormal matrix out. Rows are the east, north and up
/// unit vectors expressed in ECEF.
#[inline]
pub fn ecef_to_enu_rotation(lat_deg: f64, lon_deg: f64) -> Matrix3<f64> {
    let (slat, clat) = lat_deg.to_radians().sin_cos();
    let (slon, clon) = lon_deg.to_radians().sin_cos();
    Matrix3::new(
        -slon,
        clon,
        0.0,
        -slat * clon,
        -slat * slon,
        clat,
        clat * clon,
        clat * slon,
        slat,
    )
}

/// A local tangent-plane (east, north, up) frame anchored at a geodetic origin.
///
/// Cheap to copy; build one per sensor or per track and reuse it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LocalFrame {
    origin: Geodetic,
    origin_ecef: Vector3<f64>,
    /// ECEF -> ENU rotation (rows: east, north, up).
    rot: Matrix3<f64>,
}

impl LocalFrame {
    pub fn new(origin: Geodetic) -> Self {
        LocalFrame {
            origin,
            origin_ecef: origin.to_ecef(),
            rot: ecef_to_enu_rotation(origin.lat_deg, origin.lon_deg),
        }
    }

    pub fn origin(&self) -> Geodetic {
        self.origin
    }

    /// # Units
    /// Metres (ECEF position of the origin).
    pub fn origin_ecef(&self) -> Vector3<f64> {
        self.origin_ecef
    }

    /// ECEF -> ENU rotation matrix (rows east, north, up in ECEF).
    pub fn rotation(&self) -> &Matrix3<f64> {
        &self.rot
    }

    /// ECEF position to local ENU.
    ///
    /// # Units
    /// Metres in, metres out.
    #[inline]
    pub fn ecef_to_enu(&self, ecef: &Vector3<f64>) -> Vector3<f64> {
        self.rot * (ecef - self.origin_ecef)
    }

    /// Local ENU to ECEF position.
    ///
    /// # Units
    /// Metres in, metres out.
    #[inline]
    pub fn enu_to_ecef(&self, enu: &Vector3<f64>) -> Vector3<f64> {
        self.rot.transpose() * enu + self.origin_ecef
    }

    /// A direction (velocity, offset) from ECEF axes to ENU axes, without translation.
    #[inline]
    pub fn ecef_vec_to_enu(&self, v: &Vector3<f64>) -> Vector3<f64> {
        self.rot * v
    }

    /// A direction (velocity, offset) from ENU axes to ECEF axes, without translation.
    #[inline]
    pub fn enu_vec_to_ecef(&self, v: &Vector3<f64>) -> Vector3<f64> {
        self.rot.transpose() * v
    }

    /// Geodetic position to local ENU.
    ///
    /// # Units
    /// Degrees/metres in, metres out.
    #[inline]
    pub fn geodetic_to_enu(&self, p: &Geodetic) -> Vector3<f64> {
        self.ecef_to_enu(&p.to_ecef())
    }

    /// Local ENU to geodetic position.
    ///
    /// # Units
    /// Metres in, degrees/metres out.
    #[inline]
    pub fn enu_to_geodetic(&self, enu: &Vector3<f64>) -> Geodetic {
        ecef_to_geodetic(&self.enu_to_ecef(enu))
    }

    /// Azimuth, elevation and slant range from this frame's origin to an ECEF point.
    #[inline]
    pub fn aer_of_ecef(&self, ecef: &Vector3<f64>) -> Aer {
        Aer::from_enu(&self.ecef_to_enu(ecef))
    }

    /// ECEF point at a given azimuth, elevation and slant range from the origin.
    #[inline]
    pub fn ecef_of_aer(&self, aer: &Aer) -> Vector3<f64> {
        self.enu_to_ecef(&aer.to_enu())
    }
}

/// Azimuth, elevation, slant range: how a sensor sees a point.
///
/// # Units
/// `az_deg` clockwise from true north in `[0, 360)`; `el_deg` above the local
/// horizontal plane (normal to the ellipsoid normal) in `[-90, 90]`; `range_m` metres.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Aer {
    pub az_deg: f64,
    pub el_deg: f64,
    pub range_m: f64,
}

impl Aer {
    /// From a local ENU offset.
    ///
    /// # Units
    /// Metres in.
    #[inline]
    pub fn from_enu(enu: &Vector3<f64>) -> Aer {
        let horiz = (enu.x * enu.x + enu.y * enu.y).sqrt();
        let range_m = enu.norm();
        let az_deg = if horiz > 0.0 {
            normalize_deg(enu.x.atan2(enu.y).to_degrees())
        } else {
            0.0
        };
        let el_deg = enu.z.atan2(horiz).to_degrees();
        Aer {
            az_deg,
            el_deg,
            range_m,
        }
    }

    /// To a local ENU offset.
    ///
    /// # Units
    /// Metres out.
    #[inline]
    pub fn to_enu(&self) -> Vector3<f64> {
        let (se, ce) = self.el_deg.to_radians().sin_cos();
        let (sa, ca) = self.az_deg.to_radians().sin_cos();
        Vector3::new(
            self.range_m * ce * sa,
            self.range_m * ce * ca,
            self.range_m * se,
        )
    }
}

/// Azimuth, elevation and slant range from `from` to `to`.
///
/// # Units
/// See [`Aer`].
pub fn aer_between(from: &Geodetic, to: &Geodetic) -> Aer {
    LocalFrame::new(*from).aer_of_ecef(&to.to_ecef())
}

/// Horizontal distance between two nearby points on a sphere of the mean Earth radius,
/// flat at their mean latitude (equirectangular): for points a few kilometres apart,
/// where it is within 0.5 % of [`Geodetic::geodesic_to`] and costs one cosine. Two
/// points either side of the antimeridian are as near as they are.
///
/// # Units
/// Degrees in, metres out.
#[inline]
pub fn flat_distance_m(lat1_deg: f64, lon1_deg: f64, lat2_deg: f64, lon2_deg: f64) -> f64 {
    let m_per_deg = EARTH_MEAN_RADIUS_M * std::f64::consts::PI / 180.0;
    let kx = m_per_deg * (0.5 * (lat1_deg + lat2_deg)).to_radians().cos();
    let mut dlon = lon2_deg - lon1_deg;
    if dlon > 180.0 {
        dlon -= 360.0;
    } else if dlon < -180.0 {
        dlon += 360.0;
    }
    ((lat2_deg - lat1_deg) * m_per_deg).hypot(dlon * kx)
}

/// Radius of curvature of the ellipsoid in the prime vertical at a latitude.
///
/// # Units
/// Degrees in, metres out.
#[inline]
pub fn prime_vertical_radius(lat_deg: f64) -> f64 {
    let s = lat_deg.to_radians().sin();
    WGS84_A / (1.0 - WGS84_E2 * s * s).sqrt()
}

/// Radar horizon: the greatest ground range at which a target at `target_alt_m` is above
/// the horizon of a sensor at `sensor_alt_m`, under standard refraction (4/3 Earth).
///
/// # Units
/// Heights in metres above the surface; returns metres. Spherical approximation with the
/// effective radius `4/3 * EARTH_MEAN_RADIUS_M`, as in radar practice (Skolnik).
#[inline]
pub fn radar_horizon_m(sensor_alt_m: f64, target_alt_m: f64) -> f64 {
    let re = 4.0 / 3.0 * EARTH_MEAN_RADIUS_M;
    (2.0 * re * sensor_alt_m.max(0.0)).sqrt() + (2.0 * re * target_alt_m.max(0.0)).sqrt()
}

#[cfg(test)]
mod tests;
