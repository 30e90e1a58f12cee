// subliminal_encode: audio files shifted up by DSB-SC modulation onto a high carrier, in sequence or stacked.
#include <algorithm>
#include <cmath>

#include "resound/formats/audio_file_reader.hpp"
#include "voices/voice_families.hpp"
#include "voices/voice_math.hpp"

namespace resound::track::voices {
namespace {

/// Splits `audio_paths` (list or ';'-separated) and `audio_path` into file names.
std::vector<std::string> subliminal_paths(const ParamMap& params) {
  std::vector<std::string> paths;
  auto add_text = [&](const std::string& text) {
    std::size_t start = 0;
    while (start <= text.size()) {
      const std::size_t end = text.find(';', start);
      std::string item = text.substr(start, end == std::string::npos ? std::string::npos : end - start);
      item.erase(0, item.find_first_not_of(" \t"));
      item.erase(item.find_last_not_of(" \t") + 1);
      if (!item.empty()) paths.push_back(item);
      if (end == std::string::npos) break;
      start = end + 1;
    }
  };
  for (const char* key : {"audio_paths", "audio_path"}) {
    const ParamValue* value = find_param(params, key);
    if (value == nullptr) continue;
    if (const ParamList* items = value->list()) {
      for (const auto& item : *items) add_text(item.as_string());
    } else {
      add_text(value->as_string());
    }
  }
  return paths;
}

/// One file: mono, linearly resampled (np.interp, as the original without librosa), modulated, peak 1.
std::vector<float> encode_file(const std::string& path, double rate_hz, double carrier_hz) {
  auto clip = formats::read_audio_file(path);
  if (!clip || clip->audio.frame_count() == 0) return {};  // missing or unreadable files are skipped
  const std::size_t input_frames = clip->audio.frame_count();
  std::vector<double> mono(input_frames, 0.0);
  for (std::size_t c = 0; c < clip->audio.channel_count(); ++c)
    for (std::size_t i = 0; i < input_frames; ++i) mono[i] += clip->audio.channel(c)[i];
  for (double& x : mono) x /= static_cast<double>(clip->audio.channel_count());
  const auto output_frames = static_cast<std::size_t>(static_cast<double>(input_frames) * rate_hz / clip->sample_rate_hz);
  std::vector<float> encoded(output_frames);
  double peak = 0.0;
  for (std::size_t n = 0; n < output_frames; ++n) {
    const double position = static_cast<double>(n) * clip->sample_rate_hz / rate_hz;
    const auto index = std::min(static_cast<std::size_t>(position), input_frames - 1);
    const double fraction = position - static_cast<double>(index);
    const double x = index + 1 < input_frames ? mono[index] + (mono[index + 1] - mono[index]) * fraction : mono[index];
    const double y = x * std::sin(kTwoPi * carrier_hz * static_cast<double>(n) / rate_hz);
    encoded[n] = static_cast<float>(y);
    peak = std::max(peak, std::fabs(y));
  }
  if (peak > 0.0)
    for (float& y : encoded) y = static_cast<float>(y / peak);
  return encoded;
}

class SubliminalVoice final : public Voice {
 public:
  SubliminalVoice(const VoiceContext& context) : Voice(context.frames) {
    const double carrier = std::clamp(number_param(context.params, "carrierFreq", 17500.0), 15000.0, 20000.0);
    stack_ = string_param(context.params, "mode", "sequence") == "stack";
    const auto rate = context.sample_rate_hz;
    for (const auto& path : subliminal_paths(context.params)) {
      auto encoded = encode_file(path, rate, carrier);
      if (!encoded.empty()) files_.push_back(std::move(encoded));
    }
    if (!stack_) {
      // Sequence: each file then one second of silence, looping.
      for (const auto& file : files_) {
        pattern_.insert(pattern_.end(), file.begin(), file.end());
        pattern_.insert(pattern_.end(), static_cast<std::size_t>(rate), 0.0f);
      }
    }
    // The original normalises the arranged voice to peak 1, then applies amp.
    double peak = 0.0;
    float l[1024], r[1024];
    gain_ = 1.0;
    for (std::int64_t at = 0; at < context.frames; at += 1024) {
      const auto n = static_cast<std::size_t>(std::min<std::int64_t>(1024, context.frames - at));
      render(at, std::span<float>(l, n), std::span<float>(r, n));
      for (std::size_t i = 0; i < n; ++i) peak = std::max(peak, double(std::fabs(l[i])));
      if (!stack_ && at > static_cast<std::int64_t>(pattern_.size())) break;  // periodic from here
    }
    gain_ = peak > 0.0 ? number_param(context.params, "amp", 0.5) / peak : 0.0;
  }

  void render(std::int64_t first, std::span<float> left, std::span<float> right) noexcept override {
    for (std::size_t i = 0; i < left.size(); ++i) {
      const std::int64_t k = first + static_cast<std::int64_t>(i);
      double value = 0.0;
      if (stack_) {
        for (const auto& file : files_) value += file[static_cast<std::size_t>(k % static_cast<std::int64_t>(file.size()))];
        if (!files_.empty()) value /= static_cast<double>(files_.size());
      } else if (!pattern_.empty()) {
        value = pattern_[static_cast<std::size_t>(k % static_cast<std::int64_t>(pattern_.size()))];
      }
      left[i] = right[i] = static_cast<float>(value * gain_);
    }
  }

 private:
  bool stack_ = false;
  std::vector<std::vector<float>> files_;
  std::vector<float> pattern_;
  double gain_ = 1.0;
};

}  // namespace

Expected<std::unique_ptr<Voice>> create_subliminal_voice(const VoiceContext& context, bool /*transition*/) {
  return std::unique_ptr<Voice>(std::make_unique<SubliminalVoice>(context));
}

}  // namespace resound::track::voices
