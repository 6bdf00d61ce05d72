// Geo math on WGS84 degrees: great-circle distance and the bounding box that
// contains every point within a radius (used to narrow candidates before the
// exact distance decides).
#pragma once

#include <algorithm>
#include <cmath>
#include <numbers>

namespace carefinder::geo {

inline constexpr double kEarthRadiusMiles = 3958.7613;
inline constexpr double kKmPerMile = 1.609344;
inline constexpr double kRadiansPerDegree = std::numbers::pi / 180.0;

struct Point {
  double lat = 0;
  double lon = 0;
};

struct BoundingBox {
  double min_lat, max_lat;
  double min_lon, max_lon;  // min_lon > max_lon when the box crosses 180°
  bool Contains(Point p) const;
};

bool IsValid(Point p);  // lat in [-90, 90], lon in [-180, 180], finite
double DistanceMiles(Point a, Point b);  // haversine
BoundingBox BoxAround(Point center, double radius_miles);

// cos(latitude) exactly as DistanceMiles computes it, for callers that keep
// it per point.
inline double CosLatitude(double lat) { return std::cos(lat * kRadiansPerDegree); }

// The haversine's h for two points given their latitudes' cosines.
inline double HaversineH(Point a, Point b, double cos_a, double cos_b) {
  double half_dlat = std::sin((b.lat - a.lat) * kRadiansPerDegree / 2);
  double half_dlon = std::sin((b.lon - a.lon) * kRadiansPerDegree / 2);
  return half_dlat * half_dlat + cos_a * cos_b * half_dlon * half_dlon;
}

// The great-circle distance in miles for a haversine h.
inline double MilesFromH(double h) {
  return 2 * kEarthRadiusMiles * std::asin(std::min(1.0, std::sqrt(h)));
}

// A point on the unit sphere. The chord between two of them grows with their
// great-circle distance (chord² = 4h) and costs no trigonometry per pair.
struct UnitVector {
  double x = 0, y = 0, z = 0;
};
UnitVector ToUnitVector(Point p);
inline double ChordSquared(UnitVector a, UnitVector b) {
  double dx = a.x - b.x, dy = a.y - b.y, dz = a.z - b.z;
  return dx * dx + dy * dy + dz * dz;
}

// ChordSquared and DistanceMiles agree on order but for rounding: well inside
// this relative margin (plus a floor for points a few microns apart, where
// rounding is absolute). A point whose chord² to a centre is above
// FartherChordBound(c2) is farther from it, by DistanceMiles, than one at c2.
inline constexpr double kChordMargin = 1e-7;
inline constexpr double kChordFloor = 1e-18;
inline double FartherChordBound(double chord2) { return chord2 * (1 + kChordMargin) + kChordFloor; }

// Distances from one centre to many points whose latitude cosines are known
// (a radius search): a point beyond the radius is turned away by its latitude
// or by h, before the exact distance (asin, sqrt) is computed. The distances
// it gives are DistanceMiles's, bit for bit; the early rejections keep a
// relative margin of 1e-9, so only the exact distance decides at the edge.
class RadiusFilter {
 public:
  RadiusFilter(Point center, double radius_miles);
  // The distance to `p` in miles, or a negative number beyond the radius.
  double DistanceWithin(Point p, double cos_lat) const {
    if (std::abs(p.lat - center_.lat) > max_dlat_) return -1;
    double h = HaversineH(center_, p, cos_center_, cos_lat);
    if (h > max_h_) return -1;
    double d = MilesFromH(h);
    return d <= radius_ ? d : -1;
  }
  // Where a point lies by its chord² to the centre (ChordSquared with
  // center_vector()): kInside when DistanceWithin would surely keep it,
  // kBeyond when it would surely turn it away, kEdge when only it can tell.
  enum class Side { kInside, kEdge, kBeyond };
  Side SideOfChord(double chord2) const {
    if (chord2 < inside_chord2_) return Side::kInside;
    return chord2 > beyond_chord2_ ? Side::kBeyond : Side::kEdge;
  }
  UnitVector center_vector() const { return center_vector_; }

 private:
  Point center_;
  double radius_, cos_center_, max_dlat_, max_h_;
  UnitVector center_vector_;
  double inside_chord2_, beyond_chord2_;
};

}  // namespace carefinder::geo
