// Every `carefinder <command>` reads its command line with the one parser
// (core/args.h): the same usage error text and exit code for a bad option,
// the same --help, run in process.
#include <gtest/gtest.h>

#include "api/export.h"
#include "api/feedback_cli.h"
#include "api/search_cli.h"
#include "core/exit_code.h"
#include "importer/cli.h"
#include "importer/publish.h"
#include "server/serve.h"

namespace carefinder {
namespace {

using Args = std::vector<std::string>;

struct Outcome {
  int code;
  std::string out, err;
};

struct Command {
  const char* name;
  int (*run)(const Args&);
};

int Import(const Args& a) { return importer::RunImportCommand(a, /*check_only=*/false); }
int Check(const Args& a) { return importer::RunImportCommand(a, /*check_only=*/true); }

const Command kCommands[] = {
    {"import", Import},
    {"check", Check},
    {"history", importer::RunHistoryCommand},
    {"publish", importer::RunPublishCommand},
    {"serve", server::RunServeCommand},
    {"search", api::RunSearchCommand},
    {"feedback", api::RunFeedbackCommand},
    {"export", api::RunExportCommand},
};

Outcome Capture(const Command& c, const Args& args) {
  ::testing::internal::CaptureStdout();
  ::testing::internal::CaptureStderr();
  int code = c.run(args);
  std::string out = ::testing::internal::GetCapturedStdout();
  return {code, out, ::testing::internal::GetCapturedStderr()};
}

TEST(CommandLine, EveryCommandRefusesAnUnknownOptionInTheSameWords) {
  for (const Command& c : kCommands) {
    Outcome r = Capture(c, {"--bogus", "x"});
    EXPECT_EQ(r.code, exit_code::kUsage) << c.name;
    std::string head = std::string("carefinder ") + c.name + ": bad option '--bogus'\n\nusage: carefinder " + c.name;
    EXPECT_TRUE(r.err.starts_with(head)) << c.name << ": " << r.err;
    EXPECT_EQ(r.out, "") << c.name;
  }
}

TEST(CommandLine, EveryCommandSaysWhichValueIsMissing) {
  for (const Command& c : kCommands) {
    const char* option = std::string_view(c.name) == "check" ? "--report" : "--db";
    Outcome r = Capture(c, {option});
    EXPECT_EQ(r.code, exit_code::kUsage) << c.name;
    std::string head = std::string("carefinder ") + c.name + ": bad option '" + option + "' (needs a value)\n";
    EXPECT_TRUE(r.err.starts_with(head)) << c.name << ": " << r.err;
  }
}

TEST(CommandLine, EveryCommandPrintsItsUsageOnHelpAndExitsZero) {
  for (const Command& c : kCommands) {
    for (const char* help : {"--help", "-h"}) {
      Outcome r = Capture(c, {help});
      EXPECT_EQ(r.code, exit_code::kOk) << c.name;
      EXPECT_TRUE(r.out.starts_with(std::string("usage: carefinder ") + c.name)) << c.name << ": " << r.out;
      EXPECT_EQ(r.err, "") << c.name;
    }
  }
}

TEST(CommandLine, ServeRefusesANumberOutOfItsRange) {
  const Command& serve = kCommands[4];
  Outcome port = Capture(serve, {"--port", "65536"});
  EXPECT_EQ(port.code, exit_code::kUsage);
  EXPECT_TRUE(port.err.starts_with("carefinder serve: bad option '--port 65536' (a whole number "
                                   "from 0 to 65535)\n\n")) << port.err;
  Outcome refresh = Capture(serve, {"--refresh=3601"});
  EXPECT_TRUE(refresh.err.starts_with("carefinder serve: bad option '--refresh=3601' (a whole "
                                      "number from 0 to 3600)\n\n")) << refresh.err;
  Outcome threads = Capture(serve, {"--threads", "0"});
  EXPECT_TRUE(threads.err.starts_with("carefinder serve: bad option '--threads 0' (a whole number "
                                      "from 1 to 1024)\n\n")) << threads.err;
}

TEST(CommandLine, ExportAndPublishTakeOnePositional) {
  Outcome two = Capture(kCommands[7], {"--format", "csv", "a", "b"});
  EXPECT_EQ(two.code, exit_code::kUsage);
  EXPECT_TRUE(two.err.starts_with("carefinder export: bad option 'b'\n\n")) << two.err;
  Outcome none = Capture(kCommands[3], {});
  EXPECT_EQ(none.code, exit_code::kUsage);
  EXPECT_TRUE(none.err.starts_with("carefinder publish: give exactly one NEWFILE\n\n")) << none.err;
}

}  // namespace
}  // namespace carefinder
