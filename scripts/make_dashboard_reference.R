# Reference numbers for the workbook Dashboard's formulas (tests/test_dashboard_formulas.py),
# computed in R independently of nps_xl.
#
#   Rscript scripts/make_dashboard_reference.R > tests/dashboard_reference.py
#   ruff format tests/dashboard_reference.py
#
# A test-data generator, not shipped code. The route differs from the workbook's formulas on
# purpose:
#
#   * weighted figures from R survey: the NPS and its design-based (linearization) standard
#     error from svymean(~y, svydesign(ids = ~1, weights = ~w)) on the -1/0/+1 code, the
#     weighted shares from svymean of the category indicators, the finite population factor
#     f as the ratio of svymean's variance with fpc = N to the one without (decision D2:
#     it must equal 1 - n/N), the effective n as V / SE^2 (decision D3; Kish's
#     sum(w)^2 / sum(w^2) where SE is 0);
#   * the adjusted-Wald interval (Rocks 2016) written out on those effective counts, with
#     f applied to its variance (D2) and the bounds moved to hold the NPS (D1);
#   * unweighted figures from the answers of nps_xl/data/sample_survey.csv as R reads them
#     (a whole number 0-10, alone or followed by " - label"), f from svymean with and
#     without fpc on the unweighted design.
#
# Packages: survey.

suppressPackageStartupMessages(library(survey))
options(digits = 17, survey.lonely.psu = "fail")

z <- qnorm(0.975)
code <- function(s) ifelse(s >= 9, 1, ifelse(s >= 7, 0, -1))

case <- function(scores, w = NULL, population = NULL) {
  y <- code(scores)
  n <- length(y)
  weighted <- !is.null(w)
  if (!weighted) w <- rep(1, n)
  df <- data.frame(y = y, w = w, pro = as.numeric(y == 1), det = as.numeric(y == -1),
                   N = if (is.null(population)) NA else population)
  if (n == 1) {  # survey refuses a design of one unit: its mean and shares are the answer
    p <- df$pro; d <- df$det; se <- 0; nps <- 100 * y
  } else {
    des <- if (weighted) svydesign(ids = ~1, weights = ~w, data = df) else
      suppressWarnings(svydesign(ids = ~1, probs = ~1, data = df))
    m <- svymean(~y, des)
    shares <- coef(svymean(~pro + det, des))
    p <- unname(shares["pro"]); d <- unname(shares["det"])
    se <- unname(SE(m))[1]
    nps <- 100 * unname(coef(m))[1]
  }
  V <- p + d - (p - d)^2
  if (!weighted) {
    n_eff <- n
  } else if (se == 0) {
    n_eff <- sum(w)^2 / sum(w^2)
  } else {
    n_eff <- V / se^2
  }
  f <- 1
  if (!is.null(population)) {
    fdes <- if (weighted) svydesign(ids = ~1, weights = ~w, fpc = ~N, data = df) else
      svydesign(ids = ~1, fpc = ~N, data = df)  # equal probabilities n/N
    f <- if (se == 0) 1 - n / population else (unname(SE(svymean(~y, fdes)))[1] / se)^2
  }
  nt <- n_eff + 3
  pt <- (n_eff * p + 0.75) / nt
  dt <- (n_eff * d + 0.75) / nt
  margin <- 100 * z * sqrt(f * (pt + dt - (pt - dt)^2) / nt)
  centre <- 100 * (pt - dt)
  low <- max(-100, min(centre - margin, nps))
  high <- min(100, max(centre + margin, nps))
  if (!is.null(population) && population == n) low <- high <- nps
  sums <- sapply(0:10, function(k) sum(w[scores == k]))
  list(scores = scores, weights = if (weighted) w else NULL, population = population, n = n,
       nps = nps, margin = margin, low = low, high = high, effective_n = n_eff, f = f,
       counts = sums)
}

py <- function(x) {
  if (is.null(x)) return("None")
  if (is.list(x)) {
    items <- vapply(names(x), function(k) sprintf("%s: %s", dQuote(k, FALSE), py(x[[k]])), "")
    return(sprintf("{%s}", paste(items, collapse = ", ")))
  }
  if (length(x) > 1 || (is.numeric(x) && !is.null(attr(x, "vector")))) {
    return(sprintf("[%s]", paste(vapply(x, py, ""), collapse = ", ")))
  }
  if (is.character(x)) return(dQuote(x, FALSE))
  if (x == round(x) && abs(x) < 1e15) return(sprintf("%.1f", x))
  sprintf("%.17g", x)
}
vec <- function(x) { attr(x, "vector") <- TRUE; x }

set.seed(2026)
# weighted: non-response weights that go with the answer (detractors weigh more)
s1 <- sample(0:10, 60, replace = TRUE, prob = c(3, 2, 2, 3, 3, 4, 5, 8, 10, 12, 14))
w1 <- round(ifelse(s1 <= 6, 2.2, 0.9) * exp(rnorm(60, 0, 0.4)), 3)
# a small weighted sample: the Dashboard says small sample
s2 <- c(10, 10, 9, 10, 8, 3, 10, 9)
w2 <- c(1.5, 0.5, 2.0, 1.0, 0.8, 3.0, 1.2, 0.7)
# every weighted answer a promoter: SE 0, Kish's effective n, the interval reaches 100
s3 <- c(10, 9, 10, 9, 10)
w3 <- c(1, 2, 0.5, 1.5, 3)

sample_csv <- read.csv("nps_xl/data/sample_survey.csv", colClasses = "character")
raw <- trimws(sample_csv$Score)
keep <- grepl("^[0-9]+( - .*)?$", raw)
s_sample <- as.numeric(sub("^([0-9]+).*$", "\\1", raw[keep]))
s_sample <- s_sample[s_sample <= 10]
n_sample <- length(s_sample)

cases <- list(
  weighted = case(s1, w1),
  weighted_population = case(s1, w1, population = 150),
  weighted_census = case(s1, w1, population = 60),
  weighted_small = case(s2, w2),
  weighted_unanimous = case(s3, w3),
  sample = case(s_sample),
  sample_population = case(s_sample, population = 3000),
  sample_census = case(s_sample, population = n_sample),
  one_promoter = case(c(10))
)
for (k in names(cases)) {
  cases[[k]]$scores <- vec(cases[[k]]$scores)
  cases[[k]]$counts <- vec(cases[[k]]$counts)
  if (!is.null(cases[[k]]$weights)) cases[[k]]$weights <- vec(cases[[k]]$weights)
}
cases$sample$scores <- NULL
cases$sample_population$scores <- NULL
cases$sample_census$scores <- NULL

cat('"""Dashboard reference numbers computed in R (survey ', as.character(packageVersion("survey")),
    ')\nby scripts/make_dashboard_reference.R. Do not edit by hand."""\n\n', sep = "")
cat("CASES = {\n")
for (k in names(cases)) cat(sprintf("    %s: %s,\n", dQuote(k, FALSE), py(cases[[k]])))
cat("}\n")
