# Reference numbers for tests/test_adjust.py, computed in R independently of nps_xl.
#
#   Rscript scripts/make_adjust_reference.R > tests/adjust_reference.py
#   ruff format tests/adjust_reference.py
#
# A test-data generator, not shipped code. Only base R and the stats package are used:
#
#   * adjusted p-values by stats::p.adjust(p, "holm") and p.adjust(p, "BH") (NA entries are
#     not tests: p.adjust leaves them NA and counts only the others, n = sum(!is.na(p)));
#   * trend control limits from the -1/0/+1 coded answers themselves: the centre is 100 times
#     the mean of every answer's code, the variance the population variance of those codes
#     (mean of squared deviations), the limits centre +- 3 * 100 * sqrt(V / n_i) clipped to
#     [-100, 100] (Montgomery, Introduction to Statistical Quality Control, 7.2: p-chart with
#     variable sample size), not from the share formula the Python code uses.

options(digits = 17)

num <- function(x) {
  if (is.logical(x)) return(if (is.na(x)) "None" else if (x) "True" else "False")
  if (is.na(x)) return("math.nan")
  format(x, digits = 17)
}
lst <- function(x) paste0("[", paste(vapply(x, num, ""), collapse = ", "), "]")

p_cases <- list(
  c(0.01, 0.02, 0.03, 0.04, 0.05),
  c(0.04, 0.01, 0.04, 0.2, 0.04, 0.5),          # ties
  c(NA, 0.003, 0.2, NA, 0.01, 0.04, 0.8),       # untestable rows
  c(1, 1, 0.02, 1, 0.001),                      # p-values of 1
  c(0.049),                                     # one test
  c(0.001, 0.0011, 0.3, 0.31, 0.9, 0.012, 0.6, 0.02)
)
cat("import math\n\n")
cat("# p-values -> (p.adjust holm, p.adjust BH)\nADJUSTED = [\n")
for (p in p_cases)
  cat("    (", lst(p), ", ", lst(p.adjust(p, "holm")), ", ", lst(p.adjust(p, "BH")), "),\n",
      sep = "")
cat("]\n\n")

# periods: counts c(detractors, passives, promoters) per month; c(0, 0, 0) an empty month
periods <- list(c(30, 40, 50), c(10, 20, 70), c(0, 0, 0), c(45, 30, 25), c(5, 3, 2),
                c(20, 25, 60), c(60, 20, 20), c(0, 1, 0))
codes <- lapply(periods, function(k) rep(c(-1, 0, 1), k))
all_codes <- unlist(codes)
centre <- 100 * mean(all_codes)
v <- mean((all_codes - mean(all_codes))^2)
n <- vapply(codes, length, 0)
nps <- vapply(codes, function(y) if (length(y)) 100 * mean(y) else NA_real_, 0)
half <- ifelse(n > 0, 3 * 100 * sqrt(v / n), NA_real_)
lower <- pmax(centre - half, -100)
upper <- pmin(centre + half, 100)
outside <- ifelse(n > 0, nps < lower | nps > upper, NA)
cat("# detractors, passives, promoters of each month (2025-01 on)\n")
cat("LIMIT_PERIODS = [", paste(vapply(periods, lst, ""), collapse = ", "), "]\n", sep = "")
cat("LIMIT_CENTRE = ", num(centre), "\n", sep = "")
cat("LIMIT_LOWER = ", lst(lower), "\n", sep = "")
cat("LIMIT_UPPER = ", lst(upper), "\n", sep = "")
cat("LIMIT_OUTSIDE = ", lst(outside), "\n", sep = "")
