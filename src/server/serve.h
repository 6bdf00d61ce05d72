// `carefinder serve`: the HTTP server's command-line entry point.
#pragma once

#include <string>
#include <vector>

namespace carefinder::server {

int RunServeCommand(const std::vector<std::string>& args);  // exit code

}  // namespace carefinder::server
