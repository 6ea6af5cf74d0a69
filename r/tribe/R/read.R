# Reading tribe result files (docs/hdf5-format.md) into data frames.
#
# One entry point, read_tribe(path): the file is first checked by the engine itself
# (tribe_check: `tribe inspect`, which validates every dataset, chunk index and string in
# a separate process), then read with hdf5r. Every failure is one R error naming the
# file, raised without a call (no traceback of this package's internals).

.statistics <- c("n", "missing", "mean", "sd", "ci_low", "ci_high", "min", "max",
                 "successes", "rate", "rate_low", "rate_high")

refuse <- function(path, what) {
  stop(paste0(path, ": ", gsub("[\r\n]+", " ", what)), call. = FALSE)
}

# Unsigned 64-bit integers arrive as bit64::integer64; counts fit a double exactly, and
# values beyond 2^53 (the root's string_digest, a hash) are kept exact as text.
as_plain <- function(x) {
  if (!inherits(x, "integer64")) return(x)
  big <- !is.na(x) & (x > bit64::as.integer64(2)^53 | x < -bit64::as.integer64(2)^53)
  if (any(big)) as.character(x) else as.numeric(x)
}


tribe_program <- function() {
  candidates <- c(getOption("tribe.program", ""), Sys.getenv("TRIBE_BINARY"), Sys.which("tribe"))
  candidates <- candidates[nzchar(candidates) & file.exists(candidates)]
  if (length(candidates) == 0) "" else unname(candidates[[1]])
}

tribe_check <- function(path, program = tribe_program()) {
  if (!file.exists(path)) refuse(path, "no such file")
  if (!nzchar(program)) {
    warning(path, " is read without the engine's validation: the tribe program was not found ",
            "(set TRIBE_BINARY or options(tribe.program = ...))", call. = FALSE)
    return(invisible(FALSE))
  }
  said <- suppressWarnings(system2(program, c("inspect", shQuote(path)), stdout = FALSE, stderr = TRUE))
  status <- attr(said, "status")
  if (!is.null(status) && status != 0) {
    line <- said[grepl("^tribe: error: ", said)][1]
    if (is.na(line)) refuse(path, paste0("refused by tribe inspect (status ", status, ")"))
    stop(sub("^tribe: error: ", "", line), call. = FALSE)
  }
  invisible(TRUE)
}

# A group's one-dimensional datasets of one length as a data frame; two-dimensional ones
# (series: rows x time) are returned apart, as matrices.
read_table <- function(group, skip = character()) {
  names <- setdiff(group$ls()$name, skip)
  cols <- list()
  matrices <- list()
  for (n in names) {
    obj <- group[[n]]
    if (!inherits(obj, "H5D")) next
    dims <- obj$dims
    if (length(dims) == 1) {
      cols[[n]] <- as_plain(obj$read())
    } else if (length(dims) == 2) {
      matrices[[n]] <- obj$read()
    }
  }
  lengths <- vapply(cols, length, 1L)
  # A series is rows x time, with the table's rows (hdf5r may give it transposed).
  rows <- if (length(cols)) max(lengths) else NA
  for (n in names(matrices)) if (!is.na(rows) && nrow(matrices[[n]]) != rows) matrices[[n]] <- t(matrices[[n]])
  if (length(cols) && length(unique(lengths)) > 1) {
    keep <- lengths == max(lengths)
    cols <- cols[keep]
  }
  df <- if (length(cols)) as.data.frame(cols, optional = TRUE, stringsAsFactors = FALSE) else NULL
  list(table = df, matrices = matrices)
}

# Every group below `group` as nested lists: `table` (its 1-D datasets), `attributes`
# (its attributes, when it has any), subgroups by name.
read_tree <- function(group) {
  out <- list(table = read_table(group)$table)
  a <- hdf5r::h5attr_names(group)
  if (length(a)) out$attributes <- lapply(stats::setNames(a, a), function(k) read_attribute(group, k))
  for (n in group$ls()$name) {
    obj <- group[[n]]
    if (inherits(obj, "H5Group")) out[[n]] <- read_tree(obj)
  }
  out
}

# An attribute's value; an empty array (e.g. /claims/robustness `thresholds` when no claim
# depends on a threshold), which hdf5r cannot read, as a zero-length vector.
read_attribute <- function(obj, name) {
  a <- obj$attr_open(name)
  on.exit(a$close())
  if (prod(a$get_space()$dims) == 0) return(character())
  as_plain(a$read())
}

typed_parameter <- function(ds) {
  v <- as_plain(ds$read())
  type <- if ("type" %in% hdf5r::h5attr_names(ds)) hdf5r::h5attr(ds, "type") else ""
  if (type == "integer" && is.numeric(v) && all(is.finite(v)) && all(v == round(v))) return(as.integer(v))
  if (type == "boolean" && is.numeric(v) && all(v %in% c(0, 1))) return(v == 1)
  v
}

series_long <- function(name, m, times, cell, organization) {
  data.frame(cell = rep(cell, times = ncol(m)), organization = rep(organization, times = ncol(m)),
             series = name, t = rep(times, each = nrow(m)), value = as.vector(m),
             stringsAsFactors = FALSE)
}


read_tribe <- function(path, check = TRUE, organizations = TRUE, parameters = FALSE) {
  if (!is.character(path) || length(path) != 1) stop("read_tribe: path must be one file name", call. = FALSE)
  if (!file.exists(path)) refuse(path, "no such file")
  if (isTRUE(check)) tribe_check(path)
  f <- tryCatch(hdf5r::H5File$new(path, mode = "r"),
                error = function(e) refuse(path, "not an HDF5 file (or truncated/corrupt)"))
  on.exit(f$close_all())
  tryCatch(read_open(f, path, organizations, parameters), error = function(e) {
    msg <- conditionMessage(e)
    if (startsWith(msg, path)) stop(msg, call. = FALSE)
    refuse(path, paste0("cannot read it (", msg, ")"))
  })
}

read_open <- function(f, path, organizations, parameters) {
  attrs <- hdf5r::h5attr_names(f)
  if (!("filetype" %in% attrs) || hdf5r::h5attr(f, "filetype") != "tribe-result")
    refuse(path, "not a tribe result file (no filetype = \"tribe-result\" attribute)")
  version <- as.numeric(hdf5r::h5attr(f, "format_version"))
  if (!(version[1] %in% c(1, 2)))
    refuse(path, sprintf("result format version %d.x is not supported (this package reads 1.x and 2.x)",
                         as.integer(version[1])))
  if (!("complete" %in% attrs) || as.numeric(hdf5r::h5attr(f, "complete")) != 1)
    refuse(path, "incomplete result file (the run did not finish)")

  provenance <- lapply(stats::setNames(attrs, attrs), function(a) {
    v <- read_attribute(f, a)
    if (length(v) > 1) paste(v, collapse = ".") else v
  })

  # Cells: label, organizations, every parameter (typed), every statistic.
  n_cells <- f[["cells/label"]]$dims
  cells <- data.frame(cell = seq_len(n_cells) - 1L, label = f[["cells/label"]]$read(),
                      organizations = as_plain(f[["cells/organizations"]]$read()),
                      stringsAsFactors = FALSE)
  pg <- f[["cells/parameters"]]
  for (p in pg$ls()$name) cells[[p]] <- typed_parameter(pg[[p]])
  parameter_names <- pg$ls()$name
  long <- list()
  sg <- f[["cells/stats"]]
  for (column in sg$ls()$name) {
    g <- sg[[column]]
    for (s in g$ls()$name) {
      ds <- g[[s]]
      v <- ds$read()
      if (length(ds$dims) == 2) {  # a series' statistic: cells x time
        m <- if (nrow(v) == n_cells) v else t(v)
        times <- as.numeric(f[[paste0("time/", column)]]$read())
        for (j in seq_along(times)) cells[[sprintf("%s[t=%d]_%s", column, times[j], s)]] <- m[, j]
        long[[length(long) + 1]] <- data.frame(cell = rep(cells$cell, times = length(times)), column = column,
                                               t = rep(times, each = n_cells), statistic = s,
                                               value = as.vector(m), stringsAsFactors = FALSE)
      } else {
        v <- as_plain(v)
        cells[[paste0(column, "_", s)]] <- v
        long[[length(long) + 1]] <- data.frame(cell = cells$cell, column = column, t = NA_real_,
                                               statistic = s, value = as.numeric(v), stringsAsFactors = FALSE)
      }
    }
  }
  cells_long <- do.call(rbind, long)
  cells_long <- merge(cells[, c("cell", "label")], cells_long, by = "cell", sort = FALSE)
  cells_long <- cells_long[order(cells_long$cell, cells_long$column, cells_long$statistic,
                                 cells_long$t), , drop = FALSE]
  rownames(cells_long) <- NULL

  out <- list(provenance = provenance, cells = cells, cells_long = cells_long)

  # Organizations, and series in long form (format 2.x: 2-D datasets; 1.x: NAME_tTTT columns).
  if (isTRUE(organizations)) {
    og <- read_table(f[["organizations"]])
    orgs <- og$table
    series <- list()
    for (name in names(og$matrices)) {
      times <- as.numeric(f[[paste0("time/", name)]]$read())
      series[[name]] <- series_long(name, og$matrices[[name]], times, orgs$cell, orgs$organization)
    }
    point <- regmatches(names(orgs), regexec("^(.+)_t([0-9]{3,})$", names(orgs)))
    families <- unique(vapply(point[lengths(point) == 3], `[`, "", 2))
    for (name in families) {
      cols <- names(orgs)[vapply(point, function(p) length(p) == 3 && p[2] == name, TRUE)]
      times <- as.numeric(sub("^.+_t", "", cols))
      series[[name]] <- series_long(name, as.matrix(orgs[, cols]), times, orgs$cell, orgs$organization)
    }
    if (!isFALSE(parameters)) {
      joined <- if (isTRUE(parameters)) parameter_names else parameters
      orgs <- merge(orgs, cells[, c("cell", "label", joined)], by = "cell", sort = FALSE)
      orgs <- orgs[order(orgs$organization, orgs$cell), , drop = FALSE]
      rownames(orgs) <- NULL
    }
    out$organizations <- orgs
    out$series <- if (length(series)) do.call(rbind, unname(series)) else NULL
  }

  # Claims and what is computed about them (NULL where the file has none).
  group <- function(name) if (f$exists(name)) f[[name]] else NULL
  claims <- group("claims")
  out$claims <- if (is.null(claims)) NULL else read_table(claims)$table
  out$robustness <- if (!is.null(claims) && claims$exists("robustness")) read_tree(claims[["robustness"]]) else NULL
  out$threshold_curves <- if (!is.null(claims) && claims$exists("threshold_curves"))
    read_tree(claims[["threshold_curves"]]) else NULL
  out$assumption_space <- if (!is.null(claims) && claims$exists("assumption_space"))
    read_tree(claims[["assumption_space"]]) else NULL
  out$patterns <- if (!is.null(group("patterns"))) read_table(group("patterns"))$table else NULL
  out$sensitivity <- if (!is.null(group("sensitivity"))) read_tree(group("sensitivity")) else NULL
  out$variance <- if (!is.null(group("variance"))) read_tree(group("variance")) else NULL
  out$calibration <- if (!is.null(group("calibration"))) read_tree(group("calibration")) else NULL
  out$scenarios <- scenarios(out$assumption_space)
  out
}

# The PRIM scenario of each claim mapped over an assumption space: one row per claim.
scenarios <- function(space) {
  if (is.null(space)) return(NULL)
  ids <- setdiff(names(space), c("table", "attributes"))
  if (!length(ids)) return(NULL)
  get <- function(a, k, default) if (!is.null(a[[k]])) a[[k]] else default
  rows <- lapply(ids, function(id) {
    a <- space[[id]]$attributes
    box <- space[[id]]$table
    data.frame(id = id, share_supported = get(a, "share_supported", NA_real_),
               share_not_supported = get(a, "share_not_supported", NA_real_),
               share_inconclusive = get(a, "share_inconclusive", NA_real_),
               scenario = get(a, "scenario", ""), coverage = get(a, "coverage", NA_real_),
               density = get(a, "density", NA_real_), mass = get(a, "mass", NA_real_),
               box_parameters = if (!is.null(box$box_parameter)) paste(box$box_parameter, collapse = ",") else "",
               stringsAsFactors = FALSE)
  })
  do.call(rbind, rows)
}
