// The place resolver (src/store/places.h) against a database built from the
// real shipped gazetteer (data/gazetteer/): its rules word for word, and a
// table of strings people type, each checked against coordinates read from the
// gazetteer files themselves (not from the resolver) or against suggestions.
#include <gtest/gtest.h>

#include <fstream>
#include <map>

#include "core/csv.h"
#include "core/fuzzy.h"
#include "core/place_name.h"
#include "core/text.h"
#include "db/database.h"
#include "importer/gazetteer.h"
#include "store/places.h"

namespace carefinder::store {
namespace {

const std::string kDir = std::string(CF_SOURCE_DIR) + "/data/gazetteer/";

// "name|ST" -> the first row's point in places.csv; "zip" -> zcta_centroids.csv.
std::map<std::string, geo::Point> ReadPoints(const std::string& file, bool zips) {
  std::ifstream in(kDir + file);
  CsvTable t(in);
  EXPECT_TRUE(t.ReadHeader());
  std::map<std::string, geo::Point> out;
  while (*t.Next()) {
    std::string key = zips ? std::string(t.Get("zcta"))
                           : std::string(t.Get("name")) + "|" + std::string(t.Get("state"));
    out.emplace(key, geo::Point{*text::ParseDouble(t.Get("latitude")),
                                *text::ParseDouble(t.Get("longitude"))});
  }
  return out;
}

class PlacesResolverTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto db = db::Database::Open(":memory:", db::OpenMode::kCreate);
    ASSERT_TRUE(db) << db.error().message;
    auto g = importer::Gazetteer::LoadDir(kDir);
    ASSERT_TRUE(g) << g.error().message;
    ASSERT_TRUE(g->Write(**db));
    auto index = PlaceIndex::Build(**db);
    ASSERT_TRUE(index) << index.error().message;
    index_ = new PlaceIndex(std::move(*index));
    places_ = new auto(ReadPoints("places.csv", false));
    zips_ = new auto(ReadPoints("zcta_centroids.csv", true));
  }
  static geo::Point PlacePoint(const std::string& name_state) {
    auto it = places_->find(name_state);
    EXPECT_NE(it, places_->end()) << name_state << " is not in places.csv";
    return it == places_->end() ? geo::Point{} : it->second;
  }
  static std::vector<std::string> Labels(const std::vector<Place>& places) {
    std::vector<std::string> out;
    for (const auto& p : places) out.push_back(p.label);
    return out;
  }
  static inline PlaceIndex* index_ = nullptr;
  static inline std::map<std::string, geo::Point>* places_ = nullptr;
  static inline std::map<std::string, geo::Point>* zips_ = nullptr;
};

// ---- the rules, word for word ---------------------------------------------

TEST_F(PlacesResolverTest, UnknownPlaceMessageNamesWhatWasTyped) {
  auto r = ResolvePlace(*index_, "asdfgh");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(r.error().message,
            "no place named \"asdfgh\" in our gazetteer (try a 5-digit ZIP code, \"City, ST\" or "
            "\"lat,lon\")");
  EXPECT_EQ(r.error().param, "near");
}

TEST_F(PlacesResolverTest, UnknownZipAndBadNumbersAreNamed) {
  EXPECT_EQ(ResolvePlace(*index_, "00000").error().message, "no ZIP code 00000 in our gazetteer");
  EXPECT_EQ(ResolvePlace(*index_, "9237").error().message, "near must be a 5-digit ZIP code, got 9237");
  EXPECT_EQ(ResolvePlace(*index_, "95,200").error().message,
            "near must be a latitude between -90 and 90 and a longitude between -180 and 180, "
            "got 95,200");
  EXPECT_EQ(ResolvePlace(*index_, "  ").error().message, "near must not be empty");
}

TEST_F(PlacesResolverTest, ZipAnywhereInTheTextIsLabelledWithItsTown) {
  auto r = ResolvePlace(*index_, "712 The Terrace, Redlands, CA 92374-1234");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->kind, "zip");
  EXPECT_EQ(r->label, "92374 (Redlands, CA)");
  EXPECT_EQ(FindZip("call 909-555-1234 about 92374"), "92374");
  EXPECT_EQ(FindZip("123456 is not a zip"), std::nullopt);
}

TEST_F(PlacesResolverTest, BareNameTakesTheMostPopulousAndOffersTheOthers) {
  auto r = ResolvePlace(*index_, "Brooklyn");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->label, "Brooklyn, NY");
  EXPECT_EQ(Labels(r->alternatives),
            (std::vector<std::string>{"Brooklyn Park, MN", "Brooklyn Center, MN",
                                      "Brooklyn Heights, NY", "Brooklyn Park, MD", "Brooklyn, OH"}));
  EXPECT_TRUE(ResolvePlace(*index_, "Brooklyn, NY")->alternatives.empty());  // a state: no doubt
}

TEST_F(PlacesResolverTest, CountyIsThePopulationWeightedCentreOfItsPlaces) {
  auto r = ResolvePlace(*index_, "Orange County, CA");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->kind, "county");
  EXPECT_EQ(r->label, "Orange County, CA");
  // Between Anaheim and Santa Ana, its two largest cities.
  EXPECT_LT(geo::DistanceMiles(r->point, PlacePoint("Santa Ana|CA")), 10);
  EXPECT_LT(geo::DistanceMiles(r->point, PlacePoint("Anaheim|CA")), 12);
}

TEST_F(PlacesResolverTest, AnAliasHoldsOnlyInItsOwnState) {
  EXPECT_EQ(ResolvePlace(*index_, "New York, NY")->label, "New York City, NY");
  EXPECT_FALSE(ResolvePlace(*index_, "Philly, OH"));
  EXPECT_EQ(ResolvePlace(*index_, "Shreveport, LA")->label, "Shreveport, LA");  // LA the state
}

TEST_F(PlacesResolverTest, DidYouMeanPrefersTheStateTypedThenTheSameNameElsewhere) {
  EXPECT_EQ(Labels(DidYouMean(*index_, "Pittsburg, PA", 4)),
            (std::vector<std::string>{"Pittsburgh, PA", "Pittsburg, CA", "Pittsburg, KS",
                                      "Pittsburg, TX"}));
  auto s = DidYouMean(*index_, "Pheonix", 2);
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0].label, "Phoenix, AZ");
  EXPECT_EQ(s[0].query, "Phoenix, AZ");  // what to send as `near`
  EXPECT_TRUE(DidYouMean(*index_, "asdfgh", 5).empty());
}

TEST_F(PlacesResolverTest, EditDistanceCountsASwapAsOneEdit) {
  EXPECT_EQ(EditDistance("pheonix", "phoenix", 2), 1);
  EXPECT_EQ(EditDistance("cincinatti", "cincinnati", 2), 2);
  EXPECT_EQ(EditDistance("asdfgh", "phoenix", 2), 3);  // max + 1 once past the budget
  EXPECT_EQ(TypoBudget("nyc"), 0);
  EXPECT_EQ(TypoBudget("pheonix"), 1);
  EXPECT_EQ(TypoBudget("cincinatti"), 2);
}

TEST_F(PlacesResolverTest, SuggestionsRankByPopulation) {
  EXPECT_EQ(Labels(SuggestPlaces(*index_, "springf", 3)),
            (std::vector<std::string>{"Springfield, MO", "Springfield, MA", "Springfield, IL"}));
  // A name that resolves comes first, then its alternatives.
  EXPECT_EQ(Labels(SuggestPlaces(*index_, "spring", 3)),
            (std::vector<std::string>{"Spring, TX", "Spring Valley, NV", "Spring Hill, FL"}));
  EXPECT_EQ(Labels(SuggestPlaces(*index_, "Pheonix", 1)), std::vector<std::string>{"Phoenix, AZ"});
  EXPECT_EQ(SuggestPlaces(*index_, "923", 2)[0].label, "92301 (Adelanto, CA)");
}

// ---- what people type -------------------------------------------------------

struct Typed {
  const char* text;
  const char* expect;  // "Name|ST" in places.csv, "zip:NNNNN", or "" for unknown
  double km = 3;
};

const Typed kTyped[] = {
    {"New York, NY", "New York City|NY"}, {"New York", "New York City|NY"},
    {"new york city", "New York City|NY"}, {"NYC", "New York City|NY"},
    {"nyc", "New York City|NY"}, {"New York NY", "New York City|NY"},
    {"Brooklyn", "Brooklyn|NY"}, {"Brooklyn, NY", "Brooklyn|NY"}, {"Bronx", "The Bronx|NY"},
    {"The Bronx", "The Bronx|NY"}, {"Bronx, NY", "The Bronx|NY"}, {"Queens, NY", "Queens|NY"},
    {"Queens", "Queens|NY"}, {"Manhattan", "Manhattan|NY"}, {"Manhattan, KS", "Manhattan|KS"},
    {"Staten Island", "Staten Island|NY"}, {"St. Louis", "St. Louis|MO"},
    {"Saint Louis", "St. Louis|MO"}, {"St Louis, MO", "St. Louis|MO"},
    {"ST. LOUIS, MISSOURI", "St. Louis|MO"}, {"Saint Louis, MI", "Saint Louis|MI"},
    {"Ft. Worth", "Fort Worth|TX"}, {"Fort Worth, TX", "Fort Worth|TX"},
    {"Ft Lauderdale", "Fort Lauderdale|FL"}, {"Mt. Vernon, NY", "Mount Vernon|NY"},
    {"Mount Vernon, WA", "Mount Vernon|WA"}, {"Phoenix", "Phoenix|AZ"},
    {"Phoenix, OR", "Phoenix|OR"}, {"Philly", "Philadelphia|PA"}, {"LA", "Los Angeles|CA"},
    {"Vegas", "Las Vegas|NV"}, {"DC", "Washington|DC"}, {"Washington DC", "Washington|DC"},
    {"Washington, D.C.", "Washington|DC"}, {"Nola", "New Orleans|LA"},
    {"Frisco", "Frisco|TX"},  // a real city of 154k, not San Francisco
    {"SF", "San Francisco|CA"}, {"Denver, Colorado", "Denver|CO"}, {"Denver CO", "Denver|CO"},
    {"denver colorado", "Denver|CO"}, {"Redlands, California", "Redlands|CA"},
    {"Springfield", "Springfield|MO"}, {"Springfield, IL", "Springfield|IL"},
    {"Winston-Salem", "Winston-Salem|NC"}, {"Salt Lake City", "Salt Lake City|UT"},
    {"Shreveport, LA", "Shreveport|LA"}, {"Orange County, CA", "Santa Ana|CA", 15},
    {"Cook County, IL", "Chicago|IL", 15}, {"Kings County, NY", "Brooklyn|NY", 3},
    {"detox near 92374", "zip:92374"}, {"92374", "zip:92374"},
    {"712 The Terrace, Redlands, CA 92374-1234", "zip:92374"}, {"10001", "zip:10001"},
    {"Atlantis", "Atlantis|FL"},  // a real town of 2,106 in Palm Beach County
    {"Pheonix", ""}, {"Cincinatti", ""}, {"Pittsburg, PA", ""}, {"Albequerque", ""},
    {"asdfgh", ""}, {"Narnia", ""}, {"Gotham City", ""}, {"Atlantis, ZZ", ""},
    {"Denver, Colorad", ""}, {"Philly, OH", ""},
};

TEST_F(PlacesResolverTest, WhatPeopleTypeResolvesToTheRightPlace) {
  for (const Typed& t : kTyped) {
    SCOPED_TRACE(t.text);
    auto r = ResolvePlace(*index_, t.text);
    std::string expect = t.expect;
    if (expect.empty()) {
      EXPECT_FALSE(r) << "resolved to " << r->label;
      if (!r) {
        EXPECT_EQ(r.error().code, ErrorCode::kNotFound);
      }
      continue;
    }
    ASSERT_TRUE(r) << r.error().message;
    geo::Point want = expect.starts_with("zip:") ? zips_->at(expect.substr(4)) : PlacePoint(expect);
    EXPECT_LT(geo::DistanceMiles(r->point, want) * geo::kKmPerMile, t.km) << r->label;
  }
}

struct Typo {
  const char* text;
  const char* first;  // the first suggestion
};

const Typo kTypos[] = {
    {"Pheonix", "Phoenix, AZ"},        {"Cincinatti", "Cincinnati, OH"},
    {"Pittsburg, PA", "Pittsburgh, PA"}, {"Albequerque", "Albuquerque, NM"},
    {"Philadelpia", "Philadelphia, PA"}, {"Sacremento", "Sacramento, CA"},
    {"Tuscon, AZ", "Tucson, AZ"},       {"Milwakee", "Milwaukee, WI"},
    {"Denver, Colorad", "Denver, CO"},  {"Atlantis, ZZ", "Atlantis, FL"},
};

TEST_F(PlacesResolverTest, TyposGetTheRightSuggestionFirst) {
  for (const Typo& t : kTypos) {
    SCOPED_TRACE(t.text);
    EXPECT_FALSE(ResolvePlace(*index_, t.text));
    auto s = DidYouMean(*index_, t.text, 5);
    ASSERT_FALSE(s.empty());
    EXPECT_EQ(s[0].label, t.first);
    EXPECT_EQ(ResolvePlace(*index_, s[0].query)->label, t.first);  // the suggestion works
  }
  for (const char* nonsense : {"asdfgh", "Narnia", "Gotham City", "qwertyuiop"}) {
    EXPECT_TRUE(DidYouMean(*index_, nonsense, 5).empty()) << nonsense;
  }
}

}  // namespace
}  // namespace carefinder::store
