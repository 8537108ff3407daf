// module.cc - the pybind11 glue of regpen._native: numpy arrays in, the C ABI of regpen.h called
// without copying, numpy results out. The public Python API is regpen/native.py; this file only
// translates (dtype and layout checks, error codes to regpen.errors, the GIL).
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <cstring>
#include <string>
#include <vector>

#include "probes.h"
#include "regpen.h"

namespace py = pybind11;

void add_training(py::module_& m);  // train_module.cc

namespace {

// Inputs at least this long are processed without the GIL.
constexpr size_t kReleaseGilAbove = 1 << 15;

[[noreturn]] void raise_code(const char* code, const std::string& message) {
  static py::object raise_for_code = py::module_::import("regpen.errors").attr("raise_for_code");
  raise_for_code(code, message);
  // raise_for_code always raises; reaching this line would be a defect of that function.
  throw py::error_already_set();
}

// A failed C call: the spec's code and the C library's own message (parameter, value, rule).
void check(int status, const char* what) {
  if (status != REGPEN_OK)
    raise_code(regpen_strerror(status), std::string(what) + ": " + regpen_last_error());
}

// The reference's own coercion functions (regpen._arrays), looked up once: the bindings convert
// and reject exactly what the reference does (integers become float64; bool, strings, float16,
// complex, object and None are invalid_dtype).
py::handle arrays_function(const char* name) {
  return py::object(py::module_::import("regpen._arrays").attr(name)).release();
}

enum class Dtype { kFloat64, kFloat32 };

// A 1-D view of an array for the C ABI: data, length, stride in elements. `keep` owns a
// contiguous copy when the array's layout cannot be described by one stride.
struct View {
  const void* data;
  size_t n;
  ptrdiff_t stride;
  Dtype dtype;
  py::array keep;
  py::array shape_source;  // the array as given (after conversion), whose shape results keep
};

// Anything but a native-order float32/float64 array goes through the reference's conversion:
// lists, numbers, integer arrays (to float64), other byte orders; or its invalid_dtype error.
py::array converted(py::handle obj, const char* name) {
  static const py::handle as_float_array = arrays_function("as_float_array");
  return py::reinterpret_steal<py::array>(as_float_array(obj, name).release());
}

bool native_float(const py::array& array) {
  const py::dtype dt = array.dtype();
  return dt.kind() == 'f' && (dt.itemsize() == 8 || dt.itemsize() == 4) && dt.byteorder() != '>';
}

View view_of(py::handle obj, const char* name) {
  // (A default-constructed py::array would allocate an empty array, so none is made here.)
  py::array array = py::isinstance<py::array>(obj) ? py::reinterpret_borrow<py::array>(obj)
                                                   : converted(obj, name);
  const py::dtype dt = array.dtype();
  if (dt.kind() == 'f' && (dt.itemsize() == 8 || dt.itemsize() == 4) && dt.byteorder() == '>') {
    // Another byte order is only a layout (spec 2.0 E): the same values in native order.
    array = py::reinterpret_steal<py::array>(
        array.attr("astype")(dt.attr("newbyteorder")("=")).release());
  }
  if (!native_float(array)) {
    array = converted(array, name);
    if (!native_float(array))  // the reference returned something else: a defect there
      raise_code("invalid_dtype", std::string(name) + " must have dtype float32 or float64");
  }
  const ssize_t size = array.dtype().itemsize();
  const Dtype dtype = size == 8 ? Dtype::kFloat64 : Dtype::kFloat32;
  const size_t n = static_cast<size_t>(array.size());
  // One dimension with any stride (negative, or zero for a broadcast) is walked in place.
  if (array.ndim() == 1 && array.strides(0) % size == 0)
    return {array.data(), n, array.strides(0) / size, dtype, array, array};
  if (array.ndim() == 0 || (array.flags() & py::array::c_style) != 0)
    return {array.data(), n, 1, dtype, array, array};
  py::array copy = py::reinterpret_steal<py::array>(
      py::module_::import("numpy").attr("ascontiguousarray")(array).release());
  return {copy.data(), n, 1, dtype, copy, array};
}

// The C ABI penalty of a Python penalty object (.kind, .l1, .l2, .penalty_factor: the attributes
// the reference itself computes with); `keep` owns the factor array for the duration of the call.
struct Penalty {
  regpen_penalty c;
  py::object keep;
};

// A real number as binary64 through the reference's rule (regpen._arrays.as_parameter: bool,
// strings and other non-reals are invalid_dtype); a Python float is taken as it is.
double real_parameter(py::handle value, const char* name) {
  if (PyFloat_CheckExact(value.ptr())) return PyFloat_AS_DOUBLE(value.ptr());
  static const py::handle as_parameter = arrays_function("as_parameter");
  return py::cast<double>(as_parameter(value, name));
}

// Attribute names, created once: looking up an interned string is the fast path of getattr.
py::handle interned(const char* name) { return PyUnicode_InternFromString(name); }

Penalty penalty_of(py::handle p) {
  static const py::handle kKind = interned("kind"), kL1 = interned("l1"), kL2 = interned("l2"),
                          kFactor = interned("penalty_factor");
  Penalty out{};
  const std::string kind = py::cast<std::string>(p.attr(kKind));
  if (kind == "l1") {
    out.c.kind = REGPEN_L1;
  } else if (kind == "l2") {
    out.c.kind = REGPEN_L2;
  } else if (kind == "elastic_net") {
    out.c.kind = REGPEN_ELASTIC_NET;
  } else {
    raise_code("invalid_argument", "unknown penalty kind " + kind);
  }
  out.c.l1 = real_parameter(p.attr(kL1), "l1");
  out.c.l2 = real_parameter(p.attr(kL2), "l2");
  py::object factor = p.attr(kFactor);
  if (!factor.is_none()) {
    // The reference stores a read-only 1-D float64 array; anything else is converted by its
    // rules (invalid_dtype for strings, say), then checked by the C library.
    py::array given = py::isinstance<py::array>(factor) ? py::reinterpret_borrow<py::array>(factor)
                                                        : converted(factor, "penalty_factor");
    if (given.dtype().kind() != 'f') given = converted(given, "penalty_factor");
    auto f = py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(given);
    if (!f) throw py::error_already_set();
    // An empty factor array still means "factors given" (a length to check), so never pass NULL.
    static const double kNoFactor = 0.0;
    out.c.penalty_factor = f.size() > 0 ? f.data() : &kNoFactor;
    out.c.factor_len = static_cast<size_t>(f.size());
    out.keep = std::move(f);
  }
  return out;
}

// Spec 2.0 D: a penalty's own error comes before any error of the call's arguments. regpen's
// penalties are checked when built; an object that skipped those checks is checked here, only
// when an argument fails (so the common path does not validate factors twice).
template <class F>
auto penalty_first(const Penalty& p, F&& read_arguments) {
  try {
    return read_arguments();
  } catch (py::error_already_set&) {
    check(regpen_validate_penalty(&p.c), "penalty");
    throw;
  }
}

// The numpy scalar of the result's dtype (what the reference returns). numpy's own
// PyArray_Scalar, taken from its C-API table the way pybind11 takes the functions it uses (the
// table's order is part of numpy's stable ABI; entry 60 is PyArray_Scalar), is several times
// quicker than calling numpy.float64(x).
using ScalarFromData = PyObject* (*)(void*, PyObject*, PyObject*);

ScalarFromData numpy_scalar_function() {
  py::module_ multiarray = py::module_::import("numpy._core.multiarray");
  auto capsule = py::reinterpret_borrow<py::capsule>(multiarray.attr("_ARRAY_API"));
  void** table = static_cast<void**>(capsule.get_pointer());
  return reinterpret_cast<ScalarFromData>(table[60]);
}

py::object scalar(double x, Dtype dtype) {
  static const ScalarFromData make = numpy_scalar_function();
  static const py::handle float64 = py::dtype::of<double>().release();
  static const py::handle float32 = py::dtype::of<float>().release();
  float x32 = static_cast<float>(x);  // exact: a binary32 result travels as its binary64 value
  PyObject* result = dtype == Dtype::kFloat64 ? make(&x, float64.ptr(), nullptr)
                                              : make(&x32, float32.ptr(), nullptr);
  if (result == nullptr) throw py::error_already_set();
  return py::reinterpret_steal<py::object>(result);
}

// Runs fn with the GIL released when the input is long enough to be worth it.
template <class F>
int run(size_t n, F&& fn) {
  if (n >= kReleaseGilAbove) {
    py::gil_scoped_release release;
    return fn();
  }
  return fn();
}

py::object value(py::handle penalty, py::handle w) {
  const Penalty p = penalty_of(penalty);
  const View v = penalty_first(p, [&] { return view_of(w, "w"); });
  if (v.dtype == Dtype::kFloat64) {
    double out = 0;
    check(run(v.n, [&] { return regpen_value_f64(&p.c, static_cast<const double*>(v.data), v.n,
                                                 v.stride, &out); }),
          "value");
    return scalar(out, v.dtype);
  }
  float out = 0;
  check(run(v.n, [&] { return regpen_value_f32(&p.c, static_cast<const float*>(v.data), v.n,
                                               v.stride, &out); }),
        "value");
  return scalar(out, v.dtype);
}

// The output of an elementwise operation: `out` when given (a writable C-contiguous array of the
// input's shape and dtype, numpy's `out=` convention), else a new array.
py::array output_for(const View& v, py::handle out) {
  std::vector<ssize_t> shape(v.shape_source.shape(), v.shape_source.shape() + v.shape_source.ndim());
  if (out.is_none()) {
    if (v.dtype == Dtype::kFloat64) return py::array_t<double>(shape);
    return py::array_t<float>(shape);
  }
  if (!py::isinstance<py::array>(out)) throw py::type_error("out must be a numpy array");
  auto array = py::reinterpret_borrow<py::array>(out);
  const bool same_dtype = array.dtype().itemsize() == (v.dtype == Dtype::kFloat64 ? 8 : 4) &&
                          array.dtype().kind() == 'f' && array.dtype().byteorder() != '>';
  const bool same_shape = std::vector<ssize_t>(array.shape(), array.shape() + array.ndim()) == shape;
  if (!same_dtype || !same_shape || !array.writeable() ||
      (array.flags() & py::array::c_style) == 0)
    throw py::value_error("out must be a writable C-contiguous array of w's shape and dtype");
  return array;
}

// True when the output would overwrite input elements it has not read yet: overlapping memory
// that is not exactly the same contiguous elements (out=w is fine, the kernels go elementwise).
bool unsafe_overlap(const View& v, const py::array& out) {
  const auto* in = static_cast<const char*>(v.data);
  const auto* o = static_cast<const char*>(out.data());
  const ssize_t item = v.dtype == Dtype::kFloat64 ? 8 : 4;
  if (v.n == 0) return false;
  if (in == o && v.stride == 1) return false;
  const ssize_t span = static_cast<ssize_t>(v.n - 1) * v.stride * item;
  const char* lo = span < 0 ? in + span : in;
  const char* hi = (span < 0 ? in : in + span) + item;
  return lo < o + out.nbytes() && o < hi;
}

// The view to compute from: the input itself, or a private copy when `out` overlaps it.
View safe_input(View v, const py::array& out) {
  if (!unsafe_overlap(v, out)) return v;
  py::array copy = py::reinterpret_steal<py::array>(
      py::module_::import("numpy").attr("array")(v.shape_source).release());
  return {copy.data(), v.n, 1, v.dtype, copy, v.shape_source};
}

py::array gradient(py::handle penalty, py::handle w, py::handle out_arg) {
  const Penalty p = penalty_of(penalty);
  View v = penalty_first(p, [&] { return view_of(w, "w"); });
  py::array out = output_for(v, out_arg);
  v = safe_input(v, out);
  void* o = out.mutable_data();
  check(run(v.n,
            [&] {
              return v.dtype == Dtype::kFloat64
                         ? regpen_gradient_f64(&p.c, static_cast<const double*>(v.data), v.n,
                                               v.stride, static_cast<double*>(o))
                         : regpen_gradient_f32(&p.c, static_cast<const float*>(v.data), v.n,
                                               v.stride, static_cast<float*>(o));
            }),
        "gradient");
  return out;
}

py::array prox(py::handle penalty, py::handle w, py::handle step_arg, py::handle out_arg) {
  const Penalty p = penalty_of(penalty);
  View v = penalty_first(p, [&] { return view_of(w, "w"); });
  const double step = penalty_first(p, [&] { return real_parameter(step_arg, "step"); });
  py::array out = output_for(v, out_arg);
  v = safe_input(v, out);
  void* o = out.mutable_data();
  check(run(v.n,
            [&] {
              return v.dtype == Dtype::kFloat64
                         ? regpen_prox_f64(&p.c, static_cast<const double*>(v.data), v.n,
                                           v.stride, step, static_cast<double*>(o))
                         : regpen_prox_f32(&p.c, static_cast<const float*>(v.data), v.n,
                                           v.stride, step, static_cast<float*>(o));
            }),
        "prox");
  return out;
}

py::object loss(py::handle y_true, py::handle y_pred, py::handle w, py::handle penalty) {
  const Penalty p = penalty_of(penalty);
  const View y = penalty_first(p, [&] { return view_of(y_true, "y_true"); });
  const View q = penalty_first(p, [&] { return view_of(y_pred, "y_pred"); });
  const View x = penalty_first(p, [&] { return view_of(w, "w"); });
  if (y.dtype != q.dtype || y.dtype != x.dtype) {
    check(regpen_validate_penalty(&p.c), "loss");
    raise_code("invalid_dtype", "y_true, y_pred and w must share one dtype");
  }
  // The C ABI sees flat lengths, so arrays of equal size but different shapes are checked here.
  const py::array& ya = y.shape_source;
  const py::array& qa = q.shape_source;
  const bool same_shape = std::vector<ssize_t>(ya.shape(), ya.shape() + ya.ndim()) ==
                          std::vector<ssize_t>(qa.shape(), qa.shape() + qa.ndim());
  if (!same_shape && regpen_validate_penalty(&p.c) == REGPEN_OK)
    raise_code("shape_mismatch", "y_true and y_pred have different shapes");
  if (y.dtype == Dtype::kFloat64) {
    double out = 0;
    check(run(y.n + x.n,
              [&] {
                return regpen_loss_f64(&p.c, static_cast<const double*>(y.data), y.n, y.stride,
                                       static_cast<const double*>(q.data), q.n, q.stride,
                                       static_cast<const double*>(x.data), x.n, x.stride, &out);
              }),
          "loss");
    return scalar(out, y.dtype);
  }
  float out = 0;
  check(run(y.n + x.n,
            [&] {
              return regpen_loss_f32(&p.c, static_cast<const float*>(y.data), y.n, y.stride,
                                     static_cast<const float*>(q.data), q.n, q.stride,
                                     static_cast<const float*>(x.data), x.n, x.stride, &out);
            }),
        "loss");
  return scalar(out, y.dtype);
}

// The seed helper: L1(lam).value(w) in w's dtype (spec 2.0 A), through the C ABI's own entry.
// As in the reference, the penalty L1(lambda_) is built (and checked) before the weights are read.
py::object l1_regularization(py::handle w, py::handle lam_arg) {
  const double lam = real_parameter(lam_arg, "lam");
  const regpen_penalty penalty{REGPEN_L1, lam, 0.0, nullptr, 0};
  check(regpen_validate_penalty(&penalty), "l1_regularization");
  const View v = view_of(w, "weights");
  if (v.dtype == Dtype::kFloat64) {
    double out = 0;
    check(run(v.n, [&] { return regpen_l1_regularization_f64(static_cast<const double*>(v.data),
                                                             v.n, v.stride, lam, &out); }),
          "l1_regularization");
    return scalar(out, v.dtype);
  }
  float out = 0;
  check(run(v.n, [&] { return regpen_l1_regularization_f32(static_cast<const float*>(v.data), v.n,
                                                           v.stride, lam, &out); }),
        "l1_regularization");
  return scalar(out, v.dtype);
}

void set_isa(const std::string& name) {
  if (regpen_set_isa(name.c_str()) != REGPEN_OK)
    raise_code("invalid_argument", "ISA " + name + " is unknown or not supported by this CPU");
}

py::list available_isas() {
  py::list names;
  for (const char* name : {"scalar", "avx2", "avx512"})
    if (regpen_isa_available(name)) names.append(name);
  return names;
}

// Benchmark probes: contiguous float64 arrays only.
py::array_t<double, py::array::c_style> contiguous_f64(py::handle w) {
  auto a = py::array_t<double, py::array::c_style>::ensure(w);
  if (!a) throw py::error_already_set();
  return a;
}

}  // namespace

PYBIND11_MODULE(_native, m) {
  m.doc() = "regpen's native backend (private; use regpen.native)";
  m.def("value", &value, py::arg("penalty"), py::arg("w"),
        "The penalty of w: a numpy scalar of w's dtype.");
  m.def("gradient", &gradient, py::arg("penalty"), py::arg("w"), py::arg("out") = py::none(),
        "The (sub)gradient at w: a new array of w's shape and dtype, or `out` filled.");
  m.def("prox", &prox, py::arg("penalty"), py::arg("w"), py::arg("step"),
        py::arg("out") = py::none(),
        "The proximal step at w with step size `step`: a new array, or `out` filled.");
  m.def("loss", &loss, py::arg("y_true"), py::arg("y_pred"), py::arg("w"), py::arg("penalty"),
        "Mean squared error of the predictions plus penalty.value(w) (spec computeLoss).");
  m.def("l1_regularization", &l1_regularization, py::arg("weights"), py::arg("lambda_"),
        "The seed helper: L1(lam).value(weights), a numpy scalar of the weights' dtype.");
  m.def("set_isa", &set_isa, py::arg("name"));
  m.def("isa", [] { return std::string(regpen_isa()); });
  m.def("available_isas", &available_isas);
  m.def("version", [] { return std::string(regpen_version()); });
  add_training(m);

  m.def("_bench_plain_abs_sum", [](py::handle w) {
    auto a = contiguous_f64(w);
    py::gil_scoped_release release;
    return regpen::bench::plain_abs_sum(a.data(), static_cast<size_t>(a.size()));
  });
  m.def("_bench_plain_square_sum", [](py::handle w) {
    auto a = contiguous_f64(w);
    py::gil_scoped_release release;
    return regpen::bench::plain_square_sum(a.data(), static_cast<size_t>(a.size()));
  });
  // Spec 1.0's scalar results (two roundings and more) on the same kernels: the baseline of the
  // speed floor of spec 2.0 (value and loss within 10% at n = 1e7).
  m.def("_bench_spec1_value", [](py::handle penalty, py::handle w) {
    const Penalty p = penalty_of(penalty);
    auto a = contiguous_f64(w);
    py::gil_scoped_release release;
    return regpen::bench::spec1_value(p.c.kind, p.c.l1, p.c.l2, a.data(),
                                      static_cast<size_t>(a.size()));
  });
  m.def("_bench_spec1_loss", [](py::handle y_true, py::handle y_pred, py::handle w,
                                py::handle penalty) {
    const Penalty p = penalty_of(penalty);
    auto y = contiguous_f64(y_true), q = contiguous_f64(y_pred), x = contiguous_f64(w);
    if (y.size() != q.size() || y.size() == 0)
      throw py::value_error("y_true and y_pred must have one non-zero length");
    py::gil_scoped_release release;
    return regpen::bench::spec1_loss(p.c.kind, p.c.l1, p.c.l2, y.data(), q.data(),
                                     static_cast<size_t>(y.size()), x.data(),
                                     static_cast<size_t>(x.size()));
  });
  m.def("_bench_read_probe", [](py::handle w) {
    auto a = contiguous_f64(w);
    py::gil_scoped_release release;
    return regpen::bench::read_probe(a.data(), static_cast<size_t>(a.size()));
  });
  m.def("_bench_copy_probe", [](py::handle w, py::handle out) {
    auto a = contiguous_f64(w);
    auto o = py::array_t<double, py::array::c_style>::ensure(out);
    if (!o || o.size() != a.size() || !o.writeable())
      throw py::value_error("out must be a writable contiguous float64 array of w's size");
    double* dst = o.mutable_data();
    py::gil_scoped_release release;
    regpen::bench::copy_probe(a.data(), static_cast<size_t>(a.size()), dst);
  });
}
