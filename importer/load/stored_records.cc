// Pass 1 of a load: see stored_records.h.
#include "importer/load/stored_records.h"

#include "importer/listing_doc.h"

namespace carefinder::importer {

Result<std::string> StoredRecords::WriteSource(
    const ListingRecord& rec, LoaderStatements& st, StableIdMaker& make_id,
    const std::unordered_map<std::string, std::string>& attributions) {
  auto found = source_ids_.find(rec.source);
  if (found != source_ids_.end()) return found->second;
  std::string id = make_id("source", rec.source, rec.source);
  auto attribution = attributions.find(rec.source);
  auto& s = st.source;
  s.Bind(1, id).Bind(2, rec.source).BindOptional(3, rec.source_url);
  s.BindOptional(4, rec.source_license);
  s.BindOptional(5, attribution == attributions.end() ? "" : attribution->second);
  if (auto r = s.Run(); !r) return Fail(r.error());
  auto key = QueryRow(st.source_key, id, 1);
  if (!key) return Fail(key.error());
  if (!*key) return Fail(Error::Internal("source " + rec.source + " was not written"));
  source_keys_.emplace(rec.source, std::stoll((**key)[0]));
  source_ids_.emplace(rec.source, id);
  return id;
}

Status StoredRecords::LookUp(const std::vector<ListingGroup>& groups, LoaderStatements& st,
                             StableIdMaker& make_id,
                             const std::unordered_map<std::string, std::string>& attributions) {
  auto any = st.any_listing.Step();
  if (!any) return Fail(any.error());
  any_listing_ = st.any_listing.ColumnInt(0) != 0;
  st.any_listing.Reset();
  for (const ListingGroup& group : groups) {
    for (const ListingRecord* m : group.members) {
      auto source_id = WriteSource(*m, st, make_id, attributions);
      if (!source_id) return Fail(source_id.error());
      if (!any_listing_) continue;
      auto& find = st.find_hash;
      find.Bind(1, *source_id).Bind(2, m->source_key);
      auto found = find.Step();
      if (!found) return Fail(found.error());
      if (*found) {
        Stored s{find.ColumnString(0), false, find.ColumnString(1)};
        any_legacy_hash_ = any_legacy_hash_ || IsLegacyContentHash(s.hash);
        s.own = s.listing == make_id("service_at_location", m->source, m->source_key);
        if (s.own) claimed_.insert(std::move(s.listing)), s.listing.clear();
        stored_.emplace(m, std::move(s));
      }
      find.Reset();
    }
  }
  return {};
}

const Stored* StoredRecords::Of(const ListingRecord* record) const {
  auto it = stored_.find(record);
  return it == stored_.end() ? nullptr : &it->second;
}

int64_t StoredRecords::SourceKey(const std::string& source_name) const {
  return source_keys_.at(source_name);
}

bool StoredRecords::Adopt(const std::string& listing) {
  if (claimed_.contains(listing)) return false;
  return adopted_.insert(listing).second;
}

}  // namespace carefinder::importer
