// STUB: replaced by the server work.
#include "server/serve.h"
namespace carefinder::server {
int RunServeCommand(const std::vector<std::string>&) { return 70; }
}  // namespace carefinder::server
