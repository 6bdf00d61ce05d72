// The normalised listing record every reader produces and the loader writes:
// one service at one location, with its organisation, contact points, terms
// from our taxonomy (data/taxonomy.csv) and provenance. Plain data, no logic.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace carefinder {

struct Phone {
  std::string role;       // main | intake | hotline | fax | tty | sms
  std::string e164;       // "+19094887181" ("" for short codes like 988)
  std::string display;    // "(909) 488-7181"
  std::string extension;  // digits only, "" when none
};

struct Address {
  std::string line1, line2, city, state, postal_code;
  std::string country = "US";
};

// One weekly opening or meeting time. Days use HSDS/iCal codes MO..SU.
struct WeeklyTime {
  std::string day;    // "MO"
  std::string opens;  // "08:00" (24h); "" = all day
  std::string closes; // "17:00"; may be < opens for overnight
};

// Where a coordinate came from: DESIGN §2.
enum class GeoPrecision { kExact, kPostalCodeCentroid, kCityCentroid };
const char* GeoPrecisionName(GeoPrecision p);  // "exact", "postal_code_centroid", ...

struct ListingRecord {
  // Where the row came from (for messages and provenance).
  std::string file;
  int line = 0;

  // Provenance.
  std::string source;          // source name, e.g. "samhsa-findtreatment-2025"
  std::string source_key;      // the source's own key for this listing
  std::string source_url;      // where the source publishes it
  std::string source_license;
  std::string as_of;           // YYYY-MM-DD: the source's own date
  std::string last_verified;   // YYYY-MM-DD when a person checked it; "" = never

  std::string kind = "treatment";  // treatment | meeting
  std::string status = "active";   // active | inactive | defunct | temporarily closed
  std::string organization;
  std::string name;                // the service's name
  std::string description;

  std::string location_name;  // the place's own name ("St. Mark's Church"); "" = the organisation's
  Address address;
  std::optional<double> latitude, longitude;
  GeoPrecision precision = GeoPrecision::kExact;

  std::vector<Phone> phones;
  std::string website;
  std::string email;

  std::vector<std::string> terms;              // taxonomy codes, as given
  // True when the source states every service it offers (a survey that
  // asked each facility, like SAMHSA's National Directory): a term the
  // record lacks means "does not offer". False for a list that never said
  // (a locator export with no services, a meeting feed): a missing term
  // means "not stated", and searches may offer it after the stated matches.
  bool services_stated = false;
  std::vector<std::string> source_attributes;  // source codes with no term: kept, reported
  std::vector<WeeklyTime> hours;
  std::string timezone;                        // IANA zone of `hours` ("America/New_York"); "" = unknown
  std::string hours_text;                      // as written: "Mo-Fr 08:00-17:00", "24/7"
  std::string conference_url, conference_phone;  // online meetings
};

}  // namespace carefinder
