// UUIDv5 via OpenSSL's SHA-1: see uuid.h.
#include "core/uuid.h"

#include <openssl/evp.h>

#include <array>
#include <cctype>
#include <cstdio>

namespace carefinder {

namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

std::array<unsigned char, 16> ParseUuidBytes(std::string_view s) {
  std::array<unsigned char, 16> out{};
  size_t k = 0;
  for (size_t i = 0; i + 1 < s.size() && k < 16;) {
    if (s[i] == '-') {
      ++i;
      continue;
    }
    out[k++] = static_cast<unsigned char>(HexValue(s[i]) * 16 + HexValue(s[i + 1]));
    i += 2;
  }
  return out;
}

}  // namespace

bool IsUuid(std::string_view s) {
  if (s.size() != 36) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? s[i] != '-' : HexValue(s[i]) < 0) return false;
  }
  return true;
}

std::string UuidV5(std::string_view namespace_uuid, std::string_view name) {
  auto ns = ParseUuidBytes(namespace_uuid);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_DigestInit_ex(ctx, EVP_sha1(), nullptr);
  EVP_DigestUpdate(ctx, ns.data(), ns.size());
  EVP_DigestUpdate(ctx, name.data(), name.size());
  EVP_DigestFinal_ex(ctx, digest, &len);
  EVP_MD_CTX_free(ctx);
  digest[6] = static_cast<unsigned char>((digest[6] & 0x0F) | 0x50);
  digest[8] = static_cast<unsigned char>((digest[8] & 0x3F) | 0x80);
  char out[37];
  std::snprintf(out, sizeof out,
                "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
                digest[0], digest[1], digest[2], digest[3], digest[4], digest[5], digest[6],
                digest[7], digest[8], digest[9], digest[10], digest[11], digest[12],
                digest[13], digest[14], digest[15]);
  return out;
}

std::string StableId(std::string_view kind, std::string_view source, std::string_view key) {
  std::string name;
  name.reserve(kind.size() + source.size() + key.size() + 2);
  name.append(kind).push_back('\x1f');
  name.append(source).push_back('\x1f');
  name.append(key);
  return UuidV5(kCarefinderNamespace, name);
}

}  // namespace carefinder
