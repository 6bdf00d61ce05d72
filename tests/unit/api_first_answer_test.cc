// Unit tests for the search page made for its URL (api/first_answer.h): the
// search URL the page's script would ask for, the page's language, its
// strings read from web/js, and the cards written into it. The browser test
// "the cards the server writes into a page are the cards the script writes"
// compares the cards with the script's own.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "api/first_answer.h"
#include "api/page_strings.h"
#include "api/result_cards.h"
#include "store/listing_store.h"
#include "store/read_session.h"
#include "tests/fixtures/api/fixture_db.h"

namespace carefinder::api {
namespace {

using nlohmann::json;

Request Page(std::multimap<std::string, std::string> query) {
  return Request{"/", {}, std::move(query), {}, "", {}};
}

const std::vector<std::string> kGroups = {"care", "medication", "payment", "attendance", "kind"};

std::optional<std::string> Query(std::multimap<std::string, std::string> q) {
  return PageSearchQuery(Page(std::move(q)), kGroups);
}

std::string IndexHtml() {
  std::ifstream in(std::string(CF_SOURCE_DIR) + "/web/index.html");
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

const PageStrings& WebStrings() {
  static const PageStrings strings = PageStrings::Load(std::string(CF_SOURCE_DIR) + "/web");
  return strings;
}

TEST(FormEncode, WritesAsUrlSearchParamsDoes) {
  EXPECT_EQ(FormEncode("Redlands, CA"), "Redlands%2C+CA");
  EXPECT_EQ(FormEncode("a*b-c.d_e~f"), "a*b-c.d_e%7Ef");
  EXPECT_EQ(FormEncode("Peñasco/é"), "Pe%C3%B1asco%2F%C3%A9");
  EXPECT_EQ(FormEncode("detox,-residential"), "detox%2C-residential");
}

TEST(PageSearchQuery, GroupsInTheTaxonomysOrderNotTheUrls) {
  // state.js toParams: near, q, radius, the groups in the API's order, day, time, kept ones.
  EXPECT_EQ(Query({{"payment", "medicaid"}, {"near", " 92374 "}, {"care", "detox"}, {"radius", "10"}}),
            "near=92374&radius=10&care=detox&payment=medicaid");
  EXPECT_EQ(Query({{"near", "92374"}, {"radius", "25"}}), "near=92374");  // the default is left out
}

TEST(PageSearchQuery, RepeatsAndSignsAsTheScriptReadsThem) {
  // care=a,b&care=c is a, b, c; a code given twice keeps its first place and its last sign.
  EXPECT_EQ(Query({{"near", "x"}, {"care", "detox, residential"}, {"care", "-detox,,outpatient"}}),
            "near=x&care=-detox%2Cresidential%2Coutpatient");
}

TEST(PageSearchQuery, DaysAndTimesKnownOnceInWeekOrder) {
  EXPECT_EQ(Query({{"near", "x"}, {"day", "SUN,mon,mon,funday"}, {"time", "night,morning"}}),
            "near=x&day=mon%2Csun&time=morning%2Cnight");
}

TEST(PageSearchQuery, NoSearchOrTheDevicesClockMeansNone) {
  EXPECT_EQ(Query({{"care", "detox"}}), std::nullopt);                    // no place, no words
  EXPECT_EQ(Query({{"near", "x"}, {"when", "now"}}), std::nullopt);       // the device's clock
  EXPECT_EQ(Query({{"near", "x"}, {"when", "someday"}}), "near=x");       // not a `when` the page knows
  EXPECT_EQ(Query({{"attendance", "online"}}), "attendance=online");      // online needs no place
  EXPECT_EQ(Query({{"attendance", "-online"}}), std::nullopt);
  EXPECT_EQ(Query({{"lat", "34.1"}, {"lon", "-117.2"}}), "lat=34.1&lon=-117.2");
}

TEST(PageLanguage, TheUrlThenTheBrowsersFirstLanguage) {
  EXPECT_EQ(PageLanguage(Page({{"lang", "es"}}), "en-US"), "es");
  EXPECT_EQ(PageLanguage(Page({{"lang", "en"}}), "es-MX"), "en");
  EXPECT_EQ(PageLanguage(Page({}), "es-MX,es;q=0.9,en;q=0.8"), "es");
  EXPECT_EQ(PageLanguage(Page({}), "es"), "es");
  EXPECT_EQ(PageLanguage(Page({}), "en-US,es;q=0.9"), "en");  // only the first counts
  EXPECT_EQ(PageLanguage(Page({}), "esperanto"), "en");
  EXPECT_EQ(PageLanguage(Page({}), ""), "en");
}

TEST(PageStrings, ReadsTheTablesOfTheFilesThePageUses) {
  PageStrings s = PageStrings::FromText(
      "export const en = {\n  // a comment\n  'a': 'It\\'s {n} miles', 'b': 'B',\n  'c': 'only English',\n};",
      "export const es = {\n  'a': 'A {n} millas', 'b': '',\n};");
  EXPECT_EQ(s.T("en", "a", {{"n", "3"}}), "It's 3 miles");
  EXPECT_EQ(s.T("es", "a", {{"n", "3"}}), "A 3 millas");
  EXPECT_EQ(s.T("es", "b"), "");               // an empty string is a translation
  EXPECT_EQ(s.T("es", "c"), "only English");   // else English
  EXPECT_EQ(s.T("es", "missing"), "missing");  // else the key
  EXPECT_EQ(s.T("en", "a"), "It's {n} miles"); // a placeholder not given stays
  // The real files: every key the cards use is there.
  for (const char* key : {"call", "call.shared", "dist", "dist.about", "approx.zip", "directions",
                          "directions.to", "fact.medicaid", "fact.meds", "fact.spoken",
                          "asof.unverified", "verified", "shortlist.add", "open24", "facts.aria"}) {
    EXPECT_TRUE(WebStrings().Has(key)) << key;
    EXPECT_NE(WebStrings().T("es", key), WebStrings().T("en", key)) << key;
  }
}

TEST(PageStrings, TranslatesTheStaticPageAsTheScriptDoes) {
  PageStrings s = PageStrings::FromText("x = {'t': 'Help', 'l': 'Lines', 'p': 'ZIP'};",
                                        "x = {'t': 'Ayuda & más', 'l': 'Líneas \"24\"', 'p': 'Código'};");
  std::string html =
      "<aside class=\"crisis\" aria-label=\"Lines\" data-i18n-attr=\"aria-label:l placeholder:p\">"
      "<b data-i18n=\"t\">Help</b></aside>";
  EXPECT_EQ(s.TranslateStatic("es", html),
            "<aside class=\"crisis\" aria-label=\"Líneas &quot;24&quot;\" "
            "data-i18n-attr=\"aria-label:l placeholder:p\" placeholder=\"Código\">"
            "<b data-i18n=\"t\">Ayuda &amp; más</b></aside>");
}

json Result(json extra) {
  json r = {{"id", "5c1b0c32-8f7e-5b51-9c53-0d1c6a0f4b1e"},
            {"kind", "treatment"},
            {"status", "active"},
            {"name", "Detox unit"},
            {"organization", "Hope & Health"},
            {"address", {{"formatted", "1 Main St, Redlands, CA 92374"}, {"line1", "1 Main St"}}},
            {"lat", 34.06},
            {"lon", -117.18},
            {"geo_precision", "exact"},
            {"distance_miles", 2.25},
            {"terms", {{"care", {"detox", "detox-residential"}}, {"payment", {"medicaid"}}}},
            {"call", {{"display", "(909) 555-0100"}, {"e164", "+19095550100"}, {"shared_by", 3}}},
            {"hours", {{"weekly", json::array()}}},
            {"source", {{"as_of", "2023-01-01"}, {"last_verified", nullptr}}}};
  if (extra.is_object()) r.update(extra);
  return r;
}

std::optional<std::string> Cards(json results, std::string_view lang = "en",
                                 json extra = json::object()) {
  json answer = {{"results", std::move(results)}};
  answer.update(extra);
  return RenderResultCards(answer, Taxonomy::Embedded(), lang, WebStrings());
}

TEST(ResultCards, TheDecisionOnACard) {
  auto html = Cards({Result(json::object())});
  ASSERT_TRUE(html);
  EXPECT_NE(html->find("<h3><a href=\"/listing/5c1b0c32-8f7e-5b51-9c53-0d1c6a0f4b1e\">Hope &amp; Health</a></h3>"
                       "<p class=\"sub\">Detox unit</p>"),
            std::string::npos) << *html;
  // toFixed rounds the exact half up (printf would give 2.2).
  EXPECT_NE(html->find("<p class=\"meta\">2.3 miles away</p>"), std::string::npos) << *html;
  EXPECT_NE(html->find("<a class=\"call\" href=\"tel:+19095550100\">Call <span class=\"vh\">Hope &amp; Health, "
                       "</span>(909) 555-0100</a><span class=\"note shared\">"),
            std::string::npos) << *html;
  EXPECT_NE(html->find("directions?to=34.06000,-117.18000"), std::string::npos) << *html;
  EXPECT_NE(html->find("<li>Takes Medicaid</li>"), std::string::npos) << *html;
  EXPECT_NE(html->find("<p class=\"prov\">As of Jan 1, 2023 · not verified</p>"), std::string::npos) << *html;
  // Only the most specific care term.
  EXPECT_NE(html->find("<p class=\"care\">Residential detox</p>"), std::string::npos) << *html;
}

TEST(ResultCards, InSpanish) {
  auto html = Cards({Result(json::object())}, "es");
  ASSERT_TRUE(html);
  EXPECT_NE(html->find(">Llamar <span"), std::string::npos) << *html;
  EXPECT_NE(html->find("1 ene 2023"), std::string::npos) << *html;
  EXPECT_NE(html->find("Acepta Medicaid"), std::string::npos) << *html;
}

TEST(ResultCards, NoneWhenOnlyTheBrowserCanWriteThem) {
  json weekday = {{"weekly", {{{"day", "MO"}, {"opens", "08:00"}, {"closes", "17:00"}}}}};
  EXPECT_FALSE(Cards({Result(json::object()), Result({{"hours", weekday}})}));        // the device's clock
  EXPECT_FALSE(Cards({Result({{"kind", "meeting"}})}));                  // a meeting's time zone
  EXPECT_FALSE(Cards({Result({{"conference", {{"url", "https://x.example"}}}})}));
  EXPECT_FALSE(Cards(json::array()));                                     // the failure card
  EXPECT_FALSE(Cards({Result(json::object())}, "en", {{"beyond", {{"results", {Result(json::object())}}}}}));
  EXPECT_FALSE(Cards({Result({{"source", {{"as_of", "January 2023"}}}})}));
  json always = json::array();
  for (const char* d : {"MO", "TU", "WE", "TH", "FR", "SA", "SU"}) {
    always.push_back({{"day", d}, {"opens", "00:00"}, {"closes", "24:00"}});
  }
  auto open24 = Cards({Result({{"hours", {{"weekly", always}}}})});
  ASSERT_TRUE(open24);
  EXPECT_NE(open24->find("<p class=\"when\">Open 24 hours</p>"), std::string::npos);
}

TEST(ResultCards, TheHelplineWhenAListingGivesNoNumber) {
  auto html = Cards({Result({{"call", {{"display", "1-800-662-4357"}, {"e164", "+18006624357"},
                                       {"helpline", true}}}})});
  ASSERT_TRUE(html);
  EXPECT_NE(html->find("href=\"tel:+18006624357\">Call SAMHSA’s helpline 1-800-662-4357"),
            std::string::npos) << *html;
}

class FirstAnswerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = carefinder::testing::UniqueTempPath("first_answer_test.db");
    carefinder::testing::WriteFixtureDb(path_, carefinder::testing::DefaultListings());
    auto s = store::ListingStore::Open(path_, {.refresh_interval = std::chrono::milliseconds(0)});
    ASSERT_TRUE(s) << s.error().message;
    store_ = std::move(*s);
  }
  std::string Make(std::multimap<std::string, std::string> q, std::string_view lang, bool* embedded = nullptr) {
    store::ReadSession session(*store_);
    std::string html = IndexHtml();
    PageInLanguage(lang, WebStrings(), html);
    bool e = EmbedFirstSearch(session, Page(std::move(q)), lang, WebStrings(), html);
    if (embedded) *embedded = e;
    return html;
  }
  std::string path_;
  std::unique_ptr<store::ListingStore> store_;
};

TEST_F(FirstAnswerTest, ADetoxLinkComesWithItsAnswerCardsAndWarning) {
  bool embedded = false;
  std::string html = Make({{"near", "92374"}, {"care", "detox"}}, "en", &embedded);
  EXPECT_TRUE(embedded);
  EXPECT_NE(html.find("<html data-first-answer lang=\"en\">"), std::string::npos);
  EXPECT_NE(html.find("id=\"first-answer\" data-url=\"/api/v1/search?near=92374&amp;care=detox\" "
                      "data-status=\"200\""),
            std::string::npos);
  EXPECT_NE(html.find("<ol id=\"results\" class=\"cards\"><li class=\"card\">"), std::string::npos);
  EXPECT_NE(html.find(">Liberty House Recovery</a></h3>"), std::string::npos);
  EXPECT_NE(html.find("<div id=\"detox-note\" class=\"note\">"), std::string::npos);  // not hidden
}

TEST_F(FirstAnswerTest, AnUnknownPlacesProblemComesInsideToo) {
  bool embedded = false;
  std::string html = Make({{"near", "Atlantis, ZZ"}}, "en", &embedded);
  EXPECT_TRUE(embedded);
  EXPECT_NE(html.find("data-status=\"400\" data-type=\"application/problem+json\""), std::string::npos);
  EXPECT_NE(html.find("<ol id=\"results\" class=\"cards\"></ol>"), std::string::npos);  // the script's help card
}

TEST_F(FirstAnswerTest, NothingInsideWithoutASearchOrForTheDevicesClock) {
  bool embedded = true;
  std::string html = Make({}, "en", &embedded);
  EXPECT_FALSE(embedded);
  EXPECT_EQ(html, IndexHtml());
  Make({{"near", "92374"}, {"when", "now"}}, "en", &embedded);
  EXPECT_FALSE(embedded);
}

TEST_F(FirstAnswerTest, TheAnswerCannotEndItsScriptElement) {
  // An unknown place's problem says the place as typed.
  std::string html = Make({{"near", "</script><script>alert(1)</script><!--"}}, "en");
  size_t start = html.find("id=\"first-answer\"");
  ASSERT_NE(start, std::string::npos);
  size_t end = html.find("</script>", start);
  std::string block = html.substr(start, end - start);
  EXPECT_EQ(block.find('<'), std::string::npos) << block;
  EXPECT_NE(block.find("\\u003c/script>"), std::string::npos) << block;  // the place typed, kept
}

TEST_F(FirstAnswerTest, ASpanishPageIsSpanishBeforeAnyScript) {
  std::string html = Make({{"near", "92374"}, {"care", "detox"}, {"lang", "es"}}, "es");
  EXPECT_NE(html.find("lang=\"es\">"), std::string::npos);
  EXPECT_NE(html.find("<link rel=\"modulepreload\" href=\"/js/i18n_es.js\">"), std::string::npos);
  EXPECT_NE(html.find("href=\"/api/v1/taxonomy?lang=es\""), std::string::npos);
  EXPECT_EQ(html.find("href=\"/api/v1/taxonomy\""), std::string::npos);  // not the English labels
  EXPECT_NE(html.find(" y presione 2 para español"), std::string::npos);  // the crisis bar
  EXPECT_NE(html.find(">Llamar <span class=\"vh\">Liberty House Recovery, "), std::string::npos);
  EXPECT_NE(html.find("href=\"/listing/" + carefinder::testing::FixtureId("liberty-house-detox") + "?lang=es\""),
            std::string::npos);  // links keep the language, as i18n.js withLang does
  EXPECT_EQ(html.find(">Need help now?<"), std::string::npos);
}

}  // namespace
}  // namespace carefinder::api
