// Random ids and keyed hashes via OpenSSL: see random_id.h.
#include "core/random_id.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <cstring>
#include <stdexcept>

namespace carefinder {

namespace {

void RandomBytes(unsigned char* out, size_t n) {
  // OpenSSL's generator fails only when the system has no entropy source:
  // nothing sensible can carry on then.
  if (RAND_bytes(out, static_cast<int>(n)) != 1) {
    throw std::runtime_error("no random bytes from the system");
  }
}

}  // namespace

std::string RandomHexId() {
  constexpr char kDigits[] = "0123456789abcdef";
  unsigned char bytes[kReportIdHexChars / 2];
  RandomBytes(bytes, sizeof bytes);
  std::string out;
  out.reserve(kReportIdHexChars);
  for (unsigned char b : bytes) {
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 0xf]);
  }
  return out;
}

bool IsHexId(std::string_view s) {
  if (s.size() != kReportIdHexChars) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

KeyedHasher::KeyedHasher() { RandomBytes(key_.data(), key_.size()); }

uint64_t KeyedHasher::Hash(std::string_view text) const {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_len = 0;
  HMAC(EVP_sha256(), key_.data(), static_cast<int>(key_.size()),
       reinterpret_cast<const unsigned char*>(text.data()), text.size(), mac, &mac_len);
  uint64_t out = 0;
  std::memcpy(&out, mac, sizeof out);
  return out;
}

}  // namespace carefinder
