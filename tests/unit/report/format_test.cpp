// The report of stored claims as text and Markdown, from plain data (no HDF5): sweeps name
// the smallest level at which a claim holds, threshold curves the runs of equal verdicts,
// and a study refuses files of different report confidences.
#include "tribe/report/format.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <sstream>

#include "tribe/core/error.hpp"

namespace {

using namespace tribe;

/// A claim "H" swept over horizon = 10, 50, 100: not supported at 10, supported at 50 and
/// 100; its robustness grid varies the threshold "dl_breadth", whose curve changes the
/// verdict between 0.25 and 0.5.
io::StoredReport swept_report(double confidence = 0.95) {
  io::StoredReport r;
  r.has_claims = true;
  auto& c = r.claims;
  c.experiment = "sweep";
  c.file = "dir/sweep.h5";
  c.confidence = confidence;
  c.thresholds = {"dl_breadth"};
  for (const char* level : {"10", "50", "100"}) {
    c.id.push_back(std::string("H@horizon=") + level);
    c.statement.push_back("s");
    c.description.push_back("rate(distributed | horizon=" + std::string(level) + ") > 0.5");
    c.method.push_back("Wilson");
    c.reason.push_back("");
    c.sweep_of.push_back("H");
    c.sweep_level.push_back(level);
  }
  c.verdict = {"not supported", "supported", "supported"};
  c.est = {0.4, 0.6, 0.7};
  c.lo = {0.35, 0.55, 0.65};
  c.hi = {0.45, 0.65, 0.75};
  c.pc = c.pc_holm = {1, 1e-4, 1e-5};
  c.po = c.po_holm = {1e-4, 1, 1};
  c.rob = {1, 1, 1};
  c.na = {100, 100, 100};
  c.nb = {0, 0, 0};
  io::StoredCurve curve;
  curve.threshold = "dl_breadth";
  curve.values = {0, 0.25, 0.5, 0.75};
  curve.verdicts = {std::vector<double>{1, 1, 0, 0}, std::vector<double>{0, 0, 0, 0}, std::nullopt};
  r.curves.push_back(curve);
  return r;
}

std::string text_of(const io::StoredReport& r, report::Format format) {
  std::ostringstream out;
  report::print_report(r, out, format);
  return out.str();
}

TEST(ReportFormat, ASweepNamesTheSmallestLevelAtWhichTheClaimHolds) {
  const std::string text = text_of(swept_report(), report::Format::Text);
  EXPECT_NE(text.find("H over horizon: supported at 2 of 3 levels; smallest level at which it "
                      "holds: horizon = 50"),
            std::string::npos)
      << text;
  const std::string md = text_of(swept_report(), report::Format::Markdown);
  EXPECT_NE(md.find("| verdict | not supported | supported | supported |"), std::string::npos)
      << md;
}

TEST(ReportFormat, AThresholdCurveListsRunsOfEqualVerdicts) {
  const std::string text = text_of(swept_report(), report::Format::Text);
  EXPECT_NE(text.find("H@horizon=10, dl_breadth: 0-0.25 not supported; 0.5-0.75 supported"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("H@horizon=50, dl_breadth: never changes (0-0.75 supported)"),
            std::string::npos)
      << text;
  // A claim without a stored curve is left out.
  EXPECT_EQ(text.find("H@horizon=100, dl_breadth"), std::string::npos) << text;
}

TEST(ReportFormat, AFileWithoutClaimsSaysSo) {
  io::StoredReport r;
  EXPECT_EQ(text_of(r, report::Format::Text),
            "This result file has no claims (the experiment states none).\n");
}

TEST(ReportFormat, AStudyNeedsOneConfidence) {
  auto other = swept_report(0.99);
  other.claims.file = "dir/other.h5";
  std::ostringstream out;
  try {
    report::print_study(report::decide_study({swept_report(), other}), out, report::Format::Text);
    FAIL() << "a study of two confidences was printed";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("dir/other.h5 has report confidence"), std::string::npos)
        << e.what();
  }
}

}  // namespace
