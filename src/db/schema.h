// The embedded schema (src/db/schema.sql) and its version.
#pragma once

namespace carefinder::db {

extern const char* const kSchemaSql;
// Must equal the PRAGMA user_version that schema.sql sets.
inline constexpr int kSchemaVersion = 9;

}  // namespace carefinder::db
