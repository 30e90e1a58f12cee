// Unit conversions: decibels, frames and seconds, MIDI notes and hertz, cents.
#pragma once

#include <cmath>
#include <cstdint>

namespace resound {

/// The level that stands for "silence" in dB readings: -inf is unhelpful in JSON and plots.
inline constexpr double kSilenceFloorDb = -200.0;

/// Amplitude ratio for a level in decibels (0 dB -> 1.0, -6.02 dB -> 0.5).
inline double db_to_gain(double gain_db) noexcept { return std::pow(10.0, gain_db / 20.0); }

/// Level in decibels of an amplitude ratio, floored at `floor_db` for zero or negative input.
inline double gain_to_db(double gain, double floor_db = kSilenceFloorDb) noexcept {
  if (!(gain > 0.0)) return floor_db;
  const double level_db = 20.0 * std::log10(gain);
  return level_db < floor_db ? floor_db : level_db;
}

/// Level in decibels of a power ratio (mean square), floored like gain_to_db.
inline double power_to_db(double power, double floor_db = kSilenceFloorDb) noexcept {
  if (!(power > 0.0)) return floor_db;
  const double level_db = 10.0 * std::log10(power);
  return level_db < floor_db ? floor_db : level_db;
}

/// Nearest whole frame for a time in seconds (negative times clamp to 0).
inline std::int64_t seconds_to_frames(double time_s, double sample_rate_hz) noexcept {
  const double frames = std::round(time_s * sample_rate_hz);
  return frames > 0.0 ? static_cast<std::int64_t>(frames) : 0;
}

inline double frames_to_seconds(std::int64_t frames, double sample_rate_hz) noexcept {
  return static_cast<double>(frames) / sample_rate_hz;
}

/// Equal-tempered frequency of a (fractional) MIDI note; A4 = note 69 = 440 Hz.
inline double midi_note_to_hz(double note, double a4_hz = 440.0) noexcept {
  return a4_hz * std::exp2((note - 69.0) / 12.0);
}

/// Fractional MIDI note of a frequency; A4 = 440 Hz = 69.0.
inline double hz_to_midi_note(double frequency_hz, double a4_hz = 440.0) noexcept {
  return 69.0 + 12.0 * std::log2(frequency_hz / a4_hz);
}

/// Interval in cents from `reference_hz` up to `frequency_hz` (1200 cents = one octave).
inline double cents_between(double reference_hz, double frequency_hz) noexcept {
  return 1200.0 * std::log2(frequency_hz / reference_hz);
}

/// Frequency ratio of an interval in cents.
inline double cents_to_ratio(double cents) noexcept { return std::exp2(cents / 1200.0); }

}  // namespace resound
