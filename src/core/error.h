// Error: the one error type carried by std::expected inside Carefinder.
// A message names the thing and the value ("radius must be between 0.1 and
// 500 miles, got 9000"); `param` names the offending input where there is one.
#pragma once

#include <expected>
#include <string>
#include <utility>

namespace carefinder {

enum class ErrorCode {
  kInvalidArgument,  // bad user input (API 400, importer rejected row)
  kNotFound,         // unknown id or place (API 404 / 400 for places)
  kIo,               // file or socket trouble
  kDatabase,         // SQLite said no
  kTimeout,          // a query ran past its deadline
  kBusy,             // another connection holds the database's write lock (SQLITE_BUSY)
  kInternal,         // a bug
};

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;
  std::string param;  // offending parameter or field, if any

  static Error Invalid(std::string message, std::string param = {}) {
    return {ErrorCode::kInvalidArgument, std::move(message), std::move(param)};
  }
  static Error NotFound(std::string message, std::string param = {}) {
    return {ErrorCode::kNotFound, std::move(message), std::move(param)};
  }
  static Error Io(std::string message) { return {ErrorCode::kIo, std::move(message), {}}; }
  static Error Database(std::string message) {
    return {ErrorCode::kDatabase, std::move(message), {}};
  }
  static Error Timeout(std::string message) {
    return {ErrorCode::kTimeout, std::move(message), {}};
  }
  static Error Busy(std::string message) { return {ErrorCode::kBusy, std::move(message), {}}; }
  static Error Internal(std::string message) {
    return {ErrorCode::kInternal, std::move(message), {}};
  }
};

template <typename T>
using Result = std::expected<T, Error>;
using Status = std::expected<void, Error>;

inline std::unexpected<Error> Fail(Error e) { return std::unexpected(std::move(e)); }

}  // namespace carefinder
