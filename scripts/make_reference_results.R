# Reference numbers for tests/test_stats.py, computed in R independently of nps_xl.
#
#   Rscript scripts/make_reference_results.R > tests/reference_results.py
#   ruff format tests/reference_results.py
#
# This is a test-data generator, not shipped code. Nothing here is copied from nps_xl or from
# the R package NPS (Brendan Rocks): CRAN cannot be reached from the development machines, so
# the formulas the package documents (npvar, nps.se, nps.test; pseudo-observations
# c(0.75, 1.5, 0.75) for its adjusted Wald test; Tango's score interval as its "iterative"
# interval) are written out here again, on purpose by a different route than the Python code:
#
#   * NPS, variance and Wald SE from the -1/0/+1 coded answers themselves (mean and
#     population variance of a vector of rep(c(-1, 0, 1), counts)), checked against npvar's
#     share formula;
#   * the score interval with the restricted maximum-likelihood detractor share found
#     numerically (optimize() on the log-likelihood), not with Tango's closed form, and the
#     bounds with uniroot();
#   * exact percentile-bootstrap quantiles by enumerating the multinomial distribution
#     (dmultinom), which a Monte Carlo bootstrap must approach;
#   * the two-group sample size by solving the power equation with uniroot(), not with the
#     closed form.
#
# Only base R and the stats package are used.

options(digits = 17)

z_of <- function(conf) qnorm(1 - (1 - conf) / 2)

coded <- function(k) rep(c(-1, 0, 1), k)  # k = c(detractors, passives, promoters)

npvar_shares <- function(k) {  # the share formula of the NPS package's npvar()
  p <- k / sum(k)
  (p[3] + p[1]) - (p[3] - p[1])^2
}

one_sample <- function(k) {
  x <- coded(k)
  n <- length(x)
  m <- mean(x)
  v <- mean((x - m)^2)  # population variance of the codes
  stopifnot(isTRUE(all.equal(v, npvar_shares(k), tolerance = 1e-12)))
  list(n = n, nps = m, var = v, se = sqrt(v / n))
}

wald <- function(k, conf) {
  s <- one_sample(k)
  h <- z_of(conf) * s$se
  c(s$nps - h, s$nps + h)
}

adjusted <- function(k, pseudo = c(0.75, 1.5, 0.75)) {
  ka <- k + pseudo
  na <- sum(ka)
  pa <- ka / na
  centre <- pa[3] - pa[1]
  v <- pa[3] + pa[1] - centre^2
  list(centre = centre, var = v, n = na)
}

adjusted_wald <- function(k, conf) {
  a <- adjusted(k)
  h <- z_of(conf) * sqrt(a$var / a$n)
  c(a$centre - h, a$centre + h, h)
}

# Restricted MLE of the detractor share q given p - d = delta, found numerically.
restricted_q <- function(k, delta) {
  loglik <- function(q) {
    pr <- c(q, 1 - 2 * q - delta, q + delta)
    sum(ifelse(k > 0, k * log(pmax(pr, 1e-300)), 0))
  }
  lo <- max(0, -delta)
  hi <- (1 - delta) / 2
  if (hi - lo < 1e-15) return(lo)
  optimize(loglik, c(lo, hi), maximum = TRUE, tol = 1e-14)$maximum
}

score_stat <- function(k, delta) {
  n <- sum(k)
  q <- restricted_q(k, delta)
  (k[3] - k[1] - n * delta) / sqrt(n * (2 * q + delta - delta^2))
}

score_interval <- function(k, conf) {
  z <- z_of(conf)
  n <- sum(k)
  centre <- (k[3] - k[1]) / n
  eps <- 1e-10
  high <- if (k[3] == n) 1 else
    uniroot(function(d) score_stat(k, d) + z, c(centre + eps, 1 - 1e-12), tol = 1e-14)$root
  low <- if (k[1] == n) -1 else
    uniroot(function(d) score_stat(k, d) - z, c(-1 + 1e-12, centre - eps), tol = 1e-14)$root
  c(low, high)
}

# Exact distribution of the resampled NPS under multinomial(n, observed shares).
bootstrap_exact <- function(k) {
  n <- sum(k)
  p <- k / n
  support <- c()
  prob <- c()
  for (det in 0:n) for (pro in 0:(n - det)) {
    support <- c(support, (pro - det) / n)
    prob <- c(prob, dmultinom(c(det, n - det - pro, pro), prob = p))
  }
  agg <- tapply(prob, support, sum)
  list(values = as.numeric(names(agg)), cdf = cumsum(as.numeric(agg)))
}

two_sample <- function(ka, kb, conf) {
  z <- z_of(conf)
  a <- one_sample(ka)
  b <- one_sample(kb)
  delta <- a$nps - b$nps
  se <- sqrt(a$var / a$n + b$var / b$n)  # nps.test: unpooled Wald
  aa <- adjusted(ka)
  ab <- adjusted(kb)
  adelta <- aa$centre - ab$centre
  ase <- sqrt(aa$var / aa$n + ab$var / ab$n)
  list(
    difference = delta,
    wald = c(delta - z * se, delta + z * se, delta / se, 2 * pnorm(-abs(delta / se)), se),
    adjusted = c(adelta - z * ase, adelta + z * ase, adelta / ase,
                 2 * pnorm(-abs(adelta / ase)), ase)
  )
}

paired <- function(a_scores, b_scores, conf) {
  code <- function(s) ifelse(s <= 6, -1, ifelse(s <= 8, 0, 1))
  keep <- !is.na(a_scores) & !is.na(b_scores)
  d <- code(a_scores[keep]) - code(b_scores[keep])
  n <- length(d)
  se <- sd(d) / sqrt(n)
  z <- mean(d) / se
  h <- z_of(conf) * se
  c(mean(d), mean(d) - h, mean(d) + h, z, 2 * pnorm(-abs(z)), se, n, sum(!keep),
    mean(code(a_scores[keep])), mean(code(b_scores[keep])))
}

sample_size_margin <- function(margin, conf, v = 1) {
  ceiling(z_of(conf)^2 * v / (margin / 100)^2 - 3 - 1e-9)
}

sample_size_diff <- function(diff, conf, power, va = 1, vb = 1) {
  f <- function(n) pnorm(abs(diff / 100) / sqrt((va + vb) / n) - z_of(conf)) - power
  ceiling(uniroot(f, c(1e-6, 1e9), tol = 1e-10)$root - 1e-9)
}

# ---------------------------------------------------------------------------- output

num <- function(x) {
  if (is.logical(x)) return(if (x) "True" else "False")
  if (is.na(x)) return("None")
  if (x == Inf) return("math.inf")
  if (x == -Inf) return("-math.inf")
  short <- sprintf("%.15g", x)  # shortest text that reads back as the same double
  if (as.numeric(short) == x) short else sprintf("%.17g", x)
}
tuple <- function(x) paste0("(", paste(vapply(x, num, ""), collapse = ", "),
                            if (length(x) == 1) "," else "", ")")

counts_cases <- list(
  c(1, 2, 3), c(1, 0, 1), c(0, 1, 1), c(1, 1, 1), c(395, 476, 291), c(0, 0, 5),
  c(5, 0, 0), c(0, 5, 0), c(0, 0, 1), c(3, 0, 4), c(10, 20, 30), c(2, 5, 13),
  c(120, 300, 580), c(40, 35, 25), c(1, 17, 2), c(700, 1800, 7500), c(0, 12, 38)
)
confidences <- c(0.8, 0.9, 0.95, 0.99)

pairs <- list(
  list(c(395, 476, 291), c(350, 480, 332)),
  list(c(1, 2, 3), c(3, 2, 1)),
  list(c(10, 20, 30), c(30, 20, 10)),
  list(c(0, 0, 5), c(5, 0, 0)),
  list(c(40, 35, 25), c(120, 300, 580)),
  list(c(2, 5, 13), c(1, 17, 2)),
  list(c(50, 30, 20), c(48, 31, 21))
)

paired_after <- c(10, 9, 8, NA, 7, 6, 9, 10, 3, 8, 9, 9, 5, NA, 10, 7, 9, 6, 10, 8,
                  9, 10, 0, 7, 9)
paired_before <- c(9, 6, 8, 5, 7, 7, 6, 10, 2, NA, 9, 8, 6, 4, 8, 7, 9, 6, 9, 6,
                   7, 9, 1, 8, 5)

cat('"""Reference results for tests/test_stats.py, produced by R, not by nps_xl.\n\n')
cat("Generated by scripts/make_reference_results.R with ", R.version.string, ",\n", sep = "")
cat("base R and stats only (the R package NPS could not be installed: its documented formulas\n")
cat("are re-implemented in that script, by a different route than the Python code). Do not\n")
cat("edit by hand; re-run:\n\n")
cat("    Rscript scripts/make_reference_results.R > tests/reference_results.py\n")
cat("    ruff format tests/reference_results.py\n\n")
cat("Counts are (detractors, passives, promoters). Values are proportions (NPS / 100).\n")
cat('"""\n\n')
cat("import math\n\n")

cat("# counts -> (n, nps, variance, standard_error)\nONE_SAMPLE = {\n")
for (k in counts_cases) {
  s <- one_sample(k)
  cat("    ", tuple(k), ": ", tuple(c(s$n, s$nps, s$var, s$se)), ",\n", sep = "")
}
cat("}\n\n")

cat("# (counts, confidence) -> (low, high): Wald, as nps.test's one-sample interval\n")
cat("WALD = {\n")
for (k in counts_cases) for (conf in confidences)
  cat("    (", tuple(k), ", ", num(conf), "): ", tuple(wald(k, conf)), ",\n", sep = "")
cat("}\n\n")

cat("# (counts, confidence) -> (low, high, margin): adjusted Wald, pseudo (0.75, 1.5, 0.75)\n")
cat("ADJUSTED_WALD = {\n")
for (k in counts_cases) for (conf in confidences)
  cat("    (", tuple(k), ", ", num(conf), "): ", tuple(adjusted_wald(k, conf)), ",\n", sep = "")
cat("}\n\n")

cat("# (counts, confidence) -> (low, high): score interval, restricted MLE by optimize()\n")
cat("SCORE = {\n")
for (k in counts_cases) for (conf in confidences)
  cat("    (", tuple(k), ", ", num(conf), "): ", tuple(score_interval(k, conf)), ",\n", sep = "")
cat("}\n\n")

cat("# counts -> (values, cdf): exact distribution of the multinomial-bootstrap NPS\n")
cat("BOOTSTRAP_EXACT = {\n")
for (k in list(c(2, 3, 5), c(4, 10, 6), c(1, 17, 2))) {
  b <- bootstrap_exact(k)
  cat("    ", tuple(k), ": (", tuple(b$values), ", ", tuple(b$cdf), "),\n", sep = "")
}
cat("}\n\n")

cat("# (counts_a, counts_b, confidence) -> {method: (low, high, z, p_value, se)}\n")
cat("# 'wald' is nps.test's two-sample test with the sign of a - b kept.\n")
cat("TWO_SAMPLE = {\n")
for (pr in pairs) for (conf in c(0.9, 0.95, 0.99)) {
  r <- two_sample(pr[[1]], pr[[2]], conf)
  cat("    (", tuple(pr[[1]]), ", ", tuple(pr[[2]]), ", ", num(conf), "): {\n", sep = "")
  cat("        'difference': ", num(r$difference), ",\n", sep = "")
  cat("        'wald': ", tuple(r$wald), ",\n", sep = "")
  cat("        'adjusted-wald': ", tuple(r$adjusted), ",\n", sep = "")
  cat("    },\n")
}
cat("}\n\n")

na_list <- function(x) paste0("[", paste(vapply(x, num, ""), collapse = ", "), "]")
cat("PAIRED_AFTER = ", na_list(paired_after), "\n", sep = "")
cat("PAIRED_BEFORE = ", na_list(paired_before), "\n", sep = "")
cat("# confidence -> (difference, low, high, z, p_value, se, n_pairs, dropped, nps_a, nps_b)\n")
cat("PAIRED = {\n")
for (conf in c(0.9, 0.95, 0.99))
  cat("    ", num(conf), ": ", tuple(paired(paired_after, paired_before, conf)), ",\n", sep = "")
cat("}\n\n")

cat("# (margin, confidence, variance) -> answers needed\nSAMPLE_SIZE = {\n")
for (m in c(20, 10, 5, 3, 1)) for (conf in c(0.9, 0.95, 0.99)) for (v in c(1, 0.75, 5 / 9))
  cat("    (", num(m), ", ", num(conf), ", ", num(v), "): ",
      num(sample_size_margin(m, conf, v)), ",\n", sep = "")
cat("}\n\n")

cat("# (difference, confidence, power, var_a, var_b) -> answers per group (uniroot on power)\n")
cat("SAMPLE_SIZE_DIFFERENCE = {\n")
for (d in c(20, 10, 5)) for (conf in c(0.9, 0.95)) for (pw in c(0.8, 0.9))
  for (vv in list(c(1, 1), c(0.75, 0.6)))
    cat("    (", num(d), ", ", num(conf), ", ", num(pw), ", ", num(vv[1]), ", ", num(vv[2]),
        "): ", num(sample_size_diff(d, conf, pw, vv[1], vv[2])), ",\n", sep = "")
cat("}\n")
