// The .xlsx reader: libzip opens the archive from memory, expat parses the
// workbook, its relationships, the shared strings and each sheet. See xlsx.h.
#include "importer/sources/xlsx.h"

#include <expat.h>
#include <zip.h>

#include <functional>
#include <memory>
#include <optional>
#include <type_traits>
#include <unordered_map>

#include "core/text.h"

namespace carefinder::importer {

namespace {

constexpr int kMaxColumn = 16384;     // XFD
constexpr int kMaxRow = 1048576;

using text::Quoted;

struct ZipCloser {
  void operator()(zip_t* z) const { zip_discard(z); }
};
using Zip = std::unique_ptr<zip_t, ZipCloser>;
struct ZipFileCloser {
  void operator()(zip_file_t* f) const { zip_fclose(f); }
};

// The decompressed bytes of `name`; nullopt when the archive has no such part.
Result<std::optional<std::string>> ReadPart(zip_t* zip, const std::string& name,
                                            const std::string& where) {
  zip_int64_t index = zip_name_locate(zip, name.c_str(), 0);
  if (index < 0) return std::optional<std::string>();
  std::unique_ptr<zip_file_t, ZipFileCloser> f(zip_fopen_index(zip, index, 0));
  if (!f) return Fail(Error::Invalid(where + name + ": cannot be opened: " + zip_strerror(zip)));
  std::string out;
  char buf[1 << 16];
  while (true) {  // the stored size may lie: count what actually comes out
    zip_int64_t n = zip_fread(f.get(), buf, sizeof buf);
    if (n < 0)
      return Fail(Error::Invalid(where + name + ": cannot be decompressed: " +
                                 zip_file_strerror(f.get())));
    if (n == 0) break;
    if (out.size() + static_cast<size_t>(n) > kMaxXlsxPart)
      return Fail(Error::Invalid(where + name + ": larger than " +
                                 std::to_string(kMaxXlsxPart >> 20) +
                                 " MB decompressed: refused"));
    out.append(buf, static_cast<size_t>(n));
  }
  return std::optional<std::string>(std::move(out));
}

// ---- XML: expat with element names stripped of their namespace prefix -----

using Attributes = const XML_Char**;

std::string_view Local(std::string_view name) {
  size_t colon = name.rfind(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

// The value of attribute `name` (matched by local name), nullptr when absent.
const char* Attr(Attributes attrs, std::string_view name) {
  for (int i = 0; attrs[i]; i += 2) {
    if (Local(attrs[i]) == name) return attrs[i + 1];
  }
  return nullptr;
}

// Callbacks of one parse; a handler stops the parse by setting `error`.
struct XmlHandler {
  std::function<void(std::string_view, Attributes)> start;
  std::function<void(std::string_view)> end;
  std::function<void(std::string_view)> text;
  std::string error;
};

struct ParseState {
  XML_Parser parser;
  XmlHandler* handler;
};

void OnStart(void* data, const XML_Char* name, const XML_Char** attrs) {
  auto* s = static_cast<ParseState*>(data);
  if (s->handler->start) s->handler->start(Local(name), attrs);
  if (!s->handler->error.empty()) XML_StopParser(s->parser, XML_FALSE);
}
void OnEnd(void* data, const XML_Char* name) {
  auto* s = static_cast<ParseState*>(data);
  if (s->handler->end) s->handler->end(Local(name));
  if (!s->handler->error.empty()) XML_StopParser(s->parser, XML_FALSE);
}
void OnText(void* data, const XML_Char* text, int len) {
  auto* s = static_cast<ParseState*>(data);
  if (s->handler->text) s->handler->text(std::string_view(text, static_cast<size_t>(len)));
}

Status ParseXml(const std::string& xml, XmlHandler& handler, const std::string& where) {
  std::unique_ptr<std::remove_pointer_t<XML_Parser>, decltype(&XML_ParserFree)> parser(
      XML_ParserCreate(nullptr), &XML_ParserFree);
  if (!parser) return Fail(Error::Internal(where + "cannot create an XML parser"));
  ParseState state{parser.get(), &handler};
  XML_SetUserData(parser.get(), &state);
  XML_SetElementHandler(parser.get(), OnStart, OnEnd);
  XML_SetCharacterDataHandler(parser.get(), OnText);
  XML_Status status = XML_Parse(parser.get(), xml.data(), static_cast<int>(xml.size()), XML_TRUE);
  if (!handler.error.empty()) return Fail(Error::Invalid(where + handler.error));
  if (status != XML_STATUS_OK) {
    return Fail(Error::Invalid(where + "not XML: " +
                               XML_ErrorString(XML_GetErrorCode(parser.get())) + " at line " +
                               std::to_string(XML_GetCurrentLineNumber(parser.get()))));
  }
  return {};
}

// ---- the parts -------------------------------------------------------------

struct SheetRef {
  std::string name, rel_id;
};

Result<std::vector<SheetRef>> ParseWorkbook(const std::string& xml, const std::string& where) {
  std::vector<SheetRef> out;
  XmlHandler h;
  h.start = [&](std::string_view el, Attributes attrs) {
    if (el != "sheet") return;
    const char* name = Attr(attrs, "name");
    const char* id = Attr(attrs, "id");
    if (!name || !id) h.error = "a <sheet> without name or r:id";
    else out.push_back({name, id});
  };
  if (auto s = ParseXml(xml, h, where); !s) return Fail(s.error());
  return out;
}

// Relationship id -> the part's path in the archive ("xl/worksheets/sheet1.xml").
Result<std::unordered_map<std::string, std::string>> ParseRels(const std::string& xml,
                                                               const std::string& where) {
  std::unordered_map<std::string, std::string> out;
  XmlHandler h;
  h.start = [&](std::string_view el, Attributes attrs) {
    if (el != "Relationship") return;
    const char* id = Attr(attrs, "Id");
    const char* target = Attr(attrs, "Target");
    if (!id || !target) return;
    std::string_view t = target;
    out[id] = t.starts_with('/') ? std::string(t.substr(1)) : "xl/" + std::string(t);
  };
  if (auto s = ParseXml(xml, h, where); !s) return Fail(s.error());
  return out;
}

// The text of each <si>, phonetic runs (<rPh>) left out.
Result<std::vector<std::string>> ParseSharedStrings(const std::string& xml,
                                                    const std::string& where) {
  std::vector<std::string> out;
  bool in_t = false;
  int in_rph = 0;
  XmlHandler h;
  h.start = [&](std::string_view el, Attributes) {
    if (el == "si") out.emplace_back();
    else if (el == "rPh") ++in_rph;
    else if (el == "t") in_t = !out.empty() && in_rph == 0;
  };
  h.end = [&](std::string_view el) {
    if (el == "t") in_t = false;
    else if (el == "rPh") --in_rph;
  };
  h.text = [&](std::string_view s) {
    if (in_t) out.back() += s;
  };
  if (auto s = ParseXml(xml, h, where); !s) return Fail(s.error());
  return out;
}

// "C5" -> column 2 (0-based); -1 when it does not start with A..XFD.
int ColumnOf(std::string_view ref) {
  int col = 0;
  size_t i = 0;
  for (; i < ref.size() && ref[i] >= 'A' && ref[i] <= 'Z'; ++i) {
    col = col * 26 + (ref[i] - 'A' + 1);
    if (col > kMaxColumn) return -1;
  }
  return i == 0 ? -1 : col - 1;
}

// A decimal number in [lo, hi]; -1 otherwise.
long long Bounded(std::string_view s, long long lo, long long hi) {
  if (s.empty() || s.size() > 12) return -1;
  long long n = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return -1;
    n = n * 10 + (c - '0');
  }
  return n >= lo && n <= hi ? n : -1;
}

// One worksheet's <row>/<c> elements into rows of text cells.
class SheetParser {
 public:
  explicit SheetParser(const std::vector<std::string>& shared) : shared_(shared) {
    h_.start = [this](std::string_view el, Attributes attrs) { Start(el, attrs); };
    h_.end = [this](std::string_view el) { End(el); };
    h_.text = [this](std::string_view s) {
      if (in_value_) value_ += s;
    };
  }
  XmlHandler& handler() { return h_; }
  std::vector<XlsxRow>& rows() { return rows_; }

 private:
  void Start(std::string_view el, Attributes attrs) {
    if (el == "row") {
      const char* r = Attr(attrs, "r");
      long long n = r ? Bounded(r, 1, kMaxRow) : row_number_ + 1;
      if (n < 1 || n > kMaxRow) return Error("row number " + Quoted(r ? r : "") + " is not 1 to 1048576");
      row_number_ = static_cast<int>(n);
      column_ = -1;
      in_row_ = true;
    } else if (el == "c" && in_row_) {
      const char* r = Attr(attrs, "r");
      int col = r ? ColumnOf(r) : column_ + 1;
      if (col < 0 || col >= kMaxColumn) return Error("cell " + Quoted(r ? r : "") + " is not a cell reference A to XFD");
      column_ = col;
      const char* t = Attr(attrs, "t");
      type_ = t ? t : "";
      value_.clear();
      in_cell_ = true;
    } else if (in_cell_ && (el == "v" || (el == "t" && rph_ == 0))) {
      in_value_ = true;
    } else if (el == "rPh") {
      ++rph_;
    }
  }
  void End(std::string_view el) {
    if (el == "v" || el == "t") in_value_ = false;
    else if (el == "rPh") --rph_;
    else if (el == "c" && in_cell_) Cell();
    else if (el == "row") in_row_ = false;
  }
  void Cell() {
    in_cell_ = false;
    std::string text = std::move(value_);
    if (type_ == "s") {
      long long i = Bounded(text, 0, static_cast<long long>(shared_.size()) - 1);
      if (i < 0) return Error("cell with shared string " + Quoted(text) + ", which the file does not have");
      text = shared_[static_cast<size_t>(i)];
    }
    if (rows_.empty() || rows_.back().number != row_number_) rows_.push_back({row_number_, {}});
    auto& cells = rows_.back().cells;
    if (cells.size() <= static_cast<size_t>(column_)) cells.resize(column_ + 1);
    cells[column_] = std::move(text);
  }
  void Error(std::string why) { h_.error = std::move(why); }

  const std::vector<std::string>& shared_;
  XmlHandler h_;
  std::vector<XlsxRow> rows_;
  std::string type_, value_;
  int row_number_ = 0, column_ = -1, rph_ = 0;
  bool in_row_ = false, in_cell_ = false, in_value_ = false;
};

Result<std::string> RequiredPart(zip_t* zip, const std::string& name, const std::string& where) {
  auto part = ReadPart(zip, name, where);
  if (!part) return Fail(part.error());
  if (!*part) return Fail(Error::Invalid(where + "not an .xlsx workbook: no " + name));
  return std::move(**part);
}

}  // namespace

bool LooksLikeZip(std::string_view bytes) { return bytes.starts_with("PK\x03\x04"); }

Result<std::vector<XlsxSheet>> ReadXlsx(std::string_view bytes, std::string_view file) {
  std::string where = std::string(file) + ": ";
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
  Zip zip(source ? zip_open_from_source(source, ZIP_RDONLY, &error) : nullptr);
  if (!zip) {
    if (source) zip_source_free(source);
    std::string why = zip_error_strerror(&error);
    zip_error_fini(&error);
    return Fail(Error::Invalid(where + "not an .xlsx workbook: " + why));
  }
  zip_error_fini(&error);
  auto workbook = RequiredPart(zip.get(), "xl/workbook.xml", where);
  if (!workbook) return Fail(workbook.error());
  auto refs = ParseWorkbook(*workbook, where + "xl/workbook.xml: ");
  if (!refs) return Fail(refs.error());
  auto rels_xml = RequiredPart(zip.get(), "xl/_rels/workbook.xml.rels", where);
  if (!rels_xml) return Fail(rels_xml.error());
  auto rels = ParseRels(*rels_xml, where + "xl/_rels/workbook.xml.rels: ");
  if (!rels) return Fail(rels.error());
  std::vector<std::string> shared;
  auto shared_xml = ReadPart(zip.get(), "xl/sharedStrings.xml", where);
  if (!shared_xml) return Fail(shared_xml.error());
  if (*shared_xml) {
    auto parsed = ParseSharedStrings(**shared_xml, where + "xl/sharedStrings.xml: ");
    if (!parsed) return Fail(parsed.error());
    shared = std::move(*parsed);
  }
  std::vector<XlsxSheet> out;
  for (const SheetRef& ref : *refs) {
    auto path = rels->find(ref.rel_id);
    if (path == rels->end())
      return Fail(Error::Invalid(where + "sheet " + Quoted(ref.name) + " has no part (relationship " +
                                 Quoted(ref.rel_id) + " is missing)"));
    auto xml = RequiredPart(zip.get(), path->second, where);
    if (!xml) return Fail(xml.error());
    SheetParser parser(shared);
    if (auto s = ParseXml(*xml, parser.handler(), where + path->second + ": "); !s)
      return Fail(s.error());
    out.push_back({ref.name, std::move(parser.rows())});
  }
  return out;
}

}  // namespace carefinder::importer
