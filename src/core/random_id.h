// Random ids and keyed hashes, from OpenSSL's generator: the id a problem
// report keeps in every file it is gathered into, and the per-process key that
// turns a client address into a number the rate limit can count, so no
// address is ever held or written as it is.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace carefinder {

inline constexpr size_t kReportIdHexChars = 32;  // 128 random bits

// 128 random bits as 32 lower-case hex digits.
std::string RandomHexId();

// True for 32 lower-case hex digits (what RandomHexId makes).
bool IsHexId(std::string_view s);

// HMAC-SHA-256 of a text under a random key made when the hasher is built
// (held in memory only), cut to 64 bits: the same text gives the same number
// for this hasher's life, and nobody without the key can test a guess.
class KeyedHasher {
 public:
  KeyedHasher();
  uint64_t Hash(std::string_view text) const;

 private:
  std::array<unsigned char, 32> key_{};
};

}  // namespace carefinder
