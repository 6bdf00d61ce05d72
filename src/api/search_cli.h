// `carefinder search`: the search API from a terminal, same handler and JSON.
#pragma once

#include <string>
#include <vector>

namespace carefinder::api {

int RunSearchCommand(const std::vector<std::string>& args);  // exit code

}  // namespace carefinder::api
