// `carefinder feedback`: lists the problem reports visitors sent from the
// listing pages (store/feedback_store.h), oldest first, for maintainers.
#pragma once

#include <string>
#include <vector>

namespace carefinder::api {

int RunFeedbackCommand(const std::vector<std::string>& args);  // exit code

}  // namespace carefinder::api
