/* regpen.h - the public C ABI of regpen's native backend (the only header users include).
 *
 * Every function returns an int status: 0 on success, otherwise one of the REGPEN_E_* codes, which
 * map one to one onto the error codes of conformance/SPEC.md section 4. No C++ exception ever
 * crosses this interface. Results follow the spec bit for bit: reductions are correctly rounded
 * and every elementwise step is one IEEE-754 operation.
 *
 * Arrays are described by a pointer, a length and a stride counted in elements (not bytes); a
 * stride may be negative, or zero (n copies of one element, as numpy's broadcast_to gives), and
 * (n - 1) * |stride| * sizeof(element) must fit a ptrdiff_t. Output arrays are contiguous. The float32 functions take
 * binary64 parameters, factors and steps and round each once to binary32, as the spec requires.
 * Every scalar result (value, loss, l1_regularization) is the exact value of its formula rounded
 * once to the working format, and every NaN written is the positive quiet NaN (0x7ff8... /
 * 0x7fc00000). After a failed call, regpen_last_error() tells what was wrong.
 *
 * The region between the cffi markers is read verbatim by the Python cffi binding (regpen/c_abi.py)
 * after removing the REGPEN_API macro, so it must stay plain C declarations.
 */
#ifndef REGPEN_H
#define REGPEN_H

#include <stddef.h>

#if defined(_WIN32)
#define REGPEN_API __declspec(dllexport)
#else
#define REGPEN_API __attribute__((visibility("default")))
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* cffi-begin */
#define REGPEN_OK 0
#define REGPEN_E_INVALID_LAMBDA 1
#define REGPEN_E_INVALID_STEP 2
#define REGPEN_E_SHAPE_MISMATCH 3
#define REGPEN_E_EMPTY_INPUT 4
#define REGPEN_E_INVALID_DTYPE 5
#define REGPEN_E_INVALID_PENALTY_FACTOR 6
#define REGPEN_E_INVALID_CONFIG 7
#define REGPEN_E_INVALID_ARGUMENT 8
#define REGPEN_E_NON_FINITE_INPUT 9

#define REGPEN_L1 1
#define REGPEN_L2 2
#define REGPEN_ELASTIC_NET 3

/* A penalty. L1 uses l1 (its lam), L2 uses l2 (its lam), ElasticNet uses both; the unused one is
 * ignored. penalty_factor may be NULL (all factors 1); otherwise it has factor_len entries and
 * factor_len must equal the number of weights of each call. */
typedef struct regpen_penalty {
    int kind;
    double l1;
    double l2;
    const double* penalty_factor;
    size_t factor_len;
} regpen_penalty;

/* The library version, "major.minor.patch". */
REGPEN_API const char* regpen_version(void);
/* The spec's error code for a status ("invalid_lambda", ...), "ok" for 0, "unknown" otherwise. */
REGPEN_API const char* regpen_strerror(int status);

/* The message of the last failed call on the calling thread: the parameter, the value and the
 * rule, e.g. "lam must be finite and >= 0, got -5" ("" before any failure). Valid until the next
 * call on the same thread. */
REGPEN_API const char* regpen_last_error(void);

/* Checks a penalty's kind, parameters and factors (invalid_argument, invalid_lambda,
 * invalid_penalty_factor, in that order). Every other call runs the same checks first. */
REGPEN_API int regpen_validate_penalty(const regpen_penalty* penalty);

/* value(w): RN(sum of f_i * (c1 * |w_i| + c2 * w_i^2)), the exact value rounded once. */
REGPEN_API int regpen_value_f64(const regpen_penalty* penalty, const double* w, size_t n,
                                ptrdiff_t stride, double* out);
REGPEN_API int regpen_value_f32(const regpen_penalty* penalty, const float* w, size_t n,
                                ptrdiff_t stride, float* out);

/* The seed helper l1_regularization(weights, lambda): L1(lambda).value(weights), in the dtype of
 * the weights (a float32 array gives a float32 result; lambda is rounded once to binary32). */
REGPEN_API int regpen_l1_regularization_f64(const double* w, size_t n, ptrdiff_t stride,
                                            double lambda, double* out);
REGPEN_API int regpen_l1_regularization_f32(const float* w, size_t n, ptrdiff_t stride,
                                            double lambda, float* out);

/* gradient(w) into out[0..n). */
REGPEN_API int regpen_gradient_f64(const regpen_penalty* penalty, const double* w, size_t n,
                                   ptrdiff_t stride, double* out);
REGPEN_API int regpen_gradient_f32(const regpen_penalty* penalty, const float* w, size_t n,
                                   ptrdiff_t stride, float* out);

/* prox(w, step) into out[0..n). */
REGPEN_API int regpen_prox_f64(const regpen_penalty* penalty, const double* w, size_t n,
                               ptrdiff_t stride, double step, double* out);
REGPEN_API int regpen_prox_f32(const regpen_penalty* penalty, const float* w, size_t n,
                               ptrdiff_t stride, double step, float* out);

/* loss(y_true, y_pred, w): RN(sum (y_i - p_i)^2 / n + the value's sum), exact inside. */
REGPEN_API int regpen_loss_f64(const regpen_penalty* penalty, const double* y_true, size_t n_true,
                               ptrdiff_t stride_true, const double* y_pred, size_t n_pred,
                               ptrdiff_t stride_pred, const double* w, size_t n_w,
                               ptrdiff_t stride_w, double* out);
REGPEN_API int regpen_loss_f32(const regpen_penalty* penalty, const float* y_true, size_t n_true,
                               ptrdiff_t stride_true, const float* y_pred, size_t n_pred,
                               ptrdiff_t stride_pred, const float* w, size_t n_w,
                               ptrdiff_t stride_w, float* out);

/* Instruction sets: "scalar", "avx2", "avx512". At start-up the best one the CPU supports is
 * chosen, capped by the environment variable REGPEN_ISA when it names one. regpen_set_isa
 * selects one explicitly ("auto" restores the start-up choice); an unknown name or one the CPU
 * lacks gives invalid_argument. regpen_isa_available returns 1 when the ISA can run here.
 * Inputs of 2^20 elements or more are split over two threads (same bits); REGPEN_THREADS=1 in the
 * environment at start-up keeps every call on the calling thread. */
REGPEN_API int regpen_set_isa(const char* name);
REGPEN_API const char* regpen_isa(void);
REGPEN_API int regpen_isa_available(const char* name);
/* cffi-end */

#ifdef __cplusplus
}
#endif

#endif /* REGPEN_H */
