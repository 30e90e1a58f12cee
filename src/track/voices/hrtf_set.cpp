// HrtfSet: libmysofa's "easy" API opens and resamples the SOFA set; we sample it once per whole degree.
#include "voices/hrtf_set.hpp"

#include <cmath>
#include <map>
#include <mutex>
#include <numbers>

#include <mysofa.h>

namespace resound::track::voices {

Expected<std::shared_ptr<const HrtfSet>> HrtfSet::load(double sample_rate_hz, const std::string& sofa_path) {
  // Every spatial voice of a track (and of later tracks) shares the table of its rate.
  static std::mutex mutex;
  static std::map<std::pair<std::string, long>, std::shared_ptr<const HrtfSet>> cache;
  const std::pair<std::string, long> key{sofa_path, std::lround(sample_rate_hz)};
  std::lock_guard lock(mutex);
  if (auto found = cache.find(key); found != cache.end()) return found->second;

  int filter_length = 0;
  int error = 0;
  MYSOFA_EASY* easy = mysofa_open(sofa_path.c_str(), static_cast<float>(sample_rate_hz), &filter_length, &error);
  if (easy == nullptr || error != MYSOFA_OK || filter_length <= 0) {
    if (easy != nullptr) mysofa_close(easy);
    return Error(ErrorCode::kNotFound, "cannot open the HRTF set (libmysofa error " + std::to_string(error) + ")",
                 ErrorContext{.file = sofa_path});
  }
  auto set = std::make_shared<HrtfSet>();
  set->length_ = static_cast<std::size_t>(filter_length);
  set->responses_.assign(360 * 2 * set->length_, 0.0f);
  std::vector<float> left(set->length_), right(set->length_);
  for (int degree = 0; degree < 360; ++degree) {
    // SOFA's azimuth is counter-clockwise (y > 0 is the left), ours clockwise (+90° = right).
    const double radians = degree * std::numbers::pi / 180.0;
    const auto x = static_cast<float>(std::cos(radians));
    const auto y = static_cast<float>(-std::sin(radians));
    float delay_left = 0.0f, delay_right = 0.0f;
    mysofa_getfilter_float(easy, x, y, 0.0f, left.data(), right.data(), &delay_left, &delay_right);
    // The KEMAR set carries its delays inside the responses (Data.Delay = 0); honour any whole-sample
    // delay a different set might give by shifting the response.
    const auto shift_left = static_cast<std::size_t>(std::max(0.0f, std::round(delay_left * static_cast<float>(sample_rate_hz))));
    const auto shift_right = static_cast<std::size_t>(std::max(0.0f, std::round(delay_right * static_cast<float>(sample_rate_hz))));
    float* out_left = set->responses_.data() + (static_cast<std::size_t>(degree) * 2) * set->length_;
    float* out_right = out_left + set->length_;
    const std::size_t last = set->length_ - 1;
    for (std::size_t i = 0; i + shift_left < set->length_; ++i) out_left[last - (i + shift_left)] = left[i];
    for (std::size_t i = 0; i + shift_right < set->length_; ++i) out_right[last - (i + shift_right)] = right[i];
  }
  mysofa_close(easy);
  std::shared_ptr<const HrtfSet> shared = set;
  cache.emplace(key, shared);
  return shared;
}

}  // namespace resound::track::voices
