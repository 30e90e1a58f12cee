// Entry point of the `resound` command-line tool: parses the command line and runs one sub-command.
#include <iostream>

#include "cli_support.hpp"
#include "commands/commands.hpp"

int main(int argc, char** argv) {
  using namespace resound::cli;
  CLI::App app{"Resound — SoundFont synthesis, entrainment tracks, effects and analysis.\n"
               "Run `resound COMMAND --help` for the options of a command.",
               "resound"};
  app.set_version_flag("-V,--version", std::string("resound ") + RESOUND_VERSION);
  app.require_subcommand(0, 1);

  CommandRegistry registry(app);
  register_info_command(registry);
  register_convert_command(registry);
  register_midi_command(registry);
  register_track_command(registry);
  register_fx_command(registry);
  register_play_command(registry);
  register_analyze_command(registry);
  register_waveform_command(registry);
  register_score_command(registry);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    const int code = app.exit(error);
    return code == 0 ? kExitOk : kExitUsageError;
  }
  if (!registry.selected_action()) {
    std::cout << app.help();
    return kExitOk;
  }
  install_interrupt_handler();
  try {
    return registry.selected_action()();
  } catch (const std::exception& error) {
    std::cerr << "resound: error: " << error.what() << '\n';
    return kExitRuntimeError;
  }
}
