// Haversine distance and radius bounding boxes: see geo.h.
#include "core/geo.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace carefinder::geo {

namespace {
constexpr double kDeg = kRadiansPerDegree;
constexpr double kEdgeMargin = 1e-9;  // relative slack of RadiusFilter's early rejections
}  // namespace

bool BoundingBox::Contains(Point p) const {
  if (p.lat < min_lat || p.lat > max_lat) return false;
  if (min_lon <= max_lon) return p.lon >= min_lon && p.lon <= max_lon;
  return p.lon >= min_lon || p.lon <= max_lon;
}

bool IsValid(Point p) {
  return std::isfinite(p.lat) && std::isfinite(p.lon) && p.lat >= -90 && p.lat <= 90 &&
         p.lon >= -180 && p.lon <= 180;
}

double DistanceMiles(Point a, Point b) {
  return MilesFromH(HaversineH(a, b, CosLatitude(a.lat), CosLatitude(b.lat)));
}

// A point more than r/R radians of latitude away is beyond r (no path between
// two latitudes is shorter than the meridian's); d <= r means h <= sin²(r/2R).
RadiusFilter::RadiusFilter(Point center, double radius_miles)
    : center_(center), radius_(radius_miles), cos_center_(CosLatitude(center.lat)) {
  double angle = std::max(0.0, radius_miles) / kEarthRadiusMiles;  // radians
  max_dlat_ = angle / kDeg * (1 + kEdgeMargin);
  double s = std::sin(std::min(angle / 2, std::numbers::pi / 2));
  max_h_ = s * s * (1 + kEdgeMargin);
  center_vector_ = ToUnitVector(center);
  double edge = 4 * s * s;  // chord² at the radius
  inside_chord2_ = edge * (1 - kChordMargin) - kChordFloor;
  beyond_chord2_ = edge * (1 + kChordMargin) + kChordFloor;
}

UnitVector ToUnitVector(Point p) {
  double lat = p.lat * kDeg, lon = p.lon * kDeg;
  return {std::cos(lat) * std::cos(lon), std::cos(lat) * std::sin(lon), std::sin(lat)};
}

BoundingBox BoxAround(Point c, double radius_miles) {
  double dlat = radius_miles / kEarthRadiusMiles / kDeg;
  BoundingBox box{c.lat - dlat, c.lat + dlat, -180, 180};
  if (box.min_lat <= -90 || box.max_lat >= 90) {
    box.min_lat = std::max(box.min_lat, -90.0);
    box.max_lat = std::min(box.max_lat, 90.0);
    return box;  // a polar cap: every longitude
  }
  // Widest longitude span of the circle (at the latitude of the tangent point).
  double ratio = std::sin(radius_miles / kEarthRadiusMiles) / std::cos(c.lat * kDeg);
  if (ratio >= 1) return box;
  double dlon = std::asin(ratio) / kDeg;
  box.min_lon = c.lon - dlon;
  box.max_lon = c.lon + dlon;
  if (box.min_lon < -180) box.min_lon += 360;
  if (box.max_lon > 180) box.max_lon -= 360;
  return box;
}

}  // namespace carefinder::geo
