#!/usr/bin/env Rscript
# Reads a tribe result file into R data frames with hdf5r (Debian: r-cran-hdf5r).
#
#   Rscript examples/read_result.R [RESULT.h5]      (default: python/tribe/data/hero_small.h5)
#
# The layout is documented in docs/hdf5-format.md. This script defines
# read_tribe_result(path), which returns a list of data frames:
#   $provenance     one row: every root attribute (seed, model, git_sha1, experiment, ...)
#   $cells          one row per cell: label, organizations, every parameter, and per
#                   column its statistics as <column>_<statistic> (mean, sd, ci_low, ...;
#                   binary columns also rate, rate_low, rate_high)
#   $organizations  one row per organization: cell, organization, every column
#   $claims         one row per claim (NULL when the experiment states none)
# and, run as a script, prints a summary of them. A file that is not a complete tribe
# result of format 1.x or 2.x stops with one line "read_result.R: error: ..." (status 2).
#
# Before reading, the file is checked by the tribe program itself (`tribe inspect`, which
# validates every dataset, the chunk indexes and the strings' digest in a separate
# process, so that a damaged file is refused rather than read or crashing R): the program
# named by the environment variable TRIBE_BINARY, else `tribe` on the PATH, else the
# build tree's build/release/bin/tribe. Without it the file is read unchecked, with a
# warning line.
suppressPackageStartupMessages(library(hdf5r))

fail <- function(msg) {
  message("read_result.R: error: ", msg)
  quit(status = 2)
}

# Unsigned 64-bit integers arrive as bit64::integer64; counts fit a double exactly. Values
# beyond 2^53 (the root's string_digest, a hash) are kept exact as text.
as_plain <- function(x) {
  if (!inherits(x, "integer64")) return(x)
  if (any(abs(x) > bit64::as.integer64(2)^53, na.rm = TRUE)) as.character(x) else as.numeric(x)
}

read_group <- function(group, skip = character()) {
  names <- setdiff(group$ls()$name, skip)
  cols <- list()
  for (n in names) {
    obj <- group[[n]]
    if (inherits(obj, "H5D") && length(obj$dims) == 1) {
      cols[[n]] <- as_plain(obj$read())
    } else if (inherits(obj, "H5D") && length(obj$dims) == 2) {
      # a series (format 2.x): organizations x time, one column per time point
      m <- obj$read()
      m <- if (nrow(m) == group[["cell"]]$dims) m else t(m)
      for (j in seq_len(ncol(m))) cols[[sprintf("%s[t=%d]", n, j - 1)]] <- m[, j]
    }
  }
  as.data.frame(cols, optional = TRUE, stringsAsFactors = FALSE)
}

tribe_program <- function() {
  candidates <- c(Sys.getenv("TRIBE_BINARY"), Sys.which("tribe"))
  script <- sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE))
  if (length(script) == 1)
    candidates <- c(candidates, file.path(dirname(script), "..", "build", "release", "bin", "tribe"))
  candidates <- candidates[nzchar(candidates) & file.exists(candidates)]
  if (length(candidates) == 0) "" else candidates[[1]]
}

# The engine's own validation (the CLI's: one line, exit 2, for whatever it refuses).
check_with_engine <- function(path) {
  program <- tribe_program()
  if (!nzchar(program)) {
    message("read_result.R: warning: the tribe program was not found (set TRIBE_BINARY): ",
            path, " is read without the engine's validation")
    return(invisible())
  }
  said <- suppressWarnings(system2(program, c("inspect", shQuote(path)), stdout = FALSE,
                                   stderr = TRUE))
  status <- attr(said, "status")
  if (!is.null(status) && status != 0) {
    line <- sub("^tribe: error: ", "", said[grepl("^tribe: error: ", said)][1])
    fail(if (is.na(line)) paste0(path, ": refused by tribe inspect (status ", status, ")") else line)
  }
}

read_tribe_result <- function(path) {
  if (!file.exists(path)) fail(paste0(path, ": no such file"))
  check_with_engine(path)
  tryCatch(read_checked(path), error = function(e)
    fail(paste0(path, ": cannot read it (", gsub("[\r\n]+", " ", conditionMessage(e)), ")")))
}

read_checked <- function(path) {
  f <- tryCatch(H5File$new(path, mode = "r"),
                error = function(e) fail(paste0(path, ": not an HDF5 file (or truncated/corrupt)")))
  on.exit(f$close_all())
  attr_names <- h5attr_names(f)
  if (!("filetype" %in% attr_names) || h5attr(f, "filetype") != "tribe-result")
    fail(paste0(path, ": not a tribe result file (no filetype = \"tribe-result\" attribute)"))
  major <- as.numeric(h5attr(f, "format_version"))[1]
  if (!(major %in% c(1, 2)))
    fail(sprintf("%s: result format version %d.x is not supported (this script reads 1.x, 2.x)", path, major))
  if (as.numeric(h5attr(f, "complete")) != 1)
    fail(paste0(path, ": incomplete result file (the run did not finish)"))

  provenance <- lapply(setNames(attr_names, attr_names), function(a) {
    v <- as_plain(h5attr(f, a))
    if (length(v) > 1) paste(v, collapse = ".") else v
  })

  cells <- data.frame(cell = seq_len(f[["cells/label"]]$dims) - 1,
                      label = f[["cells/label"]]$read(),
                      organizations = as_plain(f[["cells/organizations"]]$read()),
                      stringsAsFactors = FALSE)
  params <- read_group(f[["cells/parameters"]])
  stats_group <- f[["cells/stats"]]
  stats <- list()
  for (column in stats_group$ls()$name) {
    g <- stats_group[[column]]
    for (s in g$ls()$name) stats[[paste0(column, "_", s)]] <- as_plain(g[[s]]$read())
  }
  cells <- cbind(cells, params, as.data.frame(stats, optional = TRUE))

  organizations <- read_group(f[["organizations"]])

  claims <- NULL
  if (f$exists("claims")) claims <- read_group(f[["claims"]], skip = "robustness")

  list(provenance = provenance, cells = cells, organizations = organizations, claims = claims)
}

if (sys.nframe() == 0L) {
  args <- commandArgs(trailingOnly = TRUE)
  path <- if (length(args) >= 1) args[1] else "python/tribe/data/hero_small.h5"
  r <- read_tribe_result(path)
  p <- r$provenance
  cat(sprintf("%s: experiment %s, model %s %s, seed %s, %d cells, %d organizations\n", path,
              p$experiment_name, p$model, p$model_version, format(p$seed, scientific = FALSE),
              nrow(r$cells), nrow(r$organizations)))
  options(width = 200)
  # The rate of the first binary column (the leadership model's `distributed`) per cell.
  binary <- head(sub("_rate_low$", "", grep("_rate_low$", names(r$cells), value = TRUE)), 1)
  show <- intersect(c("label", "organizations", paste0(binary, c("_rate", "_rate_low", "_rate_high"))),
                    names(r$cells))
  print(head(r$cells[, show], 8), row.names = FALSE)
  # Per-organization data joined with the cells' parameters, as a tidy data frame.
  joined <- merge(r$organizations, r$cells[, c("cell", "label")], by = "cell")
  cat(sprintf("organizations joined with their cells: %d rows x %d columns\n", nrow(joined), ncol(joined)))
  if (!is.null(r$claims)) print(r$claims[, intersect(c("id", "estimate", "ci_low", "ci_high", "verdict"),
                                                     names(r$claims))], row.names = FALSE)
}
