// train.cc - the solvers of SPEC §7 (coordinate descent, ISTA, FISTA, the path) behind the C ABI
// of regpen_train.h. Every reduction is dot.h's correctly rounded dot product or the exact signed
// accumulator; every other step is one IEEE operation in the order the spec writes (the build
// never contracts a multiply and an add).
#include <cmath>
#include <cstdio>
#include <algorithm>
#include <cstring>
#include <limits>
#include <new>
#include <vector>

#include "dot.h"
#include "sums.h"
#include "regpen_train.h"

namespace regpen::detail {

void set_last_error(const char* message);  // regpen.cc

namespace {

inline void two_sum_pair(double a, double b, double& s, double& e) {
  s = a + b;
  const double bb = s - a;
  e = (a - (s - bb)) + (b - bb);
}

int fail(int status, const char* format, double a = 0.0, double b = 0.0) {
  char buffer[200];
  std::snprintf(buffer, sizeof buffer, format, a, b);
  set_last_error(buffer);
  return status;
}

// The centred problem and its per-coordinate constants (SPEC §7.2).
struct Problem {
  size_t n = 0, p = 0;
  std::vector<double> cols;  // Xc column-major: column j at cols[j * n]
  std::vector<double> rows;  // Xc row-major (filled on demand: ISTA/FISTA, warm starts)
  std::vector<double> yc, xmean;
  double ymean = 0.0;
  std::vector<double> alpha, beta, s, d, factors;
  double tau = 0.0, tol = 0.0;
  const double* col(size_t j) const { return cols.data() + j * n; }
};

void coefficients(const regpen_penalty* pen, double* c1, double* c2) {
  *c1 = pen->kind == REGPEN_L2 ? 0.0 : pen->l1;
  *c2 = pen->kind == REGPEN_L1 ? 0.0 : pen->l2;
}

void retarget(Problem& pr, double c1, double c2) {
  const double nf = static_cast<double>(pr.n), h = nf / 2.0;
  for (size_t j = 0; j < pr.p; ++j) {
    pr.alpha[j] = (c1 * pr.factors[j]) * h;
    pr.beta[j] = (c2 * pr.factors[j]) * nf;
    pr.d[j] = pr.s[j] + pr.beta[j];
  }
}

void prepare(Problem& pr, const regpen_penalty* pen, const double* x, size_t n, size_t p,
             const double* y, bool intercept, double tol) {
  pr.n = n;
  pr.p = p;
  pr.cols.resize(n * p);
  pr.yc.resize(n);
  pr.xmean.assign(p, 0.0);
  for (size_t i = 0; i < n; ++i)
    for (size_t j = 0; j < p; ++j) pr.cols[j * n + i] = x[i * p + j];
  if (intercept) {
    const std::vector<double> ones(n, 1.0);
    for (size_t j = 0; j < p; ++j) {
      pr.xmean[j] = scaled_dot(pr.col(j), ones.data(), n, 1.0, n);
      for (size_t i = 0; i < n; ++i) pr.cols[j * n + i] = pr.cols[j * n + i] - pr.xmean[j];
    }
    pr.ymean = scaled_dot(y, ones.data(), n, 1.0, n);
  }
  for (size_t i = 0; i < n; ++i) pr.yc[i] = y[i] - pr.ymean;
  pr.factors.assign(p, 1.0);
  if (pen->penalty_factor != nullptr)
    for (size_t j = 0; j < p; ++j) pr.factors[j] = pen->penalty_factor[j];
  pr.s.resize(p);
  for (size_t j = 0; j < p; ++j) pr.s[j] = dot(pr.col(j), pr.col(j), n, 0.0, 0.0);
  pr.alpha.resize(p);
  pr.beta.resize(p);
  pr.d.resize(p);
  double c1, c2;
  coefficients(pen, &c1, &c2);
  retarget(pr, c1, c2);
  pr.tol = tol;
  pr.tau = tol * scaled_dot(pr.yc.data(), pr.yc.data(), n, 2.0, n);
}

void ensure_rows(Problem& pr) {
  if (!pr.rows.empty()) return;
  pr.rows.resize(pr.n * pr.p);
  for (size_t j = 0; j < pr.p; ++j)
    for (size_t i = 0; i < pr.n; ++i) pr.rows[i * pr.p + j] = pr.cols[j * pr.n + i];
}

// r_i = RN(yc_i - sum_j Xc_ij w_j); neg holds -w (exact) as scratch.
void residual(Problem& pr, const double* w, double* r, std::vector<double>& neg) {
  bool zero = true;
  for (size_t j = 0; j < pr.p && zero; ++j) zero = w[j] == 0.0;
  if (zero) {
    for (size_t i = 0; i < pr.n; ++i) r[i] = pr.yc[i] + 0.0;  // RN of yc_i alone; -0 becomes +0
    return;
  }
  ensure_rows(pr);
  neg.resize(pr.p);
  for (size_t j = 0; j < pr.p; ++j) neg[j] = -w[j];
  for (size_t i = 0; i < pr.n; ++i)
    r[i] = dot(pr.rows.data() + i * pr.p, neg.data(), pr.p, pr.yc[i], 1.0);
}

void column_dots(const Problem& pr, const double* r, double* u) {
  for (size_t j = 0; j < pr.p; ++j) u[j] = dot(pr.col(j), r, pr.n, 0.0, 0.0);
}

// c = cm * 2^ce exactly, cm an integer below 2^53 (c finite and >= 0).
void split(double c, uint64_t* cm, int* ce) {
  if (c == 0.0) {
    *cm = 0;
    *ce = 0;
    return;
  }
  int e;
  const double f = std::frexp(c, &e);
  *cm = static_cast<uint64_t>(std::ldexp(f, 53));
  *ce = e - 53;
}

// SPEC §7.5: RN((2/n)·[½Σr² + ½c²Σr² − cΣr·yc + Σα|w| + ½Σβw² + Σq]) as
// RN((1/n)·[A + c²A − 2cB + 2Σα|w| + Σβw² + 2Σq]) with A = Σr², B = Σr·yc: a list of exact
// products through scaled_dot when its splits are exact, else the WideInt evaluation below.
double duality_gap(const Problem& pr, const double* w, const double* r, const double* u) {
  double c = 1.0;
  for (size_t j = 0; j < pr.p; ++j)
    if (pr.beta[j] == 0.0 && pr.alpha[j] > 0.0 && std::fabs(u[j]) > pr.alpha[j])
      c = std::fmin(c, pr.alpha[j] / std::fabs(u[j]));
  std::vector<double> q(pr.p, 0.0);
  for (size_t j = 0; j < pr.p; ++j) {
    if (pr.beta[j] > 0.0) {
      const double m = (c * std::fabs(u[j])) - pr.alpha[j];
      if (m > 0.0) q[j] = (m * m) / (2.0 * pr.beta[j]);
    }
  }
  // The special values first (SPEC §7.1): a NaN or infinite factor decides the result.
  bool finite = std::isfinite(c);
  for (size_t i = 0; i < pr.n && finite; ++i) finite = std::isfinite(r[i]);
  for (size_t j = 0; j < pr.p && finite; ++j) finite = std::isfinite(w[j]) && std::isfinite(q[j]);
  if (!finite) {
    SignedExact all;
    for (size_t i = 0; i < pr.n; ++i) {
      all.add(1, r[i], r[i]);
      all.add(1, c, r[i], r[i]);  // classifies c·c·r·r (c is in [0, 1])
      all.add(-1, c, r[i], pr.yc[i]);
    }
    for (size_t j = 0; j < pr.p; ++j) {
      all.add(1, pr.alpha[j], std::fabs(w[j]));
      all.add(1, pr.beta[j], w[j], w[j]);
      all.add(1, q[j]);
    }
    double v;
    if (all.special(&v)) return v;
  }
  // Fast path (native/DESIGN.md, "The duality gap"): A = Σr², B = Σr·yc and R = 2Σα|w| + Σβw²
  // + 2Σq by Dot2, combined as A(1 + c²) − 2cB + R in double-double with a proven bound.
  if (c == 0.0 || c >= 0x1p-400) {
    thread_local std::vector<double> ra, rb;
    ra.clear();
    rb.clear();
    for (size_t j = 0; j < pr.p; ++j) {
      if (pr.alpha[j] != 0.0) {
        ra.push_back(2.0 * pr.alpha[j]);
        rb.push_back(std::fabs(w[j]));
      }
      if (q[j] != 0.0) {
        ra.push_back(2.0 * q[j]);
        rb.push_back(1.0);
      }
    }
    Approx a, b, rr;
    bool ok = dot_approx(r, r, pr.n, 0.0, 0.0, &a) && dot_approx(r, pr.yc.data(), pr.n, 0.0, 0.0, &b) &&
              dot_approx(ra.data(), rb.data(), ra.size(), 0.0, 0.0, &rr);
    // Σβw² enters as β_j·w_j·w_j: exact as (β_j w_j)·w_j split by a TwoProduct, added to R's list.
    Approx ridge{0.0, 0.0, 0.0};
    if (ok) {
      thread_local std::vector<double> ba, bb;
      ba.clear();
      bb.clear();
      for (size_t j = 0; j < pr.p; ++j) {
        if (pr.beta[j] == 0.0 || w[j] == 0.0) continue;
        const double h = pr.beta[j] * w[j], l = std::fma(pr.beta[j], w[j], -h);
        ok = ok && std::fabs(h) >= 0x1p-900 && std::isfinite(h);
        ba.push_back(h);
        bb.push_back(w[j]);
        ba.push_back(l);
        bb.push_back(w[j]);
      }
      ok = ok && dot_approx(ba.data(), bb.data(), ba.size(), 0.0, 0.0, &ridge);
    }
    if (ok) {
      constexpr double u = 0x1p-53;
      // K = 1 + c² = kh + kl + δK, |δK| <= 2u² (c ∈ [0, 1], c² split exactly: c >= 2^-400).
      const double c2h = c * c, c2l = std::fma(c, c, -c2h);
      double kh, kl;
      two_sum_pair(1.0, c2h, kh, kl);
      kl = kl + c2l;
      // A·K and 2c·B in double-double; the dropped and rounded parts are below 8u²·|A|K and
      // 8u²·2c|B| (DESIGN.md), with |A| <= |Ah| + |Al| + eA.
      const double ph = a.hi * kh, pe = std::fma(a.hi, kh, -ph);
      const double pl = pe + (a.hi * kl + a.lo * kh);
      const double qh = 2.0 * c * b.hi, qe = std::fma(2.0 * c, b.hi, -qh);
      const double ql = qe + 2.0 * c * b.lo;
      // E = (ph + pl) − (qh + ql) + (R + ridge): TwoSums of the heads (exact), plain sum of the tails.
      double h1, e1, h2, e2, h3, e3;
      two_sum_pair(ph, -qh, h1, e1);
      two_sum_pair(h1, rr.hi + 0.0, h2, e2);
      two_sum_pair(h2, ridge.hi, h3, e3);
      const double tail = ((pl - ql) + (rr.lo + ridge.lo)) + ((e1 + e2) + e3);
      const double mag_a = (std::fabs(a.hi) + std::fabs(a.lo) + a.err) * 2.0;
      const double mag_b = (std::fabs(b.hi) + std::fabs(b.lo) + b.err) * 2.0 * c;
      const double tails = std::fabs(pl) + std::fabs(ql) + std::fabs(rr.lo) + std::fabs(ridge.lo) +
                           std::fabs(e1) + std::fabs(e2) + std::fabs(e3);
      const double err = 2.0 * (2.0 * a.err + 2.0 * c * b.err + rr.err + ridge.err) +
                         16.0 * u * u * (mag_a + mag_b) + 16.0 * u * tails + 0x1p-1070;
      double hi, lo;
      two_sum_pair(h3, tail, hi, lo);
      double gap;
      if (std::isfinite(hi) && std::isfinite(err) && round_scaled(Approx{hi, lo, err}, 1.0, pr.n, &gap))
        return gap;
    }
  }
  // The bracket as an exact list of products (TwoProducts split c·r_i and β_j·w_j), summed by the
  // correctly rounded scaled dot: exact while no split underflows and nothing overflows.
  {
    thread_local std::vector<double> la, lb;
    la.clear();
    lb.clear();
    bool exact = true;
    auto push = [&](double x, double y) {
      exact = exact && std::isfinite(x) && std::isfinite(y);
      la.push_back(x);
      lb.push_back(y);
    };
    auto split_product = [&](double x, double y, double& h, double& l) {
      h = x * y;
      l = std::fma(x, y, -h);
      exact = exact && (h == 0.0 || std::fabs(h) >= 0x1p-960);
    };
    for (size_t i = 0; i < pr.n; ++i) {
      double h, l;
      split_product(c, r[i], h, l);
      push(r[i], r[i]);               // r_i²
      push(h, h);                     // c²r_i² = h² + 2hl + l²
      push(2.0 * h, l);
      push(l, l);
      push(-2.0 * h, pr.yc[i]);       // −2c·r_i·yc_i
      push(-2.0 * l, pr.yc[i]);
    }
    for (size_t j = 0; j < pr.p; ++j) {
      if (pr.alpha[j] != 0.0) push(2.0 * pr.alpha[j], std::fabs(w[j]));
      if (pr.beta[j] != 0.0) {
        double h, l;
        split_product(pr.beta[j], w[j], h, l);
        push(h, w[j]);
        push(l, w[j]);
      }
      if (q[j] != 0.0) push(2.0 * q[j], 1.0);
    }
    if (exact) return scaled_dot(la.data(), lb.data(), la.size(), 1.0, pr.n);
  }
  ExactSum a, bp, bn, rest;
  for (size_t i = 0; i < pr.n; ++i) {
    const double ri = std::fabs(r[i]);
    if (ri != 0.0) a.add_product(ri, ri);
    const double yi = pr.yc[i];
    if (ri != 0.0 && yi != 0.0) ((r[i] < 0) != (yi < 0) ? bn : bp).add_product(ri, std::fabs(yi));
  }
  for (size_t j = 0; j < pr.p; ++j) {
    const double wj = std::fabs(w[j]);
    if (wj != 0.0 && pr.alpha[j] != 0.0) {
      rest.add_product(pr.alpha[j], wj);  // twice: the bracket's 2Σα|w|
      rest.add_product(pr.alpha[j], wj);
    }
    if (wj != 0.0 && pr.beta[j] != 0.0) rest.add_product3(pr.beta[j], wj, wj);
    if (q[j] != 0.0) {
      rest.add(q[j]);
      rest.add(q[j]);
    }
  }
  uint64_t cm;
  int ce;
  split(c, &cm, &ce);
  // Units of 2^(kLowExp + 2ce): (A + rest)·2^(-2ce) + A·cm² + 2cm·(Bn − Bp)·2^(-ce).
  WideInt pos(a), a2(a), r2(rest), neg(bp), extra(bn);
  pos.add(r2);
  pos.shift_left(-2 * ce);
  a2.multiply(cm);
  a2.multiply(cm);
  pos.add(a2);
  extra.multiply(2 * cm);
  extra.shift_left(-ce);
  pos.add(extra);
  neg.multiply(2 * cm);
  neg.shift_left(-ce);
  return round_difference(pos, neg, int64_t{ExactSum::kLowExp} + 2 * ce, pr.n);
}

double soft(double x, double t) {
  const double e = std::fabs(x) - t;
  if (std::isnan(e)) return std::numeric_limits<double>::quiet_NaN();
  return e > 0.0 ? std::copysign(e, x) : std::copysign(0.0, x);
}

struct Outcome {
  size_t n_iter = 0;
  double gap = std::numeric_limits<double>::quiet_NaN();
  bool converged = false;
};

Outcome coordinate_descent(Problem& pr, double* w, size_t max_iter, double* traj, size_t cap) {
  const size_t n = pr.n, p = pr.p;
  std::vector<double> r(n), u(p), neg;
  residual(pr, w, r.data(), neg);
  Outcome out;
  for (size_t k = 1; k <= max_iter; ++k) {
    double dmax = 0.0, wmax = 0.0;
    for (size_t j = 0; j < p; ++j) {
      const double old = w[j];
      double next = 0.0;
      if (pr.s[j] != 0.0) {
        const double rho = dot(pr.col(j), r.data(), n, pr.s[j], old);
        next = soft(rho, pr.alpha[j]) / pr.d[j];
      }
      const double delta = old - next;
      if (delta != 0.0 && pr.s[j] != 0.0) {
        const double* c = pr.col(j);
        double* rr = r.data();
        for (size_t i = 0; i < n; ++i) rr[i] = rr[i] + c[i] * delta;
      }
      w[j] = next;
      dmax = std::max(dmax, std::fabs(delta));  // NaN-free here: finite data, d_j > 0
      wmax = std::max(wmax, std::fabs(next));
    }
    out.n_iter = k;
    if (traj != nullptr && k <= cap) std::memcpy(traj + (k - 1) * p, w, p * sizeof(double));
    if (wmax == 0.0 || dmax / wmax <= pr.tol || k == max_iter) {
      column_dots(pr, r.data(), u.data());
      out.gap = duality_gap(pr, w, r.data(), u.data());
      if (out.gap <= pr.tau) {
        out.converged = true;
        break;
      }
    }
  }
  return out;
}

double lipschitz_step(const Problem& pr) {
  const double big_l = scaled_dot(pr.cols.data(), pr.cols.data(), pr.cols.size(), 2.0, pr.n);
  return big_l > 0.0 ? 1.0 / big_l : 1.0;
}

Outcome proximal_gradient(Problem& pr, const regpen_penalty* pen, double* w, size_t max_iter,
                          bool accelerated, double* traj, size_t cap, int* status) {
  const size_t n = pr.n, p = pr.p;
  const double gamma = lipschitz_step(pr), nf = static_cast<double>(n);
  std::vector<double> v(w, w + p), r(n), u(p), z(p), next(p), neg;
  double t = 1.0;
  Outcome out;
  residual(pr, v.data(), r.data(), neg);
  column_dots(pr, r.data(), u.data());
  for (size_t k = 1; k <= max_iter; ++k) {
    for (size_t j = 0; j < p; ++j) {
      const double g = (-2.0 * u[j]) / nf;
      z[j] = v[j] - gamma * g;
    }
    if ((*status = regpen_prox_f64(pen, z.data(), p, 1, gamma, next.data())) != REGPEN_OK)
      return out;
    if (accelerated) {
      const double t_next = (1.0 + std::sqrt(1.0 + 4.0 * (t * t))) / 2.0;
      const double m = (t - 1.0) / t_next;
      for (size_t j = 0; j < p; ++j) v[j] = next[j] + m * (next[j] - w[j]);
      t = t_next;
    } else {
      v = next;
    }
    std::memcpy(w, next.data(), p * sizeof(double));
    out.n_iter = k;
    if (traj != nullptr && k <= cap) std::memcpy(traj + (k - 1) * p, w, p * sizeof(double));
    residual(pr, w, r.data(), neg);
    column_dots(pr, r.data(), u.data());
    out.gap = duality_gap(pr, w, r.data(), u.data());
    if (out.gap <= pr.tau) {
      out.converged = true;
      break;
    }
    // ISTA's next gradient point is w itself, whose residual and dots are already at hand.
    if (accelerated) {
      residual(pr, v.data(), r.data(), neg);
      column_dots(pr, r.data(), u.data());
    }
  }
  return out;
}

double intercept(const Problem& pr, const double* w, bool fit_intercept) {
  if (!fit_intercept) return 0.0;
  std::vector<double> neg(pr.p);
  for (size_t j = 0; j < pr.p; ++j) neg[j] = -w[j];
  return dot(pr.xmean.data(), neg.data(), pr.p, pr.ymean, 1.0);
}

int check(const regpen_penalty* pen, const double* x, size_t n, size_t p, const double* y,
          const regpen_fit_options* o) {
  if (int status = regpen_validate_penalty(pen)) return status;
  if (o == nullptr) return fail(REGPEN_E_INVALID_ARGUMENT, "options is NULL");
  if (o->solver < REGPEN_SOLVER_CD || o->solver > REGPEN_SOLVER_FISTA)
    return fail(REGPEN_E_INVALID_ARGUMENT, "solver must be one of cd (0), ista (1), fista (2), got %g",
                o->solver);
  if (o->max_iter < 1)
    return fail(REGPEN_E_INVALID_ARGUMENT, "max_iter must be an integer >= 1, got 0");
  if (!(std::isfinite(o->tol) && o->tol >= 0.0))
    return fail(REGPEN_E_INVALID_ARGUMENT, "tol must be finite and >= 0, got %g", o->tol);
  if (pen->penalty_factor != nullptr && pen->factor_len != p)
    return fail(REGPEN_E_SHAPE_MISMATCH, "penalty_factor has %g entries for %g features",
                static_cast<double>(pen->factor_len), static_cast<double>(p));
  if (n == 0 || p == 0)
    return fail(REGPEN_E_EMPTY_INPUT, "X has shape (%g, %g); training needs n >= 1 and p >= 1",
                static_cast<double>(n), static_cast<double>(p));
  if ((x == nullptr) || (y == nullptr)) return fail(REGPEN_E_INVALID_ARGUMENT, "X or y is NULL");
  for (size_t i = 0; i < n * p; ++i)
    if (!std::isfinite(x[i]))
      return fail(REGPEN_E_NON_FINITE_INPUT,
                  "X contains NaN or inf (%g at flat index %g); training needs finite data", x[i],
                  static_cast<double>(i));
  for (size_t i = 0; i < n; ++i)
    if (!std::isfinite(y[i]))
      return fail(REGPEN_E_NON_FINITE_INPUT,
                  "y contains NaN or inf (%g at index %g); training needs finite data", y[i],
                  static_cast<double>(i));
  return REGPEN_OK;
}

Outcome solve(Problem& pr, const regpen_penalty* pen, const regpen_fit_options* o, double* w,
              double* traj, size_t cap, int* status) {
  *status = REGPEN_OK;
  if (o->solver == REGPEN_SOLVER_CD) return coordinate_descent(pr, w, o->max_iter, traj, cap);
  return proximal_gradient(pr, pen, w, o->max_iter, o->solver == REGPEN_SOLVER_FISTA, traj, cap,
                           status);
}

int fit(const regpen_penalty* pen, const double* x, size_t n, size_t p, const double* y,
        const regpen_fit_options* o, regpen_fit_result* res) {
  if (int status = check(pen, x, n, p, y, o)) return status;
  if (res == nullptr || res->coef == nullptr)
    return fail(REGPEN_E_INVALID_ARGUMENT, "result or result->coef is NULL");
  Problem pr;
  prepare(pr, pen, x, n, p, y, o->fit_intercept != 0, o->tol);
  double* w = res->coef;
  for (size_t j = 0; j < p; ++j) w[j] = o->coef_init != nullptr ? o->coef_init[j] : 0.0;
  int status;
  const Outcome out = solve(pr, pen, o, w, o->trajectory, o->trajectory_capacity, &status);
  if (status != REGPEN_OK) return status;
  res->intercept = intercept(pr, w, o->fit_intercept != 0);
  res->n_iter = out.n_iter;
  res->gap = out.gap;
  res->tau = pr.tau;
  res->converged = out.converged ? 1 : 0;
  return REGPEN_OK;
}

int path(const regpen_penalty* pen, const double* x, size_t n, size_t p, const double* y,
         const regpen_fit_options* o, const double* strengths, size_t k, double* coefs,
         double* intercepts, size_t* n_iters, double* gaps, int* converged) {
  if (int status = regpen_validate_penalty(pen)) return status;
  if (o == nullptr) return fail(REGPEN_E_INVALID_ARGUMENT, "options is NULL");
  if (k == 0 || strengths == nullptr)
    return fail(REGPEN_E_INVALID_LAMBDA, "strengths must hold at least one strength");
  for (size_t i = 0; i < k; ++i)
    if (!(std::isfinite(strengths[i]) && strengths[i] > 0.0))
      return fail(REGPEN_E_INVALID_LAMBDA, "strengths must be finite and > 0, got %g",
                  strengths[i]);
  if (int status = check(pen, x, n, p, y, o)) return status;
  if (coefs == nullptr || intercepts == nullptr || n_iters == nullptr || gaps == nullptr ||
      converged == nullptr)
    return fail(REGPEN_E_INVALID_ARGUMENT, "an output buffer is NULL");
  Problem pr;
  prepare(pr, pen, x, n, p, y, o->fit_intercept != 0, o->tol);
  std::vector<double> w(p, 0.0);
  double c1, c2;
  coefficients(pen, &c1, &c2);
  for (size_t i = 0; i < k; ++i) {
    regpen_penalty scaled = *pen;
    scaled.l1 = strengths[i] * pen->l1;
    scaled.l2 = strengths[i] * pen->l2;
    retarget(pr, strengths[i] * c1, strengths[i] * c2);
    int status;
    const Outcome out = solve(pr, &scaled, o, w.data(), nullptr, 0, &status);
    if (status != REGPEN_OK) return status;
    std::memcpy(coefs + i * p, w.data(), p * sizeof(double));
    intercepts[i] = intercept(pr, w.data(), o->fit_intercept != 0);
    n_iters[i] = out.n_iter;
    gaps[i] = out.gap;
    converged[i] = out.converged ? 1 : 0;
  }
  return REGPEN_OK;
}

int lambda_max(const regpen_penalty* pen, const double* x, size_t n, size_t p, const double* y,
               int fit_intercept, double* out) {
  regpen_fit_options o;
  regpen_fit_options_init(&o);
  if (int status = check(pen, x, n, p, y, &o)) return status;
  if (out == nullptr) return fail(REGPEN_E_INVALID_ARGUMENT, "out is NULL");
  double c1, c2;
  coefficients(pen, &c1, &c2);
  if (c1 == 0.0)
    return fail(REGPEN_E_INVALID_ARGUMENT,
                "a penalty without an L1 part has no lambda_max: give the strengths");
  Problem pr;
  prepare(pr, pen, x, n, p, y, fit_intercept != 0, 0.0);
  uint64_t cm;
  int ce;
  split(c1, &cm, &ce);
  double best = 0.0;
  for (size_t j = 0; j < p; ++j) {
    if (!(pr.factors[j] > 0.0)) continue;
    SignedExact sum;
    for (size_t i = 0; i < n; ++i) sum.add(1, pr.cols[j * n + i], pr.yc[i]);
    WideInt a(sum.pos), b(sum.neg);
    const int order = a.compare(b);
    if (order == 0) continue;
    WideInt& big = order > 0 ? a : b;
    big.subtract(order > 0 ? b : a);
    // 2|S| 2^kLowExp / (n fm cm 2^(fe+ce)): shifted up by 256 bits so that the floor quotients
    // keep far more than 53 bits; nested floor divisions equal one floor division by the product.
    uint64_t fm;
    int fe;
    split(pr.factors[j], &fm, &fe);
    big.multiply(2);
    big.shift_left(256);
    bool inexact = big.divide(n) != 0;
    inexact = (big.divide(fm) != 0) || inexact;
    inexact = (big.divide(cm) != 0) || inexact;
    const int64_t unit = int64_t{ExactSum::kLowExp} - 256 - fe - ce;
    best = std::fmax(best, big.round_to(53, -1074, unit, inexact, true));
  }
  *out = best;
  return REGPEN_OK;
}

}  // namespace
}  // namespace regpen::detail

extern "C" {

REGPEN_API int regpen_lambda_max_f64(const regpen_penalty* penalty, const double* x, size_t n,
                                     size_t p, const double* y, int fit_intercept, double* out) {
  try {
    return regpen::detail::lambda_max(penalty, x, n, p, y, fit_intercept, out);
  } catch (...) {
    return regpen::detail::fail(REGPEN_E_INVALID_ARGUMENT, "out of memory");
  }
}

REGPEN_API void regpen_fit_options_init(regpen_fit_options* o) {
  if (o == nullptr) return;
  *o = regpen_fit_options{REGPEN_SOLVER_CD, 1, 1000, 1e-4, nullptr, nullptr, 0};
}

REGPEN_API int regpen_fit_f64(const regpen_penalty* penalty, const double* x, size_t n, size_t p,
                              const double* y, const regpen_fit_options* options,
                              regpen_fit_result* result) {
  try {
    return regpen::detail::fit(penalty, x, n, p, y, options, result);
  } catch (const std::bad_alloc&) {
    return regpen::detail::fail(REGPEN_E_INVALID_ARGUMENT, "out of memory");
  } catch (...) {
    return regpen::detail::fail(REGPEN_E_INVALID_ARGUMENT, "internal error");
  }
}

REGPEN_API int regpen_path_f64(const regpen_penalty* penalty, const double* x, size_t n, size_t p,
                               const double* y, const regpen_fit_options* options,
                               const double* strengths, size_t k, double* coefs,
                               double* intercepts, size_t* n_iters, double* gaps, int* converged) {
  try {
    return regpen::detail::path(penalty, x, n, p, y, options, strengths, k, coefs, intercepts,
                                n_iters, gaps, converged);
  } catch (const std::bad_alloc&) {
    return regpen::detail::fail(REGPEN_E_INVALID_ARGUMENT, "out of memory");
  } catch (...) {
    return regpen::detail::fail(REGPEN_E_INVALID_ARGUMENT, "internal error");
  }
}

}  // extern "C"
