// `tribe merge`: the shards of a job array into the result file a single run writes.
#include <algorithm>

#include "internal.hpp"
#include "tribe/catalog/library.hpp"
#include "tribe/core/error.hpp"
#include "tribe/io/assembly.hpp"
#include "tribe/io/part_reader.hpp"

namespace tribe::job {
using namespace detail;

void merge_shards(const std::vector<fs::path>& shards, const fs::path& output, bool overwrite,
                  const std::string& command_line) {
  if (shards.empty()) throw InputError("tribe merge: no shard files given");
  if (output.empty())
    throw InputError("-o/--output is empty: expected the path of the file to write");
  io::check_output_target(output, true);  // the directory; the file itself once locked
  const OutputLock lock(output);
  std::error_code ec;
  for (const auto& s : shards)
    if (fs::equivalent(s, output, ec))
      throw InputError("-o " + output.string() +
                       " is one of the shards to merge; write the result to another file");
  io::check_output_target(output, overwrite);
  std::vector<io::PartInfo> parts;
  for (const auto& s : shards) parts.push_back(io::read_part_info(s));
  // The run is described by the shards themselves: the experiment text they carry, and
  // the library their model was loaded from, if it was (where the shards' run found it).
  if (!parts[0].model_library.empty() && fs::exists(parts[0].model_library))
    catalog::load_model_library(parts[0].model_library);
  const design::Experiment x =
      design::parse_experiment(parts[0].experiment, parts[0].path.string());
  design::Experiment sized = x;
  sized.organizations_per_cell = parts[0].organizations_per_cell;
  sized.seed = parts[0].seed;
  const design::RunPlan plan(sized, sized.organizations_per_cell);
  for (const auto& p : parts) io::check_belongs(p, plan);
  for (std::size_t i = 0; i < parts.size(); ++i)
    for (std::size_t j = i + 1; j < parts.size(); ++j)
      if (fs::equivalent(parts[i].path, parts[j].path))
        throw InputError("shard " + parts[i].path.string() + " is given twice");
  std::sort(parts.begin(), parts.end(),
            [](const auto& a, const auto& b) { return a.first_block < b.first_block; });
  io::check_coverage(parts, plan);
  write_result(parts, plan, read_claims(sized), output, overwrite,
               io::RunInfo{command_line, "merge", 0, 0.0});
}

}  // namespace tribe::job
