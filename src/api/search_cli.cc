// STUB: replaced by the api work.
#include "api/search_cli.h"
namespace carefinder::api {
int RunSearchCommand(const std::vector<std::string>&) { return 70; }
}  // namespace carefinder::api
