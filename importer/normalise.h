// Field normalisation for every reader: phones to E.164 + display form, ZIP
// codes to 5 digits, URL and e-mail checks, plain text from markup, opening
// hours to weekly times, ISO dates. Each function returns the normalised value
// or an Error whose message is the reason alone ("\"9237x\" is not a 5-digit
// ZIP code"); the reader prefixes `file:line: field 'zip': `.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/model.h"

namespace carefinder::importer {

// One number, without a role: "(909) 488-7181", "909.488.7181 x12",
// "+1 800 474 4848 ext. 3026", "1-800-662-HELP" (letters map to keypad digits,
// as printed vanity numbers mean), or a short code "988" / "211" / "911"
// (allowed only when `role` is "hotline"; e164 is then empty).
Result<Phone> ParsePhone(std::string_view text, std::string_view role);

// A `;`-separated list of `[role:] number [x ext]`; role defaults to "main".
Result<std::vector<Phone>> ParsePhones(std::string_view list);

// 5 digits; ZIP+4 is cut; 3-4 digits are left-padded with zeros.
Result<std::string> NormalizeZip(std::string_view zip);

// http/https only, a host, no `user:pass@`, no admin pages (/wp-admin, /admin...).
Result<std::string> CheckUrl(std::string_view url);

// A plausible address: one '@', a dotted domain, no spaces.
Result<std::string> CheckEmail(std::string_view email);

// Markup stripped (tags removed, <br>/<p> become spaces), the common entities
// decoded (&amp; &lt; &gt; &quot; &#39; &nbsp; &#NNN; &#xHH;), whitespace
// collapsed, trimmed.
std::string CleanText(std::string_view text);

// `24/7` (every day, all day: opens/closes empty) or `;`-separated
// `Days HH:MM-HH:MM` with days Mo Tu We Th Fr Sa Su, ranges (`Mo-Fr`, wrapping
// `Sa-Mo`) and lists (`Mo,We`). Closing before opening means overnight.
Result<std::vector<WeeklyTime>> ParseHours(std::string_view hours);

// Attendance online only (terms hold `online`, not `in-person` or `hybrid`)
// and no street address: it happens nowhere in particular, so it may lack a
// ZIP, has no coordinates and is never geocoded.
bool IsOnlineOnly(const ListingRecord& rec);

// Decimal degrees within [-limit, limit] (90 for latitude, 180 for
// longitude): "\"abc\" is not a number", "95 is out of range (-90 to 90)".
Result<double> ParseDegrees(std::string_view text, double limit);

// Ok for UTF-8; else "invalid UTF-8 at byte 3 (0xE9): save the file as UTF-8"
// (byte counted from 1 within `text`).
Status CheckUtf8(std::string_view text);

// A stable, readable piece of a source key for sources without ids: ASCII
// letters and digits lower-cased, each run of other ASCII characters one '-',
// no '-' at either end, other bytes (UTF-8 letters) kept. "St. Mary's  Home"
// -> "st-mary-s-home"; "" -> "".
std::string KeySlug(std::string_view text);

}  // namespace carefinder::importer
