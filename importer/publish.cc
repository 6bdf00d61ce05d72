// Publishing a database file over a path: see publish.h.
#include "importer/publish.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <optional>

#include "core/args.h"
#include "core/error.h"
#include "core/exit_code.h"
#include "core/file_digest.h"
#include "db/database.h"
#include "importer/import_run.h"

namespace carefinder::importer {

namespace {

namespace fs = std::filesystem;

// publish's exit codes (its --help lists them).
constexpr int kRefused = exit_code::kDataErr, kIoError = exit_code::kSoftware,
              kBusy = exit_code::kTempFail;

constexpr const char* kUsage =
    "usage: carefinder publish [--db PATH] NEWFILE\n"
    "\n"
    "Puts the database NEWFILE in place at PATH (default carefinder.db), in one\n"
    "rename: a running `carefinder serve --db PATH` switches to it within its\n"
    "--refresh interval, without a failed request. NEWFILE must open, have this\n"
    "program's schema version and pass PRAGMA quick_check; it is checkpointed and\n"
    "switched to rollback-journal mode (no -wal of its own), synced, and moved\n"
    "(NEWFILE is gone afterwards). PATH's old -wal, -shm and -journal are removed:\n"
    "they belong to the old file. Do not import into PATH while publishing.\n"
    "Prints: published PATH (import run N, sha256 HEX)\n"
    "\n"
    "exit codes:\n"
    "  0   published\n"
    "  64  usage error\n"
    "  65  NEWFILE refused (not a Carefinder database, damaged, wrong schema):\n"
    "      PATH untouched\n"
    "  70  I/O error while copying, syncing or renaming: PATH untouched\n"
    "  75  another program has NEWFILE open: PATH untouched; run again later\n";

constexpr const char* kQuickCheckSql = "PRAGMA quick_check(1)";
constexpr const char* kCheckpointSql = "PRAGMA wal_checkpoint(TRUNCATE)";
constexpr const char* kRollbackJournalSql = "PRAGMA journal_mode=DELETE";

struct Failure {
  int code;
  std::string message;
};

struct Checked {
  int64_t import_run = 0;
};

Result<std::string> OneText(db::Database& db, const char* sql) {
  auto stmt = db.Prepare(sql);
  if (!stmt) return Fail(stmt.error());
  auto row = stmt->Step();
  if (!row) return Fail(row.error());
  return *row ? stmt->ColumnString(0) : std::string();
}

// Opens (schema version), quick_check, newest import run.
std::expected<Checked, Failure> Check(const std::string& file) {
  struct stat st {};
  if (::stat(file.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
    return std::unexpected(Failure{kRefused, file + ": not a regular file"});
  }
  auto db = db::Database::Open(file, db::OpenMode::kReadOnly);
  if (!db) return std::unexpected(Failure{kRefused, db.error().message});
  auto verdict = OneText(**db, kQuickCheckSql);
  if (!verdict) return std::unexpected(Failure{kRefused, file + ": " + verdict.error().message});
  if (*verdict != "ok") {
    return std::unexpected(Failure{kRefused, file + ": failed its integrity check (" + *verdict + ")"});
  }
  auto run = NewestImportRun(**db);
  if (!run) return std::unexpected(Failure{kRefused, file + ": " + run.error().message});
  return Checked{*run};
}

// Checkpoints NEWFILE's own log into it and switches it to rollback-journal
// mode, which needs it to be the only connection: SQLite then removes the
// -wal and -shm.
std::optional<Failure> MakeSelfContained(const std::string& file) {
  auto db = db::Database::Open(file, db::OpenMode::kReadWrite);
  if (!db) return Failure{kRefused, db.error().message};
  auto mode = OneText(**db, kCheckpointSql);
  if (mode) mode = OneText(**db, kRollbackJournalSql);
  if (!mode || *mode != "delete") {
    return Failure{kBusy, file + ": cannot switch it to rollback-journal mode (" +
                              (mode ? "journal_mode " + *mode : mode.error().message) +
                              "); is another program using it?"};
  }
  db->reset();
  std::error_code ec;
  for (const char* suffix : {"-wal", "-shm"}) {
    if (fs::exists(file + suffix, ec)) {
      return Failure{kBusy, file + suffix + " is still there; is another program using it?"};
    }
  }
  return std::nullopt;
}

std::optional<Failure> Sync(const std::string& path, int flags) {
  int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) return Failure{kIoError, "cannot open " + path + ": " + std::strerror(errno)};
  int rc = ::fsync(fd);
  int err = errno;
  ::close(fd);
  if (rc != 0) return Failure{kIoError, "cannot sync " + path + ": " + std::strerror(err)};
  return std::nullopt;
}

std::string DirectoryOf(const std::string& path) {
  fs::path p(path);
  return p.has_parent_path() ? p.parent_path().string() : ".";
}

// NEWFILE itself when it is on PATH's file system, else a synced copy in
// PATH's directory (a rename cannot cross file systems).
std::expected<std::string, Failure> Staged(const std::string& file, const std::string& target) {
  struct stat from {}, dir {};
  std::string target_dir = DirectoryOf(target);
  if (::stat(file.c_str(), &from) != 0 || ::stat(target_dir.c_str(), &dir) != 0) {
    return std::unexpected(Failure{kIoError, "cannot stat " + target_dir + ": " + std::strerror(errno)});
  }
  if (from.st_dev == dir.st_dev) return file;
  std::string copy = target + ".publishing-" + std::to_string(::getpid());
  std::error_code ec;
  fs::copy_file(file, copy, fs::copy_options::overwrite_existing, ec);
  if (ec) {
    fs::remove(copy, ec);
    return std::unexpected(Failure{kIoError, "cannot copy " + file + " to " + copy + ": " + ec.message()});
  }
  return copy;
}

std::optional<Failure> Publish(const std::string& file, const std::string& target,
                               const Checked& checked) {
  if (auto same = IdentityOfPath(target); same && same == IdentityOfPath(file)) {
    return Failure{kRefused, file + " is already " + target};
  }
  if (auto f = MakeSelfContained(file)) return f;
  auto staged = Staged(file, target);
  if (!staged) return staged.error();
  auto discard = [&](Failure f) {
    std::error_code ec;
    if (*staged != file) fs::remove(*staged, ec);
    return f;
  };
  if (auto f = Sync(*staged, O_RDONLY)) return discard(*f);
  auto digest = Sha256OfFile(*staged);
  if (!digest) return discard({kIoError, digest.error().message});
  // The old file's logs: applied to the new file they would corrupt it.
  std::error_code ec;
  for (const char* suffix : {"-wal", "-shm", "-journal"}) fs::remove(target + suffix, ec);
  if (::rename(staged->c_str(), target.c_str()) != 0) {
    return discard({kIoError, "cannot rename " + *staged + " to " + target + ": " +
                                  std::strerror(errno)});
  }
  if (*staged != file) fs::remove(file, ec);
  if (auto f = Sync(DirectoryOf(target), O_RDONLY | O_DIRECTORY)) return f;
  std::printf("published %s (import run %lld, sha256 %s)\n", target.c_str(),
              static_cast<long long>(checked.import_run), digest->c_str());
  return std::nullopt;
}

}  // namespace

int RunPublishCommand(const std::vector<std::string>& args) {
  std::string target = "carefinder.db";
  std::vector<std::string> files;
  args::Parser parser("publish", kUsage);
  parser.Value("--db", target).Positional(files);
  if (auto code = parser.Parse(args)) return *code;
  if (files.size() != 1 || files[0].empty()) return parser.UsageError("give exactly one NEWFILE");
  auto checked = Check(files[0]);
  std::optional<Failure> failure;
  if (!checked) failure = checked.error();
  else failure = Publish(files[0], target, *checked);
  if (!failure) return exit_code::kOk;
  std::fprintf(stderr, "carefinder publish: not published: %s\n", failure->message.c_str());
  return failure->code;
}

}  // namespace carefinder::importer
