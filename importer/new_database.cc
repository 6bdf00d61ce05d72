// Building a new database beside its final path: see new_database.h.
#include "importer/new_database.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <system_error>

namespace carefinder::importer {

namespace {

namespace fs = std::filesystem;

constexpr std::string_view kBuilding = ".building-";

// The file and the journal files SQLite may leave beside it.
void RemoveWithJournals(const std::string& path) {
  std::error_code ignored;
  for (const char* suffix : {"", "-journal", "-wal", "-shm"}) fs::remove(path + suffix, ignored);
}

// A building file whose import is no longer running: `<name>.building-<pid>`.
bool Abandoned(const std::string& file, const std::string& name) {
  if (!file.starts_with(name + std::string(kBuilding))) return false;
  std::string_view pid_text = std::string_view(file).substr(name.size() + kBuilding.size());
  int pid = 0;
  auto [end, ec] = std::from_chars(pid_text.data(), pid_text.data() + pid_text.size(), pid);
  if (ec != std::errc() || end != pid_text.data() + pid_text.size() || pid <= 0) return false;
  return kill(pid, 0) != 0 && errno == ESRCH;
}

Status SyncPath(const std::string& path, int flags) {
  int fd = open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) return Fail(Error::Io("cannot open " + path + ": " + std::strerror(errno)));
  int rc = fsync(fd);
  int err = errno;
  close(fd);
  if (rc != 0) return Fail(Error::Io("cannot sync " + path + ": " + std::strerror(err)));
  return {};
}

}  // namespace

NewDatabase NewDatabase::Begin(const std::string& target) {
  fs::path path(target);
  fs::path dir = path.has_parent_path() ? path.parent_path() : fs::path(".");
  std::string name = path.filename().string();
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    std::string file = entry.path().filename().string();
    if (Abandoned(file, name)) RemoveWithJournals(entry.path().string());
  }
  return NewDatabase(target, target + std::string(kBuilding) + std::to_string(getpid()));
}

Status NewDatabase::Publish(std::unique_ptr<db::Database> db) {
  auto fail = [&](Error e) -> Status {
    Discard(nullptr);
    return Fail(std::move(e));
  };
  if (auto s = db->Exec("PRAGMA journal_mode = WAL"); !s) return fail(s.error());
  db.reset();
  if (auto s = SyncPath(building_, O_RDONLY); !s) return fail(s.error());
  // Logs left by a database that was at the target and was deleted belong
  // to no file now; beside the new one they would be applied to it.
  std::error_code ec;
  if (!fs::exists(target_, ec) && !ec) {
    for (const char* suffix : {"-wal", "-shm", "-journal"}) fs::remove(target_ + suffix, ec);
  }
  // RENAME_NOREPLACE: a database someone created meanwhile is never replaced.
  if (renameat2(AT_FDCWD, building_.c_str(), AT_FDCWD, target_.c_str(), RENAME_NOREPLACE) != 0) {
    int err = errno;
    return fail(Error::Io(
        err == EEXIST ? target_ + " was created by another program while this import built it; "
                              "nothing was written, import again to update it"
                      : "cannot rename " + building_ + " to " + target_ + ": " + std::strerror(err)));
  }
  fs::path dir = fs::path(target_).has_parent_path() ? fs::path(target_).parent_path() : ".";
  return SyncPath(dir.string(), O_RDONLY | O_DIRECTORY);
}

EarlyWriteback::EarlyWriteback(const std::string& path)
    : fd_(open(path.c_str(), O_RDONLY | O_CLOEXEC)) {
  if (fd_ < 0) return;  // then the fsync does it all, as before
  thread_ = std::thread([this] {
    std::unique_lock lock(mutex_);
    while (!stopped_.wait_for(lock, std::chrono::milliseconds(250), [this] { return stop_; }))
      sync_file_range(fd_, 0, 0, SYNC_FILE_RANGE_WRITE);
  });
}

EarlyWriteback::~EarlyWriteback() {
  if (fd_ < 0) return;
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  stopped_.notify_one();
  thread_.join();
  close(fd_);
}

void NewDatabase::Discard(std::unique_ptr<db::Database> db) {
  db.reset();
  RemoveWithJournals(building_);
}

}  // namespace carefinder::importer
