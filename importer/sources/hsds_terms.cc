// Terms of a listing: attributes whose taxonomy_term is of the carefinder
// taxonomy become our codes; terms of other taxonomies become source
// attributes "taxonomy:code" with one warning per distinct term; languages
// map by ISO 639 code, or by name when it is one of our labels. See
// TermMapper in hsds_graph.h.
#include <algorithm>

#include "core/text.h"
#include "importer/normalise.h"
#include "importer/sources/hsds_graph.h"

namespace carefinder::importer::hsds {

namespace {

bool Contains(const std::vector<std::string>& v, std::string_view s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

// A language's term: its ISO 639 code, else its name as one of our labels.
const Term* LanguageTerm(const Taxonomy& taxonomy, const Node& lang) {
  std::string code = text::ToLower(lang.Get("code"));
  if (!code.empty()) return taxonomy.InGroup(code, "language") ? taxonomy.Find(code) : nullptr;
  std::string name = text::ToLower(lang.Get("name"));
  for (const Term& t : taxonomy.terms()) {
    std::string label = text::ToLower(t.label);
    if (t.group == "language" && (label == name || label.starts_with(name + " ("))) return &t;
  }
  return nullptr;
}

}  // namespace

// The taxonomy a term belongs to, by name and id, from the term or its taxonomy.
std::pair<std::string, std::string> TermMapper::TaxonomyOf(const Node& term) const {
  const Node* tax = term.taxonomy ? &g_.nodes[kTaxonomy][*term.taxonomy] : nullptr;
  std::string name(term.Get("taxonomy")), id(term.Get("taxonomy_id"));
  if (name.empty() && tax) name = tax->Get("name");
  if (id.empty() && tax) id = tax->Get("id");
  return {name, id};
}

// Our code for `term`, or "" after keeping it as a source attribute.
std::string TermMapper::MapTerm(Problems& p, const Node& term, ListingRecord& rec) {
  std::string code(term.Get("code"));
  if (code.empty()) code = CleanText(term.Get("name"));
  auto [taxonomy, taxonomy_id] = TaxonomyOf(term);
  std::string folded = text::ToLower(code);
  const Term* ours = taxonomy_.Find(folded);
  bool our_taxonomy = taxonomy_id == TaxonomyId() || term.Get("id") == TermId(folded) ||
                      text::EqualsIgnoreCase(taxonomy, "carefinder") ||
                      text::EqualsIgnoreCase(taxonomy, "Carefinder care taxonomy");
  if (ours && (our_taxonomy || (taxonomy.empty() && taxonomy_id.empty()))) return folded;
  if (taxonomy.empty()) taxonomy = taxonomy_id;  // named by id only, or by a dangling id
  std::string kept = taxonomy.empty() ? code : taxonomy + ":" + code;
  if (!Contains(rec.source_attributes, kept)) rec.source_attributes.push_back(kept);
  if (!warned_.insert("term\x1f" + kept).second) return "";
  if (our_taxonomy) {
    p.Warn(term, "code",
           Quoted(code) + " is not a code of the carefinder taxonomy; kept as a source attribute");
  } else if (taxonomy.empty()) {
    p.Warn(term, "code",
           Quoted(code) +
               " names no taxonomy and is not a carefinder code; kept as a source attribute");
  } else {
    p.Warn(term, "code",
           Quoted(code) + " of taxonomy " + Quoted(taxonomy) +
               " has no carefinder term; kept as source attribute " + Quoted(kept));
  }
  return "";
}

void TermMapper::AddAttributes(Problems& p, const Node* owner, std::vector<std::string>& codes,
                               ListingRecord& rec) {
  if (owner == nullptr) return;
  for (size_t i : owner->attributes) {
    const Node& attr = g_.nodes[kAttribute][i];
    const Node* term = attr.taxonomy_term ? &g_.nodes[kTaxonomyTerm][*attr.taxonomy_term] : nullptr;
    if (term == nullptr || !p.Use(attr) || !p.Use(*term)) continue;
    std::string code = MapTerm(p, *term, rec);
    if (!code.empty() && !Contains(codes, code)) codes.push_back(code);
  }
}

void TermMapper::AddLanguages(Problems& p, const Node* owner, std::vector<std::string>& codes,
                              ListingRecord& rec) {
  if (owner == nullptr) return;
  for (size_t i : owner->languages) {
    const Node& lang = g_.nodes[kLanguage][i];
    if (!p.Use(lang)) continue;
    if (const Term* t = LanguageTerm(taxonomy_, lang)) {
      if (!Contains(codes, t->code)) codes.push_back(t->code);
      continue;
    }
    std::string_view field = lang.Get("code").empty() ? "name" : "code";
    std::string value = CleanText(lang.Get(field));
    if (value.empty()) continue;
    std::string kept = "language:" + value;
    if (!Contains(rec.source_attributes, kept)) rec.source_attributes.push_back(kept);
    if (warned_.insert(kept).second)
      p.Warn(lang, field,
             Quoted(value) +
                 " is not a language of the carefinder taxonomy; kept as a source attribute");
  }
}

// Terms in taxonomy order is the loader's business; here: the kind first (as
// every reader does), then the codes as found.
void TermMapper::Read(Problems& p, const Node& sal, const Node& svc, const Node& loc,
                      const Node* org, ListingRecord& rec) {
  std::vector<std::string> codes;
  for (const Node* owner : {&sal, &svc, &loc, org}) AddAttributes(p, owner, codes, rec);
  for (const Node* owner : {&svc, &loc}) AddLanguages(p, owner, codes, rec);
  rec.kind = Contains(codes, "meeting") ? "meeting" : "treatment";
  rec.terms.push_back(rec.kind);
  for (const auto& code : codes) {
    if (taxonomy_.InGroup(code, "kind") || Contains(rec.terms, code)) continue;
    rec.terms.push_back(code);
  }
}

}  // namespace carefinder::importer::hsds
