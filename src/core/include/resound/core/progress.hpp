// ProgressCallback: how long operations report progress and learn that they were cancelled.
#pragma once

#include <functional>

namespace resound {

/// Called now and then by long operations (renders, conversions, analyses) with the fraction done
/// in [0, 1]. Returning false cancels the operation, which then fails with ErrorCode::kCancelled
/// and leaves no partial output. Called on the thread running the operation (never RT).
using ProgressCallback = std::function<bool(double fraction_done)>;

/// Reports progress when a callback is set; true = carry on.
inline bool report_progress(const ProgressCallback& callback, double fraction_done) {
  return !callback || callback(fraction_done);
}

}  // namespace resound
