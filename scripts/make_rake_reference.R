# Reference numbers for tests/test_rake.py, computed in R independently of nps_xl.
#
#   Rscript scripts/make_rake_reference.R > tests/rake_reference.py
#   ruff format tests/rake_reference.py
#
# A test-data generator, not shipped code. R 4.2 with the survey package:
#
#   * raked weights by survey::rake(svydesign(ids = ~1, weights = ~w, data = d),
#     list(~Region, ~Product), list(pop_region, pop_product)), each population margin given as
#     share * sum(w) (so the raked weights keep the total of the base weights, as
#     nps_xl.raking.rake does), iterated to a tight epsilon;
#   * the NPS as svymean of the -1/0/+1 code, the code read from the score text by a regular
#     expression here (not by nps_xl.scores), with two standard errors: the raked design's
#     (calibration-aware) and that of svydesign(ids = ~1, weights = ~raked), which treats the
#     raked weights as given, as nps_xl's interval does;
#   * Kish's design effect of weighting, 1 + cv^2, from var() and mean() of the weights.
#
# The bundled sample is nps_xl/data/sample_survey.csv (blank and "N/A" scores are no answer).
# Its base weights, when used, are 1, 1.5, 2, 1, 1.5, 2, ... by data row (1 + ((row - 1) %% 3) / 2).

suppressPackageStartupMessages(library(survey))
options(digits = 17)

num <- function(x) {
  if (is.logical(x)) return(if (is.na(x)) "None" else if (x) "True" else "False")
  if (is.character(x)) return(paste0('"', x, '"'))
  if (is.na(x)) return("math.nan")
  format(x, digits = 17)
}
lst <- function(x) paste0("[", paste(vapply(x, num, ""), collapse = ", "), "]")
dct <- function(keys, values) {
  paste0("{", paste(paste0(vapply(keys, num, ""), ": ", vapply(values, num, "")),
                    collapse = ", "), "}")
}

TIGHT <- list(maxit = 1000, epsilon = 1e-13)

nps_code <- function(score) {
  first <- suppressWarnings(as.integer(sub("^\\s*([0-9]+).*$", "\\1", score)))
  ifelse(is.na(first), NA, ifelse(first >= 9, 1, ifelse(first >= 7, 0, -1)))
}

# One case: raked weights, NPS and both SEs. `margins`: a named list, one named vector of
# shares per column.
case <- function(name, d, margins, control = TIGHT, cells = NULL) {
  total <- sum(d$w)
  pops <- lapply(names(margins), function(column) {
    shares <- margins[[column]]
    pop <- data.frame(names(shares), as.numeric(shares) * total)
    names(pop) <- c(column, "Freq")
    pop[[column]] <- factor(pop[[column]], levels = levels(d[[column]]))
    pop
  })
  formulas <- lapply(names(margins), function(column) as.formula(paste0("~", column)))
  design <- svydesign(ids = ~1, weights = ~w, data = d)
  raked <- suppressWarnings(rake(design, formulas, pops, control = control))
  d$raked <- weights(raked)
  est_raked <- svymean(~y, raked, na.rm = TRUE)
  # the answers with a score, as nps_xl's interval counts them (decision D3: n valid answers);
  # svymean(na.rm = TRUE) on the whole file would treat them as a domain of n = every row
  plain <- svydesign(ids = ~1, weights = ~raked, data = d[!is.na(d$y), ])
  est_plain <- svymean(~y, plain, na.rm = TRUE)
  w <- d$raked
  n <- length(w)
  kish <- 1 + var(w) * (n - 1) / n / mean(w)^2
  if (is.null(cells)) {
    cat(name, "_WEIGHTS = ", lst(w), "\n", sep = "")
  } else {
    # the sum of the raked weights per cell: raking multiplies every base weight of a cell by
    # the same factor, so these sums and the base weights pin every weight
    sums <- aggregate(w, by = d[cells], FUN = sum)
    cat(name, "_CELL_SUMS = {\n", sep = "")
    for (i in seq_len(nrow(sums))) {
      key <- paste(vapply(cells, function(c) num(as.character(sums[i, c])), ""), collapse = ", ")
      cat("    (", key, "): ", num(sums$x[i]), ",\n", sep = "")
    }
    cat("}\n")
  }
  cat(name, "_NPS = ", num(100 * coef(est_raked)[[1]]), "\n", sep = "")
  cat(name, "_NPS_PLAIN = ", num(100 * coef(est_plain)[[1]]), "\n", sep = "")
  cat(name, "_SE_GIVEN_WEIGHTS = ", num(100 * SE(est_plain)[[1]]), "\n", sep = "")
  cat(name, "_SE_CALIBRATED = ", num(100 * SE(est_raked)[[1]]), "\n", sep = "")
  cat(name, "_DESIGN_EFFECT_OF_WEIGHTS = ", num(kish), "\n", sep = "")
}

cat("import math  # noqa: F401 (math.nan where R has NA)\n\n")
cat("# Written by scripts/make_rake_reference.R (R ", as.character(getRversion()),
    ", survey ", as.character(packageVersion("survey")), "); do not edit.\n\n", sep = "")

# ---------------------------------------------------------------- the bundled sample
sample_file <- file.path("nps_xl", "data", "sample_survey.csv")
s <- read.csv(sample_file, stringsAsFactors = FALSE, na.strings = c("", "N/A"),
              check.names = FALSE)
s$Region <- factor(s$Region)
s$Product <- factor(s$Product)
s$y <- nps_code(s$Score)
sample_margins <- list(
  Region = c("North America" = 0.35, "Europe" = 0.30, "Asia Pacific" = 0.25, "Baltics" = 0.10),
  Product = c("Essentials" = 0.40, "Professional" = 0.35, "Smart Hub" = 0.25)
)
cat("SAMPLE_MARGINS = {\n")
for (column in names(sample_margins)) {
  cat("    ", num(column), ": ", dct(names(sample_margins[[column]]), sample_margins[[column]]),
      ",\n", sep = "")
}
cat("}\n")
s$w <- 1
case("SAMPLE", s, sample_margins, cells = c("Region", "Product"))
s$w <- 1 + ((seq_len(nrow(s)) - 1) %% 3) / 2
case("SAMPLE_BASE", s, sample_margins, cells = c("Region", "Product"))
s$w <- 1
case("SAMPLE_ONE_PASS", s, sample_margins, control = list(maxit = 1, epsilon = 1e-13),
     cells = c("Region", "Product"))

# ---------------------------------------------------------------- a small hand-made frame
# Age is a number in the data and in the margins (levels compare as numbers).
hand <- data.frame(
  Sex = c("F", "F", "F", "F", "F", "M", "M", "M", "M", "M", "M", "M"),
  Age = c(1, 2, 2, 3, 3, 1, 1, 1, 2, 2, 3, 1),
  Score = c("10", "9", "3", "7", "10", "6", "8", "9", "0", "10", "5", "9"),
  base = c(1, 2, 1.5, 1, 0.5, 2, 1, 1, 3, 1, 2, 1),
  stringsAsFactors = FALSE
)
cat("HAND_SEX = ", lst(hand$Sex), "\n", sep = "")
cat("HAND_AGE = ", lst(hand$Age), "\n", sep = "")
cat("HAND_SCORE = ", lst(hand$Score), "\n", sep = "")
cat("HAND_BASE = ", lst(hand$base), "\n", sep = "")
hand$Sex <- factor(hand$Sex)
hand$Age <- factor(hand$Age)
hand$y <- nps_code(hand$Score)
hand_margins <- list(Sex = c("F" = 0.52, "M" = 0.48), Age = c("1" = 0.3, "2" = 0.45, "3" = 0.25))
hand$w <- 1
case("HAND", hand, hand_margins)
hand$w <- hand$base
case("HAND_BASE", hand, hand_margins)
