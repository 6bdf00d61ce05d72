// The one command-line parser: see args.h.
#include "core/args.h"

#include <cstdio>

#include "core/exit_code.h"
#include "core/text.h"

namespace carefinder::args {

namespace {

bool IsHelp(std::string_view arg) { return arg == "--help" || arg == "-h"; }

bool IsOption(std::string_view arg) { return arg.size() > 1 && arg[0] == '-'; }

Error BadOption(std::string_view given, std::string_view why = {}) {
  std::string message = "bad option '" + std::string(given) + "'";
  if (!why.empty()) message += " (" + std::string(why) + ")";
  return Error::Invalid(std::move(message));
}

}  // namespace

Parser::Parser(std::string command, std::string usage)
    : command_(std::move(command)), usage_(std::move(usage)) {}

Parser& Parser::Flag(std::string name, bool& out) {
  options_.push_back({std::move(name), Kind::kFlag, [&out](std::string_view, std::string&) {
                        out = true;
                        return true;
                      }});
  return *this;
}

Parser& Parser::Value(std::string name, std::string& out,
                      std::function<bool(std::string_view)> valid, std::string expected) {
  options_.push_back({std::move(name), Kind::kValue,
                      [&out, valid = std::move(valid), expected = std::move(expected)](
                          std::string_view value, std::string& why) {
                        if (valid && !valid(value)) {
                          why = expected;
                          return false;
                        }
                        out = std::string(value);
                        return true;
                      }});
  return *this;
}

Parser& Parser::AddNumber(std::string name, int64_t min, int64_t max,
                          std::function<void(int64_t)> set) {
  std::string range = max == std::numeric_limits<int64_t>::max()
                          ? "a whole number from " + std::to_string(min)
                          : "a whole number from " + std::to_string(min) + " to " + std::to_string(max);
  options_.push_back({std::move(name), Kind::kValue,
                      [min, max, set = std::move(set), range](std::string_view value, std::string& why) {
                        auto number = text::ParseInt(value);
                        if (!number || *number < min || *number > max) {
                          why = range;
                          return false;
                        }
                        set(*number);
                        return true;
                      }});
  return *this;
}

Parser& Parser::Repeated(std::string name, std::vector<std::string>& out) {
  options_.push_back({std::move(name), Kind::kValue, [&out](std::string_view value, std::string&) {
                        out.emplace_back(value);
                        return true;
                      }});
  return *this;
}

Parser& Parser::List(std::string name, std::vector<std::string>& out) {
  options_.push_back({std::move(name), Kind::kList, [&out](std::string_view value, std::string&) {
                        out.emplace_back(value);
                        return true;
                      }});
  return *this;
}

Parser& Parser::Positional(std::vector<std::string>& out, size_t max) {
  positional_ = &out;
  max_positional_ = max;
  return *this;
}

const Parser::Option* Parser::Find(std::string_view name) const {
  for (const Option& option : options_) {
    if (option.name == name) return &option;
  }
  return nullptr;
}

Result<Outcome> Parser::Read(const std::vector<std::string>& args) const {
  size_t positionals = 0;
  for (size_t i = 0; i < args.size(); ++i) {
    std::string_view arg = args[i];
    if (IsHelp(arg)) return Outcome::kHelp;
    if (!IsOption(arg)) {
      if (!positional_ || positionals == max_positional_) return Fail(BadOption(arg));
      positional_->emplace_back(arg);
      ++positionals;
      continue;
    }
    // --name=value names the value in the same argument.
    std::string_view name = arg, inline_value;
    size_t eq = arg.find('=');
    bool has_inline = arg.starts_with("--") && eq != std::string_view::npos;
    if (has_inline) name = arg.substr(0, eq), inline_value = arg.substr(eq + 1);
    const Option* option = Find(name);
    if (!option) return Fail(BadOption(arg));
    std::string why;
    if (option->kind == Kind::kFlag) {
      if (has_inline) return Fail(BadOption(arg, "takes no value"));
      option->store({}, why);
    } else if (option->kind == Kind::kValue) {
      if (!has_inline && i + 1 >= args.size()) return Fail(BadOption(arg, "needs a value"));
      std::string_view value = has_inline ? inline_value : std::string_view(args[++i]);
      if (!option->store(value, why)) {
        return Fail(BadOption(has_inline ? std::string(arg) : std::string(name) + " " + std::string(value), why));
      }
    } else {  // kList
      size_t first = i + 1;
      if (has_inline) option->store(inline_value, why);
      while (i + 1 < args.size() && !std::string_view(args[i + 1]).starts_with("--")) {
        option->store(args[++i], why);
      }
      if (!has_inline && i + 1 == first) return Fail(BadOption(arg, "needs at least one value"));
    }
  }
  return Outcome::kParsed;
}

std::optional<int> Parser::Parse(const std::vector<std::string>& args) const {
  auto outcome = Read(args);
  if (!outcome) return UsageError(outcome.error().message);
  if (*outcome == Outcome::kHelp) {
    std::fputs(usage_.c_str(), stdout);
    return exit_code::kOk;
  }
  return std::nullopt;
}

int Parser::UsageError(std::string_view message) const {
  std::fprintf(stderr, "carefinder %s: %.*s\n\n%s", command_.c_str(), int(message.size()),
               message.data(), usage_.c_str());
  return exit_code::kUsage;
}

}  // namespace carefinder::args
