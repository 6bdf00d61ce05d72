// Listing documents packed with zstd and the file's dictionaries: see doc_pack.h.
#include "db/doc_pack.h"

#include <zdict.h>
#include <zstd.h>

#include <algorithm>
#include <cstring>

#include "db/database.h"

namespace carefinder::db {

namespace {

// Level 3 (zstd's default): level 9 packs the synthetic documents 10% smaller
// and costs about 3x the time, on the import's critical path at 1e6.
constexpr int kLevel = 3;
// The dictionary's size: 64 KB packed the shipped set's documents to 231 B
// against 250 B with 16 KB (measured with `zstd --train`, 2026-12-03).
constexpr size_t kDictionaryBytes = 64 * 1024;
// The sample the trainer reads: zstd advises about 100x the dictionary.
constexpr size_t kSampleBytes = 100 * kDictionaryBytes;

struct CCtxFree {
  void operator()(ZSTD_CCtx* c) const { ZSTD_freeCCtx(c); }
};
struct DCtxFree {
  void operator()(ZSTD_DCtx* c) const { ZSTD_freeDCtx(c); }
};

// One compression and one decompression context per thread, reused.
ZSTD_CCtx* ThreadCCtx() {
  thread_local std::unique_ptr<ZSTD_CCtx, CCtxFree> ctx(ZSTD_createCCtx());
  return ctx.get();
}
ZSTD_DCtx* ThreadDCtx() {
  thread_local std::unique_ptr<ZSTD_DCtx, DCtxFree> ctx(ZSTD_createDCtx());
  return ctx.get();
}

constexpr unsigned char kMagic[4] = {0x28, 0xB5, 0x2F, 0xFD};  // ZSTD_MAGICNUMBER, little-endian

}  // namespace

bool IsPackedDoc(std::string_view stored) {
  return stored.size() >= 4 && std::memcmp(stored.data(), kMagic, 4) == 0;
}

struct DocPack::Loaded {
  std::vector<ZSTD_DDict*> ddicts;  // one per dictionary, in the same order
  ZSTD_CDict* cdict = nullptr;      // the newest
  ~Loaded() {
    for (ZSTD_DDict* d : ddicts) ZSTD_freeDDict(d);
    ZSTD_freeCDict(cdict);
  }
};

DocPack::~DocPack() = default;

Result<std::shared_ptr<const DocPack>> DocPack::Make(std::vector<DocDictionary> dictionaries) {
  std::shared_ptr<DocPack> out(new DocPack);
  out->loaded_ = std::make_unique<Loaded>();
  for (const DocDictionary& d : dictionaries) {
    ZSTD_DDict* dd = ZSTD_createDDict(d.bytes.data(), d.bytes.size());
    if (dd == nullptr || ZSTD_getDictID_fromDDict(dd) != d.id) {
      ZSTD_freeDDict(dd);
      return Fail(Error::Database("doc_dictionary " + std::to_string(d.id) + " is not a zstd dictionary"));
    }
    out->loaded_->ddicts.push_back(dd);
  }
  if (!dictionaries.empty()) {
    const std::string& newest = dictionaries.back().bytes;
    out->loaded_->cdict = ZSTD_createCDict(newest.data(), newest.size(), kLevel);
    if (out->loaded_->cdict == nullptr) return Fail(Error::Internal("cannot prepare a zstd dictionary"));
  }
  out->dictionaries_ = std::move(dictionaries);
  return std::shared_ptr<const DocPack>(std::move(out));
}

Result<std::shared_ptr<const DocPack>> DocPack::Load(Database& db) {
  auto read = db.Prepare("SELECT id, dict FROM doc_dictionary ORDER BY seq");
  if (!read) return Fail(read.error());
  std::vector<DocDictionary> dictionaries;
  while (true) {
    auto row = read->Step();
    if (!row) return Fail(row.error());
    if (!*row) break;
    dictionaries.push_back({static_cast<uint32_t>(read->ColumnInt(0)), read->ColumnString(1)});
  }
  return Make(std::move(dictionaries));
}

std::string DocPack::Pack(std::string_view json) const {
  // Packed into a reused buffer and copied out at its size: a string of
  // ZSTD_compressBound bytes per document would hold 1e6 x 1.3 KB until the
  // listing rows are written.
  thread_local std::string buffer;
  buffer.resize(std::max(buffer.size(), ZSTD_compressBound(json.size())));
  ZSTD_CCtx* ctx = ThreadCCtx();
  size_t n = loaded_->cdict
                 ? ZSTD_compress_usingCDict(ctx, buffer.data(), buffer.size(), json.data(), json.size(),
                                            loaded_->cdict)
                 : ZSTD_compressCCtx(ctx, buffer.data(), buffer.size(), json.data(), json.size(), kLevel);
  // Into ZSTD_compressBound bytes it cannot fail; were it to, the text
  // itself is a document every reader takes as it is.
  if (ZSTD_isError(n)) return std::string(json);
  return std::string(buffer.data(), n);
}

bool DocPack::Knows(std::string_view stored) const {
  if (!IsPackedDoc(stored)) return true;
  unsigned id = ZSTD_getDictID_fromFrame(stored.data(), stored.size());
  return id == 0 || std::any_of(dictionaries_.begin(), dictionaries_.end(),
                                [id](const DocDictionary& d) { return d.id == id; });
}

Status DocPack::UnpackAppend(std::string_view stored, std::string& out) const {
  if (!IsPackedDoc(stored)) {  // JSON text stored as it is
    out += stored;
    return {};
  }
  unsigned long long size = ZSTD_getFrameContentSize(stored.data(), stored.size());
  if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN || size > (1u << 30))
    return Fail(Error::Database("a listing document is not a whole zstd frame"));
  unsigned id = ZSTD_getDictID_fromFrame(stored.data(), stored.size());
  const ZSTD_DDict* dict = nullptr;
  for (size_t i = 0; i < dictionaries_.size() && id != 0; ++i)
    if (dictionaries_[i].id == id) dict = loaded_->ddicts[i];
  if (id != 0 && dict == nullptr)
    return Fail(Error::Database("a listing document was packed with dictionary " + std::to_string(id) +
                                ", which doc_dictionary does not have"));
  size_t at = out.size();
  out.resize(at + size);
  size_t n = ZSTD_decompress_usingDDict(ThreadDCtx(), out.data() + at, size, stored.data(), stored.size(), dict);
  if (ZSTD_isError(n) || n != size) {
    out.resize(at);
    return Fail(Error::Database(std::string("a listing document cannot be unpacked: ") +
                                (ZSTD_isError(n) ? ZSTD_getErrorName(n) : "wrong size")));
  }
  return {};
}

Result<std::string> DocPack::Unpack(std::string_view stored) const {
  std::string out;
  if (auto s = UnpackAppend(stored, out); !s) return Fail(s.error());
  return out;
}

DocDictionary TrainDocDictionary(std::span<const std::string_view> docs) {
  if (docs.size() < kDocDictionaryMinSamples) return {};
  size_t total = 0;
  for (std::string_view d : docs) total += d.size();
  // Every k-th document, so the sample spans the whole import (its states,
  // kinds and sources), not the first few thousand in key order.
  size_t step = std::max<size_t>(1, total / kSampleBytes);
  std::string samples;
  std::vector<size_t> sizes;
  for (size_t i = 0; i < docs.size(); i += step) {
    samples += docs[i];
    sizes.push_back(docs[i].size());
  }
  // A dictionary much larger than a hundredth of its samples learns them by heart.
  size_t capacity = std::clamp<size_t>(samples.size() / 100, 4096, kDictionaryBytes);
  std::string dict(capacity, '\0');
  size_t n = ZDICT_trainFromBuffer(dict.data(), dict.size(), samples.data(), sizes.data(),
                                   static_cast<unsigned>(sizes.size()));
  if (ZDICT_isError(n)) return {};
  dict.resize(n);
  return {ZDICT_getDictID(dict.data(), dict.size()), std::move(dict)};
}

Status StoreDocDictionary(Database& db, const DocDictionary& dict) {
  auto insert = db.Prepare("INSERT INTO doc_dictionary (id, dict) VALUES (?1, ?2)");
  if (!insert) return Fail(insert.error());
  return insert->Bind(1, static_cast<int64_t>(dict.id)).BindBlob(2, dict.bytes).Run();
}

}  // namespace carefinder::db
