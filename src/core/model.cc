// Names for model enums: see model.h.
#include "core/model.h"

namespace carefinder {

const char* GeoPrecisionName(GeoPrecision p) {
  switch (p) {
    case GeoPrecision::kExact: return "exact";
    case GeoPrecision::kPostalCodeCentroid: return "postal_code_centroid";
    case GeoPrecision::kCityCentroid: return "city_centroid";
  }
  return "exact";
}

}  // namespace carefinder
