// train_module.cc - the pybind11 glue of the native solvers (regpen_train.h): float64 arrays in,
// numpy results out, the GIL released during the fit. Called by regpen._training when the
// extension is present; the Python side has already converted and checked types and shapes.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <string>
#include <vector>

#include "regpen_train.h"

namespace py = pybind11;

namespace {

using F64 = py::array_t<double, py::array::c_style | py::array::forcecast>;

[[noreturn]] void raise_status(int status, const char* what) {
  static py::object raise_for_code = py::module_::import("regpen.errors").attr("raise_for_code");
  raise_for_code(regpen_strerror(status), std::string(what) + ": " + regpen_last_error());
  throw py::error_already_set();
}

struct Inputs {
  regpen_penalty pen{};
  F64 factors, x, y;
  size_t n = 0, p = 0;
  regpen_fit_options opt{};
};

Inputs inputs(const std::string& kind, double l1, double l2, py::object factors, py::handle x,
              py::handle y, const std::string& solver, bool fit_intercept, size_t max_iter,
              double tol) {
  Inputs in;
  in.pen.kind = kind == "l1" ? REGPEN_L1 : kind == "l2" ? REGPEN_L2 : REGPEN_ELASTIC_NET;
  in.pen.l1 = l1;
  in.pen.l2 = l2;
  if (!factors.is_none()) {
    in.factors = F64::ensure(factors);
    if (!in.factors) throw py::error_already_set();
    static const double kNone = 0.0;
    in.pen.penalty_factor = in.factors.size() > 0 ? in.factors.data() : &kNone;
    in.pen.factor_len = static_cast<size_t>(in.factors.size());
  }
  in.x = F64::ensure(x);
  in.y = F64::ensure(y);
  if (!in.x || !in.y) throw py::error_already_set();
  if (in.x.ndim() != 2 || in.y.ndim() != 1 || in.x.shape(0) != in.y.shape(0))
    throw py::value_error("X must be (n, p) and y (n,) with the same n");
  in.n = static_cast<size_t>(in.x.shape(0));
  in.p = static_cast<size_t>(in.x.shape(1));
  regpen_fit_options_init(&in.opt);
  in.opt.solver = solver == "cd" ? REGPEN_SOLVER_CD
                  : solver == "ista" ? REGPEN_SOLVER_ISTA
                  : solver == "fista" ? REGPEN_SOLVER_FISTA
                                      : -1;
  in.opt.fit_intercept = fit_intercept ? 1 : 0;
  in.opt.max_iter = max_iter;
  in.opt.tol = tol;
  return in;
}

py::tuple fit(const std::string& kind, double l1, double l2, py::object factors, py::handle x,
              py::handle y, const std::string& solver, bool fit_intercept, size_t max_iter,
              double tol, py::object coef_init, bool record) {
  Inputs in = inputs(kind, l1, l2, factors, x, y, solver, fit_intercept, max_iter, tol);
  F64 init;
  if (!coef_init.is_none()) {
    init = F64::ensure(coef_init);
    if (!init || static_cast<size_t>(init.size()) != in.p)
      throw py::value_error("coef_init must hold one value per feature");
    in.opt.coef_init = init.data();
  }
  py::array_t<double> coef(static_cast<py::ssize_t>(in.p));
  std::vector<double> traj;
  if (record) {
    traj.resize(max_iter * in.p);
    in.opt.trajectory = traj.data();
    in.opt.trajectory_capacity = max_iter;
  }
  regpen_fit_result res{};
  res.coef = coef.mutable_data();
  int status;
  {
    py::gil_scoped_release release;
    status = regpen_fit_f64(&in.pen, in.x.data(), in.n, in.p, in.y.data(), &in.opt, &res);
  }
  if (status != REGPEN_OK) raise_status(status, "fit");
  py::object trajectory = py::none();
  if (record) {
    py::array_t<double> t({static_cast<py::ssize_t>(res.n_iter), static_cast<py::ssize_t>(in.p)});
    std::copy(traj.begin(), traj.begin() + res.n_iter * in.p, t.mutable_data());
    trajectory = t;
  }
  return py::make_tuple(coef, res.intercept, res.n_iter, res.gap, res.converged != 0, res.tau,
                        trajectory);
}

py::tuple path(const std::string& kind, double l1, double l2, py::object factors, py::handle x,
               py::handle y, py::handle strengths, const std::string& solver, bool fit_intercept,
               size_t max_iter, double tol) {
  Inputs in = inputs(kind, l1, l2, factors, x, y, solver, fit_intercept, max_iter, tol);
  F64 s = F64::ensure(strengths);
  if (!s) throw py::error_already_set();
  const size_t k = static_cast<size_t>(s.size());
  py::array_t<double> coefs({static_cast<py::ssize_t>(k), static_cast<py::ssize_t>(in.p)});
  py::array_t<double> intercepts(static_cast<py::ssize_t>(k)), gaps(static_cast<py::ssize_t>(k));
  py::array_t<int64_t> iters(static_cast<py::ssize_t>(k));
  py::array_t<bool> converged(static_cast<py::ssize_t>(k));
  std::vector<size_t> n_iters(k);
  std::vector<int> conv(k);
  int status;
  {
    py::gil_scoped_release release;
    status = regpen_path_f64(&in.pen, in.x.data(), in.n, in.p, in.y.data(), &in.opt, s.data(), k,
                             coefs.mutable_data(), intercepts.mutable_data(), n_iters.data(),
                             gaps.mutable_data(), conv.data());
  }
  if (status != REGPEN_OK) raise_status(status, "path");
  for (size_t i = 0; i < k; ++i) {
    iters.mutable_data()[i] = static_cast<int64_t>(n_iters[i]);
    converged.mutable_data()[i] = conv[i] != 0;
  }
  return py::make_tuple(coefs, intercepts, iters, gaps, converged);
}

double lambda_max(const std::string& kind, double l1, double l2, py::object factors, py::handle x,
                  py::handle y, bool fit_intercept) {
  Inputs in = inputs(kind, l1, l2, factors, x, y, "cd", fit_intercept, 1, 0.0);
  double out = 0.0;
  int status;
  {
    py::gil_scoped_release release;
    status = regpen_lambda_max_f64(&in.pen, in.x.data(), in.n, in.p, in.y.data(),
                                   fit_intercept ? 1 : 0, &out);
  }
  if (status != REGPEN_OK) raise_status(status, "lambda_max");
  return out;
}

}  // namespace

void add_training(py::module_& m) {
  m.def("_fit", &fit, py::arg("kind"), py::arg("l1"), py::arg("l2"), py::arg("factors"),
        py::arg("x"), py::arg("y"), py::arg("solver"), py::arg("fit_intercept"),
        py::arg("max_iter"), py::arg("tol"), py::arg("coef_init"), py::arg("record"),
        "SPEC §7 fit: (coef, intercept, n_iter, gap, converged, tau, trajectory or None).");
  m.def("_path", &path, py::arg("kind"), py::arg("l1"), py::arg("l2"), py::arg("factors"),
        py::arg("x"), py::arg("y"), py::arg("strengths"), py::arg("solver"),
        py::arg("fit_intercept"), py::arg("max_iter"), py::arg("tol"),
        "SPEC §7.8 path of the scaled family at given strengths: "
        "(coefs, intercepts, n_iters, gaps, converged).");
  m.def("_lambda_max", &lambda_max, py::arg("kind"), py::arg("l1"), py::arg("l2"),
        py::arg("factors"), py::arg("x"), py::arg("y"), py::arg("fit_intercept"),
        "SPEC §7.8's lambda_max of the penalty's L1 part (rounded upward).");
}
