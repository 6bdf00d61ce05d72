// Unit tests for the one date routine (core/date.h), and that every reader of
// a date in Carefinder agrees with it: 2024-02-29 is a day, 2024-02-31 and
// 2023-02-29 are not, whichever command or parameter they come through.
#include <gtest/gtest.h>

#include "api/feedback_cli.h"
#include "api/hsds_params.h"
#include "api/time_params.h"
#include "core/date.h"
#include "core/exit_code.h"
#include "importer/cli.h"

namespace carefinder {
namespace {

using namespace std::chrono;

TEST(IsoDate, RealDaysOnly) {
  EXPECT_EQ(date::ParseIsoDate("2024-02-29"), year{2024} / February / 29);
  EXPECT_TRUE(date::IsIsoDate("2026-11-22"));
  EXPECT_TRUE(date::IsIsoDate("2000-02-29"));   // divisible by 400: leap
  EXPECT_FALSE(date::IsIsoDate("2024-02-31"));  // not rolled over into March 2
  EXPECT_FALSE(date::IsIsoDate("2023-02-29"));
  EXPECT_FALSE(date::IsIsoDate("1900-02-29"));  // divisible by 100: not leap
  EXPECT_FALSE(date::IsIsoDate("2024-04-31"));
  EXPECT_FALSE(date::IsIsoDate("2026-13-01"));
  EXPECT_FALSE(date::IsIsoDate("2026-00-10"));
  EXPECT_FALSE(date::IsIsoDate("2026-01-00"));
}

TEST(IsoDate, ExactlyYearMonthDay) {
  EXPECT_FALSE(date::IsIsoDate("11/22/2026"));
  EXPECT_FALSE(date::IsIsoDate("2026-1-22"));
  EXPECT_FALSE(date::IsIsoDate("2026-11-22T00:00"));
  EXPECT_FALSE(date::IsIsoDate(" 2026-11-22"));
  EXPECT_FALSE(date::IsIsoDate("2026-+1-22"));
  EXPECT_FALSE(date::IsIsoDate(""));
}

TEST(IsoDate, DaysSinceTheEpoch) {
  EXPECT_EQ(date::DaysSinceEpoch(year{1970} / January / 1), 0);
  EXPECT_EQ(date::DaysSinceEpoch(year{1969} / December / 31), -1);
  EXPECT_EQ(date::DaysSinceEpoch(*date::ParseIsoDate("2024-03-01")) -
                date::DaysSinceEpoch(*date::ParseIsoDate("2024-02-28")), 2);
  EXPECT_EQ(date::DaysFromCivil(2026, 12, 2), 20789);  // date -d 2026-12-02Z +%s / 86400
  EXPECT_EQ(date::DaysFromCivil(2024, 2, 31), std::nullopt);
  EXPECT_EQ(date::DaysFromCivil(2023, 2, 29), std::nullopt);
  EXPECT_EQ(date::DaysFromCivil(2026, 13, 1), std::nullopt);
}

// The readers that used to disagree: HSDS modified_after turned 2024-02-31
// into March 2; feedback --before took any digits.
TEST(IsoDate, EveryReaderRefusesTheThirtyFirstOfFebruary) {
  EXPECT_EQ(api::NormaliseDateTime("2024-02-31"), std::nullopt);
  EXPECT_EQ(api::NormaliseDateTime("2024-02-31T10:00:00Z"), std::nullopt);
  EXPECT_EQ(api::NormaliseDateTime("2023-02-29"), std::nullopt);
  EXPECT_EQ(api::NormaliseDateTime("2024-02-29"), "2024-02-29T00:00:00Z");
  EXPECT_FALSE(api::ParseLocalInstant("2024-02-31T10:00Z"));
  EXPECT_FALSE(api::ParseLocalInstant("2023-02-29T10:00Z"));
  EXPECT_TRUE(api::ParseLocalInstant("2024-02-29T10:00Z"));

  ::testing::internal::CaptureStderr();
  int feedback = api::RunFeedbackCommand({"--feedback", "/nonexistent/f.db", "--prune",
                                          "--before", "2024-02-31"});
  int import = importer::RunImportCommand({"--source", "s", "--as-of", "2024-02-31", "x.csv"},
                                          /*check_only=*/true);
  std::string err = ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(feedback, exit_code::kUsage);
  EXPECT_EQ(import, exit_code::kUsage);
  EXPECT_NE(err.find("carefinder feedback: bad option '--before 2024-02-31' (a day YYYY-MM-DD)\n"),
            std::string::npos) << err;
  EXPECT_NE(err.find("carefinder check: bad option '--as-of 2024-02-31' (a day YYYY-MM-DD)\n"),
            std::string::npos) << err;
}

}  // namespace
}  // namespace carefinder
