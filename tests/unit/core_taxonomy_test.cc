// core/taxonomy.h and core/curated_columns.h: the one vocabulary. Parsing
// and its errors, grouping in the order of kTermGroups, lookup, ancestors,
// and that the embedded data/taxonomy.csv, the group list and the curated
// columns agree with each other.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <sstream>

#include "core/curated_columns.h"
#include "core/taxonomy.h"

namespace carefinder {
namespace {

constexpr const char* kHeader = "group,code,label,explanation,parent\n";

Result<Taxonomy> ParseText(const std::string& rows) {
  std::istringstream in(kHeader + rows);
  return Taxonomy::Parse(in);
}

std::vector<std::string> GroupNames(const Taxonomy& t) {
  std::vector<std::string> out;
  for (const auto& g : t.groups()) out.push_back(g.name);
  return out;
}

std::vector<std::string> ListedGroupNames() {
  std::vector<std::string> out;
  for (const auto& g : kTermGroups) out.emplace_back(g.name);
  return out;
}

TEST(TermGroups, AreNineInDisplayOrderAndFoundByName) {
  EXPECT_EQ(ListedGroupNames(),
            (std::vector<std::string>{"care", "medication", "substance", "support", "payment",
                                      "population", "language", "attendance", "kind"}));
  ASSERT_NE(FindTermGroup("payment"), nullptr);
  EXPECT_EQ(FindTermGroup("payment")->label, "Payment");
  EXPECT_EQ(FindTermGroup("payment")->label_es, "Pago");
  EXPECT_EQ(FindTermGroup("Payment"), nullptr);
  EXPECT_EQ(FindTermGroup("insurance"), nullptr);
}

TEST(TermGroups, SourcesMayLeaveUnsaidOnlyServiceGroups) {
  std::vector<std::string> statable;
  for (const auto& g : kTermGroups) {
    if (g.statable) statable.emplace_back(g.name);
  }
  EXPECT_EQ(statable, (std::vector<std::string>{"care", "medication", "substance", "payment",
                                                "population", "language"}));
}

TEST(Taxonomy, GroupsFollowTheListedOrderWithUnknownGroupsLast) {
  auto t = ParseText(
      "zodiac,leo,Leo,x,\npayment,free,Free,x,\ncare,detox,Detox,x,\n"
      "care,detox-residential,Residential detox,x,detox\nkind,meeting,Meeting,x,\n");
  ASSERT_TRUE(t) << t.error().message;
  EXPECT_EQ(GroupNames(*t), (std::vector<std::string>{"care", "payment", "kind", "zodiac"}));
  EXPECT_EQ(t->groups()[0].label, "Type of care");
  EXPECT_EQ(t->groups()[3].label, "zodiac");  // not listed: its name
  EXPECT_EQ(t->groups()[0].term_indexes, (std::vector<int>{2, 3}));
  EXPECT_EQ(t->group_index_of(1), 1);  // free -> payment
  EXPECT_EQ(t->group_index_of(0), 3);  // leo -> zodiac
  ASSERT_NE(t->FindGroup("kind"), nullptr);
  EXPECT_EQ(t->FindGroup("kind")->term_indexes, (std::vector<int>{4}));
  EXPECT_EQ(t->FindGroup("substance"), nullptr);  // listed, but no terms
}

TEST(Taxonomy, FindsTermsByCodeWithTheirIndexAndParent) {
  auto t = ParseText("care,detox,Detox,Help to stop safely,\ncare,detox-residential,Residential,x,detox\n");
  ASSERT_TRUE(t);
  const Term* term = t->Find("detox-residential");
  ASSERT_NE(term, nullptr);
  EXPECT_EQ(term->group, "care");
  EXPECT_EQ(term->label, "Residential");
  EXPECT_EQ(term->parent, "detox");
  EXPECT_EQ(term->index, 1);
  EXPECT_EQ(t->Find("detox")->explanation, "Help to stop safely");
  EXPECT_EQ(t->Find("Detox"), nullptr);  // codes are exact
  EXPECT_TRUE(t->InGroup("detox", "care"));
  EXPECT_FALSE(t->InGroup("detox", "payment"));
  EXPECT_FALSE(t->InGroup("nothing", "care"));
}

TEST(Taxonomy, FindsEveryCodeAndNothingElse) {
  // Find hashes a code's first and last 8 bytes and its length: codes that
  // share those, or are a prefix of another, must still be told apart.
  Taxonomy t = Taxonomy::FromTerms({{"care", "outpatient-intensive-care", "A", "", "", 0},
                                    {"care", "outpatient-extensive-care", "B", "", "", 0},  // same hash
                                    {"care", "outpatient-intensive-cure", "C", "", "", 0},
                                    {"care", "outpatient", "D", "", "", 0},
                                    {"care", "out", "E", "", "", 0},
                                    {"care", "", "F", "", "", 0}});
  for (const Term& term : t.terms()) {
    ASSERT_NE(t.Find(term.code), nullptr) << term.code;
    EXPECT_EQ(t.Find(term.code)->index, term.index) << term.code;
  }
  EXPECT_EQ(t.Find("outpatient-expensive-care"), nullptr);
  EXPECT_EQ(t.Find("outpatien"), nullptr);
  EXPECT_EQ(t.Find("ou"), nullptr);
  EXPECT_EQ(t.Find(std::string("out\0", 4)), nullptr);
  EXPECT_EQ(Taxonomy().Find("out"), nullptr);  // an empty taxonomy
  const Taxonomy& embedded = Taxonomy::Embedded();
  for (const Term& term : embedded.terms()) EXPECT_EQ(embedded.Find(term.code), &term) << term.code;
}

TEST(Taxonomy, ParseNamesTheFaultyRowOrTerm) {
  auto missing = ParseText("care,,Detox,x,\n");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().message, "taxonomy:2: group, code and label are required");
  auto twice = ParseText("care,detox,Detox,x,\npayment,detox,Detox,x,\n");
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().message, "taxonomy: duplicate code 'detox'");
  auto other_group = ParseText("care,detox,Detox,x,\npayment,free,Free,x,detox\n");
  ASSERT_FALSE(other_group);
  EXPECT_EQ(other_group.error().message,
            "taxonomy: term 'free' has parent 'detox', which is not a code of group 'payment'");
  auto no_parent = ParseText("care,detox-residential,R,x,detox\n");
  ASSERT_FALSE(no_parent);
  EXPECT_EQ(no_parent.error().message, "taxonomy: term 'detox-residential' has parent 'detox', "
                                       "which is not a code of group 'care'");
  std::istringstream no_column("group,code,label,parent\ncare,detox,Detox,\n");
  auto column = Taxonomy::Parse(no_column);
  ASSERT_FALSE(column);
  EXPECT_EQ(column.error().message, "taxonomy: missing column 'explanation'");
}

TEST(Taxonomy, FromTermsIndexesInTheOrderGivenWithoutChecks) {
  // The store's rows: ordered by group and position, already checked on import.
  Taxonomy t = Taxonomy::FromTerms({{"payment", "free", "Free", "", "", 7},
                                    {"care", "detox", "Detox", "", "", 7},
                                    {"care", "detox", "Again", "", "", 7}});
  EXPECT_EQ(t.terms()[1].index, 1);
  EXPECT_EQ(t.Find("detox")->label, "Detox");  // the first of a repeated code
  EXPECT_EQ(GroupNames(t), (std::vector<std::string>{"care", "payment"}));
  EXPECT_EQ(t.group_index_of(0), 1);
}

TEST(Taxonomy, EmbeddedHasGroupsAndExpandsAncestors) {
  const Taxonomy& t = Taxonomy::Embedded();
  EXPECT_TRUE(t.InGroup("detox-residential", "care"));
  EXPECT_FALSE(t.InGroup("detox-residential", "payment"));
  auto with_ancestors = [&t](const std::vector<std::string>& codes) {
    std::vector<std::string> out;
    for (const Term* term : t.AncestorTerms(codes)) out.push_back(term->code);
    return out;
  };
  EXPECT_EQ(with_ancestors({"medicaid", "detox-residential"}),
            (std::vector<std::string>{"detox", "detox-residential", "medicaid"}));
  EXPECT_EQ(with_ancestors({"aa"}), (std::vector<std::string>{"twelve-step", "aa"}));
  EXPECT_EQ(with_ancestors({"no-such-code"}), std::vector<std::string>{});
  // A code and its parent named both, or twice: each term once.
  EXPECT_EQ(with_ancestors({"detox-residential", "detox", "detox-residential"}),
            (std::vector<std::string>{"detox", "detox-residential"}));
}

TEST(Taxonomy, AncestorsAreFollowedToTheTopAndStopAtAnUnknownParent) {
  Taxonomy t = Taxonomy::FromTerms({{"care", "top", "Top", "", "", 0},
                                    {"care", "middle", "Middle", "", "top", 0},
                                    {"care", "leaf", "Leaf", "", "middle", 0},
                                    {"care", "orphan", "Orphan", "", "gone", 0}});
  std::vector<std::string> out;
  for (const Term* term : t.AncestorTerms({"orphan", "leaf"})) out.push_back(term->code);
  EXPECT_EQ(out, (std::vector<std::string>{"top", "middle", "leaf", "orphan"}));
}

// Past 64 terms (more than one word of marks) and past 512 (marks on the
// heap): ancestors still come once each, in taxonomy order.
TEST(Taxonomy, AncestorsInALargeTaxonomyComeOnceInItsOrder) {
  for (int size : {100, 600}) {
    std::vector<Term> terms;
    for (int i = 0; i < size; ++i) {
      // Terms 0-9 are tops; every other term's parent is ten before it.
      terms.push_back({"care", "t" + std::to_string(i), "T", "", i < 10 ? "" : "t" + std::to_string(i - 10), 0});
    }
    Taxonomy t = Taxonomy::FromTerms(std::move(terms));
    std::vector<std::string> out;
    for (const Term* term : t.AncestorTerms({"t" + std::to_string(size - 1), "t75", "t5", "t75"}))
      out.push_back(term->code);
    std::vector<std::string> expected;
    for (int i = 5; i <= 75; i += 10) expected.push_back("t" + std::to_string(i));  // t5's chain to t75
    for (int i = 9; i < size; i += 10) expected.push_back("t" + std::to_string(i));  // the last term's
    std::sort(expected.begin(), expected.end(), [](const std::string& a, const std::string& b) {
      return std::stoi(a.substr(1)) < std::stoi(b.substr(1));
    });
    EXPECT_EQ(out, expected) << size;
  }
}

TEST(Taxonomy, EmbeddedGroupsAreExactlyTheListedOnes) {
  // data/taxonomy.csv has terms in every listed group and in no other, so
  // GET /api/v1/taxonomy answers every group the search API accepts.
  EXPECT_EQ(GroupNames(Taxonomy::Embedded()), ListedGroupNames());
}

TEST(CuratedColumns, HoldEveryTermColumnGroupOnceAndTheKind) {
  std::set<std::string_view> columns(kCuratedColumns.begin(), kCuratedColumns.end());
  EXPECT_EQ(columns.size(), kCuratedColumns.size()) << "a column is listed twice";
  for (const auto& g : kTermGroups) {
    EXPECT_TRUE(columns.count(g.name)) << g.name;  // kind is a column of its own
  }
  EXPECT_FALSE(FindTermGroup("kind")->curated_column);
  int term_columns = std::ranges::count_if(kTermGroups, &TermGroupInfo::curated_column);
  EXPECT_EQ(term_columns, 8);
}

}  // namespace
}  // namespace carefinder
