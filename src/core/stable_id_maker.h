// StableIdMaker: the same ids as StableId() (core/uuid.h), made faster for
// bulk work (the importer makes ~20 per listing, 1e6 listings): the SHA-1
// implementation is fetched once and the hex is written without printf.
#pragma once

#include <string>
#include <string_view>

namespace carefinder {

class StableIdMaker {
 public:
  StableIdMaker();
  ~StableIdMaker();
  StableIdMaker(const StableIdMaker&) = delete;
  StableIdMaker& operator=(const StableIdMaker&) = delete;

  // Equal to StableId(kind, source, key).
  std::string operator()(std::string_view kind, std::string_view source, std::string_view key);

 private:
  struct Impl;
  Impl* impl_;
};

}  // namespace carefinder
