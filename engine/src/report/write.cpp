#include "tribe/report/write.hpp"

#include <filesystem>
#include <sstream>

#include "tribe/core/error.hpp"
#include "tribe/io/claims_store.hpp"
#include "tribe/io/file_sync.hpp"
#include "tribe/io/result_file.hpp"
#include "tribe/report/study.hpp"

namespace tribe::report {

void write_report(const ReportRequest& request, std::ostream& out) {
  if (request.output) {
    const std::string& output = *request.output;
    if (output.empty())
      throw InputError("-o/--output is empty: expected the path of the file to write");
    // Never a file it reports on; another existing file only when asked to.
    for (const auto& file : request.files) {
      std::error_code ec;
      if (std::filesystem::equivalent(output, file, ec))
        throw InputError("-o " + output +
                         " is a result file being reported on; write the report to another file");
    }
    io::check_output_target(output, request.overwrite);
  }
  std::ostringstream text;
  if (request.files.size() == 1) {
    print_report(io::read_report(io::ResultReader(request.files.front())), text, request.format);
  } else {
    std::vector<io::StoredReport> reports;
    for (const auto& file : request.files)
      reports.push_back(io::read_report(io::ResultReader(file), file));
    print_study(decide_study(reports), text, request.format);
  }
  if (request.output)
    io::write_text_atomically(*request.output, text.str(), "the report");
  else
    out << text.str();
}

}  // namespace tribe::report
