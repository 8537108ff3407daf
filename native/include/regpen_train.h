/* regpen_train.h - the training calls of regpen's C ABI (conformance/SPEC.md section 7): a linear
 * model fitted by coordinate descent, ISTA or FISTA with correctly rounded reductions, the same
 * bits as every other backend. Conventions as in regpen.h (status codes, regpen_last_error, no
 * exception across the interface); outputs go to caller-provided buffers. */
#ifndef REGPEN_TRAIN_H
#define REGPEN_TRAIN_H

#include "regpen.h"

#ifdef __cplusplus
extern "C" {
#endif

#define REGPEN_SOLVER_CD 0
#define REGPEN_SOLVER_ISTA 1
#define REGPEN_SOLVER_FISTA 2

/* Training options; regpen_fit_options_init fills the spec's defaults (cd, intercept, 1000
 * iterations, tol 1e-4, no warm start, no trajectory). */
typedef struct regpen_fit_options {
    int solver;
    int fit_intercept;
    size_t max_iter;
    double tol;
    const double* coef_init;    /* p starting coefficients, or NULL for all +0 */
    double* trajectory;         /* NULL, or room for trajectory_capacity * p values (row per iteration) */
    size_t trajectory_capacity; /* iterations recorded at most */
} regpen_fit_options;

typedef struct regpen_fit_result {
    double* coef;      /* caller's buffer of p values: the final w */
    double intercept;
    size_t n_iter;
    double gap;
    double tau;        /* the tolerance in the gap's units: converged means gap <= tau */
    int converged;
} regpen_fit_result;

REGPEN_API void regpen_fit_options_init(regpen_fit_options* options);

/* Fits X (n x p, row-major, contiguous) and y (n) under the penalty. Checks in the order of
 * SPEC 7.6: the penalty, the options (invalid_argument), factor length (shape_mismatch), n or p
 * zero (empty_input), NaN or inf in X or y (non_finite_input = 9). */
REGPEN_API int regpen_fit_f64(const regpen_penalty* penalty, const double* x, size_t n, size_t p,
                              const double* y, const regpen_fit_options* options,
                              regpen_fit_result* result);

/* A regularization path (SPEC 7.8) over given strengths s_k, the penalty being P(1) of the scaled
 * family (P(s): every parameter fl(s * parameter), factors unchanged), each fit warm-started from
 * the previous one on data centred once. Outputs: coefs (k x p), intercepts, n_iters, gaps and
 * converged (k each). options->coef_init and the trajectory are ignored. */
REGPEN_API int regpen_path_f64(const regpen_penalty* penalty, const double* x, size_t n, size_t p,
                               const double* y, const regpen_fit_options* options,
                               const double* strengths, size_t k, double* coefs,
                               double* intercepts, size_t* n_iters, double* gaps, int* converged);

/* SPEC 7.8's lambda_max of the penalty's L1 part: RU(max_j 2|sum_i Xc_ij yc_i| / (n f_j c1)) over
 * the j with f_j > 0 (+0 when every such dot is 0 or no factor is > 0). invalid_argument when the
 * penalty has no L1 part (c1 = 0). */
REGPEN_API int regpen_lambda_max_f64(const regpen_penalty* penalty, const double* x, size_t n,
                                     size_t p, const double* y, int fit_intercept, double* out);

#ifdef __cplusplus
}
#endif

#endif /* REGPEN_TRAIN_H */
