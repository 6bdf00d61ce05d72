// HSDS 3.0 objects as JSON: a page of records from store/hsds_store.h nested
// into the shapes the official schemas define (schema/compiled/*): list
// items, fully nested objects and the minimal service. Children are fetched
// for the whole batch at once (one query per child table), never per row.
// Absent values are left out, never null (HSDS has no nullable field).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/error.h"
#include "store/hsds_store.h"

namespace carefinder::api {

using HsdsJson = nlohmann::ordered_json;

enum class ServiceShape {
  kMinimal,          // id, name, status, last_modified
  kList,             // compiled/service_list.json: scalars + organization
  kFull,             // compiled/service.json
  kFullNoLocations,  // the service nested in a service_at_location
};

// The record's fields as a JSON object (integral numbers as integers).
HsdsJson RecordJson(const store::HsdsRecord& r);

// Compact JSON text (bytes that are not UTF-8 replaced, never thrown on).
std::string HsdsText(const HsdsJson& j);

// Nests batches of records read through one connection (inside its read
// transaction); each call returns one JSON object per record, in order.
class HsdsNester {
 public:
  explicit HsdsNester(store::Connection& c) : c_(c) {}

  Result<std::vector<HsdsJson>> Services(const std::vector<store::HsdsRecord>& rows,
                                         ServiceShape shape);
  // List shape: scalars, location scalars and the service in list shape;
  // full: the location with its addresses and the service fully nested.
  Result<std::vector<HsdsJson>> ServiceAtLocations(const std::vector<store::HsdsRecord>& rows,
                                                   bool full);
  // List shape: scalars; full: plus locations and services (in list shape,
  // or fully nested with `full_service`).
  Result<std::vector<HsdsJson>> Organizations(const std::vector<store::HsdsRecord>& rows,
                                              bool full, bool full_service);
  // Taxonomies and taxonomy terms: their scalars.
  static std::vector<HsdsJson> Plain(const std::vector<store::HsdsRecord>& rows);

 private:
  store::Connection& c_;
};

}  // namespace carefinder::api
