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

 private:
  Point center_;
  double radius_, cos_center_, max_dlat_, max_h_;
};

}  // namespace carefinder::geo
