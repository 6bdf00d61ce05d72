// `carefinder feedback`: lists the problem reports visitors sent from the
// listing pages (store/feedback_store.h), oldest first, for maintainers;
// `--gather` copies several replicas' files into one, each report once;
// `--prune` empties what maintainers have handled.
#pragma once

#include <string>
#include <vector>

namespace carefinder::api {

int RunFeedbackCommand(const std::vector<std::string>& args);  // exit code

}  // namespace carefinder::api
