// Unit tests for the one command-line parser (core/args.h): each kind of
// option, the one usage error text word for word, --help.
#include <gtest/gtest.h>

#include "core/args.h"
#include "core/exit_code.h"

namespace carefinder::args {
namespace {

// Every kind of option, as a command would declare them.
struct Declared {
  bool flag = false;
  std::string value = "default";
  int number = 7;
  std::vector<std::string> repeated, list, positional;
  Parser parser{"demo", "usage: carefinder demo\n"};

  Declared() {
    parser.Flag("--flag", flag)
        .Value("--value", value)
        .Value("--mode", value, [](std::string_view v) { return v == "a" || v == "b"; }, "a or b")
        .Number("--number", number, 1, 10)
        .Repeated("--each", repeated)
        .List("--files", list)
        .Positional(positional, 2);
  }
  std::string ErrorOf(const std::vector<std::string>& args) {
    auto r = parser.Read(args);
    return r ? "" : r.error().message;
  }
};

TEST(ArgsParser, StoresEveryKindOfOption) {
  Declared d;
  auto r = d.parser.Read({"--flag", "--value", "v", "--number", "10", "--each", "x", "--each=y",
                          "one", "--files", "f1", "f2", "--number=1", "two"});
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(*r, Outcome::kParsed);
  EXPECT_TRUE(d.flag);
  EXPECT_EQ(d.value, "v");
  EXPECT_EQ(d.number, 1);  // the last one given
  EXPECT_EQ(d.repeated, (std::vector<std::string>{"x", "y"}));
  EXPECT_EQ(d.list, (std::vector<std::string>{"f1", "f2"}));
  EXPECT_EQ(d.positional, (std::vector<std::string>{"one", "two"}));
}

TEST(ArgsParser, LeavesDefaultsWhenNothingIsGiven) {
  Declared d;
  ASSERT_TRUE(d.parser.Read({}));
  EXPECT_FALSE(d.flag);
  EXPECT_EQ(d.value, "default");
  EXPECT_EQ(d.number, 7);
  EXPECT_TRUE(d.positional.empty());
}

TEST(ArgsParser, UnknownOptionIsABadOption) {
  EXPECT_EQ(Declared().ErrorOf({"--bogus"}), "bad option '--bogus'");
  EXPECT_EQ(Declared().ErrorOf({"--bogus=1"}), "bad option '--bogus=1'");
  EXPECT_EQ(Declared().ErrorOf({"-x"}), "bad option '-x'");
}

TEST(ArgsParser, MissingValueIsABadOption) {
  EXPECT_EQ(Declared().ErrorOf({"--value"}), "bad option '--value' (needs a value)");
  EXPECT_EQ(Declared().ErrorOf({"--number"}), "bad option '--number' (needs a value)");
  EXPECT_EQ(Declared().ErrorOf({"--files"}), "bad option '--files' (needs at least one value)");
  EXPECT_EQ(Declared().ErrorOf({"--files", "--flag"}),
            "bad option '--files' (needs at least one value)");
  EXPECT_EQ(Declared().ErrorOf({"--flag=yes"}), "bad option '--flag=yes' (takes no value)");
}

TEST(ArgsParser, NumberOutOfRangeOrNotANumberIsABadOption) {
  EXPECT_EQ(Declared().ErrorOf({"--number", "11"}),
            "bad option '--number 11' (a whole number from 1 to 10)");
  EXPECT_EQ(Declared().ErrorOf({"--number", "0"}),
            "bad option '--number 0' (a whole number from 1 to 10)");
  EXPECT_EQ(Declared().ErrorOf({"--number=ten"}),
            "bad option '--number=ten' (a whole number from 1 to 10)");
  EXPECT_EQ(Declared().ErrorOf({"--number", "2.5"}),
            "bad option '--number 2.5' (a whole number from 1 to 10)");
  int open_ended = 0;
  Parser p("demo", "");
  p.Number("--at-least", open_ended, 0);
  EXPECT_EQ(p.Read({"--at-least", "-1"}).error().message,
            "bad option '--at-least -1' (a whole number from 0)");
  ASSERT_TRUE(p.Read({"--at-least", "123456"}));
  EXPECT_EQ(open_ended, 123456);
}

TEST(ArgsParser, ValueOutsideItsCheckIsABadOption) {
  Declared d;
  EXPECT_EQ(d.ErrorOf({"--mode", "c"}), "bad option '--mode c' (a or b)");
  EXPECT_EQ(d.value, "default");  // a refused value is not stored
  ASSERT_TRUE(d.parser.Read({"--mode", "b"}));
  EXPECT_EQ(d.value, "b");
}

TEST(ArgsParser, PositionalsBeyondTheirNumberAreBadOptions) {
  EXPECT_EQ(Declared().ErrorOf({"a", "b", "c"}), "bad option 'c'");
  Parser none("demo", "");
  EXPECT_EQ(none.Read({"stray"}).error().message, "bad option 'stray'");
  std::vector<std::string> files;
  Parser dash("demo", "");
  dash.Positional(files);
  ASSERT_TRUE(dash.Read({"-", "x"}));  // "-" (standard input) is no option
  EXPECT_EQ(files, (std::vector<std::string>{"-", "x"}));
}

TEST(ArgsParser, HelpWinsAndPrintsTheUsage) {
  Declared d;
  EXPECT_EQ(*d.parser.Read({"--flag", "-h"}), Outcome::kHelp);
  ::testing::internal::CaptureStdout();
  ::testing::internal::CaptureStderr();
  auto code = d.parser.Parse({"--help"});
  std::string out = ::testing::internal::GetCapturedStdout();
  std::string err = ::testing::internal::GetCapturedStderr();
  ASSERT_TRUE(code);
  EXPECT_EQ(*code, exit_code::kOk);
  EXPECT_EQ(out, "usage: carefinder demo\n");
  EXPECT_EQ(err, "");
}

TEST(ArgsParser, UsageErrorPrintsTheOneTextAndExitsSixtyFour) {
  Declared d;
  ::testing::internal::CaptureStdout();
  ::testing::internal::CaptureStderr();
  auto code = d.parser.Parse({"--number", "99"});
  std::string out = ::testing::internal::GetCapturedStdout();
  std::string err = ::testing::internal::GetCapturedStderr();
  ASSERT_TRUE(code);
  EXPECT_EQ(*code, exit_code::kUsage);
  EXPECT_EQ(*code, 64);
  EXPECT_EQ(out, "");
  EXPECT_EQ(err, "carefinder demo: bad option '--number 99' (a whole number from 1 to 10)\n\n"
                 "usage: carefinder demo\n");
  EXPECT_FALSE(Declared().parser.Parse({"--flag"}));  // parsed: the command carries on
}

}  // namespace
}  // namespace carefinder::args
