# The files read here are committed (inst/extdata, with the experiments that made them):
# claims_small.h5 (format 1.3: a leadership experiment with two claims) and
# series_small.h5 (format 2.3: a time series stored as organizations x time).
extdata <- function(name) system.file("extdata", name, package = "tribe")

test_that("a format-1 result reads into consistent data frames", {
  r <- read_tribe(extdata("claims_small.h5"), check = FALSE)
  expect_equal(r$provenance$filetype, "tribe-result")
  expect_equal(nrow(r$cells), 4)
  expect_equal(sum(r$cells$organizations), nrow(r$organizations))
  # parameters keep their types; every cell has its statistics
  expect_true(is.integer(r$cells$agents) && is.character(r$cells$structure) && is.double(r$cells$control))
  for (k in seq_len(nrow(r$cells))) {
    rows <- r$organizations$cell == r$cells$cell[k]
    expect_equal(r$cells$solve_rate_mean[k], mean(r$organizations$solve_rate[rows], na.rm = TRUE),
                 tolerance = 1e-12)
  }
  # the long form holds every statistic of the wide table once
  one <- r$cells_long[r$cells_long$cell == 2 & r$cells_long$column == "distributed" &
                        r$cells_long$statistic == "rate_low", ]
  expect_equal(nrow(one), 1)
  expect_equal(one$value, r$cells$distributed_rate_low[3])
  expect_equal(r$claims$id, c("C1", "C2"))
  expect_true(all(r$claims$verdict %in% c("supported", "not supported", "inconclusive")))
  expect_true(all(r$claims$ci_low <= r$claims$estimate & r$claims$estimate <= r$claims$ci_high))
  expect_null(r$series)
})

test_that("parameters can be joined onto the organizations", {
  r <- read_tribe(extdata("claims_small.h5"), check = FALSE, parameters = c("structure", "control"))
  expect_true(all(c("label", "structure", "control") %in% names(r$organizations)))
  flat <- r$organizations[r$organizations$structure == "flat", ]
  expect_equal(nrow(flat), sum(r$cells$organizations[r$cells$structure == "flat"]))
})

test_that("a format-2 result with a time series gives the series in long form", {
  r <- read_tribe(extdata("series_small.h5"), check = FALSE)
  expect_equal(as.numeric(strsplit(r$provenance$format_version, ".", fixed = TRUE)[[1]][1]), 2)
  s <- r$series
  expect_equal(unique(s$series), "mean_score")
  times <- sort(unique(s$t))
  expect_equal(times, 0:100)
  expect_equal(nrow(s), nrow(r$organizations) * length(times))
  # the stored cell means at t = 5 are the means of the long form's values
  at5 <- s[s$t == 5, ]
  for (k in seq_len(nrow(r$cells))) {
    expect_equal(r$cells[["mean_score[t=5]_mean"]][k], mean(at5$value[at5$cell == r$cells$cell[k]]),
                 tolerance = 1e-12)
  }
  expect_true(any(!is.na(r$cells_long$t)))
})

test_that("foreign, missing and damaged files are one error naming the file", {
  expect_error(read_tribe(file.path(tempdir(), "nosuch.h5")), "nosuch.h5: no such file")
  text <- tempfile(fileext = ".h5")
  writeLines("not HDF5", text)
  expect_error(read_tribe(text, check = FALSE), "not an HDF5 file")
  program <- tribe_program()
  skip_if(!nzchar(program), "the tribe program is not available (TRIBE_BINARY)")
  damaged <- tempfile(fileext = ".h5")
  file.copy(extdata("claims_small.h5"), damaged)
  bytes <- readBin(damaged, "raw", file.size(damaged))
  # flip a byte in the middle of the first /organizations chunk's data
  bytes[length(bytes) %/% 2] <- as.raw(bitwXor(as.integer(bytes[length(bytes) %/% 2]), 0xFF))
  writeBin(bytes, damaged)
  err <- tryCatch(read_tribe(damaged), error = function(e) conditionMessage(e))
  if (is.character(err)) {
    expect_match(err, basename(damaged), fixed = TRUE)
    expect_false(grepl("\n", err))
  } else {
    # the flipped byte was free space: then the values are the undamaged file's
    expect_equal(err$cells, read_tribe(extdata("claims_small.h5"))$cells)
  }
})
