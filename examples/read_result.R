#!/usr/bin/env Rscript
# Reads a tribe result file into R data frames with hdf5r (Debian: r-cran-hdf5r).
#
#   Rscript examples/read_result.R [RESULT.h5]      (default: examples/data/hero_small.h5)
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
suppressPackageStartupMessages(library(hdf5r))

fail <- function(msg) {
  message("read_result.R: error: ", msg)
  quit(status = 2)
}

# Unsigned 64-bit integers arrive as bit64::integer64; counts fit a double exactly.
as_plain <- function(x) if (inherits(x, "integer64")) as.numeric(x) else x

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

read_tribe_result <- function(path) {
  if (!file.exists(path)) fail(paste0(path, ": no such file"))
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
  path <- if (length(args) >= 1) args[1] else "examples/data/hero_small.h5"
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
