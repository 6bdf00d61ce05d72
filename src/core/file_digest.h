// Which file a path names, and what is in it: the (device, inode) identity
// that tells a renamed-over database from the one a server opened, and the
// SHA-256 of a file's bytes (/healthz and `carefinder publish` name a
// database by it, so an operator sees which replica serves which data).
#pragma once

#include <cstdint>
#include <optional>
#include <stop_token>
#include <string>

#include "core/error.h"

namespace carefinder {

struct FileIdentity {
  uint64_t device = 0, inode = 0;
  bool operator==(const FileIdentity&) const = default;
};

// The identity of what `path` names now; nullopt when it cannot be stat'ed.
std::optional<FileIdentity> IdentityOfPath(const std::string& path);
std::optional<FileIdentity> IdentityOfFd(int fd);

// Lower-case hex SHA-256 of everything `fd` holds, read from offset 0
// (pread: the fd's offset is left alone). Stops with kInternal when `stop`
// is requested.
Result<std::string> Sha256OfFd(int fd, std::stop_token stop = {});
Result<std::string> Sha256OfFile(const std::string& path);

}  // namespace carefinder
