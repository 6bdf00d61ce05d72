// A database generation: see generation.h.
#include "store/generation.h"

#include <unistd.h>

namespace carefinder::store {

Generation::Generation(std::string path, int64_t number, FileIdentity identity,
                       db::OpenMode mode, int fd)
    : path_(path), number_(number), identity_(identity), pool_(std::move(path), mode, identity),
      file_{fd} {}

Generation::~Generation() = default;

Generation::OwnedFd::~OwnedFd() {
  if (fd >= 0) ::close(fd);
}

void Generation::StartDigest() {
  if (digester_.joinable()) return;
  digester_ = std::jthread([this](std::stop_token stop) {
    auto digest = Sha256OfFd(file_.fd, stop);
    if (!digest) return;
    std::lock_guard lock(digest_mutex_);
    sha256_ = std::move(*digest);
  });
}

std::string Generation::sha256() const {
  std::lock_guard lock(digest_mutex_);
  return sha256_;
}

}  // namespace carefinder::store
