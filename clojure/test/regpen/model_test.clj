(ns regpen.model-test
  "regpen.model end to end: L1 drives weights to exactly zero, inputs in every accepted form give
  the same bits, every bad input gets its SPEC §7.6 code in the spec's check order, non-convergence
  stays in the data, predictions are correctly rounded, and a path starts at lambda-max."
  (:require [clojure.string :as str]
            [clojure.test :refer [deftest is testing]]
            [regpen.core :as rp]
            [regpen.dot :as dot]
            [regpen.model :as m])
  (:import (java.util Random)))

(set! *warn-on-reflection* true)

(defn- problem
  "n rows of p features; y depends on features 0 and 2 only (plus small noise), offset 3."
  [n p seed]
  (let [rng (Random. seed)
        x (vec (for [_ (range n)] (vec (repeatedly p #(- (* 4.0 (.nextDouble rng)) 2.0)))))
        y (mapv (fn [row] (+ 3.0 (* 2.0 (row 0)) (* -1.5 (get row 2 0.0)) (* 0.01 (.nextGaussian rng)))) x)]
    [x y]))

(defn- code-of [f]
  (try (f) nil
       (catch clojure.lang.ExceptionInfo e [(:regpen/code (ex-data e)) (ex-message e)])))

(defn- bits [xs] (mapv #(Double/doubleToRawLongBits (double %)) xs))

(deftest l1-drives-weights-to-exactly-zero
  (let [[x y] (problem 60 6 1)
        lasso (m/train-model x y {:penalty (rp/l1 0.05)})
        ridge (m/train-model x y {:penalty (rp/l2 0.05)})]
    (is (:converged? lasso))
    (is (:converged? ridge))
    (testing "the lasso keeps the two real features and sets the four others to exactly 0.0"
      (is (= [true false true false false false] (mapv #(not (zero? %)) (:coef lasso))))
      (is (every? #(== 0.0 %) (keep-indexed (fn [j w] (when-not (#{0 2} j) w)) (:coef lasso)))))
    (testing "the ridge shrinks but keeps every weight"
      (is (every? #(not (zero? %)) (:coef ridge))))
    (testing "the fit is close to the truth (2, −1.5, offset 3), shrunk towards 0 by the L1 term"
      (is (< 1.8 (aget ^doubles (:coef lasso) 0) 2.0))
      (is (< -1.5 (aget ^doubles (:coef lasso) 2) -1.3))
      (is (< 2.9 (:intercept lasso) 3.1)))
    (testing "the solvers reach the same optimum (to the tolerance) and the same support"
      (doseq [solver [:ista :fista]]
        (let [fit (m/train-model x y {:penalty (rp/l1 0.05) :solver solver :max-iter 5000 :tol 1e-10})]
          (is (:converged? fit) (str solver))
          (is (= (mapv zero? (:coef lasso)) (mapv zero? (:coef fit))) (str solver))
          (is (every? #(< (Math/abs (double %)) 1e-3) (map - (:coef lasso) (:coef fit))) (str solver)))))))

(deftest inputs-in-every-form
  (let [[x y] (problem 9 3 2)
        opts {:penalty (rp/elastic-net 0.1 0.05) :max-iter 50}
        reference (m/train-model x y opts)]
    (testing "nested vectors, a 2-D array, a seq of double arrays, lazy seqs"
      (doseq [[label xs ys] [["double[][]" (into-array (map double-array x)) (double-array y)]
                             ["seq of arrays" (map double-array x) (seq y)]
                             ["lazy seqs" (map seq x) (map identity y)]]]
        (let [fit (m/train-model xs ys opts)]
          (is (= (bits (:coef reference)) (bits (:coef fit))) label)
          (is (= (bits [(:intercept reference)]) (bits [(:intercept fit)])) label))))
    (testing "integers, floats and ratios are read as the binary64 they round to"
      (let [xi [[1 2] [3 -4] [5 6] [7 9]]
            yi [1 2 3 5]
            xd (mapv #(mapv double %) xi)
            yd (mapv double yi)
            o {:penalty (rp/l1 0.1)}]
        (is (= (bits (:coef (m/train-model xd yd o))) (bits (:coef (m/train-model xi yi o)))))
        (is (= (bits (:coef (m/train-model (mapv #(mapv float %) xi) (mapv float yi) o)))
               (bits (:coef (m/train-model xd yd o)))))
        (is (= (bits (:coef (m/train-model [[1/10 1] [3/10 2] [1/3 5]] [1 2 3] o)))
               (bits (:coef (m/train-model [[0.1 1.0] [0.3 2.0] [0.3333333333333333 5.0]] [1.0 2.0 3.0] o)))))))))

(deftest trajectory-and-convergence-data
  (let [[x y] (problem 20 4 3)]
    (testing "the trajectory has one entry per iteration and ends at the coefficients"
      (doseq [solver [:cd :ista :fista]]
        (let [fit (m/train-model x y {:penalty (rp/l1 0.1) :solver solver :trajectory? true})]
          (is (= (:n-iter fit) (count (:trajectory fit))) (str solver))
          (is (= (bits (:coef fit)) (bits (peek (:trajectory fit)))) (str solver)))))
    (testing "without :trajectory? no trajectory is kept"
      (is (not (contains? (m/train-model x y {:penalty (rp/l1 0.1)}) :trajectory))))
    (testing "max-iter reached: the fit is returned, :converged? false, and a warning in the data"
      (let [fit (m/train-model x y {:penalty (rp/l1 0.1) :solver :ista :max-iter 2 :tol 0})]
        (is (false? (:converged? fit)))
        (is (= 2 (:n-iter fit)))
        (is (str/includes? (:warning fit) "not converged after 2 iterations"))
        (is (pos? (:gap fit)))))
    (testing "a converged fit has a gap within the tolerance and no warning"
      (let [fit (m/train-model x y {:penalty (rp/l1 0.1)})]
        (is (:converged? fit))
        (is (<= (:gap fit) (:tau fit)))
        (is (nil? (:warning fit)))))))

(deftest warm-start
  (let [[x y] (problem 30 4 9)
        o {:penalty (rp/l1 0.05)}
        cold (m/train-model x y o)
        warm (m/train-model x y (assoc o :coef-init (vec (:coef cold))))]
    (is (< (:n-iter warm) (:n-iter cold)))
    (is (:converged? warm))
    (is (= :shape-mismatch (first (code-of #(m/train-model x y (assoc o :coef-init [1.0]))))))
    (is (= :non-finite-input (first (code-of #(m/train-model x y (assoc o :coef-init [##NaN 0 0 0]))))))))

(deftest gap-with-non-finite-residuals
  ;; A diverging fit can overflow its residuals; the gap then follows SPEC §7.1's special values
  ;; term by term: ½·r² is +inf; −c·r·yc is +inf for yc < 0 (so the gap is +inf), −inf for yc > 0
  ;; (infinities of both signs: NaN), and 0 × ∞ = NaN for yc = 0.
  (let [gap #'m/duality-gap
        pr {:n 2 :p 1 :alpha (double-array [0.0]) :beta (double-array [1.0])
            :yc (double-array [1.0 -1.0])}]
    (is (= ##Inf (gap (assoc pr :yc (double-array [-1.0 1.0]))
                      (double-array [0.5]) (double-array [##Inf 1.0]) (double-array [1.0]))))
    (is (Double/isNaN (gap pr (double-array [0.5]) (double-array [##Inf 1.0]) (double-array [1.0]))))
    (is (Double/isNaN (gap (assoc pr :yc (double-array [0.0 1.0]))
                           (double-array [0.5]) (double-array [##Inf 1.0]) (double-array [1.0]))))
    (testing "finite residuals, c < 1: the exact combination is the exact rational gap rounded once"
      (let [pr (assoc pr :alpha (double-array [0.05]) :beta (double-array [0.0]))
            r (double-array [0.1 -0.7]) w (double-array [0.3]) u (double-array [0.2])
            ex (fn [^double x] (rationalize (BigDecimal. x)))
            c (/ 0.05 0.2)                                  ; α/|u| < 1: the dual scaling
            q (+ (* 1/2 (reduce + (map #(* (ex %) (ex %)) r)))
                 (* 1/2 (ex c) (ex c) (reduce + (map #(* (ex %) (ex %)) r)))
                 (- (* (ex c) (+ (* (ex 0.1) 1) (* (ex -0.7) -1))))
                 (* (ex 0.05) (ex 0.3)))
            rounded (dot/round-quotient (biginteger (numerator q)) 0 (biginteger (denominator q)))]
        (is (= (Double/doubleToRawLongBits rounded)
               (Double/doubleToRawLongBits (gap pr w r u))))))))

(deftest allowed-corner-cases
  (testing "a constant column gets exactly +0 with an intercept; p > n trains"
    (let [fit (m/train-model [[1.0 5.0] [2.0 5.0] [4.0 5.0]] [1.0 2.0 3.5] {:penalty (rp/l1 0.01)})]
      (is (= (Double/doubleToRawLongBits 0.0) (Double/doubleToRawLongBits (aget ^doubles (:coef fit) 1)))))
    (let [[x y] (problem 3 8 4)]
      (is (= 8 (count (:coef (m/train-model x y {:penalty (rp/elastic-net 0.1 0.1)}))))))))

(deftest errors-name-the-rule
  (let [[x y] (problem 5 2 5)
        ok {:penalty (rp/l1 0.1)}
        nan-x (assoc-in x [1 1] ##NaN)]
    (doseq [[expected label f]
            [[:invalid-dtype "a string in X" #(m/train-model (assoc-in x [0 0] "1.0") y ok)]
             [:invalid-dtype "nil y" #(m/train-model x nil ok)]
             [:invalid-dtype "a keyword in y" #(m/train-model x (assoc y 0 :a) ok)]
             [:invalid-argument "unknown solver" #(m/train-model x y (assoc ok :solver :newton))]
             [:invalid-argument "solver as a string" #(m/train-model x y (assoc ok :solver "cd"))]
             [:invalid-argument "max-iter 0" #(m/train-model x y (assoc ok :max-iter 0))]
             [:invalid-argument "max-iter 2.5" #(m/train-model x y (assoc ok :max-iter 2.5))]
             [:invalid-argument "tol -1e-4" #(m/train-model x y (assoc ok :tol -1e-4))]
             [:invalid-argument "tol NaN" #(m/train-model x y (assoc ok :tol ##NaN))]
             [:invalid-argument "no penalty" #(m/train-model x y {})]
             [:shape-mismatch "one label too many" #(m/train-model x (conj y 1.0) ok)]
             [:shape-mismatch "a ragged row" #(m/train-model (assoc x 2 [1.0]) y ok)]
             [:shape-mismatch "1-D X" #(m/train-model (mapv first x) y ok)]
             [:shape-mismatch "nested y" #(m/train-model x (mapv vector y) ok)]
             [:shape-mismatch "three factors for two features"
              #(m/train-model x y {:penalty (rp/l1 0.1 :penalty-factor [1 1 1])})]
             [:empty-input "no samples" #(m/train-model [] [] ok)]
             [:empty-input "no features" #(m/train-model (vec (repeat 5 [])) y ok)]
             [:non-finite-input "NaN in X" #(m/train-model nan-x y ok)]
             [:non-finite-input "-inf in y" #(m/train-model x (assoc y 3 ##-Inf) ok)]
             [:invalid-argument "check order: the option before the NaN"
              #(m/train-model nan-x y (assoc ok :solver :newton))]
             [:invalid-dtype "check order: the element type before the option"
              #(m/train-model (assoc-in x [0 0] "1.0") y (assoc ok :solver :newton))]
             [:shape-mismatch "check order: the shape before emptiness" #(m/train-model [] [1.0] ok)]]]
      (testing label
        (let [[code message] (code-of f)]
          (is (= expected code) message)
          (is (and message (str/starts-with? message (name expected)))))))
    (testing "messages name the parameter, the value and the rule"
      (is (re-find #":solver .*:newton" (second (code-of #(m/train-model x y (assoc ok :solver :newton)))))))
      (is (re-find #"max-iter must be an integer >= 1, got 0"
                   (second (code-of #(m/train-model x y (assoc ok :max-iter 0))))))
      (is (re-find #"X contains NaN at \[1 1\]" (second (code-of #(m/train-model nan-x y ok)))))))

(deftest predict-is-correctly-rounded
  (let [fit {:coef (double-array [1e16 1.0 -1e16]) :intercept 1.0}]
    ;; Naively 1 + 1e16 + 1 − 1e16 loses the ones; the exact value is 2.
    (is (= [2.0] (vec (m/predict fit [[1.0 1.0 1.0]])))))
  (let [[x y] (problem 30 3 6)
        fit (m/train-model x y {:penalty (rp/l2 0.001)})
        yhat (m/predict fit x)]
    (is (= 30 (alength yhat)))
    (is (every? #(< (Math/abs (double %)) 0.1) (map - yhat y))))
  (is (= :shape-mismatch (first (code-of #(m/predict {:coef (double-array 2) :intercept 0.0} [[1.0]]))))))

(deftest regularization-path
  (let [[x y] (problem 40 5 7)
        fits (m/regularization-path x y {:penalty (rp/l1 1.0) :n-strengths 8 :eps 0.01})
        strengths (mapv :strength fits)]
    (is (= 8 (count fits)))
    (testing "the first strength is lambda-max: every weight zero"
      (is (every? zero? (:coef (first fits)))))
    (testing "the grid falls geometrically from lambda-max to eps·lambda-max"
      (is (apply > strengths))
      (is (< (Math/abs (- (/ (peek strengths) (first strengths)) 0.01)) 1e-12)))
    (testing "just below lambda-max a weight enters; at the end both real features are in"
      (is (some #(not (zero? %)) (:coef (second fits))))
      (is (not (zero? (aget ^doubles (:coef (peek fits)) 0))))
      (is (not (zero? (aget ^doubles (:coef (peek fits)) 2))))))
  (testing "grid errors"
    (let [[x y] (problem 6 2 8)]
      (is (= :invalid-lambda (first (code-of #(m/regularization-path x y {:penalty (rp/l1 1.0) :strengths [1.0 0.0]})))))
      (is (= :invalid-lambda (first (code-of #(m/regularization-path x y {:penalty (rp/l1 1.0) :eps 1.0})))))
      (is (= :invalid-argument (first (code-of #(m/regularization-path x y {:penalty (rp/l1 1.0) :n-strengths 0})))))
      (is (= :invalid-argument (first (code-of #(m/regularization-path x y {:penalty (rp/l2 1.0)})))))
      (is (= 2 (count (m/regularization-path x y {:penalty (rp/l2 1.0) :strengths [1.0 0.5]})))))))
