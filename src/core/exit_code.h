// Exit codes of every `carefinder <command>`: one name for each number the
// commands document in their --help. Sysexits (<sysexits.h>) where one fits;
// 1 and 2 are the importer's own (rows rejected, an input file unreadable).
// tests/layering/check_exit_codes.py fails when a bare number comes back.
#pragma once

namespace carefinder::exit_code {

inline constexpr int kOk = 0;            // done
inline constexpr int kRejected = 1;      // some rows rejected, or a search refused
inline constexpr int kFileError = 2;     // an input file cannot be read or told apart
inline constexpr int kUsage = 64;        // EX_USAGE: bad command line
inline constexpr int kDataErr = 65;      // EX_DATAERR: input refused as a whole
inline constexpr int kNoInput = 66;      // EX_NOINPUT: a file to read cannot be opened
inline constexpr int kUnavailable = 69;  // EX_UNAVAILABLE: e.g. the port cannot be bound
inline constexpr int kSoftware = 70;     // EX_SOFTWARE: database or internal error
inline constexpr int kCantCreate = 73;   // EX_CANTCREAT: an output cannot be written
inline constexpr int kTempFail = 75;     // EX_TEMPFAIL: busy, run again later

}  // namespace carefinder::exit_code
