// The one command-line parser of every `carefinder <command>`: a command
// declares its options (flags, values, numbers in a range, repeatable values,
// value lists, positionals), then Parse reads the arguments, prints the usage
// on --help and the one usage error text on a mistake:
//   carefinder <command>: bad option '<what was given>' (<why>)
#pragma once

#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace carefinder::args {

// What Read found: the usage was asked for, or the arguments were stored.
enum class Outcome { kParsed, kHelp };

class Parser {
 public:
  // `command` as typed after `carefinder` ("serve"); `usage` is the --help text.
  Parser(std::string command, std::string usage);

  // --name: sets `out` to true.
  Parser& Flag(std::string name, bool& out);
  // --name VALUE or --name=VALUE. `valid`, when given, refuses other values
  // and `expected` says what it wants ("text or json").
  Parser& Value(std::string name, std::string& out,
                std::function<bool(std::string_view)> valid = {}, std::string expected = {});
  // --name N with min <= N <= max (an integer).
  template <class Int>
  Parser& Number(std::string name, Int& out, int64_t min,
                 int64_t max = std::numeric_limits<int64_t>::max()) {
    return AddNumber(std::move(name), min, max, [&out](int64_t n) { out = static_cast<Int>(n); });
  }
  // --name VALUE, given any number of times: each VALUE appended to `out`.
  Parser& Repeated(std::string name, std::vector<std::string>& out);
  // --name V1 V2 ...: the arguments up to the next one starting with "--"
  // (at least one) appended to `out`.
  Parser& List(std::string name, std::vector<std::string>& out);
  // Arguments that are no option ("-" included), at most `max` of them.
  Parser& Positional(std::vector<std::string>& out,
                     size_t max = std::numeric_limits<size_t>::max());

  // Stores every argument; an error's message is "bad option '...' (...)".
  // Nothing printed.
  Result<Outcome> Read(const std::vector<std::string>& args) const;

  // Read, then print: the usage on stdout after --help (returns
  // exit_code::kOk), the usage error on stderr (exit_code::kUsage).
  // nullopt: parsed, the command carries on.
  std::optional<int> Parse(const std::vector<std::string>& args) const;

  // Prints "carefinder <command>: <message>" and the usage on stderr; returns
  // exit_code::kUsage. For the checks a command makes after Parse.
  int UsageError(std::string_view message) const;

  const std::string& usage() const { return usage_; }

 private:
  enum class Kind { kFlag, kValue, kList, kPositional };
  struct Option {
    std::string name;
    Kind kind;
    // Stores one value; false with `why` set when it is refused.
    std::function<bool(std::string_view value, std::string& why)> store;
  };
  Parser& AddNumber(std::string name, int64_t min, int64_t max, std::function<void(int64_t)> set);
  const Option* Find(std::string_view name) const;

  std::string command_, usage_;
  std::vector<Option> options_;
  std::vector<std::string>* positional_ = nullptr;
  size_t max_positional_ = 0;
};

}  // namespace carefinder::args
