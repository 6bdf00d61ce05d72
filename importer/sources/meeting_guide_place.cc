// Where a Meeting Guide meeting happens: its address, coordinates and
// attendance (in person, online, hybrid), by the rules in meeting_guide.h.
#include <cstdio>

#include "core/place_name.h"
#include "core/text.h"
#include "core/time_zone.h"
#include "importer/sources/meeting_guide_meeting.h"
#include "importer/sources/meeting_guide_parts.h"

namespace carefinder::importer::meeting_guide {

namespace {

using text::Quoted;

std::string TrimPunctuation(std::string_view s) {
  size_t first = s.find_first_not_of(" .,;");
  return first == std::string_view::npos
             ? ""
             : std::string(s.substr(first, s.find_last_not_of(" .,;") - first + 1));
}

std::optional<double> Degrees(Meeting& m, std::string_view field, double limit) {
  if (!m.Present(field)) return std::nullopt;
  const json* v = m.Get(field);
  std::optional<double> d;
  if (v->is_number()) {
    d = v->get<double>();
  } else if (v->is_string()) {
    d = text::ParseDouble(v->get_ref<const std::string&>());
  }
  if (!d) {
    m.Reject(field, v->dump() + " is not a number");
  } else if (*d < -limit || *d > limit) {
    char range[32];
    std::snprintf(range, sizeof range, " (%g to %g)", -limit, limit);
    m.Reject(field, v->dump() + " is out of range" + range);
    d.reset();
  }
  return d;
}

void ReadCoordinates(Meeting& m, ListingRecord& rec, Signals& sig) {
  auto lat = Degrees(m, "latitude", 90), lon = Degrees(m, "longitude", 180);
  bool has_lat = m.Present("latitude");
  if (has_lat != m.Present("longitude")) {
    m.Reject(has_lat ? "longitude" : "latitude", std::string("is missing while ") +
                                                     (has_lat ? "latitude" : "longitude") +
                                                     " is given: give both or neither");
  } else if (lat && lon && (*lat != 0 || *lon != 0)) {  // 0,0 is a feed's "unknown"
    rec.latitude = lat, rec.longitude = lon;
  }
  const json* approx = m.Get("approximate");
  if (!approx) {
    sig.approximate = rec.address.line1.empty();  // a city or region, no venue
    return;
  }
  std::string word =
      text::ToLower(text::Trim(approx->is_string() ? approx->get<std::string>() : approx->dump()));
  if (word == "yes" || word == "true" || word == "1") {
    sig.approximate = true;
  } else if (word != "no" && word != "false" && word != "0") {
    m.Reject("approximate", approx->dump() + " is not yes or no");
  }
}

// Street, city, state and ZIP from the split fields, else formatted_address.
void ReadAddress(Meeting& m, ListingRecord& rec, Signals& sig) {
  Address& a = rec.address;
  const PlaceKeys& k = sig.keys;
  sig.split_address = k.formatted.empty();  // no one-line form to fall back on
  for (std::string_view key : {k.street, k.city, k.state, k.postal_code}) {
    sig.split_address |= m.Present(key);
  }
  if (sig.split_address) {
    a.line1 = m.Clean(k.street);
    a.city = m.Clean(k.city);
    // ".TX" is TX; checked with the venue, as an online meeting needs none.
    // A ZIP of 0 is a feed's "unknown".
    a.state = TrimPunctuation(m.Clean(k.state));
    a.postal_code = m.Text(k.postal_code);
    if (a.postal_code.find_first_not_of('0') == std::string::npos) a.postal_code.clear();
    sig.country = m.Clean(k.country);
    sig.in_us = sig.country.empty() || IsUsCountry(sig.country);
    return;
  }
  sig.formatted = m.Clean(k.formatted);
  OneLineAddress parsed = ParseOneLineAddress(sig.formatted);
  a.line1 = parsed.street, a.city = parsed.city, a.state = parsed.state;
  a.postal_code = parsed.postal_code;
  sig.in_us = parsed.in_us;
}

// A meeting with a venue must be placeable in the US: a state, a city.
void CheckVenue(Meeting& m, ListingRecord& rec, const Signals& sig) {
  Address& a = rec.address;
  const PlaceKeys& k = sig.keys;
  constexpr std::string_view kUsOnly = ": Carefinder lists meetings in the US only";
  if (!sig.split_address && sig.formatted.empty()) {
    m.Reject(k.formatted, "required value is missing (or give address, city and state)");
  } else if (!sig.in_us && sig.split_address) {
    m.Reject(k.country, Quoted(sig.country) + " is not the US" + std::string(kUsOnly));
  } else if (!sig.in_us) {
    m.Reject(k.formatted,
             Quoted(sig.formatted) + " is not a US address" + std::string(kUsOnly));
  } else if (sig.split_address) {
    if (a.state.empty()) {
      m.Reject(k.state, "required value is missing");
    } else if (auto code = NormalizeState(a.state)) {
      a.state = *code;
    } else {
      m.Reject(k.state, Quoted(a.state) + " is not a US state");
    }
    if (a.city.empty()) m.Reject(k.city, "required value is missing");
  } else if (a.state.empty() || a.city.empty()) {
    m.Reject(k.formatted,
             Quoted(sig.formatted) + " names no " + (a.state.empty() ? "state" : "city"));
  }
  if (!a.postal_code.empty() && !m.bad()) {
    a.postal_code = m.Take(sig.split_address ? k.postal_code : k.formatted,
                           NormalizeZip(a.postal_code));
  }
}

// Online only: no venue, so no street, ZIP or coordinates (never a placeholder
// point); a US city and state stay as the area the meeting belongs to.
void DropVenue(ListingRecord& rec, const Signals& sig) {
  Address& a = rec.address;
  a.line1.clear(), a.line2.clear(), a.postal_code.clear();
  rec.latitude.reset(), rec.longitude.reset();
  auto state = NormalizeState(a.state);
  if (sig.in_us && state) {
    a.state = *state;
  } else {
    a.city.clear(), a.state.clear();
  }
}

}  // namespace

void DecideAttendance(Meeting& m, ListingRecord& rec, const Signals& sig) {
  bool online = !rec.conference_url.empty() || !rec.conference_phone.empty() || sig.online_type;
  bool venue = !sig.approximate;
  rec.precision = sig.approximate ? GeoPrecision::kCityCentroid : GeoPrecision::kExact;
  if (online && (!venue || sig.temporarily_closed || !sig.in_us)) {
    rec.terms.push_back("online");
    DropVenue(rec, sig);
    return;
  }
  if (online) {
    rec.terms.push_back("hybrid");
  } else if (venue) {
    rec.terms.push_back("in-person");
    if (sig.temporarily_closed) rec.status = "temporarily closed";
  } else {
    rec.status = "inactive";  // an area but no venue, and no way to join online
  }
  CheckVenue(m, rec, sig);
}

void ReadPlace(Meeting& m, ListingRecord& rec, Signals& sig) {
  ReadAddress(m, rec, sig);
  ReadCoordinates(m, rec, sig);  // `approximate` depends on the street
}

void ReadTimeZone(Meeting& m, std::string_view key, const SourceInfo& source,
                  ListingRecord& rec, const Signals& sig) {
  if (std::string given = m.Text(key); tz::IsKnownZone(given)) {
    rec.timezone = given;
    return;
  }
  if (sig.in_us) rec.timezone = tz::ZoneOfPlace(rec.address.state, rec.latitude, rec.longitude);
  if (rec.timezone.empty()) rec.timezone = source.timezone;
}

}  // namespace carefinder::importer::meeting_guide
