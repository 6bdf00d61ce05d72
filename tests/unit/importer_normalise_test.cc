// Unit tests for importer/normalise.h and importer/taxonomy.h: phones, ZIPs,
// URLs, markup, hours, dates, ancestor expansion.
#include <gtest/gtest.h>

#include <sstream>

#include "importer/normalise.h"

namespace carefinder::importer {
namespace {

TEST(ParsePhone, CommonUsFormsBecomeE164AndDisplay) {
  for (const char* text : {"(909) 488-7181", "909-488-7181", "909.488.7181", "+1 909 488 7181",
                           "1-909-488-7181", "9094887181"}) {
    auto p = ParsePhone(text, "main");
    ASSERT_TRUE(p) << text << ": " << p.error().message;
    EXPECT_EQ(p->e164, "+19094887181") << text;
    EXPECT_EQ(p->display, "(909) 488-7181") << text;
    EXPECT_EQ(p->extension, "") << text;
  }
}

TEST(ParsePhone, ExtensionIsSplitOff) {
  for (const char* text : {"800-474-4848 x3026", "800-474-4848 ext. 3026", "800-474-4848x3026",
                           "(800) 474-4848 extension 3026"}) {
    auto p = ParsePhone(text, "main");
    ASSERT_TRUE(p) << text;
    EXPECT_EQ(p->e164, "+18004744848") << text;
    EXPECT_EQ(p->extension, "3026") << text;
  }
}

TEST(ParsePhone, VanityLettersMapToKeypadDigits) {
  auto p = ParsePhone("1-800-662-HELP", "hotline");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->e164, "+18006624357");
  EXPECT_EQ(p->display, "(800) 662-4357");
}

TEST(ParsePhone, ShortCodesOnlyForHotlines) {
  auto p = ParsePhone("988", "hotline");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->display, "988");
  EXPECT_EQ(p->e164, "");
  EXPECT_TRUE(ParsePhone("211", "hotline"));
  EXPECT_TRUE(ParsePhone("911", "hotline"));
  auto main = ParsePhone("988", "main");
  ASSERT_FALSE(main);
  EXPECT_EQ(main.error().message, "short code \"988\" is allowed only for role 'hotline'");
}

TEST(ParsePhone, RejectsWhatIsNotAUsNumber) {
  for (const char* text : {"555-12", "123-456-7890", "+44 20 7946 0958", "call us", "909-488-7181!"}) {
    auto p = ParsePhone(text, "main");
    ASSERT_FALSE(p) << text;
    EXPECT_EQ(p.error().message, "\"" + std::string(text) + "\" is not a US phone number");
  }
}

TEST(ParsePhones, RolesAndDefault) {
  auto phones = ParsePhones("main: (909) 488-7181; hotline: 988; intake: 909-555-0143 x12");
  ASSERT_TRUE(phones);
  ASSERT_EQ(phones->size(), 3u);
  EXPECT_EQ((*phones)[0].role, "main");
  EXPECT_EQ((*phones)[1].role, "hotline");
  EXPECT_EQ((*phones)[2].extension, "12");
  EXPECT_EQ(ParsePhones("(909) 488-7181")->at(0).role, "main");
  auto bad = ParsePhones("pager: 909-488-7181");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().message,
            "\"pager\" is not a phone role (main, intake, hotline, fax, tty, sms)");
}

TEST(NormalizeZip, PadsCutsAndRejects) {
  EXPECT_EQ(*NormalizeZip("92374"), "92374");
  EXPECT_EQ(*NormalizeZip("6708"), "06708");
  EXPECT_EQ(*NormalizeZip("501"), "00501");
  EXPECT_EQ(*NormalizeZip("92374-1234"), "92374");
  for (const char* bad : {"9237x", "12", "923741", "92374-12", "ABCDE"}) {
    auto z = NormalizeZip(bad);
    ASSERT_FALSE(z) << bad;
    EXPECT_EQ(z.error().message, "\"" + std::string(bad) + "\" is not a 5-digit ZIP code");
  }
}

TEST(CheckUrl, AcceptsHttpAndHttps) {
  EXPECT_EQ(*CheckUrl("https://libertyhouse.example/"), "https://libertyhouse.example/");
  EXPECT_TRUE(CheckUrl("http://example.org/programs/admin-team"));
  EXPECT_TRUE(CheckUrl("https://example.org/administration-office"));
}

TEST(CheckUrl, RejectsOtherSchemesCredentialsAndAdminPages) {
  EXPECT_EQ(CheckUrl("ftp://example.org/x").error().message,
            "\"ftp://example.org/x\" is not an http or https URL");
  EXPECT_EQ(CheckUrl("javascript:alert(1)").error().message,
            "\"javascript:alert(1)\" is not an http or https URL");
  EXPECT_EQ(CheckUrl("www.example.org").error().message,
            "\"www.example.org\" is not an http or https URL");
  EXPECT_EQ(CheckUrl("https://user:pass@example.org/").error().message,
            "\"https://user:pass@example.org/\" contains credentials");
  EXPECT_EQ(CheckUrl("https://example.org/wp-admin/post.php").error().message,
            "\"https://example.org/wp-admin/post.php\" links to an admin page");
  EXPECT_EQ(CheckUrl("https://example.org/admin").error().message,
            "\"https://example.org/admin\" links to an admin page");
}

TEST(CheckEmail, SimpleShape) {
  EXPECT_TRUE(CheckEmail("intake@inlandvalley.example"));
  EXPECT_EQ(CheckEmail("intake at example").error().message,
            "\"intake at example\" is not an e-mail address");
}

TEST(CleanText, StripsTagsDecodesEntitiesCollapsesSpace) {
  EXPECT_EQ(CleanText("  Counselling &amp; <b>relapse</b>\n prevention  "),
            "Counselling & relapse prevention");
  EXPECT_EQ(CleanText("<p>One</p><p>Two</p>"), "One Two");
  EXPECT_EQ(CleanText("Caf&#233; &#x2013; &lt;open&gt;"), "Café – <open>");
  EXPECT_EQ(CleanText("a < b & c"), "a < b & c");
  EXPECT_EQ(CleanText("<script>x</script>Safe"), "x Safe");
  // Text around and between what is replaced is kept whole.
  EXPECT_EQ(CleanText("Tom &amp; Jerry&amp;Co <i>open</i>"), "Tom & Jerry&Co open");
  EXPECT_EQ(CleanText("a <b"), "a");                   // an unclosed tag ends the text
  EXPECT_EQ(CleanText("&&amp;&"), "&&&");
  EXPECT_EQ(CleanText("1 < 2 and 3<4"), "1 < 2 and 3<4");
  EXPECT_EQ(CleanText(" \t\n "), "");
  EXPECT_EQ(CleanText(""), "");
  EXPECT_EQ(CleanText("x\t\ty \r\n z"), "x y z");
}

// CleanText looks for '<' and '&' 8 bytes at a time: found wherever they
// fall in or across those steps, and only those two.
TEST(CleanText, FindsTagsAndEntitiesAtEveryPlace) {
  for (size_t at = 0; at < 20; ++at) {
    std::string before(at, 'a'), after(19 - at, 'b');
    EXPECT_EQ(CleanText(before + "&amp;" + after), before + "&" + after) << at;
    EXPECT_EQ(CleanText(before + "<i>" + after), before + (at && after.size() ? " " : "") + after) << at;
    std::string other = before + ";" + after;  // bytes next to '<' (0x3c) and '&' (0x26)
    other[at] = "%';=>"[at % 5];
    EXPECT_EQ(CleanText(other), other) << at;
  }
}

TEST(ParseHours, TwentyFourSevenIsEveryDayAllDay) {
  auto h = ParseHours("24/7");
  ASSERT_TRUE(h);
  ASSERT_EQ(h->size(), 7u);
  EXPECT_EQ((*h)[0].day, "MO");
  EXPECT_EQ((*h)[6].day, "SU");
  EXPECT_EQ((*h)[0].opens, "");
}

TEST(ParseHours, DayRangesAndRules) {
  auto h = ParseHours("Mo-Fr 08:00-17:00; Sa 09:00-12:00");
  ASSERT_TRUE(h);
  ASSERT_EQ(h->size(), 6u);
  EXPECT_EQ((*h)[4].day, "FR");
  EXPECT_EQ((*h)[4].closes, "17:00");
  EXPECT_EQ((*h)[5].day, "SA");
  EXPECT_EQ((*h)[5].opens, "09:00");
  auto wrap = ParseHours("Sa-Mo 22:00-06:00");
  ASSERT_TRUE(wrap);
  ASSERT_EQ(wrap->size(), 3u);
  EXPECT_EQ((*wrap)[2].day, "MO");
  EXPECT_EQ(ParseHours("Tu,Th 7:00-20:00")->at(1).opens, "07:00");
}

TEST(ParseHours, RejectsWithTheRuleQuoted) {
  auto h = ParseHours("Mo-Fr 8-5");
  ASSERT_FALSE(h);
  EXPECT_EQ(h.error().message,
            "\"Mo-Fr 8-5\" is not opening hours (24/7, or days and times like "
            "\"Mo-Fr 08:00-17:00; Sa 09:00-12:00\")");
  EXPECT_FALSE(ParseHours("Xx 08:00-17:00"));
  EXPECT_FALSE(ParseHours("Mo 25:00-26:00"));
}

TEST(ParseDegrees, RangeAndNumbers) {
  EXPECT_DOUBLE_EQ(*ParseDegrees(" 34.832909 ", 90), 34.832909);
  EXPECT_DOUBLE_EQ(*ParseDegrees("-180", 180), -180);
  EXPECT_EQ(ParseDegrees("95.5", 90).error().message, "95.5 is out of range (-90 to 90)");
  EXPECT_EQ(ParseDegrees("-217.17", 180).error().message, "-217.17 is out of range (-180 to 180)");
  EXPECT_EQ(ParseDegrees("north", 90).error().message, "\"north\" is not a number");
  EXPECT_EQ(ParseDegrees("nan", 90).error().message, "\"nan\" is not a number");
}

TEST(CheckUtf8, NamesTheFirstBadByte) {
  EXPECT_TRUE(CheckUtf8("Clínica 中文"));
  EXPECT_EQ(CheckUtf8("Caf\xE9").error().message,
            "invalid UTF-8 at byte 4 (0xE9): save the file as UTF-8");
}

TEST(KeySlug, StableReadableKeyParts) {
  EXPECT_EQ(KeySlug("St. Mary's  Home"), "st-mary-s-home");
  EXPECT_EQ(KeySlug("  --50 Brookside Road-- "), "50-brookside-road");
  EXPECT_EQ(KeySlug("Clínica #392"), "clínica-392");
  EXPECT_EQ(KeySlug("..."), "");
}

}  // namespace
}  // namespace carefinder::importer
