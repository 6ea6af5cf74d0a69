#pragma once
// `tribe report` as one call: read the result files, decide a study's verdicts when there
// are several, format, and print or write the report file as the engine writes its own
// (io::write_text_atomically). The command line only parses.
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "tribe/report/format.hpp"

namespace tribe::report {

struct ReportRequest {
  /// Result files; several form one study (one family for multiple comparisons).
  std::vector<std::string> files;
  Format format = Format::Text;
  /// The report file to write; none: the report goes to `out`.
  std::optional<std::string> output;
  /// Replace an existing report file.
  bool overwrite = false;
};

/// Writes the report. Refuses (InputError, one line) an empty output path, an output that
/// is one of the files reported on, and an existing output without `overwrite`; a file
/// that cannot be written is an EnvironmentError and leaves no file under its name.
void write_report(const ReportRequest& request, std::ostream& out);

}  // namespace tribe::report
