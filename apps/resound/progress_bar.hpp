// ProgressBar: a one-line progress display on stderr for operations that take more than a second.
#pragma once

#include <chrono>
#include <string>

#include "resound/core/progress.hpp"

namespace resound::cli {

/// Draws "label [#####-----]  45%  ETA 3 s" on stderr, only when stderr is a terminal and only
/// once the operation has run for about a second (short jobs print nothing). The callback it hands
/// out also reports Ctrl-C as a cancellation.
class ProgressBar {
 public:
  explicit ProgressBar(std::string label);
  ~ProgressBar();
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  /// The callback to pass to long operations.
  ProgressCallback callback();
  /// Clears the line if one was drawn.
  void finish();

 private:
  bool update(double fraction_done);

  std::string label_;
  bool enabled_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
};

}  // namespace resound::cli
