// Place resolution, "did you mean" and suggestions: see places.h.
#include "store/places.h"

#include <algorithm>
#include <bit>
#include <cctype>
#include <cstdio>
#include <optional>

#include "core/fuzzy.h"
#include "core/place_name.h"
#include "core/text.h"

namespace carefinder::store {

namespace {

constexpr const char* kPlaceHint = " (try a 5-digit ZIP code, \"City, ST\" or \"lat,lon\")";
constexpr size_t kMaxStateWords = 4;  // "district of columbia"

// What was typed, split into a name and the state it names (when it does).
struct NameQuery {
  std::string name;                  // as typed, trimmed
  std::optional<std::string> state;  // USPS code
  bool bad_state = false;            // text after the last comma that is no state
};

bool AllDigits(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string FormatPoint(geo::Point p) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.5g, %.5g", p.lat, p.lon);
  return buf;
}

// "712 The Terrace, Redlands, CA" -> {"Redlands", "CA"}; "Denver Colorado" ->
// {"Denver", "CO"}; "Denver, Colorad" -> {"Denver", bad_state}.
NameQuery SplitState(std::string_view text) {
  size_t comma = text.rfind(',');
  if (comma != std::string_view::npos) {
    std::string_view head = text::Trim(text.substr(0, comma));
    if (size_t prev = head.rfind(','); prev != std::string_view::npos) {
      head = text::Trim(head.substr(prev + 1));
    }
    auto state = NormalizeState(text.substr(comma + 1));
    return {std::string(head), state, !state};
  }
  std::vector<std::string> words = text::SplitList(text, ' ');
  for (size_t k = 1; k <= kMaxStateWords && k < words.size(); ++k) {
    std::string tail, head;
    for (size_t i = 0; i < words.size(); ++i) {
      std::string& part = i < words.size() - k ? head : tail;
      if (!part.empty()) part += ' ';
      part += words[i];
    }
    if (auto state = NormalizeState(tail)) return {head, state, false};
  }
  return {std::string(text), std::nullopt, false};
}

Place FromGaz(const GazPlace& g, std::string_view query) {
  return {std::string(query), g.county ? "county" : "city", g.Label(), g.point, {}};
}

// Other places `key` may mean besides `chosen`: the same name elsewhere and
// names that start with it as a word ("brooklyn park"), most populous first.
std::vector<Place> Alternatives(const PlaceIndex& index, std::string_view key, uint32_t chosen) {
  std::vector<uint32_t> ids(index.Named(key).begin(), index.Named(key).end());
  std::vector<uint32_t> longer = index.NamedWithPrefix(std::string(key) + ' ');
  ids.insert(ids.end(), longer.begin(), longer.end());
  std::stable_sort(ids.begin(), ids.end(), [&](uint32_t a, uint32_t b) {
    return index.at(a).population > index.at(b).population;
  });
  std::vector<Place> out;
  std::vector<std::string> seen{index.at(chosen).Label()};
  for (uint32_t i : ids) {
    if (out.size() == kMaxAlternatives) break;
    std::string label = index.at(i).Label();
    if (std::find(seen.begin(), seen.end(), label) != seen.end()) continue;
    seen.push_back(label);
    out.push_back(FromGaz(index.at(i), label));
  }
  return out;
}

// Rule 3 and 4 for one name: an alias, else the most populous place or county.
std::optional<Place> LookupName(const PlaceIndex& index, std::string_view near,
                                std::string_view name, const std::optional<std::string>& state) {
  std::string key = FoldPlaceName(name);
  if (key.empty()) return std::nullopt;
  if (auto alias = index.Alias(key)) {
    if (!state || index.at(*alias).state == *state) return FromGaz(index.at(*alias), near);
  }
  for (uint32_t i : index.Named(key)) {
    if (state && index.at(i).state != *state) continue;
    Place p = FromGaz(index.at(i), near);
    if (!state) p.alternatives = Alternatives(index, key, i);
    return p;
  }
  return std::nullopt;
}

Result<Place> ResolveZip(const PlaceIndex& index, std::string_view near, const std::string& zip) {
  const geo::Point* p = index.Zip(zip);
  if (!p) return Fail(Error::NotFound("no ZIP code " + zip + " in our gazetteer", "near"));
  Place place{std::string(near), "zip", zip, *p, {}};
  if (auto town = index.ZipLabel(zip); !town.empty()) place.label += " (" + std::string(town) + ")";
  return place;
}

// Rule 1, when `near` is two numbers with a comma between.
std::optional<Result<Place>> ResolvePoint(std::string_view near) {
  size_t comma = near.rfind(',');
  if (comma == std::string_view::npos) return std::nullopt;
  auto lat = text::ParseDouble(text::Trim(near.substr(0, comma)));
  auto lon = text::ParseDouble(text::Trim(near.substr(comma + 1)));
  if (!lat || !lon) return std::nullopt;
  geo::Point p{*lat, *lon};
  if (!geo::IsValid(p)) {
    return Fail(Error::Invalid("near must be a latitude between -90 and 90 and a longitude "
                               "between -180 and 180, got " + std::string(near), "near"));
  }
  return Place{std::string(near), "point", FormatPoint(p), p, {}};
}

}  // namespace

Result<Place> ResolvePlace(const PlaceIndex& index, std::string_view near) {
  near = text::Trim(near);
  if (near.empty()) return Fail(Error::Invalid("near must not be empty", "near"));
  if (auto point = ResolvePoint(near)) return std::move(*point);
  if (auto zip = FindZip(near)) return ResolveZip(index, near, *zip);
  if (AllDigits(near)) {
    return Fail(Error::Invalid("near must be a 5-digit ZIP code, got " + std::string(near), "near"));
  }
  // The whole text first ("Washington DC" is an alias), then name + state.
  if (near.find(',') == std::string_view::npos) {
    if (auto p = LookupName(index, near, near, std::nullopt)) return std::move(*p);
  }
  NameQuery q = SplitState(near);
  if (!q.bad_state) {
    if (auto p = LookupName(index, near, q.name, q.state)) return std::move(*p);
  }
  return Fail(Error::NotFound(
      "no place named \"" + std::string(near) + "\" in our gazetteer" + kPlaceHint, "near"));
}

namespace {

struct Candidate {
  int rank;  // 0: in the state typed (or any state when none); 1: the same name elsewhere
  int distance;
  uint32_t place;
};

std::vector<Candidate> TypoCandidates(const PlaceIndex& index, const NameQuery& q) {
  std::string key = FoldPlaceName(q.name);
  int budget = TypoBudget(key);
  uint64_t chars = LetterMask(key);
  std::vector<Candidate> out;
  for (const auto& entry : index.names()) {
    size_t n = entry.key.size();
    if (n + budget < key.size() || n > key.size() + budget) continue;
    if (std::popcount(chars ^ entry.chars) > 2 * budget) continue;
    int d = EditDistance(key, entry.key, budget);
    if (d > budget) continue;
    for (uint32_t i : entry.places) {
      bool in_state = !q.state || index.at(i).state == *q.state;
      if (in_state) out.push_back({0, d, i});
      else if (d == 0) out.push_back({1, d, i});
    }
  }
  return out;
}

// Appends `p` unless a place of the same label is there already.
void AddUnique(std::vector<Place>& out, Place p) {
  auto same = [&](const Place& o) { return o.label == p.label; };
  if (std::none_of(out.begin(), out.end(), same)) out.push_back(std::move(p));
}

}  // namespace

std::vector<Place> DidYouMean(const PlaceIndex& index, std::string_view near, size_t limit) {
  near = text::Trim(near);
  NameQuery q = SplitState(near);
  if (q.bad_state) q.state.reset();  // "Denver, Colorad": suggest Denver, CO
  std::vector<Candidate> c = TypoCandidates(index, q);
  std::sort(c.begin(), c.end(), [&](const Candidate& a, const Candidate& b) {
    if (a.rank != b.rank) return a.rank < b.rank;
    if (a.distance != b.distance) return a.distance < b.distance;
    return index.at(a.place).population > index.at(b.place).population;
  });
  std::vector<Place> out;
  for (size_t i = 0; i < c.size() && out.size() < limit; ++i) {
    const GazPlace& g = index.at(c[i].place);
    AddUnique(out, FromGaz(g, g.Label()));
  }
  return out;
}

namespace {

// Places whose folded names start with what was typed, narrowed by a state
// (code or name) or the start of a state code, most populous first.
std::vector<Place> ByPrefix(const PlaceIndex& index, std::string_view q, size_t limit) {
  size_t comma = q.find(',');
  std::string_view city = comma == std::string_view::npos ? q : text::Trim(q.substr(0, comma));
  std::string_view state_text = comma == std::string_view::npos ? "" : text::Trim(q.substr(comma + 1));
  std::string state = NormalizeState(state_text).value_or(std::string(state_text));
  for (char& ch : state) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  std::string key = FoldPlaceName(city);
  if (key.empty()) return {};
  std::vector<uint32_t> ids = index.NamedWithPrefix(key);
  std::stable_sort(ids.begin(), ids.end(), [&](uint32_t a, uint32_t b) {
    return index.at(a).population > index.at(b).population;
  });
  std::vector<Place> out;
  for (uint32_t i : ids) {
    if (out.size() == limit) break;
    if (!index.at(i).state.starts_with(state)) continue;
    AddUnique(out, FromGaz(index.at(i), index.at(i).Label()));
  }
  return out;
}

}  // namespace

std::vector<Place> SuggestPlaces(const PlaceIndex& index, std::string_view q, size_t limit) {
  q = text::Trim(q);
  if (q.empty() || limit == 0) return {};
  if (std::isdigit(static_cast<unsigned char>(q.front()))) {
    std::vector<Place> out;
    for (auto& [zip, point] : index.ZipsWithPrefix(q.substr(0, std::min<size_t>(q.size(), 5)), limit)) {
      Place p{zip, "zip", zip, point, {}};
      if (auto town = index.ZipLabel(zip); !town.empty()) p.label += " (" + std::string(town) + ")";
      out.push_back(std::move(p));
    }
    return out;
  }
  std::vector<Place> out;
  if (auto resolved = ResolvePlace(index, q); resolved && resolved->kind != "point") {
    std::vector<Place> alternatives = std::move(resolved->alternatives);
    resolved->alternatives.clear();
    resolved->query = resolved->label;
    AddUnique(out, std::move(*resolved));
    for (Place& a : alternatives) AddUnique(out, std::move(a));
  }
  for (Place& p : ByPrefix(index, q, limit)) AddUnique(out, std::move(p));
  if (out.empty()) out = DidYouMean(index, q, limit);
  if (out.size() > limit) out.resize(limit);
  return out;
}

}  // namespace carefinder::store
