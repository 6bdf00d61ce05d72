// The listing document (src/core/listing_document.h): its exact text, what
// reads back, the id and a member without parsing, splicing a member in,
// the fields two documents differ in, and the strings stored beside it.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/listing_document.h"

namespace carefinder::listing_document {
namespace {

ListingRecord Liberty() {
  ListingRecord r;
  r.source = "fixture";
  r.source_url = "https://carefinder.example/data";
  r.source_license = "CC0";
  r.as_of = "2026-11-22";
  r.name = "Medically supervised detox";
  r.organization = "Liberty House Recovery";
  r.description = "Nurses on site.";
  r.location_name = "Liberty House Recovery";  // repeats the organisation: written null
  r.address = {"712 The Terrace", "Suite 2", "Redlands", "CA", "92374"};
  r.latitude = 34.068515;
  r.longitude = -117.175322;
  r.precision = GeoPrecision::kPostalCodeCentroid;
  r.phones = {{"main", "+19094887181", "(909) 488-7181", "12"}};
  r.services_stated = true;
  r.source_attributes = {"XYZ"};
  r.hours = {{"MO", "08:00", "17:00"}, {"TU", "", ""}};
  r.timezone = "America/Los_Angeles";
  return r;
}

const std::vector<TermGroup> kTerms = {{"kind", {"treatment"}},
                                       {"care", {"detox", "detox-residential"}},
                                       {"payment", {}}};

TEST(ListingDocument, WritesEveryFieldInItsFixedOrderAndEmptyAsNull) {
  EXPECT_EQ(
      Write(Liberty(), "id-1", kTerms, ""),
      R"({"id":"id-1","kind":"treatment","status":"active","name":"Medically supervised detox",)"
      R"("organization":"Liberty House Recovery","description":"Nurses on site.",)"
      R"("location_name":null,"address":{"line1":"712 The Terrace","line2":"Suite 2",)"
      R"("city":"Redlands","state":"CA","zip":"92374",)"
      R"("formatted":"712 The Terrace, Suite 2, Redlands, CA 92374"},)"
      R"("lat":34.068515,"lon":-117.175322,"geo_precision":"postal_code_centroid",)"
      R"("phones":[{"role":"main","display":"(909) 488-7181","e164":"+19094887181","extension":"12"}],)"
      R"("website":null,"email":null,"terms":{"kind":["treatment"],"care":["detox","detox-residential"]},)"
      R"("services_stated":true,"other_services":["XYZ"],"hours":{"text":null,"weekly":[)"
      R"({"day":"MO","opens":"08:00","closes":"17:00"},{"day":"TU","opens":"00:00","closes":"24:00"}],)"
      R"("timezone":"America/Los_Angeles"},"conference":{"url":null,"phone":null},)"
      R"("source":{"name":"fixture","url":"https://carefinder.example/data","license":"CC0",)"
      R"("as_of":"2026-11-22","imported_at":null,"last_verified":null}})");
}

TEST(ListingDocument, NoCoordinatesMeansNoPrecision) {
  ListingRecord r = Liberty();
  r.latitude.reset();
  r.longitude.reset();
  std::string doc = Write(r, "id-1", std::vector<TermGroup>{}, "");
  EXPECT_NE(doc.find(R"("lat":null,"lon":null,"geo_precision":null)"), std::string::npos) << doc;
  EXPECT_NE(doc.find(R"("terms":{})"), std::string::npos) << doc;
}

TEST(ListingDocument, ReadGivesBackWhatWriteWrote) {
  ListingRecord r = Liberty();
  r.location_name = "St. Mark's Church";
  r.conference_url = "https://zoom.example/j/1";
  r.hours_text = "Mo 08:00-17:00";
  auto doc = Read(Write(r, "id-1", kTerms, "2026-11-22T05:00:00Z"));
  ASSERT_TRUE(doc) << doc.error().message;
  EXPECT_EQ(doc->id, "id-1");
  EXPECT_EQ(doc->imported_at, "2026-11-22T05:00:00Z");
  std::vector<TermGroup> written = {kTerms[0], kTerms[1]};  // an empty group is not written
  EXPECT_EQ(doc->terms, written) << "groups keep their order";
  const ListingRecord& back = doc->record;
  EXPECT_EQ(back.name, r.name);
  EXPECT_EQ(back.organization, r.organization);
  EXPECT_EQ(back.location_name, "St. Mark's Church");
  EXPECT_EQ(back.address.line2, "Suite 2");
  EXPECT_EQ(back.address.postal_code, "92374");
  EXPECT_EQ(back.latitude, r.latitude) << "the shortest text reads back as the same double";
  EXPECT_EQ(back.longitude, r.longitude);
  EXPECT_EQ(back.precision, GeoPrecision::kPostalCodeCentroid);
  ASSERT_EQ(back.phones.size(), 1u);
  EXPECT_EQ(back.phones[0].display, "(909) 488-7181");
  EXPECT_EQ(back.phones[0].e164, "+19094887181");
  EXPECT_EQ(back.phones[0].extension, "12");
  EXPECT_TRUE(back.services_stated);
  EXPECT_EQ(back.source_attributes, std::vector<std::string>{"XYZ"});
  ASSERT_EQ(back.hours.size(), 2u);
  EXPECT_EQ(back.hours[1].opens, "00:00") << "all day reads back as written";
  EXPECT_EQ(back.hours_text, "Mo 08:00-17:00");
  EXPECT_EQ(back.timezone, "America/Los_Angeles");
  EXPECT_EQ(back.conference_url, "https://zoom.example/j/1");
  EXPECT_EQ(back.source, "fixture");
  EXPECT_EQ(back.source_license, "CC0");
  EXPECT_EQ(back.as_of, "2026-11-22");
  EXPECT_EQ(back.last_verified, "");
}

TEST(ListingDocument, ReadRefusesWhatIsNotAnObject) {
  EXPECT_FALSE(Read("[1]"));
  EXPECT_FALSE(Read("{\"id\":"));
  auto empty = Read("{}");
  ASSERT_TRUE(empty);
  EXPECT_EQ(empty->record.name, "");
  EXPECT_FALSE(empty->record.latitude);
}

TEST(ListingDocument, IdOfReadsTheLeadingIdOnly) {
  EXPECT_EQ(IdOf(Write(Liberty(), "5f0c-id", kTerms, "")), "5f0c-id");
  EXPECT_EQ(IdOf(R"({"name":"x","id":"late"})"), "");
  EXPECT_EQ(IdOf(""), "");
}

// MemberOf skips strings without reading them: quotes, backslashes,
// brackets and a key's own text inside a string are not structure.
TEST(ListingDocument, MemberOfFindsATopLevelMemberPastAnyString) {
  std::string doc = Write(Liberty(), "5f0c-id", kTerms, "");
  std::string_view phones = MemberOf(doc, "phones");
  ASSERT_FALSE(phones.empty());
  EXPECT_EQ(nlohmann::json::parse(phones), nlohmann::json::parse(doc)["phones"]);
  EXPECT_EQ(MemberOf(doc, "id"), "\"5f0c-id\"");

  std::string tricky =
      R"({"name":"a \"phones\":[\"x\"] b\\","address":{"phones":["inner"]},)"
      R"("description":"ends in a slash \\\\","note":"{[,]}","phones":[{"e164":"+1"}],"z":null})";
  ASSERT_TRUE(nlohmann::json::accept(tricky));
  EXPECT_EQ(MemberOf(tricky, "phones"), R"([{"e164":"+1"}])");
  EXPECT_EQ(MemberOf(tricky, "address"), R"({"phones":["inner"]})");
  EXPECT_EQ(MemberOf(tricky, "z"), "null");
  EXPECT_EQ(MemberOf(tricky, "inner"), "");
  EXPECT_EQ(MemberOf(R"({"phones":["unclosed)", "phones"), "");
  EXPECT_EQ(MemberOf("[]", "phones"), "");
  EXPECT_EQ(MemberOf("", "phones"), "");
}

TEST(ListingDocument, AppendWithFieldAddsTheLastMember) {
  std::string out = "[";
  AppendWithField(out, R"({"id":"a"} )", "distance_miles", R"(1.5,"call":null)");
  EXPECT_EQ(out, R"([{"id":"a","distance_miles":1.5,"call":null})");
  std::string empty;
  AppendWithField(empty, "{}", "k", "true");
  EXPECT_EQ(empty, R"({"k":true})");
}

TEST(ListingDocument, ChangedFieldsNamesTopLevelKeysAndObjectMembers) {
  ListingRecord before = Liberty(), after = Liberty();
  after.address.postal_code = "92373";
  after.phones.clear();
  after.as_of = "2026-12-01";
  std::string a = Write(before, "id", kTerms, "2026-01-01T00:00:00Z");
  std::string b = Write(after, "id", {{"care", {"detox"}}}, "2026-12-01T00:00:00Z");
  EXPECT_EQ(ChangedFields(a, b), (std::vector<std::string>{
                                     "address.zip", "address.formatted", "phones", "terms.care",
                                     "terms.kind", "source.as_of"}))
      << "imported_at is never a change; a member only the old one has follows the new ones";
  EXPECT_EQ(ChangedFields(a, a), std::vector<std::string>{});
}

TEST(ListingDocument, FormatAddressLeavesOutAbsentParts) {
  EXPECT_EQ(FormatAddress({"1 Main St", "", "Redlands", "CA", "92374"}), "1 Main St, Redlands, CA 92374");
  EXPECT_EQ(FormatAddress({"", "", "", "CA", "92374"}), "CA 92374");
  EXPECT_EQ(FormatAddress({"", "", "", "", "92374"}), "92374");
  EXPECT_EQ(FormatAddress({}), "");
}

TEST(ListingDocument, TermsStringPutsEveryCodeBetweenSpaces) {
  EXPECT_EQ(TermsString({"detox", "medicaid"}), " detox medicaid ");
  EXPECT_EQ(TermsString({}), " ");
}

TEST(ListingDocument, FullTextPlaceHoldsThePlaceWords) {
  EXPECT_EQ(FullTextPlace("Redlands", "CA", "92374"), "Redlands CA 92374");
  EXPECT_EQ(FullTextPlace("", "", "92374"), "92374");
  EXPECT_EQ(FullTextPlace("", "", ""), "");
}

}  // namespace
}  // namespace carefinder::listing_document
