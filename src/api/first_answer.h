// The search page made for its URL (docs/PERFORMANCE.md, "Cold start"): a
// cold link such as /?near=92374&care=detox gets index.html with the answer
// to its first search inside, so a slow phone does not wait a round trip for
// it after the page's scripts, and in the page's language, so a Spanish page
// does not download the English strings and labels first.
//
// The page's script (web/js/state.js apiParams) decides which
// /api/v1/search URL it asks for; PageSearchQuery repeats that decision,
// and the page takes the embedded answer only when the URLs are equal
// (web/js/first_search.js), so a difference costs a request, never a wrong
// answer.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "api/page_strings.h"
#include "api/request.h"

namespace carefinder::store {
class ReadSession;
}

namespace carefinder::api {

// `s` as the browser's URLSearchParams writes a key or value:
// application/x-www-form-urlencoded, space as '+'.
std::string FormEncode(std::string_view s);

// The query of the /api/v1/search URL the page asks for first on a page
// URL with `page`'s query, for the filter groups `groups` (the taxonomy's,
// in its order); nullopt when the page asks for no search or its search
// depends on the device's clock (`when`).
std::optional<std::string> PageSearchQuery(const Request& page,
                                            std::span<const std::string> groups);

// "es" or "en", as web/js/lang.js picks it: `lang` in the URL, else the
// first language the browser names (`accept_language`, the header).
std::string_view PageLanguage(const Request& page, std::string_view accept_language);

// `html` (web/index.html) in `lang`: for "es", its texts and attributes
// translated (web/js/i18n.js translateStatic) and the Spanish strings and
// labels preloaded instead of the English ones.
void PageInLanguage(std::string_view lang, const PageStrings& strings, std::string& html);

// `html` with the first search's answer embedded when `page` asks for one
// and the store answers it (an answer or a 4xx problem; a 5xx is left to the
// page to ask again), and its first cards written in (result_cards.h) when
// they can be. Returns whether an answer was embedded.
bool EmbedFirstSearch(store::ReadSession& session, const Request& page, std::string_view lang,
                      const PageStrings& strings, std::string& html);

}  // namespace carefinder::api
