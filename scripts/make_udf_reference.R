# Reference numbers for the Excel functions' population and adjust arguments
# (tests/test_udfs_classic.py, tests/test_udfs_officejs.py), computed in R independently of nps_xl.
#
#   Rscript scripts/make_udf_reference.R > tests/udf_reference.py
#   ruff format tests/udf_reference.py
#
# A test-data generator, not shipped code. The route differs from nps_xl's on purpose: every
# figure is computed from the -1/0/+1 codes of the answers themselves, not from category shares.
#
#   * population (decision D2): f = 1 - n/N read off R survey as the ratio of svymean's
#     variance with fpc = N to the one without (svydesign(ids = ~1, fpc = ~N) against the same
#     design without fpc; Cochran 1977, Sampling Techniques, 2.5). Wald: mean of the codes
#     +- z * sqrt(f * V / n), V the mean squared deviation of the codes. Adjusted Wald (Rocks
#     2016): the codes plus pseudo-answers -1, 0, +1 weighing 3/4, 3/2, 3/4, their weighted
#     mean +- z * sqrt(f * V~ / n~), V~ their weighted mean squared deviation, n~ = n + 3.
#     Every interval moved to hold the NPS, then clipped (decision D1).
#   * two groups: the difference of those centres, SE = sqrt(f_a V_a / n_a + f_b V_b / n_b),
#     two-sided p = 2 * pnorm(-|z|).
#   * adjust: each group tested against the rest of the answers (NPS_BY) and each month
#     against the month before (NPS_TREND) by that adjusted-Wald test, the family's p-values
#     adjusted by stats::p.adjust(p, "holm") and p.adjust(p, "BH").
#
# Packages: survey.

suppressPackageStartupMessages(library(survey))
options(digits = 17, survey.lonely.psu = "fail")

code <- function(s) ifelse(s >= 9, 1, ifelse(s >= 7, 0, -1))

num <- function(x) {
  if (is.logical(x)) return(if (is.na(x)) "None" else if (x) "True" else "False")
  if (is.na(x)) return("math.nan")
  if (x == round(x) && abs(x) < 1e15) return(sprintf("%.1f", x))
  sprintf("%.17g", x)
}
lst <- function(x) paste0("[", paste(vapply(x, num, ""), collapse = ", "), "]")
txt <- function(x) paste0("[", paste(dQuote(x, FALSE), collapse = ", "), "]")

fpc_factor <- function(y, N) {
  df <- data.frame(y = y, N = N)
  plain <- suppressWarnings(svydesign(ids = ~1, probs = ~1, data = df))
  finite <- svydesign(ids = ~1, fpc = ~N, data = df)
  (unname(SE(svymean(~y, finite)))[1] / unname(SE(svymean(~y, plain)))[1])^2
}

# centre, variance of one code and n of the answers, plain or with the pseudo-answers
moments <- function(y, adjusted) {
  w <- rep(1, length(y))
  if (adjusted) {
    y <- c(y, -1, 0, 1)
    w <- c(w, 0.75, 1.5, 0.75)
  }
  m <- sum(w * y) / sum(w)
  list(centre = m, v = sum(w * (y - m)^2) / sum(w), n = sum(w))
}

interval <- function(y, N, method, z) {
  f <- if (is.null(N)) 1 else fpc_factor(y, N)
  m <- moments(y, method == "adjusted-wald")
  half <- z * sqrt(f * m$v / m$n)
  nps <- 100 * mean(y)
  low <- max(-100, min(100 * (m$centre - half), nps))
  high <- min(100, max(100 * (m$centre + half), nps))
  if (f == 0) low <- high <- nps  # a census: the interval is the NPS itself (D2)
  list(f = f, low = low, nps = nps, high = high, margin = 100 * half)
}

test <- function(ya, yb, Na, Nb, method, z) {
  fa <- if (is.null(Na)) 1 else fpc_factor(ya, Na)
  fb <- if (is.null(Nb)) 1 else fpc_factor(yb, Nb)
  a <- moments(ya, method == "adjusted-wald")
  b <- moments(yb, method == "adjusted-wald")
  centre <- a$centre - b$centre
  se <- sqrt(fa * a$v / a$n + fb * b$v / b$n)
  diff <- 100 * (mean(ya) - mean(yb))
  if (fa == 0 && fb == 0) {  # two censuses: they differ by exactly their difference (D2)
    se <- 0
    centre <- diff / 100
  }
  list(difference = diff,
       low = max(-200, min(100 * (centre - z * se), diff)),
       high = min(200, max(100 * (centre + z * se), diff)),
       p = if (se == 0) as.numeric(centre == 0) else 2 * pnorm(-abs(centre / se)))
}

z95 <- qnorm(0.975)
z90 <- qnorm(0.95)
set.seed(22)
survey_scores <- sample(0:10, 60, replace = TRUE, prob = c(3, 2, 2, 3, 3, 4, 5, 8, 10, 12, 14))
guide <- rep(c(10, 7, 3), c(70, 15, 15))  # 70 promoters, 15 passives, 15 detractors
other <- rep(c(10, 7, 3), c(50, 25, 25))

cat('"""Reference numbers for the Excel functions\' population and adjust arguments, computed in\n',
    "R (survey ", as.character(packageVersion("survey")),
    ") by scripts/make_udf_reference.R. Do not edit by hand.\"\"\"\n\n", sep = "")
cat("import math\n\n")
cat("SURVEY_SCORES = ", lst(survey_scores), "\n", sep = "")
cat("# (scores, population, confidence, method) -> (f, low, NPS, high, margin)\n")
cat("INTERVALS = [\n")
for (case in list(list("GUIDE", guide, 1000, 0.95, "adjusted-wald"),
                  list("GUIDE", guide, 250, 0.95, "wald"),
                  list("GUIDE", guide, 250, 0.90, "adjusted-wald"),
                  list("GUIDE", guide, 100, 0.95, "adjusted-wald"),
                  list("SURVEY", survey_scores, 150, 0.95, "adjusted-wald"),
                  list("SURVEY", survey_scores, 61, 0.95, "wald"))) {
  z <- if (case[[4]] == 0.95) z95 else z90
  r <- interval(code(case[[2]]), case[[3]], case[[5]], z)
  cat(sprintf("    (%s, %s, %s, %s, %s),\n", dQuote(case[[1]], FALSE), num(case[[3]]),
              num(case[[4]]), dQuote(case[[5]], FALSE),
              lst(c(r$f, r$low, r$nps, r$high, r$margin))))
}
cat("]\n")
cat("# (population_a, population_b, method) -> (difference, low, high, p) of GUIDE against OTHER\n")
cat("TESTS = [\n")
for (case in list(list(400, 300, "adjusted-wald"), list(400, NULL, "wald"),
                  list(NULL, 100, "adjusted-wald"), list(100, 100, "wald"))) {
  r <- test(code(guide), code(other), case[[1]], case[[2]], case[[3]], z95)
  cat(sprintf("    (%s, %s, %s, %s),\n", if (is.null(case[[1]])) "None" else num(case[[1]]),
              if (is.null(case[[2]])) "None" else num(case[[2]]), dQuote(case[[3]], FALSE),
              lst(c(r$difference, r$low, r$high, r$p))))
}
cat("]\n\n")

# answers of 3, 7 and 10 in the counts c(detractors, passives, promoters)
answers <- function(k) rep(c(3, 7, 10), k)

# NPS_BY: five groups, each against the rest; the counts chosen so that the raw test flags
# two groups, Holm one and Benjamini-Hochberg two
by_counts <- list(Baltics = c(2, 3, 15), East = c(5, 6, 19), North = c(12, 10, 18),
                  South = c(9, 9, 17), West = c(12, 6, 6))
by_scores <- unlist(lapply(by_counts, answers), use.names = FALSE)
groups <- rep(names(by_counts), vapply(by_counts, sum, 0))
y <- code(by_scores)
labels <- sort(unique(groups))
p_by <- vapply(labels, function(g) test(y[groups == g], y[groups != g], NULL, NULL,
                                        "adjusted-wald", z95)$p, 0)
cat("BY_SCORES = ", lst(by_scores), "\n", sep = "")
cat("BY_GROUPS = ", txt(groups), "\n", sep = "")
cat("# the groups in the order NPS_BY lists them (sorted), their raw and adjusted p-values\n")
cat("BY_LABELS = ", txt(labels), "\n", sep = "")
cat("BY_P = ", lst(unname(p_by)), "\n", sep = "")
cat("BY_HOLM = ", lst(p.adjust(p_by, "holm")), "\n", sep = "")
cat("BY_BH = ", lst(p.adjust(p_by, "BH")), "\n\n", sep = "")

# NPS_TREND: six months, each against the month before (the first is no test: NA); the raw
# test flags two months, neither correction any
month_counts <- list(c(8, 7, 15), c(5, 6, 14), c(10, 10, 20), c(18, 8, 9), c(5, 5, 10),
                     c(7, 8, 15))
trend_scores <- unlist(lapply(month_counts, answers))
month <- rep(seq_along(month_counts), vapply(month_counts, sum, 0))
yt <- code(trend_scores)
p_trend <- c(NA, vapply(2:6, function(k) test(yt[month == k], yt[month == k - 1], NULL, NULL,
                                              "adjusted-wald", z95)$p, 0))
cat("TREND_SCORES = ", lst(trend_scores), "\n", sep = "")
cat("# the month of each answer: 1 = January 2025 … 6 = June 2025\n")
cat("TREND_MONTHS = ", lst(month), "\n", sep = "")
cat("TREND_P = ", lst(p_trend), "\n", sep = "")
cat("TREND_HOLM = ", lst(p.adjust(p_trend, "holm")), "\n", sep = "")
cat("TREND_BH = ", lst(p.adjust(p_trend, "BH")), "\n", sep = "")
