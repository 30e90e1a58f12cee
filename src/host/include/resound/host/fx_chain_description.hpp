// Effect chains described as JSON or as short CLI specs, and impulse responses read from files.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "resound/core/expected.hpp"
#include "resound/fx/chain.hpp"
#include "resound/fx/compressor.hpp"
#include "resound/fx/impulse_response.hpp"
#include "resound/fx/parametric_eq.hpp"

namespace resound::host {

/// Reads an impulse response from any audio file (WAV, FLAC, Ogg…): checks its length from the
/// header before decoding (refusing > 60 s), then validates it (channels 1/2/4, not empty, not
/// silent, finite). Errors name the file.
/// Thread contract: OFF/CT (file I/O).
Expected<fx::ImpulseResponse> read_impulse_response_file(const std::filesystem::path& path);

/// A chain built from a description, plus what an offline render needs to know about it.
struct FxChainDescription {
  std::shared_ptr<fx::Chain> chain;
  double tail_s = 0.0;  ///< how long the chain rings after its input ends (reverb decay, IR length)
};

/// Builds a chain from JSON text: either `{"chain": [ … ]}` or a bare array of processors, each
/// `{"type": "convolution"|"reverb"|"chorus"|"eq"|"compressor"|"limiter"|"gain"|"pan"|"bus", …}`
/// (fields in docs/fx.md). Unknown types or fields are errors naming the JSON path (and
/// `source_name` as the file). Relative IR paths are resolved against `base_directory`.
/// Thread contract: OFF/CT (reads impulse-response files).
Expected<FxChainDescription> parse_fx_chain_json(std::string_view text, const std::string& source_name,
                                                 const std::filesystem::path& base_directory);

/// Reads and parses a chain file (relative IR paths are resolved against its folder).
Expected<FxChainDescription> read_fx_chain_file(const std::filesystem::path& path);

/// Describes a chain as JSON text (the inverse of parse_fx_chain_json for the processors it
/// knows; others are written as {"type": "unknown"}).
std::string describe_fx_chain_json(const fx::Chain& chain);

/// `--eq` spec: comma-separated bands `TYPE:FREQ_HZ[:GAIN_DB[:Q]]`, TYPE one of peak, lowshelf,
/// highshelf, lowpass, highpass, bandpass, notch; e.g. "lowshelf:120:-3,peak:2500:2:1.5,highpass:40".
Expected<std::vector<fx::EqBand>> parse_eq_spec(std::string_view spec);

/// `--compress` spec: comma-separated `key=value` with keys threshold (dB), ratio, knee (dB),
/// attack (ms), release (ms), makeup (dB), detector (peak|rms); e.g. "threshold=-20,ratio=3,attack=5".
Expected<fx::CompressorParameters> parse_compressor_spec(std::string_view spec);

/// `--limit` spec: a ceiling like "-1dBTP", "-1dB" or "-1".
Expected<double> parse_ceiling_spec(std::string_view spec);

}  // namespace resound::host
