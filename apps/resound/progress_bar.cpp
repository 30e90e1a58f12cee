// Terminal progress bar with a delayed start and throttled redraws.
#include "progress_bar.hpp"

#include <unistd.h>

#include <cstdio>

#include "cli_support.hpp"

namespace resound::cli {
namespace {
constexpr auto kShowAfter = std::chrono::milliseconds(1000);
constexpr auto kRedrawEvery = std::chrono::milliseconds(100);
constexpr int kBarWidth = 30;
}  // namespace

ProgressBar::ProgressBar(std::string label)
    : label_(std::move(label)), enabled_(::isatty(STDERR_FILENO) == 1), start_(std::chrono::steady_clock::now()) {}

ProgressBar::~ProgressBar() { finish(); }

ProgressCallback ProgressBar::callback() {
  return [this](double fraction_done) { return update(fraction_done); };
}

bool ProgressBar::update(double fraction_done) {
  if (interrupt_requested()) return false;
  if (!enabled_) return true;
  const auto now = std::chrono::steady_clock::now();
  if (now - start_ < kShowAfter || (drawn_ && now - last_draw_ < kRedrawEvery)) return true;
  last_draw_ = now;
  drawn_ = true;
  if (fraction_done < 0.0) fraction_done = 0.0;
  if (fraction_done > 1.0) fraction_done = 1.0;
  const int filled = static_cast<int>(fraction_done * kBarWidth + 0.5);
  const double elapsed_s = std::chrono::duration<double>(now - start_).count();
  const double remaining_s = fraction_done > 0.01 ? elapsed_s * (1.0 - fraction_done) / fraction_done : -1.0;
  std::string bar(static_cast<std::size_t>(filled), '#');
  bar.append(static_cast<std::size_t>(kBarWidth - filled), '-');
  if (remaining_s >= 0.0)
    std::fprintf(stderr, "\r%s [%s] %3d%%  ETA %.0f s ", label_.c_str(), bar.c_str(),
                 static_cast<int>(fraction_done * 100.0), remaining_s);
  else
    std::fprintf(stderr, "\r%s [%s] %3d%% ", label_.c_str(), bar.c_str(), static_cast<int>(fraction_done * 100.0));
  std::fflush(stderr);
  return true;
}

void ProgressBar::finish() {
  if (drawn_) {
    std::fprintf(stderr, "\r\033[K");
    std::fflush(stderr);
    drawn_ = false;
  }
}

}  // namespace resound::cli
