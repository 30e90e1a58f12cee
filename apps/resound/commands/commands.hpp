// The sub-commands of `resound`, each defined in its own file in this folder.
#pragma once

#include "cli_support.hpp"

namespace resound::cli {

void register_info_command(CommandRegistry& registry);
void register_convert_command(CommandRegistry& registry);
void register_midi_command(CommandRegistry& registry);
void register_track_command(CommandRegistry& registry);
void register_fx_command(CommandRegistry& registry);
void register_play_command(CommandRegistry& registry);
void register_analyze_command(CommandRegistry& registry);
void register_waveform_command(CommandRegistry& registry);
void register_score_command(CommandRegistry& registry);

}  // namespace resound::cli
