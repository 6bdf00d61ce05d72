// The street, city, state and ZIP of a US address as the SAMHSA readers read
// them from a row (the locator CSV and the National Directory share the
// columns and the rules): the state as a USPS code, the ZIP as 5 digits, city,
// state and ZIP required, each problem recorded against the row.
#pragma once

#include <string>

#include "core/model.h"
#include "core/place_name.h"
#include "importer/normalise.h"
#include "importer/sources/reader.h"

namespace carefinder::importer {

// `Row` is a reader's row type: Raw(f), Text(f), Required(f) and Name(f) for
// its own `Field` enum, and a RowRejections.
template <class Row, class Field>
void ReadUsAddress(Row& row, Address& a, Field street1, Field street2, Field city, Field state,
                   Field zip) {
  a.line1 = row.Text(street1);
  a.line2 = row.Text(street2);
  a.city = row.Required(city);
  std::string st = row.Required(state);
  if (!st.empty()) {
    if (auto code = NormalizeState(st)) a.state = *code;
    else row.Reject(row.Name(state), "\"" + st + "\" is not a US state");
  }
  if (row.Raw(zip).empty()) row.Reject(row.Name(zip), "required value is missing");
  else a.postal_code = static_cast<RowRejections&>(row).Take(row.Name(zip), NormalizeZip(row.Raw(zip)));
}

}  // namespace carefinder::importer
