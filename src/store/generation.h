// One database file as the server serves it: a generation. The server opens
// a new generation when another file is renamed over its --db path (file
// identity, st_dev/st_ino), builds its index while the old one answers, and
// swaps; each request keeps the generation it started with (through its
// snapshot, snapshot.h), and an old generation, its pool and its open file
// go away when its last request ends. The file's SHA-256 is computed in the
// background after it opens ("" until known), for /healthz.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

#include "core/file_digest.h"
#include "db/database.h"
#include "store/connection.h"

namespace carefinder::store {

class Generation {
 public:
  // `fd` is open on the file (the generation owns and closes it).
  Generation(std::string path, int64_t number, FileIdentity identity, db::OpenMode mode, int fd);
  ~Generation();
  Generation(const Generation&) = delete;
  Generation& operator=(const Generation&) = delete;

  const std::string& path() const { return path_; }
  int64_t number() const { return number_; }  // 1 for the file the server started with
  const FileIdentity& identity() const { return identity_; }
  ConnectionPool& pool() { return pool_; }

  // Starts hashing the file in the background (once).
  void StartDigest();
  std::string sha256() const;  // "" until the digest is done

 private:
  struct OwnedFd {
    int fd;
    ~OwnedFd();
  };
  std::string path_;
  int64_t number_;
  FileIdentity identity_;
  ConnectionPool pool_;
  OwnedFd file_;
  mutable std::mutex digest_mutex_;
  std::string sha256_;
  std::jthread digester_;  // last: stopped and joined before the fd closes
};

}  // namespace carefinder::store
