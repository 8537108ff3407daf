(ns regpen.core-test
  "Unit tests of regpen.core's Clojure surface: input types and result shapes, error codes and their
  order, configuration round trips, converters and the seed helper. The numbers are small cases
  checked by hand; the golden vectors (vectors_test.clj) cover the numerics."
  (:require [clojure.test :refer [deftest is testing]]
            [regpen.core :as rp]
            [regpen.seed :as seed]))

(defn- code
  "The :regpen/code of the error (thunk) throws, or :no-error."
  [thunk]
  (try (thunk) :no-error
       (catch clojure.lang.ExceptionInfo e (:regpen/code (ex-data e)))))

(defn- bits [x] (Double/doubleToRawLongBits (double x)))

(defn- factors [p] (get (rp/config p) "penalty_factor"))

(deftest results-keep-the-input-type
  (let [p (rp/l2 0.5)]
    (is (instance? Double (rp/value p [1.0 2.0])))
    (is (instance? Float (rp/value p (float-array [1 2]))))
    (is (= 2.5 (rp/value p (double-array [1 2]))) "0.5·(1 + 4), no ½")
    (is (= [2.0 -4.0] (rp/gradient p [2.0 -4.0])) "c = 2·0.5 = 1")
    (is (vector? (rp/gradient p [2.0])))
    (is (instance? (Class/forName "[F") (rp/gradient p (float-array [1]))))
    (is (instance? (Class/forName "[D") (rp/prox p (double-array [1]) 0.5)))
    (is (= [(float 1)] (rp/gradient p [(float 1)])) "a seq of Floats is float32")
    (is (= 0.0 (rp/value p [])) "the empty sum is +0")))

(deftest float32-works-in-binary32
  ;; 0.1 rounds to binary32 before use: value(L1(0.1), [1f]) is the float nearest 0.1, not 0.1.
  (is (= (float 0.1) (rp/value (rp/l1 0.1) (float-array [1]))))
  (is (not= 0.1 (double (rp/value (rp/l1 0.1) (float-array [1])))))
  ;; A parameter finite in binary64 can overflow binary32; IEEE rules then apply: ∞·0 = NaN.
  (is (Float/isNaN (rp/value (rp/l1 1e300) (float-array [0])))))

(deftest l1-subgradient-and-signed-zeros
  (let [g (rp/gradient (rp/l1 2.0) [3.0 -3.0 0.0 -0.0 ##NaN])]
    (is (= [2.0 -2.0] (subvec g 0 2)))
    (is (= [0 0] (map bits (subvec g 2 4))) "+0 at both zeros")
    (is (Double/isNaN (g 4))))
  (is (= [0.0 -0.0] (map double (rp/prox (rp/l1 1.0) [0.5 -0.5] 1.0))))
  (is (= (bits -0.0) (bits ((rp/prox (rp/l1 1.0) [-0.5] 1.0) 0))) "the sign of w survives")
  (is (= [1.5 -1.5] (rp/prox (rp/l1 1.0) [2.0 -2.0] 0.5))))

(deftest elastic-net-combines-both
  (let [p (rp/elastic-net 1.0 0.5)]
    (is (= 5.5 (rp/value p [1.0 -2.0])) "1·3 + 0.5·5")
    (is (= [2.0 -3.0] (rp/gradient p [1.0 -2.0])) "sign·1 + 1·w")
    ;; prox: soft threshold by 1·1 then divide by 1 + 1·(2·0.5) = 2.
    (is (= [1.0 -0.5] (rp/prox p [3.0 -2.0] 1.0)))))

(deftest penalty-factors
  (let [p (rp/l1 1.0 :penalty-factor [0 2])]
    (is (= 4.0 (rp/value p [5.0 -2.0])) "the first coordinate is unpenalized")
    (is (= [0.0 -2.0] (rp/gradient p [5.0 -2.0])))
    (is (= :shape-mismatch (code #(rp/value p [1.0]))))
    (is (= [0.0 2.0] (factors (rp/l1 1.0 :penalty-factor [-0.0 2]))) "−0 stored as +0")
    (is (= 0 (bits (first (factors (rp/l1 1.0 :penalty-factor [-0.0]))))))))

(deftest error-codes
  (is (= :invalid-lambda (code #(rp/l1 -1.0))))
  (is (= :invalid-lambda (code #(rp/l2 ##NaN))))
  (is (= :invalid-lambda (code #(rp/elastic-net 1.0 ##Inf))))
  (is (= :invalid-lambda (code #(rp/l1 "0.1"))))
  (is (= :invalid-penalty-factor (code #(rp/l1 1.0 :penalty-factor [1 -1]))))
  (is (= :invalid-step (code #(rp/prox (rp/l1 1.0) [1.0] -0.5))))
  (is (= :invalid-dtype (code #(rp/value (rp/l1 1.0) [1.0 (float 2)]))) "mixed dtypes")
  (is (= :invalid-dtype (code #(rp/value (rp/l1 1.0) (char-array [\a])))))
  (is (= :invalid-dtype (code #(rp/value (rp/l1 1.0) [1.0 true]))) "booleans are not numbers")
  (is (= :invalid-dtype (code #(rp/value (rp/l1 1.0) "1.0"))))
  (is (= 0 (bits ((rp/config (rp/l1 -0.0)) "lam"))) "−0 stored as +0")
  (testing "checks run in SPEC order: dtype, parameters, shapes"
    (let [p (rp/l1 1.0 :penalty-factor [1 1])]
      (is (= :invalid-dtype (code #(rp/prox p ["1"] -1.0))))
      (is (= :invalid-step (code #(rp/prox p [1.0] -1.0))))
      (is (= :shape-mismatch (code #(rp/prox p [1.0] 1.0)))))))

(deftest loss
  (let [p (rp/l1 0.5)]
    ;; residuals 1 and −1: mse 1, plus 0.5·|2|.
    (is (= 2.0 (rp/compute-loss [1.0 2.0] [0.0 3.0] [2.0] p)))
    (is (= 1.0 (rp/compute-loss [1.0 2.0] [0.0 3.0] [] p)) "w may be empty")
    (is (instance? Float (rp/compute-loss (float-array [1]) (float-array [0]) (float-array []) p)))
    (is (= :shape-mismatch (code #(rp/compute-loss [1.0] [1.0 2.0] [] p))))
    (is (= :empty-input (code #(rp/compute-loss [] [] [] p))))
    (is (= :invalid-dtype (code #(rp/compute-loss (double-array [1]) (float-array [1]) [] p))))
    (is (= :empty-input
           (code #(rp/compute-loss [] [] [1.0] (rp/l1 1.0 :penalty-factor [1 2]))))
        "spec 2.0 (decision D): n > 0 is checked before the factors' length")
    (is (= :shape-mismatch
           (code #(rp/compute-loss [1.0] [1.0] [1.0] (rp/l1 1.0 :penalty-factor [1 2])))))))

(deftest configuration
  (let [penalties [(rp/l1 0.01) (rp/l2 0.1 :penalty-factor [0 1 2.5])
                   (rp/elastic-net 5e-324 Double/MAX_VALUE) (rp/l1 0.30000000000000004)]]
    (doseq [p penalties]
      (is (= p (rp/from-config (rp/to-config p))))))
  (is (= "{\"type\":\"l1\",\"lam\":0.1}" (rp/to-config (rp/l1 0.1))) "shortest digits")
  (is (= (rp/l2 0.5 :penalty-factor [1 0]) (rp/from-config (rp/config (rp/l2 0.5 :penalty-factor [1 0]))))
      "configuration as data round-trips too")
  (is (= :invalid-config (code #(rp/from-config {"type" "l1"}))))
  (is (= (rp/elastic-net 0.01 0.001)
         (rp/from-config "{\"type\": \"elastic_net\", \"l1\": 1e-2, \"l2\": 0.001}\n")))
  (doseq [bad ["not json" "[1]" "{\"type\": \"l3\", \"lam\": 1}" "{\"type\": \"l1\"}"
               "{\"type\": \"l1\", \"lam\": 1, \"x\": 1}" "{\"type\": \"l1\", \"lam\": \"1\"}"
               "{\"type\": \"l1\", \"lam\": 1} 2" "{\"type\": \"l2\", \"lam\": 1, \"penalty_factor\": 1}"]]
    (is (= :invalid-config (code #(rp/from-config bad))) bad))
  (is (= :invalid-lambda (code #(rp/from-config "{\"type\": \"l1\", \"lam\": 1e400}"))))
  (is (= :invalid-penalty-factor
         (code #(rp/from-config "{\"type\": \"l1\", \"lam\": 1, \"penalty_factor\": [-1]}")))))

(deftest converters
  ;; SPEC's worked examples: sklearn (0.1, 0.5) and glmnet (0.1, 0.5) are ElasticNet(0.1, 0.05).
  (is (= (rp/elastic-net 0.1 0.05) (rp/from-sklearn 0.1 0.5)))
  (is (= (rp/elastic-net 0.1 0.05) (rp/from-glmnet 0.1 0.5)))
  (is (= (rp/elastic-net 0.01 0.02) (rp/from-keras 0.01 0.02)))
  (is (= (rp/l2 0.005) (rp/from-torch-weight-decay 0.01)))
  (is (= :invalid-lambda (code #(rp/from-sklearn 0.1 1.5))))
  (is (= :invalid-lambda (code #(rp/from-glmnet -0.1 0.5))))
  (is (= :invalid-lambda (code #(rp/from-torch-weight-decay ##Inf)))))

(deftest seed-helper-versus-correct-rounding
  ;; Left to right, 1 + 2^-53 ties back to 1 twice; the exact sum is 1 + 2^-52.
  (let [half-ulp (Math/scalb 1.0 (int -53))
        w [1.0 half-ulp half-ulp]]
    (is (= 1.0 (seed/l1-regularization w 1.0)))
    (is (= (+ 1.0 (Math/scalb 1.0 (int -52))) (rp/l1-regularization w 1.0)))
    (is (= (rp/value (rp/l1 0.25) w) (rp/l1-regularization w 0.25))))
  (is (= :invalid-lambda (code #(rp/l1-regularization [1.0] -1.0))))
  (is (= -1.0 (seed/l1-regularization [1.0] -1.0)) "the seed validates nothing"))
