// Geo math on WGS84 degrees: great-circle distance and the bounding box that
// contains every point within a radius (used to narrow candidates before the
// exact distance decides).
#pragma once

namespace carefinder::geo {

inline constexpr double kEarthRadiusMiles = 3958.7613;
inline constexpr double kKmPerMile = 1.609344;

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

}  // namespace carefinder::geo
