// What every sub-command shares: exit codes, error reporting, Ctrl-C cancellation.
#pragma once

#include <functional>
#include <string>

#include <CLI/CLI.hpp>

#include "resound/core/error.hpp"
#include "resound/core/expected.hpp"

namespace resound::cli {

/// Exit codes of the resound tool.
enum ExitCode : int {
  kExitOk = 0,
  kExitRuntimeError = 1,  ///< bad input file, I/O failure, …
  kExitUsageError = 2,    ///< wrong flags or arguments
  kExitInterrupted = 130, ///< Ctrl-C (128 + SIGINT)
};

/// A sub-command's body, run after the command line has been parsed; returns an exit code.
using CommandAction = std::function<int()>;

/// Sub-commands register here: `add` creates the CLI11 sub-command and remembers the action to run
/// when the user picks it.
class CommandRegistry {
 public:
  explicit CommandRegistry(CLI::App& app) : app_(app) {}
  /// Adds a sub-command; `configure` declares its options and returns the action to run.
  CLI::App* add(const std::string& name, const std::string& description,
                const std::function<CommandAction(CLI::App&)>& configure);
  [[nodiscard]] const CommandAction& selected_action() const { return selected_; }

 private:
  CLI::App& app_;
  CommandAction selected_;
};

/// Prints "resound: error: <what>" to stderr and returns the exit code for the error.
int report_error(const Error& error);

/// Installs a SIGINT handler that requests cancellation (a second Ctrl-C kills the process).
void install_interrupt_handler();
/// True once the user pressed Ctrl-C.
bool interrupt_requested();

}  // namespace resound::cli
