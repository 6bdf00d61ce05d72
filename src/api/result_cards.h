// The first page of result cards, written by the server into the search
// page (first_answer.h) so a slow phone shows them before the page's
// scripts have arrived. The same markup as web/js/result.js resultItem (a
// browser test compares the two, in both languages); the script replaces
// them with its own once it runs.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "api/page_strings.h"
#include "core/taxonomy.h"

namespace carefinder::api {

// The <li class="card"> items for `answer` (a /api/v1/search answer) in
// `lang`; nullopt when the cards depend on what only the browser knows (a
// listing's hours, read by the device's clock; a meeting; an online link),
// or when the answer has no results or help after them (the script's
// failure card and notes). `link_query` ends each listing link ("?lang=es"
// when the page's URL names its language, as i18n.js withLang does).
std::optional<std::string> RenderResultCards(const nlohmann::json& answer,
                                             const Taxonomy& taxonomy, std::string_view lang,
                                             const PageStrings& strings,
                                             std::string_view link_query = "");

}  // namespace carefinder::api
