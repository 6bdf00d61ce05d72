// Bulk StableId: see stable_id_maker.h. Must stay byte-equal to uuid.cc.
#include "core/stable_id_maker.h"

#include <openssl/evp.h>

#include "core/uuid.h"

namespace carefinder {

namespace {

unsigned char HexValue(char c) {
  return static_cast<unsigned char>(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
}

}  // namespace

struct StableIdMaker::Impl {
  EVP_MD* sha1 = EVP_MD_fetch(nullptr, "SHA1", nullptr);
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  unsigned char ns[16];
  std::string name;
};

StableIdMaker::StableIdMaker() : impl_(new Impl) {
  size_t k = 0;
  for (size_t i = 0; i + 1 < kCarefinderNamespace.size() && k < 16;) {
    if (kCarefinderNamespace[i] == '-') {
      ++i;
      continue;
    }
    impl_->ns[k++] = static_cast<unsigned char>(HexValue(kCarefinderNamespace[i]) * 16 +
                                                HexValue(kCarefinderNamespace[i + 1]));
    i += 2;
  }
}

StableIdMaker::~StableIdMaker() {
  EVP_MD_CTX_free(impl_->ctx);
  EVP_MD_free(impl_->sha1);
  delete impl_;
}

std::string StableIdMaker::operator()(std::string_view kind, std::string_view source,
                                      std::string_view key) {
  std::string& name = impl_->name;
  name.clear();
  name.append(kind).push_back('\x1f');
  name.append(source).push_back('\x1f');
  name.append(key);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_DigestInit_ex(impl_->ctx, impl_->sha1, nullptr);
  EVP_DigestUpdate(impl_->ctx, impl_->ns, sizeof impl_->ns);
  EVP_DigestUpdate(impl_->ctx, name.data(), name.size());
  EVP_DigestFinal_ex(impl_->ctx, digest, &len);
  digest[6] = static_cast<unsigned char>((digest[6] & 0x0F) | 0x50);
  digest[8] = static_cast<unsigned char>((digest[8] & 0x3F) | 0x80);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(36, '-');
  for (size_t i = 0, pos = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) ++pos;
    out[pos++] = kHex[digest[i] >> 4];
    out[pos++] = kHex[digest[i] & 0xF];
  }
  return out;
}

}  // namespace carefinder
