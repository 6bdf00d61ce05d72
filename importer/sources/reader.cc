// Rejection messages shared by every reader: see reader.h.
#include "importer/sources/reader.h"

namespace carefinder::importer {

std::string Rejection::Message() const {
  std::string m = file + ":" + std::to_string(line) + ": ";
  if (!field.empty()) m += "field '" + field + "': ";
  return m + reason;
}

}  // namespace carefinder::importer
