// Helpers for the analysis tests: shared clip loading (skips when ../shared is absent) and truth files.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "resound/formats/audio_file_reader.hpp"

namespace resound::test {

inline std::filesystem::path analysis_data() { return std::filesystem::path(RESOUND_SHARED_DIR) / "data" / "analysis"; }

/// The clip, or nullopt (the caller GTEST_SKIPs) when the shared data is not there.
inline std::optional<AudioClip> load_clip(const std::string& name) {
  const auto path = analysis_data() / "audio" / (name + ".wav");
  if (!std::filesystem::exists(path)) return std::nullopt;
  auto clip = formats::read_audio_file(path);
  if (!clip) return std::nullopt;
  return std::move(*clip);
}

/// Rows of numbers from a truth file (comments and blank lines skipped; commas or spaces).
inline std::vector<std::vector<double>> load_rows(const std::filesystem::path& path) {
  std::vector<std::vector<double>> rows;
  std::ifstream input(path);
  std::string line;
  while (std::getline(input, line)) {
    if (line.empty() || line[0] == '#') continue;
    for (auto& c : line)
      if (c == ',' || c == '\t') c = ' ';
    std::istringstream fields(line);
    std::vector<double> row;
    double value = 0.0;
    while (fields >> value) row.push_back(value);
    if (!row.empty()) rows.push_back(row);
  }
  return rows;
}

/// F-measure of estimated vs reference event times with a ±window match (greedy, one-to-one).
inline double f_measure(const std::vector<double>& reference, const std::vector<double>& estimated, double window_s) {
  if (reference.empty() || estimated.empty()) return 0.0;
  std::vector<bool> used(estimated.size(), false);
  std::size_t hits = 0;
  for (const double time : reference) {
    std::size_t best = estimated.size();
    double best_distance = window_s;
    for (std::size_t j = 0; j < estimated.size(); ++j)
      if (!used[j] && std::abs(estimated[j] - time) <= best_distance) {
        best_distance = std::abs(estimated[j] - time);
        best = j;
      }
    if (best < estimated.size()) {
      used[best] = true;
      ++hits;
    }
  }
  const double precision = static_cast<double>(hits) / static_cast<double>(estimated.size());
  const double recall = static_cast<double>(hits) / static_cast<double>(reference.size());
  return precision + recall > 0.0 ? 2.0 * precision * recall / (precision + recall) : 0.0;
}

}  // namespace resound::test
