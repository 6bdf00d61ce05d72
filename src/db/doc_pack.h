// How a listing's document is stored (schema v5): `listing.doc` is a zstd
// frame of the JSON text, made with one of the file's own dictionaries
// (`doc_dictionary`), or without one in a file that has none yet.
//
// Why (issue 12, goal 3): the documents were 1,268 of the 3,616 bytes a
// listing took at 1e6, and 1,729 B a listing in the shipped set. Each is
// short, so on its own it compresses poorly (1,268 -> 726 B with zlib); a
// dictionary trained on the file's own documents holds what they share (the
// keys, term codes, sources, common sentences), and a document then packs to
// 169 B on average (synthetic, 1e5) or 237 B (the shipped set). The dictionary is
// trained from the data, not written by hand, so it fits whatever is imported.
//
// Readers: the server's index unpacks every document once when it loads a
// snapshot; the HSDS store, exports and read sessions unpack what they read.
// SQL sees the text through `listing_doc(doc)`, and `listing_doc_pack(text)`
// packs it back (both registered on every connection, database.cc). JSON text
// stored as it is (a file edited by hand) is read as it is.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace carefinder::db {

class Database;

// One trained dictionary: the id its frames name, and its bytes.
struct DocDictionary {
  uint32_t id = 0;
  std::string bytes;
};

// Packs and unpacks documents with a file's dictionaries. Immutable once
// made; Pack and Unpack may be called from several threads at once.
class DocPack {
 public:
  // `dictionaries`: every dictionary of the file; the newest (last) packs.
  static Result<std::shared_ptr<const DocPack>> Make(std::vector<DocDictionary> dictionaries);
  // The file's dictionaries (doc_dictionary), in the order they were added.
  static Result<std::shared_ptr<const DocPack>> Load(Database& db);
  ~DocPack();
  DocPack(const DocPack&) = delete;
  DocPack& operator=(const DocPack&) = delete;

  // The stored form of `json`: a zstd frame with the newest dictionary.
  std::string Pack(std::string_view json) const;
  // The JSON text of a stored document. Fails (kDatabase) for a frame made
  // with a dictionary this pack does not have, or bytes that are no document.
  Result<std::string> Unpack(std::string_view stored) const;
  // The same, appended to `out` (the server's index: no string per document).
  Status UnpackAppend(std::string_view stored, std::string& out) const;

  // False for a frame whose dictionary this pack lacks (one added to the
  // file after it was loaded: Load again).
  bool Knows(std::string_view stored) const;
  bool has_dictionary() const { return !dictionaries_.empty(); }
  uint32_t newest_id() const { return dictionaries_.empty() ? 0 : dictionaries_.back().id; }

 private:
  struct Loaded;
  DocPack() = default;
  std::vector<DocDictionary> dictionaries_;
  std::unique_ptr<Loaded> loaded_;  // zstd's prepared dictionaries
};

// True for a stored document that is a zstd frame (and so a BLOB column).
bool IsPackedDoc(std::string_view stored);

// At least this many documents before a dictionary is trained: below it the
// samples are too few for zstd's trainer, and the file is small anyway.
inline constexpr size_t kDocDictionaryMinSamples = 256;

// Trains a dictionary from `docs` (a sample spread over them, at most
// a few MB, is used). Returns no dictionary (id 0) when there are too few
// documents or zstd cannot train on them; the caller then packs without.
DocDictionary TrainDocDictionary(std::span<const std::string_view> docs);

// Adds `dict` to the file's doc_dictionary table.
Status StoreDocDictionary(Database& db, const DocDictionary& dict);

}  // namespace carefinder::db
