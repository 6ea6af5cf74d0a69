#include "tribe/report/study.hpp"

#include <filesystem>

#include "tribe/claims/evaluate.hpp"
#include "tribe/core/error.hpp"

namespace tribe::report {

Study decide_study(const std::vector<io::StoredReport>& reports) {
  Study study;
  study.reports = reports;
  std::vector<claims::ClaimResult> results;
  const io::StoredClaims* with_claims = nullptr;
  for (const auto& report : reports) {
    const auto& c = report.claims;
    if (!c.id.empty() && with_claims && c.confidence != with_claims->confidence)
      throw InputError("tribe report: " + c.file + " has report confidence " +
                       std::to_string(c.confidence) + " but " + with_claims->file + " has " +
                       std::to_string(with_claims->confidence) + "; a study needs one confidence");
    if (!c.id.empty() && !with_claims) with_claims = &c;
    study.names += (study.names.empty() ? "" : ", ") + c.experiment + " (" +
                   std::filesystem::path(c.file).filename().string() + ")";
    for (std::size_t i = 0; i < c.id.size(); ++i) {
      claims::ClaimResult r;
      r.p_claim = c.pc[i];
      r.p_opposite = c.po[i];
      r.reason = c.reason[i];
      results.push_back(r);
    }
  }
  claims::decide(results, with_claims ? with_claims->confidence : 0.95);
  study.claims = results.size();
  std::size_t k = 0;
  for (auto& report : study.reports)
    for (std::size_t i = 0; i < report.claims.id.size(); ++i, ++k) {
      report.claims.pc_holm[i] = results[k].p_claim_holm;
      report.claims.po_holm[i] = results[k].p_opposite_holm;
      report.claims.verdict[i] = std::string(claims::to_string(results[k].verdict));
    }
  return study;
}

}  // namespace tribe::report
